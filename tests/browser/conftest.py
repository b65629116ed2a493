"""The browser tests' data is built one fixture, one transaction.

Browser tests are transactional (the live server must see committed rows), so every save
of a content row commits at once and runs what follows a commit: the question bank and
cards resynced, SQLite's search index rebuilt (quizzes/signals.py, relations/search_index.py).
A fixture making thirty content rows would resync thirty times, seconds of work for rows
that are then the same as after one resync. Each of these tests' own fixtures therefore
runs inside one transaction, as an admin action's many saves do, and the resync runs once
when it commits. Fixtures that open pages (on the live server) are left outside.
"""

import pytest

PAGE_FIXTURES = {"live_server", "browser"}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and marker.kwargs.get("transaction", False)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    module = getattr(fixturedef.func, "__module__", "") or ""
    if (
        not module.startswith("tests.")
        or fixturedef.scope != "function"
        or PAGE_FIXTURES & set(fixturedef.argnames)
        or not _transactional(request.node)
    ):
        return (yield)
    from django.db import transaction

    with transaction.atomic():
        return (yield)
