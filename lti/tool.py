"""Validating what a platform sends: the OIDC login initiation and the signed launch.

pylti1p3 does the checks (state, nonce, registration by issuer and client id, the id_token's
signature against the platform's JWKS, expiry, deployment, message shape); this module makes
two of them stricter and turns every failure into a sentence:

- a deployment must be registered and active (django-lti creates unknown ones on sight);
- a nonce is used once (pylti1p3 only checks that it was issued).
"""

import hashlib

from django.urls import reverse
from lti_tool.models import LtiDeployment, LtiLaunch
from lti_tool.utils import DjangoToolConfig, _prepare_deployment
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from lti.http import PlatformSession
from lti.storage import DatabaseLaunchDataStorage
from quizzes.common.refusals import Refusal

# What the platform's id_token must carry besides what pylti1p3 checks.
JWT_OPTIONS = {"verify_aud": False, "require": ["exp", "iat", "nonce", "sub"]}


class LaunchRefused(Refusal):
    status = 403


class RegisteredPlatforms(DjangoToolConfig):
    """django-lti's tool configuration, except that an unknown or inactive deployment is
    refused instead of created."""

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        lookups = {
            "registration__issuer": iss,
            "registration__is_active": True,
            "deployment_id": deployment_id,
            "is_active": True,
        }
        if client_id is not None:
            lookups["registration__client_id"] = client_id
        self.deployment = LtiDeployment.objects.select_related("registration").filter(
            **lookups
        ).first()
        if self.deployment is None:
            return None
        return _prepare_deployment(self.deployment)


# pylti1p3's messages, in the order it checks, and what the person is told.
_SENTENCES = [
    ("Missing id_token", "The platform sent no launch token.", 400),
    ("cookie", "Your browser did not send the cookie this launch started with. Open the "
     "activity again from your course, in a new window if it fails inside the page.", 403),
    ("Missing state", "The platform sent no state with the launch.", 400),
    (
        "State not found",
        "This launch did not start here, or your browser blocked the cookie that ties it to "
        "this window. Open the activity again from your course, in a new window if it fails "
        "inside the course page.",
        403,
    ),
    ("JWT must contain 3 parts", "The launch token is not a signed token.", 400),
    ("can't be decoded", "The launch token cannot be read.", 400),
    (
        "Invalid Nonce",
        "This launch was already used or was not issued here. Open the activity again from "
        "your course.",
        403,
    ),
    ('"nonce" is empty', "The launch token has no nonce.", 400),
    (
        "Registration not found",
        "No learning platform with this issuer and client id is registered here.",
        403,
    ),
    (
        "Client id not registered",
        "No learning platform with this issuer and client id is registered here.",
        403,
    ),
    ("Error during fetch", "The platform's public keys could not be fetched.", 502),
    ("Must be JSON", "The platform's public key set is not JSON.", 502),
    ("Unable to find public key", "The launch is signed with a key the platform does not list.",
     403),
    ("JWT KID not found", "The launch token names no signing key.", 403),
    ("Signature has expired", "This launch has expired. Open the activity again from your "
     "course.", 403),
    ("Signature verification failed", "The launch's signature does not match the platform's "
     "keys.", 403),
    ("Can't decode id_token", "The launch token is not valid.", 403),
    (
        "Unable to find deployment",
        "This deployment of the tool is not registered, or not active, for the platform.",
        403,
    ),
]


KEY_SET_CACHE_SECONDS = 3600


class PlatformLaunch(DjangoMessageLaunch):
    """pylti1p3's launch with the platform's key set kept for an hour (a launch then waits
    on no fetch), fetched again at once when a token names a key the kept set lacks (the
    platform rotated its keys)."""

    def get_public_key(self):
        try:
            return super().get_public_key()
        except LtiException as error:
            if "Unable to find public key" not in str(error):
                raise
            storage = self._public_key_cache_data_storage
            url = self._registration.get_key_set_url()
            if storage is not None and url:
                storage.forget(f"key-set-url-{hashlib.md5(url.encode()).hexdigest()}")
            self._registration.set_key_set(None)
            return super().get_public_key()


def refusal_for(error: Exception) -> LaunchRefused:
    text = str(error)
    for fragment, sentence, status in _SENTENCES:
        if fragment.lower() in text.lower():
            return LaunchRefused(sentence, status=status)
    return LaunchRefused("The launch message is not one this tool accepts.", status=400)


def launch_url(request) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


def login_redirect(*, request):
    """Answer the platform's OIDC login initiation with a redirect to its authorization
    endpoint (a state cookie set, a nonce stored)."""
    if not request.GET.get("iss", request.POST.get("iss")):
        raise LaunchRefused("The login request names no platform (iss).", status=400)
    try:
        oidc = DjangoOIDCLogin(
            request, RegisteredPlatforms(), launch_data_storage=DatabaseLaunchDataStorage()
        )
        return oidc.disable_check_cookies().redirect(launch_url(request))
    except (OIDCException, LtiException) as error:
        if "registration" in str(error).lower():
            raise LaunchRefused(
                "No learning platform with this issuer and client id is registered here."
            ) from error
        raise LaunchRefused(f"The login request is incomplete: {error}.", status=400) from error


def validated_launch(*, request) -> tuple[LtiLaunch, DatabaseLaunchDataStorage]:
    """The launch, every check passed and its nonce consumed; LaunchRefused otherwise."""
    storage = DatabaseLaunchDataStorage()
    try:
        message = PlatformLaunch(
            request, RegisteredPlatforms(), launch_data_storage=storage,
            requests_session=PlatformSession(),
        )
        message.set_jwt_verify_options(JWT_OPTIONS)
        message.set_public_key_caching(DatabaseLaunchDataStorage(), KEY_SET_CACHE_SECONDS)
        message.validate()
    except LtiException as error:
        raise refusal_for(error) from error
    except KeyError as error:  # pylti1p3 indexes a few claims without checking
        raise LaunchRefused("The launch token lacks a required claim.", status=400) from error
    if not storage.consume_nonce(message.get_launch_data()["nonce"]):
        raise refusal_for(LtiException("Invalid Nonce"))
    return LtiLaunch(message), storage


def restored_launch(*, request, launch_id: str) -> LtiLaunch:
    """A launch validated earlier in this session (deep linking answers it later)."""
    try:
        message = DjangoMessageLaunch.from_cache(
            launch_id, request, RegisteredPlatforms(),
            launch_data_storage=DatabaseLaunchDataStorage(),
        )
    except LtiException as error:
        raise LaunchRefused(
            "This launch has expired here. Open the activity again from your course."
        ) from error
    return LtiLaunch(message)
