"""When the database drops: a friendly page that needs no database, a saved answer or grade
that says it was saved, a retry that finds its own work, and every request afterwards served.

The connection is cut the way an operator or a failover cuts it: pg_terminate_backend from
another connection, in the middle of a request, against a live server (a real WSGI server,
which reconnects as production does; the test client never does).
"""

import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest
from django.db import OperationalError, connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.models import QuestionKind
from quizzes.practice import attempts
from quizzes.practice.models import Response
from quizzes.review.models import Review
from quizzes.review.session import review_session
from tests import factories
from tests.quizzes.helpers import post_data


def _fetch(url, *, cookies=None, data=None, headers=None):
    """(status, body) of one request; an HTTP error status is an answer, not an exception."""
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# --- without PostgreSQL too: the pages themselves ---------------------------------------


def test_healthz_answers_503_with_a_sentence_when_the_database_is_unreachable(
    client, monkeypatch
):
    def unreachable():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database is unreachable" in response.content.decode()
    assert response["Retry-After"]


def test_the_error_page_touches_neither_the_database_nor_the_session(rf, monkeypatch):
    from config.views import server_error

    request = rf.get("/")
    request.session = object()  # any use of the session or the user would fail here
    request.user = object()
    with pytest.raises(OperationalError):  # noqa: PT012 - the handler runs in the except
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError:
            with _no_queries():
                response = server_error(request)
            raise
    assert response.status_code == 503
    html = response.content.decode()
    assert "Briefly unavailable" in html and "safe to send it again" in html


class _no_queries:
    def __enter__(self):
        self.wrapper = connection.execute_wrapper(self._refuse)
        self.wrapper.__enter__()

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)

    @staticmethod
    def _refuse(*args):
        raise AssertionError("the error page queried the database")


# --- PostgreSQL: the connection cut mid-request ------------------------------------------


@pytest.fixture
def live(live_server, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL (set DATABASE_URL to run this)")
    monkeypatch.setattr("quizzes.signals.resync_question_bank", lambda: None)
    return live_server


def _terminate_this_requests_connection():
    """From another connection, as an operator would: end the backend this thread uses."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
        user=settings["USER"], password=settings["PASSWORD"] or None,
        dbname=settings["NAME"], autocommit=True,
    ) as other:
        # The timeout makes it wait until the backend has gone, not just been told to go.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def _cut_after(monkeypatch, target):
    """Replace `target` (module.name) with: cut the connection, then call the real one."""
    module_path, name = target.rsplit(".", 1)
    module = __import__(module_path, fromlist=[name])
    real = getattr(module, name)
    cuts = []

    def cut_then_call(*args, **kwargs):
        if not cuts:
            cuts.append(True)
            _terminate_this_requests_connection()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, cut_then_call)
    return cuts


def _browser_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}


def _post_headers(cookies, htmx=False):
    headers = {"X-CSRFToken": cookies["csrftoken"]}
    if htmx:
        headers["HX-Request"] = "true"
    return headers


def _everything_served_afterwards(base, cookies):
    for path in ("/healthz", "/", reverse("quizzes:review"), reverse("quizzes:practice")):
        status, _ = _fetch(base + path, cookies=cookies)
        assert status == 200, f"{path} answered {status} after the outage"


@pytest.mark.django_db(transaction=True)
def test_an_answer_cut_off_before_it_is_saved_says_to_send_it_again_and_the_retry_counts_once(
    live, student, monkeypatch
):
    card = factories.CardFactory()
    question = factories.make_question(
        QuestionKind.MULTIPLE_CHOICE, item_type=card.item_type, item_id=card.item_id
    )
    extra = factories.make_question(QuestionKind.TRUE_FALSE)
    attempt = attempts.start_attempt(user=student, questions=[question, extra], seed=3)
    response = Response.objects.get(attempt=attempt, position=0)
    data = post_data(attempt, response, right=True)
    url = live.url + reverse("quizzes:answer", args=[attempt.pk, 0])
    cookies = _browser_cookies(student)
    # The connection is cut inside the answer's transaction, as the card's review is written.
    cuts = _cut_after(monkeypatch, "quizzes.review.scheduling.apply_quiz_evidence")

    status, html = _fetch(url, cookies=cookies, data=data,
                          headers=_post_headers(cookies, htmx=True))

    assert cuts
    assert status == 503
    assert "Briefly unavailable" in html and "safe to send it again" in html
    response.refresh_from_db()
    assert response.answered_at is None  # rolled back whole: nothing half-written
    # The retry (the same post) is stored, with its evidence, once.
    status, html = _fetch(url, cookies=cookies, data=data,
                          headers=_post_headers(cookies, htmx=True))
    assert status == 200 and "Right" in html
    assert Review.objects.filter(response=response).count() == 1
    _everything_served_afterwards(live.url, cookies)


@pytest.mark.django_db(transaction=True)
def test_a_grade_saved_before_the_connection_is_cut_says_so_and_its_retry_finds_it(
    live, student, monkeypatch
):
    card = factories.CardFactory()
    session = review_session(user=student, now=timezone.now())
    data = {"card": card.pk, "rating": 3, "token": session.token}
    url = live.url + reverse("quizzes:review_grade")
    cookies = _browser_cookies(student)
    # The grade commits; then, while the next card is found, the connection is cut.
    cuts = _cut_after(monkeypatch, "quizzes.review.views.review_session")

    status, html = _fetch(url, cookies=cookies, data=data,
                          headers=_post_headers(cookies, htmx=True))

    assert cuts
    assert status == 503
    assert "Your grade was saved." in html
    assert "already graded" not in html
    status, html = _fetch(url, cookies=cookies, data=data,
                          headers=_post_headers(cookies, htmx=True))
    assert status == 200
    assert "Your grade was already saved." in html
    assert Review.objects.filter(user=student, card=card).count() == 1
    _everything_served_afterwards(live.url, cookies)


@pytest.mark.django_db(transaction=True)
def test_a_page_whose_connection_is_cut_gets_the_friendly_page_and_the_next_is_served(
    live, student, monkeypatch
):
    cookies = _browser_cookies(student)
    cuts = _cut_after(monkeypatch, "quizzes.progress.views.home_page")

    status, html = _fetch(live.url + "/", cookies=cookies)

    assert cuts
    assert status == 503
    assert "Briefly unavailable" in html
    assert "Traceback" not in html and "_session_cache" not in html
    _everything_served_afterwards(live.url, cookies)
