"""Before a question is answered, nothing served lets its answer be derived.

Every question type is rendered as the learner sees it (the full page, the HTMX
fragment, a refused post re-rendered, the practice list, the learner's data export) and
searched for any trace of the answer key: option keys, the answer JSON, the explanation,
the typed answer, marked-up options, comments. Option values are opaque per attempt and
the option order changes with the attempt's seed.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from quizzes.bank.generators.base import mentions
from quizzes.bank.gift_syntax import format_number
from quizzes.bank.sync import sync_question_bank
from quizzes.models import Question, QuestionKind, Response
from quizzes.practice import attempts
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(r"^[0-9a-f]{20}$")
ALLOWED_DATA_ATTRIBUTES = {"data-autofocus"}


class Tags(HTMLParser):
    """Every tag with its attributes, and every comment, in a page or fragment."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.comments = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def body_keys(question) -> set[str]:
    body = question.body or {}
    return {
        entry["key"]
        for part in ("options", "left", "right", "items")
        for entry in body.get(part, [])
    }


def secrets_of(question) -> list[str]:
    """Strings that must not appear anywhere before the question is answered."""
    found = [json.dumps(question.answer), *body_keys(question)]
    if question.explanation:
        found.append(question.explanation)
    if question.kind == QuestionKind.CLOZE:
        found += [question.answer["text"], *question.answer.get("alternatives", [])]
    if question.kind == QuestionKind.MULTIPLE_ANSWER:  # the weights and why each is wrong
        found += [json.dumps(question.answer["weights"]), *question.answer["feedback"].values()]
    if question.kind == QuestionKind.NUMERICAL:  # its feedback (the number: see card_secrets)
        found += [answer["feedback"] for answer in question.answer["answers"]]
    if question.kind in ("mcq", "tf", "who", "side"):  # why each wrong option is wrong
        found += list((question.answer.get("feedback") or {}).values())
    if question.kind == QuestionKind.WRITTEN:  # the model answer and what the rubric rewards
        found += [question.answer["model"], *(c["text"] for c in question.answer["rubric"])]
    return [s for s in found if s]


def card_secrets(question) -> list[str]:
    """What must not be on the question's own card: a year may well be elsewhere on a page
    (a lesson's title), but the card must not hold the number or its tolerance."""
    if question.kind == QuestionKind.WRITTEN:  # no rubric, no marks, no points on the card
        return ["Rubric", "rubric", "point", "Model answer", "model answer"]
    if question.kind != QuestionKind.NUMERICAL:
        return []
    found = ["±", "tolerance"]  # a bare tolerance ("1") is in "Question 1 of 1"
    for answer in question.answer["answers"]:
        found.append(format_number(answer["value"]))
    return found


def question_card(html: str) -> str:
    return html.split('id="question-card"', 1)[1].split("</section>", 1)[0]


def served_before_answering(client, attempt):
    """Everything the learner can fetch while the first question is unanswered."""
    base = f"/attempts/{attempt.pk}"
    pages = {
        "page": client.get(f"{base}/"),
        "fragment": client.get(f"{base}/", **HTMX),
        "feedback param": client.get(f"{base}/?feedback=0"),
        "refused post": client.post(
            f"{base}/answer/0/", {"choice": "0" * 20, "text": "", "written": ""}
        ),
        "refused htmx post": client.post(
            f"{base}/answer/0/", {"choice": "f" * 20, "text": "", "written": " "}, **HTMX
        ),
        "rating before writing": client.post(f"{base}/rate/0/", {"rating": "4"}),
        "practice list": client.get("/practice/"),
        "results (not yet)": client.get(f"{base}/results/"),
        "my data": client.get("/accounts/my-data/"),
        "my data export": client.get("/accounts/my-data/export.json"),
    }
    assert pages["page"].status_code == 200
    assert pages["refused post"].status_code == 400
    return {name: response.content.decode() for name, response in pages.items()}


def contains(content: str, secret: str) -> bool:
    # A short secret ("US") can occur by chance inside a random token (the CSRF token), so
    # short ones count only as whole words; long ones count anywhere.
    if len(secret) >= 8:
        return secret in content
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", content) is not None


def assert_no_trace(question, served: dict):
    for name, content in served.items():
        for secret in secrets_of(question):
            assert not contains(content, secret) and not contains(content, escape(secret)), (
                f"{question.kind}: {secret!r} found in the {name}"
            )
        if question.kind == QuestionKind.CLOZE:
            assert not mentions(content, question.answer["text"]), name
        tags = Tags(content)
        assert not tags.comments, f"a comment in the {name}"
        for tag, attrs in tags.tags:
            data = {a for a in attrs if a.startswith("data-")} - ALLOWED_DATA_ATTRIBUTES
            assert not data, f"{tag} has {data} in the {name}"


def assert_opaque_fields(question, html):
    """Posted values are 20 hex digits that are not keys; controls carry nothing else."""
    keys = body_keys(question)
    controls = [(t, a) for t, a in Tags(html).tags if t in ("input", "select", "option")]
    if question.kind in ("mcq", "tf", "who", "side"):
        radios = [a for t, a in controls if t == "input" and a.get("type") == "radio"]
        assert len(radios) == len(question.body["options"])
        assert all(TOKEN.match(a["value"]) and a["value"] not in keys for a in radios)
        assert len({frozenset(a) for a in radios}) == 1, "every option looks the same"
        assert all("checked" not in a for a in radios)
    if question.kind == "multi":
        boxes = [a for t, a in controls if t == "input" and a.get("type") == "checkbox"]
        assert len(boxes) == len(question.body["options"])
        assert all(TOKEN.match(a["value"]) and a["value"] not in keys for a in boxes)
        assert len({frozenset(a) for a in boxes}) == 1, "every option looks the same"
        assert all("checked" not in a for a in boxes)
    if question.kind == "num":
        text = [a for t, a in controls if t == "input" and a.get("type") == "text"]
        assert len(text) == 1 and "value" not in text[0] and set(text[0]) == {
            "type", "id", "name", "inputmode", "maxlength", "autocomplete", "spellcheck",
            "required", "aria-describedby",
        }, "no min, max, step or pattern hints at the number"
    if question.kind in ("match", "order"):
        selects = [a for t, a in controls if t == "select"]
        assert selects and all(a["name"].split("-", 1)[1] not in keys for a in selects)
        assert all(TOKEN.match(a["name"].split("-", 1)[1]) for a in selects)
        options = [a for t, a in controls if t == "option" and a.get("value")]
        assert all("selected" not in a for a in options)
        if question.kind == "match":
            assert all(TOKEN.match(a["value"]) and a["value"] not in keys for a in options)
    if question.kind == "cloze":
        text = [a for t, a in controls if t == "input" and a.get("type") == "text"]
        assert len(text) == 1 and "value" not in text[0] and text[0]["maxlength"] == "200"
    if question.kind == "essay":
        areas = [a for t, a in Tags(html).tags if t == "textarea"]
        assert len(areas) == 1 and set(areas[0]) == {
            "id", "name", "rows", "maxlength", "required", "aria-describedby"
        }, "nothing but an empty text area"
        # The header's search box is the page's only other field.
        assert not [
            a for t, a in controls
            if t == "input" and a.get("type") != "hidden" and a.get("id") != "header-search-q"
        ]


def one_of_each_kind():
    """One generated question of every kind the generators make (a description, which
    has nothing to hide, is tested on its own below)."""
    chosen = []
    for kind in [k for k in QuestionKind.values if k != QuestionKind.DESCRIPTION]:
        candidates = Question.objects.active().filter(kind=kind).order_by("pk")
        if kind == QuestionKind.CLOZE:  # one whose prompt does not itself hold the answer
            candidates = [q for q in candidates if not mentions(q.prompt, q.answer["text"])]
        chosen.append(candidates[0])
    return chosen


def test_no_question_type_leaks_its_answer_before_it_is_answered(course, client, student):
    client.force_login(student)
    for question in one_of_each_kind():
        attempt = attempts.start_attempt(user=student, questions=[question], seed=31337)
        served = served_before_answering(client, attempt)
        assert_no_trace(question, served)
        assert_opaque_fields(question, served["page"])
        assert_opaque_fields(question, served["fragment"])
        for name in ("page", "fragment", "refused post"):
            card = question_card(served[name])
            for secret in card_secrets(question):
                assert not contains(card, secret), f"{question.kind}: {secret!r} in the {name}"
        assert escape(question.prompt) in served["page"]
        assert not Response.objects.get(attempt=attempt).is_answered, "nothing was saved"


def test_a_written_answer_shows_its_model_answer_and_rubric_only_once_written(
    course, client, student
):
    question = Question.objects.active().filter(kind="essay").order_by("pk").first()
    client.force_login(student)
    attempt = attempts.start_attempt(user=student, questions=[question], seed=5)
    assert_no_trace(question, served_before_answering(client, attempt))
    written = client.post(
        f"/attempts/{attempt.pk}/answer/0/", {"written": "My own words."}, **HTMX
    ).content.decode()
    assert escape(question.answer["model"]) in written
    assert all(escape(c["text"]) in written for c in question.answer["rubric"])


def test_a_description_in_an_assignment_leaks_nothing_of_the_questions_after_it(
    client, student
):
    description = factories.QuestionFactory(kind="desc")
    choice = factories.QuestionFactory(kind="mcq")
    client.force_login(student)
    attempt = attempts.start_attempt(user=student, questions=[description, choice], seed=5)
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert escape(description.prompt) in page
    assert_no_trace(choice, {"page": page})


def option_order(client, attempt):
    html = client.get(f"/attempts/{attempt.pk}/").content.decode()
    card = html.split('id="question-card"', 1)[1].split("</section>", 1)[0]
    texts = re.findall(r"<span>(.*?)</span>|<label for=\"(?:pair|rank)-\d+\">(.*?)</label>", card)
    return tuple(a or b for a, b in texts)


@pytest.mark.parametrize("kind", ["mcq", "who", "match", "order", "multi"])
def test_option_order_changes_with_the_attempt_so_position_says_nothing(client, student, kind):
    factories.small_course()
    sync_question_bank()
    client.force_login(student)
    question = Question.objects.active().filter(kind=kind).first()
    orders = []
    for seed in range(1, 9):
        attempt = attempts.start_attempt(user=student, questions=[question], seed=seed)
        orders.append(option_order(client, attempt))
    assert len(set(orders)) > 2, "the order is shuffled per attempt"
    if kind in ("mcq", "who"):
        right = next(
            o["text"] for o in question.body["options"] if o["key"] == question.answer["key"]
        )
        assert len({order.index(escape(right)) for order in orders}) > 1
    if kind == "order":
        in_order = tuple(
            escape(next(i["text"] for i in question.body["items"] if i["key"] == key))
            for key in question.answer["order"]
        )
        assert sum(order == in_order for order in orders) < len(orders) / 2


@pytest.mark.parametrize("kind", ["tf", "side"])
def test_two_option_kinds_keep_a_fixed_order_that_says_nothing(client, student, kind):
    factories.small_course()
    sync_question_bank()
    client.force_login(student)
    questions = list(Question.objects.active().filter(kind=kind))
    answers = {q.answer["key"] for q in questions}
    assert len(answers) == 2, "both options are right for some question"
    orders = set()
    for question in questions[:4]:
        attempt = attempts.start_attempt(user=student, questions=[question], seed=5)
        orders.add(option_order(client, attempt))
    assert len(orders) == 1


def test_the_same_option_posts_a_different_value_in_every_attempt(client, student):
    factories.small_course()
    sync_question_bank()
    client.force_login(student)
    question = Question.objects.active().filter(kind="mcq").first()
    values = set()
    for seed in (1, 2, 3):
        attempt = attempts.start_attempt(user=student, questions=[question], seed=seed)
        html = client.get(f"/attempts/{attempt.pk}/").content.decode()
        values |= set(re.findall(r'name="choice" value="([0-9a-f]+)"', html))
    assert len(values) == 3 * len(question.body["options"])
