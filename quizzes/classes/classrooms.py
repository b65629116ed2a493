"""Classes: creating, renaming and archiving them, join codes, and the roster.

Every function takes keyword arguments and does one thing a user would name. Refusals a
person should read are raised as ClassroomError with a sentence and an HTTP status.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from quizzes.classes import teaching
from quizzes.classes.models import Classroom, Enrollment
from quizzes.common.refusals import Refusal
from quizzes.practice import attempts as engine

# No look-alikes: 0/O, 1/I/L are left out so a code read aloud or off a board is unambiguous.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
_CODE_ATTEMPTS = 20


class ClassroomError(Refusal):
    """A class action that cannot be done, with the sentence to show."""


def new_join_code(*, length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def normalize_join_code(*, code: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def create_classroom(*, instructor, name: str) -> Classroom:
    name = name.strip()
    for _ in range(_CODE_ATTEMPTS):
        try:
            # A savepoint, so a collision on the unique code leaves the outer transaction usable.
            with transaction.atomic():
                return Classroom.objects.create(
                    instructor=instructor, name=name, join_code=new_join_code()
                )
        except IntegrityError:
            continue
    raise ClassroomError("Could not find a free join code. Please try again.", status=503)


def rename_classroom(*, classroom: Classroom, name: str) -> Classroom:
    classroom.name = name.strip()
    classroom.save(update_fields=["name"])
    return classroom


def archive_classroom(*, classroom: Classroom, now=None) -> Classroom:
    if classroom.archived_at is None:
        classroom.archived_at = now or timezone.now()
        classroom.save(update_fields=["archived_at"])
    return classroom


def restore_classroom(*, classroom: Classroom) -> Classroom:
    if classroom.archived_at is not None:
        classroom.archived_at = None
        classroom.save(update_fields=["archived_at"])
    return classroom


def join_classroom(*, student, code: str) -> Enrollment:
    """Enrol a student by join code; joining a class twice returns the same enrolment."""
    normalized = normalize_join_code(code=code)
    if not normalized:
        raise ClassroomError("Enter the join code your instructor gave you.")
    classroom = teaching.with_teaching(
        Classroom.objects.filter(join_code=normalized), user=student
    ).first()
    # An archived class is refused in the same words as no class at all: a refusal must not
    # name a class, or confirm that a guessed code exists.
    if classroom is None or classroom.archived_at is not None:
        raise ClassroomError(
            f"No class takes new students with the join code “{normalized}”. "
            "Check it with your instructor.",
            status=404,
        )
    if classroom.taught:
        raise ClassroomError("You teach this class; students join it with this code.")
    try:
        with transaction.atomic():
            enrollment, _ = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    except IntegrityError:  # a double click raced us to it
        enrollment = Enrollment.objects.get(classroom=classroom, student=student)
    if enrollment.removed_at is not None:
        raise ClassroomError(
            f"Your instructor removed you from “{classroom.name}”. Ask them to add you back.",
            status=403,
        )
    return enrollment


@transaction.atomic
def remove_student(*, enrollment: Enrollment, now=None) -> Enrollment:
    """Soft removal: the student's past work stays, but they no longer see the class, and
    any attempt they have open there is handed in as it is, so it takes no more answers."""
    if enrollment.removed_at is None:
        enrollment.removed_at = now or timezone.now()
        enrollment.save(update_fields=["removed_at"])
        engine.hand_in_open_attempts(
            user=enrollment.student_id, classroom=enrollment.classroom_id,
            now=enrollment.removed_at,
        )
    return enrollment


def restore_student(*, enrollment: Enrollment) -> Enrollment:
    if enrollment.removed_at is not None:
        enrollment.removed_at = None
        enrollment.save(update_fields=["removed_at"])
    return enrollment


def classrooms_taught(*, instructor):
    """The classes the instructor teaches (owns or co-teaches) with how many students are
    in each (one query)."""
    return teaching.classes_taught(user=instructor).annotate(
        student_count=Count("enrollments", filter=Q(enrollments__removed_at__isnull=True))
    )


def classrooms_joined(*, student):
    """Classes the student is in and has not been removed from."""
    return Classroom.objects.filter(
        enrollments__student=student, enrollments__removed_at__isnull=True
    ).select_related("instructor")


def roster(*, classroom: Classroom):
    # Current students first, then removed ones (NULLs sort differently per database).
    return classroom.enrollments.select_related("student").order_by(
        F("removed_at").asc(nulls_first=True), "student__username"
    )


def is_enrolled(*, classroom: Classroom, student) -> bool:
    return Enrollment.objects.filter(
        classroom=classroom, student=student, removed_at__isnull=True
    ).exists()
