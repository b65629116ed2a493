"""Every launch that fails a check is a clear 4xx page with a sentence, and creates no user."""

import time

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiUser

from tests.lti.conftest import launch, start_login
from tests.lti.platform import INSTRUCTOR, new_private_key

pytestmark = pytest.mark.django_db


def _refused(response, status, sentence):
    assert response.status_code == status, response.content
    assert sentence.encode() in response.content
    assert not get_user_model().objects.exists()
    assert not LtiUser.objects.exists()


def test_a_bad_signature_is_refused(client, platform, registration):
    impostor = new_private_key()
    response, _t, _s = launch(
        client, platform, roles=[INSTRUCTOR],
        sign=lambda claims: platform.sign(claims, key=impostor),
    )
    _refused(response, 403, "signature does not match the platform")


def test_a_key_the_platform_does_not_list_is_refused(client, platform, registration):
    response, _t, _s = launch(
        client, platform, roles=[INSTRUCTOR],
        sign=lambda claims: platform.sign(claims, key=new_private_key(), kid="unknown"),
    )
    _refused(response, 403, "signed with a key the platform does not list")


def test_a_wrong_audience_is_refused(client, platform, registration):
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR], aud="someone-else")
    _refused(response, 403, "No learning platform with this issuer and client id")


def test_an_expired_token_is_refused(client, platform, registration):
    past = int(time.time()) - 3600
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR], iat=past - 60, exp=past)
    _refused(response, 403, "This launch has expired")


def test_a_token_without_expiry_is_refused(client, platform, registration):
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR], exp=None)
    assert response.status_code == 403
    assert not get_user_model().objects.exists()


def test_a_replayed_launch_is_refused(client, platform, registration):
    first, token, state = launch(client, platform, sub="ines", roles=[INSTRUCTOR])
    assert first.status_code == 302
    users = get_user_model().objects.count()
    client.logout()
    replay = client.post("/lti/launch/", {"id_token": token, "state": state})
    assert replay.status_code == 403
    assert b"already used" in replay.content
    assert get_user_model().objects.count() == users
    assert "_auth_user_id" not in client.session


def test_an_unknown_deployment_is_refused(client, platform, registration):
    response, _t, _s = launch(
        client, platform, roles=[INSTRUCTOR],
        **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "not-registered"},
    )
    _refused(response, 403, "deployment of the tool is not registered")
    assert registration.deployments.count() == 1  # nothing created on sight


def test_an_inactive_deployment_is_refused(client, platform, registration):
    registration.deployments.update(is_active=False)
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR])
    _refused(response, 403, "not active")


def test_an_unregistered_platform_cannot_start_a_login(client, registration):
    response = start_login(client, iss="https://stranger.example")
    _refused(response, 403, "No learning platform with this issuer and client id")


def test_an_unregistered_platform_cannot_launch(client, platform, registration):
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR], iss="https://stranger.example")
    _refused(response, 403, "No learning platform with this issuer and client id")


def test_a_launch_with_a_forged_state_is_refused(client, platform, registration):
    response, _t, _s = launch(client, platform, roles=[INSTRUCTOR], state="state-forged")
    _refused(response, 403, "did not start here")


def test_a_launch_without_a_token_is_refused(client, registration):
    response = client.post("/lti/launch/", {"state": "state-x"})
    assert response.status_code == 400, response.content
    assert not get_user_model().objects.exists()


def test_a_get_is_not_a_launch(client):
    assert client.get("/lti/launch/").status_code == 405
