"""Assignments: creating them, starting attempts under every limit, and who did what.

Every limit is checked against the server's clock (`now`, defaulting to timezone.now()), never
anything the browser sends. The attempt itself is the quiz engine's
(quizzes.practice.attempts); this module decides whether a student may start one and which
questions it holds.
"""

import random
from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format

from quizzes.bank.models import HiddenQuestion, Question, QuestionKind
from quizzes.classes import overrides
from quizzes.classes.held_back import withheld_question_ids
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.common.refusals import Refusal
from quizzes.practice import attempts as engine
from quizzes.practice.models import Attempt

MAX_QUESTIONS = 50
MAX_ATTEMPTS = 10
MAX_TIME_LIMIT_MINUTES = 300


class AssignmentError(Refusal):
    """A refusal a student or instructor should read, with the HTTP status that fits it."""

    status = 403


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


def draw_for_student(
    *, assignment: Assignment, seed: int, exclude_ids=frozenset()
) -> tuple[list, dict]:
    """The questions for one attempt and the recipe that produced them. A generated draw
    leaves out `exclude_ids` (what the student's other open assignments hold back)."""
    picked = list(assignment.questions.active().order_by("id"))
    if picked:
        random.Random(seed).shuffle(picked)
        return picked, {"questions": [q.pk for q in picked]}
    lesson_ids = [lesson.pk for lesson in assignment.lessons.all()] or None
    instructor = assignment.classroom.instructor
    drawn: list = []
    excluded: set[int] = set(exclude_ids)

    def draw(kinds, n):
        found = engine.draw_questions(
            lesson_ids=lesson_ids, kinds=kinds, count=n, seed=seed,
            exclude_ids=tuple(sorted(excluded)), hidden_for=instructor, alongside=drawn,
        )
        drawn.extend(found)
        excluded.update(_same_item_ids(found))

    # One draw per kind, so every student gets the same number of each type; questions on
    # an item already drawn are excluded, and each draw is made alongside the questions
    # drawn before it, so no two ask one fact and none shows another's answer.
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


def attempt_deadline(*, assignment: Assignment, started_at: datetime, limits=None):
    """When an attempt closes, under the student's own limits if given (overrides.py)."""
    limits = limits or overrides.limits_for(assignment=assignment)
    return overrides.attempt_deadline(limits=limits, started_at=started_at)


def start_assignment_attempt(*, assignment: Assignment, student, now=None) -> Attempt:
    """Start (or resume) the student's attempt, or raise AssignmentError saying why not.

    The student's enrolment row is locked first, so two starts at once (a double click, two
    tabs, two app servers) go one after the other: the second resumes what the first began.
    """
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(
            classroom_id=assignment.classroom_id, student=student
        ).first()
        return _start_or_resume(assignment=assignment, student=student, now=now)


def _start_or_resume(*, assignment: Assignment, student, now=None) -> Attempt:
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

    # The student's own limits: the assignment's, or an instructor's override of them.
    limits = overrides.student_limits(assignment=assignment, student=student)
    if now < limits.opens_at:
        raise AssignmentError(f"This assignment opens on {_when(limits.opens_at)}.")
    if now >= limits.due_at and not limits.late_allowed:
        raise AssignmentError(
            f"This assignment was due on {_when(limits.due_at)}; it no longer takes attempts."
        )
    summary = attempts.aggregate(used=Count("id"), last=Max("number"))
    if summary["used"] >= limits.attempts_allowed:
        allowed = limits.attempts_allowed
        raise AssignmentError(
            f"You have used {'your one attempt' if allowed == 1 else f'all {allowed} attempts'}"
            " at this assignment.",
            status=409,
        )
    # The unique (user, assignment, number) constraint turns a race between two starts into
    # an IntegrityError for the loser, whatever the database's isolation level.
    number = (summary["last"] or 0) + 1
    # Secret and stored on the attempt (which a reload resumes), never derived from ids: a
    # known seed would tell a student their draw and option order ahead of time.
    seed = engine.new_seed()
    # Another open assignment's held-back questions must not come back here with feedback.
    withheld = withheld_question_ids(student=student, now=now, except_assignment=assignment)
    questions, recipe = draw_for_student(assignment=assignment, seed=seed, exclude_ids=withheld)
    if not questions:
        raise AssignmentError(
            "This assignment has no questions to draw. Please tell your instructor.", status=409
        )
    try:
        with transaction.atomic():
            return engine.start_attempt(
                user=student, questions=questions, seed=seed, assignment=assignment,
                number=number,
                deadline=attempt_deadline(assignment=assignment, started_at=now, limits=limits),
                recipe=recipe, now=now,
            )
    except (IntegrityError, engine.AttemptConflict):
        raise AssignmentError(
            "Another attempt at this assignment was started at the same moment. "
            "Open it from My assignments.",
            status=409,
        ) from None
