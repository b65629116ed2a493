"""The content checks that test the course against its sources (see relations/passages.py):
every name, year and number an item states is in the passage it cites, every cloze answer
and glossary term is, the course's own position is marked as such, a note is beside every
text that points to it, and the timeline can be listed in true date order."""

import re

from relations.models import (
    Citation,
    Claim,
    Debate,
    EditorNote,
    Event,
    Fact,
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
from relations.problems import CITED_MODELS, LESSON_ITEMS, problem


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


class Passages:
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
                yield problem(citation, "this course context paragraph has no text")
            if not citation.record.strip():
                yield problem(citation, "this course context paragraph names no record it "
                                         "rests on")
        elif not citation.supported_terms:
            yield problem(citation, "it records none of the terms its passage contains")


def _passages(course) -> Passages:
    # Built once per run of the checks: they share what each citation lets an item say.
    if not hasattr(course, "passages"):
        course.passages = Passages(course)
    return course.passages


def _cited_text_is_in_its_passage(course):
    passages = _passages(course)
    for model in CITED_MODELS:
        for obj in course[model].values():
            if not passages.checked(obj.citation_id):
                continue
            missing = passages.missing(
                cited_texts(obj), obj.citation_id, *passages.beside(obj)
            )
            if missing:
                yield problem(
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
            yield problem(
                note,
                f"what it says is in neither the passage it notes nor the one it rests on: "
                f"{', '.join(missing)}",
            )


def _answers_are_in_their_passage(course):
    """A cloze answer must be what its passage says, in one of its forms; a glossary term's
    words must all be there ("big brother" … "little brother" bears out the term "Big
    brother and little brother")."""
    passages = _passages(course)
    for fact in course[Fact].values():
        cited = [fact.citation_id, *passages.beside(fact)]
        if passages.checked(fact.citation_id) and not any(
            passages.says(form, cited) for form in [fact.answer, *fact.alternative_list]
        ):
            yield problem(
                fact,
                f"its answer “{fact.answer}” is not in its citation "
                f"({passages.locator(fact.citation_id)}) in any of its forms",
            )
    for term in course[Term].values():
        cited = [term.citation_id, *passages.beside(term)]
        if passages.checked(term.citation_id) and not any(
            passages.has_words_of(form, cited) for form in [term.term, *term.alternative_list]
        ):
            yield problem(
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
            yield problem(position, "it is the course's editorial position but does not cite "
                                     "the course context")
        elif context and not position.is_editorial:
            yield problem(position, "it cites the course context, so it is the course's own "
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
            yield problem(course[Section][section_id],
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
            yield problem(section, "it says “see the editor's note” but shows none beside it")
        elif _MENTIONS_A_NOTE.search(section.body) and not on_lesson_page.get(section.lesson_id):
            yield problem(section, "it mentions editor's notes but its lesson page shows none")
    shown = {note_id for ids in section_notes.values() for note_id in ids}
    for model in LESSON_ITEMS:
        for item in course[model].values():
            shown.add(item.editor_note_id)
            if not item.editor_note_id and any(
                _MENTIONS_A_NOTE.search(text or "") for text in cited_texts(item)
            ):
                yield problem(item, "it mentions an editor's note but has none")
    for note in notes.values():
        if note.lesson_id is None and note.pk not in shown:
            yield problem(note, "no page shows it: file it under a lesson or attach it to "
                                 "the items or sections it concerns")
        if note.kind == EditorNote.Kind.QUALIFICATION and note.basis_id is None:
            yield problem(note, "it qualifies what a source says but does not say what it "
                                 "rests on")
        if note.basis_id is not None and note.basis_id not in course[Citation]:
            yield problem(note, f"what it rests on (#{note.basis_id}) does not exist")


def _event_dates(course):
    for event in course[Event].values():
        for message in date_problems(event):
            yield problem(event, message)


def _start(event) -> tuple:
    """When an event began, to its precision: (year,), (year, month) or (year, month, day)."""
    if event.precision == Event.Precision.DAY and event.date:
        return (event.year, event.date.month, event.date.day)
    if event.precision == Event.Precision.MONTH and event.date:
        return (event.year, event.date.month)
    return (event.year,)


def _timeline_order(course):
    """The timeline lists each era in date order (Event.Meta.ordering, whose dates
    _event_dates holds to their years), but an event dated only to a year or a month is
    listed before everything else in it: among events of its era dated more precisely within
    that year or month its place is a guess, and it must be dated as precisely. A range is
    exempt, since it begins before the events inside it."""
    by_era: dict[int, list[tuple]] = {}
    for event in course[Event].values():
        by_era.setdefault(event.era_id, []).append(_start(event))
    for event in course[Event].values():
        start = _start(event)
        if event.is_range or len(start) == 3:
            continue
        if any(len(other) > len(start) and other[: len(start)] == start
               for other in by_era[event.era_id]):
            period = "in " + event.when
            yield problem(event, f"it is dated only {period}, so the timeline cannot place "
                                  f"it among the events of its era dated within it")


SOURCE_CHECKS = (
    _passages_recorded,
    _cited_text_is_in_its_passage,
    _answers_are_in_their_passage,
    _editorial_positions,
    _notes_shown_where_they_are_mentioned,
    _event_dates,
    _timeline_order,
)
