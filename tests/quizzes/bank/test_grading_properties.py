"""Properties of grading that hold for any input, checked with Hypothesis."""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.bank.grading import edit_distance, grade, grade_typed, normalize_answer

WORDS = st.text(alphabet="abcdexyz", max_size=8)
# Two letters: repeats and swaps, where dynamic programming slips, come up often.
REPEATS = st.text(alphabet="ab", max_size=7)
ANY_TEXT = st.text(max_size=30)


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, written from its textbook recurrence as a full
    table (the production code keeps only three rows)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            substitution = 0 if a[i - 1] == b[j - 1] else 1
            table[i][j] = min(
                table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + substitution
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@settings(max_examples=200)
@given(WORDS, WORDS)
def test_edit_distance_agrees_with_the_reference(a, b):
    assert edit_distance(a, b) == reference_distance(a, b)


@given(REPEATS, REPEATS)
def test_edit_distance_agrees_with_the_reference_on_repetitive_words(a, b):
    assert edit_distance(a, b) == reference_distance(a, b)


@given(WORDS, WORDS)
def test_edit_distance_is_symmetric_and_bounded(a, b):
    distance = edit_distance(a, b)
    assert distance == edit_distance(b, a)
    assert abs(len(a) - len(b)) <= distance <= max(len(a), len(b))
    assert (distance == 0) == (a == b)


@given(WORDS)
def test_edit_distance_from_nothing_is_the_length(a):
    assert edit_distance("", a) == edit_distance(a, "") == len(a)


@given(ANY_TEXT)
def test_normalisation_is_idempotent(text):
    once = normalize_answer(text)
    assert normalize_answer(once) == once


@given(ANY_TEXT)
def test_normalised_text_is_lower_case_words_single_spaced(text):
    folded = normalize_answer(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)
    assert folded == folded.lower()


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=12))
def test_an_answer_is_always_accepted_exactly_in_any_case(word):
    assert grade_typed(typed=word.upper(), accepted=[word]) == (True, False)
    assert grade_typed(typed=f"  {word}. ", accepted=[word.title()]) == (True, False)


KEYS = ["o1", "o2", "o3", "o4"]


@given(st.permutations(KEYS), st.sampled_from(KEYS), st.sampled_from(KEYS))
def test_choice_grading_does_not_depend_on_the_order_of_the_options(order, right, chosen):
    texts = {"o1": "Beijing", "o2": "Pyongyang", "o3": "Dandong", "o4": "Sinuiju"}

    def question(keys):
        options = [{"key": k, "text": texts[k]} for k in keys]
        return SimpleNamespace(kind="mcq", body={"options": options}, answer={"key": right})

    as_stored = grade(question=question(KEYS), submitted={"key": chosen})
    shuffled = grade(question=question(order), submitted={"key": chosen})
    assert shuffled == as_stored
    assert as_stored.is_correct == (chosen == right)


@given(st.permutations(KEYS), st.permutations(KEYS))
def test_matching_grading_does_not_depend_on_the_order_of_either_column(left_order, right_order):
    right_keys = {k: f"r{k}" for k in KEYS}

    def question(lefts, rights):
        return SimpleNamespace(
            kind="match",
            body={"left": [{"key": k, "text": k} for k in lefts],
                  "right": [{"key": right_keys[k], "text": k.upper()} for k in rights]},
            answer={"pairs": {k: right_keys[k] for k in KEYS}},
        )

    submitted = {"pairs": {"o1": "ro1", "o2": "ro3", "o3": "ro2", "o4": "ro4"}}
    as_stored = grade(question=question(KEYS, KEYS), submitted=submitted)
    shuffled = grade(question=question(left_order, right_order), submitted=submitted)
    assert (shuffled.credit, shuffled.is_correct, shuffled.message) == (
        as_stored.credit, as_stored.is_correct, as_stored.message,
    ) == (0.5, False, "2 of 4 matched correctly.")
