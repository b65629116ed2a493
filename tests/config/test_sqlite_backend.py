"""The SQLite backend takes the write lock in small steps (config/sqlite_backend/base.py):
a writer waits for another's lock and gets it once that is released, gives up with
"database is locked" only after the busy timeout, and leaves the busy timeout as it was."""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

from config.sqlite_backend.base import DatabaseWrapper, is_busy


def wrapper_for(path, alias, **options):
    """A connection of this backend to `path`, reachable as `alias` in this thread."""
    connections[alias] = wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": settings.SQLITE_ENGINE,
            "NAME": str(path),
            "OPTIONS": {**settings.SQLITE_OPTIONS, **options},
            "TEST": {},
        },
        alias=alias,
    )
    return wrapper


@pytest.fixture
def two_writers(tmp_path, django_db_blocker):
    # Files of their own, not the test database: pytest-django's guard is lifted for them.
    path = tmp_path / "writers.sqlite3"
    with sqlite3.connect(path) as setup:  # in WAL already, as the app's database always is
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, who TEXT)")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    with django_db_blocker.unblock():
        yield path, holder
    holder.close()
    del connections["second"]


def busy_timeout(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        return cursor.fetchone()[0]


def test_settings_use_this_backend_for_sqlite():
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the default database is PostgreSQL in this run")
    assert settings.DATABASES["default"]["ENGINE"] == "config.sqlite_backend"


def test_a_writer_waits_for_the_lock_and_writes_once_it_is_free(two_writers):
    path, holder = two_writers
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO answers (who) VALUES ('first')")
    releaser = threading.Timer(0.1, lambda: holder.execute("COMMIT"))
    releaser.start()
    second = wrapper_for(path, "second")
    try:
        with transaction.atomic(using="second"):
            second.cursor().execute("INSERT INTO answers (who) VALUES ('second')")
        assert busy_timeout(second) == 20000  # as settings set it, for every other statement
    finally:
        releaser.join()
        second.close()
    with sqlite3.connect(path) as check:
        assert [row[0] for row in check.execute("SELECT who FROM answers ORDER BY id")] == [
            "first", "second",
        ]


def test_past_the_busy_timeout_it_says_the_database_is_locked_and_writes_nothing(two_writers):
    path, holder = two_writers
    holder.execute("BEGIN IMMEDIATE")
    second = wrapper_for(path, "second", timeout=0.05, init_command="PRAGMA busy_timeout=50;")
    try:
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic(
            using="second"
        ):
            second.cursor().execute("INSERT INTO answers (who) VALUES ('second')")
        assert busy_timeout(second) == 50
    finally:
        holder.execute("ROLLBACK")
        second.close()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0


def test_only_a_busy_database_is_retried():
    assert is_busy(sqlite3.OperationalError("database is locked"))
    assert not is_busy(sqlite3.OperationalError("no such table: answers"))
