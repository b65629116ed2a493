"""Multiple choice from terms (term for a definition, definition for a term), events
(the year of an event, the event of a year) and facts (the missing words).

Options are homogeneous: terms of one form (names with names), years of one period,
people of one standing and role, texts of alike length, the key's length rank turning
by item so the longest option is right only as often as chance. A term whose definition
repeats one of its words makes no question: the stem would give the key away."""

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
from quizzes.bank.generators.choosing import (
    free_of_stem_words,
    length_slot,
    pick_by_length,
)
from quizzes.bank.models import QuestionKind
from quizzes.bank.periods import course_periods, false_years
from quizzes.bank.wording import (
    ARTICLES,
    article_fits,
    shared_words,
    takes_the,
    term_form,
    word_before,
)

KIND = QuestionKind.MULTIPLE_CHOICE
OPTION_COUNT = 4
MIN_DISTRACTORS = 2
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _draft(generator, item, prompt, correct, distractors, rng, explanation, why_wrong=None,
           **extra):
    body, answer = choice_question(
        correct=correct, distractors=distractors, rng=rng, why_wrong=why_wrong
    )
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


def _usable_term(term) -> bool:
    return not shared_words(term.term, term.definition) and not mentions(
        term.definition, term.term
    )


def term_for_definition(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.term_for_definition"
    drafts = []
    for term in content.terms:
        if not _usable_term(term):
            continue  # the definition would give the term away
        rng = rng_for(seed, generator, term.pk)
        prompt = f"Which term fits this description? {term.definition}"
        others = nearest_first(
            [
                t
                for t in content.terms
                if t.pk != term.pk and term_form(t.term) == term_form(term.term)
            ],
            lesson=term.lesson,
            rng=rng,
        )
        candidates = distinct_texts(
            free_of_stem_words([t.term for t in others], stem=prompt),
            exclude=[term.term, *term.alternative_list],
            limit=len(others),
        )
        distractors = pick_by_length(
            key=term.term,
            candidates=candidates,
            count=OPTION_COUNT - 1,
            slot=length_slot(term, options=OPTION_COUNT),
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        drafts.append(
            _draft(
                generator,
                term,
                prompt,
                term.term,
                distractors,
                rng,
                explain(f"{term.term}: {term.definition}", citation=term.citation),
                # Said without the other term's meaning: feedback that taught it would give
                # away another question of the same quiz (the fact keys count what it shows).
                why_wrong={t.term: f"No: {t.term} names something else." for t in others},
            )
        )
    return drafts


def definition_for_term(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.definition_for_term"
    drafts = []
    for term in content.terms:
        if not _usable_term(term):
            continue
        rng = rng_for(seed, generator, term.pk)
        prompt = f"What does “{term.term}” mean?"
        others = nearest_first(
            [t for t in content.terms if t.pk != term.pk], lesson=term.lesson, rng=rng
        )
        candidates = distinct_texts(
            [t.definition for t in others if not mentions(t.definition, term.term)],
            exclude=[term.definition],
            limit=len(others),
        )
        distractors = pick_by_length(
            key=term.definition,
            candidates=free_of_stem_words(candidates, stem=prompt),
            count=OPTION_COUNT - 1,
            slot=length_slot(term, options=OPTION_COUNT, salt=1),
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        drafts.append(
            _draft(
                generator,
                term,
                prompt,
                term.definition,
                distractors,
                rng,
                explain(f"{term.term}: {term.definition}", citation=term.citation),
                why_wrong={
                    t.definition: f"No: that describes another term, not {term.term}."
                    for t in others
                },
            )
        )
    return drafts


def _event_explanation(event) -> str:
    return explain(f"{event.title}: {event.when}.", event.significance, citation=event.citation)


def year_of_event(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.year_of_event"
    drafts = []
    periods = course_periods(content.events)
    for event in content.events:
        if _HAS_YEAR.search(event.title):
            continue
        rng = rng_for(seed, generator, event.pk)
        # Years of the same period, the course's own first: never one from another era.
        known = [e.year for e in content.events]
        years = false_years(
            year=event.year, end_year=event.end_year, periods=periods, known=known,
            limit=OPTION_COUNT - 1,
        )
        if len(years) < MIN_DISTRACTORS:
            continue
        verb = "begin" if event.end_year and event.end_year != event.year else "happen"
        drafts.append(
            _draft(
                generator,
                event,
                f"In which year did this {verb}: {event.title}?",
                str(event.year),
                [str(year) for year in years],
                rng,
                _event_explanation(event),
                why_wrong={str(year): _years_off(year, event.year) for year in years},
            )
        )
    return drafts


def _years_off(year: int, right: int) -> str:
    gap = abs(right - year)
    way = "early" if year < right else "late"
    return f"No: {year} is {gap} year{'s' if gap != 1 else ''} too {way}."


def _another_time(other, event) -> str:
    if other.era_id != event.era_id:
        return f"No: that belongs to another period ({other.era.name})."
    return "No: that happened in another year of the same period."


def _overlap(one, other) -> bool:
    return one.year <= (other.end_year or other.year) and other.year <= (one.end_year or one.year)


def event_of_year(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "mcq.event_of_year"
    drafts = []
    for event in content.events:
        if _HAS_YEAR.search(event.title):
            continue
        rng = rng_for(seed, generator, event.pk)
        # Only events of other years, and none that spans this one, so exactly one fits;
        # the same era first, so the options are of one time.
        others = [e for e in content.events if not _overlap(e, event)]
        others = nearest_first(others, lesson=event.lesson, rng=rng)
        others.sort(key=lambda e: e.era_id != event.era_id)
        # A month-dated event has a date too (the 1st); only a day takes "on".
        prompt = (
            f"Which of these happened {'on' if event.precision == 'day' else 'in'} {event.when}?"
        )
        candidates = distinct_texts(
            [e.title for e in others if not _HAS_YEAR.search(e.title)],
            exclude=[event.title],
            limit=len(others),
        )
        distractors = pick_by_length(
            key=event.title,
            candidates=free_of_stem_words(candidates, stem=prompt),
            count=OPTION_COUNT - 1,
            slot=length_slot(event, options=OPTION_COUNT),
        )
        if len(distractors) < MIN_DISTRACTORS:
            continue
        drafts.append(
            _draft(
                generator, event, prompt, event.title, distractors, rng,
                _event_explanation(event),
                why_wrong={e.title: _another_time(e, event) for e in others},
            )
        )
    return drafts


def _with_article(text: str, article: str) -> str:
    """An option as it reads where the blank stands: 'the University of Virginia'."""
    return f"{article} {text}" if article == "the" and takes_the(text) else text


def missing_words(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """The fact's blank, with options of the same kind. An article before the blank moves
    into the options, so "from the ___" no longer rules out "Columbia University"."""
    generator = "mcq.missing_words"
    drafts = []
    for fact in content.facts:
        if is_source_error(fact.answer, content.notes):
            continue
        rng = rng_for(seed, generator, fact.pk)
        blanked = fact.blanked_text
        article = word_before(blanked, "_____")
        if article in ARTICLES:
            head, _blank, tail = blanked.partition("_____")
            blanked = head[: len(head.rstrip()) - len(article)] + "_____" + tail
        before = word_before(blanked, "_____")
        prompt = f"Which words fill the blank? {blanked}"
        answer = _with_article(fact.answer, article)
        texts = [
            _with_article(text, article)
            for text in same_shape_answers(fact, content=content, rng=rng)
            if not mentions(fact.blanked_text, text)
        ]
        texts = [t for t in texts if article_fits(before, t)]
        distractors = distinct_texts(
            free_of_stem_words(texts, stem=prompt), exclude=[answer], limit=OPTION_COUNT - 1
        )
        if len(distractors) < MIN_DISTRACTORS or shared_words(prompt, answer):
            continue
        drafts.append(
            _draft(
                generator,
                fact,
                prompt,
                answer,
                distractors,
                rng,
                explain(fact.plain_text, citation=fact.citation),
                why_wrong={
                    text: f"No: “{text}” does not fit here; the passage has “{answer}”."
                    for text in distractors
                },
            )
        )
    return drafts


PARTS = (term_for_definition, definition_for_term, year_of_event, event_of_year, missing_words)


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return [draft for part in PARTS for draft in part(content=content, seed=seed)]
