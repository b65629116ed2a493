"""Marking written answers: the instructor's grading queue, and one mark per answer.

    queue_overview(*, instructor) -> list[AssignmentQueue]      by assignment, then question
    answers_to_mark(*, instructor, assignment, question_id=None, include_marked=False)
    marked_answer(*, instructor, response_id) -> Response       404-worthy MarkRefused if not theirs
    mark_answer(*, instructor, response_id, mark, comment, seen_marked_at, now=None) -> Response

A written answer in an assignment waits, its credit None, until the class's instructor gives
it a mark out of the rubric's points (quizzes.bank.kinds.written.max_mark) and, if they
like, a comment. The credit is then mark / points, the attempt's score counts it, and
`scores_changed` is sent after the commit. The mark is written with one guarded UPDATE on
what the marker saw (`seen_marked_at`): two markers at once cannot silently overwrite one
another; the second is told and shown the first one's mark.
"""

import math
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from quizzes.bank.kinds import MARKED_KINDS
from quizzes.bank.kinds.written import max_mark, sources_of
from quizzes.classes.teaching import classes_taught
from quizzes.common.refusals import Refusal
from quizzes.common.signals import scores_changed
from quizzes.practice.attempts import rescore_finished
from quizzes.practice.models import Response

MAX_COMMENT = 2000


class MarkRefused(Refusal):
    status = 400


class NotYourAnswer(MarkRefused):
    status = 404


class MarkedMeanwhile(MarkRefused):
    status = 409


def _written_answers(*, instructor):
    """Every answered written answer in the instructor's assignments, current students only."""
    return Response.objects.filter(
        question__kind__in=MARKED_KINDS,
        answered_at__isnull=False,
        attempt__assignment__classroom__in=classes_taught(user=instructor),
        attempt__user__enrollments__classroom=F("attempt__assignment__classroom"),
        attempt__user__enrollments__removed_at__isnull=True,
    )


# --- the queue -------------------------------------------------------------------------------


@dataclass
class QuestionQueue:
    question_id: int
    prompt: str
    waiting: int


@dataclass
class AssignmentQueue:
    assignment_id: int
    class_id: int
    title: str
    class_name: str
    questions: list[QuestionQueue] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(q.waiting for q in self.questions)


def queue_overview(*, instructor) -> list[AssignmentQueue]:
    """What waits for a mark, by assignment (soonest due first) and question. One query."""
    rows = (
        _written_answers(instructor=instructor)
        .filter(marked_at__isnull=True)
        .values(
            "attempt__assignment_id", "attempt__assignment__title",
            "attempt__assignment__classroom_id", "attempt__assignment__classroom__name",
            "attempt__assignment__due_at", "question_id", "question__prompt",
        )
        .annotate(waiting=Count("id"))
        .order_by("attempt__assignment__due_at", "attempt__assignment_id", "question_id")
    )
    queues: OrderedDict[int, AssignmentQueue] = OrderedDict()
    for row in rows:
        queue = queues.setdefault(
            row["attempt__assignment_id"],
            AssignmentQueue(
                assignment_id=row["attempt__assignment_id"],
                class_id=row["attempt__assignment__classroom_id"],
                title=row["attempt__assignment__title"],
                class_name=row["attempt__assignment__classroom__name"],
            ),
        )
        queue.questions.append(
            QuestionQueue(row["question_id"], row["question__prompt"], row["waiting"])
        )
    return list(queues.values())


def answers_to_mark(*, instructor, assignment, question_id=None, include_marked=False):
    """The assignment's written answers awaiting a mark (or all of them), by question then
    student, with what the marking form shows joined in. One query."""
    answers = _written_answers(instructor=instructor).filter(attempt__assignment=assignment)
    if question_id is not None:
        answers = answers.filter(question_id=question_id)
    if not include_marked:
        answers = answers.filter(marked_at__isnull=True)
    answers = answers.select_related("question", "attempt__user").order_by(
        "question_id", "attempt__user__username", "attempt__number", "id"
    )
    listed = list(answers)
    for response in listed:
        response.max_mark = max_mark(response.question)
        response.sources = sources_of(response.question)
    return listed


def marked_answer(*, instructor, response_id) -> Response:
    """One written answer of the instructor's class, or NotYourAnswer (a 404)."""
    try:
        response = (
            _written_answers(instructor=instructor)
            .select_related("question", "attempt__user", "attempt__assignment__classroom")
            .get(pk=response_id)
        )
    except (Response.DoesNotExist, ValueError, OverflowError):
        raise NotYourAnswer("There is no such answer to mark.") from None
    response.max_mark = max_mark(response.question)
    response.sources = sources_of(response.question)
    return response


# --- marking ---------------------------------------------------------------------------------


def parse_mark(value, *, out_of: int) -> float:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        mark = float(text)
    except ValueError:
        raise MarkRefused(f"Give a mark from 0 to {out_of}.") from None
    if not math.isfinite(mark) or not 0 <= mark <= out_of:
        raise MarkRefused(f"Give a mark from 0 to {out_of}.")
    if mark * 2 != int(mark * 2):
        raise MarkRefused("Give the mark in whole or half points.")
    return mark


def mark_answer(
    *, instructor, response_id, mark, comment="", seen_marked_at=None, now=None
) -> Response:
    """Give one written answer its mark and comment; returns the response as saved.

    `seen_marked_at` is the marked_at the form was built with (None for an unmarked answer):
    the UPDATE only happens if the row still holds it."""
    now = now or timezone.now()
    response = marked_answer(instructor=instructor, response_id=response_id)
    out_of = response.max_mark
    value = parse_mark(mark, out_of=out_of)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise MarkRefused(f"A comment is at most {MAX_COMMENT} characters.")
    if "\x00" in comment:
        raise MarkRefused("The comment could not be read.")
    credit = value / out_of
    with transaction.atomic():
        guarded = Response.objects.filter(pk=response.pk, marked_at=seen_marked_at)
        if seen_marked_at is None:
            guarded = Response.objects.filter(pk=response.pk, marked_at__isnull=True)
        saved = guarded.update(
            mark=value, mark_comment=comment, marked_by=instructor, marked_at=now,
            credit=credit, is_correct=value == out_of,
        )
        if not saved:
            raise MarkedMeanwhile(
                "This answer was marked by someone else while you were marking it; their "
                "mark is shown now. Save again to replace it."
            )
        rescore_finished(attempt_ids=[response.attempt_id])
        assignment_id, student_id = response.attempt.assignment_id, response.attempt.user_id
        transaction.on_commit(
            lambda: scores_changed.send(
                sender=Response, assignment_id=assignment_id, student_ids=[student_id]
            ),
            robust=True,
        )
    response.mark, response.mark_comment, response.marked_at = value, comment, now
    response.credit, response.is_correct = credit, value == out_of
    return response


def next_to_mark(*, instructor, assignment, after_id, question_id=None) -> Response | None:
    """The first answer still awaiting a mark in the queue's order, other than `after_id`."""
    waiting = answers_to_mark(instructor=instructor, assignment=assignment, question_id=question_id)
    return next((r for r in waiting if r.pk != after_id), None)


# --- what waits, for statuses ----------------------------------------------------------------


def awaiting_marks():
    """An annotation for an Attempt queryset: how many of its written answers wait for a
    mark (so a page that lists attempts learns it in the query it makes anyway)."""
    return Count(
        "responses",
        filter=Q(
            responses__question__kind__in=sorted(MARKED_KINDS),
            responses__answered_at__isnull=False, responses__marked_at__isnull=True,
        ),
    )


def attempts_awaiting_grading(*, attempt_ids) -> set[int]:
    """Of these attempts, those holding a written answer no one has marked yet. One query."""
    if not attempt_ids:
        return set()
    return set(
        Response.objects.filter(
            attempt_id__in=list(attempt_ids), question__kind__in=MARKED_KINDS,
            answered_at__isnull=False, marked_at__isnull=True,
        ).values_list("attempt_id", flat=True).distinct()
    )
