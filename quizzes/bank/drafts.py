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
}


@dataclass
class QuestionDraft:
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)  # choice kinds
    correct: int | None = None  # index into options
    truth: bool | None = None  # true/false
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (left, right)
    items: list[str] = field(default_factory=list)  # ordering: earliest first
    answers: list[str] = field(default_factory=list)  # cloze: the answer, then alternatives
    explanation: str = ""
    lesson_id: int | None = None
    title: str = ""
    line: int = 0  # where an imported question starts in its file
