"""Chronological ordering of 4 or 5 events with one right order."""

from quizzes.bank.generators import ordering
from tests.quizzes.bank.generators.checks import SEEDS, assert_deterministic, assert_valid


def test_every_question_has_one_right_order_earliest_first(content):
    drafts = ordering.generate(content=content, seed=SEEDS[0])
    assert drafts
    event_by_title = {e.title: e for e in content.events}
    for draft in drafts:
        assert draft.kind == "order"
        assert_valid(draft, notes=content.notes)
        text = {o["key"]: o["text"] for o in draft.body["items"]}
        events = [event_by_title[text[key]] for key in draft.answer["order"]]
        years = [e.year for e in events]
        assert years == sorted(years) and len(set(years)) == len(years), years
        # No year in a title to give the order away.
        assert not any(str(e.year) in e.title for e in events)


def test_items_are_not_stored_in_the_right_order(content):
    drafts = ordering.generate(content=content, seed=SEEDS[0])
    shuffled = [d for d in drafts if [o["key"] for o in d.body["items"]] != d.answer["order"]]
    assert len(shuffled) >= len(drafts) // 2


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(ordering.generate, content)
