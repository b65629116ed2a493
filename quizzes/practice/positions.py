"""Positions in an attempt: a description takes a place in the quiz but counts in no score.

An attempt's question_count is what is scored; its recipe's "unscored" lists the positions of
the descriptions (set by quizzes.practice.attempts.start_attempt).
"""

from dataclasses import dataclass

from quizzes.bank.models import Question


@dataclass(frozen=True)
class Scored:
    """A question id known to be of a scored kind (kinds_of asks no query for it)."""

    pk: int
    kind: str = "scored"


def kinds_of(questions, question_ids) -> list[str]:
    """The kind of each question id, from the rows given or (for bare ids) one query."""
    known = {q.pk: q.kind for q in questions if hasattr(q, "kind")}
    missing = [pk for pk in question_ids if pk not in known]
    if missing:
        known.update(Question.objects.filter(pk__in=missing).values_list("pk", "kind"))
    return [known.get(pk, "") for pk in question_ids]


def position_count(attempt) -> int:
    """How many positions the attempt has: its scored questions and its descriptions."""
    return attempt.question_count + len(unscored_positions(attempt))


def unscored_positions(attempt) -> list[int]:
    unscored = (attempt.recipe or {}).get("unscored") or []
    return [p for p in unscored if isinstance(p, int)]


def question_number(attempt, position: int) -> int | None:
    """"Question n of question_count" for a scored position; None for a description."""
    unscored = unscored_positions(attempt)
    if position in unscored:
        return None
    return position + 1 - sum(1 for p in unscored if p < position)
