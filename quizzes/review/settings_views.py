"""Study settings (daily new cards, lessons, keyboard shortcuts, the learner's own FSRS
parameters) and the Anki downloads. Each view parses the request, calls one function from
quizzes.review.study_queue, optimizing, anki or anki_history, and renders."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes.common.form_fields import IdMultipleChoiceField
from quizzes.review.anki import export_cards, export_filename
from quizzes.review.anki_history import export_with_history, history_filename
from quizzes.review.optimizing import (
    optimization_status,
    request_optimization,
    reset_parameters,
)
from quizzes.review.scheduling import (
    MAX_NEW_CARDS_PER_DAY,
    MIN_NEW_CARDS_PER_DAY,
    ReviewRefused,
)
from quizzes.review.study_queue import save_study_preference, study_plan
from relations.models import Lesson


class StudySettingsForm(forms.Form):
    new_cards_per_day = forms.IntegerField(
        label="New cards per day",
        min_value=MIN_NEW_CARDS_PER_DAY,
        max_value=MAX_NEW_CARDS_PER_DAY,
        help_text=(
            f"How many cards you have never seen to add each day, from {MIN_NEW_CARDS_PER_DAY} "
            f"to {MAX_NEW_CARDS_PER_DAY}."
        ),
        error_messages={
            "required": "Enter how many new cards a day you want.",
            "invalid": "Enter a whole number of cards.",
            "min_value": f"Enter at least {MIN_NEW_CARDS_PER_DAY} new card a day.",
            "max_value": f"Enter at most {MAX_NEW_CARDS_PER_DAY} new cards a day.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    keyboard_shortcuts = forms.BooleanField(
        label="Keyboard shortcuts on the review card",
        required=False,
        help_text=(
            "Space, 1–4 and U act only while the review card has focus. Turn them off if you "
            "use speech input or a switch, or if single keys get pressed by accident."
        ),
    )
    lessons = IdMultipleChoiceField(
        label="Lessons to study",
        queryset=Lesson.objects.order_by("order", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose none to study every lesson.",
        error_messages={
            "invalid_choice": "One of the chosen lessons does not exist.",
            "invalid_pk_value": "One of the chosen lessons does not exist.",
        },
    )


def _render_settings(request, *, form, status=200, optimize_error=""):
    context = {
        "form": form,
        "optimization": optimization_status(user=request.user),
        "optimize_error": optimize_error,
    }
    return render(request, "quizzes/review/review_settings.html", context, status=status)


def _current_settings_form(user) -> StudySettingsForm:
    plan = study_plan(user=user)
    return StudySettingsForm(
        initial={"new_cards_per_day": plan.new_cards_per_day, "lessons": list(plan.lesson_ids),
                 "keyboard_shortcuts": plan.keyboard_shortcuts}
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_settings(request):
    if request.method == "POST":
        form = StudySettingsForm(request.POST)
        if form.is_valid():
            save_study_preference(
                user=request.user,
                new_cards_per_day=form.cleaned_data["new_cards_per_day"],
                lessons=form.cleaned_data["lessons"],
                keyboard_shortcuts=form.cleaned_data["keyboard_shortcuts"],
            )
            messages.success(request, "Study settings saved.")
            return redirect("quizzes:review")
        return _render_settings(request, form=form, status=400)
    return _render_settings(request, form=_current_settings_form(request.user))


@login_required
@require_POST
def optimize(request):
    """Optimize the learner's FSRS parameters from their own review log (a background task),
    or, with action=reset, go back to the default parameters."""
    if request.POST.get("action") == "reset":
        reset_parameters(user=request.user)
        messages.success(request, "Your cards use the default parameters again.")
        return redirect("quizzes:review_settings")
    try:
        status = request_optimization(user=request.user)
    except ReviewRefused as refusal:
        return _render_settings(request, form=_current_settings_form(request.user),
                                status=refusal.status, optimize_error=refusal.message)
    messages.success(
        request,
        f"Optimizing your parameters from your {status.reviews} reviews. They are used as "
        "soon as they are ready (this page says when).",
    )
    return redirect("quizzes:review_settings")


def _apkg_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/apkg")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export_all(request):
    """Every active card as one Anki package (course content: no sign-in needed)."""
    return _apkg_response(export_cards(), export_filename())


@require_GET
def export_lesson(request, slug):
    lesson = get_object_or_404(Lesson, slug=slug)
    return _apkg_response(export_cards(lesson=lesson), export_filename(lesson=lesson))


@login_required
@require_GET
def export_mine(request):
    """Every active card with the learner's own schedule and review log."""
    return _apkg_response(export_with_history(user=request.user), history_filename())
