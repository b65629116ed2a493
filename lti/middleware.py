"""Framing for sessions that came from a platform launch, and for nothing else."""

from django.conf import settings
from django.utils.csp import CSP

from lti.launching import SESSION_FRAME_ORIGINS


def framed_policy(origins) -> dict:
    return {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF, *origins]}


class PlatformFramingMiddleware:
    """A session signed in by an LTI launch may be shown inside that platform's iframe:
    CSP frame-ancestors names the platform's origins (remembered at the launch) and
    X-Frame-Options, which cannot name an origin, is left off. Every other response keeps
    frame-ancestors 'none' and X-Frame-Options: DENY."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request has read anyway (every page does, for its user): a
        # download that never asks for the user costs no extra query.
        if session is None or not session.accessed:
            return response
        origins = session.get(SESSION_FRAME_ORIGINS)
        if origins and not hasattr(response, "_csp_config"):
            response._csp_config = framed_policy(origins)
            response.xframe_options_exempt = True
        return response
