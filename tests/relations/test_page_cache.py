"""The reading pages are cached for everyone and rebuilt as soon as their content changes."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.models import Lesson, Term
from relations.page_cache import bump_content_version, cached_page, content_version
from tests import factories


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["relations:timeline", "relations:people", "relations:glossary"])
def test_a_second_visit_reads_the_page_from_the_cache(client, name):
    factories.TermFactory()
    factories.EventFactory()
    url = reverse(name)
    first = queries_for(client, url)
    assert first > 0
    assert queries_for(client, url) == 1  # the content's version, read by every process


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_of_a_lesson_shows_at_once(client, staff):
    lesson = factories.LessonFactory(title="The alliance before 1961")
    url = reverse("relations:lesson", args=[lesson.slug])
    assert "The alliance before 1961" in client.get(url).text
    client.force_login(staff)
    change = reverse("admin:relations_lesson_change", args=[lesson.pk])
    form = client.get(change).context["adminform"].form
    data = {**{k: v for k, v in form.initial.items() if v is not None}}
    data.update(_inline_management(client.get(change)))
    data["title"] = "The alliance after 1961"
    data["people"] = [p.pk for p in lesson.people.all()]
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    page = client.get(url).text
    assert "The alliance after 1961" in page and "The alliance before 1961" not in page


def _inline_management(response) -> dict:
    """The inline formsets' management fields and rows, as the admin form posts them."""
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[f"{management.prefix}-{field.name}"] = field.value()
        for index, form in enumerate(formset.formset.forms):
            for field in form:
                value = field.value()
                if value is not None and not isinstance(value, bool):
                    data[f"{form.prefix}-{field.name}"] = value
                elif value:
                    data[f"{form.prefix}-{field.name}"] = "on"
            del index
    return data


@pytest.mark.django_db(transaction=True)
def test_load_course_changes_the_cached_page_at_once(client, tmp_path):
    call_command("load_course", verbosity=0)
    lesson = Lesson.objects.order_by("order").first()
    url = reverse("relations:lesson", args=[lesson.slug])
    assert lesson.title in client.get(url).text
    # The same page built from an edited fixture: load_course makes it the one shown.
    Lesson.objects.filter(pk=lesson.pk).update(title="A title only the database has")
    assert "A title only the database has" not in client.get(url).text  # still cached
    call_command("load_course", verbosity=0)
    assert lesson.title in client.get(url).text
    Lesson.objects.filter(pk=lesson.pk).update(title="Edited again")
    call_command("load_course", verbosity=0)  # the fixture's title is back, and shown
    assert "Edited again" not in client.get(url).text
    assert lesson.title in client.get(url).text


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_leaves_the_version_alone():
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.TermFactory()
        raise RuntimeError("the editor's save failed")
    assert content_version() == before
    with transaction.atomic():
        factories.TermFactory()
    assert content_version() == before + 1


@pytest.mark.django_db
def test_many_rows_in_one_transaction_bump_the_version_once(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(5):
            factories.TermFactory()
    assert callbacks.count(bump_content_version) == 1
    assert content_version() == before + 1
    assert Term.objects.count() == 5


@pytest.mark.django_db
def test_an_unknown_lesson_is_not_cached(client):
    built = []
    with pytest.raises(Lesson.DoesNotExist):
        cached_page("lesson", "nowhere", build=lambda: built.append(1) or Lesson.objects.get(
            slug="nowhere"
        ))
    assert client.get("/lessons/nowhere/").status_code == 404


@pytest.mark.django_db
def test_a_lesson_is_rendered_once_and_the_frame_around_it_is_each_visitors(
    client, monkeypatch
):
    from relations import views

    lesson = factories.LessonFactory(title="Lips and teeth")
    factories.SectionFactory(lesson=lesson, heading="The war years")
    built = []
    lesson_page = views.selectors.lesson_page
    monkeypatch.setattr(views.selectors, "lesson_page",
                        lambda **kwargs: built.append(kwargs) or lesson_page(**kwargs))
    url = reverse("relations:lesson", args=[lesson.slug])
    first = client.get(url).text
    assert queries_for(client, url) == 1  # the second visit: the version, then the cache
    assert len(built) == 1
    assert "The war years" in first and "<title>Lips and teeth" in first
    assert "ask you to <a href=\"/accounts/login/?next=" in first

    # The signed in get their own copy (no sign-in prompt) inside their own frame.
    ann, bo = factories.UserFactory(username="ann"), factories.UserFactory(username="bo")
    pages = {}
    for user in (ann, bo):
        client.force_login(user)
        pages[user.username] = client.get(url).text
    assert len(built) == 2  # one more build, for both of them
    for name, page in pages.items():
        assert "The war years" in page and "ask you to" not in page
        assert f"Signed in as </span>{name}" in page


@pytest.mark.django_db(transaction=True)  # the version is bumped once the edit commits
def test_an_edit_saved_by_one_app_process_shows_in_every_other_at_once(client, monkeypatch):
    """Each gunicorn worker has its own local-memory cache: the version that tells them a
    page is stale must be one they all read, or only the worker that saved would know."""
    from django.core.cache.backends.locmem import LocMemCache

    from relations import page_cache

    this_worker, other_worker = page_cache.cache, LocMemCache("another-worker", {})
    lesson = factories.LessonFactory(title="The alliance before 1961")
    url = reverse("relations:lesson", args=[lesson.slug])
    monkeypatch.setattr(page_cache, "cache", other_worker)
    assert "The alliance before 1961" in client.get(url).text  # cached by the other worker

    monkeypatch.setattr(page_cache, "cache", this_worker)
    lesson.title = "The alliance after 1961"
    lesson.save()

    monkeypatch.setattr(page_cache, "cache", other_worker)
    page = client.get(url).text
    assert "The alliance after 1961" in page and "The alliance before 1961" not in page
