"""Who teaches a class: its owner (`Classroom.instructor`, who made it, or who first opened
it from a learning platform) and its co-instructors (`ClassroomInstructor`: the platform
course's other instructors and teaching assistants, or someone staff added in the admin).

A co-instructor sees and manages the class as its owner does, so every permission check on
a class, its assignments, results and exports asks here, and for anyone else the class does
not exist (a 404). The owner's own things stay the owner's: the questions they hid from
their bank still shape the class's draws.

    classes_taught(*, user) -> QuerySet[Classroom]   every class the user teaches (one query)
    with_teaching(queryset, *, user) -> the same rows, each with `taught` (True/False)
    teaches(*, user, classroom) -> bool
    add_co_instructor(*, classroom, user, role) -> ClassroomInstructor
    instructors_of(*, classroom) -> list[Teacher]     the owner first, then the others
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value

from quizzes.classes.models import Classroom, ClassroomInstructor


def _co_taught(*, user):
    return ClassroomInstructor.objects.filter(user=user).values("classroom_id")


def classes_taught(*, user):
    """The classes the user owns or co-teaches, one query (a subquery, so no duplicates)."""
    if not getattr(user, "is_authenticated", False):
        return Classroom.objects.none()
    return Classroom.objects.filter(Q(instructor=user) | Q(pk__in=_co_taught(user=user)))


def with_teaching(queryset, *, user):
    """The same classes, each annotated `taught`: whether the user teaches it. Lets a page
    that serves both students and instructors decide in the query that loads the class."""
    if not getattr(user, "is_authenticated", False):
        return queryset.annotate(taught=Value(False, output_field=BooleanField()))
    co_teaching = ClassroomInstructor.objects.filter(classroom=OuterRef("pk"), user=user)
    return queryset.annotate(
        taught=ExpressionWrapper(
            Q(instructor=user) | Exists(co_teaching), output_field=BooleanField()
        )
    )


def teaches(*, user, classroom: Classroom) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if classroom.instructor_id == user.pk:
        return True
    return ClassroomInstructor.objects.filter(classroom=classroom, user=user).exists()


def add_co_instructor(*, classroom: Classroom, user, role: str) -> ClassroomInstructor | None:
    """Make the user one of the class's instructors (with the role given; a later launch
    with another role updates it). The owner needs no row: None for them."""
    if classroom.instructor_id == user.pk:
        return None
    try:
        with transaction.atomic():
            member, created = ClassroomInstructor.objects.get_or_create(
                classroom=classroom, user=user, defaults={"role": role}
            )
    except IntegrityError:  # a simultaneous launch made it first
        member, created = ClassroomInstructor.objects.get(classroom=classroom, user=user), False
    if not created and member.role != role:
        ClassroomInstructor.objects.filter(pk=member.pk).update(role=role)
        member.role = role
    return member


@dataclass(frozen=True)
class Teacher:
    user: object
    role: str  # "owner" or a ClassroomInstructor.Role label


def instructors_of(*, classroom: Classroom) -> list[Teacher]:
    """Everyone who teaches the class, its owner first (one query besides the owner)."""
    others = classroom.co_instructors.select_related("user")
    return [Teacher(user=classroom.instructor, role="Owner")] + [
        Teacher(user=member.user, role=member.get_role_display()) for member in others
    ]
