"""Site-wide views: liveness and the error pages."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from quizzes.common.saved_work import saved_work

# Seconds a client or load balancer is asked to wait before trying again.
RETRY_AFTER = 30


@never_cache
@require_GET
def healthz(request):
    # A cheap round trip proves the database answers, not only the process.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse(
            "The database is unreachable: this server cannot serve requests.\n",
            content_type="text/plain", status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse("ok", content_type="text/plain")


def _error(request, status, title, message):
    return render(
        request, "error.html", {"title": title, "message": message}, status=status
    )


def not_found(request, exception=None):
    return _error(request, 404, "Page not found", "There is nothing at this address.")


def forbidden(request, exception=None):
    return _error(
        request, 403, "Not allowed", "You do not have permission to do that."
    )


def bad_request(request, exception=None):
    return _error(request, 400, "Bad request", "The request could not be understood.")


def _database_unreachable() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    """The page for anything that went wrong, built without the database or the session:
    it must work when they do not (no base template, no user, no messages)."""
    unreachable = _database_unreachable()
    context = {
        "title": "Briefly unavailable" if unreachable else "Something went wrong",
        "message": (
            "The site cannot reach its database just now. Please try again in a minute."
            if unreachable
            else "The error has been logged. Please try again."
        ),
        # What the request had already saved before it failed, if anything (see
        # quizzes/common/saved_work.py); otherwise, whether sending again is safe.
        "saved": saved_work(request),
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = "500_fragment.html" if fragment else "500.html"
    response = HttpResponse(
        render_to_string(template, context), status=503 if unreachable else 500
    )
    if unreachable:
        response["Retry-After"] = str(RETRY_AFTER)
    return response
