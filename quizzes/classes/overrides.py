"""One student's own limits on an assignment, and an instructor's changes to their work.

    limits_for(*, assignment, override=None) -> Limits
    overrides_by_student(*, assignment) -> {student_id: StudentOverride}
    student_limits(*, assignment, student) -> Limits
    set_override(*, assignment, students, by, due_at=None, time_limit_minutes=None,
                 extra_attempts=0, now=None) -> list[StudentOverride]
    remove_override(*, assignment, student, by, now=None) -> bool
    reset_attempt(*, attempt, by, now=None) -> None
    reopen_attempt(*, attempt, by, deadline, now=None) -> Attempt

As Moodle's user overrides: a later due date, a longer time limit, extra attempts, for one
student or several at once. The limits a student works under (Limits) are the assignment's
with their override laid over it, and every check reads them on the server clock exactly as
it reads the assignment's own: starting (quizzes/classes/assignments.py), the deadline of an
attempt (started or, when an override is set, already running), late work and statuses
(quizzes/classes/status.py), delayed feedback (quizzes/classes/held_back.py).

Each change locks the student's enrolment row first, as a start does, then the attempt's
row, as an answer does (quizzes/practice/attempts.py): an override, a reset or a reopen and
the student's own start or answer go one after the other, so no acknowledged answer is lost
and no start slips between a check and a change. Each is recorded (AttemptChange: who, when,
what). A reset deletes the attempt so the student can start again; the review evidence its
answers gave (FSRS) stays, as a regrade leaves it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from quizzes.classes.models import Assignment, AttemptChange, Enrollment, StudentOverride
from quizzes.common.refusals import Refusal
from quizzes.common.signals import scores_changed
from quizzes.practice.models import Attempt

MAX_EXTRA_ATTEMPTS = 10
MAX_TIME_LIMIT_MINUTES = 600


class OverrideError(Refusal):
    status = 400


@dataclass(frozen=True)
class Limits:
    """What one student works under: the assignment's limits, or their override's."""

    opens_at: datetime
    due_at: datetime
    late_allowed: bool
    time_limit_minutes: int | None
    attempts_allowed: int
    override: StudentOverride | None = None

    @property
    def describe(self) -> str:
        return describe_override(self.override) if self.override else ""


def limits_for(*, assignment: Assignment, override: StudentOverride | None = None) -> Limits:
    due_at, minutes = assignment.due_at, assignment.time_limit_minutes
    attempts = assignment.attempts_allowed
    if override is not None:
        due_at = max(due_at, override.due_at) if override.due_at else due_at
        if override.time_limit_minutes and minutes:
            minutes = max(minutes, override.time_limit_minutes)
        attempts += override.extra_attempts
    return Limits(
        opens_at=assignment.opens_at, due_at=due_at, late_allowed=assignment.late_allowed,
        time_limit_minutes=minutes, attempts_allowed=attempts, override=override,
    )


def describe_override(override: StudentOverride) -> str:
    parts = []
    if override.due_at:
        local = timezone.localtime(override.due_at)
        parts.append(
            f"due {date_format(local, 'j M Y, H:i')} ({timezone.get_current_timezone_name()})"
        )
    if override.time_limit_minutes:
        parts.append(f"{override.time_limit_minutes} min")
    if override.extra_attempts:
        extra = override.extra_attempts
        parts.append(f"{extra} extra attempt{'' if extra == 1 else 's'}")
    return ", ".join(parts)


def overrides_by_student(*, assignment: Assignment) -> dict[int, StudentOverride]:
    """Every override on the assignment, by student. One query."""
    return {o.student_id: o for o in StudentOverride.objects.filter(assignment=assignment)}


def student_limits(*, assignment: Assignment, student) -> Limits:
    override = StudentOverride.objects.filter(assignment=assignment, student=student).first()
    return limits_for(assignment=assignment, override=override)


def attempt_deadline(*, limits: Limits, started_at: datetime) -> datetime | None:
    """When an attempt started at `started_at` closes: its time limit or, with no late work,
    the student's due date, whichever comes first."""
    candidates = []
    if limits.time_limit_minutes:
        candidates.append(started_at + timedelta(minutes=limits.time_limit_minutes))
    if not limits.late_allowed:
        candidates.append(limits.due_at)
    return min(candidates) if candidates else None


# --- changes ---------------------------------------------------------------------------------


def _lock_students(*, assignment: Assignment, student_ids) -> list[int]:
    """Lock the students' enrolment rows (in id order, as every other locker goes) and
    return those currently in the class; anyone else is refused as not found."""
    rows = list(
        Enrollment.objects.select_for_update()
        .filter(classroom_id=assignment.classroom_id, student_id__in=student_ids)
        .order_by("pk")
        .values_list("student_id", "removed_at")
    )
    current = sorted(student for student, removed_at in rows if removed_at is None)
    if not student_ids or set(current) != set(student_ids):
        raise OverrideError("Choose students who are in this class.", status=404)
    return current


def _record(*, assignment, student_id, action, detail, by, now) -> AttemptChange:
    return AttemptChange.objects.create(
        assignment=assignment, student_id=student_id, action=action, detail=detail[:300],
        changed_by=by, changed_at=now,
    )


def _announce(*, assignment_id: int, student_ids) -> None:
    ids = sorted(student_ids)
    transaction.on_commit(
        lambda: scores_changed.send(sender=Attempt, assignment_id=assignment_id, student_ids=ids),
        robust=True,
    )


def check_override(*, assignment, due_at, time_limit_minutes, extra_attempts) -> None:
    if not due_at and not time_limit_minutes and not extra_attempts:
        raise OverrideError("Give a later due date, more time or extra attempts.")
    if due_at and due_at <= assignment.due_at:
        raise OverrideError(
            "An override's due date must be later than the assignment's own."
        )
    if time_limit_minutes:
        if not assignment.time_limit_minutes:
            raise OverrideError("This assignment has no time limit to lengthen.")
        if not assignment.time_limit_minutes < time_limit_minutes <= MAX_TIME_LIMIT_MINUTES:
            raise OverrideError(
                f"More time means more than the assignment's {assignment.time_limit_minutes}"
                f" minutes, and at most {MAX_TIME_LIMIT_MINUTES}."
            )
    if not 0 <= (extra_attempts or 0) <= MAX_EXTRA_ATTEMPTS:
        raise OverrideError(f"Extra attempts go from 0 to {MAX_EXTRA_ATTEMPTS}.")


@transaction.atomic
def set_override(
    *, assignment: Assignment, student_ids, by, due_at=None, time_limit_minutes=None,
    extra_attempts=0, now=None,
) -> list[StudentOverride]:
    """Give these students (one or several of the class) the same override, replacing any
    they had. An attempt of theirs still running gets the deadline the new limits give."""
    now = now or timezone.now()
    check_override(
        assignment=assignment, due_at=due_at, time_limit_minutes=time_limit_minutes,
        extra_attempts=extra_attempts,
    )
    students = _lock_students(assignment=assignment, student_ids=set(student_ids))
    saved = []
    for student_id in students:
        override, _created = StudentOverride.objects.update_or_create(
            assignment=assignment, student_id=student_id,
            defaults=dict(
                due_at=due_at, time_limit_minutes=time_limit_minutes or None,
                extra_attempts=extra_attempts or 0, created_by=by, updated_at=now,
            ),
        )
        saved.append(override)
        _apply_to_running(assignment=assignment, student_id=student_id, override=override,
                          now=now)
        _record(
            assignment=assignment, student_id=student_id, action=AttemptChange.Action.OVERRIDE,
            detail=describe_override(override), by=by, now=now,
        )
    return saved


def _apply_to_running(*, assignment, student_id, override, now) -> None:
    limits = limits_for(assignment=assignment, override=override)
    running = (
        Attempt.objects.select_for_update()
        .filter(assignment=assignment, user_id=student_id, finished_at__isnull=True)
        .order_by("pk")
    )
    for attempt in running:
        if attempt.deadline is not None and attempt.deadline < now:
            continue  # already out of time: finished as it was, not given more
        attempt.deadline = attempt_deadline(limits=limits, started_at=attempt.started_at)
        attempt.save(update_fields=["deadline"])


@transaction.atomic
def remove_override(*, assignment: Assignment, student_id: int, by, now=None) -> bool:
    now = now or timezone.now()
    _lock_students(assignment=assignment, student_ids={student_id})
    removed, _ = StudentOverride.objects.filter(
        assignment=assignment, student_id=student_id
    ).delete()
    if removed:
        _apply_to_running(assignment=assignment, student_id=student_id, override=None, now=now)
        _record(
            assignment=assignment, student_id=student_id,
            action=AttemptChange.Action.OVERRIDE_REMOVED, detail="", by=by, now=now,
        )
    return bool(removed)


def _locked_attempt(*, attempt: Attempt) -> Attempt:
    _lock_students(assignment=attempt.assignment, student_ids={attempt.user_id})
    locked = Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
    if locked is None:  # reset by another request meanwhile
        raise OverrideError("This attempt has been reset already.", status=404)
    return locked


def _score_words(attempt: Attempt) -> str:
    percent = attempt.percent
    return f"attempt {attempt.number}" + (f" ({percent}%)" if percent is not None else "")


@transaction.atomic
def reset_attempt(*, attempt: Attempt, by, now=None) -> None:
    """Delete the attempt so the student can start again (its number comes free)."""
    now = now or timezone.now()
    attempt = _locked_attempt(attempt=attempt)
    _record(
        assignment=attempt.assignment, student_id=attempt.user_id,
        action=AttemptChange.Action.RESET,
        detail=f"{_score_words(attempt)} deleted, started {attempt.started_at.isoformat()}",
        by=by, now=now,
    )
    attempt.delete()
    _announce(assignment_id=attempt.assignment_id, student_ids=[attempt.user_id])


@transaction.atomic
def reopen_attempt(*, attempt: Attempt, by, deadline: datetime, now=None) -> Attempt:
    """Open a handed-in or timed-out attempt again until `deadline`: the student goes on
    with the questions left unanswered; the answers given stay."""
    now = now or timezone.now()
    if deadline <= now:
        raise OverrideError("A reopened attempt needs a deadline in the future.")
    attempt = _locked_attempt(attempt=attempt)
    if attempt.finished_at is None:
        raise OverrideError("This attempt is still open.", status=409)
    if not attempt.responses.filter(answered_at__isnull=True).exists():
        raise OverrideError(
            "Every question of this attempt is answered: there is nothing to reopen it for. "
            "Reset it to let the student start again.", status=409,
        )
    detail = (
        f"{_score_words(attempt)} ({attempt.get_ended_display().lower() or 'finished'}) "
        f"reopened until {deadline.isoformat()}"
    )
    attempt.finished_at, attempt.score, attempt.ended = None, None, ""
    attempt.deadline = deadline
    attempt.save(update_fields=["finished_at", "score", "ended", "deadline"])
    _record(
        assignment=attempt.assignment, student_id=attempt.user_id,
        action=AttemptChange.Action.REOPEN, detail=detail, by=by, now=now,
    )
    _announce(assignment_id=attempt.assignment_id, student_ids=[attempt.user_id])
    return attempt
