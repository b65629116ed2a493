"""one_or_none: the row a unique key names, without the ORDER BY that first() builds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.common.lookups import one_or_none
from quizzes.models import Attempt
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_row_a_unique_key_names_or_none_and_no_order_asked_for():
    attempt = factories.AttemptFactory()
    with CaptureQueriesContext(connection) as queries:
        found = one_or_none(Attempt.objects.filter(pk=attempt.pk))
        missing = one_or_none(Attempt.objects.filter(pk=attempt.pk + 1000))
    assert found == attempt
    assert missing is None
    assert len(queries) == 2
    for query in queries.captured_queries:
        assert "ORDER BY" not in query["sql"]
        assert "LIMIT 1" in query["sql"]
