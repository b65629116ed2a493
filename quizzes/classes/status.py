"""Where each student stands on an assignment: not started, in progress, handed in, late or
missed, and the list of a student's own assignments."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.utils import timezone

from quizzes.classes.held_back import released_assignment_ids
from quizzes.classes.models import Assignment, Classroom
from quizzes.classes.review_targets import review_shares
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    LATE = "late"
    MISSED = "missed"
    # Closed (due, no late work) before the student joined the class: not theirs to miss.
    CLOSED_BEFORE_JOINING = "closed_before_joining"

    LABELS = {
        NOT_STARTED: "Not started",
        IN_PROGRESS: "In progress",
        SUBMITTED: "Submitted",
        LATE: "Submitted late",
        MISSED: "Missed",
        CLOSED_BEFORE_JOINING: "Closed before they joined",
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


def closed_before_joining(*, assignment: Assignment, joined_at) -> bool:
    """The assignment stopped taking work (due, no late work) before the student joined the
    class: they could never have done it, so it is not "Missed" and counts against no one."""
    return (
        joined_at is not None and not assignment.late_allowed and assignment.due_at <= joined_at
    )


def attempt_status(*, assignment: Assignment, attempts, now, joined_at=None) -> str:
    """`joined_at`: when the student joined the class (None: treated as from the start)."""
    if any(is_open_attempt(attempt=a, now=now) for a in attempts):
        return Status.IN_PROGRESS
    counted = counted_attempt(attempts=attempts, counting=assignment.counting)
    if counted is not None:
        return Status.LATE if counted.finished_at > assignment.due_at else Status.SUBMITTED
    if now >= assignment.due_at and not assignment.late_allowed:
        if closed_before_joining(assignment=assignment, joined_at=joined_at):
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

    @property
    def status_label(self) -> str:
        if self.assignment.kind == Assignment.Kind.REVIEW:
            return "Target reached" if self.review_percent == 100 else "Reviewing"
        return Status.STUDENT_LABELS.get(self.status, Status.LABELS[self.status])

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int:
        return max(0, self.assignment.attempts_allowed - len(self.attempts))


def describe_student_assignment(
    *, assignment: Assignment, attempts, now, joined_at=None
) -> StudentAssignment:
    attempts = sorted(attempts, key=lambda a: a.number)
    status = attempt_status(
        assignment=assignment, attempts=attempts, now=now, joined_at=joined_at
    )
    is_open = now >= assignment.opens_at
    is_past_due = now >= assignment.due_at
    open_attempt = next((a for a in attempts if is_open_attempt(attempt=a, now=now)), None)
    can_start = (
        assignment.kind == Assignment.Kind.QUIZ
        and open_attempt is None
        and is_open
        and (not is_past_due or assignment.late_allowed)
        and len(attempts) < assignment.attempts_allowed
        and assignment.classroom.archived_at is None
    )
    return StudentAssignment(
        assignment=assignment, status=status, attempts=attempts,
        counted=counted_attempt(attempts=attempts, counting=assignment.counting),
        open_attempt=open_attempt, can_start=can_start, is_open=is_open,
        is_past_due=is_past_due,
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
                queryset=Attempt.objects.filter(user=student).order_by("number"),
                to_attr="own_attempts",
            ),
            "lessons",
        )
        .order_by("due_at", "id")
    )
    rows = [
        describe_student_assignment(
            assignment=a, attempts=a.own_attempts, now=now, joined_at=a.joined_at
        )
        for a in assignments
    ]
    released = released_assignment_ids(assignments=assignments, now=now)
    for row in rows:
        row.scores_visible = row.assignment.pk in released
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
