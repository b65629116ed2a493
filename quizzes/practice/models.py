"""Attempts at a practice quiz or an assignment, and the response to each question."""

from django.conf import settings
from django.db import models


class LearnSession(models.Model):
    """A Learn session: items chosen from the learner's memory model, asked in rounds (one
    Attempt each) until every item has been answered right twice (quizzes/practice/learn.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learn_sessions"
    )
    # The content items, most in need first: [[content type id, item id], ...].
    items = models.JSONField(default=list)
    # What was asked for: {"lessons": [ids], "size": n}.
    recipe = models.JSONField(default=dict, blank=True)
    round_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Learn session {self.pk} by {self.user}"


class Attempt(models.Model):
    class Ended(models.TextChoices):
        HANDED_IN = "handed_in", "Handed in"
        TIMED_OUT = "timed_out", "Timed out"
        # Handed in as it was when the student left the class or an instructor closed it.
        CLOSED = "closed", "Closed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    assignment = models.ForeignKey(
        "quizzes.Assignment", on_delete=models.CASCADE, null=True, blank=True,
        related_name="attempts",
    )
    learn_session = models.ForeignKey(
        LearnSession, on_delete=models.CASCADE, null=True, blank=True, related_name="rounds",
        help_text="For a round of a Learn session: the session",
    )
    number = models.PositiveSmallIntegerField(default=1, help_text="1 for a first attempt")
    # What was asked for: {"lessons": [ids], "kinds": [..], "count": n}.
    recipe = models.JSONField(default=dict, blank=True)
    # Drives question order and option order; also the key for opaque option values.
    seed = models.BigIntegerField()
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How it ended (blank while open): handed in by the learner (or their last answer), timed
    # out at its deadline, or closed for them.
    ended = models.CharField(max_length=10, choices=Ended.choices, blank=True)
    # Filled in when the attempt is finished (credit may be partial for matching/ordering).
    score = models.FloatField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assignment", "number"], name="unique_attempt_number"
            )
        ]
        indexes = [models.Index(fields=["user", "finished_at"], name="attempt_user_finished")]

    def __str__(self):
        return f"Attempt {self.pk} by {self.user}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.question_count:
            return None
        return round(100 * self.score / self.question_count)


class Response(models.Model):
    """One drawn question in an attempt; the answer fields fill in when it is answered."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.PROTECT, related_name="responses"
    )
    # The version it was drawn with and, once answered, graded against
    # (quizzes.bank.versions); empty only for rows made before versions or by hand in tests.
    version = models.ForeignKey(
        "quizzes.QuestionVersion", on_delete=models.PROTECT, null=True, blank=True,
        related_name="responses",
    )
    answer = models.JSONField(null=True, blank=True)
    credit = models.FloatField(null=True, blank=True, help_text="0 to 1")
    is_correct = models.BooleanField(null=True)
    close_match = models.BooleanField(default=False, help_text="A near spelling was accepted")
    answered_at = models.DateTimeField(null=True, blank=True)
    # A written answer (quizzes.bank.kinds.written): the learner's own rating of it in
    # practice (1 Again … 4 Easy), or the instructor's mark out of the rubric's points in an
    # assignment, with a comment. Credit stays None until one of them is given.
    self_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    mark = models.FloatField(null=True, blank=True)
    mark_comment = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_question"),
        ]
        indexes = [models.Index(fields=["question", "is_correct"], name="response_item_stats")]

    def __str__(self):
        return f"Q{self.position + 1} of attempt {self.attempt_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Regrade(models.Model):
    """An instructor's regrade of the answers to one question against a new version."""

    question = models.ForeignKey("quizzes.Question", on_delete=models.CASCADE, related_name="+")
    from_version = models.ForeignKey(
        "quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="+"
    )
    to_version = models.ForeignKey(
        "quizzes.QuestionVersion", on_delete=models.PROTECT, related_name="+"
    )
    regraded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    regraded_at = models.DateTimeField()
    responses_regraded = models.PositiveIntegerField(default=0)
    responses_changed = models.PositiveIntegerField(default=0)
    attempts_changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-regraded_at", "-id"]

    def __str__(self):
        return f"Regrade of question {self.question_id} by {self.regraded_by}"
