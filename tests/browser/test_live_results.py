"""The live results table in a browser: each poll replaces only its rows, so keyboard focus
and the status line survive; it can be paused (WCAG 2.2.2) and resumed; without JavaScript
it is a page with a Refresh link. axe finds nothing either way."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.classes import assignments as services
from quizzes.practice import attempts as engine
from tests import factories
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(db, instructor, student):
    world = factories.class_world(students=0, kinds=("mcq",))
    classroom = world["classroom"]
    classroom.instructor = instructor
    classroom.save()
    factories.EnrollmentFactory(classroom=classroom, student=student)
    assignment = factories.AssignmentFactory(
        classroom=classroom, lessons=[world["lesson"]], question_count=2, title="Live quiz"
    )
    attempt = services.start_assignment_attempt(assignment=assignment, student=student)
    url = f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/"
    return url, attempt


def test_polls_keep_focus_and_status_and_can_be_paused(page, axe, instructor, live):
    url, attempt = live
    sign_in(page, instructor.username)
    page.goto(url)
    status = page.locator("#results-status")
    expect(status).to_have_text("0 of 1 handed in, 1 working now.")
    pause = page.get_by_role("button", name="Pause live updates")
    expect(pause).to_be_visible()
    axe(page, "live results")
    page.evaluate("document.getElementById('results-status').dataset.original = 'yes'")

    # Focus in the table's scrolling region survives the polls.
    region = page.get_by_role("region", name="Results by student")
    region.focus()
    pause.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Resume live updates")).to_have_attribute(
        "aria-pressed", "true"
    )
    engine.finish_attempt(attempt=attempt)
    page.wait_for_timeout(7000)  # more than one poll's interval: nothing may change
    expect(status).to_have_text("0 of 1 handed in, 1 working now.")

    region.focus()
    page.get_by_role("button", name="Resume live updates").click()
    region.focus()
    expect(status).to_have_text(re.compile(r"^1 of 1 handed in"), timeout=12_000)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Results by student"
    )
    # The status line is the same element as before, not one recreated by the poll.
    assert page.evaluate("document.getElementById('results-status').dataset.original") == "yes"
    expect(page.get_by_role("row", name=re.compile(r"^sam .*Handed in"))).to_be_visible()


def test_without_javascript_the_table_is_a_page_with_a_refresh_link(
    nojs_page, axe, instructor, live
):
    page = nojs_page
    url, attempt = live
    sign_in(page, instructor.username)
    page.goto(url)
    expect(page.get_by_role("button", name="Pause live updates")).to_be_hidden()
    axe(page, "results without JavaScript")
    engine.finish_attempt(attempt=attempt)
    page.get_by_role("link", name="Refresh").click()
    expect(page.locator("#results-status")).to_have_text(re.compile(r"^1 of 1 handed in"))
