"""What the feedback says, exactly, for each kind and outcome: the credit, the verdict, the
note under it and the right answer shown."""

from types import SimpleNamespace

import pytest

from quizzes.bank import grading
from quizzes.bank.grading import (
    Grade,
    accepted_answers,
    correct_display,
    edit_distance,
    grade,
    grade_typed,
    normalize_answer,
)


def matching_question():
    left = [{"key": "l1", "text": "Chinese People's Volunteers"},
            {"key": "l2", "text": "Treaty of Friendship"},
            {"key": "l3", "text": "Six-Party Talks"}]
    right = [{"key": "r1", "text": "1950"}, {"key": "r2", "text": "1961"},
             {"key": "r3", "text": "2003"}]
    return SimpleNamespace(
        kind="match", body={"left": left, "right": right},
        answer={"pairs": {"l1": "r1", "l2": "r2", "l3": "r3"}},
    )


MATCHING_DISPLAY = (
    "Chinese People's Volunteers → 1950; Treaty of Friendship → 1961; Six-Party Talks → 2003"
)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({"l1": "r1", "l2": "r2", "l3": "r3"}, Grade(1.0, True, False, MATCHING_DISPLAY, "")),
        (
            {"l1": "r1", "l2": "r3", "l3": "r2"},
            Grade(1 / 3, False, False, MATCHING_DISPLAY, "1 of 3 matched correctly."),
        ),
        (
            {"l1": "r1", "l2": "r2", "l3": "r1"},
            Grade(2 / 3, False, False, MATCHING_DISPLAY, "2 of 3 matched correctly."),
        ),
        ({"l1": "r2", "l2": "r3", "l3": "r1"}, Grade(0.0, False, False, MATCHING_DISPLAY, "")),
        ({}, Grade(0.0, False, False, MATCHING_DISPLAY, "")),
    ],
    ids=["all right", "one right", "two right", "none right", "nothing posted"],
)
def test_matching_feedback(pairs, expected):
    assert grade(question=matching_question(), submitted={"pairs": pairs}) == expected


def ordering_question():
    items = [{"key": "k1", "text": "Korean War armistice"},
             {"key": "k2", "text": "Treaty of Friendship"},
             {"key": "k3", "text": "First nuclear test"},
             {"key": "k4", "text": "Xi visits Pyongyang"}]
    return SimpleNamespace(kind="order", body={"items": items},
                           answer={"order": ["k1", "k2", "k3", "k4"]})


ORDERING_DISPLAY = (
    "1. Korean War armistice; 2. Treaty of Friendship; 3. First nuclear test; "
    "4. Xi visits Pyongyang"
)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["k1", "k2", "k3", "k4"], Grade(1.0, True, False, ORDERING_DISPLAY, "")),
        (
            ["k1", "k2", "k4", "k3"],
            Grade(0.5, False, False, ORDERING_DISPLAY, "2 of 4 in the right place."),
        ),
        (
            ["k1", "k3", "k4", "k2"],
            Grade(0.25, False, False, ORDERING_DISPLAY, "1 of 4 in the right place."),
        ),
        (["k4", "k3", "k2", "k1"], Grade(0.0, False, False, ORDERING_DISPLAY, "")),
        (["k1", "k2", "k3"], Grade(0.75, False, False, ORDERING_DISPLAY,
                                   "3 of 4 in the right place.")),
        ([], Grade(0.0, False, False, ORDERING_DISPLAY, "")),
    ],
    ids=["all right", "two right", "one right", "none right", "one missing", "nothing posted"],
)
def test_ordering_feedback(order, expected):
    assert grade(question=ordering_question(), submitted={"order": order}) == expected


def choice_question(kind):
    options = [{"key": "o1", "text": "Beijing"}, {"key": "o2", "text": "Pyongyang"},
               {"key": "o3", "text": "Dandong"}]
    return SimpleNamespace(kind=kind, body={"options": options}, answer={"key": "o2"})


@pytest.mark.parametrize("kind", ["mcq", "tf", "who", "side"])
@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        ({"key": "o2"}, Grade(1.0, True, False, "Pyongyang", "")),
        ({"key": "o1"}, Grade(0.0, False, False, "Pyongyang", "")),
        ({"key": "o9"}, Grade(0.0, False, False, "Pyongyang", "")),
        ({}, Grade(0.0, False, False, "Pyongyang", "")),
    ],
    ids=["right", "wrong", "unknown option", "nothing posted"],
)
def test_choice_feedback(kind, submitted, expected):
    assert grade(question=choice_question(kind), submitted=submitted) == expected


def cloze_question(text, *alternatives):
    return SimpleNamespace(kind="cloze", body={},
                           answer={"text": text, "alternatives": list(alternatives)})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Pyongyang", Grade(1.0, True, False, "Pyongyang", "")),
        (
            "Pyongyan",
            Grade(1.0, True, True, "Pyongyang",
                  "Accepted as a close spelling of “Pyongyang”; check the spelling."),
        ),
        ("Beijing", Grade(0.0, False, False, "Pyongyang", "")),
        ("", Grade(0.0, False, False, "Pyongyang", "")),
    ],
    ids=["right", "close", "wrong", "empty"],
)
def test_typed_feedback(typed, expected):
    assert grade(question=cloze_question("Pyongyang"), submitted={"text": typed}) == expected


@pytest.mark.parametrize(
    ("question", "submitted"),
    [
        (matching_question(), {"pairs": {"l1": "r1", "l2": "r3", "l3": "r2"}}),
        (ordering_question(), {"order": ["k1", "k2", "k4", "k3"]}),
        (choice_question("mcq"), {"key": "o1"}),
        (choice_question("tf"), {"key": "o2"}),
    ],
    ids=["matching", "ordering", "mcq", "tf"],
)
def test_only_typed_answers_are_ever_a_close_match(question, submitted):
    assert grade(question=question, submitted=submitted).close_match is False


def test_correct_display_is_the_same_as_the_grade_shows():
    for question in (matching_question(), ordering_question(), choice_question("who"),
                     cloze_question("Yalu River")):
        shown = grade(question=question, submitted={}).correct_display
        assert correct_display(question=question) == shown != ""


def test_the_choice_kinds_are_the_one_right_option_kinds():
    assert {"mcq", "tf", "who", "side"} == grading.CHOICE_KINDS
    with pytest.raises(AttributeError, match="^module 'quizzes.bank.grading' has no attribute "
                                             "'CHOICES'$"):
        grading.CHOICES  # noqa: B018


def test_correct_display_of_an_unknown_kind_is_empty():
    # "essay" was unknown when this test was written; it is the written answer's code now.
    assert correct_display(question=SimpleNamespace(kind="gone", body={}, answer={})) == ""


# --- typed answers: the cases a mutant of the edit distance or the folding would get wrong --

@pytest.mark.parametrize(
    ("accepted", "typed", "verdict"),
    [
        ("Pyongyang", "xxPyongyang", (False, False)),  # two letters longer
        ("Pyongyang", "Pyongyangxx", (False, False)),
        ("Pyongyang", "xPyongyang", (True, True)),  # one letter longer
        ("Pyongyang", "yPongyang", (True, True)),  # first two letters swapped
        ("Pyongyang", "Pyongyanh", (True, True)),  # last letter wrong
        ("Pyongyang", "Qyongyang", (True, True)),  # first letter wrong
        ("Pyongyang", "yongyang", (True, True)),  # first letter missing
        ("Pyongyang", "ypnogyang", (False, False)),  # two swaps
        ("Pyongyang", "Pyongyang Pyongyang", (False, False)),
        ("Yalu River", "the Yalu", (False, False)),
        ("the Yalu", "Yalu", (True, False)),
        ("the Yalu", "the Yalu", (True, False)),
        ("Kim Il-sung's", "kim ilsungs", (True, False)),  # spaces squeezed out still match
        ("Kim Il-sung's", "Kim Il sungs", (True, False)),
        ("People’s Daily", "Peoples Daily", (True, False)),
        ("People's Daily", "Peoplez Daily", (True, True)),
        ("Dandong Sinuiju", "DandongSinuiju", (True, False)),  # a missing space
        ("DandongSinuiju", "Dandong Sinuiju", (True, False)),
        ("Dandong Sinuiju", "Dandong Sinuijo", (True, True)),
        ("Dandong Sinuiju", "Dandongg Sinuijo", (False, False)),  # a slip in each word
        ("Tumen", "Tumne", (True, True)),  # five letters: long enough
        ("Yalu", "Yalo", (False, False)),  # four letters: too short to forgive
        ("1950s", "1960s", (False, False)),  # not alphabetic
        ("Pyongyang", "   ", (False, False)),
    ],
)
def test_typed_answer_verdicts(accepted, typed, verdict):
    assert grade_typed(typed=typed, accepted=[accepted]) == verdict


def test_an_empty_accepted_spelling_matches_nothing():
    assert grade_typed(typed="the", accepted=["", "   "]) == (False, False)
    assert grade_typed(typed="Yalu", accepted=["", "Yalu"]) == (True, False)


def test_accepted_answers_are_the_answer_then_its_alternatives_without_blanks():
    assert accepted_answers({"text": "Yalu River", "alternatives": ["Yalu", " ", ""]}) == [
        "Yalu River", "Yalu",
    ]
    assert accepted_answers({"text": "   ", "alternatives": ["Amnok"]}) == ["Amnok"]
    assert accepted_answers({"text": "Tumen"}) == ["Tumen"]
    assert accepted_answers({}) == []


def test_a_typed_question_with_no_alternatives_is_graded():
    question = SimpleNamespace(kind="cloze", body={}, answer={"text": "Tumen"})
    assert grade(question=question, submitted={"text": "tumen"}).is_correct


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("aaa", "a", 2),  # a swap is only of two neighbours inside the words
        ("ssinuiju", "s", 7),
        ("xxpyongyang", "pyongyang", 2),
        ("ypongyang", "pyongyang", 1),
        ("pyongyang", "", 9),
        ("", "", 0),
    ],
)
def test_edit_distance_cases(a, b, distance):
    assert edit_distance(a, b) == edit_distance(b, a) == distance


def test_alternatives_count_without_a_main_answer():
    question = SimpleNamespace(kind="cloze", body={}, answer={"alternatives": ["Amnok"]})
    assert grade(question=question, submitted={"text": "amnok"}).is_correct
    assert not grade(question=question, submitted={"text": "XXXX"}).is_correct


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("", ""),
        (None, ""),
        ("the Yalu", "yalu"),
        ("The", "the"),
        ("the the", "the"),
        ("Kim Il-sung's", "kim il sungs"),
        ("People’s Daily", "peoples daily"),
        ("`Juche´", "juche"),
        ("Ŏ-Yalu", "o yalu"),
        ("ＰＹＯＮＧＹＡＮＧ", "pyongyang"),  # full-width letters fold to plain ones
        ("Straße", "strasse"),
    ],
)
def test_normalize_answer(text, folded):
    assert normalize_answer(text) == folded
