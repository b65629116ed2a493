"""The reading pages: open to everyone, one selector call each, then render."""

import string

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from relations import selectors
from relations.models import Lesson


@require_safe
def lesson_list(request):
    return render(request, "relations/lesson_list.html", {"lessons": selectors.lessons_overview()})


@require_safe
def lesson_detail(request, slug):
    try:
        page = selectors.lesson_page(slug=slug)
    except Lesson.DoesNotExist:
        raise Http404("There is no lesson at this address.") from None
    return render(request, "relations/lesson.html", {"page": page, "lesson": page.lesson})


@require_safe
def timeline(request):
    return render(request, "relations/timeline.html", {"eras": selectors.timeline_eras()})


@require_safe
def people(request):
    return render(request, "relations/people.html", {"page": selectors.people_page()})


@require_safe
def glossary(request):
    groups = selectors.glossary_groups()
    anchors = {group.letter: group.anchor for group in groups}
    # The whole alphabet, so a reader sees at once which letters have no terms.
    letters = [(letter, anchors.get(letter)) for letter in string.ascii_uppercase]
    if "#" in anchors:
        letters.append(("#", anchors["#"]))
    return render(request, "relations/glossary.html", {"groups": groups, "letters": letters})


@require_safe
def sources(request):
    return render(request, "relations/sources.html", {"entries": selectors.source_entries()})
