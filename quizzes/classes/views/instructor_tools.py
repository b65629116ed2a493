"""An instructor's tools around the bank and assignments: preview a question as a student
sees it, and copy an assignment into another of their classes."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quizzes.bank.authoring import visible_questions
from quizzes.classes import teaching
from quizzes.classes.assignment_copies import copy_assignment
from quizzes.classes.forms import CopyAssignmentForm
from quizzes.classes.models import Assignment
from quizzes.common.access import instructor_only
from quizzes.practice.previewing import present_preview


@instructor_only
@require_GET
def question_preview(request, question_id):
    """The question with the attempt page's own answer fields; nothing can be posted."""
    question = get_object_or_404(
        visible_questions(instructor=request.user).select_related("lesson"), pk=question_id
    )
    return render(
        request, "quizzes/classes/question_preview.html",
        dict(question=present_preview(question=question), bank_question=question),
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def assignment_copy(request, class_id, assignment_id):
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom"),
        pk=assignment_id, classroom_id=class_id,
        classroom__in=teaching.classes_taught(user=request.user),
    )
    # By default the same length of time open, starting now.
    opens = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "classroom": assignment.classroom_id, "title": f"{assignment.title} (copy)",
        "opens_at": opens,
        "due_at": opens + max(assignment.due_at - assignment.opens_at, timedelta(hours=1)),
    }
    form = CopyAssignmentForm(
        request.POST or None, instructor=request.user,
        owner_id=assignment.classroom.instructor_id, initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = copy_assignment(
            assignment=assignment, classroom=data["classroom"], title=data["title"],
            opens_at=data["opens_at"], due_at=data["due_at"],
        )
        messages.success(request, f"Copied into {copy.classroom.name} as “{copy.title}”.")
        return redirect(
            "quizzes:assignment_detail", class_id=copy.classroom_id, assignment_id=copy.pk
        )
    return render(
        request, "quizzes/classes/assignment_copy.html",
        dict(form=form, assignment=assignment, classroom=assignment.classroom),
        status=400 if request.method == "POST" else 200,
    )
