"""The question bank: generated and instructor-written questions side by side."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from quizzes.bank.kinds import KINDS


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "mcq", "Multiple choice"
    TRUE_FALSE = "tf", "True or false"
    WHO_ARGUED = "who", "Who argued this?"
    WHICH_SIDE = "side", "Which side?"
    MATCHING = "match", "Matching"
    ORDERING = "order", "Chronological order"
    CLOZE = "cloze", "Fill in the blank"
    MULTIPLE_ANSWER = "multi", "Multiple answer"
    NUMERICAL = "num", "Numerical"
    WRITTEN = "essay", "Written answer"
    DESCRIPTION = "desc", "Description"


class QuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def drawable_for(self, instructor=None):
        """What a quiz may draw: generated questions, plus the instructor's own when the
        draw is for their assignment. Another instructor's questions stay theirs."""
        own = models.Q(author=instructor) if instructor is not None else models.Q(pk__in=[])
        return self.active().filter(models.Q(origin=Question.Origin.GENERATED) | own)


class Question(models.Model):
    """One bank row.

    `body` holds what a learner may see before answering (options, items to match or
    order), each with a stable key. `answer` holds the key and is never rendered before
    the question is answered. Shapes, by kind:

    - mcq, tf, who, side: body {"options": [{"key", "text"}]}, answer {"key": k}
    - match: body {"left": [{"key","text"}], "right": [{"key","text"}]},
      answer {"pairs": {left_key: right_key}}
    - order: body {"items": [{"key","text"}]}, answer {"order": [keys, earliest first]}
    - cloze: body {}, answer {"text": str, "alternatives": [str]}
    - multi: body {"options": [{"key","text"}]},
      answer {"weights": {key: percent}, "feedback": {key: text}}
    - num: body {}, answer {"answers": [{"value","tolerance","weight","feedback","range"}]}
    - essay: body {}, answer {"model": str, "rubric": [{"key","text","points"}],
      "sources": {item_key: {"item", "cited"}}} (a person marks it)
    - desc: body {}, answer {} (nothing to answer)

    Each kind checks its own shapes (quizzes.bank.kinds, Kind.shape_problems).
    """

    class Origin(models.TextChoices):
        GENERATED = "generated", "Generated"
        INSTRUCTOR = "instructor", "Written by an instructor"
        IMPORTED = "imported", "Imported (GIFT)"

    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    # A name for the bank, as GIFT's ::title:: gives one; kept so an export gives it back.
    title = models.CharField(max_length=255, blank=True)
    prompt = models.TextField()
    body = models.JSONField(default=dict, blank=True)
    answer = models.JSONField()
    explanation = models.TextField(blank=True)

    lesson = models.ForeignKey(
        "relations.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    section = models.ForeignKey(
        "relations.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    citation = models.ForeignKey(
        "relations.Citation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    editor_note = models.ForeignKey(
        "relations.EditorNote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The content item it was generated from (an Event, Claim, Term, Fact, Debate…).
    item_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("item_type", "item_id")

    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.GENERATED)
    # Which generator made it (e.g. "mcq.term_for_definition"); blank for written ones.
    generator = models.CharField(max_length=60, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_questions",
    )
    # The facts it tests and the facts it shows (keys from quizzes/bank/facts.py): a quiz
    # holds no two questions on one fact, nor one that shows another's answer.
    asks = models.JSONField(default=list, blank=True)
    reveals = models.JSONField(default=list, blank=True)
    # Hash of kind, generator and content; regeneration finds the row instead of adding one.
    fingerprint = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["lesson", "kind"], name="question_lesson_kind"),
            models.Index(fields=["item_type", "item_id"], name="question_item"),
        ]

    def __str__(self):
        return f"[{self.get_kind_display()}] {self.prompt[:70]}"

    def save(self, *args, **kwargs):
        if getattr(self, "is_version_copy", False):
            raise ValueError("A past version of a question is shown, never saved over it.")
        super().save(*args, **kwargs)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def clean(self):
        super().clean()
        problems = shape_problems(kind=self.kind, body=self.body, answer=self.answer)
        if problems:
            raise ValidationError({"answer": problems})


def shape_problems(*, kind, body, answer) -> list[str]:
    """Why a body and answer do not fit the kind (see the Question docstring); [] if fine."""
    if not isinstance(body, dict) or not isinstance(answer, dict):
        return ["The body and the answer must both be JSON objects."]
    question_kind = KINDS.get(kind)
    if question_kind is None:
        return [f"Unknown kind “{kind}”."]
    return question_kind.shape_problems(body=body, answer=answer)


class HiddenQuestion(models.Model):
    """An instructor's choice to keep a bank question out of their own assignments."""

    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_questions"
    )
    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instructor", "question"], name="unique_hidden")
        ]

    def __str__(self):
        return f"{self.question_id} hidden by {self.instructor}"


class QuestionVersion(models.Model):
    """What a question said at one time: its wording, options, answer key, explanation and
    citation. A response keeps the version it was answered against (quizzes.bank.versions),
    so an edit to an answered question leaves past results as they were. The answer key is
    here as on the question: never rendered before the response is answered."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the question as first answered")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    title = models.CharField(max_length=255, blank=True)
    prompt = models.TextField()
    body = models.JSONField(default=dict, blank=True)
    answer = models.JSONField()
    explanation = models.TextField(blank=True)
    citation = models.ForeignKey(
        "relations.Citation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    editor_note = models.ForeignKey(
        "relations.EditorNote", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()
    # Who saved the edit; empty for the version a question first had, or one the bank's sync
    # or an edit outside the forms made.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")
        ]

    def __str__(self):
        return f"Question {self.question_id}, version {self.number}"
