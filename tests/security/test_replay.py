"""Replays: a learner who wants one more go, a better mark, or a grade counted twice.

An answered question cannot be answered again to change its result; the same post sent
twice (a double click, a resent form) counts once; a finished attempt takes no answers;
an assignment's attempt limit holds; a review grade and an undo each work once.
"""

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Response, Review
from tests.security.conftest import clients_for
from tests.security.test_authorization_matrix import _grade
from tests.security.world import choice_data


@pytest.fixture
def sam(world):
    return clients_for(world, raise_request_exception=False)["student"]


def answer_path(attempt, position):
    return reverse("quizzes:answer", kwargs={"attempt_id": attempt.pk, "position": position})


def test_an_answered_question_cannot_be_answered_again(world, sam):
    path = answer_path(world.attempt, 1)
    assert sam.post(path, choice_data(world.attempt, 1, right=False)).status_code == 302
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        second = sam.post(path, choice_data(world.attempt, 1, right=True), **headers)
        assert second.status_code == 409
        assert "cannot change" in second.content.decode()
    response = Response.objects.get(attempt=world.attempt, position=1)
    assert response.is_correct is False and response.credit == 0


def test_the_same_answer_sent_twice_counts_once(world, sam):
    path = answer_path(world.attempt, 1)
    data = choice_data(world.attempt, 1)
    first = sam.post(path, data, HTTP_HX_REQUEST="true")
    answered_at = Response.objects.get(attempt=world.attempt, position=1).answered_at
    reviews = Review.objects.filter(user=world.student).count()
    again = sam.post(path, data, HTTP_HX_REQUEST="true")
    assert first.status_code == again.status_code == 200
    assert Response.objects.get(attempt=world.attempt, position=1).answered_at == answered_at
    assert Review.objects.filter(user=world.student).count() == reviews


def test_a_finished_attempt_takes_no_more_answers(world, sam):
    finish = reverse("quizzes:finish_attempt", kwargs={"attempt_id": world.attempt.pk})
    assert sam.post(finish).status_code == 302
    score = Attempt.objects.get(pk=world.attempt.pk).score
    response = sam.post(answer_path(world.attempt, 2), choice_data(world.attempt, 2))
    assert response.status_code == 409
    assert Attempt.objects.get(pk=world.attempt.pk).score == score
    assert Response.objects.get(attempt=world.attempt, position=2).answered_at is None
    # Handing in twice changes nothing either.
    assert sam.post(finish).status_code == 302
    assert Attempt.objects.get(pk=world.attempt.pk).score == score


def test_the_attempt_limit_of_an_assignment_holds(world, sam):
    world.assignment.attempts_allowed = 1
    world.assignment.save(update_fields=["attempts_allowed"])
    Attempt.objects.filter(pk=world.assignment_attempt.pk).update(
        finished_at=world.assignment_attempt.started_at, score=0
    )
    start = reverse(
        "quizzes:assignment_start",
        kwargs={"class_id": world.classroom.pk, "assignment_id": world.assignment.pk},
    )
    before = Attempt.objects.filter(user=world.student, assignment=world.assignment).count()
    for _ in range(2):
        response = sam.post(start)
        assert 400 <= response.status_code < 500
    after = Attempt.objects.filter(user=world.student, assignment=world.assignment).count()
    assert after == before


def test_retrying_the_missed_questions_makes_a_new_attempt_and_leaves_the_old_one(world, sam):
    finished = world.finished_attempt
    score = finished.score
    retry = reverse("quizzes:retry", kwargs={"attempt_id": finished.pk})
    response = sam.post(retry)
    assert response.status_code == 302
    finished.refresh_from_db()
    assert finished.score == score  # the old result stands


def test_a_review_grade_counts_once(world, sam):
    data = _grade(world, world.student)
    path = reverse("quizzes:review_grade")
    reviews = Review.objects.filter(user=world.student).count()
    assert sam.post(path, data).status_code == 302
    # The same post replayed gets the grade it already recorded back, and writes nothing.
    again = sam.post(path, data, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert "Your grade was already saved" in again.content.decode()
    # The same token with another grade is refused.
    other = sam.post(path, {**data, "rating": 1}, HTTP_HX_REQUEST="true")
    assert 400 <= other.status_code < 500
    assert Review.objects.filter(user=world.student).count() == reviews + 1


def test_an_undo_works_once(world, sam):
    path = reverse("quizzes:review_undo")
    # What the undo button posts: the grade it shows (sam has more than one to undo).
    latest = Review.objects.filter(user=world.student).latest("reviewed_at", "id")
    assert sam.post(path, {"review": latest.pk}).status_code == 302
    undone = Review.objects.filter(user=world.student, undone_at__isnull=False).count()
    assert sam.post(path, {"review": latest.pk}).status_code == 409
    assert Review.objects.filter(user=world.student, undone_at__isnull=False).count() == undone
