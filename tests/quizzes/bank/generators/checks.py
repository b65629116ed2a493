"""What every generated question must satisfy, whatever its kind."""

from collections import Counter

from quizzes.bank.generators.base import is_source_error
from quizzes.bank.grading import CHOICE_KINDS, accepted_answers, normalize_answer

BANNED_OPTIONS = {"all of the above", "none of the above", "both of the above"}
SEEDS = (2003, 7)


def option_texts(draft) -> list[str]:
    return [option["text"] for option in draft.body["options"]]


def correct_text(draft) -> str:
    texts = {option["key"]: option["text"] for option in draft.body["options"]}
    return texts[draft.answer["key"]]


def assert_distinct(texts, what):
    folded = [normalize_answer(text) for text in texts]
    duplicates = [text for text, n in Counter(folded).items() if n > 1]
    assert not duplicates, f"{what} repeat: {duplicates}"
    assert all(folded), f"{what} include an empty text"


def assert_valid(draft, *, notes=()):
    """Valid for its kind, with the right answer present exactly once."""
    assert draft.prompt.strip() and draft.explanation.strip(), draft
    assert draft.citation is not None, f"no citation: {draft.prompt}"
    assert len(draft.fingerprint) == 64
    if draft.kind in CHOICE_KINDS:
        options = draft.body["options"]
        assert len(options) >= 2
        keys = [option["key"] for option in options]
        assert len(set(keys)) == len(keys)
        assert keys.count(draft.answer["key"]) == 1, "the right answer must be there once"
        assert_distinct(option_texts(draft), "options")
        assert not BANNED_OPTIONS & {normalize_answer(t) for t in option_texts(draft)}
        assert not is_source_error(correct_text(draft), notes), "a source error is never right"
        wrong_keys = set(keys) - {draft.answer["key"]}
        feedback = draft.answer.get("feedback") or {}
        assert set(feedback) == wrong_keys, "every wrong option says why it is wrong"
        assert all(text.startswith("No") and text.strip() for text in feedback.values())
    elif draft.kind == "match":
        left, right = draft.body["left"], draft.body["right"]
        assert 4 <= len(left) <= 6, f"{len(left)} pairs"
        assert_distinct([o["text"] for o in left], "left items")
        assert_distinct([o["text"] for o in right], "right items")
        left_keys, right_keys = [o["key"] for o in left], [o["key"] for o in right]
        pairs = draft.answer["pairs"]
        assert sorted(pairs) == sorted(left_keys), "every item has exactly one match"
        assert set(pairs.values()) <= set(right_keys)
        assert len(set(right_keys)) == len(right_keys)
    elif draft.kind == "order":
        items = draft.body["items"]
        assert 4 <= len(items) <= 5
        assert_distinct([o["text"] for o in items], "items")
        assert sorted(draft.answer["order"]) == sorted(o["key"] for o in items)
    elif draft.kind == "cloze":
        assert draft.body == {}
        accepted = accepted_answers(draft.answer)
        assert accepted and all(text.strip() for text in accepted)
        assert not any(is_source_error(text, notes) for text in accepted)
    elif draft.kind == "multi":
        options = draft.body["options"]
        assert 3 <= len(options) <= 8
        assert_distinct([o["text"] for o in options], "options")
        weights = draft.answer["weights"]
        assert sorted(weights) == sorted(o["key"] for o in options)
        assert sum(w for w in weights.values() if w > 0) == 100
        assert sum(weights.values()) <= 0, "ticking every option earns nothing"
        assert set(draft.answer["feedback"]) == set(weights), "every option says why"
    elif draft.kind == "num":
        assert draft.body == {}
        answers = draft.answer["answers"]
        assert answers[0]["weight"] == 100 and answers[0]["tolerance"] == 0
        assert all(0 <= a["weight"] <= 100 for a in answers)
        assert str(answers[0]["value"]) not in draft.prompt, "the prompt gives the number"
    elif draft.kind == "essay":
        assert draft.body == {}, "nothing but the prompt before answering"
        assert draft.answer["model"].strip() and draft.answer["rubric"]
        assert all(source["cited"] for source in draft.answer["sources"].values())
        assert not is_source_error(draft.answer["model"], notes)
    else:
        raise AssertionError(f"unknown kind {draft.kind}")


def assert_deterministic(generate, content):
    first = generate(content=content, seed=SEEDS[0])
    again = generate(content=content, seed=SEEDS[0])
    assert [d.fingerprint for d in first] == [d.fingerprint for d in again]
    assert [(d.prompt, d.body, d.answer) for d in first] == [
        (d.prompt, d.body, d.answer) for d in again
    ]
    return first
