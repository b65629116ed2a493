"""Rate limits on join codes, sign-up and password reset (config/rate_limits.py).

The attack on join codes: 3,107 guesses a minute from one account, never refused (issue 14).
Now each account, and each address, has a budget of tries; past it every post is a 429
with a page that says so, whatever the code, and nothing is done.
"""

import pytest
from django.conf import settings

from quizzes.models import Enrollment
from tests import factories
from tests.security.helpers import assert_security_headers

pytestmark = pytest.mark.django_db


def _limit(name) -> int:
    return int(settings.RATE_LIMITS[name].split("/")[0])


def _guesses(client, count):
    return [
        client.post("/classes/join/", {"code": f"G{n:05d}".replace("0", "A")}).status_code
        for n in range(count)
    ]


def test_join_code_guesses_from_one_account_are_refused_after_the_limit(client, student):
    classroom = factories.ClassroomFactory(join_code="RIGHT2")
    client.force_login(student)
    allowed = _limit("join_per_account")
    assert allowed == 10  # the figure SECURITY.md gives
    assert _guesses(client, allowed) == [400] * allowed  # "no class has that code"
    refused = client.post("/classes/join/", {"code": "RIGHT2"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "too many join codes tried from your account" in refused.text
    assert_security_headers(refused, "429")
    # The right code is refused too once the budget is spent: no guess can be confirmed.
    assert not Enrollment.objects.filter(classroom=classroom).exists()
    assert "RIGHT2" not in refused.text
    # A GET of the form stays free.
    assert client.get("/classes/join/").status_code == 200


def test_join_code_guesses_from_one_address_are_refused_across_accounts(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_per_address": "5/h"}
    statuses = []
    for n in range(7):
        client.force_login(factories.UserFactory(username=f"guesser{n}"))
        statuses += _guesses(client, 1)
    assert statuses == [400] * 5 + [429] * 2


def test_the_join_limit_counts_the_address_the_lockout_sees(client, student, settings):
    # Behind a proxy the address comes from django-axes' settings, not REMOTE_ADDR alone.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_per_address": "2/h"}
    client.force_login(student)
    first = client.post("/classes/join/", {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.1")
    second = client.post("/classes/join/", {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.1")
    third = client.post("/classes/join/", {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.1")
    elsewhere = client.post("/classes/join/", {"code": "AAAAAA"}, REMOTE_ADDR="10.0.0.2")
    assert [r.status_code for r in (first, second, third, elsewhere)] == [400, 400, 429, 400]


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_per_address": "3/h"}
    strong = "lips and teeth 1953"
    statuses = []
    for n in range(4):
        client.logout()
        statuses.append(client.post("/accounts/signup/", {
            "username": f"new{n}", "password1": strong, "password2": strong,
        }).status_code)
    assert statuses == [302, 302, 302, 429]
    client.logout()
    assert client.get("/accounts/signup/").status_code == 200
    page = client.post("/accounts/signup/", {"username": "late"})
    assert page.status_code == 429 and "too many sign-ups from your network" in page.text


def test_password_resets_for_one_mailbox_are_limited_however_it_is_written(client, student):
    allowed = _limit("reset_per_email")
    spellings = ["sam@example.org", "SAM@example.org", " Sam@Example.org "]
    statuses = [
        client.post("/accounts/password_reset/", {"email": spellings[n % 3]}).status_code
        for n in range(allowed + 1)
    ]
    assert statuses == [302] * allowed + [429]
    # Another mailbox from the same address is still served.
    assert client.post("/accounts/password_reset/", {"email": "x@example.org"}).status_code == 302


def test_password_resets_from_one_address_are_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reset_per_address": "2/h"}
    statuses = [
        client.post("/accounts/password_reset/", {"email": f"p{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
