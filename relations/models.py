"""The course content: read-only for learners, edited in the admin.

Every item a learner sees points at a Citation (a source and the part of it), and most
belong to a Lesson so that quizzes and cards can be drawn lesson by lesson. Nothing here
knows about quizzes: the `quizzes` app reads these models, never the other way round.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

# A cloze fact marks its answer as [[answer]]; alternatives go after a bar: [[Yalu|Amnok]].
CLOZE_PATTERN = re.compile(r"\[\[([^\[\]]+?)\]\]")


class Source(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=60, help_text="e.g. encyclopedia article, event summary")
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.CharField(max_length=300, blank=True)
    published = models.CharField(
        max_length=60, blank=True, help_text="Date as the source gives it, e.g. 29 July 2003"
    )
    series = models.CharField(max_length=200, blank=True, help_text="e.g. Special Report #115")
    url = models.URLField(blank=True)
    note = models.TextField(blank=True, help_text="What the source is and how far to trust it")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class Citation(models.Model):
    """A source and the part of it, such as a section heading or a paragraph."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=200, help_text="Section heading or paragraph")

    class Meta:
        ordering = ["source__order", "locator"]
        constraints = [
            models.UniqueConstraint(fields=["source", "locator"], name="unique_citation")
        ]

    def __str__(self):
        return f"{self.source.title} — {self.locator}"


class Era(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """A panelist, a historical figure, or a source speaking in its own voice."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    affiliation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, help_text="e.g. panelist, leader of North Korea")
    is_panelist = models.BooleanField(default=False)
    is_source_voice = models.BooleanField(
        default=False,
        help_text="A document's own viewpoint, not a person: never offered as a wrong answer",
    )
    bio = models.TextField(blank=True)
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-is_panelist", "order", "name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class Lesson(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField()
    people = models.ManyToManyField(Person, blank=True, related_name="lessons")
    shows_border_map = models.BooleanField(
        default=False, help_text="Show the schematic map of the border on this lesson"
    )

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("relations:lesson", kwargs={"slug": self.slug})


class Section(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(help_text="Anchor within the lesson page")
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Our own words; blank lines separate paragraphs")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["lesson__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "slug"], name="unique_section_anchor")
        ]

    def __str__(self):
        return f"{self.lesson.title}: {self.heading}"

    def get_absolute_url(self):
        return f"{self.lesson.get_absolute_url()}#{self.slug}"


class EditorNote(models.Model):
    """Where a source is wrong or garbled, what it says, and what is right."""

    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="notes")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="editor_notes"
    )
    source_says = models.CharField(max_length=200, help_text="The wrong or garbled text")
    correction = models.CharField(max_length=300)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["citation__source__order", "id"]

    def __str__(self):
        return f"“{self.source_says}” → {self.correction}"


class LessonItem(models.Model):
    """Fields every testable item shares: its lesson, the section that teaches it,
    where it comes from, and an optional editor's note."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="%(class)ss")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="+")
    editor_note = models.ForeignKey(
        EditorNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.section_id and self.lesson_id and self.section.lesson_id != self.lesson_id:
            raise ValidationError({"section": "The section must belong to the same lesson."})


class Event(LessonItem):
    era = models.ForeignKey(Era, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True, help_text="Exact day, when it is known")
    summary = models.TextField()
    significance = models.TextField(help_text="Why it matters, in a sentence or two")
    people = models.ManyToManyField(Person, blank=True, related_name="events")

    class Meta:
        ordering = ["year", "date", "id"]

    def __str__(self):
        return f"{self.when} — {self.title}"

    @property
    def when(self) -> str:
        if self.date:
            return f"{self.date.day} {self.date:%B %Y}"
        if self.end_year and self.end_year != self.year:
            return f"{self.year}–{self.end_year}"
        return str(self.year)

    @property
    def sort_key(self):
        return (self.year, self.date.toordinal() if self.date else 0)


class Claim(LessonItem):
    """An argument a person made, in our words."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="claims")
    topic = models.CharField(max_length=120)
    statement = models.TextField()
    context = models.TextField(blank=True, help_text="Where and why they said it")
    quotation = models.CharField(
        max_length=120, blank=True, help_text="A short attributed quotation, if any"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["person__order", "order", "id"]

    def __str__(self):
        return f"{self.person.name}: {self.statement[:60]}"


class Debate(LessonItem):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    question = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class Position(models.Model):
    class Side(models.TextChoices):
        CRITICS = "critics", "Critics"
        PROPONENTS = "proponents", "Proponents"

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="positions")
    side = models.CharField(max_length=20, choices=Side.choices)
    holder = models.CharField(
        max_length=120, help_text="Who holds it, e.g. 'Critics of Beijing's approach'"
    )
    statement = models.TextField()
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["debate", "order", "side", "id"]

    def __str__(self):
        return f"{self.debate.title} — {self.get_side_display()}"

    @property
    def lesson(self):
        return self.debate.lesson


class Term(LessonItem):
    term = models.CharField(max_length=120)
    definition = models.TextField()
    alternatives = models.CharField(
        max_length=300, blank=True, help_text="Other accepted spellings, separated by |"
    )

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    @property
    def alternative_list(self) -> list[str]:
        return [a.strip() for a in self.alternatives.split("|") if a.strip()]


class Fact(LessonItem):
    """A statement with its answer span marked as [[answer]] or [[answer|alternative]]."""

    class AnswerKind(models.TextChoices):
        # Distractors for a blank come from facts whose answers are of the same kind.
        PERSON = "person", "A person"
        PLACE = "place", "A place"
        YEAR = "year", "A year or date"
        NUMBER = "number", "A number"
        ORGANISATION = "organisation", "An organisation or institution"
        TERM = "term", "A term or phrase"

    text = models.TextField()
    topic = models.CharField(max_length=120, blank=True)
    answer_kind = models.CharField(
        max_length=20, choices=AnswerKind.choices, default=AnswerKind.TERM
    )

    class Meta:
        ordering = ["lesson__order", "id"]

    def __str__(self):
        return self.plain_text

    def clean(self):
        super().clean()
        if len(CLOZE_PATTERN.findall(self.text)) != 1:
            raise ValidationError({"text": "Mark exactly one answer span as [[answer]]."})

    @property
    def _span(self):
        match = CLOZE_PATTERN.search(self.text)
        return match.group(1).split("|") if match else [""]

    @property
    def answer(self) -> str:
        return self._span[0].strip()

    @property
    def alternative_list(self) -> list[str]:
        return [a.strip() for a in self._span[1:] if a.strip()]

    @property
    def plain_text(self) -> str:
        return CLOZE_PATTERN.sub(lambda m: m.group(1).split("|")[0], self.text)

    @property
    def blanked_text(self) -> str:
        return CLOZE_PATTERN.sub("_____", self.text)
