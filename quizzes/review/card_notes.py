"""A learner's flag and personal note on a card (shown on the card, in their data export).

Contract: save_card_note(*, user, card_id, flagged, note) -> CardNote, or CardNotFound.
"""

from django.db import IntegrityError, transaction

from quizzes.review.models import Card, CardNote
from quizzes.review.scheduling import CardNotFound, InvalidGrade


class NoteTooLong(InvalidGrade):
    """A note longer than CardNote.NOTE_MAX_LENGTH; nothing was saved."""


def save_card_note(*, user, card_id: int, flagged: bool, note: str) -> CardNote:
    """Set the learner's flag and note on an active card, in one guarded write: two saves
    at once leave one row, the later one's."""
    note = (note or "").strip()
    if len(note) > CardNote.NOTE_MAX_LENGTH:
        raise NoteTooLong(
            f"Keep the note to {CardNote.NOTE_MAX_LENGTH} characters; it was not saved."
        )
    card = Card.objects.active().filter(pk=card_id).first()
    if card is None:
        raise CardNotFound("That card does not exist any more; the note was not saved.")
    values = {"flagged": flagged, "note": note}
    try:
        with transaction.atomic():
            saved, _created = CardNote.objects.update_or_create(
                user=user, card=card, defaults=values
            )
    except IntegrityError:  # another save created the row a moment ago: update it
        CardNote.objects.filter(user=user, card=card).update(**values)
        saved = CardNote.objects.get(user=user, card=card)
    return saved


def flagged_cards(*, user):
    """The learner's flagged cards, newest mark first."""
    return (
        CardNote.objects.filter(user=user, flagged=True, card__retired_at__isnull=True)
        .select_related("card__lesson").order_by("-updated_at", "-id")
    )
