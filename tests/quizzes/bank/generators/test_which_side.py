"""Which side? Critics or proponents, without the statement giving it away."""

from quizzes.bank.generators import which_side
from quizzes.bank.generators.base import SIDE_GIVEAWAYS, mentions
from tests.quizzes.bank.generators.checks import (
    SEEDS,
    assert_deterministic,
    assert_valid,
    correct_text,
    option_texts,
)


def test_every_position_of_a_two_sided_debate_is_asked(content):
    drafts = which_side.generate(content=content, seed=SEEDS[0])
    two_sided = [
        p
        for p in content.positions
        if {q.side for q in content.positions if q.debate_id == p.debate_id}
        == {"critics", "proponents"}
    ]
    assert len(drafts) == len(two_sided)
    for draft in drafts:
        assert draft.kind == "side"
        assert_valid(draft, notes=content.notes)
        assert option_texts(draft) == ["Critics", "Proponents"]
        assert correct_text(draft).lower() == draft.item.side
        assert draft.lesson == draft.item.debate.lesson


def test_the_statement_never_names_its_side(content):
    for draft in which_side.generate(content=content, seed=SEEDS[0]):
        statement = draft.prompt.split("”? ", 1)[1]
        assert not any(mentions(statement, word) for word in SIDE_GIVEAWAYS), statement


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(which_side.generate, content)
