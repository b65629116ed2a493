from django.shortcuts import render

from relations.models import Lesson


def home(request):
    lessons = Lesson.objects.all()
    return render(request, "home.html", {"lessons": lessons})
