"""LTI Dynamic Registration (1EdTech, 1.0): the platform's administrator pastes the tool's
registration URL, the platform opens it with its OpenID configuration, and the tool
registers itself there and records the platform here.

The URL carries a signed invitation made on the tool's setup page by staff: without it
anyone could register a platform of their own and launch into the tool as an instructor, or
make the server fetch addresses of their choosing.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core import signing
from django.db import transaction
from django.urls import reverse
from lti_tool.models import LtiDeployment, LtiRegistration
from requests import RequestException

from lti.http import PlatformSession
from lti.launching import origin
from quizzes.common.refusals import Refusal

INVITATION_SALT = "lti.registration.invitation"
INVITATION_DAYS = 7
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = " ".join([
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
])


class RegistrationRefused(Refusal):
    status = 400


@dataclass
class Registered:
    registration: LtiRegistration
    deployment: LtiDeployment | None


def invitation(*, staff_user) -> str:
    return signing.dumps({"by": staff_user.pk}, salt=INVITATION_SALT)


def check_invitation(*, token: str) -> None:
    try:
        signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 86400)
    except signing.BadSignature as error:
        raise RegistrationRefused(
            "This registration link is not valid or has expired. Ask the tool's staff for a "
            "new one from its setup page.", status=403,
        ) from error


def configuration_url(*, value: str) -> str:
    parts = urlsplit(value or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise RegistrationRefused("The platform sent no OpenID configuration address.")
    return value


def tool_configuration(*, request) -> dict:
    """What the tool asks the platform for: its endpoints, claims, messages and scopes."""
    launch = request.build_absolute_uri(reverse("lti:launch"))
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": request.build_absolute_uri(reverse("lti:login")),
        "redirect_uris": [launch],
        "client_name": "Uneasy Allies",
        "jwks_uri": request.build_absolute_uri(reverse("lti:jwks")),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": SCOPES,
        TOOL_CONFIGURATION: {
            "domain": request.get_host(),
            "target_link_uri": launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": launch,
                 "label": "Uneasy Allies quiz, review or lesson"},
            ],
        },
    }


def _json(response, what: str) -> dict:
    if not response.ok:
        raise RegistrationRefused(f"The platform refused {what} ({response.status_code}).",
                                  status=502)
    try:
        return response.json()
    except ValueError as error:
        raise RegistrationRefused(f"The platform's {what} is not JSON.", status=502) from error


def register(*, request, token: str, openid_configuration: str,
             registration_token: str = "") -> Registered:
    """Fetch the platform's configuration, register the tool there, record the platform."""
    check_invitation(token=token)
    session = PlatformSession()
    try:
        config = _json(session.get(configuration_url(value=openid_configuration)),
                       "its OpenID configuration")
        issuer = config.get("issuer", "")
        # The spec's own check: the configuration is served from the issuer's host.
        if origin(issuer) is None or urlsplit(issuer).netloc != urlsplit(
            openid_configuration
        ).netloc:
            raise RegistrationRefused(
                "The platform's issuer is not the host its configuration came from."
            )
        headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
        client = _json(
            session.post(config["registration_endpoint"], json=tool_configuration(request=request),
                         headers=headers),
            "the tool's registration",
        )
        return _record(config=config, client=client)
    except RequestException as error:
        raise RegistrationRefused("The platform could not be reached.", status=502) from error
    except KeyError as error:
        raise RegistrationRefused(f"The platform's answer lacks {error}.",
                                  status=502) from error


@transaction.atomic
def _record(*, config: dict, client: dict) -> Registered:
    product = config.get(PLATFORM_CONFIGURATION, {}).get("product_family_code", "")
    registration, _ = LtiRegistration.objects.update_or_create(
        issuer=config["issuer"], client_id=client["client_id"],
        defaults={
            "name": f"{product or 'Platform'} at {urlsplit(config['issuer']).netloc}"[:255],
            "auth_url": config["authorization_endpoint"],
            "token_url": config["token_endpoint"],
            "keyset_url": config["jwks_uri"],
            "audience": config.get("authorization_server", ""),
            "is_active": True,
        },
    )
    deployment_id = client.get(TOOL_CONFIGURATION, {}).get("deployment_id")
    deployment = None
    if deployment_id:
        deployment, _ = LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id,
            defaults={"is_active": True},
        )
    return Registered(registration=registration, deployment=deployment)
