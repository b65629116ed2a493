"""Grading is forgiving the way a teacher is, and no more."""

from types import SimpleNamespace

import pytest

from quizzes.bank.grading import edit_distance, grade, normalize_answer


def cloze(text, *alternatives):
    return SimpleNamespace(
        kind="cloze", body={}, answer={"text": text, "alternatives": list(alternatives)}
    )


def typed(question, answer):
    return grade(question=question, submitted={"text": answer})


@pytest.mark.parametrize(
    ("accepted", "answer"),
    [
        ("Yalu River", "the Yalu river"),
        ("Yalu River", "  YALU   RIVER "),
        ("Yalu River", "Yalu River."),
        ("six-party talks", "Six party talks"),
        ("Dandong–Sinuiju corridor", "dandong sinuiju corridor"),
        ("P'yŏngyang", "Pyongyang"),
        ("Pyongyang", "Pyŏngyang"),
        ("Chen Jian", "chen  jian!"),
        ("People's Republic of China", "peoples republic of china"),
        ("Pyongyang", "Pyong yang"),
    ],
)
def test_case_spacing_punctuation_diacritics_and_a_leading_the_are_forgiven(accepted, answer):
    result = typed(cloze(accepted), answer)
    assert result.is_correct and result.credit == 1
    assert not result.close_match and result.message == ""


def test_listed_alternatives_are_accepted():
    question = cloze("Yalu River", "Yalu", "Amnok River")
    assert typed(question, "Amnok river").is_correct
    assert typed(question, "yalu").is_correct


def test_a_one_letter_slip_in_a_long_word_is_accepted_with_a_note():
    result = typed(cloze("Pyongyang"), "Pyongyan")
    assert result.is_correct and result.close_match
    assert "close spelling" in result.message and "Pyongyang" in result.message


@pytest.mark.parametrize("slip", ["Pyonygang", "Pyongyangg", "Pyongyabg", "Dandogn", "Tuman"])
def test_swaps_insertions_and_substitutions_count_as_one_slip(slip):
    accepted = {"Dan": "Dandong", "Tum": "Tumen"}.get(slip[:3], "Pyongyang")
    result = typed(cloze(accepted), slip)
    assert result.is_correct and result.close_match


@pytest.mark.parametrize(
    ("accepted", "answer", "why"),
    [
        ("Kim Il Sung", "Kim Il Sun", "a slip in a short word"),
        ("Chen Jian", "Chen Jain", "a swap in a four-letter word"),
        ("Hazel Smith", "Samuel S. Kim", "another panelist's name"),
        ("Kim Il Sung", "Kim Jong Il", "a different leader"),
        ("Kim Il Sung", "Kim Jung Il", "the source's own error"),
        ("1953", "1954", "a different year"),
        ("Yalu River", "", "empty"),
        ("Yalu River", "   ", "only spaces"),
        ("Yalu River", "the", "only an article"),
        ("Pyongyang", "Pyngyng", "two slips"),
        ("Yalu River", "Yalu Rivers Delta", "extra words"),
        ("sanctions", "sanction enforcement", "a different phrase"),
    ],
)
def test_wrong_answers_are_refused(accepted, answer, why):
    result = typed(cloze(accepted), answer)
    assert not result.is_correct, why
    assert result.credit == 0 and not result.close_match


def test_the_right_answer_is_shown_with_the_grade():
    assert typed(cloze("Yalu River"), "Tumen").correct_display == "Yalu River"


def choice(kind="mcq"):
    options = [{"key": "a", "text": "Beijing"}, {"key": "b", "text": "Seoul"}]
    return SimpleNamespace(kind=kind, body={"options": options}, answer={"key": "b"})


@pytest.mark.parametrize("kind", ["mcq", "tf", "who", "side"])
def test_one_answer_kinds_are_all_or_nothing(kind):
    assert grade(question=choice(kind), submitted={"key": "b"}).credit == 1
    wrong = grade(question=choice(kind), submitted={"key": "a"})
    assert wrong.credit == 0 and not wrong.is_correct and wrong.correct_display == "Seoul"
    assert not grade(question=choice(kind), submitted={}).is_correct


def matching():
    side = [{"key": k, "text": k.upper()} for k in "abcd"]
    return SimpleNamespace(
        kind="match",
        body={"left": side, "right": side},
        answer={"pairs": {k: k for k in "abcd"}},
    )


def test_matching_gives_partial_credit_and_is_correct_only_when_all_right():
    question = matching()
    assert grade(question=question, submitted={"pairs": {k: k for k in "abcd"}}).is_correct
    partly = grade(question=question, submitted={"pairs": {"a": "a", "b": "b", "c": "d", "d": "c"}})
    assert partly.credit == 0.5 and not partly.is_correct
    assert "2 of 4" in partly.message
    assert grade(question=question, submitted={}).credit == 0


def test_ordering_gives_partial_credit_by_place():
    question = SimpleNamespace(
        kind="order",
        body={"items": [{"key": k, "text": k} for k in "abcd"]},
        answer={"order": list("abcd")},
    )
    assert grade(question=question, submitted={"order": list("abcd")}).is_correct
    swapped = grade(question=question, submitted={"order": list("abdc")})
    assert swapped.credit == 0.5 and not swapped.is_correct
    assert swapped.correct_display.startswith("1. a")


def test_normalize_answer_folds_what_a_teacher_would():
    assert normalize_answer("  The Yalu–River! ") == "yalu river"
    assert normalize_answer("The") == "the"  # a lone "the" is kept, not emptied
    assert normalize_answer("Ŏ é ü") == "o e u"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("pyongyang", "pyongyang", 0),
        ("pyongyan", "pyongyang", 1),
        ("abcd", "abdc", 1),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance
