"""Scheduling with fsrs, quiz answers as reviews, undo and the due queue
(quizzes/review/scheduling.py)."""

import datetime

import fsrs
import pytest
from django.contrib.contenttypes.models import ContentType

from quizzes.models import Card, CardState, Question, Review
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import (
    CardNotDue,
    CardNotFound,
    InvalidGrade,
    StaleGrade,
    preview_intervals,
    record_quiz_evidence,
    retrievability,
    review_card,
    undo_last_review,
)
from quizzes.review.session import grade_from_review_page, grade_token, review_session
from quizzes.review.study_queue import (
    due_queue,
    new_cards_introduced_today,
    queue_counts,
    save_study_preference,
)
from relations.models import Term
from tests import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# The sequence of (rating, time after START) a learner might give one card.
SEQUENCE = [
    (fsrs.Rating.Good, datetime.timedelta(0)),
    (fsrs.Rating.Good, datetime.timedelta(minutes=11)),
    (fsrs.Rating.Easy, datetime.timedelta(days=3)),
    (fsrs.Rating.Again, datetime.timedelta(days=20)),
    (fsrs.Rating.Hard, datetime.timedelta(days=20, minutes=15)),
    (fsrs.Rating.Good, datetime.timedelta(days=24)),
]


@pytest.fixture
def cards():
    lesson = factories.LessonFactory()
    for _ in range(5):
        factories.TermFactory(lesson=lesson)
    sync_cards()
    # The terms' reversed cards wait until the forward ones are known (tested on their own).
    return list(Card.objects.active().exclude(kind=Card.Kind.REVERSE).order_by("pk"))


def state_of(user, card):
    return CardState.objects.filter(user=user, card=card).first()


def test_the_schedule_is_the_one_fsrs_gives_for_a_sequence_of_ratings(student, cards):
    card = cards[0]
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    expected = fsrs.Card(card_id=1, due=START)

    for rating, offset in SEQUENCE:
        when = START + offset
        expected, _ = scheduler.review_card(expected, rating, when)
        stored = review_card(user=student, card=card, rating=int(rating), now=when)

        stored.refresh_from_db()
        assert stored.due == expected.due
        assert stored.state == expected.state
        assert stored.step == expected.step
        assert stored.stability == pytest.approx(expected.stability)
        assert stored.difficulty == pytest.approx(expected.difficulty)
        assert stored.last_review == when

    log = list(Review.objects.filter(user=student, card=card).order_by("reviewed_at"))
    assert [review.rating for review in log] == [int(rating) for rating, _ in SEQUENCE]
    assert log[0].state_before is None  # a new card
    assert log[1].state_before["state"] == fsrs.State.Learning


def test_quiz_answers_move_the_due_date(student, cards):
    card = cards[0]
    answered = START
    # The learner knows the card well: due in ten days.
    review_card(user=student, card=card, rating=4, now=START - datetime.timedelta(days=20))
    review_card(user=student, card=card, rating=3, now=START - datetime.timedelta(days=5))
    before = state_of(student, card)
    question = Question.objects.create(
        kind="mcq", prompt="?", answer={"key": "k0"}, fingerprint="q-1",
        item_type=card.item_type, item_id=card.item_id,
    )

    moved = record_quiz_evidence(
        user=student, question=question, is_correct=False, answered_at=answered
    )

    assert moved == 1
    after_wrong = state_of(student, card)
    expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
        fsrs.Card(
            card_id=1, state=fsrs.State(before.state), step=before.step,
            stability=before.stability, difficulty=before.difficulty, due=before.due,
            last_review=before.last_review,
        ),
        fsrs.Rating.Again,
        answered,
    )
    assert after_wrong.due == expected.due < before.due  # wrong: relearn in minutes
    review = Review.objects.get(user=student, card=card, source=Review.Source.QUIZ)
    assert review.rating == fsrs.Rating.Again and review.reviewed_at == answered

    later = answered + datetime.timedelta(hours=1)
    record_quiz_evidence(user=student, question=question, is_correct=True, answered_at=later)
    after_right = state_of(student, card)
    assert after_right.due > after_wrong.due
    assert Review.objects.filter(source=Review.Source.QUIZ).latest("id").rating == 3


def test_a_quiz_answer_creates_the_state_of_a_card_never_seen(student, cards):
    card = cards[1]
    question = Question.objects.create(
        kind="mcq", prompt="?", answer={"key": "k0"}, fingerprint="q-2",
        item_type=card.item_type, item_id=card.item_id,
    )

    record_quiz_evidence(user=student, question=question, is_correct=True, answered_at=START)

    state = state_of(student, card)
    expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
        fsrs.Card(card_id=1, due=START), fsrs.Rating.Good, START
    )
    assert state.due == expected.due


def test_quiz_evidence_moves_only_active_cards_of_the_same_item(student, cards):
    term = Term.objects.get(pk=cards[0].item_id)
    term.definition = "Edited, so the first card is retired."
    term.save()
    sync_cards()
    question = Question.objects.create(
        kind="mcq", prompt="?", answer={"key": "k0"}, fingerprint="q-3",
        item_type=ContentType.objects.get_for_model(Term), item_id=term.pk,
    )
    no_item = Question.objects.create(
        kind="mcq", prompt="?", answer={"key": "k0"}, fingerprint="q-4"
    )

    assert record_quiz_evidence(
        user=student, question=question, is_correct=True, answered_at=START
    ) == 1
    assert record_quiz_evidence(
        user=student, question=no_item, is_correct=True, answered_at=START
    ) == 0
    assert not CardState.objects.filter(card=cards[0]).exists()  # the retired one
    assert CardState.objects.filter(user=student).count() == 1


def test_undo_restores_the_state_before_the_grade(student, cards):
    card = cards[0]
    review_card(user=student, card=card, rating=3, now=START)
    review_card(user=student, card=card, rating=3, now=START + datetime.timedelta(minutes=11))
    after_first = snapshot_fields(student, card)
    review_card(user=student, card=card, rating=1, now=START + datetime.timedelta(days=3))

    undone = undo_last_review(user=student, now=START + datetime.timedelta(days=3, seconds=5))

    assert undone.rating == 1 and undone.undone_at is not None
    assert snapshot_fields(student, card) == after_first
    assert Review.objects.counted().filter(user=student).count() == 2

    # Undo again walks further back; undoing a new card's first grade forgets the card.
    undo_last_review(user=student, now=START + datetime.timedelta(days=3, seconds=6))
    undo_last_review(user=student, now=START + datetime.timedelta(days=3, seconds=7))
    assert state_of(student, card) is None
    assert undo_last_review(user=student, now=START + datetime.timedelta(days=4)) is None


def snapshot_fields(user, card):
    state = state_of(user, card)
    return (state.state, state.step, state.stability, state.difficulty, state.due,
            state.last_review)


def test_undo_leaves_quiz_answers_alone(student, other_student, cards):
    card = cards[0]
    question = Question.objects.create(
        kind="mcq", prompt="?", answer={"key": "k0"}, fingerprint="q-5",
        item_type=card.item_type, item_id=card.item_id,
    )
    review_card(user=student, card=card, rating=3, now=START)
    record_quiz_evidence(
        user=student, question=question, is_correct=True,
        answered_at=START + datetime.timedelta(minutes=2),
    )

    # The latest grade from the review page was followed by a quiz answer on the same card:
    # undoing it would erase the quiz's evidence, so it is refused.
    assert undo_last_review(user=student, now=START + datetime.timedelta(minutes=3)) is None
    assert Review.objects.counted().count() == 2
    # Another learner's grades are not this learner's to undo.
    assert undo_last_review(user=other_student, now=START) is None


def test_undo_takes_back_only_the_grade_it_was_shown(student, cards):
    first = review_card(user=student, card=cards[0], rating=3, now=START)
    review_card(user=student, card=cards[1], rating=3, now=START + datetime.timedelta(seconds=1))
    latest = Review.objects.latest("reviewed_at")
    older = Review.objects.get(card=first.card)

    assert undo_last_review(user=student, now=START, review_id=older.pk) is None
    assert undo_last_review(user=student, now=START, review_id=latest.pk) == latest
    assert undo_last_review(user=student, now=START, review_id=latest.pk) is None
    assert Review.objects.counted().get() == older


def test_the_daily_new_card_limit_is_respected(student, cards):
    save_study_preference(user=student, new_cards_per_day=3, lessons=[])

    queue = due_queue(user=student, now=START, limit=10)
    assert len(queue) == 3 and all(card.learner_state is None for card in queue)

    review_card(user=student, card=queue[0], rating=4, now=START)
    review_card(user=student, card=queue[1], rating=4, now=START)
    assert new_cards_introduced_today(user=student, now=START) == 2
    queue = due_queue(user=student, now=START, limit=10)
    assert [card.learner_state for card in queue] == [None]

    # An undone grade gives the new card back to today's allowance.
    undo_last_review(user=student, now=START)
    assert len(due_queue(user=student, now=START, limit=10)) == 2

    # Tomorrow brings three more.
    tomorrow = START + datetime.timedelta(days=1)
    assert sum(card.learner_state is None for card in due_queue(
        user=student, now=tomorrow, limit=10)) == 3


def test_due_cards_come_before_new_cards_and_only_from_chosen_lessons(student, cards):
    other_lesson_card = factories.CardFactory()
    review_card(user=student, card=cards[2], rating=3, now=START - datetime.timedelta(days=30))
    review_card(
        user=student, card=other_lesson_card, rating=3, now=START - datetime.timedelta(days=30)
    )

    queue = due_queue(user=student, now=START, limit=3)
    assert queue[0].learner_state is not None
    assert {queue[0].pk, queue[1].pk} == {cards[2].pk, other_lesson_card.pk}
    assert queue[2].learner_state is None

    save_study_preference(user=student, new_cards_per_day=20, lessons=[cards[0].lesson])
    queue = due_queue(user=student, now=START, limit=None)
    assert queue[0].pk == cards[2].pk
    assert other_lesson_card.pk not in {card.pk for card in queue}
    assert len(queue) == 5


def test_a_learning_card_due_within_minutes_is_shown_when_nothing_else_is_left(student, cards):
    save_study_preference(user=student, new_cards_per_day=1, lessons=[])
    review_card(user=student, card=cards[0], rating=1, now=START)  # due again in 1 minute

    queue = due_queue(user=student, now=START + datetime.timedelta(seconds=5), limit=5)

    assert [card.pk for card in queue] == [cards[0].pk]


@pytest.mark.parametrize("history", [[], [3], [3, 3], [3, 3, 4], [3, 3, 1]])
def test_preview_intervals_match_what_grading_then_gives(student, cards, history):
    card = cards[0]
    moment = START
    for rating in history:
        review_card(user=student, card=card, rating=rating, now=moment)
        moment += datetime.timedelta(days=2)
    state = state_of(student, card)

    preview = preview_intervals(state=state, now=moment)

    assert set(preview) == set(fsrs.Rating)
    for rating, interval in preview.items():
        with_rating = review_card(user=student, card=card, rating=int(rating), now=moment)
        assert with_rating.due - moment == interval
        undo_last_review(user=student, now=moment)


def test_retrievability_is_fsrs_retrievability(student, cards):
    review_card(user=student, card=cards[0], rating=3, now=START)
    review_card(user=student, card=cards[0], rating=3, now=START + datetime.timedelta(minutes=11))
    state = state_of(student, cards[0])
    later = START + datetime.timedelta(days=9)

    expected = fsrs.Scheduler().get_card_retrievability(
        fsrs.Card(card_id=1, state=fsrs.State(state.state), stability=state.stability,
                  difficulty=state.difficulty, due=state.due, last_review=state.last_review),
        later,
    )

    assert retrievability(state=state, now=later) == pytest.approx(expected)
    assert retrievability(state=None, now=later) == 0.0


def test_a_rating_outside_one_to_four_is_refused(student, cards):
    with pytest.raises(InvalidGrade):
        review_card(user=student, card=cards[0], rating=7, now=START)
    assert not Review.objects.exists() and not CardState.objects.exists()


class TestGradeFromTheReviewPage:
    def token_for(self, user, card, now=START):
        return grade_token(user=user, card=card, state=state_of(user, card), shown_at=now)

    def test_a_token_counts_once(self, student, cards):
        token = self.token_for(student, cards[0])
        first = grade_from_review_page(user=student, card_id=cards[0].pk, rating=3,
                                       token=token, now=START + datetime.timedelta(seconds=8))
        assert not first.repeated

        # The same grade sent again (a retry after a dropped connection, a second click)
        # gets the recorded grade back and writes nothing.
        again = grade_from_review_page(user=student, card_id=cards[0].pk, rating=3,
                                       token=token, now=START + datetime.timedelta(seconds=9))
        assert again.repeated and again.state.pk == first.state.pk
        assert again.state.due == first.state.due

        # Another grade on the same, now stale, token is refused.
        with pytest.raises(StaleGrade):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=1, token=token,
                                   now=START + datetime.timedelta(seconds=10))

        review = Review.objects.get()
        assert review.duration_ms == 8000  # from when the card was shown

    def test_a_stale_token_after_a_later_grade_is_refused(self, student, cards):
        token = self.token_for(student, cards[0])
        grade_from_review_page(user=student, card_id=cards[0].pk, rating=3, token=token,
                               now=START + datetime.timedelta(seconds=8))
        # A quiz answer moves the card after that grade: the old token is stale now.
        review_card(user=student, card=cards[0], rating=1,
                    now=START + datetime.timedelta(minutes=1), source=Review.Source.QUIZ)
        with pytest.raises(StaleGrade):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=3, token=token,
                                   now=START + datetime.timedelta(minutes=2))
        assert Review.objects.count() == 2

    def test_a_card_not_due_is_refused(self, student, cards):
        review_card(user=student, card=cards[0], rating=4, now=START)
        token = self.token_for(student, cards[0])

        with pytest.raises(CardNotDue, match="not due yet"):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=3, token=token,
                                   now=START + datetime.timedelta(hours=1))
        assert Review.objects.count() == 1

    def test_a_new_card_beyond_the_daily_limit_is_refused(self, student, cards):
        save_study_preference(user=student, new_cards_per_day=1, lessons=[])
        review_card(user=student, card=cards[0], rating=3, now=START)

        with pytest.raises(CardNotDue, match="limit of new cards"):
            grade_from_review_page(user=student, card_id=cards[1].pk, rating=3,
                                   token=self.token_for(student, cards[1]), now=START)

    def test_another_learners_token_or_a_card_outside_the_study_set_is_not_found(
        self, student, other_student, cards
    ):
        with pytest.raises(CardNotFound):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=3,
                                   token=self.token_for(other_student, cards[0]), now=START)
        elsewhere = factories.CardFactory()
        save_study_preference(user=student, new_cards_per_day=20, lessons=[cards[0].lesson])
        with pytest.raises(CardNotFound):
            grade_from_review_page(user=student, card_id=elsewhere.pk, rating=3,
                                   token=self.token_for(student, elsewhere), now=START)
        assert not Review.objects.exists()

    def test_a_garbled_token_is_refused(self, student, cards):
        with pytest.raises(InvalidGrade):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=3,
                                   token="not-a-token", now=START)


class TestTheGradesWriteLock:
    """On SQLite a transaction holds the database's one write lock from BEGIN IMMEDIATE to
    COMMIT: a grade reads and runs fsrs before it, and writes only the rows that change."""

    def statements_inside(self, grade):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            grade()
        sqls = [query["sql"].split()[0].upper() for query in queries]
        # The test's own transaction makes the grade's a savepoint: its first and last.
        start = sqls.index("SAVEPOINT")
        end = len(sqls) - 1 - sqls[::-1].index("RELEASE")
        return [sql for sql in sqls[start + 1:end] if sql not in {"SAVEPOINT", "RELEASE"}]

    def test_a_seen_card_is_one_guarded_update_and_its_review(self, student, cards):
        review_card(user=student, card=cards[0], rating=3, now=START)
        later = START + datetime.timedelta(minutes=11)
        token = grade_token(user=student, card=cards[0], state=state_of(student, cards[0]),
                            shown_at=later)
        inside = self.statements_inside(lambda: grade_from_review_page(
            user=student, card_id=cards[0].pk, rating=3, token=token, now=later
        ))
        assert inside == ["UPDATE", "INSERT"]
        assert Review.objects.filter(user=student, card=cards[0]).count() == 2

    def test_a_new_card_is_its_state_and_its_review(self, student, cards):
        token = grade_token(user=student, card=cards[1], state=None, shown_at=START)
        inside = self.statements_inside(lambda: grade_from_review_page(
            user=student, card_id=cards[1].pk, rating=3, token=token, now=START
        ))
        assert inside == ["INSERT", "INSERT"]
        assert state_of(student, cards[1]) is not None

    def test_a_card_moved_between_the_read_and_the_write_keeps_the_other_grade(
        self, student, cards, monkeypatch
    ):
        from quizzes.review import session

        review_card(user=student, card=cards[0], rating=3, now=START)
        later = START + datetime.timedelta(minutes=11)
        token = grade_token(user=student, card=cards[0], state=state_of(student, cards[0]),
                            shown_at=later)
        planned_without_lock = session.plan_review

        def plan_then_a_quiz_answer_moves_it(**kwargs):
            planned = planned_without_lock(**kwargs)
            review_card(user=student, card=cards[0], rating=1, now=later,
                        source=Review.Source.QUIZ)
            return planned

        monkeypatch.setattr(session, "plan_review", plan_then_a_quiz_answer_moves_it)
        with pytest.raises(StaleGrade):
            grade_from_review_page(user=student, card_id=cards[0].pk, rating=3, token=token,
                                   now=later)
        sources = list(Review.objects.order_by("id").values_list("source", flat=True))
        assert sources == [Review.Source.REVIEW, Review.Source.QUIZ]  # the grade wrote nothing
        assert state_of(student, cards[0]).last_review == later  # the quiz answer's state


def test_the_session_shows_what_each_grade_would_give(student, cards):
    session = review_session(user=student, now=START)

    assert session.card == cards[0] and session.is_new
    assert [grade.label for grade in session.grades] == ["Again", "Hard", "Good", "Easy"]
    assert [grade.interval for grade in session.grades][:3] == ["1m", "6m", "10m"]
    assert session.counts.new == 5 and session.counts.review == 0


def test_queue_counts(student, cards):
    save_study_preference(user=student, new_cards_per_day=2, lessons=[])
    review_card(user=student, card=cards[0], rating=1, now=START)
    review_card(user=student, card=cards[1], rating=4, now=START - datetime.timedelta(days=30))

    counts = queue_counts(user=student, now=START)

    # One new card already introduced today leaves one; the Again card is learning; the card
    # graded Easy a month ago is due.
    assert (counts.new, counts.learning, counts.review, counts.total) == (1, 1, 1, 3)
