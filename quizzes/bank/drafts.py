"""A question as a person writes it, before it has keys: what authoring forms, GIFT and the
kinds pass between them. The bank's stored shapes are in quizzes.bank.models."""

from dataclasses import dataclass, field

MAX_PROMPT = 2000
MAX_TEXT = 500
# (fewest, most) entries an instructor's question may have, by what it lists.
LIMITS = {
    "options": (2, 8),
    "pairs": (3, 8),
    "items": (3, 8),
    "distractors": (0, 3),
}


@dataclass
class NumericAnswer:
    """One accepted number: `value` ± `tolerance`, worth `weight` percent. A value of None
    stands for any other number (Moodle's `*`), there only to carry its feedback.
    `as_range` keeps an answer written low..high written that way again."""

    value: float | None
    tolerance: float = 0.0
    weight: float = 100.0
    feedback: str = ""
    as_range: bool = False

    @property
    def description(self) -> str:
        """The answer as a person reads it: 1953, 1953 ± 1, 3.141 to 3.142, any other."""
        from quizzes.bank.gift_syntax import format_number

        if self.value is None:
            return "any other number"
        if not self.tolerance:
            return format_number(self.value)
        if self.as_range:
            return f"{format_number(self.low)} to {format_number(self.high)}"
        return f"{format_number(self.value)} ± {format_number(self.tolerance)}"

    @property
    def low(self) -> float:
        return self.value - self.tolerance

    @property
    def high(self) -> float:
        return self.value + self.tolerance


@dataclass
class QuestionDraft:
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)  # choice kinds
    correct: int | None = None  # index into options
    truth: bool | None = None  # true/false
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (left, right)
    distractors: list[str] = field(default_factory=list)  # matching: matches for no item
    items: list[str] = field(default_factory=list)  # ordering: earliest first
    answers: list[str] = field(default_factory=list)  # cloze: the answer, then alternatives
    weights: list[float] = field(default_factory=list)  # multiple answer: percent per option
    feedback: list[str] = field(default_factory=list)  # per option: why it is right or wrong
    numbers: list[NumericAnswer] = field(default_factory=list)  # numerical
    model_answer: str = ""  # written answer: what a full answer says
    rubric: list[tuple[str, int]] = field(default_factory=list)  # written: (criterion, points)
    explanation: str = ""
    lesson_id: int | None = None
    title: str = ""
    line: int = 0  # where an imported question starts in its file
