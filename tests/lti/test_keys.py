"""The tool's key pair: made and rotated by `manage.py rotate_keys`, published in the JWKS,
the newest one signing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import Key

pytestmark = pytest.mark.django_db


def _kids(client):
    return [key["kid"] for key in client.get("/lti/jwks.json").json()["keys"]]


def test_rotation_publishes_the_new_key_and_retires_old_ones(client, registration):
    call_command("rotate_keys", stdout=StringIO())
    first = Key.objects.latest()
    Key.objects.filter(pk=first.pk).update(
        datetime_created=timezone.now() - datetime.timedelta(days=8)
    )
    call_command("rotate_keys", stdout=StringIO())
    newest = Key.objects.latest()
    # The fixture's key and the one made just now stay published; the 8-day-old one leaves.
    assert str(newest) in _kids(client) and str(first) not in _kids(client)
    # The newest key signs what the tool sends (deep linking, token requests).
    assert registration.to_registration().get_kid() == str(newest)


def test_send_platform_scores_says_what_it_did(registration):
    out = StringIO()
    call_command("send_platform_scores", stdout=out)
    assert out.getvalue().strip() == "0 score(s) changed; 0 sent, 0 failed."
