"""An assignment's attempt in a browser: the countdown runs a timed attempt to its end (the
server's deadline stays the authority), and another attempt is handed in through the review
before handing in; with JavaScript on and off, axe finding nothing on the way."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.classes import assignments as services
from quizzes.models import Attempt
from tests import factories
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def attempt(db, student):
    """The student's open attempt at a two-question timed assignment."""
    world = factories.class_world(students=0, kinds=("mcq",))
    factories.EnrollmentFactory(classroom=world["classroom"], student=student)
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], lessons=[world["lesson"]], question_count=2,
        time_limit_minutes=20, title="Timed border quiz",
    )
    return services.start_assignment_attempt(assignment=assignment, student=student)


def _deadline_in(attempt, seconds):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(seconds=seconds)
    )


def _answer_shown_question(page):
    page.locator("#question-card input[type=radio]").first.check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#feedback-heading")).to_be_visible()


def test_the_countdown_announces_the_last_minute_and_runs_the_attempt_to_its_end(
    page, axe, student, attempt
):
    sign_in(page, student.username)
    _deadline_in(attempt, 66)
    page.goto(f"/attempts/{attempt.pk}/")
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^(1:0\d|0:5\d)$"))
    expect(page.get_by_text("(when this page loaded)")).to_be_hidden()
    axe(page, "a timed question with its countdown")
    # Crossing one minute is said once to screen readers (not each second).
    expect(page.locator("[data-countdown-status]")).to_have_text("1 minute left.", timeout=12_000)

    _answer_shown_question(page)  # the countdown is outside the swapped card: it keeps going
    expect(timer).to_be_visible()

    _deadline_in(attempt, 3)
    page.reload()
    expect(page.locator("[data-countdown-status]")).to_have_text(
        re.compile("^Time is up"), timeout=10_000
    )
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"), timeout=10_000)
    axe(page, "the results after time ran out")
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline
    assert attempt.score is not None


def test_without_javascript_the_deadline_is_named_and_the_server_hands_in(
    nojs_page, axe, student, attempt
):
    page = nojs_page
    sign_in(page, student.username)
    _deadline_in(attempt, 3)
    page.goto(f"/attempts/{attempt.pk}/")
    expect(page.locator(".quiz-deadline")).to_contain_text("Hand in by")
    expect(page.get_by_text("(when this page loaded)")).to_be_visible()
    axe(page, "a timed question without JavaScript")
    page.locator("#question-card input[type=radio]").first.check()
    time.sleep(4)  # past the deadline before the answer is posted
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("heading", name="Time is up")).to_be_visible()
    page.get_by_role("link", name="See results").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"))
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_handing_in_through_the_review(request, axe, student, attempt, javascript):
    page = request.getfixturevalue("page" if javascript else "nojs_page")
    sign_in(page, student.username)
    page.goto(f"/attempts/{attempt.pk}/")
    _answer_shown_question(page)

    # "Hand in now" asks first: a page listing what is still unanswered.
    page.get_by_role("link", name="Hand in now").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/hand-in/$"))
    expect(page.get_by_role("heading", name="Review before handing in")).to_be_visible()
    expect(page.get_by_text("You have answered 1 of 2 questions.")).to_be_visible()
    axe(page, "the review with a question unanswered")
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None

    page.get_by_role("link", name="Question 2").click()
    expect(page.get_by_role("heading", name=re.compile("^Question 2 of 2"))).to_be_visible()
    _answer_shown_question(page)
    expect(page.get_by_role("link", name="Hand in now")).to_have_count(0)
    page.get_by_role("link", name="Review and hand in").click()
    expect(page.get_by_text("You have answered 2 of 2 questions.")).to_be_visible()
    expect(page.get_by_role("heading", name="Not answered yet")).to_have_count(0)
    axe(page, "the review with everything answered")
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None

    page.get_by_role("button", name="Hand in").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/results/$"))
    expect(page.get_by_role("link", name="Hand in now")).to_have_count(0)
    assert Attempt.objects.get(pk=attempt.pk).finished_at is not None
