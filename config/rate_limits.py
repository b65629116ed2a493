"""Rate limits on the forms a script would hammer: join codes, sign-up, password reset.

django-ratelimit does the counting, in Django's default cache (settings.CACHES: Redis when
REDIS_URL is set, so every worker shares one count; local memory otherwise). Each limit
names a group, what it counts by (the account, the client's address, a posted field) and a
rate from settings.RATE_LIMITS, read at request time. Only the methods listed count: a GET
of a form is free, each POST counts whether it succeeds or not.

Past a limit the view is not run at all: the visitor gets a 429 page that says which limit
it was and when to try again, with a Retry-After header.
"""

import functools
import math
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Limit:
    group: str  # the counter's name
    key: object  # django-ratelimit's key: "user", "ip", or a function (group, request)
    rate: str  # a key of settings.RATE_LIMITS
    what: str  # for the 429 page: "join codes tried from your account"
    methods: tuple = ("POST",)


def client_address(request) -> str:
    """The client's address as the sign-in lockout sees it (django-axes' own settings for
    proxies), so a rate limit and a lockout agree on who is who."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "0.0.0.0"


def posted_email(group, request) -> str:
    # The same mailbox however it is capitalised or spaced.
    return request.POST.get("email", "").strip().casefold()


def _rate(name):
    return lambda group, request: settings.RATE_LIMITS[name]


def exceeded(request, limits) -> tuple[Limit, int] | None:
    """Count this request against every limit; the first one exceeded and its seconds left."""
    over = None
    for limit in limits:
        usage = get_usage(
            request, group=limit.group, key=limit.key, rate=_rate(limit.rate),
            method=list(limit.methods), increment=True,
        )
        if usage is not None and usage["should_limit"] and over is None:
            over = (limit, max(1, usage["time_left"]))
    return over


def too_many_requests(request, *, limit: Limit, seconds_left: int):
    minutes = max(1, math.ceil(seconds_left / 60))
    response = render(
        request, "error.html",
        {"title": "Too many tries",
         "message": f"There have been too many {limit.what} for now. Nothing was done. "
                    f"Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again."},
        status=429,
    )
    response["Retry-After"] = str(seconds_left)
    return response


def rate_limited(*limits: Limit):
    """Refuse a view with a 429 once any of `limits` is exceeded."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            over = exceeded(request, limits)
            if over is not None:
                limit, seconds_left = over
                return too_many_requests(request, limit=limit, seconds_left=seconds_left)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


JOIN_LIMITS = (
    Limit("join-code-account", "user", "join_per_account", "join codes tried from your account"),
    Limit("join-code-address", "ip", "join_per_address", "join codes tried from your network"),
)
SIGNUP_LIMITS = (
    Limit("signup-address", "ip", "signup_per_address", "sign-ups from your network"),
)
PASSWORD_RESET_LIMITS = (
    Limit("reset-address", "ip", "reset_per_address", "password resets asked from your network"),
    Limit("reset-email", posted_email, "reset_per_email", "password resets for that address"),
)
