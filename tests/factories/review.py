"""Flashcards, learners' card states, reviews and study preferences."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from quizzes.models import Card, CardState, Review, StudyPreference
from relations.models import Term
from tests.factories.content import CitationFactory, LessonFactory, UserFactory

__all__ = ["CardFactory", "CardStateFactory", "ReviewFactory", "StudyPreferenceFactory"]


class CardFactory(factory.django.DjangoModelFactory):
    """A card without a content item behind it (item_id points nowhere), for data volume.
    Tests of generation make cards from content with quizzes.review.cards.sync_cards instead."""

    class Meta:
        model = Card

    kind = Card.Kind.TERM
    front = factory.Sequence(lambda n: f"What does term {n} mean?")
    back = factory.Sequence(lambda n: f"Meaning number {n}.")
    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    item_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Term))
    item_id = factory.Sequence(lambda n: 1_000_000 + n)
    fingerprint = factory.Sequence(lambda n: f"factory-card-{n:012d}")


class CardStateFactory(factory.django.DjangoModelFactory):
    """A card in long-term review, last seen ten days ago, due yesterday."""

    class Meta:
        model = CardState

    user = factory.SubFactory(UserFactory)
    card = factory.SubFactory(CardFactory)
    state = 2
    step = None
    stability = 10.0
    difficulty = 5.0
    due = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    last_review = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    user = factory.SubFactory(UserFactory)
    card = factory.SubFactory(CardFactory)
    rating = 3
    reviewed_at = factory.LazyFunction(timezone.now)
    source = Review.Source.REVIEW


class StudyPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyPreference
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    new_cards_per_day = 20

    @factory.post_generation
    def lessons(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lessons.set(extracted)
