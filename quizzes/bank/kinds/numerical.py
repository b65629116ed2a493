"""Numerical: the learner types a number; an answer is a value with a tolerance (or a range),
and several answers may give partial credit, as in Moodle's numerical question.

body {}, answer {"answers": [{"value", "tolerance", "weight", "feedback", "range"}]}, in the
order they are tried: the first answer the number falls within gives its weight. An answer
whose value is null is Moodle's "any other number", there only for its feedback.

GIFT: {#1822:5}, {#1822.5..1823}, {#=1822:0#exact =%50%1822:2#close ~#feedback otherwise}.
"""

import math
import re
from collections.abc import Mapping

from quizzes.bank.drafts import NumericAnswer, QuestionDraft
from quizzes.bank.gift_syntax import GiftProblem, clean, escape, format_number, restore
from quizzes.bank.kinds.base import (
    Kind,
    OverlongAnswer,
    Score,
    UnreadableAnswer,
    key_of,
    posted_value,
)

NUMBER_FIELD = "number"
MAX_NUMBER_LENGTH = 40
MAX_ANSWERS = 6
# Floating point: 0.1 + 0.2 must count as within 0.3 ± 0.
_EPSILON = 1e-9
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")


def parse_number(text: str) -> float | None:
    """A finite number from what a person typed (a comma may be the decimal mark); else None."""
    cleaned = text.strip().replace("\u2212", "-").replace(" ", "").replace("\u202f", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def stored_answers(question) -> list[dict]:
    answers = key_of(question).get("answers")
    return answers if isinstance(answers, list) else []


def _within(number: float, answer: Mapping) -> bool:
    value, tolerance = answer.get("value"), float(answer.get("tolerance") or 0)
    if value is None:
        return True  # any other number
    slack = _EPSILON * max(1.0, abs(value))
    return abs(number - float(value)) <= tolerance + slack


def _matching(question, number: float) -> dict | None:
    return next((a for a in stored_answers(question) if _within(number, a)), None)


def describe_number(answer: Mapping) -> str:
    value, tolerance = float(answer["value"]), float(answer.get("tolerance") or 0)
    if not tolerance:
        return format_number(value)
    if answer.get("range"):
        return f"{format_number(value - tolerance)} to {format_number(value + tolerance)}"
    return f"{format_number(value)} ± {format_number(tolerance)}"


def answer_problems(numbers: list[NumericAnswer]) -> list[str]:
    problems = []
    if not 1 <= len(numbers) <= MAX_ANSWERS:
        problems.append(f"A numerical question needs 1 to {MAX_ANSWERS} answers.")
    for number in numbers:
        if number.value is not None and not math.isfinite(number.value):
            problems.append("Every answer must be a number.")
        if not math.isfinite(number.tolerance) or number.tolerance < 0:
            problems.append("A tolerance cannot be negative.")
        if not 0 <= number.weight <= 100:
            problems.append("Every answer's weight must be from 0 to 100 (percent).")
        if number.value is None and number.weight:
            problems.append("“Any other number” can only be worth nothing.")
    if not any(n.value is not None and n.weight == 100 for n in numbers):
        problems.append("At least one answer must be worth 100%.")
    return list(dict.fromkeys(problems))


def _as_stored(number: NumericAnswer) -> dict:
    return {
        "value": number.value, "tolerance": number.tolerance, "weight": number.weight,
        "feedback": number.feedback.strip(), "range": number.as_range,
    }


def _as_draft(stored: Mapping) -> NumericAnswer:
    value = stored.get("value")
    return NumericAnswer(
        value=None if value is None else float(value),
        tolerance=float(stored.get("tolerance") or 0), weight=float(stored.get("weight", 0)),
        feedback=stored.get("feedback", ""), as_range=bool(stored.get("range")),
    )


class Numerical(Kind):
    code = "num"
    widget = "number"
    form_path = "quizzes.bank.partial_credit_forms.NumericalQuestionForm"

    def shape_problems(self, *, body, answer):
        answers = answer.get("answers")
        if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
            return ["“answers” must be a list of {value, tolerance, weight}."]
        try:
            numbers = [_as_draft(a) for a in answers]
        except (TypeError, ValueError):
            return ["Every answer's value, tolerance and weight must be numbers."]
        return answer_problems(numbers)

    def draft_problems(self, draft):
        return answer_problems(draft.numbers)

    def question_data(self, draft, *, old_body):
        return {"body": {}, "answer": {"answers": [_as_stored(n) for n in draft.numbers]}}

    def draft_fields(self, *, body, answer):
        return {"numbers": [_as_draft(a) for a in answer.get("answers", [])]}

    def page_fields(self, *, question, tokens, rng):
        return {}  # one text box for the number

    def read_answer(self, *, question, data, tokens):
        text = posted_value(data, NUMBER_FIELD, missing="Type a number.")
        if len(text) > MAX_NUMBER_LENGTH:
            raise OverlongAnswer(f"That is too long for a number ({MAX_NUMBER_LENGTH} at most).")
        number = parse_number(text)
        if number is None:
            raise UnreadableAnswer("Type a number, such as 1953 or 3.14.")
        return {"number": number}

    def posted_fields(self, *, question, tokens, right):
        answers = [a for a in stored_answers(question) if a.get("value") is not None]
        if right:
            best = next(a for a in answers if float(a.get("weight", 0)) == 100)
            return {NUMBER_FIELD: format_number(float(best["value"]))}
        beyond = max(float(a["value"]) + float(a.get("tolerance") or 0) for a in answers)
        return {NUMBER_FIELD: format_number(beyond + 1000)}

    def score(self, *, question, submitted):
        number = submitted.get("number")
        if not isinstance(number, int | float):
            return Score(0.0)
        matched = _matching(question, float(number))
        if matched is None:
            return Score(0.0)
        credit = float(matched.get("weight", 0)) / 100
        notes = [matched.get("feedback", "")]
        if 0 < credit < 1:
            notes.insert(0, f"Close: {round(100 * credit)}% of the marks.")
        return Score(credit, " ".join(note for note in notes if note))

    def correct_display(self, *, question):
        full = [
            describe_number(a) for a in stored_answers(question)
            if a.get("value") is not None and float(a.get("weight", 0)) == 100
        ]
        return " or ".join(full)

    def answer_text(self, *, question, answer):
        number = answer.get("number")
        return format_number(float(number)) if isinstance(number, int | float) else ""

    def describe_answer(self, *, body, answer):
        if isinstance(answer, Mapping) and isinstance(answer.get("number"), int | float):
            return format_number(float(answer["number"]))
        return None

    def gift_lines(self, draft):
        numbers = draft.numbers
        only = numbers[0] if len(numbers) == 1 else None
        if only and only.weight == 100 and not only.feedback:
            return ["#" + _gift_number(only)]
        lines = ["#"]
        for number in numbers:
            feedback = f"#{escape(number.feedback)}" if number.feedback else ""
            if number.value is None:
                lines.append(f"~{feedback or '#'}")
            else:
                lines.append(f"=%{format_number(number.weight)}%{_gift_number(number)}{feedback}")
        return lines

    def read_gift(self, block):
        """#value:tolerance, #low..high, or #=%weight%value:tolerance#feedback … ~#other."""
        text = block.text.strip()
        if not text.startswith("#"):
            return None
        text = text[1:]
        # As in Moodle: everything from the first ~ is the feedback for any other number.
        text, tilde, other = text.partition("~")
        parts = [part for part in text.split("=")]
        if parts and not parts[0].strip():
            parts = parts[1:]
        if not parts:
            raise GiftProblem("A numerical question ({#…}) needs at least one number.")
        numbers = [_read_number(part) for part in parts]
        if tilde:
            numbers.append(NumericAnswer(None, weight=0, feedback=clean(other.partition("#")[2])))
        problems = answer_problems(numbers)
        if problems:
            raise GiftProblem(" ".join(problems))
        return QuestionDraft(
            kind=self.code, prompt="", numbers=numbers, explanation=block.explanation
        )


def _gift_number(number: NumericAnswer) -> str:
    if number.as_range and number.tolerance:
        return f"{format_number(number.low)}..{format_number(number.high)}"
    if number.tolerance:
        return f"{format_number(number.value)}:{format_number(number.tolerance)}"
    return format_number(number.value)


def _read_number(part: str) -> NumericAnswer:
    weight = 100.0
    match = _WEIGHT.match(part)
    if match:
        weight = float(match.group(1))
        part = part[match.end():]
    text, _, feedback = part.partition("#")
    text = restore(text).strip()
    feedback = clean(feedback)
    if ".." in text[1:]:
        low_text, high_text = text.split("..", 1)
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None or low > high:
            raise GiftProblem(f"“{text}” is not a range of numbers (low..high).")
        return NumericAnswer(
            (low + high) / 2, (high - low) / 2, weight, feedback, as_range=True
        )
    value_text, colon, tolerance_text = text.partition(":")
    value = parse_number(value_text)
    tolerance = parse_number(tolerance_text) if colon else 0.0
    if value is None or tolerance is None:
        raise GiftProblem(f"“{text}” is not a number (write 1822, 1822:5 or 1820..1825).")
    return NumericAnswer(value, abs(tolerance), weight, feedback)
