"""Editing an assignment that students may have started already.

A started attempt holds its own questions and deadline (drawn and worked out when it began),
so an edit reaches only the attempts started after it, unless the instructor asks for the
attempts in progress to get the new time limit and due date as well. Their questions never
change: a student may have answered some of them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from quizzes.classes.assignments import attempt_deadline, update_assignment
from quizzes.classes.models import Assignment
from quizzes.practice.models import Attempt

# What a started attempt took from the assignment when it began.
DRAW_FIELDS = ("lessons", "questions", "question_kinds", "question_count")
LIMIT_FIELDS = ("time_limit_minutes", "due_at", "late_allowed")


@dataclass(frozen=True)
class Started:
    """How many students have started the assignment, and how many attempts are open."""

    students: int = 0
    open_attempts: int = 0


@dataclass(frozen=True)
class EditOutcome:
    assignment: Assignment
    started: Started
    # Which of what a started attempt took from the assignment the edit changed.
    changed_draw: bool = False
    changed_limits: bool = False
    # Open attempts whose deadline was worked out again (apply_to_open).
    attempts_updated: int = 0

    def sentence(self) -> str:
        if not self.started.students or not (self.changed_draw or self.changed_limits):
            return "Saved."
        n = self.started.students
        who = f"{n} student{'s' if n != 1 else ''}"
        if self.attempts_updated:
            updated = self.attempts_updated
            return (
                f"Saved. {updated} attempt{'s' if updated != 1 else ''} in progress now "
                f"{'have' if updated != 1 else 'has'} the new time limit and due date; "
                "their questions stay as drawn. Attempts started from now get every change."
            )
        return (
            f"Saved. The attempts the {who} already started keep their questions and time "
            "limit; attempts started from now get the changes."
        )


def started_summary(*, assignment: Assignment, now=None) -> Started:
    """One query: students with any attempt, and attempts still open at `now`."""
    if not assignment.pk:
        return Started()
    now = now or timezone.now()
    open_now = Q(finished_at__isnull=True) & (Q(deadline__isnull=True) | Q(deadline__gte=now))
    summary = Attempt.objects.filter(assignment=assignment).aggregate(
        students=Count("user", distinct=True), open_attempts=Count("id", filter=open_now)
    )
    return Started(students=summary["students"], open_attempts=summary["open_attempts"])


def _draw_recipe(assignment: Assignment) -> tuple:
    return (
        sorted(assignment.lessons.values_list("pk", flat=True)),
        sorted(assignment.questions.values_list("pk", flat=True)),
        sorted(assignment.question_kinds),
        assignment.question_count,
    )


def _limits(assignment: Assignment) -> tuple:
    return tuple(getattr(assignment, name) for name in LIMIT_FIELDS)


@transaction.atomic
def edit_assignment(
    *, assignment: Assignment, apply_to_open: bool = False, now=None, **values
) -> EditOutcome:
    """Save the edit (the keyword arguments of update_assignment) and say what it reached.

    With `apply_to_open`, every attempt still open gets the deadline its start time gives
    under the new time limit and due date, never one already past (an attempt is not closed
    behind the student's back: at worst it must be handed in now)."""
    now = now or timezone.now()
    # The row is locked, so two edits at once apply one after the other.
    assignment = Assignment.objects.select_for_update().select_related("classroom").get(
        pk=assignment.pk
    )
    started = started_summary(assignment=assignment, now=now)
    before_draw, before_limits = _draw_recipe(assignment), _limits(assignment)
    assignment = update_assignment(assignment=assignment, **values)
    changed_draw = _draw_recipe(assignment) != before_draw
    changed_limits = _limits(assignment) != before_limits
    updated = 0
    if apply_to_open and changed_limits:
        open_attempts = Attempt.objects.select_for_update().filter(
            assignment=assignment, finished_at__isnull=True
        ).filter(Q(deadline__isnull=True) | Q(deadline__gte=now))
        changed = []
        for attempt in open_attempts:
            deadline = attempt_deadline(assignment=assignment, started_at=attempt.started_at)
            if deadline is not None and deadline < now:
                deadline = now
            if deadline != attempt.deadline:
                attempt.deadline = deadline
                changed.append(attempt)
        Attempt.objects.bulk_update(changed, ["deadline"])
        updated = len(changed)
    return EditOutcome(
        assignment=assignment, started=started, changed_draw=changed_draw,
        changed_limits=changed_limits, attempts_updated=updated,
    )
