"""Editors work in the admin; what they add shows on the reading pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.models import Claim, Debate
from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    "source", "citation", "era", "person", "lesson", "section", "editornote",
    "event", "claim", "debate", "position", "term", "fact",
]  # fmt: skip


def test_an_editor_adds_a_panelists_claim_and_it_appears_on_people_and_its_lesson(client, staff):
    lesson = factories.make_lesson_content(title="Alliance under strain")
    section = lesson.sections.first()
    panelist = factories.PersonFactory(name="Hazel Smith", affiliation="University of Warwick")
    citation = factories.CitationFactory(locator="Border provinces paragraph")
    client.force_login(staff)

    response = client.post(
        reverse("admin:relations_claim_add"),
        {
            "person": panelist.pk,
            "lesson": lesson.pk,
            "section": section.pk,
            "citation": citation.pk,
            "topic": "Refugees",
            "statement": "Crossings matter in some border provinces far more than in others.",
            "context": "",
            "quotation": "",
            "order": 1,
        },
    )

    assert response.status_code == 302, response.content.decode()
    claim = Claim.objects.get(person=panelist)
    client.logout()
    people = client.get("/people/").content.decode()
    lesson_page = client.get(lesson.get_absolute_url()).content.decode()
    for html in (people, lesson_page):
        assert claim.statement in html
        assert "Hazel Smith" in html
        assert "Border provinces paragraph" in html


def test_the_admin_refuses_a_claim_whose_section_is_in_another_lesson(client, staff):
    lesson = factories.LessonFactory()
    elsewhere = factories.SectionFactory()
    client.force_login(staff)

    response = client.post(
        reverse("admin:relations_claim_add"),
        {
            "person": factories.PersonFactory().pk,
            "lesson": lesson.pk,
            "section": elsewhere.pk,
            "citation": factories.CitationFactory().pk,
            "topic": "Leverage",
            "statement": "A statement.",
            "order": 0,
        },
    )

    assert response.status_code == 200
    assert "The section must belong to the same lesson." in response.content.decode()
    assert not Claim.objects.exists()


def test_an_editor_adds_a_debate_with_both_sides_inline(client, staff):
    lesson = factories.make_lesson_content()
    citation = factories.CitationFactory()
    client.force_login(staff)
    prefix = "positions"
    data = {
        "lesson": lesson.pk,
        "citation": citation.pk,
        "slug": "sanctions",
        "title": "Sanctions enforcement",
        "question": "Has Beijing enforced sanctions fully?",
        "order": 9,
        f"{prefix}-TOTAL_FORMS": 2,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 2,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, (side, holder) in enumerate([("critics", "Some observers"), ("proponents", "Others")]):
        data |= {
            f"{prefix}-{i}-side": side,
            f"{prefix}-{i}-holder": holder,
            f"{prefix}-{i}-statement": f"{holder} hold a view.",
            f"{prefix}-{i}-citation": citation.pk,
            f"{prefix}-{i}-order": i,
        }

    response = client.post(reverse("admin:relations_debate_add"), data)

    assert response.status_code == 302, response.content.decode()
    debate = Debate.objects.get(slug="sanctions")
    assert {p.side for p in debate.positions.all()} == {"critics", "proponents"}
    assert "Some observers hold a view." in client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_content_model_has_a_working_change_list_and_add_form(client, staff, model):
    factories.make_lesson_content(size=2)
    client.force_login(staff)

    assert client.get(reverse(f"admin:relations_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:relations_{model}_changelist"), {"q": "a"}).status_code == 200
    assert client.get(reverse(f"admin:relations_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", ["claim", "event", "section", "term", "person", "lesson"])
def test_change_lists_do_not_query_per_row(client, staff, model):
    factories.make_lesson_content(size=2)
    client.force_login(staff)
    url = reverse(f"admin:relations_{model}_changelist")
    client.get(url)

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    factories.make_lesson_content(size=6)
    with CaptureQueriesContext(connection) as large:
        client.get(url)

    assert len(large) == len(small)


def test_the_person_page_edits_claims_inline(client, staff):
    claim = factories.ClaimFactory(statement="Leverage is modest.")
    client.force_login(staff)

    html = client.get(reverse("admin:relations_person_change", args=[claim.person.pk]))

    assert "Leverage is modest." in html.content.decode()
