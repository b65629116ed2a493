"""Classes, enrolments and assignments."""

from django.conf import settings
from django.db import models


class Classroom(models.Model):
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=120)
    # Short, without look-alike characters (no 0/O, 1/I/L).
    join_code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ClassroomInstructor(models.Model):
    """Someone besides the owner (`Classroom.instructor`) who teaches the class: an
    instructor or teaching assistant of the platform course it came from, or one added in
    the admin. They see and manage the class as its owner does
    (quizzes/classes/teaching.py)."""

    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", "Instructor"
        TEACHING_ASSISTANT = "assistant", "Teaching assistant"

    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="co_instructors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_co_taught"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.INSTRUCTOR)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "user"], name="one_teaching_role")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.classroom}"


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="unique_enrollment")
        ]

    def __str__(self):
        return f"{self.student} in {self.classroom}"


class Assignment(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", "Quiz"
        REVIEW = "review", "Flashcard review"

    class Counting(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LATEST = "latest", "Latest attempt"

    class FeedbackTiming(models.TextChoices):
        EACH = "each", "After each question"
        SUBMIT = "submit", "After submission"
        DUE = "due", "After the due date"

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    instructions = models.TextField(blank=True)

    # A generated quiz: each student draws their own seeded set from these lessons and kinds.
    lessons = models.ManyToManyField("relations.Lesson", blank=True, related_name="+")
    question_kinds = models.JSONField(default=list, blank=True)
    question_count = models.PositiveSmallIntegerField(default=10)
    # Or hand-picked questions, the same for everyone (takes precedence when present).
    questions = models.ManyToManyField("quizzes.Question", blank=True, related_name="+")

    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    counting = models.CharField(max_length=10, choices=Counting.choices, default=Counting.HIGHEST)
    feedback_timing = models.CharField(
        max_length=10, choices=FeedbackTiming.choices, default=FeedbackTiming.EACH
    )
    late_allowed = models.BooleanField(default=False)
    # "After the due date" feedback comes out once no student can still hand in, or earlier
    # when the instructor releases it (quizzes/classes/held_back.py).
    feedback_released_at = models.DateTimeField(null=True, blank=True)
    # Review assignments: the share of the lesson's cards a student should hold at or above this.
    target_retrievability = models.FloatField(default=0.9)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self):
        return self.title


class GradebookExport(models.Model):
    """A class's gradebook CSV built by a background task (quizzes/classes/exports.py), for a
    class too large to stream within one request; kept in the database so every app
    server can hand it out."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="gradebook_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Times in the file")
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Once built")
    content = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Gradebook of {self.classroom} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)


class StudentOverride(models.Model):
    """One student's own limits on one assignment, as Moodle's user overrides: a later due
    date, a longer time limit, extra attempts. Empty fields leave the assignment's own."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="overrides")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_overrides"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["assignment", "student"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="unique_override")
        ]

    def __str__(self):
        return f"Override for {self.student} on {self.assignment}"


class AttemptChange(models.Model):
    """The record of an instructor's change to one student's work on an assignment: an
    override set or removed, an attempt reset or reopened."""

    class Action(models.TextChoices):
        OVERRIDE = "override", "Override set"
        OVERRIDE_REMOVED = "unoverride", "Override removed"
        RESET = "reset", "Attempt reset"
        REOPEN = "reopen", "Attempt reopened"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="changes")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    # What changed, in words (the limits set, the attempt number and its score, the new deadline).
    detail = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} for {self.student} on {self.assignment}"
