"""The content check: what would make the course wrong or unteachable, item by item.

find_content_problems() reads the whole course in a handful of queries and returns one
Problem per defect, naming the item and what is wrong. `manage.py check_content` prints
them and fails if there are any; the tests run it on the real course.

It reads foreign keys as raw ids and looks them up itself, so an item that points at a row
that no longer exists is reported rather than silently dropped by a join.

Beyond the structure it checks what can be checked of the sources (see relations/passages.py):
every name, year and number an item states is in the passage it cites, every cloze answer
and glossary term is, a source claim's note is on every page that discusses it, and the
timeline is in true date order.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from relations.models import (
    CLOZE_PATTERN,
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
    date_problems,
)
from relations.passages import (
    FUNCTION_WORDS,
    capitalised_inside_sentences,
    citation_vocabulary,
    fold,
    names_and_numbers,
)

CONTENT_MODELS = (
    Source,
    Citation,
    Era,
    Person,
    Lesson,
    Section,
    EditorNote,
    Event,
    Claim,
    Debate,
    Position,
    Term,
    Fact,
)
# Everything a learner sees, and so everything that must cite a source and the part of it.
CITED_MODELS = (Person, Section, EditorNote, Event, Claim, Debate, Position, Term, Fact)
LESSON_ITEMS = (Event, Claim, Debate, Term, Fact)


@dataclass(frozen=True)
class Problem:
    model: str
    pk: object
    item: str
    message: str

    def __str__(self):
        return f"{self.model} #{self.pk} “{self.item}”: {self.message}"


def _label(obj) -> str:
    try:
        return str(obj)
    except ObjectDoesNotExist:  # __str__ follows a reference that points nowhere
        return f"{obj._meta.verbose_name} #{obj.pk}"


def _problem(obj, message: str) -> Problem:
    return Problem(
        model=obj._meta.verbose_name.capitalize(), pk=obj.pk, item=_label(obj), message=message
    )


def _required_text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.blank
    ]


class _Course:
    """The whole course in memory, each model as a dict by primary key."""

    def __init__(self):
        # order_by(): default orderings follow foreign keys, and their inner joins would drop
        # exactly the rows whose references are broken.
        self.rows = {
            model: {obj.pk: obj for obj in model.objects.order_by("pk")} for model in CONTENT_MODELS
        }
        self.event_people = list(Event.people.through.objects.values_list("event_id", "person_id"))
        self.lesson_people = list(
            Lesson.people.through.objects.values_list("lesson_id", "person_id")
        )
        self.section_notes = list(
            Section.editor_notes.through.objects.values_list("section_id", "editornote_id")
        )

    def __getitem__(self, model):
        return self.rows[model]

    def items(self):
        for model in CONTENT_MODELS:
            yield from self.rows[model].values()


def find_content_problems() -> list[Problem]:
    course = _Course()
    problems: list[Problem] = []
    for check in (
        _empty_text,
        _citations,
        _broken_references,
        _lessons_without_sections,
        _debates_without_both_sides,
        _claims_without_a_person,
        _cloze_answers,
        _passages_recorded,
        _cited_text_is_in_its_passage,
        _answers_are_in_their_passage,
        _editorial_positions,
        _notes_shown_where_they_are_mentioned,
        _event_dates,
        _timeline_order,
    ):
        problems.extend(check(course))
    return problems


def _empty_text(course):
    for obj in course.items():
        for name in _required_text_fields(type(obj)):
            if not str(getattr(obj, name) or "").strip():
                yield _problem(obj, f"its {name.replace('_', ' ')} is empty")


def _citations(course):
    citations, sources = course[Citation], course[Source]
    for citation in citations.values():
        if citation.source_id not in sources:
            yield _problem(citation, f"its source (#{citation.source_id}) does not exist")
    for model in CITED_MODELS:
        for obj in course[model].values():
            if obj.citation_id is None:
                yield _problem(obj, "it has no citation")
            elif obj.citation_id not in citations:
                yield _problem(obj, f"its citation (#{obj.citation_id}) does not exist")
            elif not citations[obj.citation_id].locator.strip():
                yield _problem(obj, "its citation does not say which part of the source")


def _broken_references(course):
    lessons, sections, notes = course[Lesson], course[Section], course[EditorNote]
    people, eras, debates = course[Person], course[Era], course[Debate]
    for section in sections.values():
        if section.lesson_id not in lessons:
            yield _problem(section, f"its lesson (#{section.lesson_id}) does not exist")
    for note in notes.values():
        if note.lesson_id is not None and note.lesson_id not in lessons:
            yield _problem(note, f"its lesson (#{note.lesson_id}) does not exist")
    for position in course[Position].values():
        if position.debate_id not in debates:
            yield _problem(position, f"its debate (#{position.debate_id}) does not exist")
    for model in LESSON_ITEMS:
        for item in course[model].values():
            if item.lesson_id not in lessons:
                yield _problem(item, f"its lesson (#{item.lesson_id}) does not exist")
            if item.section_id is not None:
                section = sections.get(item.section_id)
                if section is None:
                    yield _problem(item, f"its section (#{item.section_id}) does not exist")
                elif section.lesson_id != item.lesson_id:
                    yield _problem(
                        item,
                        f"its section “{section.heading}” belongs to another lesson "
                        f"(#{section.lesson_id}, not #{item.lesson_id})",
                    )
            if item.editor_note_id is not None:
                note = notes.get(item.editor_note_id)
                if note is None:
                    yield _problem(
                        item, f"its editor's note (#{item.editor_note_id}) does not exist"
                    )
                elif note.lesson_id is not None and note.lesson_id != item.lesson_id:
                    yield _problem(
                        item,
                        f"its editor's note “{_label(note)}” is filed under another lesson "
                        f"(#{note.lesson_id}, not #{item.lesson_id})",
                    )
    for event in course[Event].values():
        if event.era_id not in eras:
            yield _problem(event, f"its era (#{event.era_id}) does not exist")
    events = course[Event]
    for event_id, person_id in course.event_people:
        if event_id in events and person_id not in people:
            yield _problem(events[event_id], f"one of its people (#{person_id}) does not exist")
    for lesson_id, person_id in course.lesson_people:
        if lesson_id in lessons and person_id not in people:
            yield _problem(lessons[lesson_id], f"one of its people (#{person_id}) does not exist")


def _lessons_without_sections(course):
    taught = {section.lesson_id for section in course[Section].values()}
    for lesson in course[Lesson].values():
        if lesson.pk not in taught:
            yield _problem(lesson, "it has no sections")


def _debates_without_both_sides(course):
    sides: dict[int, set[str]] = {}
    for position in course[Position].values():
        sides.setdefault(position.debate_id, set()).add(position.side)
    for debate in course[Debate].values():
        for side in Position.Side:
            if side.value not in sides.get(debate.pk, set()):
                yield _problem(debate, f"it has no position for the {side.label.lower()}")
    for position in course[Position].values():
        if position.side not in Position.Side.values:
            yield _problem(
                position, f"its side “{position.side}” is neither critics nor proponents"
            )


def _claims_without_a_person(course):
    people = course[Person]
    for claim in course[Claim].values():
        if claim.person_id is None:
            yield _problem(claim, "it has no person")
        elif claim.person_id not in people:
            yield _problem(claim, f"its person (#{claim.person_id}) does not exist")
        elif not people[claim.person_id].name.strip():
            yield _problem(claim, "its person has no name")


def _cloze_answers(course):
    for fact in course[Fact].values():
        spans = CLOZE_PATTERN.findall(fact.text)
        if len(spans) != 1:
            yield _problem(fact, f"it marks {len(spans)} answers; mark exactly one as [[answer]]")
        elif not spans[0].split("|")[0].strip():
            yield _problem(fact, "its marked answer is blank")


# --- what the sources say ------------------------------------------------------------------


def cited_texts(obj) -> list[str]:
    """What a learner reads of an item, all of which its citation must bear out. A term's
    or an answer's other accepted forms are left out: they name the same thing, and
    _answers_are_in_their_passage checks that the passage gives one of the forms."""
    if isinstance(obj, Section):
        return [obj.heading, obj.body]
    if isinstance(obj, Event):
        return [obj.title, obj.summary, obj.significance, obj.when]
    if isinstance(obj, Claim):
        return [obj.statement, obj.quotation, obj.context]
    if isinstance(obj, Debate):
        return [obj.title, obj.question]
    if isinstance(obj, Position):
        return [obj.holder, obj.statement]
    if isinstance(obj, Term):
        return [obj.term, obj.definition]
    if isinstance(obj, Fact):
        return [obj.plain_text]
    if isinstance(obj, Person):
        return [obj.name, obj.role, obj.affiliation, obj.bio]
    if isinstance(obj, EditorNote):
        return [obj.source_says]
    return []


class _Passages:
    """Each citation's vocabulary, once, and the words the course uses as names.

    An item may also say what the editor's notes shown beside it say: a note brings its own
    citation (the passage it quotes) and the passage it rests on."""

    def __init__(self, course):
        self.course = course
        self.sources = course[Source]
        self.citations = course[Citation]
        self._vocabularies = {}
        self._note_citations = {
            note.pk: [c for c in (note.citation_id, note.basis_id) if c in self.citations]
            for note in course[EditorNote].values()
        }
        self._section_notes: dict[int, list[int]] = {}
        for section_id, note_id in course.section_notes:
            self._section_notes.setdefault(section_id, []).append(note_id)
        texts = [text for model in CITED_MODELS for obj in course[model].values()
                 for text in cited_texts(obj)]
        texts += [note.explanation for note in course[EditorNote].values()]
        self.known_names = capitalised_inside_sentences(texts)

    def checked(self, citation_id) -> bool:
        citation = self.citations.get(citation_id)
        source = citation and self.sources.get(citation.source_id)
        return bool(source) and source.records_passages

    def vocabulary(self, citation_id):
        if citation_id not in self._vocabularies:
            citation = self.citations[citation_id]
            self._vocabularies[citation_id] = citation_vocabulary(
                citation, self.sources[citation.source_id]
            )
        return self._vocabularies[citation_id]

    def beside(self, obj) -> list[int]:
        """The citations of the notes shown with `obj`."""
        if isinstance(obj, Section):
            note_ids = self._section_notes.get(obj.pk, [])
        else:
            note_ids = [getattr(obj, "editor_note_id", None)]
        return [c for note_id in note_ids for c in self._note_citations.get(note_id, [])]

    def says(self, form: str, citation_ids) -> bool:
        return any(self.vocabulary(c).says(form) for c in citation_ids if self.checked(c))

    def has_words_of(self, form: str, citation_ids) -> bool:
        words = {w for w in fold(form).split() if len(w) > 1 and w not in FUNCTION_WORDS}
        return any(words <= self.vocabulary(c).words for c in citation_ids if self.checked(c))

    def missing(self, texts, *citation_ids) -> list[str]:
        """The names and numbers in `texts` that none of the citations' passages say."""
        words = set()
        for citation_id in citation_ids:
            if self.checked(citation_id):
                words |= self.vocabulary(citation_id).words
        needed = set()
        for text in texts:
            needed |= names_and_numbers(text or "", known_names=self.known_names)
        return sorted(needed - words)

    def locator(self, citation_id) -> str:
        return self.citations[citation_id].locator


def _passages_recorded(course):
    sources = course[Source]
    for citation in course[Citation].values():
        source = sources.get(citation.source_id)
        if source is None or not source.records_passages:
            continue
        if source.is_course_context:
            if not citation.passage.strip():
                yield _problem(citation, "this course context paragraph has no text")
            if not citation.record.strip():
                yield _problem(citation, "this course context paragraph names no record it "
                                         "rests on")
        elif not citation.supported_terms:
            yield _problem(citation, "it records none of the terms its passage contains")


def _cited_text_is_in_its_passage(course):
    passages = _Passages(course)
    for model in CITED_MODELS:
        for obj in course[model].values():
            if not passages.checked(obj.citation_id):
                continue
            missing = passages.missing(
                cited_texts(obj), obj.citation_id, *passages.beside(obj)
            )
            if missing:
                yield _problem(
                    obj,
                    f"its citation ({passages.locator(obj.citation_id)}) does not contain "
                    f"{', '.join(missing)}",
                )
    for note in course[EditorNote].values():
        cited = [c for c in (note.citation_id, note.basis_id) if passages.checked(c)]
        if not cited or (note.basis_id and not passages.checked(note.basis_id)):
            continue
        missing = passages.missing([note.correction, note.explanation], *cited)
        if missing:
            yield _problem(
                note,
                f"what it says is in neither the passage it notes nor the one it rests on: "
                f"{', '.join(missing)}",
            )


def _answers_are_in_their_passage(course):
    """A cloze answer must be what its passage says, in one of its forms; a glossary term's
    words must all be there ("big brother" … "little brother" bears out the term "Big
    brother and little brother")."""
    passages = _Passages(course)
    for fact in course[Fact].values():
        cited = [fact.citation_id, *passages.beside(fact)]
        if passages.checked(fact.citation_id) and not any(
            passages.says(form, cited) for form in [fact.answer, *fact.alternative_list]
        ):
            yield _problem(
                fact,
                f"its answer “{fact.answer}” is not in its citation "
                f"({passages.locator(fact.citation_id)}) in any of its forms",
            )
    for term in course[Term].values():
        cited = [term.citation_id, *passages.beside(term)]
        if passages.checked(term.citation_id) and not any(
            passages.has_words_of(form, cited) for form in [term.term, *term.alternative_list]
        ):
            yield _problem(
                term,
                f"the term is not in its citation ({passages.locator(term.citation_id)}) in "
                f"any of its forms",
            )


def _is_context(course, citation_id) -> bool:
    citation = course[Citation].get(citation_id)
    source = citation and course[Source].get(citation.source_id)
    return bool(source) and source.is_course_context


def _editorial_positions(course):
    """A position the course wrote itself is marked so, and cites the course context."""
    for position in course[Position].values():
        context = _is_context(course, position.citation_id)
        if position.is_editorial and not context:
            yield _problem(position, "it is the course's editorial position but does not cite "
                                     "the course context")
        elif context and not position.is_editorial:
            yield _problem(position, "it cites the course context, so it is the course's own "
                                     "position: mark it as editorial")


# "(see the editor's note)" points at a note that must be beside the text; any other
# mention of editor's notes needs at least one on the same lesson page.
_POINTS_TO_A_NOTE = re.compile(r"see the editor[’']s notes?\b", re.IGNORECASE)
_MENTIONS_A_NOTE = re.compile(r"editor[’']s notes?\b", re.IGNORECASE)


def _notes_shown_where_they_are_mentioned(course):
    notes = course[EditorNote]
    section_notes: dict[int, set[int]] = {}
    for section_id, note_id in course.section_notes:
        section_notes.setdefault(section_id, set()).add(note_id)
        if note_id not in notes:
            yield _problem(course[Section][section_id],
                           f"one of its editor's notes (#{note_id}) does not exist")
    on_lesson_page: dict[int, set[int]] = {}
    for note in notes.values():
        if note.lesson_id is not None:
            on_lesson_page.setdefault(note.lesson_id, set()).add(note.pk)
    for section in course[Section].values():
        beside = section_notes.get(section.pk, ())
        on_lesson_page.setdefault(section.lesson_id, set()).update(beside)
    for model in LESSON_ITEMS:
        for item in course[model].values():
            if item.editor_note_id:
                on_lesson_page.setdefault(item.lesson_id, set()).add(item.editor_note_id)
    for section in course[Section].values():
        if _POINTS_TO_A_NOTE.search(section.body) and not section_notes.get(section.pk):
            yield _problem(section, "it says “see the editor's note” but shows none beside it")
        elif _MENTIONS_A_NOTE.search(section.body) and not on_lesson_page.get(section.lesson_id):
            yield _problem(section, "it mentions editor's notes but its lesson page shows none")
    shown = {note_id for ids in section_notes.values() for note_id in ids}
    for model in LESSON_ITEMS:
        for item in course[model].values():
            shown.add(item.editor_note_id)
            if not item.editor_note_id and any(
                _MENTIONS_A_NOTE.search(text or "") for text in cited_texts(item)
            ):
                yield _problem(item, "it mentions an editor's note but has none")
    for note in notes.values():
        if note.lesson_id is None and note.pk not in shown:
            yield _problem(note, "no page shows it: file it under a lesson or attach it to "
                                 "the items or sections it concerns")
        if note.kind == EditorNote.Kind.QUALIFICATION and note.basis_id is None:
            yield _problem(note, "it qualifies what a source says but does not say what it "
                                 "rests on")
        if note.basis_id is not None and note.basis_id not in course[Citation]:
            yield _problem(note, f"what it rests on (#{note.basis_id}) does not exist")


def _event_dates(course):
    for event in course[Event].values():
        for message in date_problems(event):
            yield _problem(event, message)


def _listed_order(event):
    # The order the timeline lists events in (Event.Meta.ordering): by year, then by date,
    # an event known only by its year first.
    return (event.year, event.date is not None, event.date or 0, event.pk)


def _timeline_order(course):
    """Each era's events, as the timeline lists them, are in true date order, and none is
    dated so loosely that its place among them is a guess."""
    by_era: dict[int, list[Event]] = {}
    for event in sorted(course[Event].values(), key=_listed_order):
        by_era.setdefault(event.era_id, []).append(event)
    for events in by_era.values():
        for before, after in zip(events, events[1:], strict=False):
            if after.sort_key < before.sort_key:
                yield _problem(after, f"the timeline lists it after “{before.title}”, which "
                                      f"is later")
        for event in events:
            if event.precision == Event.Precision.YEAR and not event.is_range and any(
                other.year == event.year and other.precision != Event.Precision.YEAR
                for other in events
            ):
                yield _problem(event, f"it is dated only to {event.year}, so the timeline "
                                      f"cannot place it among that year's dated events")
