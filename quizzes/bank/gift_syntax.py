"""GIFT's text-level syntax: escapes, and an answer block split into its answers.

Shared by quizzes.bank.gift (which reads and writes whole files) and the kinds that have a
GIFT form (quizzes.bank.kinds), which turn an answer block into a draft and a draft back
into answer lines. Kept apart from gift.py so the kinds need not import the file reader.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from quizzes.bank.gift_formats import as_plain_text, format_change, split_format

# Escaped characters become private-use placeholders while parsing, so that every `=`, `~`,
# `#`, `{`, `}` or `:` left in the text is syntax.
_ESCAPES = {
    "\\\\": "\ue000", "\\:": "\ue001", "\\=": "\ue002", "\\~": "\ue003",
    "\\#": "\ue004", "\\{": "\ue005", "\\}": "\ue006", "\\n": "\ue007",
}
_RESTORE = {
    "\ue000": "\\", "\ue001": ":", "\ue002": "=", "\ue003": "~",
    "\ue004": "#", "\ue005": "{", "\ue006": "}", "\ue007": "\n",
}
_ESCAPE_PATTERN = re.compile(r"\\[\\:=~#{}n]")
_ANSWER = re.compile(r"([=~])([^=~]*)")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")


class GiftProblem(Exception):
    """Why a question cannot be read; `line` is filled in by the reader that knows it."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def protect(text: str) -> str:
    return _ESCAPE_PATTERN.sub(lambda m: _ESCAPES[m.group(0)], text)


def restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def clean(text: str) -> str:
    """Restored text with runs of spaces folded, as a learner should see it."""
    lines = [" ".join(line.split()) for line in restore(text).split("\n")]
    return "\n".join(line for line in lines if line).strip()


def escape(text: str) -> str:
    """GIFT-escape a text: its special characters and line breaks."""
    text = text.replace("\\", "\\\\")
    for char in ":=~#{}":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def format_number(number: float) -> str:
    """A number as a person writes it: 50, not 50.0; 33.33333, not 33.333333333333336."""
    return f"{number:.10g}" if number != int(number) else str(int(number))


@dataclass(frozen=True)
class GiftAnswer:
    marker: str  # "=" right, "~" wrong
    weight: float | None  # a %…% weight, when one was given
    text: str  # escapes restored
    feedback: str = ""  # the answer's own #feedback


@dataclass
class GiftBlock:
    """What stood between { and }: its text (escapes still protected) without the
    ####general feedback, which is `explanation`."""

    text: str
    explanation: str = ""
    # The question text's format, which its answers and feedback take unless they name one.
    text_format: str = "moodle"
    # What reading formatted answers as plain text changed, in words (for the preview).
    changes: list[str] = field(default_factory=list)

    def plain(self, text: str) -> str:
        """An answer's or feedback's text: its [format] marker read, as plain text."""
        text_format, rest = split_format(text, self.text_format)
        plain = clean(as_plain_text(restore(rest), text_format))
        change = format_change(text_format, rest, plain)
        if change and change not in self.changes:
            self.changes.append(change)
        return plain

    @cached_property
    def answers(self) -> list[GiftAnswer]:
        """The =right and ~wrong answers; text before the first of them is a problem.

        Lazy, so that true/false ({TRUE}), which has no such answers, is read first."""
        leading = re.split(r"[=~]", self.text, maxsplit=1)[0]
        if leading.strip():
            raise GiftProblem(
                f"“{clean(leading)[:40]}” is not an answer: start each answer with = (right) "
                "or ~ (wrong)."
            )
        answers = []
        for match in _ANSWER.finditer(self.text):
            marker, content = match.group(1), match.group(2)
            weight = None
            weight_match = _WEIGHT.match(content)
            if weight_match:
                weight = float(weight_match.group(1))
                content = content[weight_match.end() :]
            text, _, feedback = content.partition("#")
            answers.append(GiftAnswer(marker, weight, self.plain(text), self.plain(feedback)))
        return answers
