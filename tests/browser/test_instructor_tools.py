"""The instructor's new pages in a browser, with axe: an edit form that says who started,
a refused past due date with its confirmation box, copying an assignment (JavaScript on and
off) and previewing a question as a student sees it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.classes import assignments as services
from quizzes.models import Assignment
from tests import factories
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def started(db, instructor, student):
    world = factories.class_world(students=0, kinds=("mcq",))
    classroom = world["classroom"]
    classroom.instructor = instructor
    classroom.name = "First class"
    classroom.save()
    factories.ClassroomFactory(instructor=instructor, name="Second class")
    factories.EnrollmentFactory(classroom=classroom, student=student)
    assignment = factories.AssignmentFactory(
        classroom=classroom, lessons=[world["lesson"]], question_count=2, title="Week one",
        time_limit_minutes=15,
    )
    services.start_assignment_attempt(assignment=assignment, student=student)
    return assignment, world["questions"][0]


def test_editing_a_started_assignment_and_a_refused_date(page, axe, instructor, started):
    assignment, _ = started
    sign_in(page, instructor.username)
    page.goto(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/edit/")
    expect(page.get_by_text("1 student has started this assignment")).to_be_visible()
    expect(page.get_by_label(re.compile("Also give the attempts in progress"))).not_to_be_checked()
    expect(page.get_by_label("Number of questions")).to_have_value("2")
    axe(page, "edit form of a started assignment")
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    page.get_by_label("Opens at").fill((yesterday - datetime.timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M"
    ))
    page.get_by_label("Due at").fill(yesterday.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("That due date has already passed")).to_be_visible()
    axe(page, "a refused past due date")
    page.get_by_label("Yes, I mean this due date, though it has passed").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1, name="Week one")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_copying_an_assignment_into_another_class(request, axe, instructor, started, javascript):
    page = request.getfixturevalue("page" if javascript else "nojs_page")
    assignment, _ = started
    sign_in(page, instructor.username)
    page.goto(f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/")
    page.get_by_role("link", name="Copy to a class").click()
    axe(page, "copy form")
    page.get_by_label("Copy into the class").select_option(label="Second class")
    page.get_by_label("Title").fill("Week one again")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied into Second class as “Week one again”.")).to_be_visible()
    copy = Assignment.objects.get(title="Week one again")
    assert copy.time_limit_minutes == 15 and copy.classroom.name == "Second class"


def test_previewing_a_question_as_a_student_sees_it(page, axe, instructor, started):
    _, question = started
    sign_in(page, instructor.username)
    page.goto(f"/classes/bank/{question.pk}/")
    page.get_by_role("link", name="Preview as a student sees it").click()
    expect(page.get_by_role("radio")).to_have_count(4)
    expect(page.get_by_role("button", name="Check answer")).to_be_disabled()
    axe(page, "question preview")
