"""The learner's queue counts (quizzes/review/study_queue.py), worked out in Python from two
plain reads, against the rules written as database queries."""

import datetime
import random

import fsrs
import pytest
from django.db.models import Count, Q

from quizzes.models import Card, CardState
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import LEARN_AHEAD, LEARNING_STATES, review_card
from quizzes.review.study_queue import (
    _unseen_cards,
    planned_queue_counts,
    save_study_preference,
    study_plan,
)
from tests import factories

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def counts_by_query(*, user, now, plan, new_left):
    """The same counts as the database would give them: one aggregate, one counted subquery."""
    counts = plan.states(user).aggregate(
        learning=Count("id", filter=Q(state__in=LEARNING_STATES, due__lte=now + LEARN_AHEAD)),
        review=Count("id", filter=Q(state=fsrs.State.Review, due__lte=now)),
    )
    unseen = _unseen_cards(user=user, plan=plan, now=now).count()
    return counts["learning"], counts["review"], min(new_left, unseen)


@pytest.fixture
def deck():
    lessons = [factories.LessonFactory(), factories.LessonFactory()]
    for lesson in lessons:
        for _ in range(4):
            factories.TermFactory(lesson=lesson)
    sync_cards()
    return lessons


@pytest.mark.parametrize("seed", range(12))
def test_the_counts_match_the_rules_as_queries_whatever_the_learner_did(deck, seed):
    rng = random.Random(seed)
    student = factories.UserFactory()
    cards = list(Card.objects.active().order_by("pk"))
    # Some days of grading at random: forward terms reach review, reversed ones unlock,
    # lapses go back to relearning; one card retired and (half the time) one lesson chosen.
    for day in range(rng.randint(0, 6)):
        for card in rng.sample(cards, rng.randint(1, len(cards))):
            now = START + datetime.timedelta(days=day, minutes=rng.randint(0, 600))
            state = CardState.objects.filter(user=student, card=card).first()
            if card.kind == Card.Kind.REVERSE and state is None and rng.random() < 0.5:
                continue
            review_card(user=student, card=card, rating=rng.choice(list(fsrs.Rating)), now=now)
    Card.objects.filter(pk=rng.choice(cards).pk).update(retired_at=START)
    if seed % 2:
        save_study_preference(user=student, new_cards_per_day=20, lessons=[deck[seed % 2]])
    plan = study_plan(user=student)
    for now in (START + datetime.timedelta(days=d, hours=h) for d in (0, 3, 7, 40) for h in (0, 9)):
        for new_left in (0, 1, 3, 100):
            counts = planned_queue_counts(user=student, now=now, plan=plan, new_left=new_left)
            assert (counts.learning, counts.review, counts.new) == counts_by_query(
                user=student, now=now, plan=plan, new_left=new_left
            ), (now, new_left)


def test_a_reversed_term_counts_as_new_only_after_its_forward_card_was_known_on_an_earlier_day(
    deck,
):
    student = factories.UserFactory()
    forward = Card.objects.active().filter(kind=Card.Kind.TERM).order_by("pk").first()
    others = Card.objects.active().exclude(item_id=forward.item_id)
    for card in others:  # everything else already seen: only this term's cards are new
        review_card(user=student, card=card, rating=fsrs.Rating.Again, now=START)
    plan = study_plan(user=student)

    def new(now):
        return planned_queue_counts(user=student, now=now, plan=plan, new_left=20).new

    assert new(START) == 1  # the forward card; the reversed one waits
    review_card(user=student, card=forward, rating=fsrs.Rating.Easy, now=START)
    assert new(START + datetime.timedelta(hours=1)) == 0  # known, but today
    assert new(START + datetime.timedelta(days=1)) == 1  # the reversed card, the next day
