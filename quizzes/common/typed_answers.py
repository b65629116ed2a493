"""Typed answers compared the forgiving way a teacher reads them: case, spacing, punctuation,
diacritics, a leading "the", listed alternatives, and a one-letter slip in a long word.

Shared by the bank (typed quiz answers, through quizzes.bank.grading) and review (cards
answered by typing), so both areas grade a typed answer alike.
"""

import re
import unicodedata

# A slip is forgiven only in a word at least this long: "Pyongyan" passes, "Sun" for
# "Sung" does not (short words differ by one letter from other real words too often).
CLOSE_MATCH_MIN_LENGTH = 5


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
