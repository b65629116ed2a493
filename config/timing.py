"""Server-Timing for the benchmark: how long a request held a database transaction open.

On SQLite a transaction of this app starts with BEGIN IMMEDIATE, which takes the database's
one write lock, so the time from BEGIN to COMMIT is the time every other writer waits; on
PostgreSQL it is how long the request's row locks are held. `make bench` turns this on
(SERVER_TIMING=1) and reads the `Server-Timing: db-tx;dur=…` header locust receives. Off by
default: it patches two methods of Django's database wrapper, which a deployment does not need.
"""

import threading
import time

from django.db.backends.base.base import BaseDatabaseWrapper

_local = threading.local()
_installed = False


def _held() -> list:
    if not hasattr(_local, "held"):
        _local.held = []
    return _local.held


def install() -> None:
    """Time every transaction from the moment it holds its lock (after BEGIN returns) to
    COMMIT or ROLLBACK, per thread."""
    global _installed
    if _installed:
        return
    _installed = True
    set_autocommit, commit, rollback = (
        BaseDatabaseWrapper.set_autocommit, BaseDatabaseWrapper.commit, BaseDatabaseWrapper.rollback
    )

    def timed_set_autocommit(self, autocommit, *args, **kwargs):
        result = set_autocommit(self, autocommit, *args, **kwargs)
        if not autocommit:
            self._timing_began = time.perf_counter()
        return result

    def finish(self):
        began = getattr(self, "_timing_began", None)
        if began is not None:
            _held().append(time.perf_counter() - began)
            self._timing_began = None

    def timed_commit(self):
        try:
            return commit(self)
        finally:
            finish(self)

    def timed_rollback(self):
        try:
            return rollback(self)
        finally:
            finish(self)

    BaseDatabaseWrapper.set_autocommit = timed_set_autocommit
    BaseDatabaseWrapper.commit = timed_commit
    BaseDatabaseWrapper.rollback = timed_rollback


class ServerTimingMiddleware:
    """Adds `Server-Timing: db-tx;dur=<ms>` (the longest transaction of the request) and
    `app;dur=<ms>` (the whole view) to every response."""

    def __init__(self, get_response):
        install()
        self.get_response = get_response

    def __call__(self, request):
        _held().clear()
        started = time.perf_counter()
        response = self.get_response(request)
        total = time.perf_counter() - started
        held = _held()
        parts = [f"app;dur={total * 1000:.2f}"]
        if held:
            parts.append(f"db-tx;dur={max(held) * 1000:.2f}")
        response["Server-Timing"] = ", ".join(parts)
        held.clear()
        return response
