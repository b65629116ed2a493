"""Days end at the learner's own midnight: the same review, at the same moment, falls on a
different day in Auckland than in Los Angeles, and so do "today", the streak, the heatmap,
the week ahead and the daily limit of new cards."""

import datetime

import pytest
from django.utils import timezone

from quizzes.progress.report import due_forecast, progress_report, reviews_by_day
from quizzes.review.study_queue import new_cards_introduced_today, queue_counts
from tests import factories

pytestmark = pytest.mark.django_db

AUCKLAND = "Pacific/Auckland"  # UTC+13 in March (daylight time)
LOS_ANGELES = "America/Los_Angeles"  # UTC-7 after 8 March 2026

# 23:30 on Tuesday 10 March in Los Angeles is 19:30 on Wednesday 11 March in Auckland.
REVIEWED = datetime.datetime(2026, 3, 11, 6, 30, tzinfo=datetime.UTC)
# An hour later: 00:30 on the 11th in Los Angeles (a new day), 20:30 on the 11th in Auckland.
NOW = REVIEWED + datetime.timedelta(hours=1)


@pytest.fixture
def first_review(student):
    card = factories.CardFactory()
    factories.CardStateFactory(
        user=student, card=card, state=1, step=0, stability=2.0, last_review=REVIEWED,
        due=REVIEWED + datetime.timedelta(minutes=10),
    )
    # A new card's first grade on the review page (no state before it).
    return factories.ReviewFactory(
        user=student, card=card, reviewed_at=REVIEWED, state_before=None
    )


@pytest.mark.parametrize(("zone", "day"), [
    (LOS_ANGELES, datetime.date(2026, 3, 10)),
    (AUCKLAND, datetime.date(2026, 3, 11)),
])
def test_a_review_counts_on_the_learners_own_calendar_day(student, first_review, zone, day):
    with timezone.override(zone):
        assert reviews_by_day(user=student) == {day: 1}


@pytest.mark.parametrize(("zone", "introduced"), [(LOS_ANGELES, 0), (AUCKLAND, 1)])
def test_the_daily_limit_of_new_cards_starts_again_at_the_learners_midnight(
    student, first_review, zone, introduced
):
    factories.StudyPreferenceFactory(user=student, new_cards_per_day=1)
    factories.CardFactory()  # an unseen card the limit lets through, or not
    with timezone.override(zone):
        assert new_cards_introduced_today(user=student, now=NOW) == introduced
        # Done for today in Auckland (the one new card a day is used); one more in LA.
        assert queue_counts(user=student, now=NOW).new == 1 - introduced


@pytest.mark.parametrize(("zone", "today", "streak", "heat_today"), [
    # In LA the review was yesterday: the streak holds (today is not over) and today is empty.
    (LOS_ANGELES, datetime.date(2026, 3, 11), 1, 0),
    (AUCKLAND, datetime.date(2026, 3, 11), 1, 1),
])
def test_streak_and_heatmap_end_on_the_learners_today(
    student, first_review, zone, today, streak, heat_today
):
    with timezone.override(zone):
        report = progress_report(user=student, now=NOW)
    last = report.heatmap.weeks[-1][-1]
    assert last.date == today
    assert last.count == heat_today
    assert report.streak == streak


def test_a_card_due_at_the_same_moment_is_due_today_in_one_zone_and_tomorrow_in_the_other(
    student,
):
    # 04:30 on the 11th in Los Angeles (today there); 00:30 on the 12th in Auckland.
    due = datetime.datetime(2026, 3, 11, 11, 30, tzinfo=datetime.UTC)
    factories.CardStateFactory(user=student, due=due, last_review=REVIEWED)
    with timezone.override(LOS_ANGELES):
        week = due_forecast(user=student, now=NOW)
        assert (week[0].date, week[0].count, week[1].count) == (datetime.date(2026, 3, 11), 1, 0)
    with timezone.override(AUCKLAND):
        week = due_forecast(user=student, now=NOW)
        assert (week[0].date, week[0].count, week[1].count) == (datetime.date(2026, 3, 11), 0, 1)
