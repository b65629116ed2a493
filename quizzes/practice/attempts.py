"""The attempt engine, shared by practice quizzes and class assignments.

    draw_questions(...) -> list[Question]          (quizzes/practice/drawing.py)
    start_attempt(*, user, questions, seed, assignment=None, number=1, deadline=None,
                  recipe=None, now=None, learn_session=None) -> Attempt
    answer_question(*, attempt, position, data, now=None, hand_in_when_done=True)
    unanswered(*, attempt) -> QuerySet[Response]
    finish_attempt(*, attempt, now=None) -> Attempt
    finish_overdue_attempts(*, now=None, user=None, assignment=None) -> int
    hand_in_open_attempts(*, user, classroom, now=None) -> int
    feedback_visible(*, attempt, now=None, released_ids=None) -> bool

Grading is on the server, always. A page never sees option keys: what it posts for an
option is an HMAC of (attempt seed, response id, key), so nothing served before an answer
lets the answer be derived, and a value copied from another attempt means nothing.
Refusals raise AttemptError subclasses carrying a sentence and an HTTP status.
"""

import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, FloatField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from quizzes.bank.grading import grade
from quizzes.bank.kinds import KINDS, UNSCORED_KINDS
from quizzes.bank.kinds.base import OverlongAnswer, UnreadableAnswer
from quizzes.bank.versions import current_version, current_versions, says_the_same
from quizzes.common.lookups import one_or_none
from quizzes.common.refusals import Refusal
from quizzes.practice import withholding
from quizzes.practice.drawing import draw_questions
from quizzes.practice.models import Attempt, Response
from quizzes.practice.positions import Scored, kinds_of, position_count

TOKEN_LENGTH = 20


# --- refusals ---------------------------------------------------------------------------


class AttemptError(Refusal):
    """A refusal with a sentence for the learner and the HTTP status that fits it."""


class InvalidAnswer(AttemptError):
    status = 400


class AnswerTooLong(AttemptError):
    status = 413


class UnknownPosition(AttemptError):
    status = 404


class AlreadyAnswered(AttemptError):
    status = 409


class AttemptFinished(AttemptError):
    status = 409


class DeadlinePassed(AttemptError):
    status = 409


class AttemptConflict(AttemptError):
    status = 409


class NoQuestions(AttemptError):
    status = 400


# --- opaque option values ---------------------------------------------------------------


def option_token(*, attempt, response_id: int, key: str) -> str:
    """What a page posts for an option: meaningless outside this attempt and response."""
    message = f"{attempt.seed}:{response_id}:{key}"
    return salted_hmac("quizzes.practice.attempts.option", message, algorithm="sha256").hexdigest()[
        :TOKEN_LENGTH
    ]


def tokens_for(*, attempt, response_id: int, keys) -> dict[str, str]:
    """{token: key} for the given keys."""
    return {option_token(attempt=attempt, response_id=response_id, key=key): key for key in keys}


def _lookup(tokens: dict[str, str], value: str) -> str | None:
    for token, key in tokens.items():
        if constant_time_compare(token, value):
            return key
    return None


def option_rng(*, attempt, response) -> random.Random:
    """Option order for one response of one attempt: a new attempt, a new order."""
    return random.Random(f"{attempt.seed}:{response.position}:{response.question_id}")


@dataclass(frozen=True)
class ResponseTokens:
    """The opaque values of one response, as the kinds ask for them (kinds.base.Tokens)."""

    attempt: Attempt
    response_id: int

    def token(self, key: str) -> str:
        return option_token(attempt=self.attempt, response_id=self.response_id, key=key)

    def key_for(self, value: str, keys) -> str | None:
        if len(value) != TOKEN_LENGTH:  # no HMAC work for what cannot be a token
            return None
        return _lookup(
            tokens_for(attempt=self.attempt, response_id=self.response_id, keys=keys), value
        )


# --- reading posted data ----------------------------------------------------------------


def decode_answer(*, attempt, response, data) -> dict:
    """Turn posted form data into the canonical answer, or refuse it."""
    question = response.question
    kind = KINDS.get(question.kind)
    if kind is None:
        raise InvalidAnswer("This question cannot be answered here.")
    tokens = ResponseTokens(attempt=attempt, response_id=response.pk)
    try:
        return kind.read_answer(question=question, data=data, tokens=tokens)
    except OverlongAnswer as refused:
        raise AnswerTooLong(refused.message) from None
    except UnreadableAnswer as refused:
        raise InvalidAnswer(refused.message) from None


# --- drawing and starting ---------------------------------------------------------------


def start_attempt(
    *,
    user,
    questions,
    seed: int,
    assignment=None,
    number: int = 1,
    deadline=None,
    recipe=None,
    now=None,
    learn_session=None,
) -> Attempt:
    """Create the attempt and one unanswered Response per question, in the given order."""
    now = now or timezone.now()
    questions = list(questions)
    question_ids = list(dict.fromkeys(getattr(q, "pk", q) for q in questions))
    if not question_ids:
        raise NoQuestions("There are no questions to ask for that choice.")
    # A description is shown in its place but counts in no score: question_count is what
    # is scored, and the recipe names the positions that are not.
    unscored = [
        position for position, kind in enumerate(kinds_of(questions, question_ids))
        if kind in UNSCORED_KINDS
    ]
    recipe = {key: value for key, value in (recipe or {}).items() if key != "unscored"}
    if unscored:
        recipe["unscored"] = unscored
    try:
        with transaction.atomic():
            versions = current_versions(question_ids=question_ids, now=now)
            attempt = Attempt.objects.create(
                user=user,
                assignment=assignment,
                number=number,
                recipe=recipe,
                seed=seed,
                started_at=now,
                deadline=deadline,
                question_count=len(question_ids) - len(unscored),
                learn_session=learn_session,
            )
            Response.objects.bulk_create(
                Response(
                    attempt=attempt, position=position, question_id=question_id,
                    version=versions.get(question_id),
                )
                for position, question_id in enumerate(question_ids)
            )
    except IntegrityError as error:
        raise AttemptConflict("That attempt has already been started.") from error
    return attempt


# --- answering and finishing -------------------------------------------------------------


RESPONSE_JOINS = (
    "question__section__lesson",
    "question__citation__source",
    "question__editor_note",
    "version",
)
MAX_POSITION = 10_000  # far past any attempt's length; a larger number is no position


def response_at(*, attempt, position: int) -> Response:
    """The response at a position, with all the feedback needs in the same query.

    The version's own citation and note are not joined: a version says what its question
    says (as_version then keeps the question's), except after an edit, when as_version
    reads the version's from their ids. Each join is a cost every answer pays."""
    if not isinstance(position, int) or not 0 <= position < max(position_count(attempt), 1):
        raise UnknownPosition("This attempt has no question at that position.")
    try:
        return Response.objects.select_related(*RESPONSE_JOINS).get(
            attempt=attempt, position=position
        )
    except (Response.DoesNotExist, ValueError, OverflowError):
        raise UnknownPosition("This attempt has no question at that position.") from None


def own_response(*, user, attempt_id, position) -> Response | None:
    """The learner's response at `position` of their attempt, with the attempt (and its
    assignment) and all the feedback needs, in one query: the answer post's first read.
    None when there is none, which the caller tells apart (not theirs, or no such place)."""
    if not isinstance(position, int) or not 0 <= position <= MAX_POSITION:
        return None
    try:
        response = one_or_none(Response.objects.select_related(
            "attempt__assignment", *RESPONSE_JOINS
        ).filter(attempt_id=attempt_id, attempt__user=user, position=position))
    except (ValueError, OverflowError):
        return None
    if response is not None:
        response.attempt.user = user  # the same person: saves a query wherever it is read
    return response


def answer_question(
    *, attempt, position: int, data, now=None, hand_in_when_done: bool = True, response=None
) -> Response:
    """Grade and save one answer at once; a repeat of the same answer counts once.

    Only the answer fields of `data` are read: a posted score, correct or user is ignored.
    `response`: that position's, when the caller has read it (own_response).
    """
    from quizzes.review.scheduling import apply_quiz_evidence, plan_quiz_evidence

    now = now or timezone.now()
    if attempt.finished_at is not None:
        raise AttemptFinished("This attempt is finished; its answers can no longer change.")
    if attempt.deadline is not None and now > attempt.deadline:
        finish_attempt(attempt=attempt, now=now)
        raise DeadlinePassed("Time is up for this attempt: it has been handed in as it was.")
    if response is None or response.attempt_id != attempt.pk or response.position != position:
        response = response_at(attempt=attempt, position=position)
    submitted = decode_answer(attempt=attempt, response=response, data=data)
    if response.answered_at is not None:
        return _repeat(response, submitted)

    # A new answer is graded against the question as it is now (its current version), which
    # is the one drawn unless the question was edited since.
    version = response.version
    if not says_the_same(response.question, version):
        version = current_version(question=response.question, now=now)
    kind = KINDS[response.question.kind]
    if kind.graded_on_answer:
        result = grade(question=response.question, submitted=submitted)
        credit, is_correct, close_match = result.credit, result.is_correct, result.close_match
        # Everything that can be worked out before the write lock is: the grade, the cards,
        # the learner's states and fsrs's new schedule. Inside it only the rows that change.
        evidence = plan_quiz_evidence(
            user=attempt.user, question=response.question, is_correct=is_correct,
            answered_at=now,
        )
    else:  # a written answer waits for its rating or mark; a description for nothing
        credit, is_correct, close_match, evidence = None, None, False, []
    with transaction.atomic():
        # The attempt's row is locked first, so its answers and its hand-in go one at a time
        # on every database. The UPDATE below then names only its own row: a filter through
        # the attempt would be a subquery, which PostgreSQL does not re-check for a request
        # that waited on the row lock, so two requests could both store an answer.
        if _locked_attempt(attempt).finished_at is not None:
            raise AttemptFinished("This attempt is finished; its answers can no longer change.")
        saved = Response.objects.filter(pk=response.pk, answered_at__isnull=True).update(
            answer=submitted,
            credit=credit,
            is_correct=is_correct,
            close_match=close_match,
            answered_at=now,
            version=version,
        )
        if not saved:  # another request got there first: the stored answer stands
            response.refresh_from_db(fields=ANSWER_FIELDS)
            return _repeat(response, submitted)
        response.answer, response.credit = submitted, credit
        response.is_correct, response.close_match = is_correct, close_match
        response.answered_at, response.version = now, version
        apply_quiz_evidence(user=attempt.user, plans=evidence, response=response)
    # With `hand_in_when_done` the last answer hands the attempt in. The attempt page asks
    # so only for a practice quiz: an assignment's student reviews their answers first and
    # hands in themselves (or the deadline does).
    # After the lock: handing in is idempotent, so two last answers at once both may try.
    if hand_in_when_done and not unanswered(attempt=attempt).exists():
        finish_attempt(attempt=attempt, now=now)
    return response


def unanswered(*, attempt):
    """The attempt's responses still waiting for an answer, in order."""
    return Response.objects.filter(attempt=attempt, answered_at__isnull=True).order_by("position")


ANSWER_FIELDS = ["answer", "credit", "is_correct", "close_match", "answered_at"]


def _locked_attempt(attempt) -> Attempt:
    locked = one_or_none(
        Attempt.objects.select_for_update().only("finished_at").filter(pk=attempt.pk)
    )
    if locked is None:  # an instructor reset it (quizzes/classes/overrides.py) meanwhile
        raise AttemptFinished("This attempt was reset by your instructor; start it again.")
    return locked


def _repeat(response, submitted) -> Response:
    if response.answer == submitted:
        return response
    raise AlreadyAnswered("This question has already been answered; an answer cannot change.")


def _score_subquery():
    total = (
        Response.objects.filter(attempt=OuterRef("pk"))
        .values("attempt")
        .annotate(total=Sum("credit"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=FloatField()), Value(0.0))


# Sent once the transaction that finished an attempt commits, with `attempt`: whoever
# keeps a copy of the score elsewhere (a learning platform's gradebook) listens.
attempt_finished = Signal()


def finish_attempt(*, attempt, now=None, ended=None) -> Attempt:
    """Hand the attempt in: score = sum of credit. Doing it twice changes nothing.

    Past its deadline it is timed out, at the deadline; before it, handed in (or `ended`)."""
    now = now or timezone.now()
    timed_out = attempt.deadline is not None and now > attempt.deadline
    finished_at = attempt.deadline if timed_out else now
    ended = Attempt.Ended.TIMED_OUT if timed_out else (ended or Attempt.Ended.HANDED_IN)
    finished = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
        finished_at=finished_at, score=_score_subquery(), ended=ended
    )
    attempt.refresh_from_db(fields=["finished_at", "score", "ended"])
    if finished:
        transaction.on_commit(
            lambda: attempt_finished.send(sender=Attempt, attempt=attempt), robust=True
        )
    return attempt


def rescore_finished(*, attempt_ids) -> int:
    """Score finished attempts again from their responses' credit (a written answer rated
    or marked after the hand-in); one UPDATE; returns how many."""
    return Attempt.objects.filter(pk__in=attempt_ids, finished_at__isnull=False).update(
        score=_score_subquery()
    )


def finish_overdue_attempts(*, now=None, user=None, assignment=None, classroom=None) -> int:
    """Finish and score every open attempt past its deadline (of one learner, assignment or
    class, or all); one UPDATE whatever the number; returns how many."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(finished_at__isnull=True, deadline__lt=now)
    if user is not None:
        overdue = overdue.filter(user=user)
    if assignment is not None:
        overdue = overdue.filter(assignment=assignment)
    if classroom is not None:
        overdue = overdue.filter(assignment__classroom=classroom)
    return overdue.update(
        finished_at=F("deadline"), score=_score_subquery(), ended=Attempt.Ended.TIMED_OUT
    )


def hand_in_open_attempts(*, user, classroom, now=None) -> int:
    """Finish and score every open attempt of a learner at one class's assignments, as they
    are (a removed student's); two UPDATEs whatever the number; returns how many."""
    now = now or timezone.now()
    finished = finish_overdue_attempts(now=now, user=user, classroom=classroom)
    return finished + Attempt.objects.filter(
        user=user, assignment__classroom=classroom, finished_at__isnull=True
    ).update(finished_at=now, score=_score_subquery(), ended=Attempt.Ended.CLOSED)


def feedback_visible(*, attempt, now=None, released_ids=None) -> bool:
    """Whether the learner may see right answers and explanations for this attempt now.

    "After the due date" means once no student of the class can still hand in, or the
    instructor released it (quizzes/classes/held_back.py). `released_ids`, when given, is
    that answer already worked out for many assignments at once."""
    assignment = attempt.assignment if attempt.assignment_id else None
    if assignment is None:
        return True
    timing = assignment.feedback_timing
    if timing == assignment.FeedbackTiming.EACH:
        return True
    if timing == assignment.FeedbackTiming.SUBMIT:
        return attempt.finished_at is not None
    if released_ids is None:
        released_ids = withholding.released_assignment_ids(
            assignments=[assignment], now=now or timezone.now()
        )
    return assignment.pk in released_ids


# --- practice ---------------------------------------------------------------------------


def new_seed() -> int:
    """A fresh seed for an attempt; it fits a signed 64-bit column."""
    return secrets.randbits(62)


def withheld_from_practice(*, user, now=None) -> frozenset[int]:
    """Questions a practice draw leaves out: those an assignment the learner has open holds
    back, and those on the same content items (see quizzes.practice.withholding)."""
    return withholding.withheld_question_ids(user=user, now=now or timezone.now())


def held_back_from_practice(*, user, question, now=None) -> bool:
    """Whether an assignment the learner has open holds this question back from practice
    (one of `withheld_from_practice`, asked for the one question an answer shows)."""
    return withholding.question_withheld(user=user, question=question, now=now or timezone.now())


def start_practice(*, user, lesson_ids=None, kinds=None, count: int, seed=None, now=None):
    """Draw a practice quiz and start it. Raises NoQuestions when nothing matches."""
    seed = new_seed() if seed is None else seed
    lesson_ids = sorted(lesson_ids or [])
    kinds = sorted(kinds or [])
    questions = draw_questions(
        lesson_ids=lesson_ids, kinds=kinds, count=count, seed=seed,
        exclude_ids=withheld_from_practice(user=user, now=now),
    )
    recipe = {"lessons": lesson_ids, "kinds": kinds, "count": count}
    return start_attempt(user=user, questions=questions, seed=seed, recipe=recipe, now=now)


def retry_missed(*, attempt, now=None):
    """A new practice attempt with the questions this one got wrong or left unanswered
    (those still in the bank). Raises NoQuestions when there is nothing to retry."""
    missed = list(
        Response.objects.filter(attempt=attempt, question__retired_at__isnull=True)
        .exclude(is_correct=True)
        .exclude(question__kind__in=UNSCORED_KINDS)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    if not missed:
        raise NoQuestions("Nothing to retry: every question was answered correctly.")
    withheld = withheld_from_practice(user=attempt.user, now=now)
    missed = [question_id for question_id in missed if question_id not in withheld]
    if not missed:
        raise NoQuestions(
            "The questions you missed are on an assignment you have open: retry them once "
            "its feedback is out."
        )
    seed = new_seed()
    recipe = {**(attempt.recipe or {}), "retry_of": attempt.pk, "count": len(missed)}
    # Descriptions were left out above: no query needed to find any among them.
    scored = [Scored(pk=question_id) for question_id in missed]
    return start_attempt(user=attempt.user, questions=scored, seed=seed, recipe=recipe, now=now)



def practice_overview(*, user, recent: int = 10) -> dict:
    """The learner's unfinished practice attempts (to resume) and latest results."""
    from django.db.models import Count, Q

    # A Learn session's rounds are listed with the session (quizzes/practice/learn.py).
    practice = Attempt.objects.filter(
        user=user, assignment__isnull=True, learn_session__isnull=True
    ).annotate(
        answered=Count("responses", filter=Q(responses__answered_at__isnull=False))
    )
    return {
        "unfinished": list(practice.filter(finished_at__isnull=True)[:recent]),
        "recent": list(
            practice.filter(finished_at__isnull=False).order_by("-finished_at")[:recent]
        ),
    }
