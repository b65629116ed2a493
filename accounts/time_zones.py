"""The learner's own time zone: which names are zones, storing one per user, and keeping it
in the session so that activating it (config.middleware.TimezoneMiddleware) costs no query.

The browser names its zone in the `tz` cookie (static/js/app.js sets it); sign-in stores it
for a learner who has not chosen one, and the account page's select changes it without
JavaScript. Days, streaks, the heatmap, due dates and daily limits all follow the zone that
is active for the request.
"""

import functools
import re
import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import TimeZonePreference

BROWSER_COOKIE = "tz"
# The session holds the signed-in learner's zone name ("" for none stored), so the middleware
# reads it with the session it loads anyway.
SESSION_KEY = "time_zone"
_NAME = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted, without the legacy aliases' clutter
    ("posix/…", "right/…", "Etc/GMT+5"'s inverted signs) but with UTC."""
    names = {
        name for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("posix/", "right/", "Etc/", "SystemV/", "US/"))
    }
    return tuple(sorted(names | {"UTC"}))


def valid_zone(name: str | None) -> str | None:
    """`name` if it is a zone this machine knows, else None (never an exception)."""
    if not name or not _NAME.match(name):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return name


def stored_zone(*, user_id) -> str:
    """The learner's stored zone name, or "" when they have none."""
    return (
        TimeZonePreference.objects.filter(user_id=user_id).values_list("name", flat=True).first()
        or ""
    )


def preference_for(*, user) -> TimeZonePreference | None:
    return TimeZonePreference.objects.filter(user=user).first()


def choose_zone(*, user, name: str, now=None) -> TimeZonePreference:
    """The learner's own choice (the settings page). Raises ValueError for an unknown zone."""
    if valid_zone(name) is None:
        raise ValueError(f"not a time zone: {name!r}")
    preference, _ = TimeZonePreference.objects.update_or_create(
        user=user,
        defaults={"name": name, "source": TimeZonePreference.Source.CHOSEN,
                  "updated_at": now or timezone.now()},
    )
    return preference


def detected_zone(*, user, name: str | None, now=None) -> str:
    """What the browser said at sign-in: stored unless the learner chose a zone themselves.
    Returns the zone the learner now has ("" for none)."""
    name = valid_zone(name)
    with transaction.atomic():
        preference = TimeZonePreference.objects.select_for_update().filter(user=user).first()
        if preference is not None and (
            preference.source == TimeZonePreference.Source.CHOSEN or not name
        ):
            return preference.name
        if not name:
            return ""
        TimeZonePreference.objects.update_or_create(
            user=user,
            defaults={"name": name, "source": TimeZonePreference.Source.BROWSER,
                      "updated_at": now or timezone.now()},
        )
    return name


def browser_zone(request) -> str | None:
    return valid_zone(request.COOKIES.get(BROWSER_COOKIE, ""))


def remember_on_sign_in(sender, request, user, **kwargs):
    """user_logged_in: store the browser's zone if the learner has not chosen one, and keep
    the learner's zone in the session for every request after."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = detected_zone(user=user, name=browser_zone(request))


def request_zone(request):
    """The zone for this request: the signed-in learner's own, else the browser's cookie, else
    None (the site's zone). One query at most, once per session that predates the key."""
    session = getattr(request, "session", None)
    name = None
    if session is not None:
        name = session.get(SESSION_KEY)
        if name is None and session.get("_auth_user_id"):
            name = stored_zone(user_id=session["_auth_user_id"])
            session[SESSION_KEY] = name
    name = valid_zone(name) or browser_zone(request)
    return zoneinfo.ZoneInfo(name) if name else None
