"""Refuse NUL characters in request parameters, once, for every view.

PostgreSQL cannot store or even compare text holding a NUL (psycopg raises DataError), so
a "?lesson=%00" or a form field holding one would be a 500 wherever a view passes it to a
query. No real form input contains one: the whole request is refused with a 400 instead.
(Uploaded files are not checked; the GIFT import refuses NULs in its own words.)
"""

from django.core.exceptions import BadRequest

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
