"""The reading pages: open to everyone, one selector call each, then render."""

import string

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from relations import search as finder
from relations import selectors
from relations.models import Lesson
from relations.page_cache import audience, cached_page, rendered


@require_safe
def lesson_list(request):
    return render(request, "relations/lesson_list.html", {"lessons": selectors.lessons_overview()})


def _rendered_lesson(request, slug) -> dict:
    page = selectors.lesson_page(slug=slug)
    body = rendered(request, "relations/lesson.html#body", {"page": page, "lesson": page.lesson})
    return {"title": page.lesson.title, "body": body}


@require_safe
def lesson_detail(request, slug):
    """The lesson comes rendered from the cache (relations/page_cache.py): the page renders
    only the site's frame around it."""
    try:
        lesson = cached_page("lesson-html", slug, audience(request),
                             build=lambda: _rendered_lesson(request, slug))
    except Lesson.DoesNotExist:
        raise Http404("There is no lesson at this address.") from None
    return render(request, "relations/lesson.html", lesson)


@require_safe
def timeline(request):
    eras = cached_page("timeline", build=selectors.timeline_eras)
    return render(request, "relations/timeline.html", {"eras": eras})


@require_safe
def people(request):
    page = cached_page("people", build=selectors.people_page)
    return render(request, "relations/people.html", {"page": page})


@require_safe
def glossary(request):
    groups = cached_page("glossary", build=selectors.glossary_groups)
    anchors = {group.letter: group.anchor for group in groups}
    # The whole alphabet, so a reader sees at once which letters have no terms.
    letters = [(letter, anchors.get(letter)) for letter in string.ascii_uppercase]
    if "#" in anchors:
        letters.append(("#", anchors["#"]))
    return render(request, "relations/glossary.html", {"groups": groups, "letters": letters})


@require_safe
def sources(request):
    return render(request, "relations/sources.html", {"entries": selectors.source_entries()})


@require_safe
def search(request):
    """The results page, or with htmx its results partial (live results as one types)."""
    query = request.GET.get("q", "")
    results = finder.search(query=query[: finder.MAX_QUERY_LENGTH + 1]) if query else None
    template = "relations/search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(request, template, {"results": results, "query": query})
    patch_vary_headers(response, ["HX-Request"])
    return response
