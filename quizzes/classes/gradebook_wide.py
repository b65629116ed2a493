"""The gradebook as a spreadsheet expects it: one row per student (name and username), a
column per assignment, the quizzes' scores first and the flashcard reviews' share of cards
at the target after them, in columns of their own.

It is streamed like the long format (quizzes/classes/gradebook.py): students in chunks,
each chunk's attempts and card states in a fixed number of queries, so memory holds one
chunk and the list of assignments, never the class. It starts with a UTF-8 byte-order mark,
so a spreadsheet reads accented names as they are written, and ends with the same line
saying how many rows it holds.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from itertools import batched

from django.utils import timezone

from quizzes.classes.gradebook import CHUNK_SIZE, END_LINE, _Echo, csv_safe
from quizzes.classes.models import Assignment, Classroom
from quizzes.classes.review_targets import review_shares
from quizzes.classes.status import counted_attempt
from quizzes.practice.attempts import finish_overdue_attempts
from quizzes.practice.models import Attempt

BOM = "\ufeff"


def wide_header(*, quizzes, reviews) -> list[str]:
    return (
        ["student name", "username"]
        + [f"{a.title}: score %" for a in quizzes]
        + [f"{a.title}: cards at target %" for a in reviews]
    )


def wide_gradebook_rows(
    *, classroom: Classroom, now=None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[str]]:
    """The header, then one row per student on the roster, by username: their name, their
    username, the counted score of each quiz (empty when none is handed in) and the share
    of each review's cards at the target. CSV-injection safe."""
    now = now or timezone.now()
    assignments = list(classroom.assignments.prefetch_related("lessons").order_by("due_at", "id"))
    quizzes = [a for a in assignments if a.kind == Assignment.Kind.QUIZ]
    reviews = [a for a in assignments if a.kind == Assignment.Kind.REVIEW]
    yield wide_header(quizzes=quizzes, reviews=reviews)
    if quizzes:
        finish_overdue_attempts(now=now, classroom=classroom)
    enrollments = (
        classroom.enrollments.filter(removed_at__isnull=True)
        .select_related("student")
        .order_by("student__username", "id")
        .iterator(chunk_size=chunk_size)
    )
    for chunk in batched(enrollments, chunk_size):
        student_ids = [e.student_id for e in chunk]
        attempts = defaultdict(list)
        if quizzes:
            for attempt in Attempt.objects.filter(
                assignment__classroom=classroom, user_id__in=student_ids
            ).order_by("number"):
                attempts[(attempt.user_id, attempt.assignment_id)].append(attempt)
        shares = (
            review_shares(assignments=reviews, student_ids=student_ids, now=now)
            if reviews else {}
        )
        for enrollment in chunk:
            student = enrollment.student
            row = [student.get_full_name(), student.username]
            for assignment in quizzes:
                counted = counted_attempt(
                    attempts=attempts.get((student.pk, assignment.pk), []),
                    counting=assignment.counting,
                )
                row.append(counted.percent if counted and counted.percent is not None else "")
            for assignment in reviews:
                cards, at_target = shares[assignment.pk].get(student.pk, (0, 0))
                row.append(round(100 * at_target / cards) if cards else 0)
            yield [csv_safe(cell) for cell in row]


def wide_gradebook_csv(*, classroom: Classroom, now=None) -> Iterator[str]:
    """The wide CSV, line by line: a byte-order mark, the header, a row per student, and
    the line that says how many rows it holds."""
    writer = csv.writer(_Echo())
    rows = wide_gradebook_rows(classroom=classroom, now=now)
    yield BOM + writer.writerow(next(rows))
    count = 0
    for row in rows:
        count += 1
        yield writer.writerow(row)
    yield writer.writerow([END_LINE.format(rows=count)])
