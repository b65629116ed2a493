"""A review session by keyboard alone, the same with plain forms, and the progress page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Card, CardState, Review
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import review_card
from tests import factories
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deck(student):
    lesson = factories.LessonFactory(title="Border and trade")
    for index, (term, definition) in enumerate([
        ("Dandong", "The Chinese city across the river from Sinuiju."),
        ("Juche", "North Korea's doctrine of self-reliance."),
        ("Six-party talks", "Negotiations on the nuclear programme, 2003 to 2009."),
    ]):
        factories.TermFactory(lesson=lesson, term=term, definition=definition, pk=100 + index)
    sync_cards()
    return lesson


def card_heading(page):
    return page.locator("#card-front")


def test_a_review_session_by_keyboard_alone(page, axe, student, deck):
    sign_in(page, "sam")
    page.goto("/review/")
    expect(card_heading(page)).to_have_text("What does “Dandong” mean?")
    expect(page.get_by_text("3 new")).to_be_visible()
    axe(page, "review page, front")

    # The keys act only while the card has focus (WCAG 2.1.4): not yet, on arrival.
    page.keyboard.press("Space")
    expect(page.get_by_text("The Chinese city across the river")).not_to_be_visible()
    page.get_by_role("link", name=re.compile("Show answer")).focus()
    page.keyboard.press("Space")
    expect(page.get_by_text("The Chinese city across the river")).to_be_visible()
    good = page.get_by_role("button", name=re.compile(r"^Good"))
    expect(good).to_be_focused()
    expect(good).to_contain_text("10m")
    expect(page.get_by_role("button", name=re.compile(r"^Again"))).to_contain_text("1m")
    axe(page, "review page, answer shown")

    page.keyboard.press("3")  # Good
    expect(card_heading(page)).to_have_text("What does “Juche” mean?")
    expect(page.get_by_role("status")).to_contain_text("Graded.")
    expect(page.get_by_text("2 new")).to_be_visible()

    page.keyboard.press("Space")
    expect(page.get_by_text("doctrine of self-reliance")).to_be_visible()
    page.keyboard.press("4")  # Easy
    expect(card_heading(page)).to_have_text("What does “Six-party talks” mean?")

    page.keyboard.press("u")  # undo the Easy: Juche comes back
    expect(card_heading(page)).to_have_text("What does “Juche” mean?")
    expect(page.get_by_role("status")).to_contain_text("Last grade undone")
    axe(page, "review page after undo")

    page.keyboard.press("Space")
    expect(page.get_by_role("button", name=re.compile(r"^Again"))).to_be_visible()
    page.keyboard.press("1")  # Again
    expect(card_heading(page)).to_have_text("What does “Six-party talks” mean?")
    page.keyboard.press("Space")
    expect(page.get_by_text("Negotiations on the nuclear programme")).to_be_visible()
    page.keyboard.press("Control+z")  # undo, by the other shortcut, before grading
    expect(card_heading(page)).to_have_text("What does “Juche” mean?")

    assert Review.objects.counted().filter(user=student).count() == 1
    assert Review.objects.filter(user=student, undone_at__isnull=False).count() == 2
    assert CardState.objects.filter(user=student).count() == 1

    page.get_by_role("link", name="Your progress").click()
    expect(page.get_by_role("heading", level=1, name="Your progress")).to_be_visible()
    expect(page.get_by_text("1 day in a row")).to_be_visible()
    page.get_by_text("Reviews per day as a table").click()
    axe(page, "progress page")
    page.screenshot(path="/tmp/review-progress.png", full_page=True)


def test_grading_works_with_plain_forms_when_javascript_is_off(nojs_page, axe, student, deck):
    page = nojs_page
    sign_in(page, "sam")
    page.goto("/review/")
    expect(card_heading(page)).to_have_text("What does “Dandong” mean?")

    page.get_by_role("link", name=re.compile("Show answer")).click()
    expect(page.get_by_text("The Chinese city across the river")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Hard")).click()
    expect(card_heading(page)).to_have_text("What does “Juche” mean?")
    expect(page.get_by_role("status").first).to_contain_text("Graded.")

    page.get_by_role("button", name=re.compile("Undo last grade")).click()
    expect(card_heading(page)).to_have_text("What does “Dandong” mean?")
    assert not CardState.objects.filter(user=student).exists()

    page.get_by_role("link", name="Study settings").click()
    page.get_by_label("New cards per day").fill("0")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Enter at least 1 new card a day.")).to_be_visible()
    page.get_by_label("New cards per day").fill("1")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Study settings saved.")).to_be_visible()


def test_the_study_settings_page_is_accessible(page, axe, student, deck):
    sign_in(page, "sam")
    page.goto("/review/settings/")
    axe(page, "study settings")
    page.get_by_label("New cards per day").fill("500")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe(page, "study settings with an error")


def test_a_stale_grade_is_refused_in_place_with_a_message(page, axe, student, deck):
    sign_in(page, "sam")
    page.goto("/review/")
    page.get_by_role("link", name=re.compile("Show answer")).focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name=re.compile(r"^Good"))).to_be_visible()
    # Meanwhile the same card is graded elsewhere (another tab, or a quiz answer).
    card = Card.objects.get(front="What does “Dandong” mean?")
    review_card(user=student, card=card, rating=3, now=timezone.now())

    page.keyboard.press("3")

    expect(page.get_by_role("status")).to_contain_text("already graded")
    expect(card_heading(page)).to_have_text("What does “Juche” mean?")
    assert Review.objects.filter(user=student).count() == 1
    axe(page, "review page with a refused grade")


def test_the_review_keys_can_be_turned_off(page, student, deck):
    sign_in(page, "sam")
    page.goto("/review/settings/")
    page.get_by_label("Keyboard shortcuts on the review card").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(card_heading(page)).to_have_text("What does “Dandong” mean?")
    page.get_by_role("link", name=re.compile("Show answer")).focus()

    page.keyboard.press("3")  # nothing: the shortcuts are off
    page.keyboard.press("Enter")  # the focused link's own key still follows it

    expect(page.get_by_role("button", name=re.compile(r"^Good"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Good")).focus()
    page.keyboard.press("1")
    expect(page.get_by_role("button", name=re.compile(r"^Good"))).to_be_visible()
    assert not Review.objects.filter(user=student).exists()
