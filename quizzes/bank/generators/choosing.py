"""Choosing what a question shows: distractors balanced in length, names without asides,
and a debate's topic in words that name neither side."""

from quizzes.bank.generators.base import SIDE_GIVEAWAYS
from quizzes.bank.grading import normalize_answer
from quizzes.bank.wording import shared_words, without_asides, words

# Options may differ in length by at most this factor (as the linter checks).
LENGTH_RATIO = 2.0
LONG_OPTION = 20


def lengths_alike(texts) -> bool:
    lengths = [len(text) for text in texts]
    return max(lengths) < LONG_OPTION or max(lengths) <= LENGTH_RATIO * min(lengths)


def length_slot(item, *, options: int, salt: int = 0) -> int:
    """How many distractors should be longer than the key, turn and turn about by item,
    so that "pick the longest" is right only as often as chance."""
    return (item.pk + salt) % options


def pick_by_length(*, key: str, candidates, count: int, slot: int) -> list[str]:
    """Up to `count` distractors from `candidates` (best first), alike in length with the
    key and each other, `slot` of them longer than the key where the candidates allow."""
    fitting = [c for c in candidates if lengths_alike([key, c])]
    longer = [c for c in fitting if len(c) > len(key)]
    shorter = [c for c in fitting if len(c) <= len(key)]
    want_longer = min(slot, count, len(longer))
    want_shorter = min(count - want_longer, len(shorter))
    want_longer = min(count - want_shorter, len(longer))
    chosen = []
    for pool, wanted in ((longer, want_longer), (shorter, want_shorter)):
        for candidate in pool:
            if len([c for c in chosen if c in pool]) >= wanted:
                break
            if lengths_alike([key, *chosen, candidate]):
                chosen.append(candidate)
    order = {text: index for index, text in enumerate(candidates)}
    return sorted(chosen, key=order.get)


def free_of_stem_words(candidates, *, stem: str) -> list[str]:
    """Candidates sharing no content word with the stem come first: the option most like
    the stem is then no better a guess than any other."""
    return sorted(candidates, key=lambda text: bool(shared_words(text, stem)))


def display_name(person) -> str:
    """A person's or a voice's name without its aside: 'The encyclopedia article'."""
    return without_asides(person.name)


def holder_phrases(debate, positions) -> list[str]:
    """The words naming who holds each of a debate's positions, side words taken out:
    'articles own view', 'pragmatic approach'."""
    phrases = []
    for position in positions:
        if position.debate_id != debate.pk:
            continue
        folded = [w for w in words(position.holder) if w not in SIDE_GIVEAWAYS]
        while folded and folded[0] in ("the", "of", "a", "an"):
            folded = folded[1:]
        if len(folded) >= 2:
            phrases.append(" ".join(folded))
    return phrases


def debate_topic(debate, positions) -> str:
    """The debate's title, or its question when the title names who holds a side."""
    folded = f" {normalize_answer(debate.title)} "
    if any(f" {phrase} " in folded for phrase in holder_phrases(debate, positions)):
        return debate.question
    return debate.title
