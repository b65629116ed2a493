"""Every URL of the app, and a small world of real objects behind every id in them.

`url_patterns()` walks the resolver, so a new URL shows up here without anyone updating a
list. `build_world()` makes two classes with two instructors and a student in each, with
attempts, cards and assignments, and `ROLES` names who requests each URL.

Everything under the ids in `url_kwargs()` belongs to the student "sam" and to the class
"Class A" taught by "ines" (with "tess", her co-instructor): the other student ("olga", in
Class B) and the other instructor ("ivan", who teaches Class B) must not reach any of it, and
neither may "pat", who ticked "I teach" at sign-up and waits for staff to approve it.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.instructor_requests import request_instructor_status
from quizzes.models import ClassroomInstructor, GradebookExport, LearnSession, QuestionKind
from quizzes.practice.attempts import answer_question, finish_attempt, start_attempt
from tests import factories
from tests.factories import hardening as made

ROLES = (
    "anonymous", "student", "other_student", "instructor", "other_instructor", "staff",
    "pending_instructor",
)

# The admin is Django's own, behind is_staff; it is tested as one group (see the matrix).
EXCLUDED_NAMESPACES = {"admin": "Django's admin: staff only, covered by one group check"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the bare name outside a namespace
    route: str  # the pattern as written, e.g. "attempts/<int:attempt_id>/"
    callback: object
    keywords: tuple[str, ...]


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns and ns.split(":")[0] in EXCLUDED_NAMESPACES:
                continue
            nested = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ns
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), nested)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "")
            if module.startswith(("django.views.static", "django.contrib.staticfiles")):
                continue  # static files: served by WhiteNoise, not by views
            name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
            if namespace and entry.name:
                name = f"{namespace}:{entry.name}"
            yield Route(
                name=name,
                route=prefix + str(entry.pattern),
                callback=entry.callback,
                keywords=tuple(entry.pattern.converters),
            )


def url_patterns() -> list[Route]:
    """Every URL pattern the project serves, admin excluded (see EXCLUDED_NAMESPACES)."""
    return list(_walk(get_resolver().url_patterns))


def admin_is_mounted() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("admin:index") == "/admin/"
    except NoReverseMatch:
        return False


def build_world():
    """Two classes, two instructors, a student in each, and work behind every id."""
    w = SimpleNamespace()
    w.student = factories.UserFactory(username="sam")
    w.other_student = factories.UserFactory(username="olga")
    w.instructor = factories.InstructorFactory(username="ines")
    w.other_instructor = factories.InstructorFactory(username="ivan")
    w.staff = factories.UserFactory(username="stella", is_staff=True, is_superuser=True)
    w.pending_instructor = factories.UserFactory(username="pat")
    request_instructor_status(user=w.pending_instructor, note="Says they teach")

    w.lesson = factories.LessonFactory(slug="war-and-alliance", title="War and alliance")
    w.section = factories.SectionFactory(lesson=w.lesson, slug="the-war")
    w.term = factories.TermFactory(lesson=w.lesson, section=w.section)
    w.questions = [
        factories.QuestionFactory(kind=kind, lesson=w.lesson, section=w.section)
        for kind in QuestionKind.values
    ]
    w.instructor_question = factories.QuestionFactory(
        kind=QuestionKind.MULTIPLE_CHOICE, lesson=w.lesson, origin="instructor",
        author=w.instructor, prompt="Ines asks: which river?",
    )
    w.other_instructor_question = factories.QuestionFactory(
        kind=QuestionKind.MULTIPLE_CHOICE, lesson=w.lesson, origin="instructor",
        author=w.other_instructor, prompt="Ivan asks: which city?",
    )

    w.classroom = made.ClassroomFactory(instructor=w.instructor, name="Class A")
    # Tess helps ines teach Class A (a teaching assistant from its platform course): she
    # manages it as ines does, and nothing of Class B, so ivan's 404s hold with her there.
    w.co_instructor = factories.InstructorFactory(username="tess")
    ClassroomInstructor.objects.create(
        classroom=w.classroom, user=w.co_instructor,
        role=ClassroomInstructor.Role.TEACHING_ASSISTANT,
    )
    w.other_classroom = made.ClassroomFactory(instructor=w.other_instructor, name="Class B")
    w.enrollment = made.EnrollmentFactory(classroom=w.classroom, student=w.student)
    w.other_enrollment = made.EnrollmentFactory(
        classroom=w.other_classroom, student=w.other_student
    )
    w.assignment = made.AssignmentFactory(
        classroom=w.classroom, title="Week one quiz", question_count=3,
        opens_at=timezone.now() - timezone.timedelta(days=1),
    )
    w.assignment.lessons.add(w.lesson)
    w.other_assignment = made.AssignmentFactory(
        classroom=w.other_classroom, title="Class B quiz", question_count=3
    )
    w.other_assignment.lessons.add(w.lesson)
    # Class A's gradebook file, built in the background and ready to download.
    w.gradebook_export = GradebookExport.objects.create(
        classroom=w.classroom, requested_by=w.instructor, requested_at=timezone.now(),
        status=GradebookExport.Status.READY, rows=0, content="student\r\n",
    )

    # Sam's practice attempt, in progress: the first question answered, the rest not.
    w.attempt = start_attempt(user=w.student, questions=w.questions[:4], seed=11)
    answer_question(attempt=w.attempt, position=0, data=choice_data(w.attempt, 0))
    # Sam's attempt at the class assignment, and Olga's own practice attempt. (Its questions
    # are held back from Sam's practice while it is open: none of them is in his practice.)
    w.assignment_attempt = start_attempt(
        user=w.student, questions=w.questions[4:7], seed=12, assignment=w.assignment
    )
    w.other_attempt = start_attempt(user=w.other_student, questions=w.questions[:3], seed=13)
    # Sam's finished practice attempt, one answer wrong: for results and "retry the missed".
    w.finished_attempt = start_attempt(user=w.student, questions=w.questions[:2], seed=14)
    answer_question(attempt=w.finished_attempt, position=0, data=choice_data(w.finished_attempt, 0))
    answer_question(
        attempt=w.finished_attempt, position=1,
        data=choice_data(w.finished_attempt, 1, right=False),
    )
    finish_attempt(attempt=w.finished_attempt)

    # A written answer: Sam's, handed in at Class A's essay assignment and awaiting a mark
    # (the grading queue), and one of his practice attempts, written but not yet self-rated.
    w.essay = factories.QuestionFactory(kind=QuestionKind.WRITTEN, lesson=w.lesson)
    w.essay_assignment = made.AssignmentFactory(
        classroom=w.classroom, title="Week one essay", question_count=1,
        opens_at=timezone.now() - timezone.timedelta(days=1),
    )
    essay_attempt = start_attempt(
        user=w.student, questions=[w.essay], seed=15, assignment=w.essay_assignment
    )
    answer_question(attempt=essay_attempt, position=0, data={"written": "Sam's answer."})
    w.written_answer = essay_attempt.responses.get()
    w.written_attempt = start_attempt(user=w.student, questions=[w.essay], seed=16)
    answer_question(attempt=w.written_attempt, position=0, data={"written": "Sam's draft."})

    w.platform_link = _platform_link(classroom=w.classroom, assignment=w.assignment)

    w.card = made.CardFactory(lesson=w.lesson, item_id=w.term.pk, answer=w.term.term)
    w.card_state = made.CardStateFactory(
        user=w.student, card=w.card, due=timezone.now() - timezone.timedelta(hours=1)
    )
    made.ReviewFactory(user=w.student, card=w.card)
    # Sam's Learn session on the term (no question asks it, so it has no round to start).
    w.learn_session = LearnSession.objects.create(
        user=w.student, items=[[w.card.item_type_id, w.term.pk]], started_at=timezone.now()
    )
    # Sam's typed answer that the grader refused, on a card of its own: for "I was right".
    w.typed_card = made.CardFactory(lesson=w.lesson, kind="fact", answer="Yalu")
    made.CardStateFactory(user=w.student, card=w.typed_card, state=1, step=0,
                          due=timezone.now() + timezone.timedelta(minutes=1))
    w.typed_review = made.ReviewFactory(
        user=w.student, card=w.typed_card, rating=1, typed_answer="Tumen",
        reviewed_at=timezone.now() - timezone.timedelta(hours=2),
    )
    return w


def _platform_link(*, classroom, assignment):
    """Class A came from a learning platform course, and its quiz is placed there (no one in
    the world launched from it, so a resend has nothing to send and calls no platform)."""
    from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

    from lti.models import LinkedAssignment, LinkedCourse

    registration = LtiRegistration.objects.create(
        name="A platform", issuer="https://platform.example", client_id="world",
        auth_url="https://platform.example/auth", token_url="http://127.0.0.1:9/token",
        keyset_url="http://127.0.0.1:9/jwks",
    )
    deployment = LtiDeployment.objects.create(registration=registration, deployment_id="1")
    context = LtiContext.objects.create(deployment=deployment, id_on_platform="course-a")
    course = LinkedCourse.objects.create(context=context, classroom=classroom)
    return LinkedAssignment.objects.create(course=course, assignment=assignment)


def choice_data(attempt, position, *, right=True) -> dict:
    """The form data a learner's page posts for a choice question (the page's own token)."""
    from quizzes.models import Response
    from quizzes.practice.attempts import option_token

    response = Response.objects.select_related("question").get(
        attempt=attempt, position=position
    )
    question = response.question
    keys = [option["key"] for option in question.body["options"]]
    key = question.answer["key"] if right else next(k for k in keys if k != question.answer["key"])
    return {"choice": option_token(attempt=attempt, response_id=response.pk, key=key)}


def url_kwargs(world, route: Route) -> dict:
    """Real values for every keyword in a route, pointing at sam's and Class A's objects."""
    values = {
        "class_id": world.classroom.pk,
        "assignment_id": world.assignment.pk,
        "enrollment_id": world.enrollment.pk,
        "question_id": world.instructor_question.pk,
        "export_id": world.gradebook_export.pk,
        "attempt_id": world.attempt.pk,
        "position": 1,
        "code": world.classroom.join_code,
        "slug": world.lesson.slug,
        "kind": QuestionKind.MULTIPLE_CHOICE.value,
        "link_id": world.platform_link.pk,
        "student_id": world.student.pk,
        "session_id": world.learn_session.pk,
        "response_id": world.written_answer.pk,
    }
    # Django's own password-reset confirmation URL.
    values |= {"uidb64": "MQ", "token": "set-password"}
    missing = [keyword for keyword in route.keywords if keyword not in values]
    assert not missing, (
        f"tests/security/world.py: give a real value for {missing} in {route.route} "
        f"({route.name})"
    )
    return {keyword: values[keyword] for keyword in route.keywords}


def user_for(world, role):
    return None if role == "anonymous" else getattr(world, role)
