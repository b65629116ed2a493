"""Settings come from the environment, and production settings are safe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x9-production-test-key-" + "k3Jq8vN2mZp5RtW7yB4cF6hL1sD0gA" * 2,
    "ALLOWED_HOSTS": "uneasy.example.org",
}


def clean_environment() -> dict:
    # The browser fixture allows sync ORM calls beside Playwright's loop; a deployment never does.
    unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in unwanted}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = clean_environment()
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_options_take_effect_on_a_real_connection(db, tmp_path):
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "pragmas.sqlite3"),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
        },
        alias="pragma-check",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_secret_key_is_required_when_debug_is_off():
    result = run_python("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_environment(), **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_for_at_least_a_year_and_secure_cookies():
    values = production_settings(
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


def test_hsts_header_is_sent_over_https(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/healthz", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_htmx_is_served_by_the_app_and_told_not_to_inject_styles_or_eval(client):
    html = client.get("/").content.decode()
    assert '/static/django_htmx/htmx-2.min.js' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert "hx-headers='{\"X-CSRFToken\"" in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN in the head


def test_database_url_selects_postgresql():
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    result = run_python(
        code, DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_production_cookies_reach_the_tool_inside_a_learning_platforms_frame():
    values = production_settings("SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE")
    assert values == {"SESSION_COOKIE_SAMESITE": "None", "CSRF_COOKIE_SAMESITE": "None"}


def test_plain_http_development_keeps_lax_cookies(settings):
    # Browsers refuse SameSite=None without Secure; tests run as development does.
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize(
    "database_url", ["", "postgres://postgres@127.0.0.1:5432/anything", "sqlite:////tmp/x.db"]
)
def test_connections_persist_with_health_checks_on_every_database(database_url):
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "d = settings.DATABASES['default'];"
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
    )
    result = run_python(code, DEBUG="1", DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    max_age, health_checks = json.loads(result.stdout)
    assert max_age >= 60
    assert health_checks is True


@pytest.mark.parametrize(("switch", "expected"), [
    ({}, {"server_side_binding": True, "prepare_threshold": 5}),
    ({"PG_PREPARED_STATEMENTS": "0"}, {}),
])
def test_postgresql_prepares_hot_statements_unless_a_pooler_is_said_to_be_in_front(
    switch, expected
):
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = run_python(
        code, DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/anything", **switch
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_on_the_postgresql_connection():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the default database is SQLite in this run")
    from django.contrib.auth.models import User

    for _ in range(7):  # past psycopg's threshold of five runs on one connection
        list(User.objects.filter(username="nobody"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "auth_user" WHERE "auth_user"."username" = $1%'],
        )
        assert cursor.fetchone()[0] == 1


def test_a_method_an_address_does_not_take_is_refused_with_a_sentence(client):
    response = client.post("/search/")
    assert response.status_code == 405
    assert "does not take a POST request; it takes GET, HEAD" in response.content.decode()
