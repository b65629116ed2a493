"""What every request needs, done once: forwarded headers only from our own proxy, refusing
bodies too large to read and NUL characters, and activating the visitor's time zone.

PostgreSQL cannot store or even compare text holding a NUL (psycopg raises DataError), so
a "?lesson=%00" or a form field holding one would be a 500 wherever a view passes it to a
query. No real form input contains one: the whole request is refused with a 400 instead.
(Uploaded files are not checked; the GIFT import refuses NULs in its own words.)
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape

from accounts.time_zones import request_zone

NUL = "\x00"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED",
)


class ForwardedHeadersFromProxiesOnly:
    """Behind our reverse proxy (settings.PROXY_ADDRESSES), drop the forwarded headers of a
    request that did not come from it.

    The sign-in lockout (django-axes through django-ipware) and the HTTPS check believe
    these headers; a client that reaches the app server directly could otherwise write any
    address there and never be locked out. Without a proxy the list is empty and nothing
    here runs (those headers are not read at all then).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = [
            ipaddress.ip_network(address, strict=False) for address in settings.PROXY_ADDRESSES
        ]
        # With them, whichever header the lockout is told to read the client's address from.
        read = getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", ())
        self.headers = set(FORWARDED_HEADERS) | {name for name in read if name != "REMOTE_ADDR"}

    def _from_proxy(self, remote: str) -> bool:
        try:
            address = ipaddress.ip_address(remote)
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def __call__(self, request):
        if self.proxies and not self._from_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in self.headers:
                request.META.pop(header, None)
        return self.get_response(request)


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _has_nul(request.GET):
            raise BadRequest("The address holds a character that is not allowed.")
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("The form holds a character that is not allowed.")
        return self.get_response(request)


class LimitRequestSizeMiddleware:
    """Refuse a request body over MAX_REQUEST_BYTES before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not file uploads, which it
    streams to disk whatever their size. The largest thing anyone sends here is a GIFT file
    (200 KB), so a body over the limit is refused at once with a 413 and a sentence.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("The request's length could not be read.") from None
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return render(
                request, "error.html",
                {"title": "Too large",
                 "message": f"That is more than the {limit // 1024} KB this site accepts "
                            "in one request. Nothing was saved."},
                status=413,
            )
        return self.get_response(request)


class TimezoneMiddleware:
    """Show and read dates in the learner's own zone for the whole request (Django's own
    pattern): the signed-in learner's stored zone, else the browser's (the `tz` cookie
    static/js/app.js sets), else the site's, which pages name. See accounts/time_zones.py."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = request_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class VaryOnHtmxMiddleware:
    """Every HTML answer says it may differ with the `HX-Request` header.

    The same URL answers an htmx request with a fragment and a plain one with the whole page
    (the feedback, a flashcard's grade, the results' poll…); without `Vary: HX-Request` a
    browser's or a proxy's cache could hand a fragment to a page load, or the page to a swap.
    Marking every HTML answer, rather than each view, covers a view added later too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        return response


class SayWhyMethodNotAllowedMiddleware:
    """Django's 405 (`require_GET`, `require_POST`, `require_safe`) has an empty body: a
    sentence says what happened and what the address does accept (its Allow header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            allowed = response.get("Allow", "")
            response.content = (
                f"<!doctype html><title>Not allowed</title><p>This address does not take a "
                f"{escape(request.method)} request; it takes {escape(allowed) or 'none'}. Use "
                f"the page's own links and buttons.</p>"
            ).encode()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
