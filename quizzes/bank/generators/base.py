"""What every generator shares: the draft they return, the content they read, and the
helpers that pick distractors nearest first.

A generator is a pure function `generate(*, content: CourseContent, seed: int)` returning
a list of QuestionDraft. It reads only what `content` holds (loaded once, by
load_course_content) and draws every random choice from random.Random seeded by the seed
and the item, so the same content and seed give the same questions, and an edit to one
item changes only the questions that show it.
"""

import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from quizzes.bank.grading import normalize_answer

FINGERPRINT_VERSION = 1


@dataclass(frozen=True)
class QuestionDraft:
    """An unsaved bank question. `fingerprint` is a hash of the kind, the generator and
    everything the question shows, so regenerating an unchanged item finds its row."""

    kind: str
    generator: str
    prompt: str
    body: dict
    answer: dict
    explanation: str
    lesson: object = field(default=None, repr=False)
    section: object = field(default=None, repr=False)
    citation: object = field(default=None, repr=False)
    editor_note: object = field(default=None, repr=False)
    item: object = field(default=None, repr=False)
    fingerprint: str = ""
    asks: tuple = ()  # fact keys, filled in by generate_all (see quizzes/bank/facts.py)
    reveals: tuple = ()


@dataclass(frozen=True)
class CourseContent:
    """Everything the generators read, loaded in a few queries (see load_course_content)."""

    lessons: tuple = ()
    people: tuple = ()
    events: tuple = ()
    claims: tuple = ()
    debates: tuple = ()
    positions: tuple = ()
    terms: tuple = ()
    facts: tuple = ()
    notes: tuple = ()
    extra: dict = field(default_factory=dict)


def load_course_content() -> CourseContent:
    """One query per kind of item, with what the questions show joined in."""
    from relations import models as content

    item_joins = ("lesson", "section", "citation__source", "editor_note")

    def by_pk(queryset):
        return tuple(sorted(queryset, key=lambda obj: obj.pk))

    return CourseContent(
        lessons=by_pk(content.Lesson.objects.all()),
        people=by_pk(content.Person.objects.select_related("citation__source")),
        events=by_pk(content.Event.objects.select_related("era", *item_joins)),
        claims=by_pk(content.Claim.objects.select_related("person", *item_joins)),
        debates=by_pk(content.Debate.objects.select_related(*item_joins)),
        positions=by_pk(
            content.Position.objects.select_related(
                "citation__source",
                "debate__lesson",
                "debate__section",
                "debate__editor_note",
                "debate__citation__source",
            )
        ),
        terms=by_pk(content.Term.objects.select_related(*item_joins)),
        facts=by_pk(content.Fact.objects.select_related(*item_joins)),
        notes=by_pk(content.EditorNote.objects.all()),
    )


# --- drafts ------------------------------------------------------------------------------


def item_label(item) -> str:
    if item is None:
        return "none"
    meta = item._meta
    return f"{meta.app_label}.{meta.model_name}:{item.pk}"


def fingerprint(*, kind: str, generator: str, item, prompt: str, body: dict, answer: dict) -> str:
    shown = {
        "v": FINGERPRINT_VERSION,
        "kind": kind,
        "generator": generator,
        "item": item_label(item),
        "prompt": prompt,
        "body": body,
        "answer": answer,
    }
    encoded = json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def make_draft(
    *,
    kind,
    generator,
    prompt,
    body,
    answer,
    explanation,
    item,
    lesson=None,
    section=None,
    citation=None,
    editor_note=None,
) -> QuestionDraft:
    """A draft whose lesson, section, citation and note default to the item's own."""
    lesson = lesson if lesson is not None else getattr(item, "lesson", None)
    section = section if section is not None else getattr(item, "section", None)
    citation = citation if citation is not None else getattr(item, "citation", None)
    if editor_note is None:
        editor_note = getattr(item, "editor_note", None)
    return QuestionDraft(
        kind=str(kind),
        generator=generator,
        prompt=prompt,
        body=body,
        answer=answer,
        explanation=explanation,
        lesson=lesson,
        section=section,
        citation=citation,
        editor_note=editor_note,
        item=item,
        fingerprint=fingerprint(
            kind=str(kind),
            generator=generator,
            item=item,
            prompt=prompt,
            body=body,
            answer=answer,
        ),
    )


def redraft(draft: QuestionDraft) -> QuestionDraft:
    """The draft with its fingerprint recomputed (after dataclasses.replace)."""
    return QuestionDraft(
        **{
            **draft.__dict__,
            "fingerprint": fingerprint(
                kind=draft.kind,
                generator=draft.generator,
                item=draft.item,
                prompt=draft.prompt,
                body=draft.body,
                answer=draft.answer,
            ),
        }
    )


def rng_for(seed: int, generator: str, *parts) -> random.Random:
    """A generator's random source for one item: independent of every other item."""
    return random.Random(":".join([str(seed), generator, *map(str, parts)]))


def option_key(text: str, salt: str = "") -> str:
    """A stable key for an option; it says nothing about which option is right."""
    return hashlib.sha256(f"{salt}|{text}".encode()).hexdigest()[:10]


def choice_question(
    *, correct: str, distractors, rng: random.Random, shuffle=True, why_wrong=None
):
    """(body, answer) for a one-answer question; options shuffled in the bank too.
    `why_wrong` is {distractor text: why it is wrong}, shown after answering (Moodle's
    per-answer feedback, answer["feedback"] by option key)."""
    texts = [correct, *distractors]
    if shuffle:
        rng.shuffle(texts)
    options = [{"key": option_key(text), "text": text} for text in texts]
    answer = {"key": option_key(correct)}
    feedback = {
        option_key(text): why for text, why in (why_wrong or {}).items()
        if why and text in distractors
    }
    if feedback:
        answer["feedback"] = feedback
    return {"options": options}, answer


# --- distractors -------------------------------------------------------------------------


def lesson_distance(lesson, other) -> int:
    """0 for the same lesson, then further the further apart the lessons are."""
    if lesson is None or other is None:
        return 1000
    if lesson.pk == other.pk:
        return 0
    return 1 + abs((lesson.order or 0) - (other.order or 0))


def nearest_first(candidates, *, lesson, rng: random.Random, lesson_of=None):
    """Candidates shuffled, then sorted by how near their lesson is: same lesson first."""
    lesson_of = lesson_of or (lambda candidate: getattr(candidate, "lesson", None))
    pool = list(candidates)
    rng.shuffle(pool)
    pool.sort(key=lambda candidate: lesson_distance(lesson, lesson_of(candidate)))
    return pool


def distinct_texts(texts, *, exclude=(), limit: int) -> list[str]:
    """Up to `limit` texts, no two alike (by the grader's folding), none like `exclude`."""
    seen = {normalize_answer(text) for text in exclude}
    chosen = []
    for text in texts:
        folded = normalize_answer(text)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        chosen.append(text)
        if len(chosen) == limit:
            break
    return chosen


def chunk(items: list, *, low: int, high: int) -> list[list]:
    """Split into runs of low..high items, as even as can be; a short list gives []."""
    if len(items) < low:
        return []
    count = -(-len(items) // high)  # ceil
    size, extra = divmod(len(items), count)
    if size < low:  # e.g. 7 items in runs of 4..6: two runs of 4 that overlap by one
        count = -(-len(items) // low)
        last = len(items) - low
        starts = sorted({round(index * last / (count - 1)) for index in range(count)})
        return [items[start : start + low] for start in starts]
    runs, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def most_common(values):
    values = [value for value in values if value is not None]
    if not values:
        return None
    counts = Counter(value.pk for value in values)
    top = max(counts.values())
    return next(value for value in values if counts[value.pk] == top)


# --- wording -----------------------------------------------------------------------------


def source_line(citation) -> str:
    if citation is None:
        return ""
    return f"Source: {citation.source.title}, {citation.locator}."


def explain(*parts, citation=None) -> str:
    text = " ".join(part.strip() for part in parts if part and part.strip())
    line = source_line(citation)
    return f"{text} {line}".strip()


def mentions(text: str, phrase: str) -> bool:
    """Whether `phrase` appears in `text`, ignoring case, accents and punctuation."""
    phrase_form = normalize_answer(phrase)
    return bool(phrase_form) and f" {phrase_form} " in f" {normalize_answer(text)} "


def is_source_error(text: str, notes) -> bool:
    """Whether `text` is what a source wrongly says (an editor's note's `source_says`)."""
    folded = normalize_answer(text)
    return any(folded == normalize_answer(note.source_says) for note in notes if note)


# --- answers of the same shape, for facts ------------------------------------------------

_YEAR = re.compile(r"^(1\d{3}|20\d{2})$")


def is_collective(person) -> bool:
    """A voice that is not one person ("The Wilson Center report (its own framing)")."""
    return person.name.strip().lower().startswith("the ")


def role_words(person) -> set[str]:
    return {word for word in normalize_answer(person.role).split() if len(word) > 3}


def answer_shape(text: str, *, people=()) -> str | None:
    """What kind of thing an answer is, so a distractor is never of another kind: a year,
    a person's name, or a person's affiliation. Anything else has no safe distractors."""
    if _YEAR.match(text.strip()):
        return "year"
    folded = normalize_answer(text)
    if any(folded == normalize_answer(p.name) for p in people if not is_collective(p)):
        return "person"
    if any(folded == normalize_answer(p.affiliation) for p in people if p.affiliation):
        return "affiliation"
    return None


def _similar_people(wanted, people, rng):
    """Other people of the same standing, those in a similar role first."""
    same = [
        p
        for p in people
        if p.pk != wanted.pk and not is_collective(p) and p.is_panelist == wanted.is_panelist
    ]
    rng.shuffle(same)
    role = role_words(wanted)
    if not wanted.is_panelist:  # a leader for a leader, never a report's drafter
        same = [p for p in same if role & role_words(p)]
    same.sort(key=lambda p: -len(role & role_words(p)))
    return same


def same_shape_answers(fact, *, content: CourseContent, rng: random.Random) -> list[str]:
    """Other answers of the same kind as the fact's, nearest first: years for a year,
    people in a similar role for a person, other affiliations for an affiliation."""
    answer = fact.answer
    folded = normalize_answer(answer)
    shape = answer_shape(answer, people=content.people)
    if getattr(fact, "answer_kind", "") == "number":
        # A number that looks like a year (Resolution 1718) is not one: years would be absurd
        # options, and other numbers of the course are not alike enough to stand beside it.
        return []
    if shape == "year":
        from quizzes.bank.periods import course_periods, false_years

        known = [int(o.answer) for o in content.facts if o.pk != fact.pk and _YEAR.match(o.answer)]
        known += [event.year for event in content.events]
        periods = course_periods(content.events)
        texts = [str(y) for y in false_years(year=int(answer), periods=periods, known=known)]
    elif shape == "person":
        wanted = next(
            p for p in content.people if normalize_answer(p.name) == folded and not is_collective(p)
        )
        texts = [p.name for p in _similar_people(wanted, content.people, rng)]
    elif shape == "affiliation":
        wanted = next(p for p in content.people if normalize_answer(p.affiliation) == folded)
        texts = [
            p.affiliation for p in _similar_people(wanted, content.people, rng) if p.affiliation
        ]
    else:
        texts = []
    return distinct_texts(texts, exclude=[answer, *fact.alternative_list], limit=len(texts))


# --- debate positions ----------------------------------------------------------------------

SIDE_GIVEAWAYS = (
    "critic",
    "critics",
    "critical",
    "proponent",
    "proponents",
    "supporter",
    "supporters",
    "opponent",
    "opponents",
    "observers",
)


_THAT = re.compile(r"\bthat\b[\s,]+")
# "In the article's own view, …", "According to critics, …": an attribution, not the point.
_LEADING_ATTRIBUTION = re.compile(
    r"^(in\s+[^,]{0,60}?\bview|according\s+to\s+[^,]{0,60}),\s*", re.IGNORECASE
)
EVALUATIVE_HEADS = ("right", "wrong", "correct", "mistaken")


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def position_statement(position) -> str | None:
    """A position's statement as a neutral claim: without its attribution ("Critics argue
    that …", "X is right to hold that …", "In the article's own view, …") and without
    asides, so the side is not given away; None when it cannot be said without naming it."""
    from quizzes.bank.wording import without_asides

    statement = without_asides(position.statement.strip())
    match = _THAT.search(statement)
    if match and match.start() <= 160:
        head, rest = statement[: match.start()], statement[match.end() :]
        holder_words = {w for w in normalize_answer(position.holder).split() if len(w) > 3}
        head_words = set(normalize_answer(head).split())
        giveaways = set(SIDE_GIVEAWAYS) | holder_words | set(EVALUATIVE_HEADS)
        if head_words & giveaways:
            statement = _capitalized(rest.lstrip(" ,;:"))
    statement = _capitalized(_LEADING_ATTRIBUTION.sub("", statement))
    if any(mentions(statement, word) for word in SIDE_GIVEAWAYS):
        return None
    return statement
