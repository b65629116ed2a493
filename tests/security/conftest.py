"""One world of real objects per test module, rolled back at the end of the module.

Each test still runs in its own savepoint (the `db` fixture), so whatever a request
changes is undone before the next test; building the world once keeps the URL-by-URL
tests fast.
"""

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.security.world import build_world

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        world = build_world()
        yield world
        transaction.set_rollback(True)


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
