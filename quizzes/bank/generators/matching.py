"""Matching: descriptions to terms, and arguments to the people who made them, 4 to 6
pairs per question, grouped by lesson (padded with the nearest lessons' items).

Each pair keeps its own citation and editor's note (answer["sources"], by left key), so
the feedback cites, pair by pair, the passage that holds it."""

from dataclasses import replace

from quizzes.bank.facts import item_key
from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    chunk,
    explain,
    make_draft,
    mentions,
    most_common,
    nearest_first,
    option_key,
    redraft,
    rng_for,
)
from quizzes.bank.generators.choosing import display_name
from quizzes.bank.grading import normalize_answer
from quizzes.bank.models import QuestionKind
from quizzes.bank.wording import shared_words, without_asides

KIND = QuestionKind.MATCHING
MIN_PAIRS, MAX_PAIRS = 4, 6


def _name(claim) -> str:
    return display_name(claim.person)


def _said(claim) -> str:
    return without_asides(claim.statement)


def _unique_by(items, text_of):
    seen, kept = set(), []
    for item in items:
        folded = normalize_answer(text_of(item))
        if folded and folded not in seen:
            seen.add(folded)
            kept.append(item)
    return kept


def _groups(items, *, lessons, generator, seed):
    """(lesson, items) runs of MIN..MAX items: each lesson's own, padded when short."""
    by_lesson = {}
    for item in items:
        by_lesson.setdefault(item.lesson.pk, []).append(item)
    groups = []
    for lesson in lessons:
        own = by_lesson.get(lesson.pk, [])
        if len(own) < 2:
            continue  # too few to be this lesson's question; neighbours borrow them
        pool = list(own)
        if len(pool) < MIN_PAIRS:
            rng = rng_for(seed, generator, "pad", lesson.pk)
            others = nearest_first(
                [i for i in items if i.lesson.pk != lesson.pk], lesson=lesson, rng=rng
            )
            pool += others[: MIN_PAIRS - len(pool)]
        for index, run in enumerate(chunk(pool, low=MIN_PAIRS, high=MAX_PAIRS)):
            groups.append((lesson, index, run))
    return groups


def _draft(
    *,
    generator,
    lesson,
    index,
    seed,
    run,
    prompt,
    left_text,
    right_of,
    explanation,
    spare_rights=(),
):
    rng = rng_for(seed, generator, lesson.pk, index)
    rights = []
    for item in run:
        if right_of(item) not in rights:
            rights.append(right_of(item))
    # With few choices on the right, one more (nearest first) stops pure elimination.
    for spare in spare_rights:
        if len(rights) >= 3:
            break
        if spare not in rights:
            rights.append(spare)
    left = [{"key": option_key(left_text(item), "left"), "text": left_text(item)} for item in run]
    right = [{"key": option_key(text, "right"), "text": text} for text in rights]
    pairs = {option_key(left_text(i), "left"): option_key(right_of(i), "right") for i in run}
    sources = {option_key(left_text(i), "left"): pair_source(i) for i in run}
    rng.shuffle(left)
    rng.shuffle(right)
    own = [item for item in run if item.lesson.pk == lesson.pk]
    return make_draft(
        kind=KIND,
        generator=generator,
        prompt=prompt,
        body={"left": left, "right": right},
        answer={"pairs": pairs, "sources": sources},
        explanation=explanation,
        item=lesson,
        lesson=lesson,
        section=most_common([item.section for item in own]),
        citation=most_common([item.citation for item in own]),
    )


def pair_source(item) -> dict:
    """Where one pair (or one event of an ordering) comes from: its item, its own
    citation, and its editor's note only where it has one."""
    citation = item.citation
    return {
        "item": item_key(item),
        "citation": item.citation_id,
        "cited": f"{citation.source.title}, {citation.locator}",
        "note": item.editor_note_id,
    }


def terms(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "match.terms"
    usable = [
        t
        for t in content.terms
        if not mentions(t.definition, t.term) and not shared_words(t.term, t.definition)
    ]
    usable = _unique_by(_unique_by(usable, lambda t: t.term), lambda t: t.definition)
    drafts = []
    for lesson, index, run in _groups(
        usable, lessons=content.lessons, generator=generator, seed=seed
    ):
        drafts.append(
            _draft(
                generator=generator,
                lesson=lesson,
                index=index,
                seed=seed,
                run=run,
                prompt="Match each description to its term.",
                left_text=lambda t: t.definition,
                right_of=lambda t: t.term,
                explanation=explain(*(f"{t.term}: {t.definition}" for t in run)),
            )
        )
    return drafts


def claims(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    generator = "match.claims"
    usable = [c for c in content.claims if not mentions(c.statement, c.person.name)]
    usable = _unique_by(usable, lambda c: c.statement)
    drafts = []
    for lesson, index, run in _groups(
        usable, lessons=content.lessons, generator=generator, seed=seed
    ):
        if len({claim.person.pk for claim in run}) < 2:
            continue  # one person for every argument is no question
        rng = rng_for(seed, generator, "spare", lesson.pk, index)
        spares = [_name(c) for c in nearest_first(usable, lesson=lesson, rng=rng)]
        drafts.append(
            _draft(
                generator=generator,
                lesson=lesson,
                index=index,
                seed=seed,
                run=run,
                spare_rights=spares,
                prompt="Match each argument to the person who made it. "
                "A person may have made more than one.",
                left_text=_said,
                right_of=_name,
                explanation=explain(*(f"{_name(c)}: {_said(c)}" for c in run)),
            )
        )
    return drafts


def claim_topics(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """Within one lesson: each argument to the topic it is about."""
    generator = "match.claim_topics"
    usable = _unique_by(_unique_by(content.claims, lambda c: c.statement), lambda c: c.topic)
    drafts = []
    for lesson in content.lessons:
        own = [c for c in usable if c.lesson.pk == lesson.pk and c.topic.strip()]
        own = _unique_by(own, lambda c: c.topic)
        for index, run in enumerate(chunk(own, low=MIN_PAIRS, high=MAX_PAIRS)):
            drafts.append(
                _draft(
                    generator=generator,
                    lesson=lesson,
                    index=index,
                    seed=seed,
                    run=run,
                    prompt="Match each argument to what it is about.",
                    left_text=_said,
                    right_of=lambda c: c.topic,
                    explanation=explain(
                        *(f"{c.topic}: {_name(c)} argued that {_said(c)}" for c in run)
                    ),
                )
            )
    return drafts


def panel_claims(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    """Across the course: two arguments from each of several panelists per question, so
    every panelist's claims are matched against the others'."""
    generator = "match.panel_claims"
    by_person = {}
    for claim in _unique_by(content.claims, lambda c: c.statement):
        if claim.person.is_panelist and not mentions(claim.statement, claim.person.name):
            by_person.setdefault(claim.person.pk, []).append(claim)
    people = sorted(by_person)
    if len(people) < 2:
        return []
    per_person = max(1, MAX_PAIRS // len(people)) if len(people) <= MAX_PAIRS else 1
    queues = {}
    for pk in people:
        queue = list(by_person[pk])
        rng_for(seed, generator, "shuffle", pk).shuffle(queue)
        queues[pk] = queue
    rounds = -(-max(len(q) for q in queues.values()) // per_person)
    drafts = []
    for index in range(rounds):
        run = []
        for pk in people[:MAX_PAIRS]:
            queue = queues[pk]
            run += [queue[(index * per_person + k) % len(queue)] for k in range(per_person)]
        run = _unique_by(run, lambda c: c.statement)[:MAX_PAIRS]
        if len(run) < MIN_PAIRS:
            continue
        lesson = most_common([c.lesson for c in run])
        draft = _draft(
            generator=generator,
            lesson=lesson,
            index=index,
            seed=seed,
            run=run,
            prompt="Match each argument to the panelist who made it.",
            left_text=_said,
            right_of=_name,
            explanation=explain(*(f"{_name(c)}: {_said(c)}" for c in run)),
        )
        # It spans several lessons: file it under none, so lesson quizzes stay on topic;
        # the feedback still links the section most of its arguments come from.
        section = most_common([c.section for c in run])
        drafts.append(replace(draft, lesson=None, section=section, item=None))
    return [redraft(d) for d in drafts]


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return (
        terms(content=content, seed=seed)
        + claims(content=content, seed=seed)
        + claim_topics(content=content, seed=seed)
        + panel_claims(content=content, seed=seed)
    )
