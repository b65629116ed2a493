"""One student's work on one assignment, as the instructor sees it from the results table:
their limits and any override, each attempt (its review as the student's, reset, reopen),
and the record of every change. Another instructor's class, assignment, student or attempt
is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes.classes import overrides, teaching
from quizzes.classes.models import Assignment, AttemptChange, Enrollment
from quizzes.classes.override_forms import OverrideForm, ReopenForm
from quizzes.classes.status import Status, attempt_status
from quizzes.common.access import instructor_only
from quizzes.practice.models import Attempt, Response
from quizzes.practice.presenting import present_results

PAGE = "quizzes/classes/student_work.html"


def _taught(request, class_id, assignment_id, student_id):
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom"), pk=assignment_id,
        classroom_id=class_id, classroom__in=teaching.classes_taught(user=request.user),
        kind=Assignment.Kind.QUIZ,
    )
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("student"), classroom_id=class_id,
        student_id=student_id,
    )
    return assignment, enrollment.student


def _taught_attempt(request, class_id, assignment_id, attempt_id) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("assignment__classroom", "user"), pk=attempt_id,
        assignment_id=assignment_id, assignment__classroom_id=class_id,
        assignment__classroom__in=teaching.classes_taught(user=request.user),
    )
    return attempt


def _page_url(assignment, student_id) -> str:
    return reverse(
        "quizzes:student_work", args=[assignment.classroom_id, assignment.pk, student_id]
    )


def _render(request, assignment, student, *, override_form=None, reopen_form=None,
            reopen_id=None, status=200):
    attempts = list(Attempt.objects.filter(assignment=assignment, user=student).order_by("number"))
    limits = overrides.student_limits(assignment=assignment, student=student)
    override = limits.override
    if override_form is None:
        override_form = OverrideForm(
            classroom=assignment.classroom,
            initial={
                "students": [student.pk],
                "due_at": override.due_at if override else None,
                "time_limit_minutes": override.time_limit_minutes if override else None,
                "extra_attempts": override.extra_attempts if override else 0,
            },
        )
    now = timezone.now()
    state = attempt_status(assignment=assignment, attempts=attempts, now=now, limits=limits)
    return render(
        request, PAGE,
        dict(
            assignment=assignment, classroom=assignment.classroom, student=student,
            attempts=attempts, limits=limits, status_label=Status.LABELS[state],
            override_form=override_form, reopen_form=reopen_form or ReopenForm(),
            reopen_id=reopen_id,
            changes=AttemptChange.objects.filter(assignment=assignment, student=student)
            .select_related("changed_by")[:50],
        ),
        status=status,
    )


@never_cache
@instructor_only
@require_GET
def student_work(request, class_id, assignment_id, student_id):
    assignment, student = _taught(request, class_id, assignment_id, student_id)
    return _render(request, assignment, student)


@instructor_only
@require_POST
def override_set(request, class_id, assignment_id, student_id):
    assignment, student = _taught(request, class_id, assignment_id, student_id)
    form = OverrideForm(request.POST, classroom=assignment.classroom)
    if form.is_valid():
        try:
            saved = overrides.set_override(assignment=assignment, by=request.user, **form.values())
        except overrides.OverrideError as refusal:
            form.add_error(None, refusal.message)
        else:
            names = ", ".join(sorted(o.student.get_username() for o in saved))
            messages.success(request, f"Override saved for {names}.")
            return redirect(_page_url(assignment, student.pk))
    return _render(request, assignment, student, override_form=form, status=400)


@instructor_only
@require_POST
def override_remove(request, class_id, assignment_id, student_id):
    assignment, student = _taught(request, class_id, assignment_id, student_id)
    try:
        removed = overrides.remove_override(
            assignment=assignment, student_id=student.pk, by=request.user
        )
    except overrides.OverrideError as refusal:  # no longer in the class
        raise Http404(refusal.message) from None
    if not removed:
        raise Http404("This student has no override on this assignment.")
    messages.success(request, "Override removed: the assignment's own limits apply again.")
    return redirect(_page_url(assignment, student.pk))


@instructor_only
@require_POST
def attempt_reset(request, class_id, assignment_id, attempt_id):
    attempt = _taught_attempt(request, class_id, assignment_id, attempt_id)
    try:
        overrides.reset_attempt(attempt=attempt, by=request.user)
    except overrides.OverrideError as refusal:
        raise Http404(refusal.message) from None
    messages.success(
        request, f"Attempt {attempt.number} deleted: {attempt.user.get_username()} can start again."
    )
    return redirect(_page_url(attempt.assignment, attempt.user_id))


@instructor_only
@require_POST
def attempt_reopen(request, class_id, assignment_id, attempt_id):
    attempt = _taught_attempt(request, class_id, assignment_id, attempt_id)
    form = ReopenForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            overrides.reopen_attempt(
                attempt=attempt, by=request.user, deadline=form.cleaned_data["deadline"]
            )
        except overrides.OverrideError as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            messages.success(request, f"Attempt {attempt.number} reopened.")
            return redirect(_page_url(attempt.assignment, attempt.user_id))
    return _render(
        request, attempt.assignment, attempt.user, reopen_form=form, reopen_id=attempt.pk,
        status=status,
    )


@never_cache
@instructor_only
@require_GET
def attempt_review(request, class_id, assignment_id, attempt_id):
    """The attempt as the student's review shows it, each question as the version answered,
    with every answer shown (the instructor is not held to the feedback timing)."""
    attempt = _taught_attempt(request, class_id, assignment_id, attempt_id)
    responses = Response.objects.filter(attempt=attempt).select_related(
        "question__lesson", "question__section__lesson", "question__editor_note",
        "question__citation__source", "version__citation__source", "version__editor_note",
    )
    view = present_results(attempt=attempt, responses=responses, reveal=True)
    return render(
        request, "quizzes/classes/attempt_review.html",
        dict(attempt=attempt, assignment=attempt.assignment,
             classroom=attempt.assignment.classroom, student=attempt.user, results=view),
    )
