"""Words as an item writer reads them: content words and their stems, articles, asides.

Shared by the generators (to choose clean stems and options) and by the linter in
quality.py (to check them), so the two always agree on what counts as a clue.
"""

import re
from functools import lru_cache

from quizzes.bank.grading import normalize_answer


def _word_set(text: str) -> frozenset:
    return frozenset(text.split())


# Function words, and the words every generated prompt uses, carry no clue.
STOPWORDS = _word_set(
    """
    a about above after again against all also alongside although among an and another any
    are around as at be because been before being below beside besides between both but by
    can could did do does doing down during each either even ever every few for from further
    had has have having he her here hers him his how however i if in into is it its itself
    just least less let like many may me might more most much must my neither nor of off
    often on once one only onto or other others our out over own per rather same shall she
    should since so some still such than that the their them then there these they this
    those though through thus to too toward towards under until up upon us very via was we
    were what when where whether which while who whom whose why will with within without
    would yet you your
    true false which term terms fits description words word fill blank type mean means
    happen happened begin began made argument argues argue side debate this these match
    each put order earliest first following
    """
)

# Words of one family count as one word: a demonym and its country, kin words.
FAMILIES = {
    "korean": "korea",
    "koreans": "korea",
    "chinese": "china",
    "japanese": "japan",
    "russian": "russia",
    "american": "america",
    "americans": "america",
    "sibling": "kin",
    "siblings": "kin",
    "brother": "kin",
    "brothers": "kin",
    "sister": "kin",
    "sisters": "kin",
}

_NUMBER = re.compile(r"^\d+(st|nd|rd|th)?$")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to see 'provinces' in 'province', 'signed' in 'sign'."""
    word = FAMILIES.get(word, word)
    if _NUMBER.match(word) or len(word) <= 3:
        return word
    for suffix, replacement in (
        ("isations", "ise"),
        ("izations", "ize"),
        ("isation", "ise"),
        ("ization", "ize"),
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of a text, folded the way the grader folds answers."""
    return normalize_answer(text).split()


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no function words, no one-letter words)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


class StemIndex:
    """A set of stems that answers quickly whether it holds a stem of the same word as
    another: the same stem, one a long part of the other ('nuclear' in 'denuclearize'),
    or a long shared beginning ('intervene', 'intervention')."""

    def __init__(self, stems):
        self.stems = frozenset(stems)
        words_ = [s for s in self.stems if not _NUMBER.match(s)]
        self.prefixes = {s[:6] for s in words_ if len(s) >= 6}
        self.joined = " " + " ".join(words_) + " "
        self.long = [s for s in words_ if len(s) >= 5]

    def has(self, stem_: str) -> bool:
        if stem_ in self.stems:
            return True
        if _NUMBER.match(stem_):
            return False
        if len(stem_) >= 6 and stem_[:6] in self.prefixes:
            return True
        if len(stem_) >= 5 and stem_ in self.joined:
            return True
        return any(other in stem_ for other in self.long if len(other) < len(stem_))


def shared_stems(one, other) -> set[str]:
    """The stems of `one` that match a stem of `other` (a set or a StemIndex)."""
    index = other if isinstance(other, StemIndex) else StemIndex(other)
    return {a for a in one if index.has(a)}


def shared_words(text: str, other: str) -> set[str]:
    return shared_stems(content_stems(text), content_stems(other))


def term_form(text: str) -> str:
    """'name' for proper names and acronyms (Yalu River, DPRK), 'common' for the rest."""
    parts = re.split(r"[\s\-–—]+", text.strip())
    if any(len(p) > 1 and p.isupper() for p in parts):
        return "name"
    return "name" if any(p[:1].isupper() for p in parts[1:]) else "common"


# --- articles ------------------------------------------------------------------------------

ARTICLES = frozenset({"a", "an", "the"})
# Possessives and determiners already fill the slot an article would take.
DETERMINERS = frozenset(
    {"his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those"}
)
# Heads of names that take "the" in English: the Yalu River, the Asia Program.
THE_HEADS = _word_set(
    """
    center centre program programme council river sea corridor party union talks nations
    states republic committee assembly organization organisation institute institution
    office ministry administration war peninsula strait straits islands mountains kingdom
    """
)


def takes_the(name: str) -> bool:
    """Whether a name needs "the" in running text: "the University of Virginia",
    "the Wilson Center", but "Columbia University", "Beijing", "Japan"."""
    folded = words(name)
    if not folded or folded[0] in ARTICLES:
        return False
    if not name[:1].isupper():
        return False  # a common word: its article belongs to the sentence, not the name
    return "of" in folded[1:] or folded[-1] in THE_HEADS


def starts_with_article(text: str) -> bool:
    first = text.strip().split(" ", 1)[0].casefold()
    return first in ARTICLES


def word_before(text: str, marker: str) -> str:
    """The word just before `marker` in `text`, folded ('' when none)."""
    head = text.split(marker, 1)[0]
    tail = re.findall(r"[\w'’]+", head)
    return tail[-1].casefold() if tail else ""


def article_fits(article: str, option: str) -> bool:
    """Whether `article` (the word before a blank) reads right before `option`."""
    if article == "the":
        return takes_the(option) or not option[:1].isupper()
    if article in ("a", "an"):
        vowel = option.strip()[:1].casefold() in "aeiou"
        return vowel == (article == "an")
    if article in DETERMINERS or article.endswith(("'s", "’s")):
        return not starts_with_article(option) and not takes_the(option)
    return not takes_the(option)


# --- asides --------------------------------------------------------------------------------

_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
_BARE_ASIDE = re.compile(r"^[\d\s–\-—,./#]+$|^[A-Z]{2,6}$")


def asides(text: str) -> list[str]:
    """Parenthetical remarks in a text, except dates and acronyms: '(1948–1994)', '(DPRK)'."""
    return [m.group(1) for m in _PARENTHETICAL.finditer(text) if not _BARE_ASIDE.match(m.group(1))]


def without_asides(text: str) -> str:
    """The text with its parenthetical remarks taken out (dates and acronyms stay)."""

    def drop(match):
        return match.group(0) if _BARE_ASIDE.match(match.group(1)) else ""

    cleaned = _PARENTHETICAL.sub(drop, text).strip()
    return re.sub(r"\s+([.,;:])", r"\1", cleaned)
