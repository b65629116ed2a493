"""Multiple answer and numerical: grading by weight, tolerance and range; their shapes and
authoring forms; a practice quiz and an assignment with each; item analysis."""

import datetime

import pytest
from django.utils.html import escape

from quizzes.bank import authoring, grading
from quizzes.bank.drafts import NumericAnswer, QuestionDraft
from quizzes.bank.models import Question, shape_problems
from quizzes.bank.sync import sync_question_bank
from quizzes.classes import assignments as assignment_services
from quizzes.classes import results as result_services
from quizzes.classes.item_analysis import describe_answer
from quizzes.practice import attempts as engine
from tests import factories
from tests.quizzes.helpers import post_data

T0 = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


def multi(weights, feedback=None):
    options = [{"key": f"k{i}", "text": t} for i, t in enumerate(["Yalu", "Tumen", "Han", "Amur"])]
    keys = [o["key"] for o in options]
    return Question(
        kind="multi", prompt="Which rivers?", body={"options": options[: len(weights)]},
        answer={"weights": dict(zip(keys, weights, strict=False)), "feedback": feedback or {}},
    )


def numerical(*answers):
    stored = [
        {"value": v, "tolerance": t, "weight": w, "feedback": f, "range": r}
        for v, t, w, f, r in answers
    ]
    return Question(kind="num", prompt="When?", body={}, answer={"answers": stored})


def credit(question, submitted):
    return grading.grade(question=question, submitted=submitted).credit


# --- grading: multiple answer ----------------------------------------------------------------


def test_multiple_answer_adds_the_ticked_weights_and_never_goes_below_zero():
    question = multi([50, 50, -100, 0])
    assert credit(question, {"keys": ["k0", "k1"]}) == 1.0
    assert credit(question, {"keys": ["k0"]}) == 0.5
    assert credit(question, {"keys": ["k0", "k1", "k3"]}) == 1.0  # a 0% option costs nothing
    assert credit(question, {"keys": ["k0", "k2"]}) == 0.0  # 50 - 100: no less than nothing
    assert credit(question, {"keys": ["k2"]}) == 0.0
    assert credit(question, {"keys": ["k0", "k1", "k2", "k3"]}) == 0.0  # ticking everything
    assert credit(question, {"keys": []}) == 0.0
    assert grading.grade(question=question, submitted={"keys": ["k0", "k1"]}).is_correct


def test_three_thirds_make_full_credit_and_a_partial_grade_says_so():
    question = multi([33.33333, 33.33333, 33.33333, -100], feedback={"k0": "Yes, the Yalu."})
    assert credit(question, {"keys": ["k0", "k1", "k2"]}) == 1.0
    partial = grading.grade(question=question, submitted={"keys": ["k0"]})
    assert partial.credit == pytest.approx(0.3333) and not partial.is_correct
    assert partial.message == "Partly right: 33% of the marks. Yes, the Yalu."
    assert partial.correct_display == "Yalu; Tumen; Han"


def test_multiple_answer_shapes_are_checked():
    def problems(weights):
        question = multi(weights)
        return shape_problems(kind="multi", body=question.body, answer=question.answer)

    assert problems([50, 50, -50]) == []
    assert problems([50, 30, 0]) == [
        "The positive weights add up to 80%; they must add up to 100%."
    ]
    assert problems([0, 0, -50]) == ["At least one option needs a positive weight."]
    assert problems([150, -50]) == ["Every weight must be a number from -100 to 100 (percent)."]
    wrong_keys = shape_problems(
        kind="multi", body=multi([50, 50]).body, answer={"weights": {"k0": 100}, "feedback": {}}
    )
    assert wrong_keys == ["“weights” must give every option's key a weight."]


# --- grading: numerical ----------------------------------------------------------------------


def test_numerical_tolerance_ranges_and_partial_credit_in_order():
    question = numerical(
        (1953, 0, 100, "Exactly.", False),
        (1953, 2, 50, "Close.", False),
        (1940.0, 5, 25, "", True),  # 1935..1945
    )
    assert credit(question, {"number": 1953}) == 1.0
    close = grading.grade(question=question, submitted={"number": 1951})
    assert (close.credit, close.message) == (0.5, "Close: 50% of the marks. Close.")
    assert credit(question, {"number": 1955}) == 0.5
    assert credit(question, {"number": 1956}) == 0.0
    assert credit(question, {"number": 1935}) == 0.25  # a range includes its ends
    assert credit(question, {"number": 1934.9}) == 0.0
    assert grading.grade(question=question, submitted={"number": 1953}).message == "Exactly."
    assert close.correct_display == "1953"


def test_the_first_answer_a_number_falls_within_counts_as_in_moodle():
    wide_first = numerical((1953, 5, 50, "", False), (1953, 0, 100, "", False))
    assert credit(wide_first, {"number": 1953}) == 0.5


def test_numbers_compare_despite_floating_point_and_any_other_number_has_feedback():
    question = numerical((0.3, 0, 100, "", False), (None, 0, 0, "Add them again.", False))
    assert credit(question, {"number": 0.1 + 0.2}) == 1.0
    # The floating-point slack (1e-9 of the value, at least 1e-9) is inclusive at its edge.
    exact = numerical((0, 0, 100, "", False))
    assert credit(exact, {"number": 1e-9}) == 1.0
    assert credit(exact, {"number": 2e-9}) == 0.0
    wrong = grading.grade(question=question, submitted={"number": 0.4})
    assert (wrong.credit, wrong.message) == (0.0, "Add them again.")
    ranged = numerical((3.1415, 0.0005, 100, "", True))
    assert ranged.answer["answers"][0]["range"]
    assert grading.grade(question=ranged, submitted={}).correct_display == "3.141 to 3.142"


def test_numerical_shapes_are_checked():
    def problems(*answers):
        question = numerical(*answers)
        return shape_problems(kind="num", body={}, answer=question.answer)

    assert problems((1953, 0, 100, "", False)) == []
    assert problems((1953, 0, 50, "", False)) == ["At least one answer must be worth 100%."]
    assert problems((1953, -1, 100, "", False)) == ["A tolerance cannot be negative."]
    assert problems((1953, 0, 100, "", False), (None, 0, 20, "", False)) == [
        "“Any other number” can only be worth nothing."
    ]
    assert shape_problems(kind="num", body={}, answer={"answers": [{"value": "x"}]})


# --- authoring forms -------------------------------------------------------------------------


def test_an_instructor_writes_a_multiple_answer_question_with_weights(client, instructor):
    client.force_login(instructor)
    form = {
        "prompt": "Which two rivers form the border?",
        "option_1": "Yalu", "weight_1": "50", "feedback_1": "Yes.",
        "option_2": "Tumen", "weight_2": "50",
        "option_3": "Han", "weight_3": "-100", "feedback_3": "The Han runs through Seoul.",
    }
    made = client.post("/classes/bank/new/multi/", form)
    assert made.status_code == 302
    question = Question.objects.get(author=instructor)
    assert sorted(question.answer["weights"].values()) == [-100, 50, 50]
    assert sorted(question.answer["feedback"].values()) == ["The Han runs through Seoul.", "Yes."]
    page = client.get(f"/classes/bank/{question.pk}/").content.decode()
    assert "Han (-100%)" in page and "The Han runs through Seoul." in page
    edit = client.get(f"/classes/bank/{question.pk}/edit/").content.decode()
    assert 'name="weight_3"' in edit and 'value="-100"' in edit

    short = client.post("/classes/bank/new/multi/", {**form, "weight_2": "30"})
    assert short.status_code == 400
    assert "The positive weights add up to 80%; they must add up to 100%." in short.content.decode()
    assert Question.objects.filter(author=instructor).count() == 1


def test_an_instructor_writes_a_numerical_question_with_a_range_and_a_near_miss(
    client, instructor
):
    client.force_login(instructor)
    form = {
        "prompt": "What is pi to three decimals?",
        "low_1": "3.141", "high_1": "3.142",
        "value_2": "3.14", "tolerance_2": "0.01", "weight_2": "50", "feedback_2": "Close.",
    }
    assert client.post("/classes/bank/new/num/", form).status_code == 302
    question = Question.objects.get(author=instructor)
    first, second = question.answer["answers"]
    assert first["range"] and first["weight"] == 100
    assert first["value"] == pytest.approx(3.1415) and first["tolerance"] == pytest.approx(0.0005)
    assert (second["value"], second["weight"], second["feedback"]) == (3.14, 50, "Close.")
    draft = authoring.draft_from_question(question=question)
    assert [n.description for n in draft.numbers] == ["3.141 to 3.142", "3.14 ± 0.01"]

    for bad, message in (
        ({"low_1": "", "high_1": ""}, "At least one answer must be worth 100%."),
        ({"low_1": "", "high_1": "", "value_2": ""}, "Give the right number, or a range."),
        ({"value_1": "3", "low_1": "3.141"}, "Give either a value or a range"),
        ({"low_1": "4", "high_1": "3"}, "Give either a value or a range"),
        ({"weight_2": "150"}, "less than or equal to 100"),
        ({"tolerance_2": "-1"}, "greater than or equal to 0"),
    ):
        refused = client.post("/classes/bank/new/num/", {**form, **bad})
        assert refused.status_code == 400 and message in refused.content.decode(), bad
    assert Question.objects.filter(author=instructor).count() == 1


def test_drafts_round_trip_through_the_stored_shape():
    draft = QuestionDraft(
        kind="num", prompt="When?",
        numbers=[NumericAnswer(1953.0), NumericAnswer(None, weight=0, feedback="No.")],
    )
    data = authoring.question_data(draft=draft)
    stored = Question(kind="num", prompt="When?", explanation="", **data)
    assert authoring.draft_from_question(question=stored) == draft


# --- a practice quiz with each ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["multi", "num"])
def test_a_practice_quiz_of_each_kind_is_answered_with_feedback(client, student, kind):
    factories.small_course()
    sync_question_bank()
    client.force_login(student)
    attempt = engine.start_practice(user=student, kinds=[kind], count=2, seed=8)
    assert attempt.question_count == 2
    for position, right in ((0, True), (1, False)):
        response = attempt.responses.select_related("question").get(position=position)
        page = client.get(f"/attempts/{attempt.pk}/").content.decode()
        assert escape(response.question.prompt) in page
        answered = client.post(
            f"/attempts/{attempt.pk}/answer/{position}/", post_data(attempt, response, right=right),
            HTTP_HX_REQUEST="true",
        )
        html = answered.content.decode()
        assert answered.status_code == 200
        assert ("Right" if right else "Not quite") in html
        if kind == "multi" and not right:
            assert "No: that was" in html, "the wrong option's feedback says whose it was"
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 1.0


@pytest.mark.django_db
def test_a_near_miss_earns_part_of_the_marks_and_says_why(client, student):
    factories.small_course()
    sync_question_bank()
    client.force_login(student)
    question = Question.objects.filter(kind="num").first()
    year = question.answer["answers"][0]["value"]
    attempt = engine.start_attempt(user=student, questions=[question], seed=2)
    answered = client.post(f"/attempts/{attempt.pk}/answer/0/", {"number": str(year + 1)})
    assert answered.status_code == 302
    feedback = client.get(f"/attempts/{attempt.pk}/?feedback=0").content.decode()
    assert "Partly right" in feedback and f"One year off: it was {year}." in feedback
    attempt.refresh_from_db()
    assert attempt.score == 0.5


# --- an assignment with each, and its item analysis ------------------------------------------


@pytest.mark.django_db
def test_an_assignment_with_both_kinds_is_scored_and_analysed():
    world = factories.class_world(students=3, questions_per_kind=1, kinds=("multi", "num"))
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], opens_at=T0, due_at=T0 + datetime.timedelta(days=1),
        question_kinds=["multi", "num"], question_count=2, lessons=[world["lesson"]],
    )
    answers = {  # per student: what they tick and type
        0: ({"k0", "k1"}, "1953"),  # all right
        1: ({"k0"}, "1954"),  # half and half
        2: ({"k0", "k2"}, "1960"),  # 50 - 50 = 0, and no number within reach
    }
    for index, student in enumerate(world["students"]):
        attempt = assignment_services.start_assignment_attempt(
            assignment=assignment, student=student, now=T0
        )
        ticks, number = answers[index]
        for response in attempt.responses.select_related("question"):
            if response.question.kind == "multi":
                data = {"choice": [
                    engine.option_token(attempt=attempt, response_id=response.pk, key=key)
                    for key in sorted(ticks)
                ]}
            else:
                data = {"number": number}
            engine.answer_question(attempt=attempt, position=response.position, data=data, now=T0)
    scores = sorted(
        engine.Attempt.objects.filter(assignment=assignment).values_list("score", flat=True)
    )
    assert scores == [0.0, 1.0, 2.0]

    results = result_services.assignment_results(assignment=assignment, now=T0)
    analysed = {q.kind: item for q, item in result_services.assignment_item_analysis(
        results=results
    )}
    assert analysed["multi"].right == 1 and analysed["num"].right == 1
    assert analysed["multi"].top_wrong_answer in {"Yalu", "Yalu; Han"}
    assert analysed["num"].top_wrong_answer in {"1954", "1960"}


def test_item_analysis_names_ticked_options_and_typed_numbers():
    body = {"options": [{"key": "a", "text": "Yalu"}, {"key": "b", "text": "Han"}]}
    assert describe_answer(kind="multi", body=body, answer={"keys": ["b", "a"]}) == "Yalu; Han"
    assert describe_answer(kind="multi", body=body, answer={"keys": []}) is None
    assert describe_answer(kind="num", body={}, answer={"number": 1954.0}) == "1954"
    assert describe_answer(kind="num", body={}, answer={"number": 3.25}) == "3.25"
    assert describe_answer(kind="num", body={}, answer="1954") is None
