"""The course content: read-only for learners, edited in the admin.

Every item a learner sees points at a Citation (a source and the part of it), and most
belong to a Lesson so that quizzes and cards can be drawn lesson by lesson. Nothing here
knows about quizzes: the `quizzes` app reads these models, never the other way round.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
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
    is_course_context = models.BooleanField(
        default=False,
        help_text="The course's own summary of the public record, not a document it was "
        "built from: its citations hold their paragraph and the record it rests on",
    )
    records_passages = models.BooleanField(
        default=True,
        help_text="Each citation of this source records what its passage says (the key "
        "terms, or the paragraph itself), so the content check tests what is cited to it",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class Citation(models.Model):
    """A source and the part of it, such as a section heading or a paragraph.

    The course does not reproduce its source documents, so a citation of one lists the key
    terms its passage contains (`supports`); a citation of the course's own context holds
    its paragraph (`passage`) and the public record that paragraph rests on (`record`).
    The content check tests every cited item against these."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=200, help_text="Section heading or paragraph")
    supports = models.TextField(
        blank=True,
        help_text="Source documents: the names, numbers and key terms the passage contains, "
        "separated by |, never its sentences",
    )
    passage = models.TextField(
        blank=True, help_text="Course context: the paragraph itself, in the course's words"
    )
    record = models.TextField(
        blank=True,
        help_text="Course context: the public record the paragraph rests on (treaties, "
        "resolution numbers, dates), shown wherever it is cited",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["source__order", "order", "locator"]
        constraints = [
            models.UniqueConstraint(fields=["source", "locator"], name="unique_citation")
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.source.title} — {self.locator}"

    @property
    def supported_terms(self) -> list[str]:
        return [term.strip() for term in self.supports.split("|") if term.strip()]


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
    editor_notes = models.ManyToManyField(
        "EditorNote",
        blank=True,
        related_name="sections",
        help_text="Notes on what this section discusses, shown beside it",
    )

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
    """Where a source is wrong or garbled, or says something the record qualifies: what
    it says, what is right or what stands beside it, and what that rests on."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction: the source is wrong or garbled"
        QUALIFICATION = "qualification", "Qualification: the record or another voice adds to it"

    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="notes")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="editor_notes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    source_says = models.CharField(max_length=200, help_text="The source's words, quoted")
    correction = models.CharField(
        max_length=300, help_text="What is right (a correction) or what the record adds"
    )
    explanation = models.TextField(blank=True)
    basis = models.ForeignKey(
        Citation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The passage or the course context paragraph the note rests on",
    )

    class Meta:
        ordering = ["citation__source__order", "id"]

    def __str__(self):
        return f"“{self.source_says}” → {self.correction}"

    @property
    def sentence(self) -> str:
        """The note in one sentence, the same on every page, question and card."""
        joint = "but" if self.kind == self.Kind.QUALIFICATION else "in fact,"
        end = "" if self.correction.rstrip().endswith((".", "!", "?")) else "."
        return f"The source says “{self.source_says}”; {joint} {self.correction}{end}"


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
    """A dated event. `precision` says how much of the date is known; `date` and
    `end_date` hold it to that precision (the 1st of the month for a month) and are empty
    for a year. `year` and `end_year` are always set, so any event sorts by year."""

    class Precision(models.TextChoices):
        DAY = "day", "A day"
        MONTH = "month", "A month"
        YEAR = "year", "A year"

    era = models.ForeignKey(Era, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    precision = models.CharField(max_length=10, choices=Precision.choices, default="year")
    year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a range: the year it ended"
    )
    date = models.DateField(
        null=True, blank=True, help_text="The day or month it began, to its precision"
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="For a range: the day or month it ended"
    )
    summary = models.TextField()
    significance = models.TextField(help_text="Why it matters, in a sentence or two")
    people = models.ManyToManyField(Person, blank=True, related_name="events")

    class Meta:
        # Within a year, an event known only by its year comes first (the same on every
        # database: NULL dates would sort first on SQLite and last on PostgreSQL).
        ordering = ["year", F("date").asc(nulls_first=True), "id"]

    def __str__(self):
        return f"{self.when} — {self.title}"

    def clean(self):
        super().clean()
        problems = date_problems(self)
        if problems:
            raise ValidationError(problems[0])

    @property
    def is_range(self) -> bool:
        return bool(self.end_year) and (
            self.end_year != self.year or (self.end_date is not None and self.end_date != self.date)
        )

    @property
    def when(self) -> str:
        """The date as precisely as it is known: '25 June 1950', 'May 1950', '1949',
        '25–28 March 2018', 'October 1950 – October 1958', '1946–1948'."""
        return "".join(self.when_parts)

    @property
    def when_parts(self) -> tuple[str, str, str]:
        """(start, separator, end) as `when` shows them; the end is empty for one date."""
        start = _shown(self.precision, self.year, self.date)
        if not self.is_range:
            return start, "", ""
        end = _shown(self.precision, self.end_year, self.end_date)
        if self.precision == self.Precision.YEAR or self.date is None or self.end_date is None:
            return start, "–", end
        same_year = self.date.year == self.end_date.year
        if self.precision == self.Precision.DAY and same_year:
            if self.date.month == self.end_date.month:
                return str(self.date.day), "–", end
            return f"{self.date.day} {self.date:%B}", " – ", end
        if self.precision == self.Precision.MONTH and same_year:
            return f"{self.date:%B}", "–", end
        return start, " – ", end

    @property
    def sort_key(self):
        """True date order: year, then month and day where they are known."""
        known = self.date if self.precision != self.Precision.YEAR and self.date else None
        return (self.year, known.month if known else 0, known.day if known else 0)


def _shown(precision: str, year: int, date: datetime.date | None) -> str:
    if precision == Event.Precision.DAY and date:
        return f"{date.day} {date:%B %Y}"
    if precision == Event.Precision.MONTH and date:
        return f"{date:%B %Y}"
    return str(year)


def date_problems(event: Event) -> list[str]:
    """What makes an event's date fields disagree with each other or with its precision."""
    problems = []
    dated = event.precision in (Event.Precision.DAY, Event.Precision.MONTH)
    if event.precision not in Event.Precision.values:
        problems.append(f"its precision “{event.precision}” is not a day, a month or a year")
    elif not dated and (event.date or event.end_date):
        problems.append("it is dated to a year, but gives a day or month too")
    elif dated and event.date is None:
        problems.append(f"it is dated to a {event.precision}, but gives no date")
    if event.date and event.date.year != event.year:
        problems.append(f"its date ({event.date}) is not in its year ({event.year})")
    if event.precision == Event.Precision.MONTH and any(
        d and d.day != 1 for d in (event.date, event.end_date)
    ):
        problems.append("it is dated to a month, so its dates must be the 1st")
    if event.end_date and event.end_date.year != event.end_year:
        problems.append(f"its end date ({event.end_date}) is not in its end year")
    if dated and event.end_year and event.end_date is None:
        problems.append(f"it ends in {event.end_year} but gives no end {event.precision}")
    ends_early = event.end_year and event.end_year < event.year
    if ends_early or (event.end_date and event.date and event.end_date < event.date):
        problems.append("it ends before it begins")
    return problems


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
    is_editorial = models.BooleanField(
        default=False,
        help_text="Written by the course itself (neither source states it): shown as the "
        "course's editorial position and cited to the course context",
    )
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


class ContentVersion(models.Model):
    """One row: the version of the course's content, bumped whenever any of it changes.

    The cached reading pages are keyed by it (relations/page_cache.py). It lives in the
    database rather than in the cache because every app process and server reads the same
    database, while the default cache is each process's own memory: a version kept there
    would tell only the process that saved an edit that its pages are stale."""

    number = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return f"content version {self.number}"
