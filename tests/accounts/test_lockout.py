"""Sign-in protection: django-axes locks out password guessing, through our real login view."""

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.lockout import client_ip_address
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


@pytest.mark.parametrize(
    ("forwarded", "remote", "count", "expected"),
    [
        ("", "10.0.0.1", 1, "10.0.0.1"),
        ("203.0.113.7", "10.0.0.1", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", "10.0.0.1", 1, "203.0.113.7"),  # forged left part ignored
        ("6.6.6.6, 203.0.113.7, 10.0.0.2", "10.0.0.1", 2, "203.0.113.7"),
    ],
)
def test_behind_a_proxy_the_client_address_is_the_one_our_proxy_saw(
    rf, settings, forwarded, remote, count, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip_address(request) == expected


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
