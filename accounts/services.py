"""Account actions."""

from django.contrib.auth.models import User
from django.db import transaction

from accounts.instructor_requests import request_instructor_status


@transaction.atomic
def register_user(*, username: str, email: str, password: str, teaches: bool) -> User:
    """A new account, always a student's; "I teach" only asks staff for instructor status."""
    user = User.objects.create_user(username=username, email=email, password=password)
    if teaches:
        request_instructor_status(user=user)
    return user
