"""The content check: what would make the course wrong or unteachable, item by item.

find_content_problems() reads the whole course in a handful of queries and returns one
Problem per defect, naming the item and what is wrong. `manage.py check_content` prints
them and fails if there are any; the tests run it on the real course.

It reads foreign keys as raw ids and looks them up itself, so an item that points at a row
that no longer exists is reported rather than silently dropped by a join.
"""

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
