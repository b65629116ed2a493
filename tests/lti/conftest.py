"""The simulated platform, registered with the tool, and a helper that launches through it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, ISSUER, serve_platform


@pytest.fixture(scope="session")
def served_platform():
    platform, stop = serve_platform()
    yield platform
    stop()


@pytest.fixture
def platform(served_platform):
    served_platform.received.clear()
    served_platform.members.clear()
    served_platform.lineitems.clear()
    served_platform.scores.clear()
    served_platform.fail_scores = 0
    return served_platform


@pytest.fixture
def tool_key(db):
    return Key.objects.generate()


@pytest.fixture
def registration(db, platform, tool_key):
    registration = LtiRegistration.objects.create(
        name="Simulated platform",
        issuer=ISSUER,
        client_id=CLIENT_ID,
        auth_url="https://platform.example/auth",
        token_url=f"{platform.base_url}/token",
        keyset_url=f"{platform.base_url}/jwks",
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=DEPLOYMENT_ID, is_active=True
    )
    return registration


def start_login(client, *, sub="pat", iss=ISSUER, client_id=CLIENT_ID):
    response = client.get("/lti/login/", {
        "iss": iss, "client_id": client_id, "login_hint": sub,
        "target_link_uri": "http://testserver/lti/launch/",
    })
    return response


def launch(client, platform, *, sub="pat", roles=(), sign=None, state=None,
           login_as=None, **claims):
    """OIDC login, then the platform's signed launch; returns (response, id_token, state).
    login_as: (issuer, client id) for the login, when not the default registration."""
    iss, client_id = login_as or (ISSUER, CLIENT_ID)
    login = start_login(client, sub=sub, iss=iss, client_id=client_id)
    assert login.status_code == 302, login.content
    query = parse_qs(urlsplit(login["Location"]).query)
    nonce = query["nonce"][0]
    state = state or query["state"][0]
    token = (sign or platform.sign)(platform.claims(nonce=nonce, sub=sub, roles=roles, **claims))
    response = client.post("/lti/launch/", {"id_token": token, "state": state})
    return response, token, state


def quiz_in(classroom, *, count=2):
    """A quiz assignment in the class with a lesson bank it can draw from."""
    from tests import factories

    lesson = factories.LessonFactory()
    for i in range(count + 1):
        factories.QuestionFactory(kind="mcq", lesson=lesson, prompt=f"Question {i}")
    return factories.AssignmentFactory(
        classroom=classroom, lessons=[lesson], question_kinds=["mcq"], question_count=count
    )


def take(assignment, student, *, right=True):
    """Start, answer every question (right or wrong) and finish an attempt."""
    from quizzes.classes.assignments import start_assignment_attempt
    from quizzes.practice import attempts as engine

    attempt = start_assignment_attempt(assignment=assignment, student=student)
    for response in attempt.responses.select_related("question"):
        question = response.question
        keys = [option["key"] for option in question.body["options"]]
        key = question.answer["key"] if right else next(
            k for k in keys if k != question.answer["key"]
        )
        token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
        engine.answer_question(attempt=attempt, position=response.position, data={"choice": token})
    return engine.finish_attempt(attempt=attempt)
