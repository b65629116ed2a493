"""A learner's flag and note on a card (quizzes/review/card_notes.py, POST /review/note/)."""

import pytest

from quizzes.models import Card, CardNote
from quizzes.review.card_notes import flagged_cards, save_card_note
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import CardNotFound, InvalidGrade
from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "/review/note/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def card():
    factories.FactFactory(text="The bridge joins Dandong and [[Sinuiju]].")
    sync_cards()
    return Card.objects.active().get()


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def test_a_flag_and_note_are_saved_and_shown_on_the_card(signed_in, student, card):
    response = signed_in.post(NOTE, {"card": card.pk, "flagged": "on",
                                     "note": "  The Friendship Bridge.  "})

    assert response.status_code == 302
    assert response["Location"] == f"/review/?card={card.pk}"
    mark = CardNote.objects.get(user=student, card=card)
    assert (mark.flagged, mark.note) == (True, "The Friendship Bridge.")
    html = signed_in.get(response["Location"]).content.decode()
    assert "Card flagged; your note is saved." in html
    assert "Your note:</span> The Friendship Bridge." in html
    assert '<span class="pill pill-flag">flagged</span>' in html
    assert 'id="card-flagged" checked' in html  # editable, as it stands


def test_saving_again_edits_the_same_note_and_can_unflag(signed_in, student, card):
    save_card_note(user=student, card_id=card.pk, flagged=True, note="First thought.")
    response = signed_in.post(NOTE, {"card": card.pk, "note": "Second thought.", "answer": "on"},
                              **HTMX)

    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Second thought." in response.content.decode()
    assert "Sinuiju" in response.content.decode()  # the back stays shown
    mark = CardNote.objects.get()
    assert (mark.flagged, mark.note) == (False, "Second thought.")
    assert list(flagged_cards(user=student)) == []


def test_notes_are_each_learners_own(signed_in, student, card):
    other = factories.UserFactory()
    save_card_note(user=other, card_id=card.pk, flagged=True, note="Olga's private note")
    html = signed_in.get(f"/review/?card={card.pk}").content.decode()
    assert "Olga's private note" not in html and "pill-flag" not in html
    assert [m.user for m in flagged_cards(user=other)] == [other]


@pytest.mark.parametrize(
    ("data", "status", "sentence"),
    [
        ({"card": "abc", "note": "x"}, 400, "named a card that does not exist"),
        ({"card": 10**6, "note": "x"}, 404, "does not exist any more"),
        ({"note": "x" * 2001}, 400, "Keep the note to 2000 characters"),
    ],
)
def test_a_bad_note_says_why_and_saves_nothing(signed_in, card, data, status, sentence):
    data = {"card": card.pk, **data}
    response = signed_in.post(NOTE, data)
    assert response.status_code == status
    assert sentence in response.content.decode()
    assert not CardNote.objects.exists()


def test_a_retired_card_takes_no_note(student, card):
    from django.utils import timezone

    Card.objects.update(retired_at=timezone.now())
    with pytest.raises(CardNotFound):
        save_card_note(user=student, card_id=card.pk, flagged=True, note="")
    with pytest.raises(InvalidGrade):
        save_card_note(user=student, card_id=card.pk, flagged=False, note="x" * 2001)
    assert not CardNote.objects.exists()


def test_the_note_needs_sign_in(client, card):
    response = client.post(NOTE, {"card": card.pk, "note": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
