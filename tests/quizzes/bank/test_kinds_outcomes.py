"""What each kind says, word for word: why a stored question or a draft is refused, why a
posted answer cannot be read, and the feedback's lines (yours against the right one).

These are the sentences an instructor or a learner reads; each kind owns its own
(quizzes/bank/kinds/)."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict

from quizzes.bank.drafts import MAX_TEXT, NumericAnswer, QuestionDraft
from quizzes.bank.kinds import kind_for
from quizzes.bank.kinds.base import OverlongAnswer, UnreadableAnswer, posted_value

# --- a stored question of the wrong shape ---------------------------------------------------

OPTIONS = [{"key": "a", "text": "Yalu"}, {"key": "b", "text": "Tumen"}]
LEFT = [{"key": "l1", "text": "Dandong"}, {"key": "l2", "text": "Sinuiju"}]
RIGHT = [{"key": "r1", "text": "China"}, {"key": "r2", "text": "North Korea"}]
ITEMS = [{"key": "i1", "text": "Armistice"}, {"key": "i2", "text": "Treaty"}]

SHAPES = [
    # kind, body, answer, the problems in order
    ("mcq", {"options": OPTIONS}, {"key": "a"}, []),
    ("mcq", {"options": OPTIONS}, {"key": "a", "feedback": {"b": "No."}}, []),
    ("mcq", {}, {"key": "a"}, ["“options” needs a list of at least 2 entries."]),
    ("mcq", {"options": OPTIONS[:1]}, {"key": "a"},
     ["“options” needs a list of at least 2 entries."]),
    ("mcq", {"options": "Yalu, Tumen"}, {"key": "a"},
     ["“options” needs a list of at least 2 entries."]),
    ("mcq", {"options": [OPTIONS[0], {"key": "b", "text": "  "}]}, {"key": "a"},
     ["Every entry of “options” needs a key and a text."]),
    ("mcq", {"options": [OPTIONS[0], {"text": "Tumen"}]}, {"key": "a"},
     ["Every entry of “options” needs a key and a text."]),
    ("mcq", {"options": [OPTIONS[0], {"key": "b"}]}, {"key": "a"},
     ["Every entry of “options” needs a key and a text."]),
    ("mcq", {"options": [OPTIONS[0], "Tumen"]}, {"key": "a"},
     ["Every entry of “options” needs a key and a text."]),
    ("mcq", {"options": [OPTIONS[0], {"key": "a", "text": "Tumen"}]}, {"key": "a"},
     ["The keys in “options” must differ."]),
    ("tf", {"options": OPTIONS}, {"key": "c"},
     ["The answer key must be one of the options' keys."]),
    ("who", {"options": OPTIONS}, {"key": "a", "feedback": {"c": "?"}},
     ["“feedback” must be texts by option key."]),
    ("side", {"options": OPTIONS}, {"key": "a", "feedback": ["No."]},
     ["“feedback” must be texts by option key."]),
    ("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1", "l2": "r2"}}, []),
    ("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1", "l2": "r1"}}, []),
    ("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1"}},
     ["The pairs must match every left key to one right key."]),
    ("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1", "l2": "r3"}},
     ["The pairs must match every left key to one right key."]),
    ("match", {"left": LEFT, "right": RIGHT}, {"pairs": [["l1", "r1"], ["l2", "r2"]]},
     ["The pairs must match every left key to one right key."]),
    ("match", {"left": LEFT}, {"pairs": {}}, ["“right” needs a list of at least 2 entries."]),
    ("match", {"left": LEFT[:1], "right": RIGHT}, {"pairs": {"l1": "r1"}},
     ["“left” needs a list of at least 2 entries."]),
    ("order", {"items": ITEMS[:1]}, {"order": ["i1"]},
     ["“items” needs a list of at least 2 entries."]),
    ("order", {"items": ITEMS}, {"order": ["i2", "i1"]}, []),
    ("order", {"items": ITEMS}, {"order": ["i1"]},
     ["The order must list every item key once, earliest first."]),
    ("order", {"items": ITEMS}, {"order": ["i1", "i1"]},
     ["The order must list every item key once, earliest first."]),
    ("order", {"items": ITEMS}, {"order": "i1 i2"},
     ["The order must list every item key once, earliest first."]),
    ("cloze", {}, {"text": "Pyongyang", "alternatives": ["P'yŏngyang"]}, []),
    ("cloze", {}, {"text": "  "}, ["A fill-in-the-blank answer needs its “text”."]),
    ("cloze", {}, {"alternatives": ["Pyongyang"]},
     ["A fill-in-the-blank answer needs its “text”."]),
    ("cloze", {}, {"text": "Pyongyang", "alternatives": "P'yŏngyang"},
     ["“alternatives” must be a list of texts."]),
    ("cloze", {}, {"text": "Pyongyang", "alternatives": [3]},
     ["“alternatives” must be a list of texts."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 50, "b": 50}}, []),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": -100}, "feedback": {"b": "No"}},
     []),
    ("multi", {"options": OPTIONS[:1]}, {"weights": {"a": 100}},
     ["“options” needs a list of at least 2 entries."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 0.5, "b": 99.5}}, []),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 100}},
     ["“weights” must give every option's key a weight."]),
    ("multi", {"options": OPTIONS}, {"weights": [100, 0]},
     ["“weights” must give every option's key a weight."]),
    ("multi", {"options": OPTIONS},
     {"weights": {"a": 100, "b": 0}, "feedback": {"a": "Yes.", "b": "No."}}, []),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": 0}, "feedback": {"z": "?"}},
     ["“feedback” must be texts by option key."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 0, "b": -50}},
     ["At least one option needs a positive weight."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 50, "b": 40}},
     ["The positive weights add up to 90%; they must add up to 100%."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": 101, "b": 0}},
     ["Every weight must be a number from -100 to 100 (percent)."]),
    ("multi", {"options": OPTIONS}, {"weights": {"a": "100", "b": 0}},
     ["Every weight must be a number from -100 to 100 (percent)."]),
    ("num", {}, {"answers": [{"value": 1953, "tolerance": 0, "weight": 100}]}, []),
    ("num", {}, {"answers": {"value": 1953}},
     ["“answers” must be a list of {value, tolerance, weight}."]),
    ("num", {}, {"answers": [1953]}, ["“answers” must be a list of {value, tolerance, weight}."]),
    ("num", {}, {"answers": [{"value": "about 1953", "weight": 100}]},
     ["Every answer's value, tolerance and weight must be numbers."]),
    ("num", {}, {"answers": [{"value": 1953, "tolerance": 0, "weight": 50}]},
     ["At least one answer must be worth 100%."]),
]


@pytest.mark.parametrize(("kind", "body", "answer", "problems"), SHAPES)
def test_a_stored_question_of_the_wrong_shape_is_refused_in_words(kind, body, answer, problems):
    assert kind_for(kind).shape_problems(body=body, answer=answer) == problems


# --- a draft an instructor wrote ------------------------------------------------------------


def draft(kind, **fields):
    return QuestionDraft(kind=kind, prompt="Which?", **fields)


LONG = "x" * (MAX_TEXT + 1)
PAIRS = [("Dandong", "China"), ("Sinuiju", "North Korea"), ("Panmunjom", "The border")]

DRAFTS = [
    (draft("mcq", options=["Yalu", "Tumen"], correct=0), []),
    (draft("mcq", options=["Yalu", "Tumen"], correct=1), []),
    (draft("mcq", options=["Yalu"] + [f"River {n}" for n in range(7)], correct=7), []),
    (draft("mcq", options=["Yalu"], correct=0),
     ["A multiple-choice question needs 2 to 8 options."]),
    (draft("mcq", options=[f"River {n}" for n in range(9)], correct=0),
     ["A multiple-choice question needs 2 to 8 options."]),
    (draft("mcq", options=["Yalu", "Tumen"], correct=None),
     ["Mark exactly one option as the right answer."]),
    (draft("mcq", options=["Yalu", "Tumen"], correct=2),
     ["Mark exactly one option as the right answer."]),
    (draft("mcq", options=["Yalu", "Tumen"], correct=-1),
     ["Mark exactly one option as the right answer."]),
    (draft("who", options=["Yalu", " "], correct=0), ["An answer or option is empty."]),
    (draft("who", options=["Yalu", LONG], correct=0),
     [f"An answer or option is longer than {MAX_TEXT} characters."]),
    (draft("who", options=["Yalu", "x" * MAX_TEXT], correct=0), []),
    (draft("side", options=["Yalu", " yalu "], correct=0), ["Two options are the same."]),
    (draft("tf", truth=True), []),
    (draft("tf", truth=False), []),
    (draft("tf"), ["Say whether the statement is true or false."]),
    (draft("match", pairs=PAIRS), []),
    (draft("match", pairs=PAIRS, distractors=["Russia", "Japan", "Mongolia"]), []),
    (draft("match", pairs=PAIRS[:2]), ["A matching question needs 3 to 8 pairs."]),
    (draft("match", pairs=PAIRS * 3), [
        "A matching question needs 3 to 8 pairs.",
        "Each item on the left must be different.",
        "Each match on the right must be different.",
    ]),
    (draft("match", pairs=[*PAIRS[:2], ("dandong", "Seoul")]),
     ["Each item on the left must be different."]),
    (draft("match", pairs=PAIRS, distractors=["china"]),
     ["Each match on the right must be different."]),
    (draft("match", pairs=PAIRS, distractors=["Russia", "Japan", "Mongolia", "Laos"]),
     ["At most 3 extra wrong matches."]),
    (draft("match", pairs=[*PAIRS[:2], ("Kaesong", " ")]), ["An answer or option is empty."]),
    (draft("match", pairs=PAIRS, distractors=[LONG]),
     [f"An answer or option is longer than {MAX_TEXT} characters."]),
    (draft("order", items=["War", "Armistice", "Talks"]), []),
    (draft("order", items=["War", "Armistice"]), ["An ordering question needs 3 to 8 items."]),
    (draft("order", items=[f"Event {n}" for n in range(9)]),
     ["An ordering question needs 3 to 8 items."]),
    (draft("order", items=["War", "Armistice", "war"]), ["Two options are the same."]),
    (draft("cloze", answers=["Pyongyang"]), []),
    (draft("cloze", answers=[]), ["Give the answer."]),
    (draft("cloze", answers=[" ", "Pyongyang"]),
     ["Give the answer.", "An answer or option is empty."]),
    (draft("cloze", answers=["Pyongyang", LONG]),
     [f"An answer or option is longer than {MAX_TEXT} characters."]),
    (draft("multi", options=["Yalu", "Tumen", "Han"], weights=[50, 50, -100]), []),
    (draft("multi", options=["Yalu"], weights=[100]),
     ["A multiple-answer question needs 2 to 8 options."]),
    (draft("multi", options=["Yalu", "Tumen"], weights=[100]), ["Give every option a weight."]),
    (draft("multi", options=["Yalu", "Tumen"], weights=[33.33333, 66.66667]), []),
    (draft("multi", options=["Yalu", "Tumen"], weights=[33.3, 66.6]),
     ["The positive weights add up to 99.9%; they must add up to 100%."]),
    (draft("multi", options=["Yalu", "Tumen"], weights=[100, -101]),
     ["Every weight must be a number from -100 to 100 (percent)."]),
    (draft("multi", options=["Yalu", "yalu"], weights=[100, 0]), ["Two options are the same."]),
    (draft("num", numbers=[NumericAnswer(1953.0)]), []),
    (draft("num", numbers=[NumericAnswer(1953.0), NumericAnswer(None, weight=0)]), []),
    (draft("num", numbers=[]), [
        "A numerical question needs 1 to 6 answers.", "At least one answer must be worth 100%."
    ]),
    (draft("num", numbers=[NumericAnswer(1953.0 + n) for n in range(6)]), []),
    (draft("num", numbers=[NumericAnswer(1953.0 + n) for n in range(7)]),
     ["A numerical question needs 1 to 6 answers."]),
    (draft("num", numbers=[NumericAnswer(float("inf"))]), ["Every answer must be a number."]),
    (draft("num", numbers=[NumericAnswer(1953.0, tolerance=-1)]),
     ["A tolerance cannot be negative."]),
    (draft("num", numbers=[NumericAnswer(1953.0, tolerance=float("nan"))]),
     ["A tolerance cannot be negative."]),
    (draft("num", numbers=[NumericAnswer(1953.0), NumericAnswer(1950.0, weight=101)]),
     ["Every answer's weight must be from 0 to 100 (percent)."]),
    (draft("num", numbers=[NumericAnswer(1953.0), NumericAnswer(1950.0, weight=-1)]),
     ["Every answer's weight must be from 0 to 100 (percent)."]),
    (draft("num", numbers=[NumericAnswer(1953.0), NumericAnswer(None, weight=10)]),
     ["“Any other number” can only be worth nothing."]),
    (draft("num", numbers=[NumericAnswer(None, weight=100)]),
     ["“Any other number” can only be worth nothing.", "At least one answer must be worth 100%."]),
    (draft("num", numbers=[NumericAnswer(1953.0, tolerance=-1), NumericAnswer(1.0, tolerance=-2)]),
     ["A tolerance cannot be negative."]),  # once, however many answers have it
]


@pytest.mark.parametrize(("written", "problems"), DRAFTS)
def test_what_is_wrong_with_a_draft_is_said_once_in_words(written, problems):
    assert kind_for(written.kind).draft_problems(written) == problems


# --- what a page posts ----------------------------------------------------------------------


class Tokens:
    """The attempt engine's tokens as plain prefixes: "t:" and the key."""

    def token(self, key):
        return f"t:{key}"

    def key_for(self, value, keys):
        return next((key for key in keys if self.token(key) == value), None)


TOKENS = Tokens()


def question(kind, body=None, answer=None):
    return SimpleNamespace(kind=kind, body=body or {}, answer=answer or {})


MATCH = question("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1", "l2": "r2"}})
ORDER = question("order", {"items": [*ITEMS, {"key": "i3", "text": "Talks"}]},
                 {"order": ["i1", "i2", "i3"]})
CHOICE = question("mcq", {"options": OPTIONS}, {"key": "a"})
MULTI = question("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": -100}})
CLOZE = question("cloze", {}, {"text": "Pyongyang", "alternatives": []})
NUMBER = question("num", {}, {"answers": [{"value": 1953, "tolerance": 0, "weight": 100}]})


def ranks(*places):
    return {f"rank-t:item:i{n}": str(place) for n, place in enumerate(places, 1) if place}


READ = [
    (CHOICE, {"choice": "t:b"}, {"key": "b"}),
    (MATCH, {"match-t:left:l1": "t:right:r2", "match-t:left:l2": "t:right:r2"},
     {"pairs": {"l1": "r2", "l2": "r2"}}),
    (ORDER, ranks(3, 1, 2), {"order": ["i2", "i3", "i1"]}),
    (ORDER, ranks("03", "1", "2"), {"order": ["i2", "i3", "i1"]}),
    (MULTI, {"choice": ["t:b", "t:a"]}, {"keys": ["a", "b"]}),  # in the options' order
    (MULTI, {"choice": ["t:b", "t:b"]}, {"keys": ["b"]}),
    (MULTI, QueryDict("choice=t:b&choice=t:a"), {"keys": ["a", "b"]}),
    (MULTI, {"choice": "t:b"}, {"keys": ["b"]}),
    (CLOZE, {"text": "  Pyongyang "}, {"text": "Pyongyang"}),
    (CLOZE, {"text": "x" * 200}, {"text": "x" * 200}),
    (NUMBER, {"number": " 1 953,5 "}, {"number": 1953.5}),
    (NUMBER, {"number": "\u22121.5"}, {"number": -1.5}),
    (NUMBER, {"number": "1\u202f953"}, {"number": 1953.0}),  # a narrow space between thousands
    (NUMBER, {"number": "1" * 40}, {"number": float("1" * 40)}),
]


@pytest.mark.parametrize(("shown", "data", "answer"), READ)
def test_a_posted_answer_is_read_as_the_canonical_answer(shown, data, answer):
    kind = kind_for(shown.kind)
    assert kind.read_answer(question=shown, data=data, tokens=TOKENS) == answer


REFUSED = [
    (CHOICE, {}, "Choose one of the options."),
    (CHOICE, {"choice": "t:c"}, "That is not one of the options for this question."),
    (CHOICE, {"choice": "a"}, "That is not one of the options for this question."),
    (MATCH, {"match-t:left:l1": "t:right:r1"}, "Choose a match for every item."),
    (MATCH, {"match-t:left:l1": "t:right:r1", "match-t:left:l2": "t:left:l1"},
     "One of the matches is not among the choices."),
    (ORDER, ranks(1, 2), "Give every event a position."),
    (ORDER, ranks(1, 2, 4), "Positions go from 1 to 3."),
    (ORDER, {**ranks(1, 2), "rank-t:item:i3": "0"}, "Positions go from 1 to 3."),
    (ORDER, {**ranks(1, 2), "rank-t:item:i3": "-1"}, "Positions go from 1 to 3."),
    (ORDER, {**ranks(1, 2), "rank-t:item:i3": "two"}, "Positions go from 1 to 3."),
    (ORDER, ranks(1, 1, 2), "Give each event a different position."),
    (MULTI, {}, "Tick at least one option."),
    (MULTI, {"choice": []}, "Tick at least one option."),
    (MULTI, {"choice": ["t:a", "t:b", "t:a"]}, "That is not a set of this question's options."),
    (MULTI, {"choice": [3]}, "That is not a set of this question's options."),
    (MULTI, {"choice": ["t:a", "t:z"]}, "That is not one of the options for this question."),
    (CLOZE, {}, "Type an answer."),
    (CLOZE, {"text": "   "}, "Type an answer."),
    (NUMBER, {}, "Type a number."),
    (NUMBER, {"number": "about 1953"}, "Type a number, such as 1953 or 3.14."),
    (NUMBER, {"number": "inf"}, "Type a number, such as 1953 or 3.14."),
    (NUMBER, {"number": "1,953.5,1"}, "Type a number, such as 1953 or 3.14."),
]


@pytest.mark.parametrize(("shown", "data", "message"), REFUSED)
def test_an_answer_that_cannot_be_read_is_refused_in_words(shown, data, message):
    with pytest.raises(UnreadableAnswer) as refusal:
        kind_for(shown.kind).read_answer(question=shown, data=data, tokens=TOKENS)
    assert refusal.value.message == message
    assert not isinstance(refusal.value, OverlongAnswer)


@pytest.mark.parametrize(
    ("shown", "data", "message"),
    [
        (CLOZE, {"text": "x" * 201}, "That answer is too long: keep it under 200 characters."),
        (NUMBER, {"number": "1" * 41}, "That is too long for a number (40 at most)."),
    ],
)
def test_an_overlong_answer_is_refused_as_too_long(shown, data, message):
    with pytest.raises(OverlongAnswer) as refusal:
        kind_for(shown.kind).read_answer(question=shown, data=data, tokens=TOKENS)
    assert refusal.value.message == message


TWICE = "The answer was sent more than once in one form; send it once."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (QueryDict("choice=a&choice=b"), TWICE),
        ({"choice": ["a", "b"]}, TWICE),
        ({"choice": ("a", "b")}, TWICE),
        ({"choice": "a\x00"}, "The answer could not be read."),
        ({"choice": 3}, "The answer could not be read."),
        ({}, "Nothing chosen."),
        (QueryDict(""), "Nothing chosen."),
        ({"choice": []}, "Nothing chosen."),
    ],
)
def test_one_value_or_a_sentence_saying_what_is_wrong(data, message):
    with pytest.raises(UnreadableAnswer) as refusal:
        posted_value(data, "choice", missing="Nothing chosen.")
    assert refusal.value.message == message


def test_the_one_value_posted_is_read_from_a_form_or_a_dict():
    assert posted_value(QueryDict("choice=a"), "choice", missing="?") == "a"
    assert posted_value({"choice": "a"}, "choice", missing="?") == "a"
    assert posted_value({"choice": ["a"]}, "choice", missing="?") == "a"


# --- the page's fields and what a simulated learner posts -------------------------------------


class NoShuffle:
    def shuffle(self, values):
        values.reverse()  # a visible change, so a kind that keeps its order is seen to


def test_what_each_page_shows():
    fields = {
        code: kind_for(code).page_fields(question=shown, tokens=TOKENS, rng=NoShuffle())
        for code, shown in [("mcq", CHOICE), ("match", MATCH), ("order", ORDER),
                            ("multi", MULTI), ("cloze", CLOZE), ("num", NUMBER)]
    }
    assert [(c.value, c.text) for c in fields["mcq"]["options"]] == [
        ("t:b", "Tumen"), ("t:a", "Yalu")
    ]
    assert [(r.name, r.text) for r in fields["match"]["rows"]] == [
        ("match-t:left:l2", "Sinuiju"), ("match-t:left:l1", "Dandong")
    ]
    assert [(c.value, c.text) for c in fields["match"]["right"]] == [
        ("t:right:r2", "North Korea"), ("t:right:r1", "China")
    ]
    assert [(r.name, r.text) for r in fields["order"]["rows"]] == [
        ("rank-t:item:i3", "Talks"), ("rank-t:item:i2", "Treaty"), ("rank-t:item:i1", "Armistice")
    ]
    assert fields["order"]["ranks"] == [1, 2, 3]
    assert [(c.value, c.text) for c in fields["multi"]["options"]] == [
        ("t:b", "Tumen"), ("t:a", "Yalu")
    ]
    assert fields["cloze"] == {} and fields["num"] == {}


@pytest.mark.parametrize(
    ("options", "shuffled"),
    [(["True", "False"], False), (["False", "True"], True), (["True", "False", "Maybe"], True)],
)
def test_true_false_keeps_only_its_natural_order(options, shuffled):
    shown = question("tf", {"options": [{"key": t, "text": t} for t in options]}, {"key": "True"})
    page = kind_for("tf").page_fields(question=shown, tokens=TOKENS, rng=NoShuffle())
    texts = [choice.text for choice in page["options"]]
    assert texts == (options[::-1] if shuffled else options)


SIMULATED = [
    (CHOICE, True, {"choice": "t:a"}),
    (CHOICE, False, {"choice": "t:b"}),
    (MATCH, True, {"match-t:left:l1": "t:right:r1", "match-t:left:l2": "t:right:r2"}),
    (MATCH, False, {"match-t:left:l1": "t:right:r2", "match-t:left:l2": "t:right:r1"}),
    (question("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "r1", "l2": "r1"}}),
     False, {"match-t:left:l1": "t:right:r2", "match-t:left:l2": "t:right:r1"}),
    (ORDER, True, {"rank-t:item:i1": "1", "rank-t:item:i2": "2", "rank-t:item:i3": "3"}),
    (ORDER, False, {"rank-t:item:i2": "1", "rank-t:item:i1": "2", "rank-t:item:i3": "3"}),
    (MULTI, True, {"choice": ["t:a"]}),
    (MULTI, False, {"choice": ["t:b"]}),
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 50, "b": 50}}), False,
     {"choice": ["t:a"]}),
    (CLOZE, True, {"text": "Pyongyang"}),
    (CLOZE, False, {"text": "Vladivostok"}),
    (NUMBER, True, {"number": "1953"}),
    (NUMBER, False, {"number": "2953"}),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 2, "weight": 50}, {"value": 1950.5, "weight": 100},
        {"value": None, "weight": 0},
    ]}), True, {"number": "1950.5"}),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 2, "weight": 50}, {"value": 1950.5, "weight": 100},
    ]}), False, {"number": "2955"}),
]


@pytest.mark.parametrize(("shown", "right", "posted"), SIMULATED)
def test_a_simulated_learner_posts_the_right_or_a_wrong_answer(shown, right, posted):
    kind = kind_for(shown.kind)
    assert kind.posted_fields(question=shown, tokens=TOKENS, right=right) == posted
    submitted = kind.read_answer(question=shown, data=posted, tokens=TOKENS)
    assert kind.grade(question=shown, submitted=submitted).is_correct is right


# --- the feedback's lines ---------------------------------------------------------------------


def test_matching_feedback_lines_show_each_item_yours_and_the_right_match():
    rows = kind_for("match").answer_rows(question=MATCH, answer={"pairs": {"l1": "r2"}})
    assert rows == [
        {"text": "Dandong", "yours": "North Korea", "right": "China", "ok": False},
        {"text": "Sinuiju", "yours": "—", "right": "North Korea", "ok": False},
    ]
    right = kind_for("match").answer_rows(question=MATCH, answer={"pairs": {"l1": "r1"}})
    assert [row["ok"] for row in right] == [True, False]
    assert kind_for("match").answer_rows(question=MATCH, answer={})[0]["yours"] == "—"


def test_ordering_feedback_lines_show_each_place_yours_and_the_right_event():
    rows = kind_for("order").answer_rows(question=ORDER, answer={"order": ["i1", "i3"]})
    assert rows == [
        {"text": "1.", "yours": "Armistice", "right": "Armistice", "ok": True},
        {"text": "2.", "yours": "Talks", "right": "Treaty", "ok": False},
        {"text": "3.", "yours": "—", "right": "Talks", "ok": False},
    ]
    assert [r["yours"] for r in kind_for("order").answer_rows(question=ORDER, answer={})] == [
        "—", "—", "—"
    ]
    unknown = kind_for("order").answer_rows(question=ORDER, answer={"order": ["zz", "i2", "i3"]})
    assert [(r["yours"], r["ok"]) for r in unknown] == [("—", False), ("Treaty", True),
                                                        ("Talks", True)]


def test_a_line_whose_item_is_gone_from_an_edited_question_shows_blanks():
    edited = question("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"gone": "zz"}})
    assert kind_for("match").answer_rows(question=edited, answer={"pairs": {"gone": "r1"}}) == [
        {"text": "", "yours": "China", "right": "", "ok": False}
    ]
    unordered = question("order", {"items": ITEMS}, {"order": ["zz"]})
    assert kind_for("order").answer_rows(question=unordered, answer={"order": ["i1"]}) == [
        {"text": "1.", "yours": "Armistice", "right": "", "ok": False}
    ]
    for code in ("match", "order"):  # a stored answer without its pairs or order: no lines
        assert kind_for(code).answer_rows(question=question(code), answer={}) == []


def test_a_kind_names_itself_by_class_and_code():
    assert repr(kind_for("mcq")) == "<MultipleChoice 'mcq'>"
    assert repr(kind_for("num")) == "<Numerical 'num'>"


def test_only_arrangements_have_feedback_lines():
    assert kind_for("mcq").answer_rows(question=CHOICE, answer={"key": "a"}) == []
    assert kind_for("cloze").answer_rows(question=CLOZE, answer={"text": "x"}) == []


ANSWER_TEXTS = [
    (CHOICE, {"key": "b"}, "Tumen"),
    (CHOICE, {"key": "z"}, ""),
    (MATCH, {"pairs": {"l1": "r2", "l2": "r1"}}, "Dandong → North Korea; Sinuiju → China"),
    (MATCH, {"pairs": {"l1": "zz"}}, "Dandong → "),
    (MATCH, {}, ""),
    (ORDER, {"order": ["i3", "i1"]}, "Talks; Armistice"),
    (ORDER, {"order": ["i3", "zz"]}, "Talks; "),
    (ORDER, {}, ""),
    (MULTI, {"keys": ["b", "a"]}, "Yalu; Tumen"),  # in the options' order
    (MULTI, {}, ""),
    (CLOZE, {"text": "Pyongyan"}, "Pyongyan"),
    (CLOZE, {}, ""),
    (NUMBER, {"number": 1953.0}, "1953"),
    (NUMBER, {"number": 1953.25}, "1953.25"),
    (NUMBER, {"number": "1953"}, ""),
]


@pytest.mark.parametrize(("shown", "answer", "text"), ANSWER_TEXTS)
def test_the_learners_answer_in_words(shown, answer, text):
    assert kind_for(shown.kind).answer_text(question=shown, answer=answer) == text


CORRECT = [
    (CHOICE, "Yalu"),
    (question("mcq", {"options": OPTIONS}, {"key": "z"}), ""),
    (MATCH, "Dandong → China; Sinuiju → North Korea"),
    (question("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"l1": "zz"}}), "Dandong → "),
    (question("match", {"left": LEFT, "right": RIGHT}, {"pairs": {"gone": "r1"}}), " → China"),
    (question("match", {"left": LEFT, "right": RIGHT}, {}), ""),
    (ORDER, "1. Armistice; 2. Treaty; 3. Talks"),
    (question("order", {"items": ITEMS}, {"order": ["i2", "zz"]}), "1. Treaty; 2. "),
    (question("order", {"items": ITEMS}, {}), ""),
    (MULTI, "Yalu"),
    (question("multi", {"options": OPTIONS}, {"weights": {"b": 50, "a": 50}}), "Yalu; Tumen"),
    (question("multi", {"options": OPTIONS}, {"weights": "all"}), ""),
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": 0}}), "Yalu"),
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 0.5, "b": 99.5}}), "Yalu; Tumen"),
    (CLOZE, "Pyongyang"),
    (question("cloze", {}, {}), ""),
    (NUMBER, "1953"),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 1, "weight": 100},
        {"value": 1950, "tolerance": 2, "weight": 100, "range": True},
        {"value": 1960, "tolerance": 0, "weight": 50},
        {"value": None, "weight": 100},
    ]}), "1953 ± 1 or 1948 to 1952"),
    (question("num", {}, {"answers": "1953"}), ""),
    (question("num", {}, {"answers": [{"value": 1953}, {"value": 1950, "weight": 100}]}), "1950"),
]


@pytest.mark.parametrize(("shown", "display"), CORRECT)
def test_the_right_answer_in_words(shown, display):
    assert kind_for(shown.kind).correct_display(question=shown) == display


DESCRIBED = [
    ("mcq", {"options": OPTIONS}, {"key": "b"}, "Tumen"),
    ("mcq", {"options": OPTIONS}, "b", "Tumen"),
    ("mcq", {"options": OPTIONS}, {"text": "b"}, None),
    ("mcq", {"options": OPTIONS}, 3, None),
    ("mcq", {"options": OPTIONS}, ["b"], None),
    ("mcq", None, "b", None),
    ("cloze", {}, {"text": "  The   YALU "}, "the yalu"),
    ("cloze", {}, "The Yalu", "the yalu"),
    ("cloze", {}, {"text": "   "}, None),
    ("cloze", {}, {"text": 3}, None),
    ("cloze", {}, 3, None),
    ("cloze", {}, "x" * 250, "x" * 200),
    ("multi", {"options": OPTIONS}, {"keys": ["b", "a"]}, "Yalu; Tumen"),
    ("multi", {"options": OPTIONS}, {"keys": ["zz"]}, None),
    ("multi", {}, {"keys": ["a"]}, None),
    ("multi", {"options": OPTIONS}, {"keys": "a"}, None),
    ("multi", {"options": OPTIONS}, ["a"], None),
    ("num", {}, {"number": 1953}, "1953"),
    ("num", {}, {"number": "1953"}, None),
    ("num", {}, 1953, None),
    ("match", {}, {"pairs": {}}, None),
    ("order", {}, {"order": []}, None),
]


@pytest.mark.parametrize(("kind", "body", "answer", "described"), DESCRIBED)
def test_item_analysis_names_a_wrong_answer_as_one_text(kind, body, answer, described):
    assert kind_for(kind).describe_answer(body=body, answer=answer) == described


# --- grading by kind: the note under the verdict ---------------------------------------------

GRADES = [
    (MULTI, {"keys": ["a"]}, 1.0, ""),
    (MULTI, {"keys": ["a", "b"]}, 0.0, ""),
    # Weights over 100 (a stored question refused by its shape) still give no more than all.
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": 50}}),
     {"keys": ["a", "b"]}, 1.0, ""),
    (question("multi", {"options": OPTIONS},
              {"weights": {"a": 50, "b": 50}, "feedback": {"a": "Yes, the Yalu.", "b": ""}}),
     {"keys": ["a"]}, 0.5, "Partly right: 50% of the marks. Yes, the Yalu."),
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 33.33333, "b": 66.66667}}),
     {"keys": ["a", "a"]}, 0.3333, "Partly right: 33% of the marks."),
    (question("multi", {"options": OPTIONS}, {"weights": {"a": 100, "b": 0},
                                               "feedback": {"b": "Not the Tumen."}}),
     {"keys": ["b"]}, 0.0, "Not the Tumen."),
    (question("multi", {"options": OPTIONS}, {"weights": [100]}), {"keys": ["a"]}, 0.0, ""),
    (NUMBER, {"number": 1953}, 1.0, ""),
    (NUMBER, {"number": "1953"}, 0.0, ""),
    (NUMBER, {}, 0.0, ""),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 0, "weight": 100, "feedback": "Exactly."},
        {"value": 1953, "tolerance": 1, "weight": 50, "feedback": "One year off."},
        {"value": None, "weight": 0, "feedback": "Think of the armistice."},
    ]}), {"number": 1954}, 0.5, "Close: 50% of the marks. One year off."),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 0, "weight": 100, "feedback": "Exactly."},
        {"value": None, "weight": 0, "feedback": "Think of the armistice."},
    ]}), {"number": 1900}, 0.0, "Think of the armistice."),
    (question("num", {}, {"answers": [
        {"value": 1953, "tolerance": 0, "weight": 100, "feedback": "Exactly."},
    ]}), {"number": 1953.0000000001}, 1.0, "Exactly."),
    (question("num", {}, {"answers": [{"value": 0.3, "tolerance": 0, "weight": 100}]}),
     {"number": 0.1 + 0.2}, 1.0, ""),
    (question("num", {}, {"answers": [{"value": 0, "tolerance": 0, "weight": 100}]}),
     {"number": 1e-8}, 0.0, ""),
    (question("num", {}, {"answers": [{"value": 1953, "tolerance": None, "weight": 100}]}),
     {"number": 1953.5}, 0.0, ""),
    (question("num", {}, {"answers": [{"value": 1953, "tolerance": 0.5, "weight": 100}]}),
     {"number": 1953.5}, 1.0, ""),
    (question("num", {}, {"answers": [{"value": 0.5, "tolerance": 0, "weight": 100}]}),
     {"number": 0.5 + 1.5e-9}, 0.0, ""),  # floating point's slack is a billionth, no more
    (question("num", {}, {"answers": [{"value": 1953}]}), {"number": 1953}, 0.0, ""),
    (question("num", {}, {"answers": [{"value": 1953, "tolerance": 1, "weight": 75}]}),
     {"number": 1952}, 0.75, "Close: 75% of the marks."),
    (question("match", {"left": LEFT, "right": RIGHT}, {}), {"pairs": {"l1": "r1"}}, 0.0, ""),
    (CHOICE, {"key": "a"}, 1.0, ""),
    (question("order", {"items": ITEMS}, {}), {"order": ["i1", "i2"]}, 0.0, ""),
    (question("mcq", {"options": OPTIONS}, {"key": "a", "feedback": {"b": "Further east."}}),
     {"key": "b"}, 0.0, "Further east."),
    (question("mcq", {"options": OPTIONS}, {"key": "a", "feedback": {"b": "Further east."}}),
     {}, 0.0, ""),
    (question("mcq", {"options": OPTIONS}, {"key": "a", "feedback": None}),
     {"key": "b"}, 0.0, ""),
]


@pytest.mark.parametrize(("shown", "submitted", "credit", "message"), GRADES)
def test_the_credit_and_the_note_under_it(shown, submitted, credit, message):
    grade = kind_for(shown.kind).grade(question=shown, submitted=submitted)
    assert (grade.credit, grade.message) == (pytest.approx(credit), message)
    assert grade.is_correct is (credit == 1.0)
    assert grade.close_match is False


# --- written answers and descriptions: what is checked, read and shown -----------------------

RUBRIC = [{"key": "c1", "text": "Names the armistice", "points": 2},
          {"key": "c2", "text": "Gives its year", "points": 1}]
ESSAY = question("essay", {}, {
    "model": "The armistice of 1953 ended the fighting.", "rubric": RUBRIC,
    "sources": {"relations.event:1": {"item": "relations.event:1", "cited": "Article, p. 3"},
                "relations.event:2": {"item": "relations.event:2", "cited": "Article, p. 3"},
                "relations.term:4": {"item": "relations.term:4", "cited": "Book, ch. 2"},
                "relations.term:5": {"item": "relations.term:5", "cited": ""}},
})

WRITTEN_SHAPES = [
    ({}, {"model": "A full answer.", "rubric": RUBRIC}, []),
    ({"options": OPTIONS}, {"model": "A full answer.", "rubric": RUBRIC},
     ["A written answer shows nothing but its prompt: its body must be {}."]),
    ({}, {"model": ["A full answer."], "rubric": RUBRIC}, ["“model” must be a text."]),
    ({}, {"model": "A full answer.", "rubric": "Names the armistice"},
     ["“rubric” must be a list of {key, text, points}."]),
    ({}, {"model": "A full answer.", "rubric": [{"text": "Names it", "points": 1}]},
     ["“rubric” must be a list of {key, text, points}."]),
    ({}, {"model": "A full answer.", "rubric": ["Names it"]},
     ["“rubric” must be a list of {key, text, points}."]),
    ({}, {"model": "A full answer.", "rubric": []},
     ["A written answer needs 1 to 8 rubric criteria."]),
    ({}, {"model": "x" * 2001, "rubric": RUBRIC},
     ["The model answer is longer than 2000 characters."]),
    ({}, {"model": "x" * 2000, "rubric": RUBRIC}, []),
    ({}, {"model": "", "rubric": [{"key": f"c{n}", "text": "A point", "points": 1}
                                  for n in range(9)]},
     ["A written answer needs 1 to 8 rubric criteria."]),
    ({}, {"model": "", "rubric": [{"key": f"c{n}", "text": "A point", "points": 1}
                                  for n in range(8)]}, []),
    ({}, {"model": "", "rubric": [{"key": "c1", "text": " ", "points": 1}]},
     ["Every rubric criterion needs a text."]),
    ({}, {"model": "", "rubric": [{"key": "c1", "points": 1}]},
     ["Every rubric criterion needs a text."]),
    ({}, {"rubric": RUBRIC}, []),  # no model answer yet
    ({}, {"model": "", "rubric": [{"key": "c1", "text": "x" * 501, "points": 1}]},
     ["A rubric criterion is longer than 500 characters."]),
    ({}, {"model": "", "rubric": [{"key": "c1", "text": "x" * 500, "points": 20}]}, []),
    *(({}, {"model": "", "rubric": [{"key": "c1", "text": "Names it", "points": points}]},
       ["Every criterion is worth a whole number of points, 1 to 20."])
      for points in (0, 21, 1.5, "2", True, None)),
    ({}, {"model": "", "rubric": [{"key": "c1", "text": "Names it", "points": 1},
                                  {"key": "c1", "text": "Dates it", "points": 1}]},
     ["The keys in “rubric” must differ."]),
    ({}, {"model": "", "rubric": RUBRIC, "sources": ["Article"]},
     ["“sources” must be the items it comes from, each with its citation."]),
    ({}, {"model": "", "rubric": RUBRIC, "sources": {"relations.event:1": "Article"}},
     ["“sources” must be the items it comes from, each with its citation."]),
    ({}, {"model": "", "rubric": RUBRIC, "sources": {"relations.event:1": {"cited": 3}}},
     ["“sources” must be the items it comes from, each with its citation."]),
    ({}, {"model": "", "rubric": RUBRIC, "sources": {"relations.event:1": {"item": "x"}}}, []),
]


@pytest.mark.parametrize(("body", "answer", "problems"), WRITTEN_SHAPES)
def test_a_stored_written_answer_of_the_wrong_shape_is_refused_in_words(body, answer, problems):
    assert kind_for("essay").shape_problems(body=body, answer=answer) == problems


def test_a_description_has_nothing_to_answer():
    kind = kind_for("desc")
    assert kind.shape_problems(body={}, answer={}) == []
    for body, answer in (({"options": OPTIONS}, {}), ({}, {"key": "a"})):
        assert kind.shape_problems(body=body, answer=answer) == [
            "A description has nothing to answer: its body and answer must be {}."
        ]
    shown = question("desc")
    assert kind.read_answer(question=shown, data={}, tokens=TOKENS) == {"seen": True}
    assert kind.answer_text(question=shown, answer={"seen": True}) == "Read"
    grade = kind.grade(question=shown, submitted={"seen": True})
    assert (grade.credit, grade.correct_display, grade.message) == (0.0, "", "")


def test_a_written_answer_is_read_trimmed_and_shown_against_its_model():
    kind = kind_for("essay")
    data = {"written": "  It ended in 1953.  "}
    assert kind.read_answer(question=ESSAY, data=data, tokens=TOKENS) == {
        "text": "It ended in 1953."
    }
    assert kind.read_answer(question=ESSAY, data={"written": "x" * 5000}, tokens=TOKENS) == {
        "text": "x" * 5000
    }
    for data, message in (({}, "Write your answer first."),
                          ({"written": " \n "}, "Write your answer first.")):
        with pytest.raises(UnreadableAnswer) as refusal:
            kind.read_answer(question=ESSAY, data=data, tokens=TOKENS)
        assert refusal.value.message == message
        assert not isinstance(refusal.value, OverlongAnswer)
    with pytest.raises(OverlongAnswer) as refusal:
        kind.read_answer(question=ESSAY, data={"written": "x" * 5001}, tokens=TOKENS)
    assert refusal.value.message == "That is too long for this answer (5000 characters at most)."
    grade = kind.grade(question=ESSAY, submitted={"text": "It ended in 1953."})
    assert (grade.credit, grade.is_correct, grade.message) == (0.0, False, "")
    assert grade.correct_display == "The armistice of 1953 ended the fighting."
    assert kind.correct_display(question=question("essay", {}, {"model": None})) == ""
    assert kind.answer_text(question=ESSAY, answer={"text": "It ended."}) == "It ended."
    assert kind.answer_text(question=ESSAY, answer={}) == ""
    assert kind.describe_answer(body={}, answer={"text": "It ended."}) is None


def test_a_written_answer_is_marked_out_of_its_rubrics_points_and_names_its_sources():
    from quizzes.bank.kinds.written import max_mark, rubric_of, sources_of

    assert max_mark(ESSAY) == 3
    # A criterion without points adds none; a rubric of nothing is still out of 1.
    assert max_mark(question("essay", {}, {"rubric": [{"key": "c1", "points": 2},
                                                      {"key": "c2", "points": None}]})) == 2
    assert max_mark(question("essay", {}, {"rubric": [{"key": "c1", "points": None}]})) == 1
    assert max_mark(question("essay", {}, {"rubric": "three points"})) == 1
    assert rubric_of(question("essay", {}, {"rubric": "three points"})) == []
    assert rubric_of(ESSAY) == RUBRIC
    # Each citation once, in order; an empty one is left out.
    assert sources_of(ESSAY) == ["Article, p. 3", "Book, ch. 2"]
    assert sources_of(question("essay", {}, {"sources": ["Article"]})) == []
    assert sources_of(question("essay", {}, {})) == []


def test_a_stored_numerical_answer_comes_back_as_written_with_its_defaults():
    stored = {"answers": [
        {"value": 1953, "tolerance": 2, "weight": 100, "feedback": "Exactly.", "range": True},
        {"value": None},
    ]}
    assert kind_for("num").draft_fields(body={}, answer=stored) == {"numbers": [
        NumericAnswer(1953.0, 2.0, 100.0, "Exactly.", as_range=True),
        NumericAnswer(None, 0.0, 0.0, "", as_range=False),
    ]}
    # "Any other number" without a weight is worth nothing, as it must be.
    assert kind_for("num").shape_problems(body={}, answer={"answers": [
        {"value": 1953, "weight": 100}, {"value": None},
    ]}) == []
