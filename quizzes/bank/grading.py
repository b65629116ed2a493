"""Grading: pure functions from a question and a submitted answer to a Grade.

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

import re
import unicodedata
from dataclasses import dataclass

CHOICE_KINDS = frozenset({"mcq", "tf", "who", "side"})

# A slip is forgiven only in a word at least this long: "Pyongyan" passes, "Sun" for
# "Sung" does not (short words differ by one letter from other real words too often).
CLOSE_MATCH_MIN_LENGTH = 5


@dataclass(frozen=True)
class Grade:
    credit: float  # 0..1; partial for matching and ordering
    is_correct: bool
    close_match: bool
    correct_display: str
    message: str


# --- typed answers ---------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_answer(text: str) -> str:
    """Case, accents, punctuation and spacing folded away; a leading "the" dropped."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _APOSTROPHES.sub("", without_marks.casefold())
    words = _NON_WORD.sub(" ", folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): insertions, deletions,
    substitutions and swaps of two neighbouring letters each cost one."""
    if a == b:
        return 0
    previous_row = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[len(b)]


def _is_one_letter_slip(typed: str, accepted: str) -> bool:
    """True when the answers differ only by one slip in one long, alphabetic word."""
    typed_words, accepted_words = typed.split(), accepted.split()
    if len(typed_words) != len(accepted_words):
        return False
    differing = [(t, a) for t, a in zip(typed_words, accepted_words, strict=True) if t != a]
    if len(differing) != 1:
        return False
    typed_word, accepted_word = differing[0]
    return (
        accepted_word.isalpha()
        and len(accepted_word) >= CLOSE_MATCH_MIN_LENGTH
        and edit_distance(typed_word, accepted_word) == 1
    )


def accepted_answers(answer: dict) -> list[str]:
    texts = [answer.get("text", ""), *answer.get("alternatives", [])]
    return [text for text in texts if text and text.strip()]


def grade_typed(*, typed: str, accepted: list[str]) -> tuple[bool, bool]:
    """(is_correct, close_match) for a typed answer against the accepted spellings."""
    typed_form = normalize_answer(typed)
    if not typed_form:
        return False, False
    accepted_forms = [normalize_answer(text) for text in accepted]
    squeezed = typed_form.replace(" ", "")
    for form in accepted_forms:
        if form and (typed_form == form or squeezed == form.replace(" ", "")):
            return True, False
    for form in accepted_forms:
        if form and _is_one_letter_slip(typed_form, form):
            return True, True
    return False, False


# --- every kind --------------------------------------------------------------------------


def _texts_by_key(entries) -> dict:
    return {entry["key"]: entry["text"] for entry in entries or ()}


def correct_display(*, question) -> str:
    """The right answer in words, as the feedback shows it."""
    kind, body, answer = question.kind, question.body or {}, question.answer or {}
    if kind in CHOICE_KINDS:
        return _texts_by_key(body.get("options")).get(answer.get("key"), "")
    if kind == "match":
        left, right = _texts_by_key(body.get("left")), _texts_by_key(body.get("right"))
        return "; ".join(
            f"{left.get(lk, '')} → {right.get(rk, '')}"
            for lk, rk in answer.get("pairs", {}).items()
        )
    if kind == "order":
        items = _texts_by_key(body.get("items"))
        return "; ".join(
            f"{n}. {items.get(key, '')}" for n, key in enumerate(answer.get("order", []), 1)
        )
    if kind == "cloze":
        return answer.get("text", "")
    return ""


def _grade_choice(question, submitted) -> tuple[float, str]:
    right = submitted.get("key") == question.answer.get("key")
    return (1.0 if right else 0.0), ""


def _grade_matching(question, submitted) -> tuple[float, str]:
    pairs = question.answer.get("pairs", {})
    chosen = submitted.get("pairs") or {}
    right = sum(1 for left, right_key in pairs.items() if chosen.get(left) == right_key)
    total = len(pairs) or 1
    message = "" if right in (0, total) else f"{right} of {total} matched correctly."
    return right / total, message


def _grade_ordering(question, submitted) -> tuple[float, str]:
    order = question.answer.get("order", [])
    chosen = list(submitted.get("order") or [])
    right = sum(1 for a, b in zip(order, chosen, strict=False) if a == b)
    total = len(order) or 1
    message = "" if right in (0, total) else f"{right} of {total} in the right place."
    return right / total, message


def grade(*, question, submitted: dict) -> Grade:
    kind = question.kind
    submitted = submitted or {}
    close = False
    if kind in CHOICE_KINDS:
        credit, message = _grade_choice(question, submitted)
    elif kind == "match":
        credit, message = _grade_matching(question, submitted)
    elif kind == "order":
        credit, message = _grade_ordering(question, submitted)
    elif kind == "cloze":
        right, close = grade_typed(
            typed=str(submitted.get("text", "")), accepted=accepted_answers(question.answer)
        )
        credit = 1.0 if right else 0.0
        display = question.answer.get("text", "")
        message = (
            f"Accepted as a close spelling of “{display}”; check the spelling." if close else ""
        )
    else:
        raise ValueError(f"Unknown question kind: {kind!r}")
    return Grade(
        credit=credit,
        is_correct=credit == 1.0,
        close_match=close,
        correct_display=correct_display(question=question),
        message=message,
    )
