"""Scheduling's pure part, without the database: the intervals on the review page's grade
buttons (short, and long for screen readers), the state kept on a Review for undo, the
state handed to fsrs, and the grade a page posts (quizzes/review/scheduling.py)."""

import datetime
from types import SimpleNamespace

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.models import CardState
from quizzes.review import scheduling
from quizzes.review.scheduling import (
    InvalidGrade,
    describe_interval,
    format_interval,
    parse_rating,
    preview_intervals,
    retrievability,
    snapshot,
    to_fsrs,
)

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = datetime.timedelta(seconds=1)
M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


# --- the grade buttons: "1m", "4d", and "4 days" for a screen reader ------------------------

INTERVALS = [
    # interval, on the button, read aloud (whole units below a month, tenths above)
    (0 * S, "<1m", "less than a minute"),
    (59 * S, "<1m", "less than a minute"),
    (60 * S, "1m", "1 minute"),
    (90 * S, "2m", "2 minutes"),
    (10 * M, "10m", "10 minutes"),
    (59 * M + 29 * S, "59m", "59 minutes"),
    (H, "1h", "1 hour"),
    (90 * M, "2h", "2 hours"),
    (5 * H + 20 * M, "5h", "5 hours"),
    (23 * H, "23h", "23 hours"),
    (D, "1d", "1 day"),
    (D + 12 * H, "2d", "2 days"),
    (4 * D, "4d", "4 days"),
    (29 * D, "29d", "29 days"),
    (30 * D, "1mo", "1 month"),
    (45 * D, "1.5mo", "1.5 months"),
    (75 * D, "2.5mo", "2.5 months"),
    (60 * D, "2mo", "2 months"),
    (364 * D, "12.1mo", "12.1 months"),
    (365 * D, "1y", "1 year"),
    (438 * D, "1.2y", "1.2 years"),
    (730 * D, "2y", "2 years"),
    (3650 * D, "10y", "10 years"),
    (7300 * D, "20y", "20 years"),
]


@pytest.mark.parametrize(("interval", "short", "_long"), INTERVALS, ids=[i[1] for i in INTERVALS])
def test_the_button_shows_the_interval_as_anki_does(interval, short, _long):
    assert format_interval(interval) == short


@pytest.mark.parametrize(("interval", "_short", "long"), INTERVALS, ids=[i[2] for i in INTERVALS])
def test_a_screen_reader_hears_the_interval_in_words(interval, _short, long):
    assert describe_interval(interval) == long


@given(st.integers(min_value=0, max_value=20 * 365 * 86400))
def test_every_interval_has_a_short_form_with_a_unit(seconds):
    short = format_interval(datetime.timedelta(seconds=seconds))
    assert short == "<1m" or short.endswith(("m", "h", "d", "mo", "y"))
    assert not short.endswith(".0mo") and not short.endswith(".0y")
    long = describe_interval(datetime.timedelta(seconds=seconds))
    count, _, unit = long.partition(" ")
    if long != "less than a minute":
        # "1 day", "2 days": the plural exactly when the count is not one
        assert unit.endswith("s") == (float(count) != 1), long


# --- the state kept for undo ----------------------------------------------------------------


def card_state(**fields):
    values = dict(
        card_id=7, state=int(fsrs.State.Review), step=None, stability=12.5, difficulty=4.25,
        due=NOW + 3 * D, last_review=NOW - 9 * D,
    )
    values.update(fields)
    return CardState(**values)


def test_a_snapshot_holds_every_field_of_the_state_as_json():
    assert snapshot(card_state()) == {
        "state": 2,
        "step": None,
        "stability": 12.5,
        "difficulty": 4.25,
        "due": "2026-03-05T09:00:00+00:00",
        "last_review": "2026-02-21T09:00:00+00:00",
    }
    assert snapshot(card_state(last_review=None, state=1, step=0))["last_review"] is None
    assert snapshot(None) is None


moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2040, 1, 1),
    timezones=st.just(UTC),
)


@given(
    state=st.sampled_from([int(s) for s in fsrs.State]),
    step=st.none() | st.integers(0, 3),
    stability=st.floats(0.01, 3650, allow_nan=False),
    difficulty=st.floats(1, 10, allow_nan=False),
    due=moments,
    last_review=st.none() | moments,
)
def test_undo_puts_back_exactly_the_state_it_kept(
    state, step, stability, difficulty, due, last_review
):
    before = card_state(
        state=state, step=step, stability=stability, difficulty=difficulty, due=due,
        last_review=last_review,
    )
    after = card_state(state=3, step=2, stability=1.0, difficulty=9.0, due=NOW, last_review=NOW)
    scheduling._restore(after, snapshot(before))
    assert (after.state, after.step, after.stability, after.difficulty, after.due,
            after.last_review) == (state, step, stability, difficulty, due, last_review)


# --- to and from fsrs -----------------------------------------------------------------------


def test_a_card_never_seen_is_a_new_fsrs_card_due_now():
    new = to_fsrs(None, card_id=5, now=NOW)
    fresh = fsrs.Card(card_id=5, due=NOW)
    assert (new.card_id, new.state, new.step, new.stability, new.difficulty, new.due,
            new.last_review) == (5, fresh.state, fresh.step, None, None, NOW, None)


def test_a_learners_state_reaches_fsrs_field_by_field_in_utc():
    seoul = datetime.timezone(datetime.timedelta(hours=9))
    state = card_state(
        state=int(fsrs.State.Relearning), step=1, due=(NOW + D).astimezone(seoul),
        last_review=NOW.astimezone(seoul),
    )
    card = to_fsrs(state, card_id=7, now=NOW)
    assert (card.card_id, card.state, card.step, card.stability, card.difficulty) == (
        7, fsrs.State.Relearning, 1, 12.5, 4.25
    )
    assert card.due == NOW + D and card.due.tzinfo is UTC
    assert card.last_review == NOW and card.last_review.tzinfo is UTC
    assert to_fsrs(card_state(last_review=None), card_id=7, now=NOW).last_review is None


def test_what_fsrs_gives_back_is_stored_field_by_field():
    reviewed, _ = scheduling.SCHEDULER.review_card(fsrs.Card(card_id=1, due=NOW), fsrs.Rating.Good,
                                                   NOW)
    state = card_state(state=0, step=None, stability=None, difficulty=None, last_review=None)
    scheduling._copy_from_fsrs(state, reviewed)
    assert (state.state, state.step, state.stability, state.difficulty, state.due,
            state.last_review) == (
        int(reviewed.state), reviewed.step, reviewed.stability, reviewed.difficulty,
        reviewed.due, NOW,
    )


# --- what the page shows before a grade -----------------------------------------------------


def test_a_new_cards_buttons_show_the_learning_steps():
    preview = preview_intervals(state=None, now=NOW)
    assert {rating: format_interval(interval) for rating, interval in preview.items()} == {
        fsrs.Rating.Again: "1m", fsrs.Rating.Hard: "6m", fsrs.Rating.Good: "10m",
        fsrs.Rating.Easy: "8d",
    }


def test_preview_and_retrievability_read_a_state_in_another_timezone_as_the_same_moment():
    seoul = datetime.timezone(datetime.timedelta(hours=9))
    state = card_state()
    elsewhere = card_state(due=state.due.astimezone(seoul),
                           last_review=state.last_review.astimezone(seoul))
    assert preview_intervals(state=elsewhere, now=NOW.astimezone(seoul)) == preview_intervals(
        state=state, now=NOW
    )
    recall = retrievability(state=state, now=NOW)
    assert 0 < recall < 1
    assert retrievability(state=elsewhere, now=NOW.astimezone(seoul)) == recall
    assert retrievability(state=None, now=NOW) == 0.0


def test_the_buttons_show_what_the_learners_own_parameters_would_give():
    """A learner whose parameters were optimized (quizzes/review/optimizing.py) sees the
    intervals those give, not the defaults'."""
    params = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    params[8] += 1  # recall grows stability faster for this learner
    learner = SimpleNamespace(_fsrs_parameters=params)

    def buttons(user):
        preview = preview_intervals(state=card_state(), now=NOW, user=user)
        return {rating.name: format_interval(interval) for rating, interval in preview.items()}

    assert buttons(None) == {"Again": "10m", "Hard": "27d", "Good": "1.2mo", "Easy": "1.9mo"}
    assert buttons(learner) == {"Again": "10m", "Hard": "1.7mo", "Good": "2.5mo", "Easy": "4.4mo"}


# --- the grade a page posts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "rating"),
    [("1", fsrs.Rating.Again), ("2", fsrs.Rating.Hard), ("3", fsrs.Rating.Good),
     ("4", fsrs.Rating.Easy), (4, fsrs.Rating.Easy), (" 3 ", fsrs.Rating.Good)],
)
def test_a_posted_grade_is_read_as_its_rating(posted, rating):
    assert parse_rating(posted) is rating


@pytest.mark.parametrize("posted", ["0", "5", "-1", "", "Good", "3.5", None, [], SimpleNamespace()])
def test_anything_else_is_refused_with_the_range_named(posted):
    with pytest.raises(InvalidGrade) as refusal:
        parse_rating(posted)
    assert refusal.value.message == "Choose a grade from 1 (Again) to 4 (Easy)."
    assert refusal.value.status == 400
