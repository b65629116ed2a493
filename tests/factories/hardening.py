"""Quiz-side rows for the hardening tests (attempts, cards, classes), built directly.

Imported by name (`from tests.factories import hardening`), not re-exported from
tests/factories/__init__.py, so these never shadow the quiz engine's own factories.
"""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from quizzes import models as quiz
from relations.models import Term
from tests.factories.content import InstructorFactory, TermFactory, UserFactory, days_from_now


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Question

    kind = quiz.QuestionKind.MULTIPLE_CHOICE
    prompt = factory.Sequence(lambda n: f"Which option is right, number {n}?")
    body = factory.LazyFunction(
        lambda: {
            "options": [
                {"key": "a", "text": "Beijing"},
                {"key": "b", "text": "Moscow"},
                {"key": "c", "text": "Tokyo"},
            ]
        }
    )
    answer = factory.LazyFunction(lambda: {"key": "a"})
    explanation = "Because the lesson says so."
    fingerprint = factory.Sequence(lambda n: f"hardening-{n:08d}")


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Classroom

    instructor = factory.SubFactory(InstructorFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    join_code = factory.Sequence(lambda n: f"HX{n:04d}".replace("0", "A").replace("1", "B"))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    opens_at = factory.LazyFunction(lambda: days_from_now(-1))
    due_at = factory.LazyFunction(lambda: days_from_now(7))
    question_count = 2


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Attempt

    user = factory.SubFactory(UserFactory)
    seed = factory.Sequence(lambda n: 1000 + n)
    started_at = factory.LazyFunction(timezone.now)
    question_count = 2


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Response

    attempt = factory.SubFactory(AttemptFactory)
    position = factory.Sequence(int)
    question = factory.SubFactory(QuestionFactory)


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Card

    kind = quiz.Card.Kind.TERM
    front = factory.Sequence(lambda n: f"What is term {n}?")
    back = "A definition."
    item_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Term))
    item_id = factory.LazyFunction(lambda: TermFactory().pk)
    fingerprint = factory.Sequence(lambda n: f"hardening-card-{n:08d}")


class CardStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.CardState

    user = factory.SubFactory(UserFactory)
    card = factory.SubFactory(CardFactory)
    state = 2
    stability = 3.5
    difficulty = 5.0
    due = factory.LazyFunction(lambda: days_from_now(2))
    last_review = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = quiz.Review

    user = factory.SubFactory(UserFactory)
    card = factory.SubFactory(CardFactory)
    rating = 3
    reviewed_at = factory.LazyFunction(timezone.now)
