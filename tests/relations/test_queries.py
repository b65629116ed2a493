"""Each reading page costs the same number of queries however much content there is."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relations.models import Lesson
from tests import factories

COURSE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "course.json"

pytestmark = pytest.mark.django_db

# The most each page may cost (an anonymous visitor, no session). The cached ones (lesson,
# timeline, people, glossary) read the content's version first: one more each.
MAX_QUERIES = {
    "lessons": 1,
    "lesson": 13,  # the twelfth: the editor's notes beside its sections
    "timeline": 4,
    "people": 4,
    "glossary": 2,
    "sources": 3,  # sources, editor's notes, the course context's paragraphs
}

# A piece of HTML each page repeats once per item it lists.
ITEM_MARKER = {
    "lessons": b'class="card lesson-card"',
    "lesson": b'class="citation"',
    "timeline": b'class="timeline-event"',
    "people": b'class="claim"',
    "glossary": b'class="term"',
    "sources": b'class="editor-note"',
}


def build_n():
    """One lesson with two of everything; returns it."""
    return factories.make_lesson_content(size=2, shows_border_map=True)


def grow_to_2n(lesson):
    """Double the lesson's items, and the number of lessons (each with at least as much)."""
    factories.make_lesson_content(lesson=lesson, size=2)
    factories.make_lesson_content(size=4)


def url_for(name: str, lesson) -> str:
    return lesson.get_absolute_url() if name == "lesson" else f"/{name}/"


def count_queries(client, url: str) -> int:
    """Queries of the page as built: the cache is emptied first (test_page_cache.py shows a
    cached page costs none)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", MAX_QUERIES)
def test_query_count_does_not_grow_with_content(client, name, django_assert_max_num_queries):
    lesson = build_n()
    url = url_for(name, lesson)
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        small = client.get(url)
    with_n = count_queries(client, url)

    grow_to_2n(lesson)
    # Inside the test's transaction nothing commits, so the content version stays put.
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        large = client.get(url)
    with_2n = count_queries(client, url)

    assert with_2n == with_n
    # Guard: the page really shows at least twice as much, so equal counts mean something.
    marker = ITEM_MARKER[name]
    assert large.content.count(marker) >= 2 * small.content.count(marker) > 0


@pytest.mark.skipif(not COURSE_FIXTURE.exists(), reason="fixtures/course.json not written yet")
def test_the_real_course_stays_within_the_budgets(client, course, django_assert_max_num_queries):
    for lesson in Lesson.objects.all():
        with django_assert_max_num_queries(MAX_QUERIES["lesson"]):
            assert client.get(lesson.get_absolute_url()).status_code == 200
    for name in ["lessons", "timeline", "people", "glossary", "sources"]:
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            assert client.get(f"/{name}/").status_code == 200
