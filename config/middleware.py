"""What every request needs, done once: refusing bodies too large to read and NUL characters,
and activating the visitor's time zone.

PostgreSQL cannot store or even compare text holding a NUL (psycopg raises DataError), so
a "?lesson=%00" or a form field holding one would be a 500 wherever a view passes it to a
query. No real form input contains one: the whole request is refused with a 400 instead.
(Uploaded files are not checked; the GIFT import refuses NULs in its own words.)
"""

import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils import timezone

NUL = "\x00"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


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


TIMEZONE_COOKIE = "tz"
_TIMEZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")


def timezone_from_cookie(request):
    """The browser's time zone (a cookie static/js/classes.js sets), else None."""
    name = request.COOKIES.get(TIMEZONE_COOKIE, "")
    if _TIMEZONE_NAME.match(name):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
    return None


class TimezoneMiddleware:
    """Show and read dates in the visitor's own zone for the whole request (Django's own
    pattern); the site's zone when the browser has not said, which pages name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = timezone_from_cookie(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
