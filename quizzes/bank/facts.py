"""The facts under the questions: what a question asks, and what it shows.

Each content item states one fact: a term means its definition, an event happened in its
year, a person made a claim, a side holds a position, a sentence has its answer. A fact's
key is its item's label ("relations.fact:5"). The same fact is often stored twice (a fact
and an event, a claim and a term): two items are twins when each one's own statement
shows the other's answer. A question

- asks the keys of the items it tests (each pair of a matching, each event of an
  ordering) and of their twins, and
- reveals the keys of every other fact its prompt, options, explanation or editor's note
  shows: the fact's answer in so many words, with enough of the words around it.

A quiz holds no two questions whose asked keys meet, and no question whose revealed keys
meet another's asked keys (see quizzes/practice/drawing.py). The keys are computed when
the bank is generated and stored on each Question.
"""

from collections import Counter
from dataclasses import dataclass, replace

from quizzes.bank.grading import normalize_answer
from quizzes.bank.wording import StemIndex, content_stems, shared_stems

# How much of a fact's context must be shown beside its answer for the fact to be shown.
CONTEXT_SHARE = 0.6
CONTEXT_ENOUGH = 3
COMMON_SHARE = 0.08
SIDE_FORMS = {
    "critics": ("critics", "critic", "critical", "opponents"),
    "proponents": ("proponents", "proponent", "supporters", "supporter", "defenders"),
}


@dataclass(frozen=True)
class ItemFact:
    key: str
    forms: tuple  # the answer, as it may be written (normalized)
    context: frozenset  # content stems around the answer
    statement: str  # the item's whole fact, in words


def item_key(item) -> str:
    meta = item._meta
    return f"{meta.app_label}.{meta.model_name}:{item.pk}"


def _name_forms(person) -> list[str]:
    forms = [person.name]
    if person.name.casefold().startswith("the "):
        forms.append(person.name.split("(")[0])
    return forms


def _fact(key, forms, context_text, statement):
    folded = tuple(sorted({normalize_answer(f) for f in forms if normalize_answer(f)}))
    context = content_stems(context_text) - {s for f in folded for s in content_stems(f)}
    return ItemFact(key=key, forms=folded, context=frozenset(context), statement=statement)


def _without_common(facts: dict) -> dict:
    """Words found around most facts ('china', 'korea') say nothing about any one of them."""
    counts = Counter(stem for fact in facts.values() for stem in fact.context)
    common = {stem for stem, n in counts.items() if n >= COMMON_SHARE * len(facts)}
    return {key: replace(fact, context=fact.context - common) for key, fact in facts.items()}


def course_facts(content) -> dict[str, ItemFact]:
    """Every item's fact, by key."""
    facts = {}
    for fact in content.facts:
        facts[item_key(fact)] = _fact(
            item_key(fact),
            [fact.answer, *fact.alternative_list],
            fact.blanked_text,
            fact.plain_text,
        )
    for term in content.terms:
        facts[item_key(term)] = _fact(
            item_key(term),
            [term.term, *term.alternative_list],
            term.definition,
            f"{term.term}: {term.definition}",
        )
    for event in content.events:
        facts[item_key(event)] = _fact(
            item_key(event), [str(event.year)], event.title, f"{event.title}: {event.when}."
        )
    for claim in content.claims:
        facts[item_key(claim)] = _fact(
            item_key(claim),
            _name_forms(claim.person),
            claim.statement,
            f"{claim.person.name}: {claim.statement}",
        )
    for position in content.positions:
        side_forms = SIDE_FORMS.get(position.side, (position.side,))
        facts[item_key(position)] = _fact(
            item_key(position),
            side_forms,
            position.statement,
            f"{position.holder} ({position.side}): {position.statement}",
        )
    return _without_common(facts)


def _has_phrase(folded_text: str, form: str) -> bool:
    return bool(form) and f" {form} " in folded_text


def shows(text: str, fact: ItemFact, *, stems=None, folded=None) -> bool:
    """Whether `text` gives `fact` away: its answer, and enough of its context."""
    folded = f" {normalize_answer(text)} " if folded is None else folded
    if not any(_has_phrase(folded, form) for form in fact.forms):
        return False
    if not fact.context:
        return True
    stems = StemIndex(content_stems(text)) if stems is None else stems
    needed = min(CONTEXT_ENOUGH, max(1, round(CONTEXT_SHARE * len(fact.context))))
    return len(shared_stems(set(fact.context), stems)) >= needed


def twins(facts: dict[str, ItemFact]) -> dict[str, set[str]]:
    """For each key, the keys of the items stating the same fact (each shows the other)."""
    stems = {key: StemIndex(content_stems(fact.statement)) for key, fact in facts.items()}
    folded = {key: f" {normalize_answer(fact.statement)} " for key, fact in facts.items()}
    shown = {
        key: {
            other
            for other, fact in facts.items()
            if other != key
            and shows(facts[key].statement, fact, stems=stems[key], folded=folded[key])
        }
        for key in facts
    }
    return {key: {other for other in shown[key] if key in shown[other]} for key in facts}


def visible_text(*, prompt, body, explanation, note=None, answer=None) -> str:
    """Everything a learner reads about a question, before and after answering: with
    `answer`, also the feedback on each option and a written answer's model answer."""
    parts = [prompt, explanation or ""]
    body = body or {}
    for field in ("options", "left", "right", "items"):
        parts += [entry.get("text", "") for entry in body.get(field, [])]
    answer = answer if isinstance(answer, dict) else {}
    feedback = answer.get("feedback")
    if isinstance(feedback, dict):
        parts += [str(text) for text in feedback.values()]
    parts += [str(a.get("feedback") or "") for a in answer.get("answers") or []
              if isinstance(a, dict)]
    if isinstance(answer.get("model"), str):
        parts.append(answer["model"])
    if note is not None:
        parts += [note.source_says, note.correction, note.explanation or ""]
    return "\n".join(parts)


def asked_items(*, item, answer) -> list[str]:
    """The keys of the items a question tests: its pairs' or events' own, else its item's."""
    sources = (answer or {}).get("sources") or {}
    keys = [source["item"] for source in sources.values() if source.get("item")]
    if keys:
        return sorted(set(keys))
    return [item_key(item)] if item is not None and hasattr(item, "_meta") else []


@dataclass(frozen=True)
class FactIndex:
    facts: dict
    twins: dict

    def asks(self, *, item, answer) -> list[str]:
        own = asked_items(item=item, answer=answer)
        keys = set(own)
        for key in own:
            keys |= self.twins.get(key, set())
        return sorted(keys)

    def reveals(self, *, text: str, asks) -> list[str]:
        stems = StemIndex(content_stems(text))
        folded = f" {normalize_answer(text)} "
        asked = set(asks)
        return sorted(
            key
            for key, fact in self.facts.items()
            if key not in asked and shows(text, fact, stems=stems, folded=folded)
        )


def fact_index(content) -> FactIndex:
    facts = course_facts(content)
    return FactIndex(facts=facts, twins=twins(facts))


def conflicts(one_asks, one_reveals, other_asks, other_reveals) -> bool:
    """Whether two questions may not share a quiz: one fact, or one shows the other's."""
    one_asks, other_asks = set(one_asks), set(other_asks)
    return bool(
        one_asks & other_asks
        or one_asks & set(other_reveals)
        or set(one_reveals) & other_asks
    )
