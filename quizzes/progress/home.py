"""What the course home shows: the lessons, and for a signed-in learner what is waiting."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.timesince import timesince

from quizzes.classes.status import my_assignments
from quizzes.practice.models import Attempt
from quizzes.progress.report import lesson_mastery
from quizzes.review.study_queue import QueueCounts, queue_counts
from relations.models import Lesson

UPCOMING_ASSIGNMENTS = 5
RESUMABLE_ATTEMPTS = 3


@dataclass
class HomePage:
    lessons: list
    cards_waiting: QueueCounts | None = None
    assignments: list = field(default_factory=list)
    resumable: list = field(default_factory=list)


def started_words(*, started_at, now) -> str:
    """"just now" within the first minute (never "0 minutes ago"), else "5 minutes ago"."""
    if (now - started_at).total_seconds() < 60:
        return "just now"
    return f"{timesince(started_at, now)} ago"


def home_page(*, user, now) -> HomePage:
    lessons = list(Lesson.objects.annotate(section_count=Count("sections")).order_by("order"))
    if not user.is_authenticated:
        return HomePage(lessons=lessons)

    mastery = {row.lesson.pk: row for row in lesson_mastery(user=user, now=now)}
    for lesson in lessons:
        lesson.mastery = mastery.get(lesson.pk)
    # Only work still to do: what is submitted or missed lives on the classes page.
    waiting = [
        row for row in my_assignments(student=user, now=now)
        if row.can_start or row.open_attempt is not None
    ]
    resumable = list(
        Attempt.objects.filter(user=user, assignment__isnull=True, finished_at__isnull=True)
        .annotate(answered=Count("responses", filter=Q(responses__answered_at__isnull=False)))
        .order_by("-started_at")[:RESUMABLE_ATTEMPTS]
    )
    for attempt in resumable:
        attempt.started_words = started_words(started_at=attempt.started_at, now=now)
    return HomePage(
        lessons=lessons,
        cards_waiting=queue_counts(user=user, now=now),
        assignments=waiting[:UPCOMING_ASSIGNMENTS],
        resumable=resumable,
    )

