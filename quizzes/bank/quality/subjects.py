"""What the rules read: a question (a bank row or a draft) and the course around it."""

from dataclasses import dataclass, field

from quizzes.bank.facts import FactIndex, fact_index, item_key
from quizzes.bank.grading import CHOICE_KINDS, normalize_answer
from quizzes.bank.periods import course_periods


@dataclass(frozen=True)
class Subject:
    """One question as the rules see it, whether saved or only drafted."""

    label: str
    kind: str
    generator: str
    prompt: str
    body: dict
    answer: dict
    explanation: str
    item: object = None
    note: object = None
    asks: tuple = ()
    reveals: tuple = ()
    pk: int | None = None

    @property
    def options(self) -> list[dict]:
        return list((self.body or {}).get("options") or [])

    @property
    def key_text(self) -> str:
        """The right answer's text: the right option, or the typed answer."""
        if self.kind in CHOICE_KINDS:
            key = (self.answer or {}).get("key")
            return next((o["text"] for o in self.options if o["key"] == key), "")
        if self.kind == "cloze":
            return (self.answer or {}).get("text", "")
        return ""

    @property
    def distractors(self) -> list[str]:
        key = (self.answer or {}).get("key")
        return [o["text"] for o in self.options if o["key"] != key]

    @property
    def model(self) -> str:
        return self.item._meta.model_name if self.item is not None else ""


@dataclass
class Course:
    """The content, indexed the ways the rules look things up."""

    content: object
    index: FactIndex
    periods: tuple
    people: dict = field(default_factory=dict)  # folded name -> Person
    term_forms: dict = field(default_factory=dict)  # folded form -> Term
    events_by_title: dict = field(default_factory=dict)
    by_key: dict = field(default_factory=dict)  # fact key ("relations.term:3") -> item
    flagged_statistics: list = field(default_factory=list)  # (question id, detail)


def course_for(content) -> Course:
    people = {}
    for person in content.people:
        people[normalize_answer(person.name)] = person
        people[normalize_answer(person.name.split("(")[0])] = person
    term_forms = {}
    for term in content.terms:
        for form in [term.term, *term.alternative_list]:
            term_forms.setdefault(normalize_answer(form), term)
    return Course(
        content=content,
        index=fact_index(content),
        periods=course_periods(content.events),
        people=people,
        term_forms=term_forms,
        events_by_title={normalize_answer(e.title): e for e in content.events},
        by_key={
            item_key(item): item
            for group in (content.facts, content.terms, content.events, content.claims,
                          content.positions)
            for item in group
        },
    )


def from_draft(draft, *, index: int = 0) -> Subject:
    return Subject(
        label=f"draft {index} ({draft.generator})",
        kind=draft.kind,
        generator=draft.generator,
        prompt=draft.prompt,
        body=draft.body,
        answer=draft.answer,
        explanation=draft.explanation,
        item=draft.item,
        note=draft.editor_note,
        asks=tuple(draft.asks),
        reveals=tuple(draft.reveals),
    )


def items_by_type(content) -> dict:
    """(app_label.model, pk) -> item, for every item the generators read."""
    found = {}
    for group in (content.facts, content.terms, content.events, content.claims,
                  content.positions, content.debates, content.lessons, content.people):
        for item in group:
            found[(item._meta.label_lower, item.pk)] = item
    return found


def from_row(question, *, items: dict, notes: dict) -> Subject:
    from django.contrib.contenttypes.models import ContentType

    item = None
    if question.item_type_id and question.item_id:
        model = ContentType.objects.get_for_id(question.item_type_id)
        item = items.get((f"{model.app_label}.{model.model}", question.item_id))
    return Subject(
        label=f"#{question.pk} ({question.generator or question.origin})",
        kind=question.kind,
        generator=question.generator,
        prompt=question.prompt,
        body=question.body or {},
        answer=question.answer or {},
        explanation=question.explanation,
        item=item,
        note=notes.get(question.editor_note_id),
        asks=tuple(question.asks or ()),
        reveals=tuple(question.reveals or ()),
        pk=question.pk,
    )
