"""Sign-in lockout: django-axes does the counting and the locking; this sets two limits.

axes compares every group in AXES_LOCKOUT_PARAMETERS with one AXES_FAILURE_LIMIT. We want
two limits instead of one:

- few failures for one account from one address (someone guessing a password), and
- many more for one address across all accounts: a classroom or a school shares one
  public address, so five typos in a room must not lock everyone out, but a script trying
  passwords across many accounts from one address must still be stopped.

`PerParameterLimitHandler` counts each group against its own limit (IP_FAILURE_LIMIT for
the address alone), and a successful sign-in clears only that account's failures, so an
attacker signing in to their own account cannot wipe their address's record.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


def _group_name(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


def _group_limit(parameter, default: int) -> int:
    if _group_name(parameter) == ADDRESS_ONLY:
        return getattr(settings, "IP_FAILURE_LIMIT", default)
    return default


class PerParameterLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst, reason = 0, None
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            group_limit = _group_limit(parameter, limit)
            # Scaled to the one limit axes compares with: failures reach `limit` exactly when
            # they reach this group's own limit.
            scaled = failures * limit // group_limit
            if scaled > worst:
                worst = scaled
            if scaled >= limit and reason is None:
                reason = "address" if _group_name(parameter) == ADDRESS_ONLY else "account"
        # For the locked-out page, which says which kind of lockout it is.
        request.axes_lockout_reason = reason
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            if "username" in ([parameter] if isinstance(parameter, str) else parameter):
                deleted, _ = attempts.delete()
                count += deleted
        return count


def client_ip_address(request) -> str | None:
    """The client's address behind our own reverse proxy (BEHIND_PROXY=1).

    The proxy appends the address it saw to X-Forwarded-For; anything to the left of it
    came from the client and can be forged, so only the right-most TRUSTED_PROXY_COUNT-th
    entry is believed.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    if len(hops) >= count > 0:
        return hops[-count]
    return request.META.get("REMOTE_ADDR")


# The longest username Django allows; axes stores what was typed in a 255-character column.
USERNAME_LIMIT = 150


def client_username(request, credentials=None) -> str | None:
    """The username a sign-in attempt named, cut to a length the database can store.

    Without this, a 100 KB "username" reaches axes' AccessAttempt row as it is: a crash on
    PostgreSQL (varchar(255)) and a bloated row on SQLite. Real usernames are never cut.
    """
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(field) if source else None
    if isinstance(username, str):
        return username[:USERNAME_LIMIT]
    return username
