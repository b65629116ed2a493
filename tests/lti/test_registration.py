"""LTI Dynamic Registration, from a staff invitation to the first launch of the platform."""

import re
from urllib.parse import urlsplit

import pytest
from lti_tool.models import LtiRegistration

from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR

pytestmark = pytest.mark.django_db
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def _invitation_path(client, staff):
    client.force_login(staff)
    page = client.get("/lti/setup/").content.decode()
    client.logout()
    url = re.search(r"<code>(http://testserver/lti/register/[^<]+)</code>", page).group(1)
    return urlsplit(url).path


def test_a_platform_registers_itself_and_then_launches(client, platform, staff, tool_key):
    path = _invitation_path(client, staff)
    params = {
        "openid_configuration": f"{platform.base_url}/.well-known/openid-configuration",
        "registration_token": "one-time-token",
    }
    confirm = client.get(path, params)
    assert confirm.status_code == 200 and b"Register Uneasy Allies" in confirm.content
    assert f"frame-ancestors 'self' {platform.base_url}" in confirm["Content-Security-Policy"]
    assert not LtiRegistration.objects.exists()  # a GET changes nothing

    done = client.post(path, params)
    assert done.status_code == 200 and b"Registered" in done.content
    registration = LtiRegistration.objects.get()
    assert (registration.issuer, registration.client_id) == (platform.base_url, "dynamic-client")
    assert registration.keyset_url == f"{platform.base_url}/jwks"
    assert registration.token_url == f"{platform.base_url}/token"
    (deployment,) = registration.deployments.all()
    assert (deployment.deployment_id, deployment.is_active) == ("dynamic-deployment", True)

    sent = next(r for r in platform.received if r["path"] == "/register")
    assert sent["authorization"] == "Bearer one-time-token"
    body = sent["body"]
    assert body["initiate_login_uri"] == "http://testserver/lti/login/"
    assert body["redirect_uris"] == ["http://testserver/lti/launch/"]
    assert body["jwks_uri"] == "http://testserver/lti/jwks.json"
    assert "lti-ags/scope/score" in body["scope"]
    messages = {m["type"] for m in body[TOOL_CONFIGURATION]["messages"]}
    assert messages == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}

    response, _t, _s = launch(
        client, platform, sub="ines", roles=[INSTRUCTOR],
        login_as=(platform.base_url, "dynamic-client"),
        iss=platform.base_url, aud="dynamic-client",
        **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dynamic-deployment"},
    )
    assert response.status_code == 302


def test_without_an_invitation_nothing_is_fetched_or_registered(client, platform):
    params = {"openid_configuration": f"{platform.base_url}/.well-known/openid-configuration"}
    for method in (client.get, client.post):
        response = method("/lti/register/forged/", params)
        assert response.status_code == 403
        assert b"not valid or has expired" in response.content
    assert platform.received == [] and not LtiRegistration.objects.exists()


def test_an_issuer_on_another_host_is_refused(client, platform, staff, monkeypatch):
    path = _invitation_path(client, staff)
    config = platform.openid_configuration | {"issuer": "https://elsewhere.example"}
    monkeypatch.setattr(type(platform), "openid_configuration", property(lambda self: config))
    response = client.post(path, {
        "openid_configuration": f"{platform.base_url}/.well-known/openid-configuration",
    })
    assert response.status_code == 400
    assert b"not the host its configuration came from" in response.content
    assert not LtiRegistration.objects.exists()
