"""Learn mode without HTTP: which items it picks (the memory model: least recalled first,
then new, then well remembered), its rounds, and its end (each item answered right twice)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from quizzes.models import Attempt, CardState, LearnSession, QuestionKind, Response, Review
from quizzes.practice import learn
from quizzes.practice.attempts import NoQuestions, answer_question
from quizzes.practice.learn import ItemMemory, rank_items
from quizzes.review.scheduling import retrievability
from relations.models import Term
from tests import factories
from tests.quizzes.helpers import post_data

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make_items(count, *, lesson=None, kinds=(QuestionKind.MULTIPLE_CHOICE, QuestionKind.CLOZE)):
    """`count` terms, in course order, each with one card and a question of each kind."""
    lesson = lesson or factories.LessonFactory(order=1)
    term_type = ContentType.objects.get_for_model(Term)
    terms = []
    for _ in range(count):
        term = factories.TermFactory(lesson=lesson)
        factories.CardFactory(lesson=lesson, item_type=term_type, item_id=term.pk)
        for kind in kinds:
            factories.make_question(kind, lesson=lesson, item_type=term_type, item_id=term.pk)
        terms.append(term)
    return [(term_type.pk, term.pk) for term in terms]


def remember(user, key, *, stability, days_ago):
    """The learner last reviewed the item's card `days_ago` days ago."""
    card = factories.CardFactory._meta.model.objects.get(item_type_id=key[0], item_id=key[1])
    factories.CardStateFactory(
        user=user, card=card, stability=stability,
        last_review=NOW - datetime.timedelta(days=days_ago),
        due=NOW + datetime.timedelta(days=1),
    )
    return retrievability(state=CardState.objects.get(user=user, card=card), now=NOW)


def round_keys(attempt):
    return [
        (r.question.item_type_id, r.question.item_id)
        for r in Response.objects.filter(attempt=attempt).select_related("question")
    ]


def answer_round(attempt, *, wrong=()):
    for response in Response.objects.filter(attempt=attempt).select_related("question"):
        key = (response.question.item_type_id, response.question.item_id)
        data = post_data(attempt, response, right=key not in wrong)
        answer_question(attempt=attempt, position=response.position, data=data, now=NOW)


# --- the choice of items -------------------------------------------------------------------


def test_rank_items_puts_the_least_recalled_first_then_new_then_well_remembered():
    memories = [
        ItemMemory(1, 1, recall=0.95, order=(1, 1)),
        ItemMemory(1, 2, recall=None, order=(1, 5)),
        ItemMemory(1, 3, recall=0.80, order=(1, 2)),
        ItemMemory(1, 4, recall=None, order=(1, 3)),
        ItemMemory(1, 5, recall=0.30, order=(2, 9)),
        ItemMemory(1, 6, recall=0.99, order=(0, 0)),
    ]
    assert [m.item_id for m in rank_items(memories)] == [5, 3, 4, 2, 1, 6]


def test_pick_items_leaves_out_items_that_could_never_share_a_round():
    ranked = [
        ItemMemory(1, 1, recall=0.2, asks=frozenset({"event:1", "fact:9"})),
        ItemMemory(1, 2, recall=0.3, asks=frozenset({"fact:9"})),  # the same fact again
        ItemMemory(1, 3, recall=0.4, asks=frozenset({"fact:3"}), reveals=frozenset({"event:1"})),
        ItemMemory(1, 4, recall=None, asks=frozenset({"fact:4"})),
        ItemMemory(1, 5, recall=None, asks=frozenset({"fact:5"})),
    ]
    assert [m.item_id for m in learn.pick_items(ranked, size=2)] == [1, 4]
    assert [m.item_id for m in learn.pick_items(ranked, size=9)] == [1, 4, 5]


def test_a_session_starts_with_what_the_learner_is_forgetting(student):
    fading, slipping, solid, new_a, new_b = make_items(5)
    recall = {
        fading: remember(student, fading, stability=1.0, days_ago=30),
        slipping: remember(student, slipping, stability=10.0, days_ago=15),
        solid: remember(student, solid, stability=200.0, days_ago=1),
    }
    assert recall[fading] < recall[slipping] < learn.RECALLED < recall[solid]

    session = learn.start_learning(user=student, size=4, now=NOW, seed=1)
    assert [tuple(key) for key in session.items] == [fading, slipping, new_a, new_b]
    # Asked for more than there are, the well-remembered item comes in last.
    other = learn.start_learning(user=student, size=9, now=NOW, seed=1)
    assert [tuple(key) for key in other.items] == [fading, slipping, new_a, new_b, solid]


def test_only_items_with_a_card_and_a_question_in_the_chosen_lessons(student):
    first = factories.LessonFactory(order=1)
    second = factories.LessonFactory(order=2)
    in_first = make_items(2, lesson=first)
    make_items(2, lesson=second)
    term = factories.TermFactory(lesson=first)  # a question but no card: not in the model
    factories.make_question(
        QuestionKind.MULTIPLE_CHOICE, lesson=first,
        item_type=ContentType.objects.get_for_model(Term), item_id=term.pk,
    )
    session = learn.start_learning(user=student, lesson_ids=[first.pk], size=7, now=NOW)
    assert [tuple(key) for key in session.items] == in_first


def test_nothing_to_learn_is_refused_and_saves_nothing(student):
    with pytest.raises(NoQuestions):
        learn.start_learning(user=student, now=NOW)
    assert not LearnSession.objects.exists()


# --- rounds and the end ------------------------------------------------------------------


def test_a_session_ends_once_each_item_is_answered_right_twice(student):
    items = make_items(3)
    session = learn.start_learning(user=student, size=3, now=NOW, seed=5)
    first = Attempt.objects.get(learn_session=session)
    assert sorted(round_keys(first)) == sorted(items)  # one question per item
    assert first.recipe["learn_round"] == 1 and first.recipe["known"] == 0

    answer_round(first)
    progress = learn.learn_progress(session=session)
    assert (progress.known, progress.total, progress.current) == (0, 3, None)

    second = learn.start_next_round(session=session, now=NOW, seed=6)
    # Each item again, by the question it has not been asked yet: the kinds mix.
    asked_before = set(Response.objects.filter(attempt=first).values_list("question", flat=True))
    assert not asked_before & set(
        Response.objects.filter(attempt=second).values_list("question", flat=True)
    )
    answer_round(second)
    assert learn.learn_progress(session=session).is_done

    assert learn.start_next_round(session=session, now=NOW) is None
    session.refresh_from_db()
    assert session.finished_at is not None and session.round_count == 2


def test_an_item_answered_wrong_comes_back_until_right_twice(student):
    stubborn, easy = make_items(2)
    session = learn.start_learning(user=student, size=2, now=NOW, seed=5)
    answer_round(Attempt.objects.get(learn_session=session), wrong={stubborn})
    second = learn.start_next_round(session=session, now=NOW, seed=6)
    answer_round(second)  # easy is known now; stubborn has one right answer
    progress = learn.learn_progress(session=session)
    assert progress.known == 1
    third = learn.start_next_round(session=session, now=NOW, seed=7)
    assert round_keys(third) == [stubborn]
    assert third.recipe == {"learn_round": 3, "known": 1, "items": 2, "count": 1}
    answer_round(third)
    assert learn.start_next_round(session=session, now=NOW) is None


def test_rounds_hold_at_most_seven_items_the_least_asked_first(student):
    items = make_items(9)
    session = learn.start_learning(user=student, size=9, now=NOW, seed=5)
    first = Attempt.objects.get(learn_session=session)
    assert first.question_count == learn.ROUND_SIZE
    assert set(round_keys(first)) == set(items[:7])
    answer_round(first)
    second = learn.start_next_round(session=session, now=NOW, seed=6)
    keys = round_keys(second)
    # The two never asked come first, then five of those right once.
    assert set(items[7:]) <= set(keys) and len(keys) == learn.ROUND_SIZE


def test_a_round_under_way_is_the_next_round(student):
    make_items(2)
    session = learn.start_learning(user=student, size=2, now=NOW, seed=5)
    first = Attempt.objects.get(learn_session=session)
    assert learn.start_next_round(session=session, now=NOW) == first
    assert Attempt.objects.filter(learn_session=session).count() == 1


def test_learn_answers_are_evidence_for_the_items_cards(student):
    (key,) = make_items(1)
    session = learn.start_learning(user=student, size=1, now=NOW, seed=5)
    answer_round(Attempt.objects.get(learn_session=session))
    review = Review.objects.get(user=student)
    assert review.source == Review.Source.QUIZ and review.card.item_id == key[1]
    assert CardState.objects.filter(user=student, card=review.card).exists()


def test_a_round_never_shows_one_items_answer_in_anothers_question(student):
    from quizzes.models import Question

    first, second = make_items(2)
    # The first item's multiple-choice question offers the second's answer as an option;
    # its fill-in-the-blank does not. A round of both must ask the first by the blank.
    revealing = Question.objects.get(item_id=first[1], kind=QuestionKind.MULTIPLE_CHOICE)
    revealing.reveals = [f"item:{second[0]}:{second[1]}"]
    revealing.save()
    for seed in range(5):
        session = learn.start_learning(user=student, size=2, now=NOW, seed=seed)
        kinds = dict(
            ((r.question.item_type_id, r.question.item_id), r.question.kind)
            for r in Response.objects.filter(attempt__learn_session=session)
            .select_related("question")
        )
        assert kinds[first] == QuestionKind.CLOZE and second in kinds


def test_the_practice_page_lists_learn_rounds_with_their_session_not_as_quizzes(student):
    from quizzes.practice.attempts import practice_overview

    make_items(2)
    learn.start_learning(user=student, size=2, now=NOW)
    assert practice_overview(user=student)["unfinished"] == []
    assert len(learn.unfinished_sessions(user=student)) == 1
