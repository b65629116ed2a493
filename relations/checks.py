"""The content check: what would make the course wrong or unteachable, item by item.

find_content_problems() reads the whole course in a handful of queries and returns one
Problem per defect, naming the item and what is wrong. `manage.py check_content` prints
them and fails if there are any; the tests run it on the real course.

It reads foreign keys as raw ids and looks them up itself, so an item that points at a row
that no longer exists is reported rather than silently dropped by a join.

Beyond the structure it runs the checks of what can be checked against the sources
(relations/source_checks.py): every name, year and number an item states is in the passage
it cites, a note is beside every text that points to it, and the timeline is in true date
order.
"""

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
)
from relations.problems import (
    CITED_MODELS,
    CONTENT_MODELS,
    LESSON_ITEMS,
    Course,
    Problem,
    label,
    problem,
)
from relations.source_checks import SOURCE_CHECKS, cited_texts

__all__ = ["CITED_MODELS", "CONTENT_MODELS", "Problem", "cited_texts", "find_content_problems"]


def find_content_problems() -> list[Problem]:
    course = Course()
    problems: list[Problem] = []
    for check in (
        _empty_text,
        _citations,
        _broken_references,
        _lessons_without_sections,
        _debates_without_both_sides,
        _claims_without_a_person,
        _cloze_answers,
        *SOURCE_CHECKS,
    ):
        problems.extend(check(course))
    return problems


def _required_text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.blank
    ]


def _empty_text(course):
    for obj in course.items():
        for name in _required_text_fields(type(obj)):
            if not str(getattr(obj, name) or "").strip():
                yield problem(obj, f"its {name.replace('_', ' ')} is empty")


def _citations(course):
    citations, sources = course[Citation], course[Source]
    for citation in citations.values():
        if citation.source_id not in sources:
            yield problem(citation, f"its source (#{citation.source_id}) does not exist")
    for model in CITED_MODELS:
        for obj in course[model].values():
            if obj.citation_id is None:
                yield problem(obj, "it has no citation")
            elif obj.citation_id not in citations:
                yield problem(obj, f"its citation (#{obj.citation_id}) does not exist")
            elif not citations[obj.citation_id].locator.strip():
                yield problem(obj, "its citation does not say which part of the source")


def _broken_references(course):
    lessons, sections, notes = course[Lesson], course[Section], course[EditorNote]
    people, eras, debates = course[Person], course[Era], course[Debate]
    for section in sections.values():
        if section.lesson_id not in lessons:
            yield problem(section, f"its lesson (#{section.lesson_id}) does not exist")
    for note in notes.values():
        if note.lesson_id is not None and note.lesson_id not in lessons:
            yield problem(note, f"its lesson (#{note.lesson_id}) does not exist")
    for position in course[Position].values():
        if position.debate_id not in debates:
            yield problem(position, f"its debate (#{position.debate_id}) does not exist")
    for model in LESSON_ITEMS:
        for item in course[model].values():
            if item.lesson_id not in lessons:
                yield problem(item, f"its lesson (#{item.lesson_id}) does not exist")
            if item.section_id is not None:
                section = sections.get(item.section_id)
                if section is None:
                    yield problem(item, f"its section (#{item.section_id}) does not exist")
                elif section.lesson_id != item.lesson_id:
                    yield problem(
                        item,
                        f"its section “{section.heading}” belongs to another lesson "
                        f"(#{section.lesson_id}, not #{item.lesson_id})",
                    )
            if item.editor_note_id is not None:
                note = notes.get(item.editor_note_id)
                if note is None:
                    yield problem(
                        item, f"its editor's note (#{item.editor_note_id}) does not exist"
                    )
                elif note.lesson_id is not None and note.lesson_id != item.lesson_id:
                    yield problem(
                        item,
                        f"its editor's note “{label(note)}” is filed under another lesson "
                        f"(#{note.lesson_id}, not #{item.lesson_id})",
                    )
    for event in course[Event].values():
        if event.era_id not in eras:
            yield problem(event, f"its era (#{event.era_id}) does not exist")
    events = course[Event]
    for event_id, person_id in course.event_people:
        if event_id in events and person_id not in people:
            yield problem(events[event_id], f"one of its people (#{person_id}) does not exist")
    for lesson_id, person_id in course.lesson_people:
        if lesson_id in lessons and person_id not in people:
            yield problem(lessons[lesson_id], f"one of its people (#{person_id}) does not exist")


def _lessons_without_sections(course):
    taught = {section.lesson_id for section in course[Section].values()}
    for lesson in course[Lesson].values():
        if lesson.pk not in taught:
            yield problem(lesson, "it has no sections")


def _debates_without_both_sides(course):
    sides: dict[int, set[str]] = {}
    for position in course[Position].values():
        sides.setdefault(position.debate_id, set()).add(position.side)
    for debate in course[Debate].values():
        for side in Position.Side:
            if side.value not in sides.get(debate.pk, set()):
                yield problem(debate, f"it has no position for the {side.label.lower()}")
    for position in course[Position].values():
        if position.side not in Position.Side.values:
            yield problem(
                position, f"its side “{position.side}” is neither critics nor proponents"
            )


def _claims_without_a_person(course):
    people = course[Person]
    for claim in course[Claim].values():
        if claim.person_id is None:
            yield problem(claim, "it has no person")
        elif claim.person_id not in people:
            yield problem(claim, f"its person (#{claim.person_id}) does not exist")
        elif not people[claim.person_id].name.strip():
            yield problem(claim, "its person has no name")


def _cloze_answers(course):
    for fact in course[Fact].values():
        spans = CLOZE_PATTERN.findall(fact.text)
        if len(spans) != 1:
            yield problem(fact, f"it marks {len(spans)} answers; mark exactly one as [[answer]]")
        elif not spans[0].split("|")[0].strip():
            yield problem(fact, "its marked answer is blank")
