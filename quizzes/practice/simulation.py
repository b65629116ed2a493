"""Answering questions the way a learner's page would: with the opaque posted values.

Used by the demo data and the tests, so both exercise the real answer path."""

from quizzes.bank.grading import CHOICE_KINDS
from quizzes.practice import attempts
from quizzes.practice.attempts import item_token_key, left_token_key, option_token, right_token_key

WRONG_TYPED_ANSWER = "Vladivostok"


def _token(attempt, response, key):
    return option_token(attempt=attempt, response_id=response.pk, key=key)


def form_data(*, attempt, response, right: bool = True) -> dict:
    """The form fields a learner's page posts for a right (or a wrong) answer."""
    question = response.question
    answer, body = question.answer, question.body
    if question.kind in CHOICE_KINDS:
        keys = [o["key"] for o in body["options"]]
        key = answer["key"] if right else next(k for k in keys if k != answer["key"])
        return {attempts.CHOICE_FIELD: _token(attempt, response, key)}
    if question.kind == "cloze":
        return {attempts.TEXT_FIELD: answer["text"] if right else WRONG_TYPED_ANSWER}
    if question.kind == "match":
        pairs = dict(answer["pairs"])
        if not right:
            lefts = list(pairs)
            pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
            if pairs == answer["pairs"]:  # two lefts shared one right: pick another
                others = [o["key"] for o in body["right"] if o["key"] != pairs[lefts[0]]]
                pairs[lefts[0]] = others[0]
        return {
            attempts.MATCH_PREFIX + _token(attempt, response, left_token_key(lk)): _token(
                attempt, response, right_token_key(rk)
            )
            for lk, rk in pairs.items()
        }
    order = list(answer["order"])
    if not right:
        order[0], order[1] = order[1], order[0]
    return {
        attempts.RANK_PREFIX + _token(attempt, response, item_token_key(key)): str(rank)
        for rank, key in enumerate(order, 1)
    }
