"""Instructor status is granted, never claimed: a request, and the staff decision on it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class InstructorRequest(models.Model):
    """One person's request to teach. Approval (in the admin) adds them to the instructors'
    group; until then they see no answer key and can make no class."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for staff"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_requests"
    )
    note = models.TextField(
        "Where and what you teach", max_length=500, blank=True,
        help_text="Optional: helps staff check the request (a school, a course, a web page).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Asking twice while the first request waits adds nothing for staff to decide.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"),
                name="one_pending_instructor_request",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="a_decided_request_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to teach ({self.get_status_display().lower()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class TimeZonePreference(models.Model):
    """The learner's time zone, for days, streaks, the heatmap, due dates and daily limits.

    The browser's zone is stored at sign-in until the learner chooses one in settings; a
    chosen zone is kept whatever browser they sign in from next."""

    class Source(models.TextChoices):
        BROWSER = "browser", "Detected from the browser"
        CHOSEN = "chosen", "Chosen in settings"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_zone_preference"
    )
    name = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user}: {self.name} ({self.get_source_display().lower()})"
