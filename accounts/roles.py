"""Everyone is a student; instructors are members of one Group."""

from django.contrib.auth.models import Group

INSTRUCTORS = "Instructors"


def is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    # Cached on the user object: the nav asks on every page.
    if not hasattr(user, "_is_instructor"):
        user._is_instructor = user.groups.filter(name=INSTRUCTORS).exists()
    return user._is_instructor


def make_instructor(user) -> None:
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    user.groups.add(group)
    user._is_instructor = True
