"""Phone first and in both themes (issue 19): no page scrolls sideways at 320 or 390 px, the
header's menu opens and closes by keyboard with JavaScript on and off, the focus ring is at
least 3:1 against whatever is behind it, and axe finds nothing in the light or dark theme."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.practice.attempts import answer_question, finish_attempt, start_practice
from quizzes.practice.simulation import form_data
from quizzes.review.scheduling import review_card
from tests import factories
from tests.conftest import _new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def learner(course, student):
    """The real course, a few reviews and a finished practice quiz (some answers wrong)."""
    from django.utils import timezone

    from quizzes.models import Card

    now = timezone.now()
    for card in Card.objects.active().order_by("id")[:6]:
        review_card(user=student, card=card, rating=3, now=now)
    attempt = start_practice(user=student, count=8, seed=19, now=now)
    for response in attempt.responses.select_related("question").order_by("position"):
        answer_question(
            attempt=attempt, position=response.position,
            data=form_data(attempt=attempt, response=response, right=response.position % 2 == 0),
            now=now,
        )
    finish_attempt(attempt=attempt, now=now)
    return {"user": student, "attempt": attempt}


@pytest.fixture
def open_page(browser, live_server):
    """open_page(viewport, javascript=True, scheme="light") -> a page; closed afterwards."""
    contexts = []

    def make(viewport, *, javascript=True, scheme="light"):
        context, page = _new_page(
            browser, live_server, viewport=viewport, java_script_enabled=javascript,
            color_scheme=scheme,
        )
        page.javascript_enabled = javascript
        page.color_scheme = scheme  # axe's scripted twin of a JavaScript-off page takes it too
        contexts.append((context, page))
        return page

    yield make
    for context, page in contexts:
        context.close()
        assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


def page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def assert_no_sideways_scroll(page, label):
    scroll, inner = page_width(page)
    assert scroll <= inner, f"{label}: the page is {scroll} px wide in a {inner} px window"


def main_pages(learner):
    attempt = learner["attempt"]
    return [
        "/", "/lessons/", "/lessons/controversies/", "/timeline/", "/people/", "/glossary/",
        "/sources/", "/practice/", "/review/", "/review/settings/", "/progress/",
        f"/attempts/{attempt.pk}/results/", "/classes/", "/accounts/", "/accounts/my-data/",
    ]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(open_page, learner, width, javascript):
    page = open_page({"width": width, "height": 800}, javascript=javascript)
    sign_in(page, "sam")
    for path in main_pages(learner):
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_sideways_scroll(page, f"{path} at {width} px")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_the_progress_page_fits_and_its_tables_scroll_in_their_own_labelled_box(
    open_page, axe, learner, viewport, javascript
):
    page = open_page(viewport, javascript=javascript)
    sign_in(page, "sam")
    page.goto("/progress/")
    expect(page.get_by_role("heading", level=1, name="Your progress")).to_be_visible()
    assert_no_sideways_scroll(page, "/progress/")
    mastery = page.get_by_role("region", name="Mastery by lesson, as a table")
    expect(mastery).to_have_attribute("tabindex", "0")
    # The table fits its box, or its box scrolls: either way inside the page's width.
    box = mastery.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    axe(page, f"/progress/ at {viewport['width']} px")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_axe_finds_nothing_in_either_theme(open_page, axe, learner, viewport, scheme):
    page = open_page(viewport, scheme=scheme)
    sign_in(page, "sam")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert (background == "rgb(18, 20, 23)") == (scheme == "dark"), background
    _axe_the_main_pages(page, axe, learner, scheme, viewport)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
def test_axe_finds_nothing_in_the_dark_theme_with_javascript_off(open_page, axe, learner,
                                                                  viewport):
    page = open_page(viewport, javascript=False, scheme="dark")
    sign_in(page, "sam")
    for path in main_pages(learner):
        page.goto(path)
        axe(page, f"{path} (dark, no JavaScript, {viewport['width']} px)")


def _axe_the_main_pages(page, axe, learner, scheme, viewport):
    for path in main_pages(learner):
        page.goto(path)
        axe(page, f"{path} ({scheme}, {viewport['width']} px)")
    # A question page and the review card's back as well.
    question_page = start_practice(user=learner["user"], count=4, seed=7)
    page.goto(f"/attempts/{question_page.pk}/")
    expect(page.get_by_text(re.compile(r"Question 1 of"))).to_be_visible()
    axe(page, f"a question ({scheme})")
    page.goto("/review/")
    page.get_by_role("link", name=re.compile("^Show answer")).click()
    expect(page.get_by_role("button", name=re.compile("^Good"))).to_be_visible()
    axe(page, f"a flashcard's answer ({scheme})")


def open_menu_by_keyboard(page):
    """Tab from the top of the page to the Menu control (or stay on it) and press Enter."""
    for _ in range(6):
        name = page.evaluate("document.activeElement.textContent.trim()")
        if name == "Menu":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("Tab never reached the Menu control")
    page.keyboard.press("Enter")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_opens_and_closes_by_keyboard_on_a_phone(open_page, axe, student, javascript):
    page = open_page(PHONE, javascript=javascript)
    sign_in(page, "sam")
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 60  # one row, not four

    open_menu_by_keyboard(page)
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Progress")).to_be_visible()
    if javascript:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        axe(page, "menu open")
        page.keyboard.press("Tab")  # into the menu
        expect(nav.get_by_role("link", name="Lessons")).to_be_focused()
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(toggle).to_be_focused()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        page.keyboard.press("Enter")
        expect(nav).to_be_visible()
        page.keyboard.press("Enter")
        expect(nav).to_be_hidden()
    else:
        # The link opened #site-menu (:target); its own link closes it again.
        close = page.get_by_role("link", name="Close the menu")
        expect(close).to_be_visible()
        close.focus()
        page.keyboard.press("Enter")
        expect(nav).to_be_hidden()
    # Every link in the menu is a 44 px target (from a fresh page: where Tab starts after the
    # menu closed is the browser's choice, not the page's).
    page.goto("/")
    open_menu_by_keyboard(page)
    for link in nav.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44, link.text_content()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_desktop_the_menu_is_always_open_in_one_row(open_page, student, javascript):
    page = open_page(DESKTOP, javascript=javascript)
    sign_in(page, "sam")
    page.goto("/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".menu-toggle")).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] <= 60


CONTRAST = """(element) => {
  // The focus ring's colour against the colour behind it (the nearest opaque background
  // of the element's ancestors: the ring is drawn outside the element, with an offset).
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(element);
  let node = element.parentElement, behind = null;
  while (node) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg.length < 4 || bg[3] > 0) { behind = bg; break; }
    node = node.parentElement;
  }
  behind = behind || parse(getComputedStyle(document.documentElement).backgroundColor);
  const ring = parse(style.outlineColor);
  const [a, b] = [lum(ring), lum(behind)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), width: parseFloat(style.outlineWidth),
          style: style.outlineStyle};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_is_at_least_3_to_1_on_every_background(open_page, learner, scheme):
    page = open_page(DESKTOP, scheme=scheme)
    sign_in(page, "sam")
    checked = 0
    for path in ["/", "/progress/", "/review/", f"/attempts/{learner['attempt'].pk}/results/"]:
        page.goto(path)
        page.locator("body").focus()
        for _ in range(25):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break  # round the page and back to the start
            ring = page.evaluate_handle("document.activeElement").evaluate(CONTRAST)
            where = page.evaluate(
                "document.activeElement.outerHTML.slice(0, 80)"
            )
            assert ring["style"] != "none" and ring["width"] >= 2, (path, where, ring)
            assert ring["ratio"] >= 3, (path, scheme, where, ring)
            checked += 1
    assert checked >= 50


def test_the_space_hint_on_show_answer_is_readable(open_page, learner):
    page = open_page(PHONE)
    sign_in(page, "sam")
    page.goto("/review/")
    hint = page.get_by_role("link", name=re.compile("^Show answer")).locator("kbd")
    colours = hint.evaluate(
        "(k) => [getComputedStyle(k).color, getComputedStyle(k).backgroundColor,"
        " getComputedStyle(k.parentElement).backgroundColor]"
    )
    text, own, button = colours
    assert own == "rgba(0, 0, 0, 0)"  # the button's colour shows through
    assert text != button


def test_radio_options_do_not_overlap_and_long_text_wraps_inside(open_page, student):
    long = "A very long option " + "that keeps going " * 12 + "to the end."
    factories.make_question(
        "mcq", prompt="Which is the long one?",
        body={"options": [{"key": f"k{i}", "text": text}
                          for i, text in enumerate([long, "Short", "Shorter", "Tiny"])]},
        answer={"key": "k0"},
    )
    attempt = start_practice(user=student, count=1, seed=3)
    page = open_page({"width": 320, "height": 800})
    sign_in(page, "sam")
    page.goto(f"/attempts/{attempt.pk}/")
    labels = page.locator(".options label")
    expect(labels.first).to_be_visible()
    assert labels.count() == 4
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper["y"] + upper["height"] <= lower["y"] + 0.5, (upper, lower)
    for i in range(labels.count()):
        assert labels.nth(i).evaluate("(l) => l.scrollWidth <= l.clientWidth")
        assert boxes[i]["height"] >= 44
    assert max(box["height"] for box in boxes) > 100  # the long one wrapped, inside its border
    assert_no_sideways_scroll(page, "a question page at 320 px")
