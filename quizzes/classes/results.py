"""What an instructor reads about an assignment: each student's result, item analysis, review
targets met, and class mastery per lesson."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from quizzes.bank.models import Question
from quizzes.classes.item_analysis import (
    AnswerRecord,
    analyse_items,
    describe_answer,
)
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.classes.review_targets import review_shares
from quizzes.classes.status import Status, attempt_status, counted_attempt
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt, Response

# --- instructor results ----------------------------------------------------------------------


@dataclass
class StudentResult:
    student: object
    enrollment: Enrollment
    status: str
    attempts: list
    counted: Attempt | None
    answered_now: int | None = None  # answers so far in an attempt in progress
    review_cards: int = 0
    review_at_target: int = 0

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def percent(self) -> int | None:
        return self.counted.percent if self.counted else None

    @property
    def review_percent(self) -> int:
        return round(100 * self.review_at_target / self.review_cards) if self.review_cards else 0

    @property
    def time_taken(self) -> timedelta | None:
        if self.counted is None:
            return None
        return self.counted.finished_at - self.counted.started_at

    @property
    def time_taken_display(self) -> str:
        taken = self.time_taken
        if taken is None:
            return ""
        minutes, seconds = divmod(max(0, int(taken.total_seconds())), 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return f"{hours} h {minutes} min"
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@dataclass
class AssignmentResults:
    assignment: Assignment
    rows: list[StudentResult]
    now: datetime

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def finished_count(self) -> int:
        return sum(1 for row in self.rows if row.counted is not None)

    @property
    def in_progress_count(self) -> int:
        return self.count(Status.IN_PROGRESS)

    @property
    def is_live(self) -> bool:
        """Worth polling: the assignment still takes work, or someone is still working."""
        a = self.assignment
        return self.now < a.due_at or a.late_allowed or self.in_progress_count > 0

    @property
    def mean_percent(self) -> int | None:
        scores = [row.percent for row in self.rows if row.percent is not None]
        return round(sum(scores) / len(scores)) if scores else None


def active_enrollments(*, classroom: Classroom):
    return (
        classroom.enrollments.filter(removed_at__isnull=True)
        .select_related("student")
        .order_by("student__username", "id")
    )


def assignment_results(*, assignment: Assignment, now=None) -> AssignmentResults:
    """One row per current student: counted score, time, attempts and status. Four queries."""
    now = now or timezone.now()
    engine.finish_overdue_attempts(now=now, assignment=assignment)
    enrollments = list(active_enrollments(classroom=assignment.classroom))
    by_student = defaultdict(list)
    attempts = Attempt.objects.filter(assignment=assignment).annotate(
        answered=Count("responses", filter=Q(responses__answered_at__isnull=False))
    )
    for attempt in attempts.order_by("number"):
        by_student[attempt.user_id].append(attempt)
    rows = []
    for enrollment in enrollments:
        own = by_student.get(enrollment.student_id, [])
        in_progress = next((a for a in own if a.finished_at is None), None)
        rows.append(
            StudentResult(
                student=enrollment.student, enrollment=enrollment,
                status=attempt_status(
                    assignment=assignment, attempts=own, now=now, joined_at=enrollment.joined_at
                ),
                attempts=own, counted=counted_attempt(attempts=own, counting=assignment.counting),
                answered_now=in_progress.answered if in_progress else None,
            )
        )
    if assignment.kind == Assignment.Kind.REVIEW:
        shares = review_shares(
            assignments=[assignment], student_ids=[e.student_id for e in enrollments], now=now
        )[assignment.pk]
        for row in rows:
            row.review_cards, row.review_at_target = shares.get(row.student.pk, (0, 0))
    return AssignmentResults(assignment=assignment, rows=rows, now=now)


def assignment_item_analysis(*, results: AssignmentResults):
    """Item statistics over each student's counted attempt. Two queries: the answers as plain
    rows, then each question once (a class of 300 gives 3,000 rows over a few dozen
    questions, so building a Response and a Question per row was most of the page's time)."""
    counted = {row.counted.pk: row.student.pk for row in results.rows if row.counted is not None}
    totals = {row.student.pk: row.percent or 0 for row in results.rows if row.counted}
    rows = list(
        Response.objects.filter(attempt_id__in=counted).values_list(
            "attempt_id", "question_id", "is_correct", "answer"
        )
    )
    questions = Question.objects.only("id", "kind", "prompt", "body").in_bulk(
        {question_id for _attempt, question_id, _right, _answer in rows}
    )
    records = []
    for attempt_id, question_id, is_correct, answer in rows:
        right = bool(is_correct)
        question = questions[question_id]
        records.append(
            AnswerRecord(
                student_id=counted[attempt_id],
                question_id=question_id,
                is_correct=right,
                answer_text=None if right else describe_answer(
                    kind=question.kind, body=question.body, answer=answer
                ),
            )
        )
    stats = analyse_items(records=records, totals=totals)
    return [(questions[item.question_id], item) for item in stats]


@dataclass
class LessonMastery:
    lesson_id: int | None
    title: str
    answered: int
    right: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0


def class_mastery(*, classroom: Classroom) -> list[LessonMastery]:
    """The share of right answers per lesson, over the finished assignment attempts of the
    class's current students. One query."""
    rows = (
        Response.objects.filter(
            attempt__assignment__classroom=classroom,
            attempt__finished_at__isnull=False,
            attempt__user__enrollments__classroom=classroom,
            attempt__user__enrollments__removed_at__isnull=True,
            answered_at__isnull=False,
        )
        .values("question__lesson_id", "question__lesson__title", "question__lesson__order")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .order_by("question__lesson__order", "question__lesson_id")
    )
    return [
        LessonMastery(
            lesson_id=row["question__lesson_id"],
            title=row["question__lesson__title"] or "Questions without a lesson",
            answered=row["answered"], right=row["right"],
        )
        for row in rows
    ]
