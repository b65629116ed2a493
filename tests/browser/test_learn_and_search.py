"""A Learn session run to its end, and a search, on a phone (390×844) and a laptop
(1280×800), with JavaScript on (htmx swaps the feedback and the live results) and off
(plain posts and pages); axe finds nothing on any page on the way, and neither page
scrolls sideways."""

import re

import pytest

from quizzes.models import Attempt, LearnSession, Response
from tests.browser.test_practice import VERDICT, answer_by_keyboard
from tests.conftest import _new_page, open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


@pytest.fixture(params=[(size, js) for size in SIZES for js in (True, False)],
                ids=lambda p: f"{p[0]}-{'js' if p[1] else 'nojs'}")
def any_page(request, browser, live_server):
    size, javascript = request.param
    context, page = _new_page(
        browser, live_server, viewport=SIZES[size], java_script_enabled=javascript
    )
    page.javascript_enabled = javascript
    yield page
    context.close()
    assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


def no_sideways_scroll(page, label):
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"{label}: the page scrolls {width}px sideways"


def unanswered(username):
    attempt = Attempt.objects.filter(user__username=username).order_by("-pk").first()
    return (
        Response.objects.select_related("question")
        .filter(attempt=attempt, answered_at__isnull=True).order_by("position").first()
    )


def test_a_learn_session_to_its_end_and_a_search(any_page, axe, course, student):
    page = any_page
    javascript = page.javascript_enabled
    sign_in(page, student.username)

    # --- search: the header's box, then (with htmx) live results as one types ----------
    open_menu(page)  # on a phone the header's box is in the menu
    box = page.get_by_role("searchbox", name="Search the course")
    box.fill("treaty")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=treaty$"))
    page.get_by_role("heading", name=re.compile(r"^Glossary")).wait_for()
    assert page.locator("#search-results mark").first.inner_text().lower().startswith("treat")
    axe(page, "search results")
    no_sideways_scroll(page, "search results")
    open_menu(page)  # on a phone the header's box is in the menu
    box = page.get_by_role("searchbox", name="Search the course")
    if javascript:
        box.fill("Dandong")  # no Enter: the results follow the typing
        page.get_by_text("for “Dandong”").wait_for()
        page.wait_for_url(re.compile(r"q=Dandong"))
        axe(page, "live search results")
    box.fill("")
    box.press("Enter")
    page.get_by_text("Type a word or two").wait_for()
    if not javascript:
        assert page.url.endswith("/search/?q=")

    # --- Learn: from the practice page, seven items, rounds until each is known ---------
    page.goto("/practice/")
    page.get_by_role("link", name="learn in rounds").click()
    page.get_by_role("heading", name="Learn", exact=True).wait_for()
    axe(page, "learn start")
    page.get_by_role("button", name="Start learning").click()
    session = LearnSession.objects.get(user=student)
    assert len(session.items) == 7

    round_number = 1
    while True:
        page.get_by_role("heading", name=f"Learn · round {round_number}").wait_for()
        count = Attempt.objects.filter(learn_session=session).latest("pk").question_count
        for position in range(count):
            page.get_by_role("heading", name=f"Question {position + 1} of {count}").wait_for()
            if round_number == 1 and position == 0:
                axe(page, "learn question")
                no_sideways_scroll(page, "learn question")
            answer_by_keyboard(page, unanswered(student.username), right=True)
            page.get_by_role("heading", name=VERDICT).wait_for()
            assert page.locator(".verdict").inner_text().startswith("Right")
            if round_number == 1 and position == 0:
                axe(page, "learn feedback")
            follow = "See how the round went" if position == count - 1 else "Next question"
            page.get_by_role("link", name=follow).click()
        page.get_by_role("heading", name=re.compile("^(Learn session|You know all 7)$")).wait_for()
        if page.get_by_role("heading", name="You know all 7").count():
            break
        known = 0 if round_number == 1 else r"\d"
        page.get_by_text(re.compile(rf"Round {round_number} done: {known} of 7 known.")).wait_for()
        if round_number == 1:
            axe(page, "between rounds")
            no_sideways_scroll(page, "between rounds")
        round_number += 1
        assert round_number <= 4, "every answer right: known within a few rounds"
        page.get_by_role("button", name=f"Start round {round_number}").click()

    answers = Response.objects.filter(attempt__learn_session=session).count()
    assert page.get_by_text(f"{answers} of {answers} answers right").is_visible()
    axe(page, "learn end")
    no_sideways_scroll(page, "learn end")
