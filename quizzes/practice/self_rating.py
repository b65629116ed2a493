"""A learner's rating of their own written answer in practice.

    rate_written_answer(*, attempt, position, rating, now=None) -> Response

After writing, the learner reads the model answer and the rubric and rates the answer as
the flashcards are graded (1 Again, 2 Hard, 3 Good, 4 Easy). The rating is the evidence
the flashcard schedule gets (quizzes.review.scheduling) and gives the practice score its
credit (quizzes.bank.kinds.written.SELF_RATINGS). In an assignment the instructor marks
written answers instead (quizzes.classes.marking). A rating is given once.
"""

from django.db import transaction
from django.utils import timezone

from quizzes.bank.kinds import KINDS
from quizzes.bank.kinds.written import SELF_RATINGS
from quizzes.practice.attempts import (
    AlreadyAnswered,
    AttemptError,
    InvalidAnswer,
    rescore_finished,
    response_at,
)
from quizzes.practice.models import Attempt, Response


class MarkedByInstructor(AttemptError):
    status = 409


class NotYetWritten(AttemptError):
    status = 409


def parse_self_rating(value) -> int:
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        rating = 0
    if rating not in SELF_RATINGS:
        raise InvalidAnswer("Rate your answer from 1 (Again) to 4 (Easy).")
    return rating


def rate_written_answer(*, attempt, position: int, rating, now=None) -> Response:
    from quizzes.review.scheduling import apply_quiz_evidence, plan_quiz_evidence

    now = now or timezone.now()
    if attempt.assignment_id:
        raise MarkedByInstructor("In an assignment your instructor marks written answers.")
    rating = parse_self_rating(rating)
    response = response_at(attempt=attempt, position=position)
    kind = KINDS.get(response.question.kind)
    if kind is None or not kind.marked_by_person:
        raise InvalidAnswer("Only a written answer is rated by the one who wrote it.")
    if response.answered_at is None:
        raise NotYetWritten("Write your answer first; then rate it against the model answer.")
    if response.self_rating is not None:
        return _repeat(response, rating)
    credit = SELF_RATINGS[rating][1]
    evidence = plan_quiz_evidence(
        user=attempt.user, question=response.question, is_correct=credit == 1.0,
        answered_at=now, rating=rating,
    )
    with transaction.atomic():
        Attempt.objects.select_for_update().only("pk").get(pk=attempt.pk)
        saved = Response.objects.filter(
            pk=response.pk, answered_at__isnull=False, self_rating__isnull=True
        ).update(self_rating=rating, credit=credit, is_correct=credit == 1.0)
        if not saved:  # rated at the same moment in another tab: the first rating stands
            response.refresh_from_db(fields=["self_rating", "credit", "is_correct"])
            return _repeat(response, rating)
        response.self_rating, response.credit, response.is_correct = rating, credit, credit == 1.0
        apply_quiz_evidence(user=attempt.user, plans=evidence, response=response)
        rescore_finished(attempt_ids=[attempt.pk])
    attempt.refresh_from_db(fields=["score"])
    return response


def _repeat(response, rating) -> Response:
    if response.self_rating == rating:
        return response
    raise AlreadyAnswered("You have already rated this answer; a rating cannot change.")
