"""A written answer in practice: the learner writes, then sees the model answer and the
rubric and rates the answer; the rating is the evidence the flashcards get. A description
is read and passed, counted in no score."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape

from quizzes.models import Question, Response
from quizzes.practice import attempts as engine
from quizzes.practice.self_rating import rate_written_answer
from quizzes.review.cards import sync_cards
from quizzes.review.models import Card, Review
from relations.models import Term
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def essay_on_a_term():
    factories.small_course()
    sync_cards()
    term = Term.objects.order_by("pk").first()
    return factories.QuestionFactory(
        kind="essay", item_type=ContentType.objects.get_for_model(Term), item_id=term.pk,
        lesson=term.lesson,
    )


def test_writing_shows_the_model_answer_and_rubric_then_the_rating_schedules_the_cards(
    client, student, essay_on_a_term
):
    question = essay_on_a_term
    # A quiz answer moves the term's reversed card only once the learner studies it.
    cards = list(
        Card.objects.filter(item_type=question.item_type, item_id=question.item_id)
        .exclude(kind=Card.Kind.REVERSE)
    )
    assert cards, "the term has a card"
    client.force_login(student)
    attempt = engine.start_attempt(user=student, questions=[question], seed=4)
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert '<textarea id="answer-written" name="written"' in page and "Save my answer" in page

    written = client.post(
        f"/attempts/{attempt.pk}/answer/0/", {"written": "A buffer, whatever it cost."}, **HTMX
    ).content.decode()
    assert escape(question.answer["model"]) in written
    assert escape("Names the buffer on China's border") in written and "(2 points)" in written
    assert 'name="rating" value="3"' in written and ">Good</button>" in written
    assert not Review.objects.filter(user=student).exists(), "no evidence before the rating"
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 0.0

    rated = client.post(f"/attempts/{attempt.pk}/rate/0/", {"rating": "2"}, **HTMX)
    assert rated.status_code == 200
    assert "You rated your answer: <strong>Hard</strong>" in rated.content.decode()
    reviews = Review.objects.filter(user=student)
    assert sorted(r.card_id for r in reviews) == sorted(c.pk for c in cards)
    assert {r.rating for r in reviews} == {2}, "the learner's own rating, not right/wrong"
    attempt.refresh_from_db()
    assert attempt.score == 0.5, "Hard is half the credit"

    changed = client.post(f"/attempts/{attempt.pk}/rate/0/", {"rating": "4"})
    assert changed.status_code == 409
    assert client.post(f"/attempts/{attempt.pk}/rate/0/", {"rating": "2"}).status_code == 302
    assert Review.objects.filter(user=student).count() == len(cards), "a repeat counts once"


def test_a_rating_before_writing_or_out_of_range_is_refused(client, student, essay_on_a_term):
    client.force_login(student)
    attempt = engine.start_attempt(user=student, questions=[essay_on_a_term], seed=4)
    early = client.post(f"/attempts/{attempt.pk}/rate/0/", {"rating": "3"})
    assert early.status_code == 409 and "Write your answer first" in early.content.decode()
    answer = f"/attempts/{attempt.pk}/answer/0/"
    assert client.post(answer, {"written": "   "}).status_code == 400
    assert client.post(answer, {"written": "x" * 5001}).status_code == 413
    client.post(f"/attempts/{attempt.pk}/answer/0/", {"written": "A buffer."})
    for bad in ("0", "5", "good", ""):
        assert client.post(f"/attempts/{attempt.pk}/rate/0/", {"rating": bad}).status_code == 400
    assert Response.objects.get(attempt=attempt).self_rating is None


def test_in_an_assignment_the_learner_cannot_rate_their_own_written_answer(student):
    classroom = factories.ClassroomFactory()
    factories.EnrollmentFactory(classroom=classroom, student=student)
    essay = factories.QuestionFactory(kind="essay")
    assignment = factories.AssignmentFactory(classroom=classroom, questions=[essay])
    from quizzes.classes.assignments import start_assignment_attempt

    attempt = start_assignment_attempt(assignment=assignment, student=student)
    engine.answer_question(attempt=attempt, position=0, data={"written": "A buffer."})
    with pytest.raises(engine.AttemptError, match="your instructor marks"):
        rate_written_answer(attempt=attempt, position=0, rating=3)


def test_a_description_is_read_passed_and_counted_nowhere(client, student):
    description = factories.QuestionFactory(kind="desc")
    choice = factories.QuestionFactory(kind="mcq")
    client.force_login(student)
    attempt = engine.start_attempt(user=student, questions=[description, choice], seed=9)
    assert attempt.question_count == 1 and attempt.recipe["unscored"] == [0]
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert escape(description.prompt) in page and ">Continue</button>" in page
    assert "Before the next question" in page and "Question 1 of" not in page
    passed = client.post(f"/attempts/{attempt.pk}/answer/0/", {})
    assert passed.status_code == 302 and passed["Location"] == f"/attempts/{attempt.pk}/"
    assert "Question 1 of 1" in client.get(f"/attempts/{attempt.pk}/").content.decode()
    client.post(
        f"/attempts/{attempt.pk}/answer/1/",
        {"choice": engine.option_token(attempt=attempt, response_id=attempt.responses.get(
            position=1).pk, key=choice.answer["key"])},
    )
    attempt.refresh_from_db()
    assert attempt.is_finished and (attempt.score, attempt.percent) == (1.0, 100)
    results = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert escape(description.prompt) not in results and "Question 1: right" in results
    assert not Question.objects.get(pk=description.pk).responses.filter(credit__isnull=False)
