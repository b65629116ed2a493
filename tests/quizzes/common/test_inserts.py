"""insert_unless_present: one INSERT that leaves a row another request wrote first alone."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.common.inserts import insert_unless_present
from quizzes.models import CardState
from tests import factories

pytestmark = pytest.mark.django_db


def _new_state(*, user, card, stability=3.5):
    due = timezone.now().replace(microsecond=123456) + datetime.timedelta(days=2)
    return CardState(user=user, card=card, state=2, step=None, stability=stability,
                     difficulty=6.25, due=due, last_review=due - datetime.timedelta(days=2))


def test_a_new_row_goes_in_in_one_statement_with_its_values_and_key():
    user, card = factories.UserFactory(), factories.CardFactory()
    state = _new_state(user=user, card=card)
    with CaptureQueriesContext(connection) as queries:
        assert insert_unless_present(state) is True
    assert len(queries) == 1
    assert "ON CONFLICT DO NOTHING" in queries.captured_queries[0]["sql"]
    stored = CardState.objects.get(user=user, card=card)
    assert state.pk == stored.pk
    assert (stored.state, stored.step, stored.stability, stored.difficulty) == (2, None, 3.5, 6.25)
    assert stored.due == state.due and stored.last_review == state.last_review
    state.stability = 4.0
    state.save()  # the instance is a saved row now: an UPDATE, not a second INSERT
    assert CardState.objects.get(pk=stored.pk).stability == 4.0


def test_a_row_already_there_is_left_as_it_was_and_the_transaction_goes_on():
    first = factories.CardStateFactory(stability=10.0)
    late = _new_state(user=first.user, card=first.card, stability=1.0)
    with transaction.atomic():
        assert insert_unless_present(late) is False
        # No IntegrityError was raised, so PostgreSQL has not aborted the transaction.
        assert CardState.objects.filter(user=first.user).count() == 1
    assert late.pk is None
    assert CardState.objects.get(pk=first.pk).stability == 10.0
