"""The learner's deck with their schedule and review log, imported into a fresh collection
with Anki's own `anki` library (quizzes/review/anki_history.py)."""

import datetime
import io
import sqlite3
import zipfile

import pytest
from django.utils import timezone

from quizzes.models import Card, Review
from quizzes.review.anki import note_guid
from quizzes.review.anki_history import export_with_history
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import review_card, undo_last_review
from tests import factories

pytestmark = pytest.mark.django_db

anki_collection = pytest.importorskip("anki.collection")


@pytest.fixture
def deck():
    lesson = factories.LessonFactory(slug="border", title="The border")
    for term in ("Sinuiju", "Dandong", "Juche", "Chollima"):
        factories.TermFactory(lesson=lesson, term=term, definition=f"About {term}.")
    sync_cards()
    return list(Card.objects.active().filter(kind=Card.Kind.TERM).order_by("pk"))


def import_with_scheduling(tmp_path, data: bytes):
    package = tmp_path / "mine.apkg"
    package.write_bytes(data)
    collection = anki_collection.Collection(str(tmp_path / "fresh.anki2"))
    collection.import_anki_package(anki_collection.ImportAnkiPackageRequest(
        package_path=str(package),
        options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
    ))
    return collection


def anki_card(collection, card):
    note_id = collection.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid(card))
    return collection.get_card(collection.db.scalar("SELECT id FROM cards WHERE nid = ?", note_id))


def test_the_imported_deck_keeps_the_due_dates_and_the_review_log(tmp_path, student, deck):
    now = timezone.now()
    # A card in long-term review: Good, Good, Good a few days apart.
    for days, rating in ((30, 3), (29, 3), (25, 3)):
        review_card(user=student, card=deck[0], rating=rating,
                    now=now - datetime.timedelta(days=days))
    # A card still learning (one Again a minute ago).
    review_card(user=student, card=deck[1], rating=1, now=now - datetime.timedelta(minutes=1))
    # A grade that was undone counts for nothing, so it is not in the log.
    review_card(user=student, card=deck[2], rating=4, now=now - datetime.timedelta(seconds=30))
    assert undo_last_review(user=student, now=now).card == deck[2]
    states = {s.card_id: s for s in student.card_states.all()}

    collection = import_with_scheduling(tmp_path, export_with_history(user=student))
    try:
        today = collection.sched.today
        review = anki_card(collection, deck[0])
        assert (review.type, review.queue) == (2, 2)  # a review card
        days_left = (timezone.localdate(states[deck[0].pk].due) - timezone.localdate(now)).days
        assert review.due - today == pytest.approx(days_left, abs=1)
        assert review.reps == 3
        assert review.memory_state.stability == pytest.approx(states[deck[0].pk].stability,
                                                              rel=1e-3)

        learning = anki_card(collection, deck[1])
        assert (learning.type, learning.queue) == (1, 1)  # learning, due at a time
        assert learning.due == int(states[deck[1].pk].due.timestamp())

        for untouched in (deck[2], deck[3]):
            assert anki_card(collection, untouched).type == 0  # still new

        log = collection.db.all("SELECT cid, ease, type FROM revlog ORDER BY id")
        assert [(ease, kind) for _cid, ease, kind in log] == [(3, 0), (3, 0), (3, 1), (1, 0)]
        assert {cid for cid, *_ in log} == {review.id, learning.id}
        assert len(log) == Review.objects.counted().filter(user=student).count()
        # The interval after the last review is the card's own: whole days once in review.
        last_ivl = collection.db.scalar(
            "SELECT ivl FROM revlog WHERE cid = ? ORDER BY id DESC LIMIT 1", review.id
        )
        assert last_ivl == review.ivl > 0
        assert collection.db.scalar(  # a learning step's interval is in seconds (negative)
            "SELECT ivl FROM revlog WHERE cid = ?", learning.id
        ) < 0

    finally:
        collection.close()


def test_the_download_needs_sign_in_and_holds_only_ones_own_history(
    client, student, deck, tmp_path
):
    other = factories.UserFactory()
    review_card(user=other, card=deck[0], rating=3, now=timezone.now())
    assert client.get("/review/my-cards.apkg").status_code == 302

    client.force_login(student)
    response = client.get("/review/my-cards.apkg")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/apkg"
    assert "with-my-reviews" in response["Content-Disposition"]
    assert revlog_rows(response.content, tmp_path / "sam") == 0  # olga's review is hers
    assert revlog_rows(export_with_history(user=other), tmp_path / "olga") == 1


def revlog_rows(data: bytes, folder) -> int:
    folder.mkdir()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        (folder / "c.anki2").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(folder / "c.anki2")
    try:
        return db.execute("SELECT count(*) FROM revlog").fetchone()[0]
    finally:
        db.close()



def test_a_review_without_its_state_before_still_exports(tmp_path, student, deck):
    now = timezone.now()
    for days in (9, 5):
        factories.ReviewFactory(user=student, card=deck[0], rating=3,
                                reviewed_at=now - datetime.timedelta(days=days))
    factories.CardStateFactory(user=student, card=deck[0])

    collection = import_with_scheduling(tmp_path, export_with_history(user=student))
    try:
        assert collection.db.scalar("SELECT count(*) FROM revlog") == 2
        assert anki_card(collection, deck[0]).type == 2
    finally:
        collection.close()
