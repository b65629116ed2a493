"""Multiple choice from terms, events and facts."""

import re

from quizzes.bank.generators import multiple_choice
from quizzes.bank.generators.base import answer_shape
from quizzes.bank.grading import normalize_answer
from quizzes.bank.wording import term_form
from tests.quizzes.bank.generators.checks import (
    SEEDS,
    assert_deterministic,
    assert_valid,
    correct_text,
    option_texts,
)


def test_every_question_is_valid_with_one_right_answer(content):
    drafts = multiple_choice.generate(content=content, seed=SEEDS[0])
    assert {d.generator for d in drafts} >= {
        "mcq.term_for_definition",
        "mcq.definition_for_term",
        "mcq.year_of_event",
        "mcq.event_of_year",
        "mcq.missing_words",
    }
    for draft in drafts:
        assert draft.kind == "mcq"
        assert_valid(draft, notes=content.notes)
        assert 3 <= len(draft.body["options"]) <= 4


def test_distractors_are_of_the_same_kind_as_the_answer(content):
    terms = {t.term for t in content.terms}
    definitions = {t.definition for t in content.terms}
    titles = {e.title for e in content.events}
    for draft in multiple_choice.generate(content=content, seed=SEEDS[0]):
        texts = option_texts(draft)
        if draft.generator == "mcq.term_for_definition":
            assert set(texts) <= terms
            assert draft.item.definition in draft.prompt and correct_text(draft) == draft.item.term
        elif draft.generator == "mcq.definition_for_term":
            assert set(texts) <= definitions
            assert correct_text(draft) == draft.item.definition
        elif draft.generator == "mcq.year_of_event":
            assert all(re.fullmatch(r"\d{4}", t) for t in texts)
            assert correct_text(draft) == str(draft.item.year)
        elif draft.generator == "mcq.event_of_year":
            assert set(texts) <= titles
            # Only the right event happened then: every other lies wholly outside its years.
            event = draft.item
            for other in content.events:
                if other.title in texts and other.pk != event.pk:
                    assert (other.end_year or other.year) < event.year or other.year > (
                        event.end_year or event.year
                    )
        elif draft.generator == "mcq.missing_words":
            shape = answer_shape(draft.item.answer, people=content.people)
            assert shape is not None
            bare = [t.removeprefix("the ") for t in texts]
            assert all(answer_shape(t, people=content.people) == shape for t in bare), texts
            # An article before the blank moves into the options: "the University of …".
            assert normalize_answer(correct_text(draft)) == normalize_answer(draft.item.answer)


def test_distractors_come_from_the_same_lesson_first(factory_content):
    drafts = multiple_choice.term_for_definition(content=factory_content, seed=SEEDS[0])
    lesson_terms = {}
    for term in factory_content.terms:
        lesson_terms.setdefault((term.lesson.pk, term_form(term.term)), set()).add(term.term)
    for draft in drafts:
        # Names against names, common terms against common terms; within that, this
        # lesson's first.
        key = (draft.item.lesson.pk, term_form(draft.item.term))
        same_lesson = lesson_terms[key] - {draft.item.term}
        distractors = set(option_texts(draft)) - {draft.item.term}
        # The lesson's other terms are all used before any from another lesson.
        assert same_lesson <= distractors or distractors <= same_lesson


def test_the_same_seed_gives_the_same_quiz_and_another_seed_another_order(content):
    first = assert_deterministic(multiple_choice.generate, content)
    other = multiple_choice.generate(content=content, seed=SEEDS[1])
    assert [d.body for d in first] != [d.body for d in other]


def test_a_definition_that_names_its_term_makes_no_term_question(db):
    from tests import factories

    lesson = factories.LessonFactory()
    for n in range(4):
        factories.TermFactory(lesson=lesson, term=f"word{n}", definition=f"Meaning {n}.")
    factories.TermFactory(lesson=lesson, term="juche", definition="The juche idea.")
    from quizzes.bank.generators import load_course_content

    drafts = multiple_choice.term_for_definition(content=load_course_content(), seed=1)
    assert all(d.item.term != "juche" for d in drafts)
    assert len(drafts) == 4
