"""Times on the instructor's and the student's pages are in the viewer's zone, named."""

import datetime

import pytest
from django.urls import reverse

from quizzes.classes import assignments as services
from tests import factories

DUE = datetime.datetime(2031, 3, 4, 14, 30, tzinfo=datetime.UTC)  # 23:30 in Seoul


@pytest.fixture
def assignment(db):
    world = factories.class_world(students=1, kinds=("mcq",))
    quiz = factories.AssignmentFactory(
        classroom=world["classroom"], lessons=[world["lesson"]], question_count=2, due_at=DUE,
    )
    return world, quiz


@pytest.mark.parametrize("who", ["instructor", "student"])
def test_the_assignment_page_shows_the_due_date_in_the_viewers_zone(client, assignment, who):
    world, quiz = assignment
    client.force_login(world["instructor"] if who == "instructor" else world["students"][0])
    client.cookies["tz"] = "Asia/Seoul"
    page = client.get(
        reverse("quizzes:assignment_detail", args=[quiz.classroom_id, quiz.pk])
    ).content.decode()
    assert "Tue 4 Mar 2031, 23:30</time> (Asia/Seoul)" in page


def test_the_attempt_page_names_the_zone_of_its_deadline(client, assignment):
    world, quiz = assignment
    student = world["students"][0]
    attempt = services.start_assignment_attempt(assignment=quiz, student=student)
    client.force_login(student)
    client.cookies["tz"] = "America/New_York"
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "4 March 2031, 09:30</time> (America/New_York)" in page
