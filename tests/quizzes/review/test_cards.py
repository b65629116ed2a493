"""Cards generated from the content, and kept in step with it (quizzes/review/cards.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from quizzes.models import Card
from quizzes.review.cards import sync_cards
from relations.models import Claim, Event, Fact, Term
from tests import factories

pytestmark = pytest.mark.django_db


def card_for(item) -> Card:
    return Card.objects.active().get(
        item_type=ContentType.objects.get_for_model(item), item_id=item.pk
    )


@pytest.fixture
def content():
    lesson = factories.LessonFactory(title="The alliance")
    chen = factories.PersonFactory(
        name="Chen Jian", affiliation="University of Virginia", role="historian, panelist"
    )
    return {
        "lesson": lesson,
        "term": factories.TermFactory(
            lesson=lesson, term="Juche", definition="Self-reliance as state doctrine.",
            alternatives="Chuch'e",
        ),
        "claim": factories.ClaimFactory(
            lesson=lesson, person=chen, topic="the Korean War",
            statement="Beijing entered the war to secure its own revolution at home.",
            context="Speaking at the 2003 panel on the alliance's fiftieth year.",
        ),
        "event": factories.EventFactory(
            lesson=lesson, title="Armistice signed", precision="day", year=1953,
            date=datetime.date(1953, 7, 27), significance="Fighting stopped; no peace treaty.",
        ),
        "fact": factories.FactFactory(
            lesson=lesson, text="Much of the border follows the [[Yalu|Amnok]] River."
        ),
    }


def test_each_item_gets_one_card_with_the_question_the_learner_sees(content):
    counts = sync_cards()

    assert counts["created"] == 4
    assert Card.objects.active().count() == 4

    term = card_for(content["term"])
    assert term.kind == Card.Kind.TERM
    assert term.front == "What does “Juche” mean?"
    assert term.back == "Self-reliance as state doctrine."
    assert "Chuch'e" in term.context

    claim = card_for(content["claim"])
    # The theme ("the Korean War") as a sentence: capital first, its own capitals kept.
    assert claim.front.startswith("The Korean War: who argued this?\n")
    assert "Beijing entered the war" in claim.front  # the argument is the question
    assert claim.back.startswith("Chen Jian (University of Virginia)")  # who said it
    assert "2003 panel" in claim.context  # and in what context

    event = card_for(content["event"])
    assert "Armistice signed" in event.front
    assert "27 July 1953" in event.back and "no peace treaty" in event.back

    fact = card_for(content["fact"])
    assert fact.front == "Much of the border follows the _____ River."
    assert fact.back == "Yalu"
    assert "Amnok" in fact.context

    for item in content.values():
        if isinstance(item, Term | Claim | Event | Fact):
            card = card_for(item)
            assert card.lesson == content["lesson"]
            assert card.citation == item.citation


def test_an_editor_note_travels_with_the_card(content):
    note = factories.EditorNoteFactory(source_says="Kim Jung Il", correction="Kim Il Sung")
    content["claim"].editor_note = note
    content["claim"].save()

    sync_cards()

    assert "Kim Il Sung" in card_for(content["claim"]).context


def test_sync_is_idempotent(content):
    sync_cards()
    before = list(Card.objects.values_list("pk", "fingerprint", "retired_at"))

    counts = sync_cards()

    assert counts["created"] == counts["retired"] == counts["updated"] == 0
    assert list(Card.objects.values_list("pk", "fingerprint", "retired_at")) == before


def test_editing_an_item_retires_its_old_card_and_makes_a_new_one(content):
    sync_cards()
    old = card_for(content["term"])

    content["term"].definition = "The doctrine of self-reliance."
    content["term"].save()
    counts = sync_cards()

    assert counts["created"] == 1 and counts["retired"] == 1
    old.refresh_from_db()
    assert old.retired_at is not None
    new = card_for(content["term"])
    assert new.pk != old.pk
    assert new.back == "The doctrine of self-reliance."


def test_editing_back_revives_the_earlier_card_instead_of_duplicating(content):
    sync_cards()
    original = card_for(content["term"])
    term = content["term"]

    term.definition = "Something else."
    term.save()
    sync_cards()
    term.definition = "Self-reliance as state doctrine."
    term.save()
    counts = sync_cards()

    assert counts["revived"] == 1
    assert card_for(term).pk == original.pk
    assert Card.objects.filter(fingerprint=original.fingerprint).count() == 1


def test_deleting_an_item_retires_its_card(content):
    sync_cards()
    card = card_for(content["fact"])

    content["fact"].delete()
    counts = sync_cards()

    assert counts["retired"] == 1
    card.refresh_from_db()
    assert card.retired_at is not None
    assert Card.objects.active().count() == 3


def test_moving_an_item_to_another_lesson_updates_the_card_in_place(content):
    sync_cards()
    card = card_for(content["term"])
    other = factories.LessonFactory()

    content["term"].lesson = other
    content["term"].save()
    counts = sync_cards()

    assert counts == {"created": 0, "updated": 1, "revived": 0, "retired": 0, "active": 4}
    card.refresh_from_db()
    assert card.lesson == other and card.retired_at is None


def test_two_items_that_read_alike_get_two_cards():
    lesson = factories.LessonFactory()
    factories.TermFactory(lesson=lesson, term="Dandong", definition="A border city.")
    factories.TermFactory(lesson=lesson, term="Dandong", definition="A border city.")

    sync_cards()

    assert Card.objects.active().count() == 2


def test_sync_takes_a_fixed_number_of_queries_whatever_the_size(django_assert_num_queries):
    def build(count):
        lesson = factories.LessonFactory()
        for _ in range(count):
            factories.TermFactory(lesson=lesson)
            factories.ClaimFactory(lesson=lesson)
            factories.EventFactory(lesson=lesson)
            factories.FactFactory(lesson=lesson)

    build(2)
    sync_cards()  # warms the content-type cache
    build(2)
    with django_assert_num_queries(8) as small:
        sync_cards()
    build(30)
    with django_assert_num_queries(len(small.captured_queries)):
        sync_cards()


def test_claim_cards_on_the_real_course_never_ask_the_same_question_twice(course):
    fronts = list(Card.objects.active().values_list("front", flat=True))
    assert len(fronts) == len(set(fronts))
