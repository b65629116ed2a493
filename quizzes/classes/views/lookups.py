"""What the class views look up for the signed-in user, and the links they hand out."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from quizzes.classes import teaching
from quizzes.classes.models import Classroom


def taught_classroom(request, class_id) -> Classroom:
    """A class the instructor teaches (owns or co-teaches), or a 404 (another instructor's
    class does not exist)."""
    return get_object_or_404(teaching.classes_taught(user=request.user), pk=class_id)


def attempt_url(attempt) -> str:
    """The quiz engine's page for taking (or resuming) an attempt."""
    return reverse("quizzes:attempt", args=[attempt.pk])


def attempt_results_url(attempt) -> str:
    return reverse("quizzes:results", args=[attempt.pk])


def with_resume_urls(rows):
    for row in rows:
        row.resume_url = attempt_url(row.open_attempt) if row.open_attempt else None
    return rows
