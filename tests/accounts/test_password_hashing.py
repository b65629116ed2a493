"""New passwords are hashed with Argon2; an older hash is rewritten with it at sign-in."""

import pytest
from django.contrib.auth.hashers import make_password

from config import settings as project_settings
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "lips and teeth 1953"


@pytest.fixture
def project_hashers(settings):
    # The suite swaps in a fast hasher (tests/conftest.py); these tests use the real list.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_argon2_comes_first_and_the_old_hashers_still_verify():
    hashers = project_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers


def test_a_new_account_gets_an_argon2_hash(client, project_hashers):
    client.post("/accounts/signup/", {
        "username": "nina", "email": "", "password1": PASSWORD, "password2": PASSWORD,
    })
    user = factories.UserFactory._meta.model.objects.get(username="nina")
    assert user.password.startswith("argon2$argon2id$")


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, project_hashers):
    user = factories.UserFactory(username="mira")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"username": "mira", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_a_wrong_password_upgrades_nothing(client, project_hashers):
    user = factories.UserFactory(username="mira")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client.post("/accounts/login/", {"username": "mira", "password": "not it at all"})
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
