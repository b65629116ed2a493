"""Flashcards, each learner's FSRS state, and the review log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class CardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Card(models.Model):
    """A flashcard made from one content item (see quizzes/review/cards.py)."""

    class Kind(models.TextChoices):
        TERM = "term", "Term"
        CLAIM = "claim", "Claim"
        EVENT = "event", "Event"
        FACT = "fact", "Fact"
        # Definition → term: a glossary term asked the other way round, with its own schedule.
        REVERSE = "reverse", "Term, reversed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    front = models.TextField()
    back = models.TextField()
    context = models.TextField(blank=True)
    # What a typed answer is checked against (empty: the card is not one to type), and the
    # other spellings accepted; kept in step with the content like lesson and citation.
    answer = models.CharField(max_length=300, blank=True, default="")
    alternatives = models.JSONField(default=list, blank=True)
    lesson = models.ForeignKey(
        "relations.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    citation = models.ForeignKey(
        "relations.Citation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")
    fingerprint = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="card_item")]

    def __str__(self):
        return self.front[:80]

    @property
    def typeable(self) -> bool:
        return bool(self.answer)

    @property
    def accepted_answers(self) -> list[str]:
        return [self.answer, *self.alternatives]


class CardNote(models.Model):
    """A learner's own mark on a card: a flag to find it again, and a note of their own."""

    NOTE_MAX_LENGTH = 2000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_notes"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="notes")
    flagged = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="unique_card_note")
        ]

    def __str__(self):
        return f"{self.user} · card {self.card_id}{' · flagged' if self.flagged else ''}"


class CardState(models.Model):
    """One learner's memory of one card, as the `fsrs` Card holds it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")
    state = models.PositiveSmallIntegerField(
        help_text="fsrs.State: 1 learning, 2 review, 3 relearning"
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="unique_card_state")
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_state_due")]

    def __str__(self):
        return f"{self.user} · card {self.card_id} · due {self.due:%Y-%m-%d}"


class ReviewQuerySet(models.QuerySet):
    def counted(self):
        """Reviews that stand: an undone grade is kept for the record but counts for nothing."""
        return self.filter(undone_at__isnull=True)


class Review(models.Model):
    """One review, as the FSRS optimizer wants it; also the history and the undo record."""

    class Source(models.TextChoices):
        REVIEW = "review", "Flashcard review"
        QUIZ = "quiz", "Quiz answer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(help_text="1 Again, 2 Hard, 3 Good, 4 Easy")
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REVIEW)
    response = models.ForeignKey(
        "quizzes.Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The card state before this review (null fields for a new card), so it can be undone.
    state_before = models.JSONField(null=True, blank=True)
    # For a grade from the review page, a digest of the one-time token it came with, so the
    # same post sent again (a retry after a dropped connection) finds its own grade.
    token_digest = models.CharField(max_length=64, blank=True, default="")
    # A card answered by typing: what was typed, whether the first-letter hint was shown
    # (the grade is Hard at most then), and whether the learner overrode a refused answer
    # with "I was right" (the rating is then Good, as the learner said).
    typed_answer = models.CharField(max_length=300, blank=True, default="")
    hinted = models.BooleanField(default=False)
    overridden = models.BooleanField(default=False)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_at", "id"]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_user_time")]

    def __str__(self):
        return f"{self.user} rated card {self.card_id} {self.rating}"


class StudyPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_preference"
    )
    new_cards_per_day = models.PositiveSmallIntegerField(default=20)
    lessons = models.ManyToManyField(
        "relations.Lesson", blank=True, related_name="+",
        help_text="Lessons whose cards to study; none means all",
    )
    # Space, 1–4 and U on the review card; a learner who uses speech input or a switch may
    # turn them off (WCAG 2.1.4).
    keyboard_shortcuts = models.BooleanField(default=True)
    # The learner's own FSRS parameters, optimized from their review log (None: defaults).
    fsrs_parameters = models.JSONField(null=True, blank=True)
    fsrs_reviews_used = models.PositiveIntegerField(null=True, blank=True)
    fsrs_optimized_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Study preference of {self.user}"
