"""Chronological ordering of 4 or 5 events: runs within a lesson, and runs across the
course's eras. Events in one question never share a year, so one order is right. Each
event keeps its own citation and editor's note (answer["sources"], by item key)."""

import re

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    chunk,
    explain,
    make_draft,
    most_common,
    nearest_first,
    option_key,
    rng_for,
)
from quizzes.bank.generators.matching import pair_source
from quizzes.bank.models import QuestionKind

KIND = QuestionKind.ORDERING
MIN_ITEMS, MAX_ITEMS = 4, 5
COURSE_RUNS = 3
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _distinct_years(events):
    seen, kept = set(), []
    for event in sorted(events, key=lambda e: (e.sort_key, e.pk)):
        if event.year not in seen:
            seen.add(event.year)
            kept.append(event)
    return kept


def _draft(*, generator, run, rng, item, lesson):
    run = sorted(run, key=lambda e: e.sort_key)
    items = [{"key": option_key(e.title, "item"), "text": e.title} for e in run]
    order = [item_["key"] for item_ in items]
    rng.shuffle(items)
    own = [e for e in run if lesson is None or e.lesson.pk == lesson.pk] or run
    return make_draft(
        kind=KIND,
        generator=generator,
        prompt="Put these events in order, earliest first.",
        body={"items": items},
        answer={
            "order": order,
            "sources": {k: pair_source(e) for k, e in zip(order, run, strict=True)},
        },
        explanation=explain("In order: " + "; ".join(f"{e.title} ({e.when})" for e in run) + "."),
        item=item,
        lesson=lesson,
        section=most_common([e.section for e in own]),
        citation=most_common([e.citation for e in own]),
    )


def _usable(events):
    titles, kept = set(), []
    for event in events:
        if _HAS_YEAR.search(event.title) or event.title in titles:
            continue  # a year in the title gives the order away
        titles.add(event.title)
        kept.append(event)
    return kept


def lessons(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """Each lesson's events; a lesson with two or three is padded from the nearest lessons."""
    generator = "order.lesson"
    events = _usable(content.events)
    drafts = []
    for lesson in content.lessons:
        own = _distinct_years([e for e in events if e.lesson.pk == lesson.pk])
        if len(own) < 2:
            continue
        pool = list(own)
        if len(pool) < MIN_ITEMS:
            rng = rng_for(seed, generator, "pad", lesson.pk)
            years = {e.year for e in pool}
            for other in nearest_first(
                [e for e in events if e.lesson.pk != lesson.pk], lesson=lesson, rng=rng
            ):
                if other.year not in years and len(pool) < MIN_ITEMS:
                    years.add(other.year)
                    pool.append(other)
            pool = _distinct_years(pool)
        for index, run in enumerate(chunk(pool, low=MIN_ITEMS, high=MAX_ITEMS)):
            rng = rng_for(seed, generator, lesson.pk, index)
            drafts.append(_draft(generator=generator, run=run, rng=rng, item=lesson, lesson=lesson))
    return drafts


def timeline(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """Neighbouring events along the whole timeline: close in time, so harder."""
    generator = "order.timeline"
    drafts = []
    events = _distinct_years(_usable(content.events))
    for index, run in enumerate(chunk(events, low=MIN_ITEMS, high=MAX_ITEMS)):
        rng = rng_for(seed, generator, index)
        drafts.append(_draft(generator=generator, run=run, rng=rng, item=None, lesson=None))
    return drafts


def course(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """Runs that span the eras: one event from each of up to five eras."""
    generator = "order.course"
    by_era = {}
    for event in _distinct_years(_usable(content.events)):
        by_era.setdefault(event.era_id, []).append(event)
    if len(by_era) < MIN_ITEMS:
        return []
    drafts, seen = [], set()
    for index in range(COURSE_RUNS):
        rng = rng_for(seed, generator, index)
        eras = sorted(by_era)
        rng.shuffle(eras)
        run, years = [], set()
        for era in eras:
            choices = [e for e in by_era[era] if e.year not in years]
            if choices:
                pick = rng.choice(choices)
                run.append(pick)
                years.add(pick.year)
            if len(run) == MAX_ITEMS:
                break
        signature = frozenset(e.pk for e in run)
        if len(run) < MIN_ITEMS or signature in seen:
            continue
        seen.add(signature)
        drafts.append(_draft(generator=generator, run=run, rng=rng, item=None, lesson=None))
    return drafts


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return (
        lessons(content=content, seed=seed)
        + timeline(content=content, seed=seed)
        + course(content=content, seed=seed)
    )
