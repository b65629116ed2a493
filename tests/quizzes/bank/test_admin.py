"""The question bank in the admin: filters, search, and hand-written questions."""

import json

import pytest

from quizzes.bank.sync import sync_question_bank
from quizzes.models import Question
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_the_bank_lists_with_filters_and_search(admin_client, django_assert_max_num_queries):
    factories.small_course()
    sync_question_bank()
    lesson = factories.LessonFactory()
    for query in (
        "",
        "?kind=mcq",
        "?origin=generated",
        "?retired=yes",
        "?retired=no",
        f"?lesson__id__exact={lesson.pk}",
        "?q=armistice",
    ):
        with django_assert_max_num_queries(12):
            page = admin_client.get(f"/admin/quizzes/question/{query}")
        assert page.status_code == 200, query
    assert "armistice" in admin_client.get("/admin/quizzes/question/?q=armistice").content.decode()


def _form(**overrides):
    data = {
        "kind": "mcq",
        "prompt": "Which city faces Sinuiju across the river?",
        "body": json.dumps(
            {"options": [{"key": "a", "text": "Dandong"}, {"key": "b", "text": "Shenyang"}]}
        ),
        "answer": json.dumps({"key": "a"}),
        "explanation": "Dandong faces Sinuiju.",
        "origin": "instructor",
    }
    return {**data, **overrides}


def test_an_instructor_question_can_be_written_in_the_admin(admin_client, staff):
    page = admin_client.post("/admin/quizzes/question/add/", _form())
    assert page.status_code == 302, page.content.decode()[:2000]
    question = Question.objects.get()
    assert question.origin == "instructor" and len(question.fingerprint) == 64
    sync_question_bank()
    question.refresh_from_db()
    assert question.retired_at is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"answer": json.dumps({"key": "z"})},
        {"body": json.dumps({"options": []})},
        {"kind": "match"},
        {"kind": "cloze", "answer": json.dumps({"text": ""})},
    ],
)
def test_a_badly_shaped_question_is_refused(admin_client, overrides):
    page = admin_client.post("/admin/quizzes/question/add/", _form(**overrides))
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert not Question.objects.exists()
