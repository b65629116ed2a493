"""True or false. Each item gives a true statement and a plausible false one, or none:
a claim given to another speaker of the same standing, an event put in another year of
its own period, a debate position given to the other side, a term with the definition
of a term of the same kind, a fact with another answer of the same kind in its blank.
An item with no plausible false statement gives no true one either, so the bank's keys
stay balanced; the draw keeps a quiz's keys balanced (quizzes/practice/drawing.py)."""

import re

from quizzes.bank.generators.base import (
    CourseContent,
    QuestionDraft,
    explain,
    is_source_error,
    make_draft,
    mentions,
    nearest_first,
    option_key,
    position_statement,
    rng_for,
    same_shape_answers,
)
from quizzes.bank.generators.choosing import debate_topic, display_name
from quizzes.bank.grading import grade_typed, normalize_answer
from quizzes.bank.models import QuestionKind
from quizzes.bank.periods import course_periods, false_years
from quizzes.bank.wording import (
    article_fits,
    shared_words,
    term_form,
    without_asides,
    word_before,
)

KIND = QuestionKind.TRUE_FALSE
TRUE, FALSE = "True", "False"
BODY = {
    "options": [{"key": option_key(TRUE), "text": TRUE}, {"key": option_key(FALSE), "text": FALSE}]
}
SIDE_WORDS = {"critics": "critics", "proponents": "proponents"}
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def _draft(generator, item, statement, is_true, explanation, why_not="", **extra):
    """`why_not` says why "True" is wrong for a false statement (a true one's "False"
    always gets the same sentence): each option's feedback, shown after answering."""
    answer = {"key": option_key(TRUE if is_true else FALSE)}
    wrong = TRUE if not is_true else FALSE
    answer["feedback"] = {
        option_key(wrong): why_not if not is_true else "No: it is true as it stands."
    }
    return make_draft(
        kind=KIND,
        generator=generator,
        prompt=f"True or false? {statement}",
        body={"options": [dict(option) for option in BODY["options"]]},
        answer=answer,
        explanation=explanation,
        item=item,
        **extra,
    )


def _claim_sentence(name: str, statement: str) -> str:
    return f"{name} made this argument: {statement}"


def _standing(person):
    return (person.is_panelist, person.is_source_voice)


def claims(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    claimants = {claim.person.pk: claim.person for claim in content.claims}
    for claim in content.claims:
        person = claim.person
        if mentions(claim.statement, person.name):
            continue
        # Someone of the same standing (a panelist for a panelist, a document for a
        # document) who made claims too, but none on this topic, so it is really false.
        rng = rng_for(seed, "tf.claim_swapped_person", claim.pk)
        same_topic = {c.person.pk for c in content.claims if c.topic == claim.topic}
        others = [
            p
            for pk, p in sorted(claimants.items())
            if pk not in same_topic and _standing(p) == _standing(person)
        ]
        if not others:
            continue
        other = rng.choice(others)
        statement = without_asides(claim.statement)
        context = claim.context or ""
        name, other_name = display_name(person), display_name(other)
        drafts.append(
            _draft(
                "tf.claim_true",
                claim,
                _claim_sentence(name, statement),
                True,
                explain(f"True: {name} argued this.", context, citation=claim.citation),
            )
        )
        drafts.append(
            _draft(
                "tf.claim_swapped_person",
                claim,
                _claim_sentence(other_name, statement),
                False,
                explain(
                    f"False: {name} argued this, not {other_name}.",
                    context,
                    citation=claim.citation,
                ),
                why_not=f"No: {name} argued this, not {other_name}.",
            )
        )
    return drafts


def events(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    periods = course_periods(content.events)
    for event in content.events:
        if _HAS_YEAR.search(event.title):
            continue  # a year in the title would have to be changed too
        rng = rng_for(seed, "tf.event_wrong_year", event.pk)
        known = [e.year for e in content.events if e.era_id == event.era_id]
        years = false_years(
            year=event.year, end_year=event.end_year, periods=periods, known=known
        )
        if not years:
            continue
        year = rng.choice(years)
        verb = "began" if event.end_year and event.end_year != event.year else "happened"
        truth = explain(
            f"{event.title}: {event.when}.", event.significance, citation=event.citation
        )
        drafts.append(
            _draft(
                "tf.event_true",
                event,
                f"{event.title}: this {verb} in {event.year}.",
                True,
                f"True. {truth}",
            )
        )
        drafts.append(
            _draft(
                "tf.event_wrong_year",
                event,
                f"{event.title}: this {verb} in {year}.",
                False,
                f"False: not {year}. {truth}",
                why_not=f"No: it {verb} in {event.year}, not {year}.",
            )
        )
    return drafts


def positions(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    sides_by_debate = {}
    for position in content.positions:
        sides_by_debate.setdefault(position.debate_id, {}).setdefault(position.side, position)
    for position in content.positions:
        sides = sides_by_debate[position.debate_id]
        statement = position_statement(position)
        if len(sides) < 2 or statement is None:
            continue
        debate = position.debate
        other_side = next(side for side in sides if side != position.side)
        extra = {
            "lesson": debate.lesson,
            "section": debate.section,
            "editor_note": debate.editor_note,
        }

        topic = debate_topic(debate, content.positions)

        def sentence(side, statement=statement, topic=topic):
            return f"In the debate on “{topic}”, {SIDE_WORDS[side]} argue this: {statement}"

        drafts.append(
            _draft(
                "tf.position_true",
                position,
                sentence(position.side),
                True,
                explain(
                    f"True: this is the {SIDE_WORDS[position.side]}' position ({position.holder}).",
                    citation=position.citation,
                ),
                **extra,
            )
        )
        drafts.append(
            _draft(
                "tf.position_other_side",
                position,
                sentence(other_side),
                False,
                explain(
                    f"False: this is what {SIDE_WORDS[position.side]} argue ({position.holder}), "
                    f"not {SIDE_WORDS[other_side]}. {sides[other_side].holder} answer: "
                    f"{without_asides(sides[other_side].statement)}",
                    citation=position.citation,
                ),
                why_not=(
                    f"No: {SIDE_WORDS[position.side]} argue this, not {SIDE_WORDS[other_side]}."
                ),
                **extra,
            )
        )
    return drafts


def _shows_its_term(term, definition: str) -> bool:
    return bool(shared_words(term.term, definition))


def terms(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for term in content.terms:
        if _shows_its_term(term, term.definition):
            continue  # "“Korean War” means: the conflict on the Korean peninsula…"
        rng = rng_for(seed, "tf.term_wrong_definition", term.pk)
        others = nearest_first(
            [
                t
                for t in content.terms
                if t.pk != term.pk
                and t.definition != term.definition
                and term_form(t.term) == term_form(term.term)
                and not _shows_its_term(term, t.definition)
                and not mentions(t.definition, term.term)
            ],
            lesson=term.lesson,
            rng=rng,
        )
        if not others:
            continue
        other = others[0]
        meaning = f"{term.term}: {term.definition}"
        drafts.append(
            _draft(
                "tf.term_true",
                term,
                f"“{term.term}” means this: {term.definition}",
                True,
                explain(f"True. {meaning}", citation=term.citation),
            )
        )
        drafts.append(
            _draft(
                "tf.term_wrong_definition",
                term,
                f"“{term.term}” means this: {other.definition}",
                False,
                explain(f"False: that describes “{other.term}”. {meaning}", citation=term.citation),
                why_not=f"No: that describes “{other.term}”, not “{term.term}”.",
            )
        )
    return drafts


def _wrong_answer_for(fact, *, content, rng) -> str | None:
    """The source's own error where it is a different thing, else a same-kind answer that
    reads right where the true one stands ("from the ___" takes "the University of …")."""
    note = fact.editor_note
    if (
        note
        and normalize_answer(note.correction) == normalize_answer(fact.answer)
        and not grade_typed(typed=note.source_says, accepted=[fact.answer])[0]
    ):
        return note.source_says
    before = word_before(fact.blanked_text, "_____")
    candidates = [
        text
        for text in same_shape_answers(fact, content=content, rng=rng)
        if article_fits(before, text) == article_fits(before, fact.answer)
        and not mentions(fact.blanked_text, text)
    ]
    return rng.choice(candidates[:3]) if candidates else None


def facts(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    drafts = []
    for fact in content.facts:
        if is_source_error(fact.answer, content.notes):
            continue
        rng = rng_for(seed, "tf.fact_wrong_answer", fact.pk)
        wrong = _wrong_answer_for(fact, content=content, rng=rng)
        if wrong is None:
            continue  # no plausible false twin: no true statement either, keys stay even
        drafts.append(
            _draft(
                "tf.fact_true",
                fact,
                fact.plain_text,
                True,
                explain(f"True. {fact.plain_text}", citation=fact.citation),
            )
        )
        statement = fact.blanked_text.replace("_____", wrong, 1)
        drafts.append(
            _draft(
                "tf.fact_wrong_answer",
                fact,
                statement,
                False,
                explain(
                    f"False: the answer is {fact.answer}, not {wrong}. {fact.plain_text}",
                    citation=fact.citation,
                ),
                why_not=f"No: the answer is {fact.answer}, not {wrong}.",
            )
        )
    return drafts


PARTS = (claims, events, positions, terms, facts)


def generate(*, content: CourseContent, seed: int) -> list[QuestionDraft]:
    return [draft for part in PARTS for draft in part(content=content, seed=seed)]
