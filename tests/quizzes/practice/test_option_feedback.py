"""A generated wrong option says why it is wrong, once answered, and GIFT keeps it as
Moodle's per-answer #feedback."""

import pytest
from django.utils.html import escape

from quizzes.bank.gift import export_gift, parse_gift
from quizzes.models import Question
from quizzes.practice import attempts
from tests.quizzes.helpers import post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["mcq", "tf", "who", "side"])
def test_a_wrong_option_explains_itself_after_answering(course, client, student, kind):
    question = Question.objects.active().filter(kind=kind).order_by("pk").first()
    client.force_login(student)
    attempt = attempts.start_attempt(user=student, questions=[question], seed=3)
    response = attempt.responses.select_related("question").get()
    data = post_data(attempt, response, right=False)
    chosen = attempts.decode_answer(attempt=attempt, response=response, data=data)["key"]
    why = question.answer["feedback"][chosen]
    assert escape(why) not in client.get(f"/attempts/{attempt.pk}/").content.decode()
    feedback = client.post(
        f"/attempts/{attempt.pk}/answer/0/", data, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Not quite" in feedback and escape(why) in feedback


def test_gift_keeps_the_generated_feedback_per_option(course):
    question = Question.objects.active().filter(kind="mcq").order_by("pk").first()
    (draft,) = parse_gift(text=export_gift(questions=[question]), lessons=[]).questions
    texts = {o["key"]: o["text"] for o in question.body["options"]}
    kept = dict(zip(draft.options, draft.feedback, strict=True))
    for key, why in question.answer["feedback"].items():
        assert kept[texts[key]] == why
