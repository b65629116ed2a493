"""Classes: the list, creating and renaming, archiving, joining by code, and the roster.

Views parse the request, call one service (quizzes.classrooms, quizzes.assignments) and
render. Anything that is not the user's is a 404, as are instructor pages for students.
"""

import functools
import re
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_instructor
from quizzes import assignments as assignment_services
from quizzes import classrooms
from quizzes.forms_classes import ClassroomForm, JoinForm
from quizzes.models import Classroom, Enrollment

TIMEZONE_COOKIE = "tz"
_TIMEZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")


# --- shared helpers (used by the other class views too) -------------------------------------


def user_timezone(request):
    """The browser's time zone (a cookie static/js/classes.js sets), else the site's."""
    name = request.COOKIES.get(TIMEZONE_COOKIE, "")
    if _TIMEZONE_NAME.match(name):
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def in_user_timezone(view):
    """Show and read dates in the user's own time zone for the whole view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(user_timezone(request)):
            return view(request, *args, **kwargs)

    return wrapper


def instructor_only(view):
    """Signed in and an instructor, or the page does not exist for them (404)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_instructor(request.user):
            raise Http404("Only instructors have this page.")
        return view(request, *args, **kwargs)

    return in_user_timezone(wrapper)


def signed_in(view):
    return login_required(in_user_timezone(view))


def taught_classroom(request, class_id) -> Classroom:
    return get_object_or_404(Classroom, pk=class_id, instructor=request.user)


def attempt_url(attempt) -> str:
    """The quiz engine's page for taking (or resuming) an attempt."""
    try:
        return reverse("quizzes:attempt", args=[attempt.pk])
    except NoReverseMatch:
        return f"/attempts/{attempt.pk}/"


def attempt_results_url(attempt) -> str:
    try:
        return reverse("quizzes:results", args=[attempt.pk])
    except NoReverseMatch:
        return f"/attempts/{attempt.pk}/results/"


def with_resume_urls(rows):
    for row in rows:
        row.resume_url = attempt_url(row.open_attempt) if row.open_attempt else None
    return rows


def page_context(request, **context):
    context.setdefault("timezone_name", timezone.get_current_timezone_name())
    return context


# --- the list --------------------------------------------------------------------------------


@signed_in
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
        assignment_services.my_assignments(student=request.user) if joined else []
    )
    return render(
        request, "quizzes/classes/class_list.html",
        page_context(
            request, teaching=teaching, taught=[c for c in taught if c.archived_at is None],
            archived=[c for c in taught if c.archived_at is not None], joined=joined,
            rows=rows, join_form=JoinForm(), create_form=ClassroomForm() if teaching else None,
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
        page_context(request, form=form, classroom=None), status=status,
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
        page_context(request, form=form, classroom=classroom), status=status,
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


@signed_in
@require_GET
def class_detail(request, class_id):
    classroom = get_object_or_404(Classroom.objects.select_related("instructor"), pk=class_id)
    if classroom.instructor_id == request.user.pk:
        return render(
            request, "quizzes/classes/class_teacher.html",
            page_context(
                request, classroom=classroom,
                roster=list(classrooms.roster(classroom=classroom)),
                assignments=list(classroom.assignments.order_by("due_at", "id")),
                mastery=assignment_services.class_mastery(classroom=classroom),
                join_url=request.build_absolute_uri(
                    reverse("quizzes:class_join_code", args=[classroom.join_code])
                ),
            ),
        )
    if not classrooms.is_enrolled(classroom=classroom, student=request.user):
        raise Http404("No such class.")
    rows = with_resume_urls(
        assignment_services.my_assignments(student=request.user, classroom=classroom)
    )
    return render(
        request, "quizzes/classes/class_student.html",
        page_context(request, classroom=classroom, rows=rows),
    )


# --- joining ---------------------------------------------------------------------------------


def _join(request, form, classroom=None):
    try:
        enrollment = classrooms.join_classroom(
            student=request.user, code=form.cleaned_data["code"]
        )
    except classrooms.ClassroomError as error:
        form.add_error("code", error.message)
        return None
    messages.success(request, f"You are in “{enrollment.classroom.name}”.")
    return redirect("quizzes:class_detail", class_id=enrollment.classroom_id)


@signed_in
@require_http_methods(["GET", "POST"])
def class_join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _join(request, form)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(
        request, "quizzes/classes/join.html",
        page_context(request, form=form, classroom=None), status=status,
    )


@signed_in
@require_GET
def class_join_code(request, code):
    """The join link: shows which class it is, and joins only when the student confirms."""
    normalized = classrooms.normalize_join_code(code=code)
    classroom = Classroom.objects.filter(join_code=normalized).select_related("instructor").first()
    form = JoinForm(initial={"code": normalized})
    status = 200
    if classroom is None:
        form = JoinForm(data={"code": normalized})
        form.is_valid()
        form.add_error("code", f"No class has the join code “{normalized}”.")
        status = 404
    already = classroom is not None and Enrollment.objects.filter(
        classroom=classroom, student=request.user, removed_at__isnull=True
    ).exists()
    return render(
        request, "quizzes/classes/join.html",
        page_context(request, form=form, classroom=classroom, already=already), status=status,
    )


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
