"""Site-wide views: liveness and the error pages."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    # A cheap round trip proves the database answers, not only the process.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
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


def server_error(request):
    return _error(
        request, 500, "Something went wrong", "The error has been logged. Please try again."
    )
