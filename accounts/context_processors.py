from django.utils.functional import SimpleLazyObject

from accounts.roles import is_instructor


def roles(request):
    # Lazy, so pages that never ask do not pay for the query.
    return {"is_instructor": SimpleLazyObject(lambda: is_instructor(request.user))}
