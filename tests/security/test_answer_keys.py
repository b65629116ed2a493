"""The attacks on answer keys found by probing (issue 14), each reproduced and refused.

On the real course: a class of two (sam and kim) whose instructor hand-picks generated
questions for an assignment that shows feedback "after the due date". (The self-made
instructor and the join-code guesses are in tests/accounts.)
"""

import datetime
import json

import pytest
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape

from quizzes.classes.assignments import start_assignment_attempt
from quizzes.classes.held_back import withheld_question_ids
from quizzes.models import Assignment, Attempt, Question, Response
from quizzes.practice.attempts import response_at, start_attempt
from tests import factories
from tests.factories import hardening as made
from tests.quizzes.helpers import post_data

pytestmark = pytest.mark.django_db

HARVEST_ROUNDS = 34  # as many hand-ins as the probe needed for every answer
PRACTICE_SIZE = 20


@pytest.fixture
def school(course):
    instructor = factories.InstructorFactory(username="ines")
    classroom = made.ClassroomFactory(instructor=instructor, name="Korea 101")
    sam, kim = factories.UserFactory(username="sam"), factories.UserFactory(username="kim")
    for student in (sam, kim):
        made.EnrollmentFactory(classroom=classroom, student=student)
    return {"instructor": instructor, "classroom": classroom, "sam": sam, "kim": kim}


def _picked(count, *, lesson=None):
    """Generated questions on different content items, from the busiest lesson."""
    questions = Question.objects.active().filter(origin="generated", item_id__isnull=False)
    if lesson is None:
        lesson = (
            questions.values("lesson").annotate(n=Count("item_id", distinct=True))
            .order_by("-n", "lesson").values_list("lesson", flat=True).first()
        )
    chosen, items = [], set()
    for question in questions.filter(lesson_id=lesson).exclude(kind="cloze").order_by("id"):
        if (question.item_type_id, question.item_id) not in items:
            items.add((question.item_type_id, question.item_id))
            chosen.append(question)
        if len(chosen) == count:
            return chosen
    raise AssertionError("the course has too few questions for this test")


def _delayed(school, questions, **fields):
    now = timezone.now()
    assignment = Assignment.objects.create(
        classroom=school["classroom"], title="Week 3 quiz",
        opens_at=now - datetime.timedelta(hours=1), due_at=now + datetime.timedelta(days=2),
        feedback_timing=Assignment.FeedbackTiming.DUE, question_count=len(questions),
        **fields,
    )
    assignment.questions.set(questions)
    return assignment


def _answer(client, attempt, position, *, right=True):
    response = response_at(attempt=attempt, position=position)
    return client.post(
        f"/attempts/{attempt.pk}/answer/{position}/", post_data(attempt, response, right=right)
    )


def _revealed(html, questions) -> list[int]:
    """The questions whose prompt a page shows beside a right answer."""
    if "Right answer" not in html:
        return []
    return [q.pk for q in questions if escape(q.prompt) in html]


def test_the_practice_harvest_gets_no_answer_of_an_open_delayed_feedback_assignment(
    client, school
):
    picked = _picked(7)
    assignment = _delayed(school, picked)
    sam = school["sam"]
    client.force_login(sam)
    attempt = start_assignment_attempt(assignment=assignment, student=sam)
    for position in (0, 1):
        assert _answer(client, attempt, position).status_code == 302

    # Step 1 of the probe: the prompts from the data export. Only the two answered now.
    exported = json.loads(client.get("/accounts/my-data/export.json").content)
    (mine,) = [a for a in exported["attempts"] if a["assignment"] == "Week 3 quiz"]
    assert len(mine["responses"]) == 2
    assert all("correct" not in response for response in mine["responses"])

    # Step 2: practice quizzes on the same lesson, each handed in at once, results read.
    lesson = picked[0].lesson_id
    withheld = withheld_question_ids(student=sam)
    assert {q.pk for q in picked} <= withheld
    revealed, drawn = set(), set()
    for _ in range(HARVEST_ROUNDS):
        started = client.post("/practice/", {"lessons": [lesson], "count": PRACTICE_SIZE})
        assert started.status_code == 302
        practice = Attempt.objects.filter(user=sam, assignment=None).latest("id")
        drawn |= set(practice.responses.values_list("question_id", flat=True))
        client.post(f"/attempts/{practice.pk}/finish/")
        revealed |= set(_revealed(client.get(f"/attempts/{practice.pk}/results/").text, picked))
    assert drawn, "practice still works on the lesson"
    assert drawn.isdisjoint(withheld), "no practice drew the assignment's questions or items"
    assert revealed == set()

    # Answering a whole practice quiz (feedback after each answer) reveals none either.
    client.post("/practice/", {"lessons": [lesson], "count": PRACTICE_SIZE})
    practice = Attempt.objects.filter(user=sam, assignment=None).latest("id")
    pages = []
    for position in range(practice.question_count):
        _answer(client, practice, position)
        pages.append(client.get(f"/attempts/{practice.pk}/?feedback={position}").text)
    pages.append(client.get(f"/attempts/{practice.pk}/results/").text)
    assert all(_revealed(page, picked) == [] for page in pages)


def test_a_practice_result_shows_the_right_answer_only_of_questions_answered(client, school):
    sam = school["sam"]
    client.force_login(sam)
    client.post("/practice/", {"count": 5})
    practice = Attempt.objects.get(user=sam)
    _answer(client, practice, 0)
    client.post(f"/attempts/{practice.pk}/finish/")
    html = client.get(f"/attempts/{practice.pk}/results/").text
    responses = list(practice.responses.select_related("question").order_by("position"))
    assert escape(responses[0].question.explanation) in html
    assert html.count("Not answered, so its answer is not shown") == 4
    for unanswered in responses[1:]:
        if unanswered.question.explanation:
            assert escape(unanswered.question.explanation) not in html


def test_a_practice_question_drawn_before_the_assignment_opened_stays_hidden(client, school):
    sam = school["sam"]
    client.force_login(sam)
    picked = _picked(3)
    practice = _practice_drawn_last_week(sam, picked)
    _delayed(school, picked)
    _answer(client, practice, 0)
    feedback = client.get(f"/attempts/{practice.pk}/?feedback=0").text
    assert "also on an assignment you have open" in feedback
    assert _revealed(feedback, picked) == []
    client.post(f"/attempts/{practice.pk}/finish/")
    results = client.get(f"/attempts/{practice.pk}/results/").text
    assert _revealed(results, picked) == [] and "also on an assignment you have open" in results
    exported = json.loads(client.get("/accounts/my-data/export.json").content)
    (row,) = exported["attempts"]
    assert row["score"] is None and "correct" not in row["responses"][0]


def _practice_drawn_last_week(user, questions):
    """A practice quiz started before the assignment holding its questions opened."""
    return start_attempt(
        user=user, questions=questions, seed=7,
        now=timezone.now() - datetime.timedelta(days=7),
    )


def test_the_late_classmates_open_questions_are_on_no_ones_page(client, school):
    picked = _picked(5)
    assignment = _delayed(school, picked, late_allowed=True)
    sam, kim = school["sam"], school["kim"]
    # Sam hands in on time.
    client.force_login(sam)
    early = start_assignment_attempt(assignment=assignment, student=sam)
    for position in range(len(picked)):
        _answer(client, early, position)
    client.post(f"/attempts/{early.pk}/finish/")  # from the review after the last answer
    early.refresh_from_db()
    assert early.finished_at is not None
    # The due date passes; Kim starts late, and is still working.
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    late = start_assignment_attempt(assignment=assignment, student=kim)

    def sams_pages():
        client.force_login(sam)
        urls = [
            f"/attempts/{early.pk}/results/", f"/attempts/{early.pk}/?feedback=0",
            f"/classes/{school['classroom'].pk}/assignments/{assignment.pk}/",
            "/classes/", "/progress/", "/accounts/my-data/export.json",
        ]
        return {url: client.get(url).content.decode() for url in urls}

    pages = sams_pages()
    for url, html in pages.items():
        assert _revealed(html, picked) == [], url
    assert "once no one in the class can still hand in" in pages[f"/attempts/{early.pk}/results/"]
    exported = json.loads(pages["/accounts/my-data/export.json"])
    (row,) = [a for a in exported["attempts"] if a["assignment"] == "Week 3 quiz"]
    assert row["score"] is None and all("correct" not in r for r in row["responses"])
    assignment_page = pages[f"/classes/{school['classroom'].pk}/assignments/{assignment.pk}/"]
    assert "score 100%" not in assignment_page and "100%" not in pages["/progress/"]
    # Sam's practice does not draw them either: the feedback is not out.
    assert {q.pk for q in picked} <= withheld_question_ids(student=sam)

    # Kim's feedback stays hidden while Kim works.
    client.force_login(kim)
    _answer(client, late, 0)
    assert _revealed(client.get(f"/attempts/{late.pk}/?feedback=0").text, picked) == []

    # Once Kim hands in, no one can: the answers are out for both.
    client.post(f"/attempts/{late.pk}/finish/")
    assert _revealed(client.get(f"/attempts/{late.pk}/results/").text, picked)
    client.force_login(sam)
    assert sorted(_revealed(client.get(f"/attempts/{early.pk}/results/").text, picked)) == sorted(
        q.pk for q in picked
    )


def test_the_instructor_can_release_delayed_feedback_early(client, school):
    picked = _picked(3)
    assignment = _delayed(school, picked)
    sam = school["sam"]
    client.force_login(sam)
    attempt = start_assignment_attempt(assignment=assignment, student=sam)
    _answer(client, attempt, 0)
    client.post(f"/attempts/{attempt.pk}/finish/")
    assert _revealed(client.get(f"/attempts/{attempt.pk}/results/").text, picked) == []

    client.force_login(school["instructor"])
    detail = f"/classes/{school['classroom'].pk}/assignments/{assignment.pk}/"
    assert "Release the feedback now" in client.get(detail).text
    assert client.post(detail + "release-feedback/").status_code == 302
    assert "released by you" in client.get(detail).text

    client.force_login(sam)
    assert len(_revealed(client.get(f"/attempts/{attempt.pk}/results/").text, picked)) >= 1


def test_a_removed_students_answer_is_refused(client, school):
    picked = _picked(3)
    now = timezone.now()
    assignment = Assignment.objects.create(
        classroom=school["classroom"], title="Quiz", question_count=3,
        opens_at=now - datetime.timedelta(hours=1), due_at=now + datetime.timedelta(days=1),
    )
    assignment.questions.set(picked)
    sam = school["sam"]
    attempt = start_assignment_attempt(assignment=assignment, student=sam)
    enrollment = school["classroom"].enrollments.get(student=sam)

    client.force_login(school["instructor"])
    removed = client.post(
        f"/classes/{school['classroom'].pk}/roster/{enrollment.pk}/remove/"
    )
    assert removed.status_code == 302
    attempt.refresh_from_db()
    assert attempt.finished_at is not None  # handed in as it was at removal

    client.force_login(sam)
    refused = _answer(client, attempt, 0)
    assert refused.status_code == 409
    assert not Response.objects.filter(attempt=attempt, answered_at__isnull=False).exists()


def test_a_written_answer_keeps_its_model_answer_rubric_and_mark_back_until_feedback_is_out(
    client, school
):
    essay = Question.objects.active().filter(kind="essay").order_by("pk").first()
    assignment = _delayed(school, [essay])
    secrets = [essay.answer["model"], *(c["text"] for c in essay.answer["rubric"])]
    sam, kim = school["sam"], school["kim"]
    client.force_login(sam)
    attempt = start_assignment_attempt(assignment=assignment, student=sam)
    base = f"/attempts/{attempt.pk}"

    def served():
        return "\n".join(
            client.get(url).text
            for url in (f"{base}/", f"{base}/?feedback=0", f"{base}/results/", "/practice/",
                        "/accounts/my-data/export.json")
        )

    def shows(html, text):
        return escape(text) in html or json.dumps(text)[1:-1] in html

    assert not any(shows(served(), s) for s in secrets), "before writing"
    answered = client.post(f"{base}/answer/0/", {"written": "Sam's own answer."})
    assert answered.status_code == 302
    # An assignment is handed in from the review before handing in, not by its last answer.
    assert client.post(f"{base}/finish/").status_code == 302
    assert client.post(f"{base}/rate/0/", {"rating": "4"}).status_code == 409, (
        "in an assignment the learner cannot mark their own answer"
    )
    assert not any(shows(served(), s) for s in secrets), "after writing, feedback held back"

    client.force_login(school["instructor"])
    response = Response.objects.get(attempt=attempt)
    marked = client.post(f"/classes/grading/answers/{response.pk}/",
                         {"mark": "1", "comment": "Say more about the cost.", "seen": ""})
    assert marked.status_code == 302
    client.force_login(sam)
    assert "Say more about the cost." not in served(), "the comment waits for the feedback"
    client.force_login(kim)  # a classmate's attempt and answer are not theirs to see
    assert client.get(f"{base}/?feedback=0").status_code == 404
    assert client.get(f"/classes/grading/answers/{response.pk}/").status_code == 404

    Assignment.objects.filter(pk=assignment.pk).update(feedback_released_at=timezone.now())
    client.force_login(sam)
    released = client.get(f"{base}/results/").text
    assert shows(released, essay.answer["model"]) and "Say more about the cost." in released
