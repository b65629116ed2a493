"""Users and course content."""

import datetime

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.roles import make_instructor
from relations import models as content

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InstructorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")

    @factory.post_generation
    def instructor_role(obj, create, extracted, **kwargs):
        if create:
            make_instructor(obj)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    kind = "article"
    # Factory citations record no passage, so the checks of what a passage says skip them;
    # tests of those checks make sources that record their passages.
    records_passages = False


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Citation

    source = factory.SubFactory(SourceFactory)
    locator = factory.Sequence(lambda n: f"Section {n}")


class EraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Era
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"era-{n}")
    name = factory.Sequence(lambda n: f"Era {n}")
    order = factory.Sequence(int)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    affiliation = factory.Sequence(lambda n: f"University {n}")
    role = "panelist"
    is_panelist = True
    citation = factory.SubFactory(CitationFactory)
    order = factory.Sequence(int)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Lesson

    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    order = factory.Sequence(int)
    summary = "What this lesson covers."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Section

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(int)
    slug = factory.Sequence(lambda n: f"section-{n}")
    heading = factory.Sequence(lambda n: f"Heading {n}")
    body = "A paragraph in our own words.\n\nAnother paragraph."
    citation = factory.SubFactory(CitationFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Event

    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    era = factory.SubFactory(EraFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    year = factory.Sequence(lambda n: 1950 + n)
    summary = "Something happened."
    significance = "It mattered."


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Claim

    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    person = factory.SubFactory(PersonFactory)
    topic = "influence"
    statement = factory.Sequence(lambda n: f"Claim number {n} about the alliance.")


class DebateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Debate

    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    slug = factory.Sequence(lambda n: f"debate-{n}")
    title = factory.Sequence(lambda n: f"Debate {n}")
    question = "Is this approach wise?"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Position

    debate = factory.SubFactory(DebateFactory)
    side = content.Position.Side.CRITICS
    holder = "Critics"
    statement = factory.Sequence(lambda n: f"Position statement {n}.")
    citation = factory.SubFactory(CitationFactory)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Term

    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    term = factory.Sequence(lambda n: f"Term {n}")
    definition = factory.Sequence(lambda n: f"Definition number {n}.")


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.Fact

    lesson = factory.SubFactory(LessonFactory)
    citation = factory.SubFactory(CitationFactory)
    text = factory.Sequence(lambda n: f"Fact {n} has the answer [[Answer{n}]] in it.")


class EditorNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = content.EditorNote

    citation = factory.SubFactory(CitationFactory)
    source_says = "Kim Jung Il"
    correction = "Kim Il Sung"


def days_from_now(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def make_lesson_content(*, lesson=None, size: int = 1, **lesson_fields):
    """A lesson with `size` of everything the reading pages show: sections, events (with
    a person), a panelist's and a historical figure's claims, debates with both sides, terms,
    facts and editor's notes. Returns the lesson."""
    lesson = lesson or LessonFactory(**lesson_fields)
    for _ in range(size):
        section = SectionFactory(lesson=lesson)
        note = EditorNoteFactory(lesson=lesson)
        figure = PersonFactory(is_panelist=False, role="leader")
        lesson.people.add(figure)
        event = EventFactory(lesson=lesson, section=section, editor_note=note)
        event.people.add(figure)
        ClaimFactory(lesson=lesson, section=section, person=PersonFactory(), editor_note=note)
        ClaimFactory(lesson=lesson, person=figure, topic="leadership")
        debate = DebateFactory(lesson=lesson, section=section)
        PositionFactory(debate=debate, side=content.Position.Side.CRITICS, holder="Critics")
        PositionFactory(debate=debate, side=content.Position.Side.PROPONENTS, holder="Supporters")
        TermFactory(lesson=lesson, section=section)
        FactFactory(lesson=lesson, section=section)
    return lesson
