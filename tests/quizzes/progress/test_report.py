"""Mastery, the week ahead, the review calendar, streak, quiz history
(quizzes/progress/report.py)."""

import datetime
import re

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.progress.report import (
    MASTERY_EXPLANATION,
    current_streak,
    due_forecast,
    heat_level,
    heatmap,
    lesson_mastery,
    progress_report,
    reviews_by_day,
)
from quizzes.review.scheduling import retrievability, review_card
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 13, 12, 0, tzinfo=datetime.UTC)  # a Wednesday
TODAY = NOW.date()


def days_ago(days: int, hour: int = 12) -> datetime.datetime:
    return NOW.replace(hour=hour) - datetime.timedelta(days=days)


class TestMastery:
    def test_mastered_means_graduated_and_likely_recalled_now(self, student):
        lesson = factories.LessonFactory()
        fresh, faded, learning, unseen = (factories.CardFactory(lesson=lesson) for _ in range(4))
        # In long-term review and seen yesterday: well above 90%.
        fresh_state = factories.CardStateFactory(
            user=student, card=fresh, state=2, stability=30, last_review=days_ago(1),
            due=NOW + datetime.timedelta(days=29),
        )
        # Seen long ago with a short memory: below 90%.
        faded_state = factories.CardStateFactory(
            user=student, card=faded, state=2, stability=3, last_review=days_ago(40),
        )
        # Graded today but still in learning: recall is likely, but it has not graduated.
        factories.CardStateFactory(
            user=student, card=learning, state=1, step=1, stability=2.3,
            last_review=NOW - datetime.timedelta(minutes=5),
        )

        [row] = lesson_mastery(user=student, now=NOW)

        assert retrievability(state=fresh_state, now=NOW) >= 0.9
        assert retrievability(state=faded_state, now=NOW) < 0.9
        assert (row.cards, row.studied, row.mastered, row.percent) == (4, 3, 1, 25)
        assert unseen.lesson == row.lesson

    def test_retired_cards_do_not_count(self, student):
        card = factories.CardFactory(retired_at=NOW)
        factories.CardStateFactory(user=student, card=card, stability=30, last_review=days_ago(1))
        assert lesson_mastery(user=student, now=NOW) == []

    def test_the_page_says_what_mastery_means(self, client, student):
        client.force_login(student)
        factories.CardFactory()
        html = client.get("/progress/").content.decode()
        assert "A card counts as mastered when you have finished learning it" in html
        assert "90% chance that you would recall it right now" in MASTERY_EXPLANATION
        assert "90% chance that you would recall it right now" in html


class TestStreak:
    def test_consecutive_days_up_to_today(self):
        counts = {TODAY: 2, TODAY - datetime.timedelta(days=1): 1,
                  TODAY - datetime.timedelta(days=2): 5, TODAY - datetime.timedelta(days=4): 1}
        assert current_streak(day_counts=counts, today=TODAY) == 3

    def test_a_streak_ending_yesterday_still_stands_today(self):
        counts = {TODAY - datetime.timedelta(days=1): 1, TODAY - datetime.timedelta(days=2): 1}
        assert current_streak(day_counts=counts, today=TODAY) == 2

    def test_a_missed_day_ends_it(self):
        assert current_streak(day_counts={TODAY - datetime.timedelta(days=2): 4},
                              today=TODAY) == 0
        assert current_streak(day_counts={}, today=TODAY) == 0

    def test_undone_reviews_do_not_count(self, student):
        card = factories.CardFactory()
        factories.ReviewFactory(user=student, card=card, reviewed_at=days_ago(0))
        factories.ReviewFactory(user=student, card=card, reviewed_at=days_ago(1), undone_at=NOW)
        counts = reviews_by_day(user=student)
        assert counts == {TODAY: 1}
        assert current_streak(day_counts=counts, today=TODAY) == 1


def test_forecast_puts_overdue_cards_on_today(student):
    for due in (NOW - datetime.timedelta(days=3), NOW + datetime.timedelta(hours=2),
                NOW + datetime.timedelta(days=2), NOW + datetime.timedelta(days=2, hours=1),
                NOW + datetime.timedelta(days=9)):
        factories.CardStateFactory(user=student, due=due)

    forecast = due_forecast(user=student, now=NOW)

    assert [day.date for day in forecast][0] == TODAY and len(forecast) == 7
    assert [day.count for day in forecast] == [2, 0, 2, 0, 0, 0, 0]
    assert [day.percent for day in forecast] == [100, 0, 100, 0, 0, 0, 0]


def test_the_heatmap_covers_26_weeks_monday_first():
    counts = {TODAY: 3, TODAY - datetime.timedelta(days=10): 40, TODAY - datetime.timedelta(
        days=400): 9}
    calendar = heatmap(day_counts=counts, today=TODAY)

    cells = [cell for week in calendar.weeks for cell in week]
    assert len(calendar.weeks) == 26
    assert cells[0].date.weekday() == 0 and cells[-1].date == TODAY
    assert calendar.total == 43 and calendar.active_days == 2
    assert {cell.date: cell.level for cell in cells if cell.count} == {
        TODAY: 1, TODAY - datetime.timedelta(days=10): 4
    }
    assert calendar.table_rows[0]["counts"] == [0, 0, 3, None, None, None, None]
    assert [heat_level(n) for n in (0, 1, 6, 16, 31)] == [0, 1, 2, 3, 4]


def test_the_report_gathers_quiz_history_newest_first(student, other_student):
    older = Attempt.objects.create(
        user=student, seed=1, started_at=days_ago(3), finished_at=days_ago(3),
        score=3, question_count=4,
    )
    newer = Attempt.objects.create(
        user=student, seed=2, started_at=days_ago(1), finished_at=days_ago(1),
        score=9, question_count=10,
    )
    Attempt.objects.create(user=student, seed=3, started_at=days_ago(0))  # unfinished
    Attempt.objects.create(user=other_student, seed=4, started_at=days_ago(0),
                           finished_at=days_ago(0), score=1, question_count=1)

    report = progress_report(user=student, now=NOW)

    assert report.quizzes == [newer, older]
    assert [attempt.percent for attempt in report.quizzes] == [90, 75]


class TestPage:
    def make_history(self, user, lesson, cards, days):
        """`cards` cards, each reviewed once a day for `days` days, plus finished quizzes."""
        now = timezone.now()
        for _ in range(cards):
            card = factories.CardFactory(lesson=lesson)
            factories.CardStateFactory(user=user, card=card)
            for day in range(days):
                factories.ReviewFactory(
                    user=user, card=card, reviewed_at=now - datetime.timedelta(days=day)
                )
        for _ in range(days // 3):
            Attempt.objects.create(user=user, seed=1, started_at=now, finished_at=now,
                                   score=1, question_count=2)

    def test_query_count_is_the_same_with_ten_times_the_history(
        self, client, student, django_assert_num_queries
    ):
        client.force_login(student)
        lesson = factories.LessonFactory()
        self.make_history(student, lesson, cards=2, days=3)
        with django_assert_num_queries(10) as small:
            response = client.get("/progress/")
        assert response.status_code == 200

        other_lesson = factories.LessonFactory()
        self.make_history(student, lesson, cards=10, days=30)
        self.make_history(student, other_lesson, cards=8, days=30)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get("/progress/")
        assert response.status_code == 200

    def test_the_page_shows_each_part(self, client, student):
        client.force_login(student)
        lesson = factories.LessonFactory(title="Economic ties")
        self.make_history(student, lesson, cards=2, days=3)
        now = timezone.now()
        card = factories.CardFactory(lesson=lesson)
        review_card(user=student, card=card, rating=3, now=now)
        attempt = Attempt.objects.get(user=student)

        html = client.get("/progress/").content.decode()

        assert "<h1>Your progress</h1>" in html
        assert "Economic ties" in html
        assert re.search(r"<strong>3</strong> days? in a row", html)
        assert html.count('<rect class="heat-') >= 26 * 7 - 6 + 5  # cells + legend
        assert 'role="img"' in html and "Reviews per day as a table" in html
        assert "style=" not in html  # the CSP forbids inline styles
        assert f'href="/attempts/{attempt.pk}/results/"' in html
        assert "Cards due in the next 7 days" in html

    def test_progress_needs_sign_in(self, client):
        assert client.get("/progress/").status_code == 302
