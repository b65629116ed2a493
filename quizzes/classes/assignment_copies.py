"""Copying an assignment into another of the instructor's classes: every setting (questions
or recipe, limits, feedback, attempts) kept, with the title and dates the instructor gives."""

from django.db import transaction

from quizzes.classes.assignments import _SCALAR_FIELDS, create_assignment
from quizzes.classes.models import Assignment, Classroom

# What the copy takes from the form rather than from the original.
CHOSEN = ("title", "opens_at", "due_at")


@transaction.atomic
def copy_assignment(
    *, assignment: Assignment, classroom: Classroom, title: str, opens_at, due_at
) -> Assignment:
    """A new assignment in `classroom` with `assignment`'s settings. The caller has checked
    that both classes are the same instructor's: a copy never carries another instructor's
    hand-picked questions into a class."""
    if classroom.instructor_id != assignment.classroom.instructor_id:
        raise ValueError("An assignment is copied only between one instructor's classes.")
    values = {name: getattr(assignment, name) for name in _SCALAR_FIELDS if name not in CHOSEN}
    return create_assignment(
        classroom=classroom, lessons=list(assignment.lessons.all()),
        questions=list(assignment.questions.all()),
        title=title, opens_at=opens_at, due_at=due_at, **values,
    )
