"""What a cited passage says, and which of an item's words the passage must say too.

The course does not ship its source documents, so a citation of one records the names,
numbers and key terms its passage contains (`Citation.supports`); a citation of the course's
own context holds its paragraph and the record it rests on. The content check asks, for
every cited item, that each name, year and number in it appears there: an item that says
"25 June 1950" cannot cite a paragraph with no 1950 in it.

What counts as a name: a capitalised word inside a sentence, or one that starts a sentence
and is used as a name elsewhere in the course ("Beijing" is, "Trade" is not). A name that
only ever starts sentences escapes the check; that is the price of not guessing.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Spelled-out numbers worth checking. "One" and "two" are left out: in ordinary prose
# ("one reading", "the two capitals") they are not figures a passage has to state.
NUMBER_WORDS = frozenset(re.findall(r"\w+", """
    three four five six seven eight nine ten eleven twelve twenty thirty forty fifty fiftieth
    sixty hundred thousand million billion"""))
# Words that are never names, even capitalised at the start of a sentence or a title.
FUNCTION_WORDS = frozenset(re.findall(r"\w+", """
    a an the and or but nor so yet of in on at to for from by with as into onto over under
    about after before since until while when where which who whom whose why how what that
    this these those it its their his her our your they he she we you i is was are were be
    been being has had have do did does not no each every both all some many most more much
    such there here then than also only even still again if though although because despite
    between against among through during without within along across behind beyond near once
    one two"""))
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"”’')\]]*\s+|\n+")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, digits apart from letters:
    "China’s six‑party talks of 50th" -> "china s six party talks of 50 th"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_TOKEN.findall(text.lower()))


def _sentences(text: str) -> list[list[str]]:
    return [_TOKEN.findall(sentence) for sentence in _SENTENCE_END.split(text) if sentence]


def capitalised_inside_sentences(texts: Iterable[str]) -> set[str]:
    """Words used as names somewhere: capitalised, not at the start of a sentence."""
    names = set()
    for text in texts:
        for tokens in _sentences(text):
            for token in tokens[1:]:
                if token[0].isupper() and fold(token) not in FUNCTION_WORDS:
                    names.add(fold(token))
    return names


def names_and_numbers(text: str, *, known_names: set[str]) -> set[str]:
    """The folded names, numbers and number words `text` uses."""
    found = set()
    for tokens in _sentences(text):
        for position, token in enumerate(tokens):
            folded = fold(token)
            if token.isdigit() or folded in NUMBER_WORDS or _is_name(token, position, known_names):
                found.add(folded)
    return found


def _is_name(token: str, position: int, known_names: set[str]) -> bool:
    folded = fold(token)
    if len(folded) < 2 or not token[0].isupper() or folded in FUNCTION_WORDS:
        return False
    return position > 0 or folded in known_names


@dataclass(frozen=True)
class Vocabulary:
    """What one citation lets an item say: its words, and its phrases kept apart so that a
    phrase never runs across two listed terms."""

    words: frozenset[str]
    phrases: str

    def says(self, phrase: str) -> bool:
        folded = fold(phrase)
        return bool(folded) and f" {folded} " in self.phrases


def vocabulary(*parts: str) -> Vocabulary:
    folded = [fold(part) for part in parts if part and part.strip()]
    return Vocabulary(
        words=frozenset(word for part in folded for word in part.split()),
        phrases=" " + " ~ ".join(folded) + " ",
    )


def citation_vocabulary(citation, source) -> Vocabulary:
    """A context paragraph says what its text and its record say. A passage of a source
    document says the terms listed for it, and every passage carries the document's own
    reference (title, publisher, date, series), as its citation does when it is shown."""
    if source.is_course_context:
        return vocabulary(citation.passage, citation.record)
    reference = (source.title, source.publisher, source.published, source.series)
    return vocabulary(*citation.supported_terms, *reference)
