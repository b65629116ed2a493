"""What the tool keeps about platforms beyond django-lti's own records (lti_tool).

django-lti holds registrations, deployments, keys, platform users, contexts (courses),
memberships and resource links. Here: pylti1p3's short-lived launch values (in the database,
so every worker sees them), the course ↔ class link, the assignment ↔ line item link and one
score-send record per student and linked assignment.
"""

from django.conf import settings
from django.db import models


class LaunchValue(models.Model):
    """A value pylti1p3 keeps between the OIDC login and the launch: a nonce, a state's
    token hash, a launch's claims. Deleting a nonce's row is what makes it single-use."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


class LinkedCourse(models.Model):
    """A platform course (an LTI context) and the class it became here."""

    context = models.OneToOneField(
        "lti_tool.LtiContext", on_delete=models.CASCADE, related_name="linked_course"
    )
    classroom = models.OneToOneField(
        "quizzes.Classroom", on_delete=models.CASCADE, related_name="platform_course"
    )
    roster_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.context} → {self.classroom}"


class LinkedAssignment(models.Model):
    """An assignment placed in a platform course, and the gradebook column (line item)
    its scores go to."""

    course = models.ForeignKey(LinkedCourse, on_delete=models.CASCADE, related_name="assignments")
    assignment = models.ForeignKey(
        "quizzes.Assignment", on_delete=models.CASCADE, related_name="platform_links"
    )
    resource_link_id = models.CharField(max_length=255, blank=True)
    lineitem_url = models.URLField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "assignment"], name="one_link_per_course")
        ]

    def __str__(self):
        return f"{self.assignment} in {self.course}"


class ScoreSend(models.Model):
    """The score last sent (or to send) for one student on one linked assignment."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed; resend by hand"

    link = models.ForeignKey(LinkedAssignment, on_delete=models.CASCADE, related_name="sends")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="score_sends"
    )
    percent = models.FloatField(help_text="0 to 100, by the assignment's counting policy")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "student"], name="one_send_per_student")
        ]
        indexes = [models.Index(fields=["status", "next_try_at"], name="score_send_due")]

    def __str__(self):
        return f"{self.student}: {self.percent} ({self.status})"
