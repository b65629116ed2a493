"""Server-Timing, which `make bench` reads: how long a request held a transaction open."""

import re

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config.timing import ServerTimingMiddleware
from tests import factories

DURATION = re.compile(r"db-tx;dur=(\d+\.\d\d)")


@pytest.mark.django_db(transaction=True)
def test_a_write_reports_how_long_its_transaction_was_held():
    def view(request):
        with transaction.atomic():
            factories.UserFactory()
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    timing = response["Server-Timing"]
    assert timing.startswith("app;dur=")
    held = float(DURATION.search(timing).group(1))
    total = float(re.search(r"app;dur=(\d+\.\d\d)", timing).group(1))
    assert 0 < held <= total


@pytest.mark.django_db(transaction=True)
def test_a_request_without_a_transaction_reports_none():
    response = ServerTimingMiddleware(lambda request: HttpResponse("ok"))(
        RequestFactory().get("/")
    )
    assert "db-tx" not in response["Server-Timing"]
