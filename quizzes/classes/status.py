"""Where each student stands on an assignment: not started, in progress, handed in, timed
out, late or missed, and the list of a student's own assignments.

A status is read from the counted attempt's end (Attempt.ended: handed in or timed out) and
its finished_at against the student's due date, which is the assignment's unless an
instructor's override gives this student a later one (quizzes/classes/overrides.py)."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.utils import timezone

from quizzes.classes.held_back import released_assignment_ids
from quizzes.classes.marking import attempts_awaiting_grading, awaiting_marks
from quizzes.classes.models import Assignment, Classroom, StudentOverride
from quizzes.classes.overrides import limits_for
from quizzes.classes.review_targets import review_shares
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    HANDED_IN = "handed_in"
    TIMED_OUT = "timed_out"
    LATE = "late"
    MISSED = "missed"
    # Closed (due, no late work) before the student joined the class: not theirs to miss.
    CLOSED_BEFORE_JOINING = "closed_before_joining"
    # Handed in (or timed out, or late) with a written answer no instructor has marked yet.
    AWAITING_GRADING = "awaiting_grading"

    LABELS = {
        NOT_STARTED: "Not started",
        IN_PROGRESS: "In progress",
        HANDED_IN: "Handed in",
        TIMED_OUT: "Timed out",
        LATE: "Late",
        MISSED: "Missed",
        CLOSED_BEFORE_JOINING: "Closed before they joined",
        AWAITING_GRADING: "Awaiting grading",
    }
    # What the student reads about their own assignment, where it differs.
    STUDENT_LABELS = {CLOSED_BEFORE_JOINING: "Closed before you joined"}


# --- status ----------------------------------------------------------------------------------


def counted_attempt(*, attempts, counting: str):
    """The finished attempt whose score counts: the highest (first of equals) or the latest."""
    finished = [a for a in attempts if a.finished_at is not None]
    if not finished:
        return None
    if counting == Assignment.Counting.LATEST:
        return max(finished, key=lambda a: a.number)
    return max(finished, key=lambda a: (a.score or 0) / (a.question_count or 1) - a.number * 1e-9)


def is_open_attempt(*, attempt, now) -> bool:
    # The engine still takes answers at the deadline itself (it refuses after it).
    return attempt.finished_at is None and (attempt.deadline is None or attempt.deadline >= now)


def ended_status(*, attempt, due_at) -> str:
    """How a finished attempt ended: late (finished after the student's due date, however
    it ended), timed out (its time limit or the due date closed it), or handed in."""
    if attempt.finished_at > due_at:
        return Status.LATE
    if attempt.ended == Attempt.Ended.TIMED_OUT:
        return Status.TIMED_OUT
    return Status.HANDED_IN


def closed_before_joining(*, limits, joined_at) -> bool:
    """The assignment stopped taking work (due, no late work: the student's own limits)
    before the student joined the class: they could never have done it, so it is not
    "Missed" and counts against no one."""
    return joined_at is not None and not limits.late_allowed and limits.due_at <= joined_at


def attempt_status(*, assignment: Assignment, attempts, now, limits=None,
                   joined_at=None) -> str:
    """`limits`: the student's own (quizzes/classes/overrides.py), the assignment's if None.
    `joined_at`: when the student joined the class (None: treated as from the start)."""
    limits = limits or assignment
    if any(is_open_attempt(attempt=a, now=now) for a in attempts):
        return Status.IN_PROGRESS
    counted = counted_attempt(attempts=attempts, counting=assignment.counting)
    if counted is not None:
        return ended_status(attempt=counted, due_at=limits.due_at)
    if now >= limits.due_at and not limits.late_allowed:
        if closed_before_joining(limits=limits, joined_at=joined_at):
            return Status.CLOSED_BEFORE_JOINING
        return Status.MISSED
    return Status.NOT_STARTED


@dataclass
class StudentAssignment:
    """One line of a student's "My assignments"."""

    assignment: Assignment
    status: str
    attempts: list = field(default_factory=list)
    counted: Attempt | None = None
    open_attempt: Attempt | None = None
    can_start: bool = False
    is_open: bool = True
    is_past_due: bool = False
    # Review assignments: the share of the lesson's cards at or above the target, 0–100.
    review_percent: int | None = None
    review_cards: int = 0
    # "After the due date" hides scores too, until quizzes.classes.held_back releases them.
    scores_visible: bool = True
    # The student's own limits (the assignment's, or an override's: overrides.py).
    limits: object = None

    @property
    def status_label(self) -> str:
        if self.assignment.kind == Assignment.Kind.REVIEW:
            return "Target reached" if self.review_percent == 100 else "Reviewing"
        return Status.STUDENT_LABELS.get(self.status, Status.LABELS[self.status])

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_allowed(self) -> int:
        return self.limits.attempts_allowed if self.limits else self.assignment.attempts_allowed

    @property
    def due_at(self):
        return self.limits.due_at if self.limits else self.assignment.due_at

    @property
    def attempts_left(self) -> int:
        return max(0, self.attempts_allowed - len(self.attempts))


def describe_student_assignment(
    *, assignment: Assignment, attempts, now, override=None, joined_at=None
) -> StudentAssignment:
    limits = limits_for(assignment=assignment, override=override)
    attempts = sorted(attempts, key=lambda a: a.number)
    status = attempt_status(
        assignment=assignment, attempts=attempts, now=now, limits=limits, joined_at=joined_at
    )
    is_open = now >= limits.opens_at
    is_past_due = now >= limits.due_at
    open_attempt = next((a for a in attempts if is_open_attempt(attempt=a, now=now)), None)
    can_start = (
        assignment.kind == Assignment.Kind.QUIZ
        and open_attempt is None
        and is_open
        and (not is_past_due or limits.late_allowed)
        and len(attempts) < limits.attempts_allowed
        and assignment.classroom.archived_at is None
    )
    return StudentAssignment(
        assignment=assignment, status=status, attempts=attempts,
        counted=counted_attempt(attempts=attempts, counting=assignment.counting),
        open_attempt=open_attempt, can_start=can_start, is_open=is_open,
        is_past_due=is_past_due, limits=limits,
    )


def my_assignments(*, student, now=None, classroom: Classroom | None = None):
    """The student's assignments in the classes they are in, soonest due first.

    A fixed number of queries however many assignments and attempts there are.
    """
    now = now or timezone.now()
    engine.finish_overdue_attempts(now=now, user=student)
    assignments = Assignment.objects.filter(
        classroom__enrollments__student=student,
        classroom__enrollments__removed_at__isnull=True,
    )
    if classroom is not None:
        assignments = assignments.filter(classroom=classroom)
    assignments = list(
        # The join the filter made is the student's own enrolment: when they joined.
        assignments.annotate(joined_at=F("classroom__enrollments__joined_at"))
        .select_related("classroom")
        .prefetch_related(
            Prefetch(
                "attempts",
                queryset=Attempt.objects.filter(user=student)
                .annotate(awaiting_marks=awaiting_marks()).order_by("number"),
                to_attr="own_attempts",
            ),
            Prefetch(
                "overrides",
                queryset=StudentOverride.objects.filter(student=student),
                to_attr="own_overrides",
            ),
            "lessons",
        )
        .order_by("due_at", "id")
    )
    rows = [
        describe_student_assignment(
            assignment=a, attempts=a.own_attempts, now=now,
            override=a.own_overrides[0] if a.own_overrides else None, joined_at=a.joined_at,
        )
        for a in assignments
    ]
    released = released_assignment_ids(assignments=assignments, now=now)
    for row in rows:
        row.scores_visible = row.assignment.pk in released
    with_awaiting_grading(rows)
    review_rows = [row for row in rows if row.assignment.kind == Assignment.Kind.REVIEW]
    if review_rows:
        shares = review_shares(
            assignments=[row.assignment for row in review_rows], student_ids=[student.pk], now=now
        )
        for row in review_rows:
            row.review_cards, at_target = shares[row.assignment.pk].get(student.pk, (0, 0))
            row.review_percent = (
                round(100 * at_target / row.review_cards) if row.review_cards else 0
            )
    return rows


# --- written answers awaiting a mark (issue 17) ------------------------------------------------

AWAITING_GRADING = Status.AWAITING_GRADING


def with_awaiting_grading(rows, *, counted_of=lambda row: row.counted) -> None:
    """A handed-in attempt that holds a written answer no one has marked yet is "awaiting
    grading" (quizzes.classes.marking) until its instructor marks it: the status of each row
    (a StudentAssignment or a StudentResult) whose counted attempt waits. No query when the
    attempts carry marking.awaiting_marks(); one otherwise."""
    rows = list(rows)
    counted = [counted_of(row) for row in rows if counted_of(row) is not None]
    if all(hasattr(attempt, "awaiting_marks") for attempt in counted):  # annotated already
        waiting = {attempt.pk for attempt in counted if attempt.awaiting_marks}
    else:
        waiting = attempts_awaiting_grading(attempt_ids={attempt.pk for attempt in counted})
    for row in rows:
        attempt = counted_of(row)
        if attempt is not None and attempt.pk in waiting and row.status in (
            Status.HANDED_IN, Status.TIMED_OUT, Status.LATE
        ):
            row.status = AWAITING_GRADING
