"""Assignments: creating them, starting attempts under every limit, and who did what.

Every limit is checked against the server's clock (`now`, defaulting to timezone.now()), never
anything the browser sends. The attempt itself is the quiz engine's
(quizzes.practice.attempts); this module decides whether a student may start one and which
questions it holds.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from quizzes.bank.models import HiddenQuestion, Question, QuestionKind
from quizzes.classes.item_analysis import (
    AnswerRecord,
    analyse_items,
    describe_answer,
    rank_hardest_cards,
)
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.common.refusals import Refusal
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt, Response
from quizzes.review.models import Card, CardState, Review
from quizzes.review.scheduling import retrievability

MAX_QUESTIONS = 50
MAX_ATTEMPTS = 10
MAX_TIME_LIMIT_MINUTES = 300


class AssignmentError(Refusal):
    """A refusal a student or instructor should read, with the HTTP status that fits it."""

    status = 403


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    LATE = "late"
    MISSED = "missed"

    LABELS = {
        NOT_STARTED: "Not started",
        IN_PROGRESS: "In progress",
        SUBMITTED: "Submitted",
        LATE: "Submitted late",
        MISSED: "Missed",
    }


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j M Y, H:i')} ({timezone.get_current_timezone_name()})"


# --- creating and editing ------------------------------------------------------------------

_SCALAR_FIELDS = (
    "title", "kind", "instructions", "question_kinds", "question_count", "opens_at", "due_at",
    "time_limit_minutes", "attempts_allowed", "counting", "feedback_timing", "late_allowed",
    "target_retrievability",
)


@transaction.atomic
def create_assignment(*, classroom: Classroom, lessons=(), questions=(), **values) -> Assignment:
    assignment = Assignment(classroom=classroom)
    return _save(assignment=assignment, lessons=lessons, questions=questions, values=values)


@transaction.atomic
def update_assignment(*, assignment: Assignment, lessons=(), questions=(), **values) -> Assignment:
    return _save(assignment=assignment, lessons=lessons, questions=questions, values=values)


def _save(*, assignment, lessons, questions, values) -> Assignment:
    unknown = set(values) - set(_SCALAR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown assignment fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(assignment, name, value)
    assignment.full_clean(exclude=["classroom"])
    assignment.save()
    assignment.lessons.set(lessons)
    assignment.questions.set(questions)
    return assignment


def kind_mix(*, kinds, count: int) -> list[tuple[str, int]]:
    """Split `count` over `kinds` the same way for every student: even shares, the remainder
    to the first kinds listed (in the order QuestionKind declares them)."""
    ordered = [kind for kind in QuestionKind.values if kind in set(kinds)]
    if not ordered:
        return []
    share, extra = divmod(count, len(ordered))
    mix = [(kind, share + (1 if index < extra else 0)) for index, kind in enumerate(ordered)]
    return [(kind, n) for kind, n in mix if n]


def _pool(*, instructor, lesson_ids, kinds):
    # The same candidates the engine's draw_questions considers for this instructor.
    pool = Question.objects.drawable_for(instructor).exclude(
        pk__in=HiddenQuestion.objects.filter(instructor=instructor).values("question_id")
    )
    if lesson_ids:
        pool = pool.filter(lesson_id__in=lesson_ids)
    if kinds:
        pool = pool.filter(kind__in=kinds)
    return pool


def pool_counts(*, instructor, lesson_ids, kinds) -> dict[str, int]:
    """How many questions of each kind a draw could use: active, not hidden by the instructor,
    at most one per content item (as the engine draws them). For validating a recipe."""
    items = defaultdict(set)
    rows = _pool(instructor=instructor, lesson_ids=lesson_ids, kinds=kinds).values_list(
        "kind", "item_type_id", "item_id", "pk"
    )
    for kind, item_type_id, item_id, pk in rows:
        items[kind].add((item_type_id, item_id) if item_id is not None else ("q", pk))
    return {kind: len(found) for kind, found in items.items()}


def question_pool(*, assignment: Assignment):
    """The questions an assignment can hold: its hand-picked ones, or what its recipe draws from."""
    if assignment.pk and assignment.questions.exists():
        return assignment.questions.active().select_related("lesson").order_by("id")
    pool = _pool(
        instructor=assignment.classroom.instructor,
        lesson_ids=[lesson.pk for lesson in assignment.lessons.all()],
        kinds=assignment.question_kinds,
    )
    return pool.select_related("lesson").order_by("lesson__order", "kind", "id")


# --- starting attempts ---------------------------------------------------------------------


def attempt_seed(*, assignment_id: int, student_id: int, number: int) -> int:
    """Stable per (assignment, student, attempt): a student who reloads gets the same draw."""
    digest = hashlib.sha256(f"assignment:{assignment_id}:{student_id}:{number}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def draw_for_student(*, assignment: Assignment, seed: int) -> tuple[list, dict]:
    """The questions for one attempt and the recipe that produced them."""
    picked = list(assignment.questions.active().order_by("id"))
    if picked:
        random.Random(seed).shuffle(picked)
        return picked, {"questions": [q.pk for q in picked]}
    lesson_ids = [lesson.pk for lesson in assignment.lessons.all()] or None
    instructor = assignment.classroom.instructor
    drawn: list = []
    excluded: set[int] = set()

    def draw(kinds, n):
        found = engine.draw_questions(
            lesson_ids=lesson_ids, kinds=kinds, count=n, seed=seed,
            exclude_ids=tuple(sorted(excluded)), hidden_for=instructor,
        )
        drawn.extend(found)
        excluded.update(_same_item_ids(found))

    # One draw per kind, so every student gets the same number of each type; questions on
    # an item already drawn are excluded, so one question never gives another away.
    for kind, n in kind_mix(kinds=assignment.question_kinds, count=assignment.question_count):
        draw([kind], n)
    if 0 < len(drawn) < assignment.question_count:  # a kind ran short: fill up from the rest
        draw(list(assignment.question_kinds), assignment.question_count - len(drawn))
    random.Random(seed).shuffle(drawn)
    recipe = {
        "lessons": lesson_ids or [],
        "kinds": list(assignment.question_kinds),
        "count": assignment.question_count,
    }
    return drawn, recipe


def _same_item_ids(questions) -> set[int]:
    """The ids of the questions and of every question made from the same content items."""
    ids = {q.pk for q in questions}
    items = {(q.item_type_id, q.item_id) for q in questions if q.item_id is not None}
    if items:
        for pk, item_type_id, item_id in Question.objects.filter(
            item_id__in={item_id for _, item_id in items}
        ).values_list("pk", "item_type_id", "item_id"):
            if (item_type_id, item_id) in items:
                ids.add(pk)
    return ids


def attempt_deadline(*, assignment: Assignment, started_at: datetime) -> datetime | None:
    candidates = []
    if assignment.time_limit_minutes:
        candidates.append(started_at + timedelta(minutes=assignment.time_limit_minutes))
    if not assignment.late_allowed:
        candidates.append(assignment.due_at)
    return min(candidates) if candidates else None


def start_assignment_attempt(*, assignment: Assignment, student, now=None) -> Attempt:
    """Start (or resume) the student's attempt, or raise AssignmentError saying why not."""
    now = now or timezone.now()
    classroom = assignment.classroom
    if not Enrollment.objects.filter(
        classroom=classroom, student=student, removed_at__isnull=True
    ).exists():
        raise AssignmentError("You are not a student in this class.", status=404)
    if assignment.kind != Assignment.Kind.QUIZ:
        raise AssignmentError(
            "This assignment is a flashcard review: do it on the Review page.", status=400
        )
    if classroom.archived_at is not None:
        raise AssignmentError("This class is archived and takes no more attempts.", status=403)

    engine.finish_overdue_attempts(now=now, user=student, assignment=assignment)
    attempts = Attempt.objects.filter(user=student, assignment=assignment)
    unfinished = attempts.filter(finished_at__isnull=True).order_by("-number").first()
    if unfinished is not None:
        return unfinished

    if now < assignment.opens_at:
        raise AssignmentError(f"This assignment opens on {_when(assignment.opens_at)}.")
    if now >= assignment.due_at and not assignment.late_allowed:
        raise AssignmentError(
            f"This assignment was due on {_when(assignment.due_at)}; it no longer takes attempts."
        )
    summary = attempts.aggregate(used=Count("id"), last=Max("number"))
    if summary["used"] >= assignment.attempts_allowed:
        allowed = assignment.attempts_allowed
        raise AssignmentError(
            f"You have used {'your one attempt' if allowed == 1 else f'all {allowed} attempts'}"
            " at this assignment.",
            status=409,
        )
    # The unique (user, assignment, number) constraint turns a race between two starts into
    # an IntegrityError for the loser, whatever the database's isolation level.
    number = (summary["last"] or 0) + 1
    seed = attempt_seed(assignment_id=assignment.pk, student_id=student.pk, number=number)
    questions, recipe = draw_for_student(assignment=assignment, seed=seed)
    if not questions:
        raise AssignmentError(
            "This assignment has no questions to draw. Please tell your instructor.", status=409
        )
    try:
        with transaction.atomic():
            return engine.start_attempt(
                user=student, questions=questions, seed=seed, assignment=assignment,
                number=number, deadline=attempt_deadline(assignment=assignment, started_at=now),
                recipe=recipe, now=now,
            )
    except (IntegrityError, engine.AttemptConflict):
        raise AssignmentError(
            "Another attempt at this assignment was started at the same moment. "
            "Open it from My assignments.",
            status=409,
        ) from None


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


def attempt_status(*, assignment: Assignment, attempts, now) -> str:
    if any(is_open_attempt(attempt=a, now=now) for a in attempts):
        return Status.IN_PROGRESS
    counted = counted_attempt(attempts=attempts, counting=assignment.counting)
    if counted is not None:
        return Status.LATE if counted.finished_at > assignment.due_at else Status.SUBMITTED
    if now >= assignment.due_at and not assignment.late_allowed:
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

    @property
    def status_label(self) -> str:
        if self.assignment.kind == Assignment.Kind.REVIEW:
            return "Target reached" if self.review_percent == 100 else "Reviewing"
        return Status.LABELS[self.status]

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int:
        return max(0, self.assignment.attempts_allowed - len(self.attempts))


def describe_student_assignment(*, assignment: Assignment, attempts, now) -> StudentAssignment:
    attempts = sorted(attempts, key=lambda a: a.number)
    status = attempt_status(assignment=assignment, attempts=attempts, now=now)
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
        assignments.select_related("classroom")
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
        describe_student_assignment(assignment=a, attempts=a.own_attempts, now=now)
        for a in assignments
    ]
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


# --- review assignments ----------------------------------------------------------------------


def review_shares(*, assignments, student_ids, now) -> dict[int, dict[int, tuple[int, int]]]:
    """For each review assignment: {student_id: (cards, cards at or above the target)}.

    Three queries whatever the number of assignments, students or cards.
    """
    lessons_of = {a.pk: {lesson.pk for lesson in a.lessons.all()} for a in assignments}
    all_lessons = set().union(*lessons_of.values()) if lessons_of else set()
    cards_by_lesson = defaultdict(list)
    for card_id, lesson_id in Card.objects.filter(
        lesson_id__in=all_lessons, retired_at__isnull=True
    ).values_list("id", "lesson_id"):
        cards_by_lesson[lesson_id].append(card_id)
    card_ids = [cid for ids in cards_by_lesson.values() for cid in ids]
    recall: dict[tuple[int, int], float] = {}
    for state in CardState.objects.filter(user_id__in=student_ids, card_id__in=card_ids):
        recall[(state.user_id, state.card_id)] = retrievability(state=state, now=now)
    result: dict[int, dict[int, tuple[int, int]]] = {}
    for assignment in assignments:
        cards = [cid for lid in lessons_of[assignment.pk] for cid in cards_by_lesson[lid]]
        target = assignment.target_retrievability
        result[assignment.pk] = {
            sid: (len(cards), sum(1 for cid in cards if recall.get((sid, cid), 0.0) >= target))
            for sid in student_ids
        }
    return result


@dataclass
class CardDifficulty:
    card: Card
    mean_retrievability: float
    again_count: int


def review_card_difficulty(*, assignment: Assignment, student_ids, now) -> list[CardDifficulty]:
    """The assignment's cards, hardest first: lowest mean recall, then most Again ratings."""
    lesson_ids = [lesson.pk for lesson in assignment.lessons.all()]
    cards = {
        c.pk: c for c in Card.objects.filter(lesson_id__in=lesson_ids, retired_at__isnull=True)
    }
    recall = defaultdict(dict)
    for state in CardState.objects.filter(user_id__in=student_ids, card_id__in=cards):
        recall[state.card_id][state.user_id] = retrievability(state=state, now=now)
    agains = dict(
        Review.objects.filter(
            card_id__in=cards, user_id__in=student_ids, rating=1, undone_at__isnull=True,
            reviewed_at__gte=assignment.opens_at,
        )
        .values_list("card_id")
        .annotate(n=Count("id"))
        .values_list("card_id", "n")
    )
    ranked = rank_hardest_cards(
        recall={
            card_id: [recall[card_id].get(sid, 0.0) for sid in student_ids] for card_id in cards
        },
        again_counts=agains,
    )
    return [
        CardDifficulty(card=cards[card_id], mean_retrievability=mean, again_count=again)
        for card_id, mean, again in ranked
    ]


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
                status=attempt_status(assignment=assignment, attempts=own, now=now),
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
    """Item statistics over each student's counted attempt."""
    counted = {row.counted.pk: row for row in results.rows if row.counted is not None}
    totals = {row.student.pk: row.percent or 0 for row in results.rows if row.counted}
    responses = Response.objects.filter(attempt_id__in=counted).select_related("question")
    questions = {}
    records = []
    for response in responses:
        question = response.question
        questions[question.pk] = question
        right = bool(response.is_correct)
        records.append(
            AnswerRecord(
                student_id=counted[response.attempt_id].student.pk,
                question_id=question.pk,
                is_correct=right,
                answer_text=None if right else describe_answer(
                    kind=question.kind, body=question.body, answer=response.answer
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
