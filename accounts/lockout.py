"""Sign-in lockout: django-axes finds the client, records the attempts and shows the lockout
page; this module sets two limits and makes the count hold under parallel requests.

Two limits instead of axes' one:

- few failures for one account from one address (someone guessing a password):
  AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME, and
- many more for one address across all accounts, with a short cool-off: a classroom shares
  one public address, so a room's typos must not lock everyone out for long, but a script
  trying passwords across many accounts from one address is still stopped:
  IP_FAILURE_LIMIT within IP_COOLOFF_MINUTES.

Counted before the password is checked: axes checks the count, checks the password, and
only then records a failure, so parallel guesses all pass the check. Here every attempt is
counted first, in one UPDATE on its own AccessAttempt row, committed before the count is
read; the attempt goes on to the password check only if the count, its own attempt
included, is within every limit. Each attempt that passes has a place in the order the
database gave the UPDATEs, so however many arrive at once, no more than the limit ever
reach the password check, across every app server sharing the database. A successful
sign-in clears that account's count for the address (its own attempt with it); the
address's other failures stay, so an attacker signing in to their own account cannot wipe
their address's record.
"""

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
    get_query_str,
)
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import F, Sum

ADDRESS_ONLY = "ip_address"
COUNTED = "axes_attempt_counted"  # set on the request once its attempt is counted


def _fields(parameter) -> list[str]:
    return [parameter] if isinstance(parameter, str) else list(parameter)


def _is_address_only(parameter) -> bool:
    return _fields(parameter) == [ADDRESS_ONLY]


def group_limit(parameter, *, request, credentials=None) -> int:
    if _is_address_only(parameter):
        return settings.IP_FAILURE_LIMIT
    return get_failure_limit(request, credentials)


def group_cool_off(parameter, *, request) -> datetime.timedelta:
    if _is_address_only(parameter):
        return datetime.timedelta(minutes=settings.IP_COOLOFF_MINUTES)
    return get_cool_off(request)


class PerParameterLimitHandler(AxesDatabaseHandler):
    # --- counting --------------------------------------------------------------------------

    def count_attempt(self, request, credentials=None) -> None:
        """One more attempt on this client's row, committed at once so others see it."""
        username = get_client_username(request, credentials)
        key = {
            "username": username,
            "ip_address": request.axes_ip_address,
            "user_agent": request.axes_user_agent,
        }
        changes = {
            "failures_since_start": F("failures_since_start") + 1,
            "attempt_time": request.axes_attempt_time,
            "path_info": request.axes_path_info,
            "http_accept": request.axes_http_accept,
        }
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            if not AccessAttempt.objects.filter(**key).update(**changes):
                try:
                    with transaction.atomic():
                        AccessAttempt.objects.create(
                            **key,
                            failures_since_start=1,
                            attempt_time=request.axes_attempt_time,
                            path_info=request.axes_path_info,
                            http_accept=request.axes_http_accept,
                            get_data=get_query_str(request.GET).replace("\0", "0x00"),
                            post_data=get_query_str(request.POST).replace("\0", "0x00"),
                        )
                except IntegrityError:  # another request created the row a moment ago
                    AccessAttempt.objects.filter(**key).update(**changes)
        setattr(request, COUNTED, True)

    def group_failures(self, request, credentials=None) -> list[tuple[object, int, int]]:
        """(lockout parameter, attempts within its cool-off, its limit) for each group."""
        parameters = get_lockout_parameters(request, credentials)
        groups = []
        for parameter, attempts in zip(
            parameters, self.filter_user_attempts(request, credentials), strict=True
        ):
            since = request.axes_attempt_time - group_cool_off(parameter, request=request)
            failures = attempts.filter(attempt_time__gte=since).aggregate(
                total=Sum("failures_since_start")
            )["total"] or 0
            limit = group_limit(parameter, request=request, credentials=credentials)
            groups.append((parameter, failures, limit))
        return groups

    def _note_reason(self, request, groups, *, reached) -> bool:
        """Whether any group is at (reached=True) or past its limit; the first such group
        names the lockout for the locked-out page."""
        for parameter, failures, limit in groups:
            if failures > limit or (reached and failures >= limit):
                address = _is_address_only(parameter)
                request.axes_lockout_reason = "address" if address else "account"
                pause = group_cool_off(parameter, request=request)
                request.axes_lockout_minutes = round(pause.total_seconds() / 60)
                return True
        return False

    # --- what axes asks ---------------------------------------------------------------------

    def is_allowed(self, request, credentials=None) -> bool:
        """Asked by AxesStandaloneBackend once per sign-in, before the password is checked:
        the attempt is counted here, and it may go on only while every group, this attempt
        included, is within its limit."""
        if settings.AXES_ONLY_ADMIN_SITE and not self.is_admin_request(request):
            return True
        if self.is_blacklisted(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return True
        self.clean_expired_user_attempts(request, credentials)
        self.count_attempt(request, credentials)
        return not self._note_reason(
            request, self.group_failures(request, credentials), reached=False
        )

    def get_failures(self, request, credentials=None) -> int:
        # For axes' own callers: the worst group, scaled to the one limit axes compares
        # with, so it reaches that limit exactly when the group reaches its own.
        limit = get_failure_limit(request, credentials)
        scaled = [
            failures * limit // group
            for _parameter, failures, group in self.group_failures(request, credentials)
        ]
        return max(scaled, default=0)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """A wrong password, or an attempt refused as locked out: already counted in
        is_allowed, so only the lockout is decided here (axes would count it again)."""
        if request is None:
            return
        if self.is_whitelisted(request, credentials):
            return
        if not getattr(request, COUNTED, False):  # a failure no backend check came before
            self.count_attempt(request, credentials)
        groups = self.group_failures(request, credentials)
        request.axes_failures_since_start = max((f for _p, f, _l in groups), default=0)
        if settings.AXES_LOCK_OUT_AT_FAILURE and self._note_reason(request, groups, reached=True):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success: only the groups naming the account (its own attempt among them)."""
        parameters = get_lockout_parameters(request, credentials)
        count = 0
        for parameter, attempts in zip(
            parameters, self.filter_user_attempts(request, credentials), strict=True
        ):
            if "username" in _fields(parameter):
                deleted, _ = attempts.delete()
                count += deleted
        return count


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
