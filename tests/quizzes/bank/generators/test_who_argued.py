"""Who argued this? The claimant among other claimants."""

from quizzes.bank.generators import who_argued
from tests.quizzes.bank.generators.checks import (
    SEEDS,
    assert_deterministic,
    assert_valid,
    correct_text,
    option_texts,
)


def test_every_question_names_the_claimant_once_among_other_claimants(content):
    drafts = who_argued.generate(content=content, seed=SEEDS[0])
    assert drafts
    claimants = {claim.person.name for claim in content.claims}
    for draft in drafts:
        assert draft.kind == "who"
        assert_valid(draft, notes=content.notes)
        assert correct_text(draft) == draft.item.person.name
        assert set(option_texts(draft)) <= claimants
        assert draft.item.statement in draft.prompt
        assert draft.item.person.name not in draft.prompt


def test_panelists_are_weighed_against_panelists(real_content):
    panelists = {p.name for p in real_content.people if p.is_panelist}
    for draft in who_argued.generate(content=real_content, seed=SEEDS[0]):
        if draft.item.person.is_panelist:
            assert set(option_texts(draft)) == panelists


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(who_argued.generate, content)
