"""The grading queue: written answers awaiting a mark, by assignment and question, and the
form that marks one. Another instructor's assignment or answer is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from quizzes.classes import marking, teaching
from quizzes.classes.models import Assignment
from quizzes.common.access import instructor_only

TEMPLATE = "quizzes/classes/grading.html"


def _question_filter(request) -> int | None:
    value = request.GET.get("question", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _queue_url(assignment, question_id=None) -> str:
    url = reverse("quizzes:grading_assignment", args=[assignment.pk])
    return f"{url}?question={question_id}" if question_id else url


@instructor_only
def grading_queue(request):
    return render(request, TEMPLATE, {"queues": marking.queue_overview(instructor=request.user)})


@instructor_only
def grading_assignment(request, assignment_id):
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom"),
        pk=assignment_id, classroom__in=teaching.classes_taught(user=request.user),
    )
    question_id = _question_filter(request)
    include_marked = request.GET.get("show") == "all"
    answers = marking.answers_to_mark(
        instructor=request.user, assignment=assignment, question_id=question_id,
        include_marked=include_marked,
    )
    return render(request, TEMPLATE, {
        "assignment": assignment, "answers": answers, "question_id": question_id,
        "include_marked": include_marked,
        "queue_url": _queue_url(assignment, question_id),
    })


def _seen(value) -> object:
    """The marked_at the form was built with; "" for an answer not marked then."""
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise marking.MarkRefused("The form was not one this page made; load it again.")
    return moment


@instructor_only
@require_http_methods(["GET", "POST"])
def grading_answer(request, response_id):
    try:
        response = marking.marked_answer(instructor=request.user, response_id=response_id)
    except marking.NotYourAnswer as refusal:
        raise Http404(refusal.message) from None
    assignment = response.attempt.assignment
    question_id = _question_filter(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            response = marking.mark_answer(
                instructor=request.user, response_id=response.pk,
                mark=request.POST.get("mark"), comment=request.POST.get("comment", ""),
                seen_marked_at=_seen(request.POST.get("seen", "")),
            )
        except marking.MarkRefused as refusal:
            error, status = refusal.message, refusal.status
            response = marking.marked_answer(instructor=request.user, response_id=response.pk)
            if status != 409:  # keep what was typed; after a clash show the other mark
                response.typed_mark = request.POST.get("mark", "")[:20]
                response.mark_comment = request.POST.get("comment", "")[: marking.MAX_COMMENT]
        else:
            student = response.attempt.user.get_full_name() or response.attempt.user.username
            messages.success(
                request, f"Saved: {student}, {response.mark:g} of {response.max_mark}."
            )
            if request.POST.get("then") == "next":
                following = marking.next_to_mark(
                    instructor=request.user, assignment=assignment, after_id=response.pk,
                    question_id=question_id,
                )
                if following is not None:
                    url = reverse("quizzes:grading_answer", args=[following.pk])
                    return redirect(f"{url}?question={question_id}" if question_id else url)
            return redirect(_queue_url(assignment, question_id))
    return render(request, "quizzes/classes/grading_answer.html", {
        "assignment": assignment, "answer": response, "error": error,
        "question_id": question_id, "queue_url": _queue_url(assignment, question_id),
    }, status=status)
