"""The reading pages in a phone-sized browser, as an anonymous visitor: accessible, no errors."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from playwright.sync_api import expect

from relations.models import Lesson, Position
from tests import factories

MAP_NAME = "Schematic map of the China–North Korea border"
COURSE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "course.json"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def border_lesson():
    # In one transaction, as an admin action's saves are: the bank and the search index are
    # rebuilt once when it commits, not after each of its forty-odd rows (seconds a test).
    with transaction.atomic():
        lesson = factories.make_lesson_content(
            size=2, title="The border", slug="the-border", shows_border_map=True, order=1
        )
        factories.make_lesson_content(size=1, title="Economic ties", order=2)
    return lesson


def test_the_lesson_list_leads_to_a_lesson(page, axe, border_lesson):
    page.goto("/lessons/")
    expect(page.get_by_role("heading", level=1, name="Lessons")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Lesson 1: The border").click()

    expect(page.get_by_role("heading", level=1, name="The border")).to_be_visible()


def test_the_border_lesson_with_its_map(page, axe, border_lesson):
    page.goto(border_lesson.get_absolute_url())

    border_map = page.get_by_role("img", name=MAP_NAME)
    expect(border_map).to_be_visible()
    expect(page.get_by_role("heading", name="The map in words")).to_be_visible()
    expect(page.get_by_role("link", name="Practise this lesson")).to_have_attribute(
        "href", "/practice/?lesson=the-border"
    )
    debate = border_lesson.debates.first()
    critics = debate.positions.get(side=Position.Side.CRITICS)
    debate_box = page.locator(".debate").filter(has=page.get_by_role("heading", name=debate.title))
    expect(debate_box.locator(".side-critics")).to_contain_text(critics.statement)
    axe(page)


def test_a_section_anchor_scrolls_to_its_section(page, border_lesson):
    section = border_lesson.sections.last()
    page.goto(f"{border_lesson.get_absolute_url()}#{section.slug}")

    expect(page.get_by_role("heading", level=2, name=section.heading)).to_be_in_viewport()


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/timeline/", "Timeline"),
        ("/people/", "People"),
        ("/glossary/", "Glossary"),
        ("/sources/", "Sources and editor’s notes"),
    ],
)
def test_reference_pages_are_accessible(page, axe, border_lesson, path, heading):
    page.goto(path)

    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    axe(page)


def test_panelists_sit_in_columns_on_a_wide_screen(page):
    for i, name in enumerate(["Chen Jian", "Samuel S. Kim", "Hazel Smith"]):
        person = factories.PersonFactory(name=name, order=i)
        factories.ClaimFactory(person=person, topic="Leverage")
        factories.ClaimFactory(person=person, topic=f"{name}'s own point")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/people/")

    for locator in (page.locator(".panel-column"), page.locator(".topic-row .topic-cell")):
        expect(locator).to_have_count(3)
        assert len({round(locator.nth(i).bounding_box()["y"]) for i in range(3)}) == 1

    page.set_viewport_size({"width": 360, "height": 800})
    columns = page.locator(".panel-column")
    assert len({round(columns.nth(i).bounding_box()["y"]) for i in range(3)}) == 3  # stacked
    expect(columns.first).to_contain_text("Chen Jian's own point")


def test_the_glossary_jump_list_goes_to_a_letter(page, border_lesson):
    factories.TermFactory(term="Yalu River", definition="The western border river.")
    page.goto("/glossary/")

    page.get_by_role("navigation", name="Glossary letters").get_by_role("link", name="Y").click()

    expect(page.get_by_text("The western border river.")).to_be_in_viewport()


@pytest.mark.skipif(not COURSE_FIXTURE.exists(), reason="fixtures/course.json not written yet")
def test_every_page_of_the_real_course_is_accessible(page, axe, course):
    page.goto("/lessons/")
    axe(page)
    lesson_links = page.get_by_role("main").get_by_role("link").filter(has_text="Lesson ")
    paths = [lesson_links.nth(i).get_attribute("href") for i in range(lesson_links.count())]
    assert len(paths) >= 8
    for path in [*paths, "/timeline/", "/people/", "/glossary/", "/sources/"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe(page, path)
    border = Lesson.objects.filter(shows_border_map=True).first()
    page.goto(border.get_absolute_url())
    expect(page.get_by_role("img", name=MAP_NAME)).to_be_visible()
