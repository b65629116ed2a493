"""Shared checks for the security tests: headers every response carries, row snapshots."""

from django.apps import apps
from django.db import connection


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


def row_counts() -> dict[str, int]:
    """Rows in every table of every installed model (auth, sessions and axes included)."""
    counts = {}
    with connection.cursor():
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            counts[model._meta.label] = model._default_manager.using("default").count()
    return counts


# Tables that may change on any request without it being a change of state a user made:
# sessions (a sign-in, a CSRF rotation) and the sign-in audit trail.
VOLATILE_TABLES = frozenset({"sessions.Session", "axes.AccessLog"})


def changed_tables(before: dict[str, int], after: dict[str, int], ignore=VOLATILE_TABLES):
    return {
        label: (before.get(label), after.get(label))
        for label in set(before) | set(after)
        if label not in ignore and before.get(label) != after.get(label)
    }
