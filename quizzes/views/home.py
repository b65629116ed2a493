from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from quizzes.home import home_page


@require_GET
def home(request):
    page = home_page(user=request.user, now=timezone.now())
    return render(request, "home.html", {"page": page})
