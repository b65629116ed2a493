"""A harness for races: N threads released at one instant, each with its own test client and
its own database connection, as N requests on several app servers would be.

SQLite takes one writer at a time (and the test database is in memory, one connection), so
it hides these races; on PostgreSQL (DATABASE_URL=postgres://…) they are real. Tests using
this are `transaction=True` tests, so what one thread commits the others see.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

# Enough to overlap every request; more would only queue on the two cores.
CONCURRENT = 40
TIMEOUT = 120  # seconds for a whole burst


def needs_concurrent_writers():
    """Skip unless the database lets many connections write at once (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "races need concurrent writers: SQLite serialises them (set DATABASE_URL to a "
            "PostgreSQL database to run this)"
        )


def client_like(signed_in: Client, **defaults) -> Client:
    """A new client carrying the same session cookie: one browser's tabs, or its retries."""
    client = Client(**defaults)
    for name, morsel in signed_in.cookies.items():
        client.cookies[name] = morsel.value
    return client


def at_once(count: int, work, *, timeout: float = TIMEOUT) -> list:
    """Run work(index) in `count` threads released together by a barrier; return what each
    returned (or the exception it raised), in index order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=timeout)
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - handed back to the test to inspect
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def statuses(responses) -> dict[int, int]:
    """{status: how many}, failing loudly if any request raised instead of answering."""
    errors = [r for r in responses if isinstance(r, BaseException)]
    assert not errors, f"{len(errors)} requests raised, the first: {errors[0]!r}"
    counts: dict[int, int] = {}
    for response in responses:
        counts[response.status_code] = counts.get(response.status_code, 0) + 1
    return counts
