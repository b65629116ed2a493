"""Handing in an assignment is a deliberate second step: the last answer leads to a review
of what was answered and what was not, "Hand in now" leads there too (a page, so it works
without JavaScript), and only its button hands in. The countdown starts from the server."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.classes import assignments as services
from quizzes.models import Attempt, Response
from tests import factories
from tests.quizzes.helpers import post_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def quiz(db):
    world = factories.class_world(students=1, kinds=("mcq",))
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], lessons=[world["lesson"]], question_count=3,
        time_limit_minutes=20,
    )
    student = world["students"][0]
    attempt = services.start_assignment_attempt(assignment=assignment, student=student)
    return student, attempt


def _answer(client, attempt, position, **extra):
    response = Response.objects.select_related("question").get(
        attempt=attempt, position=position
    )
    return client.post(
        reverse("quizzes:answer", args=[attempt.pk, position]), post_data(attempt, response),
        **extra,
    )


def test_the_last_answer_leads_to_the_review_not_to_handing_in(client, quiz):
    student, attempt = quiz
    client.force_login(student)
    for position in range(3):
        _answer(client, attempt, position)
    attempt.refresh_from_db()
    assert attempt.finished_at is None
    feedback = client.get(f"{reverse('quizzes:attempt', args=[attempt.pk])}?feedback=2")
    page = feedback.content.decode()
    assert f'href="{reverse("quizzes:hand_in", args=[attempt.pk])}">Review and hand in' in page
    assert "Hand in now" not in page  # the last answer's own button leads there

    # The attempt page has nothing left to ask: it opens the review.
    landing = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert landing.status_code == 302
    assert landing["Location"] == reverse("quizzes:hand_in", args=[attempt.pk])

    review = client.get(reverse("quizzes:hand_in", args=[attempt.pk])).content.decode()
    assert "You have answered 3 of 3 questions." in review
    assert "Not answered yet" not in review
    for position in range(3):
        assert f"?feedback={position}" in review
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None

    handed = client.post(reverse("quizzes:finish_attempt", args=[attempt.pk]))
    assert handed["Location"] == reverse("quizzes:results", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).finished_at is not None


def test_the_htmx_last_answer_removes_hand_in_now_from_the_page(client, quiz):
    student, attempt = quiz
    client.force_login(student)
    first = _answer(client, attempt, 0, **HTMX).content.decode()
    assert 'id="hand-in"' not in first
    _answer(client, attempt, 1, **HTMX)
    last = _answer(client, attempt, 2, **HTMX).content.decode()
    assert '<div id="hand-in" hx-swap-oob="true"></div>' in last
    assert "Review and hand in" in last


def test_hand_in_now_is_a_confirmation_page_listing_what_is_unanswered(client, quiz):
    student, attempt = quiz
    client.force_login(student)
    _answer(client, attempt, 0)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    hand_in_url = reverse("quizzes:hand_in", args=[attempt.pk])
    assert f'<a href="{hand_in_url}">Hand in now</a>' in page

    review = client.get(hand_in_url).content.decode()
    assert Attempt.objects.get(pk=attempt.pk).finished_at is None  # looking hands nothing in
    assert "You have answered 1 of 3 questions. The 2 not answered count as wrong" in review
    unanswered = re.findall(r'href="([^"]*\?question=(\d+))">Question (\d+)</a>', review)
    assert [(pos, number) for _, pos, number in unanswered] == [("1", "2"), ("2", "3")]

    # A link back opens that very question, even when it is not the next one.
    back = client.get(unanswered[1][0]).content.decode()
    assert "Question 3 of 3" in back and "Check answer" in back


def test_after_handing_in_there_is_no_hand_in_left(client, quiz):
    student, attempt = quiz
    client.force_login(student)
    client.post(reverse("quizzes:finish_attempt", args=[attempt.pk]))
    review = client.get(reverse("quizzes:hand_in", args=[attempt.pk]))
    assert review["Location"] == reverse("quizzes:results", args=[attempt.pk])
    results = client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
    assert "Hand in" not in results


def test_a_practice_quiz_is_still_handed_in_by_its_last_answer(client, student):
    lesson = factories.LessonFactory()
    questions = [factories.QuestionFactory(kind="mcq", lesson=lesson) for _ in range(2)]
    from quizzes.practice import attempts as engine

    attempt = engine.start_attempt(user=student, questions=questions, seed=5)
    client.force_login(student)
    _answer(client, attempt, 0)
    _answer(client, attempt, 1)
    assert Attempt.objects.get(pk=attempt.pk).finished_at is not None


def test_the_countdown_starts_from_the_servers_time_left(client, quiz):
    student, attempt = quiz
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(minutes=4, seconds=30)
    )
    client.force_login(student)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    seconds = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert 265 <= seconds <= 270
    assert re.search(r'role="timer" data-countdown-clock>4:2\d</span>', page)
    assert "(when this page loaded)" in page
    assert f'data-expired-url="{reverse("quizzes:results", args=[attempt.pk])}"' in page


def test_past_the_deadline_the_review_hands_in_as_the_server_would(client, quiz):
    student, attempt = quiz
    client.force_login(student)
    _answer(client, attempt, 0)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=5)
    )
    review = client.get(reverse("quizzes:hand_in", args=[attempt.pk]))
    assert review["Location"] == reverse("quizzes:results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and attempt.score == 1.0
