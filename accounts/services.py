"""Account actions."""

from django.contrib.auth.models import User
from django.db import transaction

from accounts.roles import make_instructor


@transaction.atomic
def register_user(*, username: str, email: str, password: str, teaches: bool) -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    if teaches:
        make_instructor(user)
    return user
