"""Answering questions the way a learner's page would: with the opaque posted values.

Used by the demo data and the tests, so both exercise the real answer path."""

from quizzes.bank.kinds import kind_for
from quizzes.practice.attempts import ResponseTokens


def form_data(*, attempt, response, right: bool = True) -> dict:
    """The form fields a learner's page posts for a right (or a wrong) answer."""
    question = response.question
    tokens = ResponseTokens(attempt=attempt, response_id=response.pk)
    return kind_for(question.kind).posted_fields(question=question, tokens=tokens, right=right)
