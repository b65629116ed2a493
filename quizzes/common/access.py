"""Who may open a page: decorators shared by every area's views."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.roles import is_instructor


def instructor_only(view):
    """Signed in and an instructor, or the page does not exist for them (404)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_instructor(request.user):
            raise Http404("Only instructors have this page.")
        return view(request, *args, **kwargs)

    return wrapper
