"""The course home and the learner's progress page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from quizzes.progress.home import home_page
from quizzes.progress.report import progress_report


@require_GET
def home(request):
    page = home_page(user=request.user, now=timezone.now())
    return render(request, "quizzes/progress/home.html", {"page": page})


@login_required
@require_GET
def progress(request):
    report = progress_report(user=request.user, now=timezone.now())
    return render(request, "quizzes/progress/progress.html", {"report": report})
