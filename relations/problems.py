"""What every content check shares: the problem it reports, the course it reads, and which
models it reads (relations/checks.py runs the checks; relations/source_checks.py holds those
that test the course against its sources)."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

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


def label(obj) -> str:
    try:
        return str(obj)
    except ObjectDoesNotExist:  # __str__ follows a reference that points nowhere
        return f"{obj._meta.verbose_name} #{obj.pk}"


def problem(obj, message: str) -> Problem:
    return Problem(
        model=obj._meta.verbose_name.capitalize(), pk=obj.pk, item=label(obj), message=message
    )


class Course:
    """The whole course in memory, each model as a dict by primary key.

    It reads foreign keys as raw ids, so a check can look them up itself and report an item
    that points at a row that no longer exists rather than drop it in a join."""

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
