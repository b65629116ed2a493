"""Which side argues this? A position, and the sides of its debate (Critics, Proponents).

GIFT writes it as multiple choice and reads it back as one."""

from quizzes.bank.kinds.base import ChoiceKind


class WhichSide(ChoiceKind):
    code = "side"
    form_path = "quizzes.bank.forms.WhichSideQuestionForm"
    # Critics, then Proponents: the order says nothing about the answer, and keeping it
    # spares a reader the work of finding the sides.
    natural_order = ("Critics", "Proponents")
