"""Flashcards generated from the content, kept in step with it the way the question bank is.

One card per content item, and two for a glossary term: a Term asks for its meaning and,
reversed, gives the meaning and asks for the term (its own card, with its own schedule);
a Claim shows the argument and asks
who made it (with who they are and where they said it), an Event asks when it happened
and why it matters, a Fact is a cloze. Each card carries a fingerprint of what the learner
is asked to remember, so running sync_cards() again changes nothing that has not changed:

- a new item gets a card;
- an edited item (front, back or context changed) gets a new card and its old one is
  retired, so no learner keeps a schedule earned on words that are no longer there;
- an item edited back to an earlier wording gets its earlier card back (the fingerprint is
  unique, so it is revived rather than duplicated);
- a deleted item's card is retired;
- a lesson or citation change is a bookkeeping change and updates the card in place, and so
  is a change to what a typed answer is checked against (`answer`, `alternatives`: a term's
  spelling on its reversed card, a fact's blank, a claim's speaker; empty on cards whose
  back is an explanation rather than a word to type).

Contract: sync_cards() -> dict of counts.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from quizzes.review.models import Card
from relations.models import Claim, Event, Fact, Term


@dataclass(frozen=True)
class CardDraft:
    """What a card should be, computed from its content item."""

    kind: str
    front: str
    back: str
    context: str
    lesson_id: int | None
    citation_id: int | None
    item_type_id: int
    item_id: int
    answer: str = ""
    alternatives: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        # The item's identity is part of it, so two items that read alike get two cards.
        parts = [self.kind, str(self.item_type_id), str(self.item_id), self.front, self.back,
                 self.context]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _editor_note_line(item) -> str:
    note = item.editor_note
    if note is None:
        return ""
    return f"Editor's note: {note.sentence}"


def _sentence(text: str) -> str:
    """A front reads as a sentence: its first letter a capital, the rest as written."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def _join(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _term_context(term: Term) -> str:
    alternatives = term.alternative_list
    return _join(
        f"Also written: {', '.join(alternatives)}." if alternatives else "",
        _editor_note_line(term),
    )


def term_draft(term: Term, item_type_id: int) -> CardDraft:
    return CardDraft(
        kind=Card.Kind.TERM,
        front=f"What does “{term.term}” mean?",
        back=term.definition,
        context=_term_context(term),
        lesson_id=term.lesson_id,
        citation_id=term.citation_id,
        item_type_id=item_type_id,
        item_id=term.pk,
    )


def reverse_term_draft(term: Term, item_type_id: int) -> CardDraft:
    alternatives = term.alternative_list
    return CardDraft(
        kind=Card.Kind.REVERSE,
        front=f"Which term means this?\n{term.definition}",
        back=term.term,
        context=_term_context(term),
        lesson_id=term.lesson_id,
        citation_id=term.citation_id,
        item_type_id=item_type_id,
        item_id=term.pk,
        answer=term.term[:300],
        alternatives=tuple(alternatives),
    )


def claim_draft(claim: Claim, item_type_id: int) -> CardDraft:
    person = claim.person
    who = person.name
    if person.affiliation:
        who = f"{who} ({person.affiliation})"
    if person.role:
        who = f"{who}, {person.role}"
    # The argument is the front: several claims share a theme, so "what did X argue about
    # <theme>?" would ask the same question of different cards. The theme keeps its own
    # capitals ("Judging Beijing's policy", never "judging beijing's policy").
    front = f"{_sentence(claim.topic)}: who argued this?\n{claim.statement}"
    if claim.quotation:
        front = f"{front}\nIn their words: “{claim.quotation}”"
    return CardDraft(
        kind=Card.Kind.CLAIM,
        front=front,
        back=who,
        context=_join(
            f"Context: {claim.context}" if claim.context else "",
            _editor_note_line(claim),
        ),
        lesson_id=claim.lesson_id,
        citation_id=claim.citation_id,
        item_type_id=item_type_id,
        item_id=claim.pk,
        answer=person.name[:300],
    )


def event_draft(event: Event, item_type_id: int) -> CardDraft:
    return CardDraft(
        kind=Card.Kind.EVENT,
        front=f"{event.title}: when was it, and why does it matter?",
        back=_join(f"When: {event.when}.", f"Why it matters: {event.significance}"),
        context=_join(
            f"Era: {event.era.name}." if event.era_id else "",
            event.summary,
            _editor_note_line(event),
        ),
        lesson_id=event.lesson_id,
        citation_id=event.citation_id,
        item_type_id=item_type_id,
        item_id=event.pk,
    )


def fact_draft(fact: Fact, item_type_id: int) -> CardDraft:
    alternatives = fact.alternative_list
    return CardDraft(
        kind=Card.Kind.FACT,
        front=_sentence(fact.blanked_text),
        back=fact.answer,
        context=_join(
            fact.plain_text,
            f"Also accepted: {', '.join(alternatives)}." if alternatives else "",
            _editor_note_line(fact),
        ),
        lesson_id=fact.lesson_id,
        citation_id=fact.citation_id,
        item_type_id=item_type_id,
        item_id=fact.pk,
        answer=fact.answer[:300],
        alternatives=tuple(alternatives),
    )


def card_drafts() -> list[CardDraft]:
    """Every card the content calls for, in four queries (one per kind of item)."""
    types = ContentType.objects.get_for_models(Term, Claim, Event, Fact)
    drafts = []
    for term in Term.objects.select_related("editor_note").order_by("pk"):
        drafts.append(term_draft(term, types[Term].pk))
        drafts.append(reverse_term_draft(term, types[Term].pk))
    for claim in Claim.objects.select_related("person", "editor_note").order_by("pk"):
        drafts.append(claim_draft(claim, types[Claim].pk))
    for event in Event.objects.select_related("era", "editor_note").order_by("pk"):
        drafts.append(event_draft(event, types[Event].pk))
    for fact in Fact.objects.select_related("editor_note").order_by("pk"):
        drafts.append(fact_draft(fact, types[Fact].pk))
    return drafts


def sync_cards(*, now=None) -> dict:
    """Bring the cards up to date with the content. Returns counts of what it did."""
    now = now or timezone.now()
    drafts = {draft.fingerprint: draft for draft in card_drafts()}
    with transaction.atomic():
        existing = {card.fingerprint: card for card in Card.objects.all()}

        to_create = []
        to_update = []
        revived = 0
        for fingerprint, draft in drafts.items():
            card = existing.get(fingerprint)
            if card is None:
                to_create.append(
                    Card(
                        kind=draft.kind, front=draft.front, back=draft.back,
                        context=draft.context, lesson_id=draft.lesson_id,
                        citation_id=draft.citation_id, item_type_id=draft.item_type_id,
                        item_id=draft.item_id, fingerprint=fingerprint,
                        answer=draft.answer, alternatives=list(draft.alternatives),
                    )
                )
                continue
            changed = (
                (card.lesson_id, card.citation_id, card.answer, list(card.alternatives))
                != (draft.lesson_id, draft.citation_id, draft.answer, list(draft.alternatives))
            )
            if card.retired_at is not None:
                card.retired_at = None
                revived += 1
                changed = True
            if changed:
                card.lesson_id = draft.lesson_id
                card.citation_id = draft.citation_id
                card.answer = draft.answer
                card.alternatives = list(draft.alternatives)
                card.updated_at = now
                to_update.append(card)

        retire_ids = [
            card.pk
            for fingerprint, card in existing.items()
            if fingerprint not in drafts and card.retired_at is None
        ]

        Card.objects.bulk_create(to_create, batch_size=500)
        Card.objects.bulk_update(
            to_update,
            ["lesson", "citation", "answer", "alternatives", "retired_at", "updated_at"],
            batch_size=500,
        )
        if retire_ids:
            Card.objects.filter(pk__in=retire_ids).update(retired_at=now, updated_at=now)

    return {
        "created": len(to_create),
        "updated": len(to_update) - revived,
        "revived": revived,
        "retired": len(retire_ids),
        "active": len(drafts),
    }
