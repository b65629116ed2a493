"""Written answers from the content: a panelist's argument, both sides of a debate, why an
event mattered; each with a model answer and a rubric built from its items, cited."""

from quizzes.bank.generators import with_fact_keys, written
from quizzes.bank.kinds import KINDS
from quizzes.bank.quality import lint_drafts
from tests.quizzes.bank.generators.checks import SEEDS, assert_deterministic, assert_valid


def test_every_kind_of_written_question_is_made_in_the_right_shape(real_content):
    drafts = written.generate(content=real_content, seed=SEEDS[0])
    by_generator = {}
    for draft in drafts:
        by_generator.setdefault(draft.generator, []).append(draft)
        assert_valid(draft, notes=real_content.notes)
        assert KINDS["essay"].shape_problems(body=draft.body, answer=draft.answer) == []
        assert draft.body == {}, "nothing but the prompt is shown before answering"
        assert draft.answer["model"] not in draft.prompt
    assert set(by_generator) == {"essay.argument", "essay.debate", "essay.event"}
    debates = {p.debate_id for p in real_content.positions}
    assert len(by_generator["essay.debate"]) == len(debates)
    assert len(by_generator["essay.event"]) == len(real_content.events)


def test_the_model_answer_and_rubric_come_from_the_items_and_cite_each(real_content):
    for draft in written.generate(content=real_content, seed=SEEDS[0]):
        sources = draft.answer["sources"]
        assert sources and all(s["cited"] for s in sources.values())
        rubric = draft.answer["rubric"]
        assert len(rubric) >= 3 and all(c["points"] >= 1 for c in rubric)
        if draft.generator == "essay.debate":
            critics, proponents = (
                p for p in real_content.positions if f"relations.position:{p.pk}" in sources
            )
            assert {critics.side, proponents.side} == {"critics", "proponents"}
            assert "without deciding between them" in rubric[-1]["text"]
        if draft.generator == "essay.argument":
            claims = [c for c in real_content.claims if f"relations.claim:{c.pk}" in sources]
            assert len(claims) >= 2 and len({c.person_id for c in claims}) == 1
            assert claims[0].person.is_panelist
            assert claims[0].person.name.split()[0] in draft.prompt


def test_the_written_questions_pass_the_item_writing_linter(real_content):
    drafts = with_fact_keys(written.generate(content=real_content, seed=SEEDS[0]),
                            content=real_content)
    assert lint_drafts(drafts=drafts, content=real_content) == []


def test_the_same_seed_gives_the_same_questions(real_content):
    assert_deterministic(written.generate, real_content)
