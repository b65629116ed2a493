"""Content for the generator tests, read into memory once per test session.

Generators are pure: they read a CourseContent and touch no database. So the course is
loaded (the real one exactly as the `course` fixture loads it, from the session's snapshot
of manage.py load_course; or a small one from factories), read into memory, and rolled back.
Generators do not change what they read, so every generator module shares the two.
"""

import pytest
from django.db import transaction

from quizzes.bank.generators import load_course_content
from tests import factories
from tests.course_snapshot import restore_course


def _loaded(django_db_blocker, build):
    with django_db_blocker.unblock(), transaction.atomic():
        build()
        content = load_course_content()
        transaction.set_rollback(True)
    return content


@pytest.fixture(scope="session")
def real_content(django_db_setup, django_db_blocker):
    return _loaded(django_db_blocker, restore_course)


@pytest.fixture(scope="session")
def factory_content(django_db_setup, django_db_blocker):
    return _loaded(django_db_blocker, factories.small_course)


@pytest.fixture(params=["real course", "factories"])
def content(request):
    name = "real_content" if request.param == "real course" else "factory_content"
    return request.getfixturevalue(name)
