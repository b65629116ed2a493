"""Practice quizzes: choose lessons, a length and question types; resume or review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from quizzes.practice.attempts import (
    NoQuestions,
    finish_overdue_attempts,
    practice_overview,
    start_practice,
)
from quizzes.practice.forms import PracticeForm
from relations.models import Lesson


@never_cache
@login_required
def start(request):
    status = 200
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            try:
                attempt = start_practice(
                    user=request.user,
                    lesson_ids=[lesson.pk for lesson in form.cleaned_data["lessons"]],
                    kinds=form.cleaned_data["kinds"],
                    count=form.cleaned_data["count"],
                )
            except NoQuestions as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect("quizzes:attempt", attempt.pk)
        status = 400
    else:
        slug = request.GET.get("lesson", "")[:100]
        chosen = list(Lesson.objects.filter(slug=slug)) if slug else []
        form = PracticeForm(initial={"lessons": chosen, "count": 10})
    finish_overdue_attempts(user=request.user)
    context = {"form": form, **practice_overview(user=request.user)}
    return render(request, "quizzes/practice/practice.html", context, status=status)
