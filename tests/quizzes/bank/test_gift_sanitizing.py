"""Imported [html] and [markdown] never bring a script, an event handler or a javascript: link
to any page: not the preview, the bank, the question page or its feedback."""

import re

import pytest

from quizzes.models import Question
from quizzes.practice import attempts as engine

pytestmark = pytest.mark.django_db

# GIFT needs = escaped as \= inside text, HTML attributes included (as in Moodle).
HOSTILE = r"""::Html:: [html]<p onclick\="alert('h1')">Which <b>river</b>?<script>alert(2)</script>
<img src\=x onerror\="alert('h3')"><a href\="javascript:alert('h4')">map</a></p> {
  =[html]<span onmouseover\="alert('h5')">Yalu</span>#[html]<script>alert('h6')</script>Right.
  ~Han#[html]<a href\="JaVaScRiPt:alert('h7')">No</a>
  ####[html]<iframe src\="javascript:alert('h8')"></iframe>The Yalu.
}

::Markdown:: [markdown]Which **river**? [map](javascript:alert\('m1'\)) <script>alert('m2')</script>
<img src\=x onerror\=alert('m3')> {
  =Yalu
  ~Han#[markdown][why](javascript:alert('m4'))
  ####[markdown]<a href\="javascript:alert('m5')" onclick\="alert('m6')">The Yalu</a>.
}
"""

DANGER = re.compile(r"alert\(|javascript:|\bon(click|error|mouseover)\s*=|<iframe", re.IGNORECASE)


def assert_clean(html: str, where: str):
    found = DANGER.search(html)
    assert found is None, f"{found.group(0)!r} in the {where}"


def test_hostile_html_and_markdown_reach_no_page(client, instructor, student):
    client.force_login(instructor)
    preview = client.post("/classes/bank/import/", {"text": HOSTILE})
    assert preview.status_code == 200 and preview.context["token"]
    assert_clean(preview.content.decode(), "preview")
    assert "HTML was sanitized" in preview.content.decode()
    client.post("/classes/bank/import/confirm/", {"token": preview.context["token"]})

    questions = list(Question.objects.filter(author=instructor).order_by("pk"))
    assert [q.prompt for q in questions] == ["Which river?\nmap", "Which river? map"]
    for question in questions:
        stored = f"{question.prompt} {question.body} {question.answer} {question.explanation}"
        assert_clean(stored, "stored question")
        assert_clean(client.get(f"/classes/bank/{question.pk}/").content.decode(), "bank page")

    client.force_login(student)
    attempt = engine.start_attempt(user=student, questions=questions, seed=4)
    for response in attempt.responses.select_related("question").order_by("position"):
        page = client.get(f"/attempts/{attempt.pk}/").content.decode()
        assert_clean(page, "question page")
        wrong = engine.option_token(
            attempt=attempt, response_id=response.pk,
            key=next(o["key"] for o in response.question.body["options"] if o["text"] == "Han"),
        )
        answered = client.post(
            f"/attempts/{attempt.pk}/answer/{response.position}/", {"choice": wrong},
            HTTP_HX_REQUEST="true",
        )
        assert_clean(answered.content.decode(), "feedback")
    assert_clean(client.get(f"/attempts/{attempt.pk}/results/").content.decode(), "results")


def test_sanitized_text_keeps_the_words():
    from quizzes.bank.gift_formats import as_plain_text

    assert as_plain_text("<p>One &amp; two</p><p>three</p>", "html") == "One & two\nthree\n"
    assert as_plain_text("*Lips* and **teeth**", "markdown") == "Lips and teeth\n"
    assert as_plain_text("<b>kept as typed</b>", "plain") == "<b>kept as typed</b>"


HOSTILE_WRITTEN = (
    r"""::Essay:: [html]<p onclick\="alert('e1')">Explain the <b>buffer</b>."""
    r"""<script>alert(2)</script></p> {
  ####[markdown][why](javascript:alert\('e3'\)) A buffer state.
}

::Reading:: [markdown]Read **this** first. [map](javascript:alert\('d1'\)) """
    r"""<img src\=x onerror\=alert('d2')>
"""
)


def test_hostile_essays_and_descriptions_reach_no_page(client, instructor, student):
    client.force_login(instructor)
    preview = client.post("/classes/bank/import/", {"text": HOSTILE_WRITTEN})
    assert preview.status_code == 200
    assert_clean(preview.content.decode(), "preview")
    client.post("/classes/bank/import/confirm/", {"token": preview.context["token"]})
    essay, description = Question.objects.filter(author=instructor).order_by("pk")
    assert (essay.kind, description.kind) == ("essay", "desc")
    assert essay.prompt == "Explain the buffer."
    assert description.prompt.startswith("Read this first. map")

    client.force_login(student)
    attempt = engine.start_attempt(user=student, questions=[description, essay], seed=4)
    assert_clean(client.get(f"/attempts/{attempt.pk}/").content.decode(), "description")
    client.post(f"/attempts/{attempt.pk}/answer/0/", {})
    assert_clean(client.get(f"/attempts/{attempt.pk}/").content.decode(), "essay page")
    written = client.post(f"/attempts/{attempt.pk}/answer/1/", {"written": "A buffer."},
                          HTTP_HX_REQUEST="true")
    assert_clean(written.content.decode(), "written feedback")
    assert_clean(client.get(f"/attempts/{attempt.pk}/results/").content.decode(), "results")
