"""Grading: pure functions from a question and a submitted answer to a Grade.

Each kind grades its own questions (quizzes.bank.kinds); this module holds what they share
(the Grade; the forgiving comparison of typed answers, which lives in
quizzes.common.typed_answers so that review grades typed cards alike) and the grade()
everyone calls.

`submitted` is the canonical answer, in the question's own keys (the attempt engine turns
the opaque values a page posts back into these), by kind:

- mcq, tf, who, side: {"key": option_key}
- match: {"pairs": {left_key: right_key}}
- order: {"order": [item keys, earliest first]}
- cloze: {"text": "what the learner typed"}

`question` is anything with `kind`, `body` and `answer` (a Question row or a draft).
Typed answers are forgiving the way a teacher is: case, spacing, punctuation, diacritics,
a leading "the", listed alternatives, and a one-letter slip in a long word.
"""

from dataclasses import dataclass

from quizzes.common.typed_answers import (  # noqa: F401  (the bank's own names for them)
    CLOSE_MATCH_MIN_LENGTH,
    _is_one_letter_slip,
    accepted_answers,
    edit_distance,
    grade_typed,
    normalize_answer,
)


@dataclass(frozen=True)
class Grade:
    credit: float  # 0..1; partial for matching and ordering
    is_correct: bool
    close_match: bool
    correct_display: str
    message: str


# --- every kind --------------------------------------------------------------------------
# The rules of each kind live in quizzes.bank.kinds, which builds on the helpers above; these
# are the entry points the rest of the app calls. The kinds are imported when first needed,
# since importing them here would be circular.


def __getattr__(name):
    if name == "CHOICE_KINDS":  # derived from the registry (see quizzes.bank.kinds)
        from quizzes.bank.kinds import CHOICE_KINDS

        return CHOICE_KINDS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def correct_display(*, question) -> str:
    """The right answer in words, as the feedback shows it ("" for an unknown kind)."""
    from quizzes.bank.kinds import KINDS

    kind = KINDS.get(question.kind)
    return kind.correct_display(question=question) if kind else ""


def grade(*, question, submitted: dict) -> Grade:
    """Raises UnknownKind (a ValueError) for a kind no module defines."""
    from quizzes.bank.kinds import kind_for

    return kind_for(question.kind).grade(question=question, submitted=submitted or {})
