"""The gradebook: one row per student per assignment, streamed as CSV.

Students are read in chunks with .iterator(), and each chunk's attempts and card states in
a fixed number of queries, so memory and the query count stay flat as a class grows.

A streamed file has no length known in advance, and a cut connection can end it on a row
boundary that looks like success; so the file ends with its own last line, saying how many
rows it holds ("# end of gradebook: 1200 rows"). A file without that line, or whose count
does not match, is incomplete (`complete_row_count`).
"""

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import batched

from django.utils import timezone

from quizzes.classes.models import Assignment, Classroom, Enrollment, StudentOverride
from quizzes.classes.overrides import limits_for
from quizzes.classes.review_targets import review_shares
from quizzes.classes.status import Status, attempt_status, counted_attempt
from quizzes.practice.attempts import finish_overdue_attempts
from quizzes.practice.models import Attempt

HEADER = ["student", "assignment", "score %", "status", "attempts", "submitted at"]
CHUNK_SIZE = 500
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text, prefixed with ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _review_status(*, percent: int, assignment: Assignment, now) -> str:
    if percent >= 100:
        return "target reached"
    return "below target" if now >= assignment.due_at else "reviewing"


def gradebook_rows(
    *, classroom: Classroom, now=None, tz=None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """The header, then [student, assignment, score %, status, attempts, submitted at] rows,
    CSV-injection safe, students by username and assignments by due date."""
    now = now or timezone.now()
    tz = tz or timezone.get_current_timezone()
    assignments = list(
        classroom.assignments.prefetch_related("lessons").order_by("due_at", "id")
    )
    yield HEADER
    if not assignments:
        return
    # Time limits are enforced lazily: settle the whole class's overdue attempts first.
    finish_overdue_attempts(now=now, classroom=classroom)
    reviews = [a for a in assignments if a.kind == Assignment.Kind.REVIEW]
    enrollments = (
        classroom.enrollments.filter(removed_at__isnull=True)
        .select_related("student")
        .order_by("student__username", "id")
        .iterator(chunk_size=chunk_size)
    )
    for chunk in batched(enrollments, chunk_size):
        student_ids = [e.student_id for e in chunk]
        attempts = defaultdict(list)
        for attempt in Attempt.objects.filter(
            assignment__classroom=classroom, user_id__in=student_ids
        ).order_by("number"):
            attempts[(attempt.user_id, attempt.assignment_id)].append(attempt)
        own_overrides = {
            (o.student_id, o.assignment_id): o
            for o in StudentOverride.objects.filter(
                assignment__classroom=classroom, student_id__in=student_ids
            )
        }
        shares = (
            review_shares(assignments=reviews, student_ids=student_ids, now=now)
            if reviews else {}
        )
        for enrollment in chunk:
            student = enrollment.student
            for assignment in assignments:
                if assignment.kind == Assignment.Kind.REVIEW:
                    cards, at_target = shares[assignment.pk].get(student.pk, (0, 0))
                    percent = round(100 * at_target / cards) if cards else 0
                    row = [
                        student.username, assignment.title, percent,
                        _review_status(percent=percent, assignment=assignment, now=now), "", "",
                    ]
                else:
                    own = attempts.get((student.pk, assignment.pk), [])
                    counted = counted_attempt(attempts=own, counting=assignment.counting)
                    limits = limits_for(
                        assignment=assignment,
                        override=own_overrides.get((student.pk, assignment.pk)),
                    )
                    status = attempt_status(
                        assignment=assignment, attempts=own, now=now, limits=limits,
                        joined_at=enrollment.joined_at,
                    )
                    row = [
                        student.username, assignment.title,
                        counted.percent if counted and counted.percent is not None else "",
                        Status.LABELS[status].lower(), len(own),
                        timezone.localtime(counted.finished_at, tz).isoformat(timespec="minutes")
                        if counted else "",
                    ]
                yield [csv_safe(cell) for cell in row]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


END_LINE = "# end of gradebook: {rows} rows"
_END_LINE = re.compile(r"^# end of gradebook: (\d+) rows\r?\n?$")


def gradebook_size(*, classroom: Classroom) -> int:
    """How many rows (one per student per assignment) the gradebook holds, header aside."""
    students = Enrollment.objects.filter(classroom=classroom, removed_at__isnull=True).count()
    return students * classroom.assignments.count()


def gradebook_csv(*, classroom: Classroom, now=None, tz=None) -> Iterator[str]:
    """The CSV, line by line, ending with the line that says how many rows it holds."""
    writer = csv.writer(_Echo())
    rows = gradebook_rows(classroom=classroom, now=now, tz=tz)
    yield writer.writerow(next(rows))  # the header
    count = 0
    for row in rows:
        count += 1
        yield writer.writerow(row)
    yield writer.writerow([END_LINE.format(rows=count)])


def complete_row_count(text: str) -> int | None:
    """The row count a whole gradebook file states in its last line, or None when the file
    is cut short (no end line, or one whose count does not match the rows above it)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return None
    match = _END_LINE.match(lines[-1])
    if match is None:
        return None
    stated = int(match.group(1))
    above = len(list(csv.reader(lines[1:-1])))  # quoted cells may hold line breaks
    return stated if above == stated else None
