"""Typed answers: which blanks have one defensible answer, and every form the course
lists for it. Shared by the fill-in-the-blank generator and the linter."""

import re

from quizzes.bank.grading import normalize_answer
from quizzes.bank.wording import words

# A blank is a word or a short name, never a phrase to reconstruct.
MAX_BLANK_WORDS = 4
_SPAN = re.compile(r"\[\[([^\[\]]+?)\]\]")
_QUOTES = "\"“”'‘’"


def term_forms(term) -> list[str]:
    return [term.term, *term.alternative_list]


def _glossary(content) -> dict:
    forms = {}
    for term in content.terms:
        for form in term_forms(term):
            forms.setdefault(normalize_answer(form), term)
    return forms


def completed_term(fact, content):
    """The glossary term the blank belongs to, with the words around it: "the [[Yalu]]
    River" is the Yalu River, "capital [[flight]]" is capital flight; else None."""
    glossary = _glossary(content)
    before, _blank, after = fact.blanked_text.partition("_____")
    left, right = words(before)[-2:], words(after)[:2]
    for form in [fact.answer, *fact.alternative_list]:
        middle = words(form)
        for take_left in range(len(left) + 1):
            for take_right in range(len(right) + 1):
                phrase = left[len(left) - take_left :] + middle + right[:take_right]
                term = glossary.get(" ".join(phrase))
                if term is not None:
                    return term
    return None


def _quoted(fact) -> bool:
    match = _SPAN.search(fact.text)
    if not match:
        return False
    before = fact.text[: match.start()].rstrip()[-1:]
    after = fact.text[match.end() :].lstrip()[:1]
    return bool(before) and before in _QUOTES and bool(after) and after in _QUOTES


def _is_name(fact) -> bool:
    """A proper name, capitalized in the middle of its sentence ("Korean", "Jilin")."""
    match = _SPAN.search(fact.text)
    return bool(match and match.start() > 0 and fact.answer[:1].isupper())


def defensible_blank(fact, content) -> bool:
    """Whether a typed blank has one answer a teacher would accept: a name, a year or a
    number, a term the glossary defines, or the very word a quotation uses. A free word
    ("prone to ___", "minerals") has many answers that fit, so it makes no typed blank."""
    if len(words(fact.answer)) > MAX_BLANK_WORDS:
        return False
    if fact.answer_kind != "term":
        return True
    if _is_name(fact) or _quoted(fact):
        return True
    return completed_term(fact, content) is not None


def listed_forms(fact, content, *, notes=()) -> list[str]:
    """Every form the course itself gives for the fact's answer: its own alternatives, those
    of other facts with the same answer, and the glossary's forms when the blank is (part
    of) a term, including the term written out in full ("Yalu River")."""
    from quizzes.bank.generators.base import is_source_error

    answer = normalize_answer(fact.answer)
    forms = [fact.answer, *fact.alternative_list]
    for other in content.facts:
        if other.pk != fact.pk and normalize_answer(other.answer) == answer:
            forms += [other.answer, *other.alternative_list]
    term = completed_term(fact, content)
    if term is not None:
        forms += term_forms(term)
    glossary = _glossary(content)
    for form in list(forms):
        same = glossary.get(normalize_answer(form))
        if same is not None:
            forms += term_forms(same)
    own = [fact.answer, *fact.alternative_list]
    kept, seen = list(own), {normalize_answer(form) for form in own}
    for form in forms[len(own) :]:
        folded = normalize_answer(form)
        if folded and folded not in seen and not is_source_error(form, notes):
            seen.add(folded)
            kept.append(form)
    return kept
