"""A practice quiz taken by keyboard alone (Tab, arrows, Space, Enter; no clicks), with
JavaScript on (HTMX swaps the feedback in) and off (plain posts and full pages): the
same questions give the same results, and axe finds nothing on the question, the
feedback or the results."""

import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from quizzes.bank.gift_syntax import format_number
from quizzes.bank.grading import CHOICE_KINDS
from quizzes.models import Attempt, Response
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = 5
FIXED_SEED = 424242
VERDICT = re.compile(r"^(Right|Not quite|Partly right)")


def focused(page):
    return page.locator(":focus")


def tab_to(page, matches, limit=120):
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element.count() and matches(element):
            return element
    raise AssertionError("Tab never reached the element")


def is_named(name):
    return lambda element: element.inner_text().strip() == name


def has(attribute, value):
    return lambda element: element.get_attribute(attribute) == value


def current_response(username, position):
    attempt = Attempt.objects.filter(user__username=username).order_by("-pk").first()
    return Response.objects.select_related("question").get(attempt=attempt, position=position)


def texts_by_key(entries):
    return {entry["key"]: entry["text"] for entry in entries}


def press_down(page, times):
    for _ in range(times):
        page.keyboard.press("ArrowDown")


def answer_by_keyboard(page, response, *, right):
    """Answer the question on the page with the keyboard: right, or deliberately wrong."""
    question = response.question
    body, answer = question.body, question.answer
    card = page.locator("#question-card")
    if question.kind in CHOICE_KINDS:
        options = texts_by_key(body["options"])
        wanted = (
            options[answer["key"]]
            if right
            else next(text for key, text in options.items() if key != answer["key"])
        )
        shown = card.locator(".options label span").all_inner_texts()
        tab_to(page, has("name", "choice"))
        index = shown.index(wanted)
        if index == 0:
            page.keyboard.press("Space")
        press_down(page, index)
        assert card.get_by_label(wanted, exact=True).is_checked()
        page.keyboard.press("Enter")
    elif question.kind == "multi":  # tick the right ones, or one that costs marks
        options = texts_by_key(body["options"])
        weights = answer["weights"]
        wanted = [options[k] for k, w in weights.items() if (w > 0) == right]
        wanted = wanted if right else wanted[:1]
        for text in wanted:
            box = card.get_by_label(text, exact=True)
            tab_to(page, has("value", box.get_attribute("value")))
            page.keyboard.press("Space")
            assert box.is_checked()
        tab_to(page, is_named("Check answer"))
        page.keyboard.press("Enter")
    elif question.kind == "num":
        tab_to(page, has("name", "number"))
        page.keyboard.type(format_number(answer["answers"][0]["value"]) if right else "99999")
        page.keyboard.press("Enter")
    elif question.kind == "cloze":
        tab_to(page, has("type", "text"))
        page.keyboard.type(answer["text"] if right else "Vladivostok")
        page.keyboard.press("Enter")
    else:
        if question.kind == "match":
            left, right_texts = texts_by_key(body["left"]), texts_by_key(body["right"])
            choice_for = {left[lk]: right_texts[rk] for lk, rk in answer["pairs"].items()}
            if not right:  # everything matched to the first choice on the list
                first = card.locator("select").first.locator("option").nth(1).inner_text()
                choice_for = dict.fromkeys(choice_for, first)
        else:
            items = texts_by_key(body["items"])
            order = list(answer["order"])
            if not right:
                order[0], order[1] = order[1], order[0]
            choice_for = {items[key]: str(rank) for rank, key in enumerate(order, 1)}
        for select in card.locator("select").all():
            label = card.locator(f'label[for="{select.get_attribute("id")}"]').inner_text()
            tab_to(page, has("id", select.get_attribute("id")))
            options = select.locator("option").all_inner_texts()
            press_down(page, options.index(choice_for[label]))
            assert select.locator("option:checked").inner_text() == choice_for[label]
        tab_to(page, is_named("Check answer"))
        page.keyboard.press("Enter")


def take_quiz(page, axe, username, *, javascript):
    page.goto("/practice/")
    axe(page, "practice page")
    # The radio group of lengths: Tab lands on the one chosen by default (10).
    tab_to(page, lambda e: e.get_attribute("name") == "count" and e.get_attribute("value") == "10")
    page.keyboard.press("ArrowLeft")
    assert page.get_by_label("5", exact=True).is_checked()
    tab_to(page, is_named("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))

    verdicts = []
    for position in range(QUESTIONS):
        heading = page.get_by_role("heading", name=f"Question {position + 1} of {QUESTIONS}")
        heading.wait_for()
        if position < 2:
            axe(page, f"question {position + 1}")
        answer_by_keyboard(page, current_response(username, position), right=position != 0)

        verdict = page.get_by_role("heading", name=VERDICT)
        verdict.wait_for()
        verdicts.append(verdict.inner_text().split(":")[0].strip())
        if javascript:
            expect(page.locator("#feedback-heading")).to_be_focused()
            assert "?feedback=" not in page.url, "swapped in place"
        else:
            assert "?feedback=" in page.url, "posted, redirected, shown"
        assert page.get_by_text("Read more in the lesson").is_visible()
        if position < 2:
            axe(page, f"feedback {position + 1}")
        last = position == QUESTIONS - 1
        tab_to(page, is_named("See results" if last else "Next question"))
        page.keyboard.press("Enter")

    page.get_by_role("heading", name="Results: Practice quiz").wait_for()
    axe(page, "results")
    score = page.locator(".score").inner_text()
    reviewed = page.locator(".review-title").all_inner_texts()
    assert len(reviewed) == QUESTIONS
    return score, verdicts, reviewed


def test_a_practice_quiz_by_keyboard_alone_gives_the_same_results_with_and_without_js(
    page, nojs_page, axe, course, student, monkeypatch
):
    # The same seed for both runs, so both draw the same questions in the same order.
    monkeypatch.setattr("quizzes.practice.attempts.new_seed", lambda: FIXED_SEED)

    sign_in(page, student.username)
    with_js = take_quiz(page, axe, student.username, javascript=True)

    sign_in(nojs_page, student.username)
    without_js = take_quiz(nojs_page, axe, student.username, javascript=False)

    assert with_js == without_js
    score, verdicts, _reviewed = with_js
    assert verdicts[0] != "Right" and set(verdicts[1:]) == {"Right"}
    first, second = Attempt.objects.filter(user=student).order_by("pk")
    assert first.score == second.score and first.is_finished and second.is_finished
    assert 3 <= first.score < 5
    assert score.startswith(f"{floatformat(first.score, -1)} of 5")


def test_retry_the_missed_ones_by_keyboard(page, axe, course, student, monkeypatch):
    monkeypatch.setattr("quizzes.practice.attempts.new_seed", lambda: FIXED_SEED)
    sign_in(page, student.username)
    take_quiz(page, axe, student.username, javascript=True)
    tab_to(page, lambda element: element.inner_text().startswith("Retry the ones I missed"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Question 1 of 1").wait_for()
    axe(page, "retry question")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_multiple_answer_and_numerical_by_keyboard(
    page, nojs_page, axe, course, student, javascript
):
    """Checkboxes ticked with Space and a number typed, each right once and wrong once."""
    from quizzes.practice import attempts as engine

    browser_page = page if javascript else nojs_page
    attempt = engine.start_practice(user=student, kinds=["multi", "num"], count=4, seed=5)
    kinds = list(attempt.responses.order_by("position").values_list("question__kind", flat=True))
    assert set(kinds) == {"multi", "num"}
    sign_in(browser_page, student.username)
    browser_page.goto(f"/attempts/{attempt.pk}/")
    verdicts = []
    for position in range(attempt.question_count):
        browser_page.get_by_role(
            "heading", name=f"Question {position + 1} of {attempt.question_count}"
        ).wait_for()
        axe(browser_page, f"question {position + 1} ({kinds[position]})")
        right = position >= 2
        answer_by_keyboard(browser_page, current_response(student.username, position), right=right)
        verdict = browser_page.get_by_role("heading", name=VERDICT)
        verdict.wait_for()
        verdicts.append(verdict.inner_text().split(":")[0].strip())
        axe(browser_page, f"feedback {position + 1}")
        last = position == attempt.question_count - 1
        tab_to(browser_page, is_named("See results" if last else "Next question"))
        browser_page.keyboard.press("Enter")
    assert verdicts == ["Not quite", "Not quite", "Right", "Right"]
    browser_page.get_by_role("heading", name="Results: Practice quiz").wait_for()
    axe(browser_page, "results")
