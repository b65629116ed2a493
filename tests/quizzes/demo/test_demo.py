"""The demo `make run` loads: every page has something to show on a first run."""

import pytest
from django.contrib.auth.models import User

from accounts.instructor_requests import teaching_status
from quizzes.demo.demo_data import load_demo
from quizzes.models import Assignment, Attempt, Classroom, Review

pytestmark = pytest.mark.django_db


def test_demo_has_a_class_a_finished_assignment_and_review_history(course):
    load_demo()
    classroom = Classroom.objects.get(join_code="TUMEN2")
    assert classroom.instructor.username == "ms.lee"
    # Approved through the same request a real instructor makes, not self-declared.
    assert teaching_status(user=classroom.instructor) == "instructor"
    assert classroom.instructor.instructor_requests.get().status == "approved"
    assert classroom.enrollments.count() == 3
    finished = Assignment.objects.get(title="The 2003 panel: who argued what")
    assert Attempt.objects.filter(assignment=finished, finished_at__isnull=False).count() == 2
    amira = User.objects.get(username="amira")
    assert Review.objects.filter(user=amira).count() > 100
    assert amira.check_password("uneasy-allies-demo")


def test_demo_runs_twice_without_duplicating(course):
    load_demo()
    counts = (User.objects.count(), Attempt.objects.count(), Review.objects.count())
    assert load_demo() == "already present"
    assert (User.objects.count(), Attempt.objects.count(), Review.objects.count()) == counts
