"""One world of real objects per test module, rolled back at the end of the module.

Each test still runs in its own savepoint (the `db` fixture), so whatever a request
changes is undone before the next test; building the world once keeps the URL-by-URL
tests fast.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.security.world import ROLES, build_world, user_for

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        world = build_world()
        world.session_cookies = _sign_everyone_in(world)
        yield world
        transaction.set_rollback(True)


def _sign_everyone_in(world) -> dict:
    """One session per visitor, made once per module (signing in costs a few queries)."""
    cookies = {}
    for role in ROLES:
        client = Client()
        if user_for(world, role) is not None:
            client.force_login(user_for(world, role))
        cookies[role] = client.cookies
    return cookies


def clients_for(world, **options) -> dict[str, Client]:
    """A fresh test client per visitor, already signed in as that visitor."""
    clients = {}
    for role in ROLES:
        client = Client(**options)
        for name, morsel in world.session_cookies[role].items():
            client.cookies[name] = morsel.value
        clients[role] = client
    return clients


@pytest.fixture
def world(module_world, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    for value in vars(module_world).values():
        # Instances are shared between tests: reload each from the (rolled-back) database.
        if hasattr(value, "refresh_from_db"):
            value.refresh_from_db()
        elif isinstance(value, list):
            for item in value:
                if hasattr(item, "refresh_from_db"):
                    item.refresh_from_db()
    return module_world
