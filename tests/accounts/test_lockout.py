"""Sign-in protection: django-axes locks out password guessing, through our real login view."""

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests import factories

LOGIN = "/accounts/login/"
HOME = reverse("home")
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, address=ATTACKER):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address=ATTACKER):
    return [sign_in(client, username, "wrong guess", address).status_code for _ in range(times)]


def is_signed_in(client, username) -> bool:
    user = client.get(HOME).context["user"]
    return user.is_authenticated and user.username == username


def test_the_configuration_is_what_we_rely_on():
    assert project_settings.AXES_ENABLED
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert project_settings.AXES_FAILURE_LIMIT == 5
    assert project_settings.AXES_COOLOFF_TIME == 0.25  # fifteen minutes
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    # An address alone gets more room than one account: a classroom shares an address.
    assert project_settings.IP_FAILURE_LIMIT > project_settings.AXES_FAILURE_LIMIT
    # ...and a shorter pause than an account's fifteen minutes.
    assert project_settings.IP_COOLOFF_MINUTES < 15
    assert project_settings.AXES_HANDLER == "accounts.lockout.PerParameterLimitHandler"
    assert project_settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    assert not hasattr(project_settings, "AXES_CLIENT_IP_CALLABLE") or (
        project_settings.AXES_CLIENT_IP_CALLABLE is None
    )
    assert project_settings.AXES_HTTP_RESPONSE_CODE == 429
    validators = {v["NAME"].rsplit(".", 1)[-1] for v in project_settings.AUTH_PASSWORD_VALIDATORS}
    assert validators >= {
        "UserAttributeSimilarityValidator", "MinimumLengthValidator",
        "CommonPasswordValidator", "NumericPasswordValidator",
    }


def test_four_failures_still_get_the_form_with_a_message(client, student):
    statuses = fail(client, "sam", 4)
    assert statuses == [200, 200, 200, 200]
    response = sign_in(client, "sam", "wrong guess")
    assert response.status_code == 429  # the fifth failure locks


def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(client, student):
    fail(client, "sam", 5)
    response = sign_in(client, "sam", factories.PASSWORD)  # even the right password
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html
    assert "fifteen minutes" in html
    assert 'role="alert"' in html
    assert not is_signed_in(client, "sam")
    assert "Content-Security-Policy" in response


def test_a_different_account_from_the_same_address_is_unaffected(client, student, other_student):
    fail(client, "sam", 5)
    response = sign_in(client, "olga", factories.PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client, "olga")


def test_the_same_account_from_another_address_is_unaffected(client, student):
    fail(client, "sam", 5)
    response = sign_in(client, "sam", factories.PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert is_signed_in(client, "sam")


def test_a_success_resets_the_count(client, student):
    fail(client, "sam", 4)
    assert sign_in(client, "sam", factories.PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, "sam", 4) == [200, 200, 200, 200]
    assert sign_in(client, "sam", factories.PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, student, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    fail(client, "sam", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert sign_in(client, "sam", factories.PASSWORD).status_code == 302


def test_many_failures_across_names_lock_the_address(client, student, settings):
    settings.IP_FAILURE_LIMIT = 8  # the real limit is higher; the rule is the same
    names = [f"nobody{n}" for n in range(4)] + ["olga", "sam"]
    for name in names:  # never five for one name, so no account lock
        assert fail(client, name, 1) == [200]
    assert fail(client, "nobody0", 1) == [200]
    # The eighth failure from this address, across names, locks the address.
    response = sign_in(client, "nobody1", "wrong guess")
    assert response.status_code == 429
    assert "from your network address" in response.content.decode()
    # Even a right password for an account never guessed at is refused from there...
    factories.UserFactory(username="untouched")
    assert sign_in(client, "untouched", factories.PASSWORD).status_code == 429
    # ...but not from another address.
    assert sign_in(client, "untouched", factories.PASSWORD, address=ELSEWHERE).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address_record(
    client, student, settings
):
    settings.IP_FAILURE_LIMIT = 6
    for name in ["nobody0", "nobody1", "nobody2", "nobody3", "nobody4"]:
        fail(client, name, 1)
    assert sign_in(client, "sam", factories.PASSWORD).status_code == 302  # the attacker's own
    client.post(reverse("logout"))
    assert sign_in(client, "nobody5", "wrong guess").status_code == 429


def test_password_confirmation_to_delete_an_account_counts_towards_the_lock(client, student):
    client.force_login(student)
    delete = reverse("quizzes:delete_account")
    statuses = [
        client.post(delete, {"password": "guess"}, REMOTE_ADDR=ATTACKER).status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    # Locked: not even the right password deletes now.
    response = client.post(delete, {"password": factories.PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert User.objects.filter(pk=student.pk).exists()


def test_password_validators_refuse_weak_passwords_on_password_change(client, student):
    client.force_login(student)
    response = client.post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": "12345678",
         "new_password2": "12345678"},
    )
    html = response.content.decode()
    assert "This password is too common." in html
    assert "This password is entirely numeric." in html
    student.refresh_from_db()
    assert student.check_password(factories.PASSWORD)


# --- whose address: django-ipware through axes' own settings ------------------------------

PROXY = "127.0.0.1"  # our reverse proxy, on the app server's host


@pytest.fixture
def behind_one_proxy(settings):
    """The settings BEHIND_PROXY=1 gives (see config/settings.py), for this test only."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0  # the header holds one address: the client's
    settings.AXES_IPWARE_PROXY_ORDER = "left-most"
    settings.PROXY_ADDRESSES = [PROXY, "::1"]
    return settings


def client_address(rf, **meta) -> str:
    from axes.helpers import get_client_ip_address

    from config.middleware import ForwardedHeadersFromProxiesOnly

    request = rf.get("/", **meta)
    ForwardedHeadersFromProxiesOnly(lambda r: None)(request)
    return get_client_ip_address(request)


def test_without_a_proxy_forwarded_headers_are_ignored(rf):
    assert client_address(rf, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="6.6.6.6") == ATTACKER


@pytest.mark.parametrize(
    ("forwarded", "remote", "expected"),
    [
        (ATTACKER, PROXY, ATTACKER),  # the address our proxy wrote
        ("", PROXY, PROXY),  # no header: the proxy's own
        # The client added an entry of its own; the proxy appended the real one. Two entries
        # where one is expected: the header is not believed, and every such request shares
        # the proxy's address (and its lockout).
        (f"6.6.6.6, {ATTACKER}", PROXY, PROXY),
        # A client reaching the app server directly: its headers are dropped.
        ("6.6.6.6", ELSEWHERE, ELSEWHERE),
    ],
)
def test_behind_a_proxy_the_client_address_is_the_one_our_proxy_wrote(
    rf, behind_one_proxy, forwarded, remote, expected
):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(rf, **meta) == expected


def test_behind_a_cdn_and_a_proxy_the_client_is_the_first_of_two(rf, behind_one_proxy):
    behind_one_proxy.AXES_IPWARE_PROXY_COUNT = 1  # CLIENT_HOPS_LISTED=2
    forwarded = f"{ATTACKER}, 198.51.100.9"
    assert client_address(rf, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == ATTACKER


@pytest.mark.parametrize("direct", [False, True], ids=["through-the-proxy", "directly"])
def test_a_rotated_forwarded_header_is_locked_all_the_same(client, student, behind_one_proxy,
                                                           direct):
    """Issue 14: twelve wrong passwords, each with a new forged address, then the right one."""
    remote = ELSEWHERE if direct else PROXY
    statuses = []
    for n in range(12):
        forged = f"10.9.{n}.1"
        header = forged if direct else f"{forged}, {ATTACKER}"
        response = client.post(
            LOGIN, {"username": "sam", "password": "wrong guess"},
            REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=header,
        )
        statuses.append(response.status_code)
    assert statuses == [200] * 4 + [429] * 8
    right = client.post(
        LOGIN, {"username": "sam", "password": factories.PASSWORD},
        REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="10.9.99.1" if direct else f"1.2.3.4, {ATTACKER}",
    )
    assert right.status_code == 429
    assert not is_signed_in(client, "sam")


def test_an_honest_client_behind_the_proxy_is_locked_by_its_own_address(
    client, student, behind_one_proxy
):
    for _ in range(5):
        client.post(LOGIN, {"username": "sam", "password": "wrong guess"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    # The same account through the same proxy from another client is unaffected.
    response = client.post(LOGIN, {"username": "sam", "password": factories.PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302


def test_the_address_lock_has_its_own_short_cool_off(client, student, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    settings.IP_FAILURE_LIMIT = 3
    for name in ["nobody0", "nobody1", "nobody2"]:
        sign_in(client, name, "wrong guess")
    response = sign_in(client, "olga", "wrong guess")
    assert response.status_code == 429
    assert f"paused for {project_settings.IP_COOLOFF_MINUTES} minutes" in response.text
    # Past the address's cool-off (shorter than an account's), the address may try again.
    AccessAttempt.objects.update(
        attempt_time=timezone.now()
        - timezone.timedelta(minutes=project_settings.IP_COOLOFF_MINUTES + 1)
    )
    factories.UserFactory(username="untouched")
    assert sign_in(client, "untouched", factories.PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("username", "status"),
    [("u" * 100_000, 200), ("s" * 256, 200), ("sam\x00", 400)],  # 400: NUL, refused up front
)
def test_a_junk_username_is_refused_without_error_and_stored_short(
    client, student, username, status
):
    from axes.models import AccessAttempt

    response = sign_in(client, username, "wrong guess")
    assert response.status_code == status  # the form again with its message, or a 400 page
    for stored in AccessAttempt.objects.values_list("username", flat=True):
        assert stored is None or len(stored) <= 150
