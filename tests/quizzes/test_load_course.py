"""`make run` loads the course with load_course and the demo with load_demo; both may run twice."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from quizzes.models import Card, Question
from relations.models import Claim, Lesson

pytestmark = pytest.mark.django_db


def counts():
    return (
        Lesson.objects.count(),
        Claim.objects.count(),
        Question.objects.count(),
        Card.objects.count(),
        User.objects.count(),
    )


def test_running_the_setup_twice_duplicates_nothing():
    call_command("load_course", verbosity=0)
    call_command("load_demo", verbosity=0)
    first = counts()
    call_command("load_course", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert counts() == first
    assert first[2] > 0 and first[3] > 0


def test_a_course_that_fails_the_content_check_is_not_loaded(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(
        '[{"model": "relations.lesson", "pk": 999, "fields": {"slug": "empty", '
        '"title": "A lesson with no sections", "order": 1, "summary": "x", "people": []}}]'
    )
    with pytest.raises(CommandError, match="no sections"):
        call_command("load_course", fixture=str(broken), verbosity=0)
    assert not Lesson.objects.filter(pk=999).exists()
