"""Fuzzed input: every form and htmx endpoint meets missing, repeated, huge, non-UTF-8 and
unexpected fields, and unknown or foreign ids.

The rule for each request: never a 500 (nor a traceback); a refusal is a 4xx with a
sentence and changes nothing in the database; what is accepted stores nothing huge.
Endpoints come from the resolver, so a new form is fuzzed the day it is added. Each request
runs in a savepoint that is rolled back, so every example starts from the same world.
"""

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import strip_tags
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.models import Attempt, CardState, Enrollment, Response, Review
from tests import factories
from tests.factories import hardening as made
from tests.security.conftest import clients_for
from tests.security.helpers import _writes, snapshot, snapshot_diff
from tests.security.test_authorization_matrix import EXPECTED
from tests.security.world import choice_data, url_kwargs, url_patterns

pytestmark = pytest.mark.slow

HUGE = "x" * 100_000
STORED_LIMIT = 20_000  # no accepted request may leave a text this long in the database
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Who naturally posts to each endpoint (the owner, so a refusal is about the input, not
# about who asks), and a valid form to start from, for endpoints the matrix only GETs.
FUZZ_AS = {
    "signup": "anonymous", "login": "anonymous", "password_reset": "anonymous",
    "password_reset_confirm": "anonymous", "password_change": "student",
    "class_bank_new_kind": "instructor", "class_bank_import": "instructor",
    "class_bank_edit": "instructor", "class_create": "instructor",
}
EXTRA_DATA = {
    "signup": lambda w, u: {"username": "newbie", "email": "newbie@example.org",
                            "password1": "lips and teeth 1953", "password2": "lips and teeth 1953"},
    "login": lambda w, u: {"username": "sam", "password": factories.PASSWORD},
    "password_reset": lambda w, u: {"email": "sam@example.org"},
    "password_change": lambda w, u: {"old_password": factories.PASSWORD,
                                     "new_password1": "lips and teeth 1953",
                                     "new_password2": "lips and teeth 1953"},
    "quizzes:class_bank_new_kind": lambda w, u: {
        "prompt": "Which river?", "option_1": "Yalu", "option_2": "Han", "correct": "1",
        "lesson": str(w.lesson.pk), "explanation": "The border river.",
    },
    "quizzes:class_bank_edit": lambda w, u: {
        "prompt": "Which river?", "option_1": "Yalu", "option_2": "Han", "correct": "1",
    },
    "quizzes:class_bank_import": lambda w, u: {"text": "::Q1:: Which river? {=Yalu ~Han}\n"},
}
# Endpoints whose form has required fields: sending none of them must be refused.
NEEDS_FIELDS = {
    "quizzes:answer", "quizzes:review_grade", "quizzes:class_create", "quizzes:class_join",
    "quizzes:class_rename", "quizzes:assignment_create", "quizzes:assignment_edit",
    "quizzes:class_bank_new_kind", "quizzes:class_bank_edit", "quizzes:class_bank_import",
    "quizzes:delete_account", "quizzes:practice", "signup",
}
UNEXPECTED = {
    "score": "100", "correct": "1", "is_correct": "true", "credit": "1", "user": "1",
    "user_id": "1", "instructor": "1", "is_staff": "on", "finished_at": "2000-01-01",
    "attempt": "1", "__proto__": "x",
}


def _short(name: str) -> str:
    return name.split(":", 1)[-1]


def posts_to(name: str) -> bool:
    expect = EXPECTED.get(name)
    return bool(expect and expect.post) or _short(name) in FUZZ_AS or name in EXTRA_DATA


def fuzz_role(name: str) -> str:
    if _short(name) in FUZZ_AS:
        return FUZZ_AS[_short(name)]
    statuses = EXPECTED[name].post or EXPECTED[name].get
    for role in ("student", "instructor"):
        if statuses[role] not in (404, 405):
            return role
    return "anonymous"


def base_data(world, name: str, user) -> dict:
    if name in EXTRA_DATA:
        return EXTRA_DATA[name](world, user)
    expect = EXPECTED.get(name)
    return expect.data(world, user) if expect else {}


def endpoint_path(world, route) -> str:
    expect = EXPECTED.get(route.name)
    kwargs = url_kwargs(world, route)
    if expect and expect.kwargs:
        kwargs |= expect.kwargs(world)
    return reverse(route.name, kwargs=kwargs)


POST_ROUTES = [route for route in url_patterns() if posts_to(route.name)]


def check(client, path, label, *, before, **request):
    """Send one request in a savepoint and hold it to the rules; returns the response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, **request)
        status = response.status_code
        body = response.content.decode("utf-8", "replace")
        assert status < 500, f"{label}: {status}"
        assert "Traceback" not in body and "Exception Value" not in body, label
        if 400 <= status < 500:
            if _writes(captured.captured_queries):
                assert snapshot_diff(before, snapshot()) == {}, f"{label}: refused but changed"
            if response.get("Content-Type", "").startswith("text/html"):
                assert strip_tags(body).strip(), f"{label}: a refusal with no message"
        else:
            after = snapshot()
            for table, rows in after.items():
                if rows == before.get(table):
                    continue
                for row in rows:
                    for value in row:
                        assert not (isinstance(value, str) and len(value) > STORED_LIMIT), (
                            f"{label}: stored {len(value)} characters in {table}"
                        )
        transaction.set_rollback(True)
    return response


def _as_querydict(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return query


def mutations(data: dict):
    """The fixed mutations: one of each kind of bad input."""
    yield "missing", {}
    yield "repeated", {key: [value, value, "other"] for key, value in data.items()} or {
        "x": ["1", "2"]
    }
    yield "huge", {key: HUGE for key in data} or {"x": HUGE}
    yield "unexpected", {**data, **UNEXPECTED}
    yield "wrong types", {key: ["", "-1", "9" * 30, "null"] for key in data}
    yield "nul", {key: f"a\x00{value}" for key, value in data.items()} or {"x": "\x00"}


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.name for route in POST_ROUTES])
def test_bad_input_is_refused_cleanly(world, route):
    role = fuzz_role(route.name)
    client = clients_for(world, raise_request_exception=False)[role]
    path = endpoint_path(world, route)
    data = base_data(world, route.name, getattr(world, role, None))
    before = snapshot()
    for kind, mutated in mutations(data):
        for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
            label = f"POST {path} as {role}, {kind}{' (htmx)' if htmx else ''}"
            response = check(
                client, path, label, before=before, data=_as_querydict(mutated), **htmx
            )
            if kind == "missing" and route.name in NEEDS_FIELDS:
                assert 400 <= response.status_code < 500, f"{label}: {response.status_code}"
            if kind == "nul":  # PostgreSQL cannot hold it: refused before any view
                assert response.status_code == 400, f"{label}: {response.status_code}"
    raw = b"choice=\xff\xfe\x00%ff&name=\xc3\x28&text=\xe2\x82&\xff=\xff&code=\x80abc"
    check(
        client, path, f"POST {path} as {role}, non-UTF-8 body", before=before,
        data=raw, content_type="application/x-www-form-urlencoded",
    )
    check(
        client, path, f"POST {path} as {role}, a body that is not a form", before=before,
        data=b"\x00\x01" * 500, content_type="application/octet-stream",
    )
    check(
        client, path, f"POST {path} as {role}, a broken multipart body", before=before,
        data=b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff",
        content_type="multipart/form-data; boundary=xyz",
    )


# --- Hypothesis: random form data at the endpoints that take the most input --------------

FIELD_NAMES = st.sampled_from(
    ["choice", "text", "card", "rating", "token", "review", "name", "code", "lessons",
     "count", "kinds", "prompt", "option_1", "option_2", "correct", "title", "question_ids",
     "due_at", "opens_at", "password", "new_cards_per_day", "score", "user", "x" * 300]
)
VALUES = st.one_of(
    st.text(max_size=200),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "null", "[]", "{}", "<b>", "%00",
                     "\u202e", "\ud7ff", "9" * 400]),
    st.just(HUGE),
)
FORMS = st.dictionaries(FIELD_NAMES, st.lists(VALUES, min_size=1, max_size=3), max_size=8)
HYPOTHESIS_ENDPOINTS = [
    "quizzes:answer", "quizzes:review_grade", "quizzes:practice", "quizzes:class_join",
    "quizzes:assignment_create", "quizzes:class_bank_new_kind", "quizzes:review_settings",
]


@pytest.mark.parametrize("name", HYPOTHESIS_ENDPOINTS)
def test_random_forms_never_break_an_endpoint(world, name):
    route = next(route for route in POST_ROUTES if route.name == name)
    role = fuzz_role(name)
    client = clients_for(world, raise_request_exception=False)[role]
    path = endpoint_path(world, route)
    before = snapshot()

    @FUZZ
    @given(form=FORMS, htmx=st.booleans())
    def run(form, htmx):
        query = QueryDict(mutable=True)
        for key, values in form.items():
            query.setlist(key, values)
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        check(client, path, f"POST {path} {dict(form)!r:.200}", before=before, data=query,
              **headers)

    run()


# --- unknown and foreign ids --------------------------------------------------------------

HUGE_ID = 2**70  # past any database integer


def _unchanged(world, client, path, data=None, **extra):
    before = snapshot()
    response = check(client, path, f"POST {path}", before=before, data=data or {}, **extra)
    assert 400 <= response.status_code < 500, f"POST {path}: {response.status_code}"
    return response


@pytest.mark.parametrize("attempt_id", [0, 999_999, HUGE_ID])
def test_unknown_attempts_are_404(world, attempt_id):
    client = clients_for(world, raise_request_exception=False)["student"]
    for name in ("quizzes:attempt", "quizzes:results"):
        response = client.get(reverse(name, kwargs={"attempt_id": attempt_id}))
        assert response.status_code == 404, name
    for name, kwargs in [
        ("quizzes:answer", {"attempt_id": attempt_id, "position": 0}),
        ("quizzes:finish_attempt", {"attempt_id": attempt_id}),
        ("quizzes:retry", {"attempt_id": attempt_id}),
    ]:
        response = _unchanged(world, client, reverse(name, kwargs=kwargs))
        assert response.status_code == 404


@pytest.mark.parametrize("position", [99, 65535, HUGE_ID])
def test_an_unknown_position_is_refused(world, position):
    client = clients_for(world, raise_request_exception=False)["student"]
    path = reverse("quizzes:answer", kwargs={"attempt_id": world.attempt.pk, "position": position})
    assert _unchanged(world, client, path, {"choice": "x"}).status_code == 404


def test_another_learners_attempt_cannot_be_answered_or_finished(world):
    client = clients_for(world, raise_request_exception=False)["other_student"]
    data = choice_data(world.attempt, 1)
    answer = reverse("quizzes:answer", kwargs={"attempt_id": world.attempt.pk, "position": 1})
    assert _unchanged(world, client, answer, data).status_code == 404
    finish = reverse("quizzes:finish_attempt", kwargs={"attempt_id": world.attempt.pk})
    assert _unchanged(world, client, finish).status_code == 404
    assert not Response.objects.filter(attempt=world.attempt, position=1).exclude(
        answered_at=None
    ).exists()


def test_a_token_from_another_attempt_is_not_an_answer(world):
    client = clients_for(world, raise_request_exception=False)["student"]
    foreign = choice_data(world.other_attempt, 1)  # olga's page's token for the same kind
    path = reverse("quizzes:answer", kwargs={"attempt_id": world.attempt.pk, "position": 1})
    response = _unchanged(world, client, path, foreign)
    assert "not one of the options" in response.content.decode()


def test_posted_score_correct_and_user_fields_are_ignored(world):
    client = clients_for(world, raise_request_exception=False)["student"]
    path = reverse("quizzes:answer", kwargs={"attempt_id": world.attempt.pk, "position": 1})
    wrong = choice_data(world.attempt, 1, right=False)
    with transaction.atomic():
        response = client.post(path, {**wrong, **UNEXPECTED, "user": world.other_student.pk})
        assert response.status_code == 302
        answered = Response.objects.get(attempt=world.attempt, position=1)
        assert answered.is_correct is False and answered.credit == 0
        assert Attempt.objects.get(pk=world.attempt.pk).user == world.student
        transaction.set_rollback(True)


def test_a_review_grade_with_someone_elses_token_or_card_is_refused(world):
    from tests.security.test_authorization_matrix import _grade

    client = clients_for(world, raise_request_exception=False)["other_student"]
    path = reverse("quizzes:review_grade")
    sams = _grade(world, world.student)  # a token made for sam
    _unchanged(world, client, path, sams)
    for card in (0, 999_999, HUGE_ID, "abc"):
        _unchanged(world, client, path, {**_grade(world, world.other_student), "card": card})
    for rating in (0, 5, 7, -1, "Good", 3.5):
        _unchanged(world, client, path, {**_grade(world, world.other_student), "rating": rating})
    assert not CardState.objects.filter(user=world.other_student).exists()


def test_undoing_someone_elses_review_is_refused(world):
    sams_review = Review.objects.filter(user=world.student).first()
    client = clients_for(world, raise_request_exception=False)["other_student"]
    _unchanged(world, client, reverse("quizzes:review_undo"), {"review": sams_review.pk})
    sams_review.refresh_from_db()
    assert sams_review.undone_at is None


def test_a_roster_row_of_another_class_is_404_even_to_an_instructor(world):
    client = clients_for(world, raise_request_exception=False)["instructor"]
    path = reverse(
        "quizzes:class_roster_remove",
        kwargs={"class_id": world.classroom.pk, "enrollment_id": world.other_enrollment.pk},
    )
    assert _unchanged(world, client, path).status_code == 404
    assert Enrollment.objects.get(pk=world.other_enrollment.pk).removed_at is None


def test_an_assignment_of_another_class_is_404_under_my_class(world):
    client = clients_for(world, raise_request_exception=False)["instructor"]
    kwargs = {"class_id": world.classroom.pk, "assignment_id": world.other_assignment.pk}
    for name in ("quizzes:assignment_detail", "quizzes:assignment_results",
                 "quizzes:assignment_export_gift"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    edit = reverse("quizzes:assignment_edit", kwargs=kwargs)
    assert _unchanged(world, client, edit, {"title": "Mine now"}).status_code == 404


def test_unknown_or_foreign_ids_inside_forms_are_refused(world):
    clients = clients_for(world, raise_request_exception=False)
    _unchanged(world, clients["student"], reverse("quizzes:practice"),
               {"lessons": [999_999], "count": 5})
    _unchanged(world, clients["student"], reverse("quizzes:review_settings"),
               {"new_cards_per_day": 5, "lessons": [HUGE_ID]})
    hidden_elsewhere = made.QuestionFactory(retired_at="2020-01-01T00:00:00Z")
    from tests.security.test_authorization_matrix import _assignment_form

    for ids in ("999999", str(HUGE_ID), str(hidden_elsewhere.pk), "1,abc", "-3"):
        _unchanged(
            world, clients["instructor"],
            reverse("quizzes:assignment_create", kwargs={"class_id": world.classroom.pk}),
            {**_assignment_form(world, world.instructor), "source": "pick", "question_ids": ids},
        )
    _unchanged(world, clients["student"], reverse("quizzes:class_join"), {"code": "ZZZZZZ"})
    ivans = reverse("quizzes:class_bank_edit",
                    kwargs={"question_id": world.other_instructor_question.pk})
    assert _unchanged(world, clients["instructor"], ivans, {"prompt": "Mine"}).status_code == 404


def test_huge_ids_in_urls_are_404_not_500(world):
    clients = clients_for(world, raise_request_exception=False)
    for name, kwargs, status in [
        ("quizzes:class_detail", {"class_id": HUGE_ID}, 404),
        ("quizzes:assignment_detail", {"class_id": HUGE_ID, "assignment_id": HUGE_ID}, 404),
        ("quizzes:class_bank_question", {"question_id": HUGE_ID}, 404),
        # The join link looks nothing up: the join form, its code filled in (and refused on
        # posting: see test_unknown_or_foreign_ids_inside_forms_are_refused).
        ("quizzes:class_join_code", {"code": "x" * 5000}, 200),
        ("relations:lesson", {"slug": "s" * 5000}, 404),
        ("quizzes:review_export_lesson", {"slug": "no-such-lesson"}, 404),
    ]:
        for role in ("student", "instructor"):
            response = clients[role].get(reverse(name, kwargs=kwargs))
            assert response.status_code == status, f"{name} as {role}"


def test_query_strings_are_fuzzed_too(world):
    """GET pages read filters and positions from the query string: junk there is harmless."""
    clients = clients_for(world, raise_request_exception=False)
    junk = [
        "?page=999999999999999999999", "?page=-1", "?feedback=99999", "?feedback=-1",
        "?lesson=abc&kind=zzz&origin=<b>&hidden=maybe", "?lesson=" + "9" * 40,
        "?next=https://evil.example/", "?" + "a=1&" * 2000, "?q=%ff%fe",
        "?lesson=%00&kind=%00&page=%00&feedback=%00&card=%00&t=%00&answer=%00",
    ]
    for route in url_patterns():
        expect = EXPECTED.get(route.name)
        if not (expect and expect.get):
            continue
        path = endpoint_path(world, route)
        # As someone the page is for (junk meets the view, not a 404 or a sign-in redirect).
        role = next((r for r in ("student", "instructor") if expect.get[r] == 200), "student")
        for query in junk:
            response = clients[role].get(path + query)
            assert response.status_code < 500, f"GET {path}{query[:40]} as {role}"


@pytest.mark.parametrize(
    ("typed", "status"),
    [("Pyong\x00yang", 400), (HUGE, 413), ("", 400), ("   ", 400), ("\u202eגנבת", None)],
    ids=["nul", "huge", "empty", "blank", "bidi"],
)
def test_typed_answers_that_cannot_be_stored_are_refused(world, typed, status):
    """NUL cannot be stored by PostgreSQL (text or jsonb): refused before it gets there."""
    from quizzes.models import QuestionKind
    from quizzes.practice.attempts import start_attempt

    cloze = next(q for q in world.questions if q.kind == QuestionKind.CLOZE)
    attempt = start_attempt(user=world.student, questions=[cloze], seed=77)
    client = clients_for(world, raise_request_exception=False)["student"]
    path = reverse("quizzes:answer", kwargs={"attempt_id": attempt.pk, "position": 0})
    before = snapshot()
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = check(client, path, f"typed {typed[:20]!r}", before=before,
                         data={"text": typed}, **htmx)
        if status is None:  # taken: the feedback fragment, or the redirect to the feedback
            assert response.status_code == (200 if htmx else 302)
        else:
            assert response.status_code == status
