"""The question kinds: one module each, the way Moodle's question types are plugins, and
this one place that registers them.

    kind_for(code) -> Kind    the kind of a Question.kind code; UnknownKind if none
    KINDS                     {code: Kind}, in QuestionKind's order
    GIFT_READERS              the kinds GIFT can be read into, in the order it tells them apart
    CHOICE_KINDS              the codes of the one-right-option kinds

A new kind is a module here (a Kind subclass, see base.py), a line in KINDS, its generator
(quizzes.bank.generators) and its part of the question page template.
"""

from quizzes.bank.kinds.base import ChoiceKind, Kind
from quizzes.bank.kinds.cloze import Cloze
from quizzes.bank.kinds.description import Description
from quizzes.bank.kinds.matching import Matching
from quizzes.bank.kinds.multiple_answer import MultipleAnswer
from quizzes.bank.kinds.multiple_choice import MultipleChoice
from quizzes.bank.kinds.numerical import Numerical
from quizzes.bank.kinds.ordering import Ordering
from quizzes.bank.kinds.true_false import TrueFalse
from quizzes.bank.kinds.which_side import WhichSide
from quizzes.bank.kinds.who_argued import WhoArgued
from quizzes.bank.kinds.written import WrittenAnswer


class UnknownKind(ValueError):
    """A kind code no module defines: a typo, or a row of a kind since removed."""


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        MultipleChoice(), TrueFalse(), WhoArgued(), WhichSide(), Matching(), Ordering(), Cloze(),
        MultipleAnswer(), Numerical(), WrittenAnswer(), Description(),
    )
}

# GIFT's syntax tells its question types apart in this order: numerical by its leading #,
# multiple answer by ~ answers and no =, true/false by its one word, matching by its
# arrows, multiple choice by its wrong (~) answers; a short answer (our fill-in-the-blank)
# is whatever is left. An empty block ({}) is an essay, read first; a question with no block
# at all is a description (quizzes.bank.gift). Who-argued and which-side come back as
# multiple choice, and ordering has no GIFT form.
GIFT_READERS: tuple[Kind, ...] = (
    KINDS["essay"], KINDS["num"], KINDS["multi"], KINDS["tf"], KINDS["match"], KINDS["mcq"],
    KINDS["cloze"],
)
# Kinds a person marks (written answers), and kinds that count in no score (descriptions).
MARKED_KINDS = frozenset(code for code, kind in KINDS.items() if kind.marked_by_person)
UNSCORED_KINDS = frozenset(code for code, kind in KINDS.items() if not kind.scored)

CHOICE_KINDS = frozenset(code for code, kind in KINDS.items() if isinstance(kind, ChoiceKind))


def kind_for(code: str) -> Kind:
    try:
        return KINDS[code]
    except (KeyError, TypeError):
        raise UnknownKind(f"Unknown question kind: {code!r}") from None


__all__ = [
    "CHOICE_KINDS", "GIFT_READERS", "KINDS", "MARKED_KINDS", "UNSCORED_KINDS", "Kind",
    "UnknownKind", "kind_for",
]
