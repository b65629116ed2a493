"""One registry, one generator per kind; no source error is ever a right answer."""

import copy
from dataclasses import replace

from quizzes.bank.generators import REGISTRY, generate_all
from quizzes.bank.generators.base import is_source_error
from quizzes.bank.grading import CHOICE_KINDS, accepted_answers
from quizzes.models import QuestionKind
from tests.quizzes.bank.generators.checks import SEEDS, assert_valid, correct_text

# A description is text an author writes into a quiz: no content item is one.
GENERATED_KINDS = set(QuestionKind) - {QuestionKind.DESCRIPTION}


def test_every_kind_has_a_generator():
    assert set(REGISTRY) == GENERATED_KINDS


def test_the_whole_course_yields_every_kind_and_no_duplicate(real_content):
    drafts = generate_all(content=real_content, seed=SEEDS[0])
    assert {d.kind for d in drafts} == GENERATED_KINDS
    fingerprints = [d.fingerprint for d in drafts]
    assert len(fingerprints) == len(set(fingerprints))
    for draft in drafts:
        assert_valid(draft, notes=real_content.notes)


def test_no_source_error_is_ever_a_right_answer(real_content):
    notes = real_content.notes
    assert notes
    for draft in generate_all(content=real_content, seed=SEEDS[0]):
        if draft.kind in CHOICE_KINDS:
            assert not is_source_error(correct_text(draft), notes)
        elif draft.kind == "cloze":
            assert not any(is_source_error(t, notes) for t in accepted_answers(draft.answer))


def test_an_edit_changes_only_the_questions_that_show_the_item(factory_content):
    before = {d.fingerprint for d in generate_all(content=factory_content, seed=SEEDS[0])}
    fact = factory_content.facts[0]
    edited_fact = copy.copy(fact)  # shares the loaded lesson, section and citation
    edited_fact.text = "The armistice was finally signed in [[1953]]."
    edited = replace(factory_content, facts=(edited_fact, *factory_content.facts[1:]))
    after = {d.fingerprint for d in generate_all(content=edited, seed=SEEDS[0])}
    changed = before - after
    assert changed and len(changed) <= 6, "only the edited fact's own questions change"
