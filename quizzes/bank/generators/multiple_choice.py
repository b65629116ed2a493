"""Multiple choice from terms (term for a definition, definition for a term), events
(the year of an event, the event of a year) and facts (the missing words)."""

import re

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    choice_question,
    distinct_texts,
    explain,
    is_source_error,
    make_draft,
    mentions,
    nearest_first,
    rng_for,
    same_shape_answers,
)
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.MULTIPLE_CHOICE
OPTION_COUNT = 4
MIN_DISTRACTORS = 2
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _draft(generator, item, prompt, correct, distractors, rng, explanation, **extra):
    body, answer = choice_question(correct=correct, distractors=distractors, rng=rng)
    return make_draft(
        kind=KIND,
        generator=generator,
        prompt=prompt,
        body=body,
        answer=answer,
        explanation=explanation,
        item=item,
        **extra,
    )


def term_for_definition(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.term_for_definition"
    drafts = []
    for term in content.terms:
        if mentions(term.definition, term.term):
            continue  # the definition would give the term away
        rng = rng_for(seed, generator, term.pk)
        others = nearest_first(
            [t for t in content.terms if t.pk != term.pk], lesson=term.lesson, rng=rng
        )
        distractors = distinct_texts(
            [t.term for t in others],
            exclude=[term.term, *term.alternative_list],
            limit=OPTION_COUNT - 1,
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        drafts.append(
            _draft(
                generator,
                term,
                f"Which term fits this description? {term.definition}",
                term.term,
                distractors,
                rng,
                explain(f"{term.term}: {term.definition}", citation=term.citation),
            )
        )
    return drafts


def definition_for_term(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.definition_for_term"
    drafts = []
    for term in content.terms:
        rng = rng_for(seed, generator, term.pk)
        others = nearest_first(
            [t for t in content.terms if t.pk != term.pk], lesson=term.lesson, rng=rng
        )
        distractors = distinct_texts(
            [t.definition for t in others if not mentions(t.definition, term.term)],
            exclude=[term.definition],
            limit=OPTION_COUNT - 1,
        )
        if len(distractors) < MIN_DISTRACTORS or mentions(term.definition, term.term):
            continue
        drafts.append(
            _draft(
                generator,
                term,
                f"What does “{term.term}” mean?",
                term.definition,
                distractors,
                rng,
                explain(f"{term.term}: {term.definition}", citation=term.citation),
            )
        )
    return drafts


def _event_explanation(event) -> str:
    return explain(f"{event.title}: {event.when}.", event.significance, citation=event.citation)


def year_of_event(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.year_of_event"
    drafts = []
    for event in content.events:
        if _HAS_YEAR.search(event.title):
            continue
        rng = rng_for(seed, generator, event.pk)
        others = nearest_first(
            [e for e in content.events if e.year != event.year], lesson=event.lesson, rng=rng
        )
        distractors = distinct_texts(
            [str(e.year) for e in others], exclude=[str(event.year)], limit=OPTION_COUNT - 1
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        verb = "begin" if event.end_year and event.end_year != event.year else "happen"
        drafts.append(
            _draft(
                generator,
                event,
                f"In which year did this {verb}: {event.title}?",
                str(event.year),
                distractors,
                rng,
                _event_explanation(event),
            )
        )
    return drafts


def _overlap(one, other) -> bool:
    return one.year <= (other.end_year or other.year) and other.year <= (one.end_year or one.year)


def event_of_year(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.event_of_year"
    drafts = []
    for event in content.events:
        rng = rng_for(seed, generator, event.pk)
        # Only events of other years, and none that spans this one, so exactly one fits.
        others = [e for e in content.events if not _overlap(e, event)]
        others = nearest_first(others, lesson=event.lesson, rng=rng)
        distractors = distinct_texts(
            [e.title for e in others if not _HAS_YEAR.search(e.title)],
            exclude=[event.title],
            limit=OPTION_COUNT - 1,
        )
        if len(distractors) < MIN_DISTRACTORS or _HAS_YEAR.search(event.title):
            continue
        drafts.append(
            _draft(
                generator,
                event,
                # A month-dated event has a date too (the 1st); only a day takes "on".
                f"Which of these happened {'on' if event.precision == 'day' else 'in'} "
                f"{event.when}?",
                event.title,
                distractors,
                rng,
                _event_explanation(event),
            )
        )
    return drafts


def missing_words(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.missing_words"
    drafts = []
    for fact in content.facts:
        if is_source_error(fact.answer, content.notes):
            continue
        rng = rng_for(seed, generator, fact.pk)
        distractors = [
            text
            for text in same_shape_answers(fact, content=content, rng=rng)
            if not mentions(fact.blanked_text, text)
        ][: OPTION_COUNT - 1]
        if len(distractors) < MIN_DISTRACTORS:
            continue
        drafts.append(
            _draft(
                generator,
                fact,
                f"Which words fill the blank? {fact.blanked_text}",
                fact.answer,
                distractors,
                rng,
                explain(fact.plain_text, citation=fact.citation),
            )
        )
    return drafts


PARTS = (term_for_definition, definition_for_term, year_of_event, event_of_year, missing_words)


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return [draft for part in PARTS for draft in part(content=content, seed=seed)]
