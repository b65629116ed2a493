"""Matching: 4 to 6 pairs, people to their arguments and terms to their meanings."""

from quizzes.bank.generators import matching
from quizzes.bank.generators.choosing import display_name
from quizzes.bank.wording import without_asides
from tests.quizzes.bank.generators.checks import SEEDS, assert_deterministic, assert_valid


def _pairs(draft):
    left = {o["key"]: o["text"] for o in draft.body["left"]}
    right = {o["key"]: o["text"] for o in draft.body["right"]}
    return {left[lk]: right[rk] for lk, rk in draft.answer["pairs"].items()}


def test_every_question_is_valid_and_every_pair_is_true(content):
    drafts = matching.generate(content=content, seed=SEEDS[0])
    term_of = {t.definition: t.term for t in content.terms}
    author_of = {without_asides(c.statement): display_name(c.person) for c in content.claims}
    topic_of = {without_asides(c.statement): c.topic for c in content.claims}
    generators = set()
    for draft in drafts:
        generators.add(draft.generator)
        assert draft.kind == "match"
        assert_valid(draft, notes=content.notes)
        for left, right in _pairs(draft).items():
            if draft.generator == "match.terms":
                assert term_of[left] == right
            elif draft.generator == "match.claim_topics":
                assert topic_of[left] == right
            else:
                assert author_of[left] == right
    assert {"match.terms", "match.panel_claims"} <= generators


def test_people_are_matched_to_claims_from_several_panelists(content):
    for draft in matching.panel_claims(content=content, seed=SEEDS[0]):
        people = set(_pairs(draft).values())
        assert len(people) >= 2
        assert {o["text"] for o in draft.body["right"]} == people


def test_right_hand_options_are_all_of_the_same_kind(content):
    terms = {t.term for t in content.terms}
    people = {display_name(p) for p in content.people}
    for draft in matching.generate(content=content, seed=SEEDS[0]):
        rights = {o["text"] for o in draft.body["right"]}
        if draft.generator == "match.terms":
            assert rights <= terms
        elif draft.generator in {"match.claims", "match.panel_claims"}:
            assert rights <= people


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(matching.generate, content)
