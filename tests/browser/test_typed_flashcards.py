"""A flashcard answered by typing, refused, then "I was right": on a phone (390×844) and a
laptop (1280×800), with JavaScript on and off, axe at 0 violations at each step."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Card, CardNote, CardState, Review
from quizzes.review.cards import sync_cards
from tests import factories
from tests.conftest import _new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture
def fact_deck(student):
    lesson = factories.LessonFactory(title="The border")
    factories.FactFactory(lesson=lesson, pk=300,
                          text="Much of the border follows the [[Yalu|Amnok]] River.")
    factories.FactFactory(lesson=lesson, pk=301, text="The bridge joins Dandong and [[Sinuiju]].")
    sync_cards()
    return lesson


@pytest.fixture(params=[(size, js) for size in SIZES for js in (True, False)],
                ids=lambda p: f"{p[0]}-{'js' if p[1] else 'nojs'}")
def sized_page(request, browser, live_server):
    size, js = request.param
    context, page = _new_page(browser, live_server, viewport=SIZES[size],
                              java_script_enabled=js)
    page.javascript_enabled = js
    yield page
    context.close()
    if js:
        assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def test_a_typed_answer_refused_then_i_was_right(sized_page, axe, student, fact_deck):
    page = sized_page
    sign_in(page, "sam")
    page.goto("/review/")
    expect(page.locator("#card-front")).to_have_text("Much of the border follows the _____ River.")
    axe(page, "a card to type")
    no_horizontal_scroll(page)

    page.get_by_label("Type the answer").fill("the Yalu river")  # right, but not as written
    page.get_by_role("button", name="Check").click()

    expect(page.locator(".typed-verdict")).to_have_text("Not what the card says: counted as Again.")
    expect(page.get_by_text("You typed:")).to_contain_text("the Yalu river")
    review = Review.objects.get(user=student)
    assert (review.rating, review.typed_answer) == (1, "the Yalu river")
    axe(page, "a refused typed answer")
    no_horizontal_scroll(page)

    page.get_by_role("button", name="I was right: count it as Good").click()

    expect(page.get_by_text(re.compile("Counted as right")).first).to_be_visible()
    expect(page.locator("#card-front")).to_have_text("The bridge joins Dandong and _____.")
    review.refresh_from_db()
    assert (review.rating, review.overridden) == (3, True)
    assert CardState.objects.get(user=student, card=review.card).state == 1  # learning, Good
    axe(page, "the next card after I was right")

    # The hint, then a flag and a note on this card.
    page.get_by_role("link", name="Show the first letter").click()
    expect(page.get_by_text("It starts with “S”.")).to_be_visible()
    page.get_by_text("Flag this card or add a note").click()
    page.get_by_label("Flag this card").check()
    page.get_by_label("Your note (only you see it)").fill("The Friendship Bridge.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your note: The Friendship Bridge.")).to_be_visible()
    mark = CardNote.objects.get(user=student)
    assert (mark.flagged, mark.card) == (True, Card.objects.get(pk=mark.card_id))
    axe(page, "a flagged card with a note")
    no_horizontal_scroll(page)
