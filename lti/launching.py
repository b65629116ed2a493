"""From a validated launch to a signed-in person in the right class, on the right page.

A platform person is django-lti's LtiUser (registration, sub); the first launch gives it a
Django user of its own with no password. Accounts are never matched by e-mail: a platform
could otherwise claim anyone's account here by sending their address.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model, login
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from lti_tool.models import LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch

from accounts.roles import make_instructor
from lti.models import LinkedAssignment, LinkedCourse
from lti.tool import LaunchRefused
from quizzes.classes import classrooms, teaching
from quizzes.classes.models import Assignment, ClassroomInstructor, Enrollment
from relations.models import Lesson

SESSION_FRAME_ORIGINS = "lti_frame_origins"
SESSION_LAUNCH_ID = "lti_launch_id"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper")


@dataclass
class Arrival:
    user: object
    is_teacher: bool
    course: LinkedCourse | None
    next_url: str


def is_teaching_role(roles) -> bool:
    """Instructors, their sub-roles (teaching assistant…), course administrators and
    content developers teach; everyone else learns."""
    roles = [role if "/" in role else f"{MEMBERSHIP}#{role}" for role in roles or []]
    # A context role (membership#Instructor) or one of its sub-roles (membership/Instructor#
    # TeachingAssistant); not Learner#Instructor, a learner's sub-role.
    return any(
        role == f"{MEMBERSHIP}#{name}" or role.startswith(f"{MEMBERSHIP}/{name}#")
        for role in roles for name in TEACHING_ROLES
    )


def teaching_role(roles) -> str:
    """The role a teacher holds in the class: teaching assistant for the platform's
    TeachingAssistant sub-roles (of Instructor or any other teaching role), instructor
    otherwise."""
    if any(str(role).endswith("#TeachingAssistant") for role in roles or []):
        return ClassroomInstructor.Role.TEACHING_ASSISTANT
    return ClassroomInstructor.Role.INSTRUCTOR


def platform_username(*, issuer: str, sub: str, name: str = "") -> str:
    """Readable on the class pages (the platform's name for them), unique by a digest of
    (issuer, subject); never a name someone could choose to collide with another."""
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:10]
    readable = slugify(name)[:40] or "learner"
    return f"{readable}-lti-{digest}"


def user_for(*, lti_user: LtiUser):
    """The Django user linked to (issuer, subject), created on the first launch."""
    if lti_user.auth_user_id:
        return lti_user.auth_user
    User = get_user_model()
    username = platform_username(
        issuer=lti_user.registration.issuer, sub=lti_user.sub, name=lti_user.name
    )
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": (lti_user.given_name or lti_user.name)[:150],
            "last_name": lti_user.family_name[:150],
            "email": lti_user.email,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    LtiUser.objects.filter(pk=lti_user.pk, auth_user__isnull=True).update(auth_user=user)
    return user


def origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in {"http", "https"} and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def frame_origins(*, launch: LtiLaunch) -> list[str]:
    """The origins that may frame this session: the registered platform's issuer and
    authorization endpoint, and the return URL of its signed launch (a hosted platform such
    as Canvas frames from the school's own domain)."""
    registration = launch.registration
    presentation = launch.launch_presentation_claim or {}
    candidates = [registration.issuer, registration.auth_url, presentation.get("return_url")]
    return sorted({found for found in map(origin, candidates) if found})


def linked_course(*, launch: LtiLaunch, user, is_teacher: bool) -> LinkedCourse | None:
    """The class this platform course became, created at its first instructor launch (who
    owns it); the course's other instructors and teaching assistants become its
    co-instructors at their own launches."""
    context = launch.context
    course = LinkedCourse.objects.select_related("classroom").filter(context=context).first()
    if course is None:
        if not is_teacher:
            return None
        make_instructor(user)
        title = context.title or context.label or "Course from the learning platform"
        classroom = classrooms.create_classroom(instructor=user, name=title[:120])
        course = LinkedCourse.objects.create(context=context, classroom=classroom)
    if is_teacher:
        make_instructor(user)
        teaching.add_co_instructor(
            classroom=course.classroom, user=user, role=teaching_role(launch.roles_claim)
        )
    elif not teaching.teaches(user=user, classroom=course.classroom):
        enrol(classroom=course.classroom, student=user)
    return course


def enrol(*, classroom, student) -> Enrollment:
    """The platform is the roster's authority: a learner it lists is in the class, unless
    the instructor removed them here (that stays)."""
    try:
        with transaction.atomic():
            enrollment, _ = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    except IntegrityError:
        enrollment = Enrollment.objects.get(classroom=classroom, student=student)
    return enrollment


def destination(*, launch: LtiLaunch, user, course: LinkedCourse | None, is_teacher: bool) -> str:
    """Where a resource link opens: its assignment (results for the instructor), its lesson,
    or the class."""
    if launch.is_deep_link_launch:
        if not is_teacher:
            raise LaunchRefused("Only the course's instructors can add activities.")
        return reverse("lti:deep_link")
    if course is None:
        raise LaunchRefused(
            "This course has not been set up here yet: your instructor needs to open the "
            "activity once from the course first.",
            status=409,
        )
    classroom = course.classroom
    assignment_id = launch.get_custom_claim("assignment")
    lesson_slug = launch.get_custom_claim("lesson")
    if assignment_id:
        assignment = Assignment.objects.filter(
            pk=int(assignment_id) if str(assignment_id).isdigit() else 0, classroom=classroom
        ).first()
        if assignment is None:
            raise LaunchRefused(
                "This link points to an assignment that is not part of this course's class.",
                status=404,
            )
        remember_link(course=course, assignment=assignment, launch=launch)
        name = "quizzes:assignment_results" if is_teacher else "quizzes:assignment_detail"
        return reverse(name, kwargs={"class_id": classroom.pk, "assignment_id": assignment.pk})
    if lesson_slug and Lesson.objects.filter(slug=lesson_slug).exists():
        return reverse("relations:lesson", kwargs={"slug": lesson_slug})
    return reverse("quizzes:class_detail", kwargs={"class_id": classroom.pk})


def remember_link(*, course: LinkedCourse, assignment, launch: LtiLaunch) -> LinkedAssignment:
    """The line item the platform made for this link (the AGS claim's lineitem), kept so
    scores go to that column."""
    ags = launch.ags_claim or {}
    resource_link = launch.resource_link_claim or {}
    link, _ = LinkedAssignment.objects.get_or_create(course=course, assignment=assignment)
    changes = {
        "resource_link_id": resource_link.get("id", link.resource_link_id),
        "lineitem_url": ags.get("lineitem") or link.lineitem_url,
    }
    if any(getattr(link, field) != value for field, value in changes.items()):
        LinkedAssignment.objects.filter(pk=link.pk).update(**changes)
        for field, value in changes.items():
            setattr(link, field, value)
    return link


ROSTER_EVERY = timedelta(hours=1)


def arrive(*, request, launch: LtiLaunch) -> Arrival:
    """Record the launch (django-lti's user, course, membership, link), sign its person in
    and say where they go next. An instructor's launch also syncs the roster, at most
    hourly (outside the transaction: it waits on the platform)."""
    arrival = _record_arrival(request=request, launch=launch)
    course = arrival.course
    if arrival.is_teacher and course is not None and (
        course.roster_synced_at is None or course.roster_synced_at < timezone.now() - ROSTER_EVERY
    ):
        from lti.roster import sync_quietly  # roster builds on this module

        sync_quietly(course=course)
    return arrival


@transaction.atomic
def _record_arrival(*, request, launch: LtiLaunch) -> Arrival:
    sync_data_from_launch(launch)
    is_teacher = is_teaching_role(launch.roles_claim)
    user = user_for(lti_user=launch.user)
    course = None if launch.is_data_privacy_launch else linked_course(
        launch=launch, user=user, is_teacher=is_teacher
    )
    next_url = destination(launch=launch, user=user, course=course, is_teacher=is_teacher)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_FRAME_ORIGINS] = frame_origins(launch=launch)
    request.session[SESSION_LAUNCH_ID] = launch.get_launch_id()
    return Arrival(user=user, is_teacher=is_teacher, course=course, next_url=next_url)
