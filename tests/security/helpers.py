"""Shared checks for the security tests: headers every response carries, row snapshots."""

import re
from contextlib import contextmanager

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_security_headers(response, label: str = "") -> None:
    """The headers every response of the app must carry, whatever its type or status."""
    where = label or getattr(response, "request", {}).get("PATH_INFO", "")
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, f"no CSP on {where}"
    assert "script-src 'self'" in policy, where
    assert "frame-ancestors 'none'" in policy, where
    assert "object-src 'none'" in policy, where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    if response.get("Content-Type", "").startswith("text/html"):
        # Fragment or page from one URL: caches must key on the header (config/middleware.py).
        assert "HX-Request" in response.get("Vary", ""), f"no Vary: HX-Request on {where}"


# Tables that may change on any request without it being a change of state a user made:
# sessions (a sign-in, a CSRF rotation) and the sign-in audit trail (a wrong password is
# recorded on purpose, even by a form that refuses it: that is how lockout counts).
VOLATILE_TABLES = frozenset(
    {"sessions.Session", "axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog"}
)


def snapshot(ignore=VOLATILE_TABLES) -> dict[str, list[tuple]]:
    """Every row of every table, for proving that a request changed nothing at all."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.proxy or not model._meta.managed or label in ignore:
            continue
        rows[label] = list(model._default_manager.order_by("pk").values_list())
    return rows


def snapshot_diff(before: dict, after: dict) -> dict[str, str]:
    """What changed between two snapshots, table by table, in words."""
    changes = {}
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, []), after.get(label, [])
        if old != new:
            added = [row for row in new if row not in old]
            removed = [row for row in old if row not in new]
            changes[label] = f"{len(removed)} row(s) gone or changed, {len(added)} new or changed"
    return changes


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_VOLATILE_SQL = ("django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog")


def _writes(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured
        if _WRITE.match(query["sql"]) and not any(t in query["sql"] for t in _VOLATILE_SQL)
    ]


@contextmanager
def changes_nothing(before: dict, label: str):
    """Fail if the block changed any row. Cheap: the full comparison with the snapshot
    `before` runs only when the block sent a write statement (which may have been a no-op)."""
    with CaptureQueriesContext(connection) as captured:
        yield
    if _writes(captured.captured_queries):
        changes = snapshot_diff(before, snapshot())
        assert changes == {}, f"{label} changed {changes}"
