"""Who argued this? A claim, and the people who might have made it: the choice kind as it
is. GIFT writes it as multiple choice and reads it back as one."""

from quizzes.bank.kinds.base import ChoiceKind


class WhoArgued(ChoiceKind):
    code = "who"
