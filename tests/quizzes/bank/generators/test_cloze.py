"""Fill in the blank from facts' [[answer]] spans and from terms."""

from quizzes.bank.answers import defensible_blank
from quizzes.bank.generators import cloze
from quizzes.bank.generators.base import mentions
from quizzes.bank.grading import grade
from quizzes.bank.wording import shared_words
from tests.quizzes.bank.generators.checks import SEEDS, assert_deterministic, assert_valid


def test_every_fact_and_term_gives_a_valid_blank(content):
    drafts = cloze.generate(content=content, seed=SEEDS[0])
    facts = [d for d in drafts if d.generator == "cloze.fact"]
    terms = [d for d in drafts if d.generator == "cloze.term"]
    # Every fact whose blank has one defensible answer, and no other.
    assert {d.item.pk for d in facts} == {
        f.pk
        for f in content.facts
        if defensible_blank(f, content)
        and not shared_words(f"Fill in the blank: {f.blanked_text}", f.answer)
    }
    assert facts and terms
    for draft in drafts:
        assert draft.kind == "cloze"
        assert_valid(draft, notes=content.notes)
        assert grade(question=draft, submitted={"text": draft.answer["text"]}).is_correct
    for draft in terms:
        assert not mentions(draft.prompt, draft.answer["text"]), "the term is not given away"
    for draft in facts:
        assert "_____" in draft.prompt
        assert draft.answer["text"] == draft.item.answer
        # Its own alternatives first, then every other form the course lists for it.
        own = draft.item.alternative_list
        assert draft.answer["alternatives"][: len(own)] == own


def test_alternatives_are_accepted(content):
    for draft in cloze.generate(content=content, seed=SEEDS[0]):
        for alternative in draft.answer["alternatives"]:
            assert grade(question=draft, submitted={"text": alternative}).is_correct


def test_an_editors_note_travels_with_its_question(factory_content):
    drafts = cloze.facts(content=factory_content, seed=SEEDS[0])
    noted = [d for d in drafts if d.item.editor_note_id]
    assert noted and all(d.editor_note == d.item.editor_note for d in noted)
    for draft in noted:
        wrong = grade(question=draft, submitted={"text": draft.editor_note.source_says})
        assert not wrong.is_correct


def test_the_same_seed_gives_the_same_quiz(content):
    assert_deterministic(cloze.generate, content)
