"""The question kinds: one registered kind per QuestionKind, and each one whole, from
writing a question to grading what its page posts back."""

from types import SimpleNamespace

import pytest

from quizzes.bank import authoring, grading
from quizzes.bank.authoring import QuestionDraft
from quizzes.bank.drafts import NumericAnswer
from quizzes.bank.forms import QuestionForm
from quizzes.bank.kinds import CHOICE_KINDS, GIFT_READERS, KINDS, UnknownKind, kind_for
from quizzes.bank.models import QuestionKind, shape_problems
from quizzes.practice.attempts import decode_answer, start_attempt
from quizzes.practice.presenting import present_question
from tests import factories

# One question of each kind as an instructor writes it; the right answer is in the draft.
DRAFTS = {
    QuestionKind.MULTIPLE_CHOICE: QuestionDraft(
        kind="mcq", prompt="Which river marks much of the border?",
        options=["Han River", "Yalu River", "Mekong River"], correct=1,
    ),
    QuestionKind.TRUE_FALSE: QuestionDraft(
        kind="tf", prompt="The armistice was signed in 1953.", truth=False,
    ),
    QuestionKind.WHO_ARGUED: QuestionDraft(
        kind="who", prompt="Who argued that China's leverage is modest?",
        options=["Chen Jian", "Samuel S. Kim", "Hazel Smith"], correct=1,
    ),
    QuestionKind.WHICH_SIDE: QuestionDraft(
        kind="side", prompt="Which side argues that tolerance shields the regime?",
        options=["Critics", "Proponents"], correct=0,
    ),
    QuestionKind.MATCHING: QuestionDraft(
        kind="match", prompt="Match each description to its term.",
        pairs=[
            ("Talks among six states", "six-party talks"),
            ("The main border city", "Dandong"),
            ("A truce without a treaty", "armistice"),
        ],
    ),
    QuestionKind.ORDERING: QuestionDraft(
        kind="order", prompt="Put these events in order, earliest first.",
        items=["Korean War begins", "Armistice", "Six-party talks begin", "Xi takes office"],
    ),
    QuestionKind.CLOZE: QuestionDraft(
        kind="cloze", prompt="The capital of North Korea is _____.",
        answers=["Pyongyang", "P'yŏngyang"],
    ),
    QuestionKind.MULTIPLE_ANSWER: QuestionDraft(
        kind="multi", prompt="Which two rivers form the border?",
        options=["Yalu", "Tumen", "Han", "Taedong"], weights=[50, 50, -50, -50],
        feedback=["", "", "The Han runs through Seoul.", ""],
    ),
    QuestionKind.NUMERICAL: QuestionDraft(
        kind="num", prompt="In what year was the armistice signed?",
        numbers=[NumericAnswer(1953.0), NumericAnswer(1953.0, 1.0, 50.0, "One year off.")],
    ),
    QuestionKind.WRITTEN: QuestionDraft(
        kind="essay", prompt="Explain why Beijing kept the alliance after 1992.",
        model_answer="A buffer on its border, and no collapse with refugees at Dandong.",
        rubric=[("Names the buffer", 2), ("Names the fear of collapse", 1)],
    ),
    QuestionKind.DESCRIPTION: QuestionDraft(
        kind="desc", prompt="The next questions are about the 1961 treaty.",
    ),
}
# The kinds the server grades when answered (a person marks a written answer; a
# description has nothing to grade).
GRADED = [code for code in QuestionKind.values if KINDS[code].graded_on_answer]


def page_post(view, draft: QuestionDraft, *, right: bool) -> dict:
    """What a learner posts on the page `view` describes, knowing only the texts shown."""
    if draft.kind == QuestionKind.MULTIPLE_ANSWER:  # tick the right ones, or one wrong one
        wanted = [t for t, w in zip(draft.options, draft.weights, strict=True) if (w > 0) == right]
        return {view.choice_field: [o.value for o in view.options if o.text in wanted][:2]}
    if draft.kind == QuestionKind.NUMERICAL:
        return {view.number_field: "1953" if right else "1960"}
    if view.options:
        if draft.kind == QuestionKind.TRUE_FALSE:
            wanted = "True" if draft.truth else "False"
        else:
            wanted = draft.options[draft.correct]
        chosen = next(o for o in view.options if (o.text == wanted) == right)
        return {view.choice_field: chosen.value}
    if view.right:  # matching: every item to its match, or every item to another's
        values = {choice.text: choice.value for choice in view.right}
        matches = [match for _, match in draft.pairs]
        if not right:
            matches = matches[1:] + matches[:1]
        match_for = dict(zip((left for left, _ in draft.pairs), matches, strict=True))
        return {row.name: values[match_for[row.text]] for row in view.rows}
    if view.ranks:  # ordering: each item's place, or the places reversed (none right)
        order = draft.items if right else draft.items[::-1]
        return {row.name: str(order.index(row.text) + 1) for row in view.rows}
    return {view.text_field: draft.answers[0] if right else "Vladivostok"}


# --- the registry --------------------------------------------------------------------------


def test_every_question_kind_has_its_kind_and_no_other_is_registered():
    assert list(KINDS) == list(QuestionKind.values)
    assert all(kind.code == code for code, kind in KINDS.items())


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(UnknownKind, match="Unknown question kind: 'calculated'"):
        kind_for("calculated")
    with pytest.raises(ValueError, match="calculated"):  # grade() raised ValueError before
        calculated = SimpleNamespace(kind="calculated", body={}, answer={})
        grading.grade(question=calculated, submitted={})


def test_the_choice_kinds_are_derived_from_the_registry():
    assert set(CHOICE_KINDS) == {"mcq", "tf", "who", "side"}
    assert grading.CHOICE_KINDS is CHOICE_KINDS


@pytest.mark.parametrize("code", QuestionKind.values)
def test_each_kind_names_an_authoring_form_that_exists(code):
    assert issubclass(kind_for(code).form_class, QuestionForm)


def test_only_ordering_has_no_gift_form_and_gift_reads_back_what_it_writes():
    assert [code for code, kind in KINDS.items() if kind.gift_lines(DRAFTS[code]) is None] == [
        QuestionKind.ORDERING
    ]
    # Who-argued and which-side are written as multiple choice and read back as it.
    assert {kind.code for kind in GIFT_READERS} == {
        "essay", "num", "multi", "tf", "match", "mcq", "cloze"
    }


def test_only_two_option_kinds_keep_their_natural_order():
    fixed = {code: kind_for(code).natural_order for code in CHOICE_KINDS}
    assert {code: order for code, order in fixed.items() if order} == {
        "tf": ("True", "False"), "side": ("Critics", "Proponents")
    }


# --- each kind, whole ----------------------------------------------------------------------


@pytest.mark.parametrize("code", QuestionKind.values)
def test_a_draft_becomes_a_question_of_the_right_shape_and_comes_back(code):
    draft = DRAFTS[code]
    assert authoring.validate_draft(draft=draft) == []
    data = authoring.question_data(draft=draft)
    assert shape_problems(kind=code, body=data["body"], answer=data["answer"]) == []
    stored = factories.QuestionFactory.build(
        kind=code, prompt=draft.prompt, explanation="", **data
    )
    assert authoring.draft_from_question(question=stored) == draft


@pytest.mark.django_db
@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("code", GRADED)
def test_written_shown_answered_and_graded(code, right):
    """authoring → the page → what it posts → the grade: full credit or none."""
    draft = DRAFTS[code]
    question = authoring.create_question(author=factories.InstructorFactory(), draft=draft)
    attempt = start_attempt(user=factories.UserFactory(), questions=[question], seed=11)
    response = attempt.responses.select_related("question").get()

    view = present_question(attempt=attempt, response=response)
    data = page_post(view, draft, right=right)
    submitted = decode_answer(attempt=attempt, response=response, data=data)
    result = grading.grade(question=question, submitted=submitted)

    assert result.credit == (1.0 if right else 0.0)
    assert result.is_correct is right
    assert result.correct_display


@pytest.mark.parametrize("code", list(KINDS))
def test_every_kind_has_its_answer_partial_on_the_question_page(code):
    from django.template.loader import get_template

    template = get_template(f"quizzes/practice/attempt.html#answer_{KINDS[code].widget}")
    assert template is not None


@pytest.mark.django_db
def test_a_written_answer_and_a_description_are_read_but_not_graded_on_the_server():
    author = factories.InstructorFactory()
    for code, data, read in (
        ("essay", {"written": "  A buffer state.  "}, {"text": "A buffer state."}),
        ("desc", {}, {"seen": True}),
    ):
        question = authoring.create_question(author=author, draft=DRAFTS[code])
        attempt = start_attempt(user=factories.UserFactory(), questions=[question], seed=11)
        response = attempt.responses.select_related("question").get()
        assert decode_answer(attempt=attempt, response=response, data=data) == read
        assert not KINDS[code].graded_on_answer
        assert present_question(attempt=attempt, response=response).answer_template.endswith(
            "#answer_" + KINDS[code].widget
        )
