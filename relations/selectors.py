"""The queries behind the reading pages.

Each function returns everything its page shows, in a fixed number of queries however much
content there is (the tests in tests/relations/test_queries.py hold them to that).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from relations.models import (
    Citation,
    Claim,
    Debate,
    EditorNote,
    Era,
    Event,
    Fact,
    Lesson,
    Person,
    Position,
    Section,
    Source,
    Term,
)

# What every cited, lesson-bound item needs to render its citation, its links and its
# editor's note (with the passage the note rests on).
ITEM_RELATIONS = (
    "citation__source",
    "lesson",
    "section",
    "editor_note__citation__source",
    "editor_note__basis__source",
)
NOTE_RELATIONS = ("citation__source", "basis__source")


def _count_per_lesson(model) -> Coalesce:
    counts = (
        model.objects.filter(lesson=OuterRef("pk"))
        .order_by()
        .values("lesson")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def lessons_overview() -> QuerySet[Lesson]:
    """Lessons in order, each annotated with how much it covers (one query)."""
    return Lesson.objects.annotate(
        section_count=_count_per_lesson(Section),
        event_count=_count_per_lesson(Event),
        claim_count=_count_per_lesson(Claim),
        debate_count=_count_per_lesson(Debate),
        term_count=_count_per_lesson(Term),
        fact_count=_count_per_lesson(Fact),
    )


@dataclass
class DebateSides:
    debate: Debate
    critics: list[Position]
    proponents: list[Position]


@dataclass
class PersonClaims:
    person: Person
    claims: list[Claim]


@dataclass
class LessonPage:
    lesson: Lesson
    sections: list[Section]
    events: list[Event]
    debates: list[DebateSides]
    claims_by_person: list[PersonClaims]
    terms: list[Term]
    people: list[Person]
    editor_notes: list[EditorNote]
    previous: Lesson | None = None
    next: Lesson | None = None


def split_sides(debate: Debate) -> DebateSides:
    positions = list(debate.positions.all())
    return DebateSides(
        debate=debate,
        critics=[p for p in positions if p.side == Position.Side.CRITICS],
        proponents=[p for p in positions if p.side == Position.Side.PROPONENTS],
    )


def group_claims_by_person(claims) -> list[PersonClaims]:
    """Claims grouped under their person, people in their usual order."""
    groups: dict[int, PersonClaims] = {}
    for claim in claims:
        group = groups.setdefault(claim.person_id, PersonClaims(claim.person, []))
        group.claims.append(claim)
    return sorted(
        groups.values(),
        key=lambda g: (
            not g.person.is_panelist,
            g.person.is_source_voice,
            g.person.order,
            g.person.name,
        ),
    )


def lesson_page(*, slug: str) -> LessonPage:
    """Everything the lesson page shows. Raises Lesson.DoesNotExist for an unknown slug."""
    lesson = Lesson.objects.get(slug=slug)
    in_lesson = Q(lesson=lesson)
    sections = list(
        lesson.sections.select_related("citation__source").prefetch_related(
            Prefetch("editor_notes", queryset=EditorNote.objects.select_related(*NOTE_RELATIONS))
        )
    )
    events = list(
        Event.objects.filter(in_lesson)
        .select_related("era", *ITEM_RELATIONS)
        .prefetch_related("people")
    )
    debates = (
        Debate.objects.filter(in_lesson)
        .select_related(*ITEM_RELATIONS)
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("citation__source"))
        )
    )
    claims = Claim.objects.filter(in_lesson).select_related("person", *ITEM_RELATIONS)
    terms = list(Term.objects.filter(in_lesson).select_related(*ITEM_RELATIONS))
    people = list(
        Person.objects.filter(
            Q(lessons=lesson) | Q(claims__lesson=lesson) | Q(events__lesson=lesson)
        )
        .exclude(is_source_voice=True)  # a document's own view is not a person in it
        .distinct()
        .select_related("citation__source")
    )
    # Notes filed under the lesson, and notes beside any of its sections or items.
    noted = Q(lesson=lesson) | Q(pk__in=Section.editor_notes.through.objects.filter(
        section__lesson=lesson).values("editornote"))
    for model in (Event, Claim, Debate, Term, Fact):
        noted |= Q(pk__in=model.objects.filter(in_lesson).values("editor_note"))
    editor_notes = list(EditorNote.objects.filter(noted).select_related(*NOTE_RELATIONS))
    previous, following = _neighbours(lesson)
    return LessonPage(
        lesson=lesson,
        sections=sections,
        events=events,
        debates=[split_sides(debate) for debate in debates],
        claims_by_person=group_claims_by_person(claims),
        terms=terms,
        people=people,
        editor_notes=editor_notes,
        previous=previous,
        next=following,
    )


def _neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    # One small query for the whole course; ties in `order` make two range queries fragile.
    ordered = list(Lesson.objects.only("slug", "title", "order"))
    index = next(i for i, other in enumerate(ordered) if other.pk == lesson.pk)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following


def timeline_eras() -> list[Era]:
    """Eras in order, each with its events (era.events.all()); empty eras left out."""
    events = Prefetch(
        "events",
        queryset=Event.objects.select_related(*ITEM_RELATIONS).prefetch_related("people"),
    )
    return [era for era in Era.objects.prefetch_related(events) if era.events.all()]


@dataclass
class Cell:
    person: Person
    claims: list[Claim]


@dataclass
class TopicRow:
    """One topic across the panel: cells[i] holds panelist i's claims on it (maybe none)."""

    topic: str
    cells: list[Cell]


@dataclass
class PeoplePage:
    panelists: list[Person]
    # Topics two or more panelists spoke to, one row each, so their claims line up.
    shared_rows: list[TopicRow]
    # Everything else, one column per panelist (columns[i] is panelists[i]'s).
    columns: list[Cell]
    others: list[Person]
    # The sources' own viewpoints (is_source_voice), kept apart from real people.
    source_voices: list[Person]


def people_page() -> PeoplePage:
    """The panelists side by side, topic by topic, then everyone else, then the sources'
    own viewpoints (three queries)."""
    claims = Claim.objects.select_related(*ITEM_RELATIONS).order_by("order", "id")
    people = list(
        Person.objects.select_related("citation__source").prefetch_related(
            Prefetch("claims", queryset=claims), "lessons"
        )
    )
    panelists = [p for p in people if p.is_panelist]
    shared_rows, columns = compare_by_topic(panelists)
    return PeoplePage(
        panelists=panelists,
        shared_rows=shared_rows,
        columns=columns,
        others=[p for p in people if not p.is_panelist and not p.is_source_voice],
        source_voices=[p for p in people if not p.is_panelist and p.is_source_voice],
    )


def compare_by_topic(panelists: list[Person]) -> tuple[list[TopicRow], list[Cell]]:
    """Line the panelists' claims up by topic (case and spacing ignored), topics in the order
    the panel raised them. Topics only one panelist spoke to go to that panelist's column
    instead of a row of empty cells."""
    rows: dict[str, TopicRow] = {}
    column = {person.pk: i for i, person in enumerate(panelists)}
    every_claim = [claim for person in panelists for claim in person.claims.all()]
    every_claim.sort(key=lambda c: (c.order, column[c.person_id], c.pk))
    for claim in every_claim:
        key = " ".join(claim.topic.split()).casefold()
        row = rows.setdefault(
            key, TopicRow(claim.topic.strip(), [Cell(person, []) for person in panelists])
        )
        row.cells[column[claim.person_id]].claims.append(claim)
    shared = [row for row in rows.values() if sum(bool(cell.claims) for cell in row.cells) > 1]
    shared_ids = {claim.pk for row in shared for cell in row.cells for claim in cell.claims}
    columns = [
        Cell(person, _grouped_by_topic(
            [claim for claim in person.claims.all() if claim.pk not in shared_ids]
        ))
        for person in panelists
    ]
    return shared, columns


def _grouped_by_topic(claims: list) -> list:
    """Claims on the same topic together (topics in order of first appearance), so a
    column shows each topic's heading once; the order within a topic is kept."""
    first_seen: dict[str, int] = {}
    for claim in claims:
        first_seen.setdefault(claim.topic, len(first_seen))
    return sorted(claims, key=lambda claim: first_seen[claim.topic])


@dataclass
class LetterGroup:
    letter: str
    terms: list[Term] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "letter-other" if self.letter == "#" else f"letter-{self.letter.lower()}"


def _sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def initial(text: str) -> str:
    """The A–Z letter a term files under; '#' for anything else."""
    key = _sort_key(text)
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def glossary_groups() -> list[LetterGroup]:
    """Terms A–Z (accents and case ignored), grouped by initial letter (one query)."""
    terms = sorted(
        Term.objects.select_related(*ITEM_RELATIONS), key=lambda t: (_sort_key(t.term), t.pk)
    )
    groups: dict[str, LetterGroup] = {}
    for term in terms:
        groups.setdefault(initial(term.term), LetterGroup(initial(term.term))).terms.append(term)
    return sorted(groups.values(), key=lambda g: (g.letter == "#", g.letter))


@dataclass
class SourceEntry:
    source: Source
    notes: list[EditorNote]
    # The course context's paragraphs, each with the record it rests on (none for a document).
    paragraphs: list[Citation] = field(default_factory=list)


def source_entries() -> list[SourceEntry]:
    """Every source with the editor's notes on it, and the course context with its
    paragraphs (three queries)."""
    notes: dict[int, list[EditorNote]] = {}
    for note in EditorNote.objects.select_related(*NOTE_RELATIONS, "lesson"):
        notes.setdefault(note.citation.source_id, []).append(note)
    paragraphs: dict[int, list[Citation]] = {}
    for paragraph in Citation.objects.filter(source__is_course_context=True):
        paragraphs.setdefault(paragraph.source_id, []).append(paragraph)
    return [
        SourceEntry(source, notes.get(source.pk, []), paragraphs.get(source.pk, []))
        for source in Source.objects.all()
    ]
