"""Security headers on every kind of response: pages, fragments, errors, JSON, files.

The authorization matrix (test_authorization_matrix.py) checks the same headers on every
response of every URL; this file covers the kinds of response it does not reach (errors,
a crash, production-only headers) and names each kind once.
"""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.config.test_settings import PRODUCTION_ENV, ROOT, clean_environment
from tests.security.helpers import assert_security_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


@pytest.mark.parametrize("path", ["/", "/lessons/", "/glossary/", "/accounts/login/"])
def test_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_security_headers(response, path)


def test_an_htmx_request(signed_in):
    response = signed_in.get("/", HTTP_HX_REQUEST="true")
    assert_security_headers(response, "htmx GET /")


def test_json_download(signed_in):
    response = signed_in.get(reverse("quizzes:my_data_export"))
    assert response["Content-Type"].startswith("application/json")
    assert_security_headers(response, "my data JSON")


def test_plain_text(client):
    response = client.get("/healthz")
    assert response["Content-Type"].startswith("text/plain")
    assert_security_headers(response, "healthz")


def test_anki_package(client):
    response = client.get(reverse("quizzes:review_export"))
    assert response.status_code == 200
    assert_security_headers(response, "apkg")


def test_not_found(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()
    assert_security_headers(response, "404")


def test_method_not_allowed(signed_in):
    response = signed_in.get(reverse("quizzes:delete_account"))
    assert response.status_code == 405
    assert_security_headers(response, "405")


def test_csrf_failure_is_a_clear_page_with_the_headers(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(reverse("quizzes:delete_account"), {"password": factories.PASSWORD})
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
    assert_security_headers(response, "403 CSRF")


def test_locked_out(client, student):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "sam", "password": "nope"})
    assert response.status_code == 429
    assert_security_headers(response, "429")


@pytest.mark.urls("tests.security.error_urls")
def test_a_crash_shows_our_page_with_the_headers_and_no_traceback(client):
    client.raise_request_exception = False
    response = client.get("/explode/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "RuntimeError" not in html
    assert_security_headers(response, "500")


def test_personal_data_pages_are_never_cached(signed_in):
    for name in ["quizzes:my_data", "quizzes:my_data_export"]:
        assert "no-store" in signed_in.get(reverse(name))["Cache-Control"], name


def test_production_sends_hsts_and_redirects_plain_http(tmp_path):
    code = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        "client = Client();"
        "secure = client.get('/healthz', secure=True, HTTP_HOST='uneasy.example.org');"
        "plain = client.get('/healthz', HTTP_HOST='uneasy.example.org');"
        "print(json.dumps({'status': secure.status_code,"
        " 'hsts': secure.get('Strict-Transport-Security'),"
        " 'csp': secure.get('Content-Security-Policy'),"
        " 'plain': plain.status_code, 'location': plain.get('Location'),"
        " 'plain_hsts': plain.get('Strict-Transport-Security')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean_environment(),
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SQLITE_PATH": str(tmp_path / "headers.sqlite3"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert "max-age=31536000" in seen["hsts"]
    assert "includeSubDomains" in seen["hsts"] and "preload" in seen["hsts"]
    assert "default-src 'self'" in seen["csp"]
    # Plain HTTP is sent to HTTPS; HSTS is only meaningful (and only sent) over HTTPS.
    assert seen["plain"] == 301
    assert seen["location"] == "https://uneasy.example.org/healthz"
    assert seen["plain_hsts"] is None


def test_no_hsts_in_development(client, settings):
    assert settings.SECURE_HSTS_SECONDS == 0  # DEBUG=1 in the test run
    assert "Strict-Transport-Security" not in client.get("/healthz", secure=True)


def test_a_nul_character_is_a_400_page_with_the_headers(signed_in):
    """config.middleware.RefuseNulCharactersMiddleware: PostgreSQL cannot hold NUL."""
    for response in (
        signed_in.get("/practice/?lesson=%00"),
        signed_in.post(reverse("quizzes:class_join"), {"code": "AB\x00CD"}),
        signed_in.get("/classes/join/AB%00CD/"),
    ):
        assert response.status_code == 400
        assert "The request could not be understood." in response.content.decode()
        assert_security_headers(response, "400 NUL")


def test_a_body_too_large_is_refused_unread_with_a_413(signed_in, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert settings.MAX_REQUEST_BYTES == 1024 * 1024
    instructor = factories.InstructorFactory(username="ines")
    signed_in.force_login(instructor)
    upload = SimpleUploadedFile("big.gift", b"::Q:: x {=y}\n" * 100_000)  # 1.3 MB
    response = signed_in.post(reverse("quizzes:class_bank_import"), {"file": upload})
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()
    assert_security_headers(response, "413")


def test_attempt_pages_and_fragments_are_never_cached(world):
    """Every attempt response the learner gets, full page or htmx fragment, is no-store."""
    from tests.security.conftest import clients_for
    from tests.security.world import choice_data

    sam = clients_for(world)["student"]
    attempt = world.attempt
    page = reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk})
    answer = reverse("quizzes:answer", kwargs={"attempt_id": attempt.pk, "position": 1})
    responses = {  # label: (response, the status it must have)
        "page": (sam.get(page), 200),
        "page (htmx)": (sam.get(page, HTTP_HX_REQUEST="true"), 200),
        "refused answer (htmx)": (
            sam.post(answer, {"choice": "nope"}, HTTP_HX_REQUEST="true"), 400
        ),
        "feedback (htmx)": (
            sam.post(answer, choice_data(attempt, 1), HTTP_HX_REQUEST="true"), 200
        ),
        "feedback page": (sam.get(page + "?feedback=1"), 200),
        "results": (
            sam.get(reverse("quizzes:results", kwargs={"attempt_id": world.finished_attempt.pk})),
            200,
        ),
    }
    for label, (response, status) in responses.items():
        assert response.status_code == status, label
        assert "no-store" in response["Cache-Control"], f"{label} may be cached"
        assert_security_headers(response, label)


def test_csv_and_gift_downloads(world):
    from tests.security.conftest import clients_for

    ines = clients_for(world)["instructor"]
    class_id, assignment_id = world.classroom.pk, world.assignment.pk
    gradebook = ines.get(reverse("quizzes:class_gradebook", kwargs={"class_id": class_id}))
    assert gradebook["Content-Type"].startswith("text/csv")
    assert_security_headers(gradebook, "gradebook CSV")
    gift = ines.get(reverse("quizzes:assignment_export_gift",
                            kwargs={"class_id": class_id, "assignment_id": assignment_id}))
    assert gift.status_code == 200
    assert_security_headers(gift, "GIFT export")


def test_lti_json_and_refusals_carry_the_headers(client):
    """The tool's key set (JSON) and a refused launch or login; framed LTI pages are held
    to their own, narrower policy in tests/lti/test_launch.py."""
    for response, label, status in [
        (client.get("/lti/jwks.json"), "JWKS", 200),
        (client.post("/lti/launch/", {"id_token": "x.y.z", "state": "state-1"}), "launch", 403),
        (client.get("/lti/login/", {"iss": "https://stranger.example"}), "login", 400),
    ]:
        assert response.status_code == status, label
        assert_security_headers(response, label)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_fragment_or_page_answers_vary_on_hx_request(signed_in, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = signed_in.get("/review/", **headers)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "Cookie" in response["Vary"]  # what the session adds is kept beside it


def test_json_and_files_do_not_claim_to_vary_on_hx_request(client):
    response = client.get("/healthz")
    assert "HX-Request" not in response.get("Vary", "")
