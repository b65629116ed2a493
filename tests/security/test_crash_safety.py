"""Crash safety: answers are saved the moment they are given, and survive a killed server.

The app runs under gunicorn with production settings (DEBUG off, collected static files) on
its own database: a temporary SQLite file, or, when DATABASE_URL names a PostgreSQL server,
a scratch database created there for this test. A learner signs up over HTTP, starts a
practice quiz, answers half of it, and the whole server is killed with SIGKILL (no clean
shutdown). After a restart every answer is there and the quiz resumes at the first question
not yet answered.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.config.test_settings import ROOT, clean_environment

# It starts gunicorn on a free port, on a database of its own, in a session of its own, and
# kills only that session's process group: safe beside other test workers.
pytestmark = pytest.mark.slow

QUESTIONS = 10
ANSWERED = QUESTIONS // 2
PASSWORD = "lips and teeth 1953"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env, *args, timeout=300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def database_env(tmp_path):
    """Settings for the server's own database, created here and removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {"SQLITE_PATH": str(tmp_path / "crash.sqlite3")}
        return
    import psycopg

    name = f"crash_{uuid.uuid4().hex[:12]}"
    parts = urllib.parse.urlsplit(url)
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": parts._replace(path=f"/{name}").geturl()}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app_env(tmp_path, database_env):
    env = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "crash-safety-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
        **database_env,
    }
    env.pop("DATABASE_URL", None) if "SQLITE_PATH" in database_env else None
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "migrate", "--run-syncdb", "--noinput", "-v0")
    _manage(env, "load_course", "-v0")
    return env


class Server:
    """gunicorn in its own process group, so SIGKILL takes the master and every worker."""

    def __init__(self, env, port, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        pytest.fail("gunicorn did not answer /healthz within 60 s:\n" + self.log.read_text())

    def kill(self):
        """No clean shutdown: the whole process group gets SIGKILL, as in a crash."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        # Workers are in the same group; wait until none holds the port any more.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.2)


class Browser:
    """Just enough of a browser: cookies, forms with their CSRF token, redirects."""

    def __init__(self, server: Server):
        self.server = server
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.server.base + path))

    def post(self, path, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", token), *fields]).encode()
        request = urllib.request.Request(self.server.base + path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._open(request)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()


def _question(html: str) -> tuple[str, int, str]:
    """The answer form's action, the position it answers, and the first option's value."""
    action = re.search(r'<form method="post" action="(/attempts/\d+/answer/(\d+)/)"', html)
    assert action, html[-2000:]
    choice = re.search(r'<input type="radio" name="choice" value="([^"]+)"', html)
    assert choice, "a choice question was expected"
    return action.group(1), int(action.group(2)), choice.group(1)


def _saved_answers(env, attempt_id: int) -> tuple[int, int]:
    code = (
        "from quizzes.models import Response;"
        f"rows = Response.objects.filter(attempt_id={attempt_id});"
        "print(rows.count(), rows.exclude(answered_at=None).count())"
    )
    total, answered = _manage(env, "shell", "-v0", "-c", code).strip().splitlines()[-1].split()
    return int(total), int(answered)


def test_answers_survive_a_killed_server_and_the_quiz_resumes(app_env, tmp_path):
    server = Server(app_env, _free_port(), tmp_path / "gunicorn.log")
    server.start()
    try:
        browser = Browser(server)
        status, _, _ = browser.get("/accounts/signup/")
        assert status == 200
        status, _, html = browser.post("/accounts/signup/", [
            ("username", "crashtest"), ("email", ""),
            ("password1", PASSWORD), ("password2", PASSWORD),
        ])
        assert status == 200 and "crashtest" in html, html[-1500:]

        browser.get("/practice/")
        status, url, html = browser.post("/practice/", [
            ("count", str(QUESTIONS)), ("kinds", "mcq"), ("kinds", "tf"),
        ])
        assert status == 200, html[-1500:]
        attempt_id = int(re.search(r"/attempts/(\d+)/", url).group(1))
        assert f"Question 1 of {QUESTIONS}" in html

        for expected_position in range(ANSWERED):
            action, position, choice = _question(html)
            assert position == expected_position
            status, _, _ = browser.post(action, [("choice", choice)])
            assert status == 200
            # The plain-form flow shows the feedback; "Next" is the attempt page again.
            status, _, html = browser.get(f"/attempts/{attempt_id}/")
            assert status == 200

        server.kill()
        assert _saved_answers(app_env, attempt_id) == (QUESTIONS, ANSWERED)

        server.start()
        status, _, html = browser.get(f"/attempts/{attempt_id}/")  # the same session
        assert status == 200
        assert f"Question {ANSWERED + 1} of {QUESTIONS}" in html
        _, position, choice = _question(html)
        assert position == ANSWERED
        # And it carries on from there.
        status, _, _ = browser.post(f"/attempts/{attempt_id}/answer/{position}/",
                                    [("choice", choice)])
        assert status == 200
        assert _saved_answers(app_env, attempt_id) == (QUESTIONS, ANSWERED + 1)
    finally:
        if server.process and server.process.poll() is None:
            server.kill()
