"""The course home: lessons for everyone; what is waiting for a signed-in learner."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def make_activity(student, size: int):
    """Lessons, due cards, assignments and unfinished quizzes, `size` of each."""
    for _ in range(size):
        lesson = factories.LessonFactory()
        factories.SectionFactory(lesson=lesson)
        factories.CardStateFactory(user=student, card=factories.CardFactory(lesson=lesson))
        enrollment = factories.EnrollmentFactory(student=student)
        factories.AssignmentFactory(classroom=enrollment.classroom, lessons=[lesson])
        attempt = factories.AttemptFactory(user=student, question_count=2)
        factories.ResponseFactory(attempt=attempt)


def test_anonymous_visitor_sees_the_lessons_and_an_invitation(client):
    factories.LessonFactory(title="Cold War foundations")
    html = client.get("/").content.decode()
    assert "Cold War foundations" in html
    assert "Start with lesson 1" in html
    assert "Sign up to practise and review" in html
    assert "Waiting for you" not in html


def test_signed_in_learner_sees_due_cards_assignments_and_quizzes_to_resume(client, student):
    make_activity(student, 2)
    client.force_login(student)
    html = client.get("/").content.decode()
    assert "Waiting for you" in html
    assert "2</strong> cards to review now: 2 due" in html
    assert html.count("Resume the quiz started") == 2
    assert "Assignment" in html and "Not started" in html


def test_nothing_due_says_so_plainly(client, student):
    factories.LessonFactory()
    client.force_login(student)
    html = client.get("/").content.decode()
    assert "Nothing is due." in html
    assert "No assignments waiting." in html


@pytest.mark.parametrize("size", [1, 3])
def test_home_query_count_does_not_grow_with_activity(
    client, student, size, django_assert_num_queries
):
    make_activity(student, size)
    client.force_login(student)
    # session, user, instructor group (nav); lessons; mastery 3; study plan and queue
    # counts 5; overdue attempts, assignments and their attempts and lessons 4; resumable
    # attempts 1; the student's overrides of assignment limits 1: seventeen, whatever the size.
    with django_assert_num_queries(17):
        assert client.get("/").status_code == 200


def test_anonymous_home_is_one_query(client, django_assert_num_queries):
    factories.LessonFactory.create_batch(3)
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_a_quiz_started_moments_ago_says_just_now_not_zero_minutes(client, student):
    import datetime

    from django.utils import timezone

    from quizzes.progress.home import started_words

    now = timezone.now()
    assert started_words(started_at=now - datetime.timedelta(seconds=20), now=now) == "just now"
    assert started_words(started_at=now - datetime.timedelta(minutes=5), now=now) == (
        "5\xa0minutes ago"
    )
    factories.AttemptFactory(user=student, question_count=2)
    client.force_login(student)
    html = client.get("/").content.decode()
    assert "Resume the quiz started just now" in html
    assert "0\xa0minutes" not in html
