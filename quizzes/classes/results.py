"""What an instructor reads about an assignment: each student's result, item analysis, review
targets met, and class mastery per lesson."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, TextField, When
from django.db.models.functions import Cast
from django.utils import timezone

from quizzes.bank.kinds import MARKED_KINDS, UNSCORED_KINDS
from quizzes.bank.models import Question, QuestionKind, QuestionVersion
from quizzes.classes.item_analysis import (
    AnswerRecord,
    analyse_items,
    describe_answer,
)
from quizzes.classes.marking import awaiting_marks
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.classes.overrides import limits_for, overrides_by_student
from quizzes.classes.review_targets import review_shares
from quizzes.classes.status import (
    Status,
    attempt_status,
    counted_attempt,
    with_awaiting_grading,
)
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt, Response

# --- instructor results ----------------------------------------------------------------------


@dataclass
class StudentResult:
    student: object  # a User with its id and username
    joined_at: datetime | None  # when they joined the class
    status: str
    attempts: list
    counted: Attempt | None
    answered_now: int | None = None  # answers so far in an attempt in progress
    review_cards: int = 0
    review_at_target: int = 0
    limits: object = None  # the student's own (quizzes/classes/overrides.py)

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
    """The rows are complete when this is made: the summaries below are read from them once
    (the page shows each of them more than once)."""

    assignment: Assignment
    rows: list[StudentResult]
    now: datetime

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @cached_property
    def finished_count(self) -> int:
        return sum(1 for row in self.rows if row.counted is not None)

    @cached_property
    def in_progress_count(self) -> int:
        return self.count(Status.IN_PROGRESS)

    @property
    def is_live(self) -> bool:
        """Worth polling: the assignment still takes work, or someone is still working."""
        a = self.assignment
        return self.now < a.due_at or a.late_allowed or self.in_progress_count > 0

    @cached_property
    def mean_percent(self) -> int | None:
        scores = [score for score in (row.percent for row in self.rows) if score is not None]
        return round(sum(scores) / len(scores)) if scores else None


def active_enrollments(*, classroom: Classroom):
    return (
        classroom.enrollments.filter(removed_at__isnull=True)
        .select_related("student")
        .order_by("student__username", "id")
    )


def _enrolled_students(*, classroom: Classroom) -> list[tuple]:
    """(student, joined_at) of each current student, by username. A results row names the
    student and nothing else of the user row is read, so each is a User with its id and
    username only, made from a plain row: a class of 300 would spend more time building
    300 enrolments and 300 full users than on all its attempts."""
    rows = active_enrollments(classroom=classroom).values_list(
        "student_id", "student__username", "joined_at"
    )
    user, db = Enrollment._meta.get_field("student").related_model, rows.db
    return [
        (user.from_db(db, ["id", "username"], (student_id, username)), joined_at)
        for student_id, username, joined_at in rows
    ]


def assignment_results(*, assignment: Assignment, now=None) -> AssignmentResults:
    """One row per current student: counted score, time, attempts, status and any override
    of their limits. Five queries."""
    now = now or timezone.now()
    engine.finish_overdue_attempts(now=now, assignment=assignment)
    enrolled = _enrolled_students(classroom=assignment.classroom)
    own_overrides = overrides_by_student(assignment=assignment)
    by_student = defaultdict(list)
    attempts = Attempt.objects.filter(assignment=assignment).defer("recipe").annotate(
        answered=Count("responses", filter=Q(responses__answered_at__isnull=False)),
        awaiting_marks=awaiting_marks(),
    )
    for attempt in attempts.order_by("number"):
        by_student[attempt.user_id].append(attempt)
    rows = []
    usual = limits_for(assignment=assignment)  # frozen: shared by every student without one
    for student, joined_at in enrolled:
        own = by_student.get(student.pk, [])
        in_progress = next((a for a in own if a.finished_at is None), None)
        override = own_overrides.get(student.pk)
        limits = usual if override is None else limits_for(
            assignment=assignment, override=override
        )
        rows.append(
            StudentResult(
                student=student, joined_at=joined_at, limits=limits,
                status=attempt_status(
                    assignment=assignment, attempts=own, now=now, limits=limits,
                    joined_at=joined_at,
                ),
                attempts=own, counted=counted_attempt(attempts=own, counting=assignment.counting),
                answered_now=in_progress.answered if in_progress else None,
            )
        )
    if assignment.kind == Assignment.Kind.QUIZ:
        with_awaiting_grading(rows)
    if assignment.kind == Assignment.Kind.REVIEW:
        shares = review_shares(
            assignments=[assignment], student_ids=[student.pk for student, _ in enrolled], now=now
        )[assignment.pk]
        for row in rows:
            row.review_cards, row.review_at_target = shares.get(row.student.pk, (0, 0))
    return AssignmentResults(assignment=assignment, rows=rows, now=now)


KIND_LABELS = dict(QuestionKind.choices)


@dataclass(frozen=True)
class ItemRow:
    """A question of the item analysis as the answered version said it."""

    pk: int
    prompt: str
    kind: str
    version_number: int | None

    def get_kind_display(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def assignment_item_analysis(*, results: AssignmentResults):
    """Item statistics over each student's counted attempt, per question version (see
    quizzes/classes/item_analysis.py for what counts). Three queries: the answers as plain
    rows, each question once and each version once (a class of 300 gives 3,000 rows over a
    few dozen questions, so building a Response and a Question per row was most of the
    page's time). Returns (the question as that version said it, its stats) pairs."""
    counted = {row.counted.pk: row.student.pk for row in results.rows if row.counted is not None}
    totals = {row.student.pk: row.percent or 0 for row in results.rows if row.counted}
    rows = list(
        # A description is in no item analysis, and a written answer only once it is marked.
        Response.objects.filter(attempt_id__in=counted)
        .exclude(question__kind__in=UNSCORED_KINDS)
        .exclude(question__kind__in=MARKED_KINDS, marked_at__isnull=True)
        # Only a wrong answer is read, as its stored JSON text: the same wrong answer to the
        # same question is decoded and described once (the rest of a row is two flags).
        .annotate(
            reached=ExpressionWrapper(Q(answered_at__isnull=False), output_field=BooleanField()),
            wrong_answer=Case(
                When(
                    ~Q(is_correct=True) & Q(answered_at__isnull=False),
                    then=Cast("answer", TextField()),
                ),
                default=None, output_field=TextField(),
            ),
        )
        .values_list("attempt_id", "question_id", "version_id", "is_correct", "wrong_answer",
                     "reached")
    )
    questions = Question.objects.only("id", "kind", "prompt", "body").in_bulk(
        {row[1] for row in rows}
    )
    versions = QuestionVersion.objects.only(
        "id", "question_id", "number", "kind", "prompt", "body"
    ).in_bulk({row[2] for row in rows if row[2] is not None})
    described = {}
    records = []
    for attempt_id, question_id, version_id, is_correct, answer, reached in rows:
        right = bool(is_correct)
        if answer is None:
            answer_text = None
        else:
            key = (question_id, version_id, answer)
            if key not in described:
                said = versions.get(version_id) or questions[question_id]
                described[key] = describe_answer(
                    kind=said.kind, body=said.body, answer=json.loads(answer)
                )
            answer_text = described[key]
        records.append(
            AnswerRecord(
                student_id=counted[attempt_id],
                question_id=question_id,
                version_id=version_id,
                reached=bool(reached),
                is_correct=right,
                answer_text=answer_text,
            )
        )
    stats = analyse_items(records=records, totals=totals)
    return [(_as_answered(questions[item.question_id], versions, item), item) for item in stats]


def _as_answered(question, versions, item) -> ItemRow:
    version = versions.get(item.version_id)
    said = version or question
    return ItemRow(
        pk=question.pk, prompt=said.prompt, kind=said.kind,
        version_number=version.number if version else None,
    )


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
    class's current students: the answers given, never the questions not reached (the same
    rule as item analysis, quizzes/classes/item_analysis.py). One query."""
    rows = (
        Response.objects.filter(
            attempt__assignment__classroom=classroom,
            attempt__finished_at__isnull=False,
            attempt__user__enrollments__classroom=classroom,
            attempt__user__enrollments__removed_at__isnull=True,
            answered_at__isnull=False,
        )
        .exclude(question__kind__in=UNSCORED_KINDS)
        .exclude(question__kind__in=MARKED_KINDS, marked_at__isnull=True)
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
