"""Cards generated from the content, and kept in step with it (quizzes/review/cards.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from quizzes.models import Card
from quizzes.review.cards import sync_cards
from relations.models import Claim, Event, Fact, Term
from tests import factories

pytestmark = pytest.mark.django_db


def card_for(item, *, reverse=False) -> Card:
    """The item's card; for a term, its forward card unless `reverse`."""
    cards = Card.objects.active().filter(
        item_type=ContentType.objects.get_for_model(item), item_id=item.pk
    )
    if reverse:
        return cards.get(kind=Card.Kind.REVERSE)
    return cards.exclude(kind=Card.Kind.REVERSE).get()


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


def test_each_item_gets_one_card_and_a_term_two_with_the_question_the_learner_sees(content):
    counts = sync_cards()

    assert counts["created"] == 5
    assert Card.objects.active().count() == 5

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

    reverse = card_for(content["term"], reverse=True)
    assert reverse.front == "Which term means this?\nSelf-reliance as state doctrine."
    assert reverse.back == "Juche"
    assert (reverse.answer, reverse.alternatives) == ("Juche", ["Chuch'e"])

    # What a typed answer is checked against: a word to type, or nothing.
    assert (fact.answer, fact.alternatives) == ("Yalu", ["Amnok"])
    assert claim.answer == "Chen Jian"
    assert term.answer == event.answer == ""
    assert not term.typeable and reverse.typeable

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

    # The definition is on both of the term's cards: the forward and the reversed one.
    assert counts["created"] == 2 and counts["retired"] == 2
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

    assert counts["revived"] == 2  # the forward card and the reversed one
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
    assert Card.objects.active().count() == 4


def test_moving_an_item_to_another_lesson_updates_the_card_in_place(content):
    sync_cards()
    card = card_for(content["term"])
    other = factories.LessonFactory()

    content["term"].lesson = other
    content["term"].save()
    counts = sync_cards()

    assert counts == {"created": 0, "updated": 2, "revived": 0, "retired": 0, "active": 5}
    card.refresh_from_db()
    assert card.lesson == other and card.retired_at is None


def test_two_items_that_read_alike_get_two_cards():
    lesson = factories.LessonFactory()
    factories.TermFactory(lesson=lesson, term="Dandong", definition="A border city.")
    factories.TermFactory(lesson=lesson, term="Dandong", definition="A border city.")

    sync_cards()

    assert Card.objects.active().filter(kind=Card.Kind.TERM).count() == 2
    assert Card.objects.active().filter(kind=Card.Kind.REVERSE).count() == 2


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


def test_a_reversed_term_keeps_its_own_schedule_apart_from_the_forward_card(content):
    from quizzes.review.scheduling import review_card

    sync_cards()
    forward, reverse = card_for(content["term"]), card_for(content["term"], reverse=True)
    learner = factories.UserFactory()
    now = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)

    review_card(user=learner, card=reverse, rating=1, now=now)

    assert reverse.states.get(user=learner).due < now + datetime.timedelta(minutes=5)
    assert not forward.states.filter(user=learner).exists()


def test_cards_made_before_typed_answers_get_theirs_in_place_keeping_their_schedules(content):
    sync_cards()
    before = set(Card.objects.values_list("pk", flat=True))
    Card.objects.update(answer="", alternatives=[])  # as the cards were before typing

    counts = sync_cards()

    assert counts["created"] == counts["retired"] == 0
    assert counts["updated"] == 3  # the fact, the claim and the reversed term
    assert set(Card.objects.values_list("pk", flat=True)) == before
    assert card_for(content["fact"]).accepted_answers == ["Yalu", "Amnok"]


def test_a_reversed_term_is_introduced_the_day_after_its_forward_card_is_known(content):
    from quizzes.review.scheduling import review_card
    from quizzes.review.study_queue import due_queue

    sync_cards()
    forward, reverse = card_for(content["term"]), card_for(content["term"], reverse=True)
    learner = factories.UserFactory()
    monday = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)

    assert reverse not in due_queue(user=learner, now=monday)
    review_card(user=learner, card=forward, rating=4, now=monday)  # Easy: straight to review
    assert reverse not in due_queue(user=learner, now=monday + datetime.timedelta(hours=1))
    assert reverse in due_queue(user=learner, now=monday + datetime.timedelta(days=1))
