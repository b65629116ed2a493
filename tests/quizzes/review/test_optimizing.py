"""Each learner's own FSRS parameters, optimized from their review log
(quizzes/review/optimizing.py, the task in tasks.py and the study settings page)."""

import datetime
import random
import re

import pytest
from fsrs import Rating

from quizzes.models import Card, CardState, Review, StudyPreference
from quizzes.review.optimizing import (
    MIN_REVIEWS_TO_OPTIMIZE,
    NotEnoughReviews,
    optimization_status,
    optimize_parameters,
    training_items,
)
from quizzes.review.scheduling import SCHEDULER, review_card, scheduler_for
from tests import factories

pytestmark = pytest.mark.django_db

SETTINGS = "/review/settings/"
OPTIMIZE = "/review/settings/optimize/"
START = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)


def study(user, *, cards: int, reviews_each: int, forgets=0.15, seed=7) -> int:
    """A learner who reviews each card when it falls due, forgetting now and then."""
    rng = random.Random(seed)
    made = [factories.CardFactory() for _ in range(cards)]
    count = 0
    for card in made:
        when = START + datetime.timedelta(minutes=rng.randrange(600))
        for _ in range(reviews_each):
            rating = Rating.Again if rng.random() < forgets else rng.choice(
                [Rating.Hard, Rating.Good, Rating.Good, Rating.Easy])
            state = review_card(user=user, card=card, rating=int(rating), now=when)
            count += 1
            when = max(state.due, when + datetime.timedelta(hours=20))
    return count


def steps(item) -> list[tuple[int, int]]:
    # fsrs-rs-python shows an item's reviews only in its repr.
    return [(int(rating), int(days)) for rating, days in
            re.findall(r"rating: (\d+), delta_t: (\d+)", repr(item))]


def test_training_items_follow_each_cards_history_by_days():
    card_a, card_b = 1, 2
    day = datetime.timedelta(days=1)

    def review(card_id, rating, when):
        return Review(card_id=card_id, rating=rating, reviewed_at=when)

    reviews = [
        review(card_a, 1, START), review(card_a, 3, START + datetime.timedelta(minutes=5)),
        review(card_b, 3, START), review(card_a, 3, START + 2 * day),
        review(card_a, 2, START + 7 * day),
    ]
    items = training_items(reviews)

    # Card A: an item at each later-day review; card B has one review, so none.
    assert [steps(item) for item in items] == [
        [(1, 0), (3, 0), (3, 2)],
        [(1, 0), (3, 0), (3, 2), (2, 5)],
    ]


def test_below_the_threshold_the_defaults_stay(student):
    study(student, cards=3, reviews_each=3)
    status = optimization_status(user=student)
    assert status.parameters is None and not status.can_optimize
    assert status.reviews == 9 and status.reviews_to_go == MIN_REVIEWS_TO_OPTIMIZE - 9
    with pytest.raises(NotEnoughReviews, match="once you have 400 reviews; you have 9"):
        optimize_parameters(user_id=student.pk)
    assert not StudyPreference.objects.filter(fsrs_parameters__isnull=False).exists()
    assert scheduler_for(student) is SCHEDULER


def test_enough_reviews_give_the_learner_their_own_parameters_and_scheduler(student):
    used = study(student, cards=50, reviews_each=9)
    assert used >= MIN_REVIEWS_TO_OPTIMIZE

    status = optimize_parameters(user_id=student.pk)

    assert status.reviews_used == used and len(status.parameters) == 21
    assert status.parameters != tuple(SCHEDULER.parameters)  # fitted, not the defaults
    # The learner's next reviews are scheduled with them; another learner keeps the defaults.
    student.refresh_from_db()
    fresh = type(student).objects.get(pk=student.pk)
    assert tuple(scheduler_for(fresh).parameters) == pytest.approx(status.parameters)
    other = factories.UserFactory()
    assert scheduler_for(other) is SCHEDULER
    card = factories.CardFactory()
    mine = review_card(user=fresh, card=card, rating=3, now=START)
    theirs = review_card(user=other, card=card, rating=3, now=START)
    assert mine.stability == pytest.approx(status.parameters[2])  # w2: Good's first stability
    assert theirs.stability == pytest.approx(SCHEDULER.parameters[2])


class TestTheSettingsPage:
    @pytest.fixture
    def signed_in(self, client, student):
        client.force_login(student)
        return client

    def test_it_says_the_defaults_are_used_and_how_many_reviews_to_go(self, signed_in,
                                                                        student):
        html = signed_in.get(SETTINGS).content.decode()
        assert "default parameters" in html and "400 reviews (you have 0; 400 to go)" in html
        assert 'action="/review/settings/optimize/"' not in html

    def test_optimizing_too_early_is_refused_with_a_sentence(self, signed_in, student):
        response = signed_in.post(OPTIMIZE)
        assert response.status_code == 409
        assert "once you have 400 reviews; you have 0" in response.content.decode()
        assert not StudyPreference.objects.filter(fsrs_parameters__isnull=False).exists()

    def test_with_enough_reviews_the_button_runs_the_task_and_the_page_shows_it(
        self, signed_in, student, monkeypatch, django_capture_on_commit_callbacks
    ):
        from quizzes.review import optimizing

        Review.objects.bulk_create(
            Review(user=student, card=factories.CardFactory(), rating=3, reviewed_at=START)
            for _ in range(MIN_REVIEWS_TO_OPTIMIZE)
        )
        fitted = tuple(round(p * 1.01, 4) for p in SCHEDULER.parameters)
        monkeypatch.setattr(optimizing, "compute_parameters", lambda items: fitted)
        assert "Optimize from my 400 reviews" in signed_in.get(SETTINGS).content.decode()

        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = signed_in.post(OPTIMIZE)

        assert len(queued) == 1  # the task, once the request has committed

        assert response.status_code == 302 and response["Location"] == SETTINGS
        preference = StudyPreference.objects.get(user=student)
        assert tuple(preference.fsrs_parameters) == fitted
        assert preference.fsrs_reviews_used == 400
        html = signed_in.get(SETTINGS).content.decode()
        assert "optimized from <strong>400 of your reviews</strong>" in html

        response = signed_in.post(OPTIMIZE, {"action": "reset"})
        assert response.status_code == 302
        assert StudyPreference.objects.get(user=student).fsrs_parameters is None
        assert not CardState.objects.filter(user=student).exists()  # states untouched
        assert Card.objects.count() == 400
