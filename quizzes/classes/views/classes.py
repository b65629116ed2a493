"""Classes: the list, creating and renaming, archiving, joining by code, and the roster.

Views parse the request, call one service (quizzes.classes.classrooms,
quizzes.classes.assignments) and render. Anything that is not the user's is a 404, as are
instructor pages for students.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.instructor_requests import teaching_status
from accounts.roles import is_instructor
from config.rate_limits import JOIN_LIMITS, rate_limited
from quizzes.classes import classrooms, exports, teaching
from quizzes.classes import results as result_services
from quizzes.classes import status as statuses
from quizzes.classes.forms import ClassroomForm, JoinForm
from quizzes.classes.models import Classroom, Enrollment
from quizzes.classes.views.lookups import taught_classroom, with_resume_urls
from quizzes.common.access import instructor_only

# --- the list --------------------------------------------------------------------------------


@login_required
@require_GET
def class_list(request):
    """Instructors: their classes. Everyone: the classes they joined and their assignments."""
    teaching = is_instructor(request.user)
    taught = (
        list(classrooms.classrooms_taught(instructor=request.user).order_by("archived_at", "name"))
        if teaching else []
    )
    joined = list(classrooms.classrooms_joined(student=request.user))
    rows = with_resume_urls(
        statuses.my_assignments(student=request.user) if joined else []
    )
    return render(
        request, "quizzes/classes/class_list.html",
        dict(teaching=teaching, taught=[c for c in taught if c.archived_at is None],
            archived=[c for c in taught if c.archived_at is not None], joined=joined,
            rows=rows, join_form=JoinForm(), create_form=ClassroomForm() if teaching else None,
            teaching_request="" if teaching else teaching_status(user=request.user),
        ),
    )


# --- creating, renaming, archiving -----------------------------------------------------------


@instructor_only
@require_http_methods(["GET", "POST"])
def class_create(request):
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = classrooms.create_classroom(
            instructor=request.user, name=form.cleaned_data["name"]
        )
        messages.success(
            request, f"Class “{classroom.name}” created. Its join code is {classroom.join_code}."
        )
        return redirect("quizzes:class_detail", class_id=classroom.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "quizzes/classes/class_form.html",
        dict(form=form, classroom=None), status=status,
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def class_rename(request, class_id):
    classroom = taught_classroom(request, class_id)
    form = ClassroomForm(request.POST or None, instance=Classroom(name=classroom.name))
    if request.method == "POST" and form.is_valid():
        classrooms.rename_classroom(classroom=classroom, name=form.cleaned_data["name"])
        messages.success(request, f"Renamed to “{classroom.name}”.")
        return redirect("quizzes:class_detail", class_id=classroom.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "quizzes/classes/class_form.html",
        dict(form=form, classroom=classroom), status=status,
    )


@instructor_only
@require_POST
def class_archive(request, class_id):
    classroom = taught_classroom(request, class_id)
    classrooms.archive_classroom(classroom=classroom)
    messages.success(request, f"“{classroom.name}” is archived: no one new can join it.")
    return redirect("quizzes:class_detail", class_id=classroom.pk)


@instructor_only
@require_POST
def class_restore(request, class_id):
    classroom = taught_classroom(request, class_id)
    classrooms.restore_classroom(classroom=classroom)
    messages.success(request, f"“{classroom.name}” is active again.")
    return redirect("quizzes:class_detail", class_id=classroom.pk)


# --- one class -------------------------------------------------------------------------------


@login_required
@require_GET
def class_detail(request, class_id):
    classroom = get_object_or_404(
        teaching.with_teaching(Classroom.objects.select_related("instructor"), user=request.user),
        pk=class_id,
    )
    if classroom.taught:
        return render(
            request, "quizzes/classes/class_teacher.html",
            dict(classroom=classroom, teachers=teaching.instructors_of(classroom=classroom),
                roster=list(classrooms.roster(classroom=classroom)),
                assignments=list(classroom.assignments.order_by("due_at", "id")),
                mastery=result_services.class_mastery(classroom=classroom),
                gradebook=exports.gradebook_download(classroom=classroom),
                join_url=request.build_absolute_uri(
                    reverse("quizzes:class_join_code", args=[classroom.join_code])
                ),
            ),
        )
    if not classrooms.is_enrolled(classroom=classroom, student=request.user):
        raise Http404("No such class.")
    rows = with_resume_urls(
        statuses.my_assignments(student=request.user, classroom=classroom)
    )
    return render(
        request, "quizzes/classes/class_student.html",
        dict(classroom=classroom, rows=rows),
    )


# --- joining ---------------------------------------------------------------------------------


def _join(request, form):
    try:
        enrollment = classrooms.join_classroom(
            student=request.user, code=form.cleaned_data["code"]
        )
    except classrooms.ClassroomError as error:
        form.add_error("code", error.message)
        return None
    messages.success(request, f"You are in “{enrollment.classroom.name}”.")
    return redirect("quizzes:class_detail", class_id=enrollment.classroom_id)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(*JOIN_LIMITS)
def class_join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _join(request, form)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "quizzes/classes/join.html", dict(form=form), status=status)


@login_required
@require_GET
def class_join_code(request, code):
    """The join link: the join form with its code filled in. It looks nothing up, so it
    cannot confirm a guessed code; the class is named only once the student has joined."""
    form = JoinForm(initial={"code": classrooms.normalize_join_code(code=code)})
    return render(request, "quizzes/classes/join.html", dict(form=form, from_link=True))


# --- the roster ------------------------------------------------------------------------------


@instructor_only
@require_POST
def roster_remove(request, class_id, enrollment_id):
    classroom = taught_classroom(request, class_id)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("student"), pk=enrollment_id, classroom=classroom
    )
    classrooms.remove_student(enrollment=enrollment)
    messages.success(request, f"{enrollment.student.username} was removed from the class.")
    return redirect("quizzes:class_detail", class_id=classroom.pk)


@instructor_only
@require_POST
def roster_restore(request, class_id, enrollment_id):
    classroom = taught_classroom(request, class_id)
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("student"), pk=enrollment_id, classroom=classroom
    )
    classrooms.restore_student(enrollment=enrollment)
    messages.success(request, f"{enrollment.student.username} is back in the class.")
    return redirect("quizzes:class_detail", class_id=classroom.pk)
