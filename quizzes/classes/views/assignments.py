"""Assignments: creating and editing them, starting one, live results, GIFT and CSV export."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes.bank.gift import export_gift
from quizzes.classes import assignment_edits as edits
from quizzes.classes import assignments as services
from quizzes.classes import classrooms, exports, held_back, review_targets, teaching
from quizzes.classes import results as result_services
from quizzes.classes import status as statuses
from quizzes.classes.forms import AssignmentForm
from quizzes.classes.gradebook import gradebook_csv
from quizzes.classes.models import Assignment, Classroom
from quizzes.classes.views.lookups import attempt_results_url, attempt_url, taught_classroom
from quizzes.common.access import instructor_only

RESULTS_PER_PAGE = 50


def _taught_assignment(request, class_id, assignment_id) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("classroom"),
        pk=assignment_id, classroom_id=class_id,
        classroom__in=teaching.classes_taught(user=request.user),
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def assignment_create(request, class_id):
    classroom = taught_classroom(request, class_id)
    initial = {
        "opens_at": timezone.localtime().replace(second=0, microsecond=0),
        "due_at": (timezone.localtime() + timedelta(days=7)).replace(
            hour=23, minute=59, second=0, microsecond=0
        ),
    }
    form = AssignmentForm(request.POST or None, classroom=classroom, initial=initial)
    if request.method == "POST" and form.is_valid():
        assignment = services.create_assignment(classroom=classroom, **form.service_values())
        messages.success(request, f"“{assignment.title}” is assigned to {classroom.name}.")
        return redirect(
            "quizzes:assignment_detail", class_id=classroom.pk, assignment_id=assignment.pk
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "quizzes/classes/assignment_form.html",
        dict(form=form, classroom=classroom, assignment=None), status=status,
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def assignment_edit(request, class_id, assignment_id):
    assignment = _taught_assignment(request, class_id, assignment_id)
    form = AssignmentForm(
        request.POST or None, classroom=assignment.classroom, instance=assignment
    )
    if request.method == "POST" and form.is_valid():
        outcome = edits.edit_assignment(
            assignment=assignment, apply_to_open=form.cleaned_data.get("apply_to_open", False),
            **form.service_values(),
        )
        messages.success(request, outcome.sentence())
        return redirect(
            "quizzes:assignment_detail", class_id=class_id, assignment_id=assignment.pk
        )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        assignment.refresh_from_db()  # the form wrote into the instance; show what is saved
    return render(
        request, "quizzes/classes/assignment_form.html",
        dict(form=form, classroom=assignment.classroom, assignment=assignment,
             started=edits.started_summary(assignment=assignment)),
        status=status,
    )


def _student_assignment(request, class_id, assignment_id) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom"), pk=assignment_id, classroom_id=class_id
    )
    if not classrooms.is_enrolled(classroom=assignment.classroom, student=request.user):
        raise Http404("No such assignment.")
    return assignment


def _student_page(request, assignment, *, error=None, status=200):
    rows = statuses.my_assignments(
        student=request.user, classroom=assignment.classroom
    )
    row = next((r for r in rows if r.assignment.pk == assignment.pk), None)
    if row is None:
        raise Http404("No such assignment.")
    for attempt in row.attempts:
        attempt.results_url = attempt_results_url(attempt)
    return render(
        request, "quizzes/classes/assignment_student.html",
        dict(assignment=row.assignment, classroom=row.assignment.classroom, row=row,
            error=error, resume_url=attempt_url(row.open_attempt) if row.open_attempt else None,
        ),
        status=status,
    )


@login_required
@require_GET
def assignment_detail(request, class_id, assignment_id):
    classroom = get_object_or_404(teaching.with_teaching(Classroom.objects, user=request.user),
                                  pk=class_id)
    if classroom.taught:
        assignment = _taught_assignment(request, class_id, assignment_id)
        return render(
            request, "quizzes/classes/assignment_teacher.html",
            dict(assignment=assignment, classroom=assignment.classroom,
                lessons=list(assignment.lessons.all()),
                picked=list(assignment.questions.select_related("lesson")),
                feedback_released=held_back.feedback_released(assignment=assignment),
            ),
        )
    assignment = _student_assignment(request, class_id, assignment_id)
    return _student_page(request, assignment)


@login_required
@require_POST
def assignment_start(request, class_id, assignment_id):
    """Start or resume an attempt; every limit is the server's (see start_assignment_attempt)."""
    assignment = _student_assignment(request, class_id, assignment_id)
    try:
        attempt = services.start_assignment_attempt(assignment=assignment, student=request.user)
    except services.AssignmentError as error:
        return _student_page(request, assignment, error=error.message, status=error.status)
    return redirect(attempt_url(attempt))


@instructor_only
@require_POST
def assignment_release_feedback(request, class_id, assignment_id):
    """Release "after the due date" feedback now, for every student of the class."""
    assignment = _taught_assignment(request, class_id, assignment_id)
    held_back.release_feedback(assignment=assignment)
    messages.success(request, "Released: every student can now see their scores and answers.")
    return redirect("quizzes:assignment_detail", class_id=class_id, assignment_id=assignment.pk)


@never_cache
@instructor_only
@require_GET
def assignment_results(request, class_id, assignment_id):
    """Results per student. With htmx the page polls its own "results_table" partial."""
    assignment = _taught_assignment(request, class_id, assignment_id)
    results = result_services.assignment_results(assignment=assignment)
    # The summary counts every student; the table shows one page of them, so a lecture of
    # 300 renders (and polls) 50 rows, not 300.
    rows = Paginator(results.rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = dict(
        assignment=assignment, classroom=assignment.classroom, results=results, rows=rows
    )
    if request.htmx:
        return render(request, "quizzes/classes/assignment_results.html#results_table", context)
    context["gradebook"] = exports.gradebook_download(classroom=assignment.classroom)
    if assignment.kind == Assignment.Kind.REVIEW:
        context["hardest_cards"] = review_targets.review_card_difficulty(
            assignment=assignment, student_ids=[row.student.pk for row in results.rows],
            now=results.now,
        )[:10]
    else:
        context["items"] = result_services.assignment_item_analysis(results=results)
    return render(request, "quizzes/classes/assignment_results.html", context)


@instructor_only
@require_GET
def assignment_export_gift(request, class_id, assignment_id):
    assignment = _taught_assignment(request, class_id, assignment_id)
    questions = services.question_pool(assignment=assignment)
    text = export_gift(
        questions=questions, heading=f"{assignment.title} ({assignment.classroom.name})"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = f"{slugify(assignment.title) or 'assignment'}-{assignment.pk}.gift"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@instructor_only
@require_GET
def class_gradebook(request, class_id):
    """The class's gradebook as CSV, streamed row by row."""
    classroom = taught_classroom(request, class_id)
    response = StreamingHttpResponse(
        gradebook_csv(classroom=classroom, tz=timezone.get_current_timezone()),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{slugify(classroom.name) or 'class'}-gradebook.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
