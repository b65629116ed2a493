"""Reading pages. Scaffolding: replaced by the course pages."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from relations.models import Lesson


def _todo(request, *args, **kwargs):
    return HttpResponse("Coming soon")


lesson_list = timeline = people = glossary = sources = _todo


def lesson_detail(request, slug):
    lesson = get_object_or_404(Lesson, slug=slug)
    return HttpResponse(lesson.title)
