"""Every question's options are shuffled per attempt, whoever wrote it.

The finding: instructor-written and imported questions kept their author's order, and
authors (GIFT files above all) usually put the right answer first (issue 14). Only the two
natural orders stay put, which say nothing: True, False and Critics, Proponents.
"""

import pytest

from quizzes.bank.authoring import QuestionDraft, create_question
from quizzes.models import Question
from quizzes.practice.attempts import new_seed, start_attempt
from quizzes.practice.presenting import present_question
from tests.factories import hardening as made

pytestmark = pytest.mark.django_db

DRAFTS = {
    "mcq": QuestionDraft(kind="mcq", prompt="Which river?", options=["Yalu", "Tumen", "Han"],
                         correct=0),
    "who": QuestionDraft(kind="who", prompt="Who said it?",
                         options=["Chen Jian", "Samuel S. Kim", "Hazel Smith"], correct=0),
    "side": QuestionDraft(kind="side", prompt="Which side?",
                          options=["The critics", "The proponents", "Neither"], correct=0),
}


def _shown(question, student, attempts=12):
    """The option (or row) texts in the order each of a dozen attempts shows them."""
    orders = []
    for _ in range(attempts):
        attempt = start_attempt(user=student, questions=[question], seed=new_seed())
        response = attempt.responses.select_related("question").get()
        view = present_question(attempt=attempt, response=response)
        orders.append(tuple(o.text for o in view.options) or tuple(r.text for r in view.rows))
    return orders


@pytest.mark.parametrize("kind", sorted(DRAFTS))
@pytest.mark.parametrize("origin", [Question.Origin.INSTRUCTOR, Question.Origin.IMPORTED])
def test_an_authors_right_answer_first_is_not_first_every_time(student, instructor, kind, origin):
    draft = DRAFTS[kind]
    question = create_question(author=instructor, draft=draft, origin=origin)
    right = draft.options[draft.correct]
    places = {order.index(right) for order in _shown(question, student)}
    assert len(places) > 1, f"the right answer sits at {places} in every attempt"


def test_matching_and_ordering_rows_are_shuffled_whoever_wrote_them(student, instructor):
    matching = create_question(author=instructor, draft=QuestionDraft(
        kind="match", prompt="Match them.",
        pairs=[("1950", "War"), ("1953", "Armistice"), ("1961", "Treaty"), ("1992", "Seoul")],
    ))
    ordering = create_question(author=instructor, draft=QuestionDraft(
        kind="order", prompt="Earliest first.", items=["1950", "1953", "1961", "1992"],
    ))
    for question in (matching, ordering):
        assert len(set(_shown(question, student))) > 2


def test_true_false_and_the_two_sides_keep_their_natural_order(student, instructor):
    true_false = create_question(
        author=instructor, draft=QuestionDraft(kind="tf", prompt="1953?", truth=False)
    )
    sides = made.QuestionFactory(kind="side", body={"options": [
        {"key": "c", "text": "Critics"}, {"key": "p", "text": "Proponents"},
    ]}, answer={"key": "p"})
    assert set(_shown(true_false, student)) == {("True", "False")}
    assert set(_shown(sides, student)) == {("Critics", "Proponents")}
