"""The cards as an Anki deck (.apkg), made with genanki.

Ids are stable so that importing a newer download updates the notes already in a learner's
Anki instead of adding copies: the note type's id is a constant, each lesson's deck id is
derived from the lesson's slug, and each note's guid from the content item the card was
made from (so an edited term updates its note rather than leaving the old wording behind).
"""

import hashlib
import html
import io

import genanki

from quizzes.review.models import Card

APP_KEY = "uneasy-allies"
DECK_PREFIX = "Uneasy Allies"
FIELD_NAMES = ("Front", "Back", "Context", "Source")


def stable_id(*parts: str) -> int:
    """A fixed id in the range genanki recommends (between 2**30 and 2**31)."""
    digest = hashlib.sha256("::".join((APP_KEY, *parts)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


MODEL_ID = stable_id("model", "v1")

NOTE_MODEL = genanki.Model(
    MODEL_ID,
    "Uneasy Allies card",
    fields=[{"name": name} for name in FIELD_NAMES],
    templates=[
        {
            "name": "Card 1",
            "qfmt": '<div class="front">{{Front}}</div>',
            "afmt": (
                '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>'
                '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
                '<div class="source">Source: {{Source}}</div>'
            ),
        }
    ],
    css=(
        ".card { font-family: system-ui, sans-serif; font-size: 20px; color: #1b1f24; "
        "background: #fbfaf7; text-align: left; max-width: 40em; margin: 0 auto; }\n"
        ".context { margin-top: 1em; font-size: 16px; color: #444; }\n"
        ".source { margin-top: 1em; font-size: 14px; color: #555; }\n"
    ),
)


def deck_id_for(lesson_slug: str | None) -> int:
    return stable_id("deck", lesson_slug or "general")


def _field(text: str) -> str:
    # Anki fields are HTML: escape our plain text and keep its line breaks.
    return html.escape(text).replace("\n", "<br>")


def note_guid(card: Card) -> str:
    item_type = f"{card.item_type.app_label}.{card.item_type.model}"
    return genanki.guid_for(APP_KEY, item_type, card.item_id, card.kind)


def note_for(card: Card) -> genanki.Note:
    source = ""
    if card.citation_id:
        source = card.citation.reference
        if card.citation.source.is_course_context:
            source = f"{source}\nRecord: {card.citation.record}"
    tags = [card.kind]
    if card.lesson_id:
        tags.append(card.lesson.slug)
    return genanki.Note(
        model=NOTE_MODEL,
        fields=[_field(card.front), _field(card.back), _field(card.context), _field(source)],
        guid=note_guid(card),
        tags=tags,
    )


def export_cards(*, lesson=None) -> bytes:
    """An .apkg of the active cards, one deck per lesson (or only `lesson`'s deck).

    The package is stamped with the time the newest card last changed, so Anki (which
    updates a note on import only when the incoming one is newer) takes in edited cards and
    leaves the rest alone, and the same cards always make the same notes."""
    return build_package(lesson=lesson)[0]


def build_package(*, lesson=None) -> tuple[bytes, list[Card]]:
    """The package export_cards() downloads, and the cards in it (anki_history.py adds a
    learner's schedule to them)."""
    cards = list(
        Card.objects.active().select_related("lesson", "citation__source", "item_type")
        .filter(**({"lesson": lesson} if lesson is not None else {}))
        .order_by("lesson__order", "lesson_id", "id")
    )
    decks: dict[str | None, genanki.Deck] = {}
    newest = None
    for card in cards:
        newest = max(newest or card.updated_at, card.updated_at)
        slug = card.lesson.slug if card.lesson_id else None
        deck = decks.get(slug)
        if deck is None:
            title = card.lesson.title if card.lesson_id else "General"
            deck = decks[slug] = genanki.Deck(deck_id_for(slug), f"{DECK_PREFIX}::{title}")
        deck.add_note(note_for(card))
    if not decks:  # an empty lesson still downloads as a valid, empty deck
        slug = lesson.slug if lesson is not None else None
        title = lesson.title if lesson is not None else "General"
        decks[slug] = genanki.Deck(deck_id_for(slug), f"{DECK_PREFIX}::{title}")
    buffer = io.BytesIO()
    stamp = newest.timestamp() if newest else None
    genanki.Package(list(decks.values())).write_to_file(buffer, timestamp=stamp)
    return buffer.getvalue(), cards


def export_filename(*, lesson=None) -> str:
    return f"uneasy-allies-{lesson.slug}.apkg" if lesson is not None else "uneasy-allies.apkg"
