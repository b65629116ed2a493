"""The reading pages as an anonymous visitor sees them."""

import datetime

import pytest
from django.urls import reverse

from relations.models import Position
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["lessons", "timeline", "people", "glossary", "sources"]


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def lesson():
    return factories.make_lesson_content(size=1, title="The border", shows_border_map=True)


@pytest.mark.parametrize("name", PAGES)
def test_every_reference_page_opens_without_an_account(client, lesson, name):
    response = client.get(reverse(f"relations:{name}"))

    assert response.status_code == 200
    assert text_of(response).count("<h1") == 1


@pytest.mark.parametrize("name", PAGES)
def test_every_reference_page_renders_when_there_is_no_content_yet(client, name):
    response = client.get(reverse(f"relations:{name}"))

    assert response.status_code == 200
    assert "yet" in text_of(response)


def test_pages_refuse_to_be_posted_to(client, lesson):
    assert client.post(reverse("relations:lessons")).status_code == 405
    assert client.post(lesson.get_absolute_url()).status_code == 405


def test_an_unknown_lesson_is_a_404_with_a_sentence(client):
    response = client.get("/lessons/no-such-lesson/")

    assert response.status_code == 404


def test_lesson_list_shows_lessons_in_order_with_what_each_covers(client):
    later = factories.make_lesson_content(size=2, title="Later lesson", order=2)
    factories.make_lesson_content(size=1, title="Earlier lesson", order=1)

    html = text_of(client.get("/lessons/"))

    assert html.index("Earlier lesson") < html.index("Later lesson")
    assert later.summary in html
    assert "2 sections" in html
    assert "4 arguments" in html
    assert "2 debates" in html
    assert "2 terms" in html
    assert "1 section<" in html


def test_lesson_page_shows_sections_with_anchors_and_citations(client, lesson):
    section = lesson.sections.get()

    html = text_of(client.get(lesson.get_absolute_url()))

    assert f'id="{section.slug}"' in html
    assert section.heading in html
    assert "<p>A paragraph in our own words.</p>" in html
    assert (
        f'Source: <a href="/sources/#source-{section.citation.source.slug}">'
        f"{section.citation.source.title}</a> — {section.citation.locator}"
    ) in html


def test_lesson_page_puts_both_sides_of_a_debate_side_by_side(client, lesson):
    debate = lesson.debates.get()
    critics = debate.positions.get(side=Position.Side.CRITICS)
    proponents = debate.positions.get(side=Position.Side.PROPONENTS)

    html = text_of(client.get(lesson.get_absolute_url()))

    assert debate.question in html
    sides = html[html.index('class="sides"') :]
    assert sides.index("Critics") < sides.index(critics.statement)
    assert sides.index(critics.statement) < sides.index("Proponents")
    assert sides.index("Proponents") < sides.index(proponents.statement)
    assert f"— {proponents.holder}" in sides


def test_lesson_page_shows_claims_by_person_and_what_the_lesson_touches(client, lesson):
    claim = lesson.claims.filter(person__is_panelist=True).get()
    event = lesson.events.get()
    term = lesson.terms.get()
    note = lesson.editor_notes.get()

    html = text_of(client.get(lesson.get_absolute_url()))

    assert claim.person.name in html
    assert claim.statement in html
    assert event.title in html
    assert f'href="/timeline/#event-{event.pk}"' in html
    assert f'href="/glossary/#term-{term.pk}"' in html
    for person in event.people.all():
        assert f'href="/people/#person-{person.slug}"' in html
    assert f'id="note-{note.pk}"' in html
    assert f"The source says “{note.source_says}”; in fact, {note.correction}" in html


def test_lesson_page_offers_what_to_do_next_and_neighbours(client):
    first = factories.make_lesson_content(title="First", order=1)
    second = factories.make_lesson_content(title="Second", order=2)
    third = factories.make_lesson_content(title="Third", order=3)

    html = text_of(client.get(second.get_absolute_url()))

    assert f'href="/practice/?lesson={second.slug}"' in html
    assert 'href="/review/"' in html
    assert f'href="/review/export/{second.slug}.apkg"' in html
    assert f'href="{first.get_absolute_url()}" rel="prev"' in html
    assert f'href="{third.get_absolute_url()}" rel="next"' in html
    first_html = text_of(client.get(first.get_absolute_url()))
    assert 'rel="prev"' not in first_html


def test_only_the_border_lesson_shows_the_map_with_its_text_alternative(client, lesson):
    other = factories.make_lesson_content(title="Economy")

    html = text_of(client.get(lesson.get_absolute_url()))
    other_html = text_of(client.get(other.get_absolute_url()))

    assert '<svg role="img" aria-labelledby="border-map-title border-map-desc"' in html
    for place in [
        "Yalu",
        "Tumen",
        "Dandong",
        "Sinuiju",
        "Paektu",
        "North Pyongan",
        "Chagang",
        "Ryanggang",
        "North Hamgyong",
        "Liaoning",
        "Jilin",
        "not to scale",
    ]:
        assert place in html
    assert "The map in words" in html
    assert "style=" not in html
    assert "<svg" not in other_html


def test_timeline_groups_events_by_era_with_machine_readable_dates(client):
    import datetime

    early = factories.EraFactory(name="Cold War foundations", order=1)
    late = factories.EraFactory(name="The Xi era", order=2)
    armistice = factories.EventFactory(
        era=early, title="Armistice", precision="day", year=1953, date=datetime.date(1953, 7, 27)
    )
    talks = factories.EventFactory(era=late, title="Talks", year=2003, end_year=2009)
    talks.people.add(factories.PersonFactory(name="A Negotiator"))

    html = text_of(client.get("/timeline/"))

    assert '<a href="#era-' in html  # the jump list
    line = html[html.index('<ol class="timeline">') :]
    assert line.index("Cold War foundations") < line.index("Armistice")
    assert line.index("Armistice") < line.index("The Xi era") < line.index("Talks")
    assert '<time datetime="1953-07-27">27 July 1953</time>' in html
    assert '<time datetime="2003">2003</time>–<time datetime="2009">2009</time>' in html
    assert armistice.significance in html
    assert "A Negotiator" in html
    assert f'href="{armistice.lesson.get_absolute_url()}"' in html
    assert f"#source-{armistice.citation.source.slug}" in html


def test_people_page_gives_each_panelist_a_column_of_arguments(client):
    chen = factories.PersonFactory(name="Chen Jian", affiliation="University of Virginia", order=1)
    kim = factories.PersonFactory(name="Samuel S. Kim", affiliation="Columbia University", order=2)
    factories.ClaimFactory(person=chen, topic="Sibling rivalry", statement="Chen on rivalry.")
    factories.ClaimFactory(person=kim, topic="The five no's", statement="Kim on the no's.")
    factories.PersonFactory(name="Kim Il Sung", is_panelist=False, role="leader of North Korea")

    html = text_of(client.get("/people/"))

    columns = html.split('class="panel-column"')[1:]
    assert len(columns) == 2
    assert "University of Virginia" in columns[0] and "Chen on rivalry." in columns[0]
    assert "Columbia University" in columns[1] and "Kim on the no&#x27;s." in columns[1]
    assert "Sibling rivalry" in columns[0]
    assert 'class="topic-row"' not in html  # no topic is shared, so no rows of empty cells
    others = html[html.index("Other people") :]
    assert "Kim Il Sung" in others and "leader of North Korea" in others


def test_people_page_lines_up_topics_panelists_share(client):
    chen = factories.PersonFactory(name="Chen Jian", order=1)
    kim = factories.PersonFactory(name="Samuel S. Kim", order=2)
    smith = factories.PersonFactory(name="Hazel Smith", order=3)
    factories.ClaimFactory(person=chen, topic="Leverage", statement="Chen on leverage.")
    factories.ClaimFactory(person=kim, topic=" leverage ", statement="Kim on leverage.")
    factories.ClaimFactory(person=smith, topic="Refugees", statement="Smith on refugees.")

    html = text_of(client.get("/people/"))

    rows = html.split('class="topic-row"')[1:]
    assert len(rows) == 1  # "Leverage" and " leverage " are one topic; "Refugees" is Smith's alone
    assert rows[0].index("Chen on leverage.") < rows[0].index("Kim on leverage.")
    assert rows[0].count("No recorded argument on this topic.") == 1  # Smith's cell
    columns = html[: html.index('id="shared-topics"')]
    assert "Smith on refugees." in columns
    assert "Chen on leverage." not in columns  # shown once, in the shared row


def test_a_sources_own_view_is_kept_apart_from_people(client):
    voice = factories.PersonFactory(
        name="The encyclopedia article (its own view)", is_panelist=False, is_source_voice=True
    )
    claim = factories.ClaimFactory(person=voice, statement="Judge policy by its results.")

    people = text_of(client.get("/people/"))
    lesson = text_of(client.get(claim.lesson.get_absolute_url()))

    voices = people[people.index("The sources’ own views") :]
    assert voice.name in voices and claim.statement in voices
    assert "Other people" not in people
    assert claim.statement in lesson  # under "Who argued what"
    assert "People in this lesson" not in lesson


def test_glossary_lists_terms_a_to_z_with_a_jump_list(client):
    factories.TermFactory(term="Six-party talks", definition="Talks among six states.")
    factories.TermFactory(term="armistice", definition="A halt to fighting.")
    factories.TermFactory(term="Ásia", definition="Filed under A despite the accent.")

    html = text_of(client.get("/glossary/"))

    assert html.index("armistice") < html.index("Ásia") < html.index("Six-party talks")
    assert '<a href="#letter-a">A</a>' in html
    assert '<a href="#letter-s">S</a>' in html
    assert '<span class="letter-empty" title="No terms under B">B</span>' in html
    assert "Talks among six states." in html
    assert "Source: " in html


def test_sources_page_has_full_entries_and_notes_under_their_source(client):
    source = factories.SourceFactory(
        slug="wilson",
        title="Uneasy Allies: Fifty Years of China-North Korea Relations",
        kind="event summary",
        publisher="Wilson Center, Asia Program",
        authors="Timothy Hildebrandt",
        published="29 July 2003",
        series="Special Report #115",
        url="https://example.org/uneasy-allies",
    )
    note = factories.EditorNoteFactory(
        citation=factories.CitationFactory(source=source, locator="Paragraph 3"),
        source_says="Kim Jung Il's regime",
        correction="the leader was Kim Il Sung.",
    )

    html = text_of(client.get("/sources/"))

    assert 'id="source-wilson"' in html
    for value in [
        "event summary",
        "Wilson Center, Asia Program",
        "Timothy Hildebrandt",
        "29 July 2003",
        "Special Report #115",
        'href="https://example.org/uneasy-allies"',
    ]:
        assert value in html
    entry = html[html.index('id="source-wilson"') :]
    assert f'id="note-{note.pk}"' in entry
    assert "The source says “Kim Jung Il&#x27;s regime”" in entry
    assert "in fact, the leader was Kim Il Sung." in entry


@pytest.mark.parametrize(
    "name, make",
    [
        ("lesson", lambda evil: factories.SectionFactory(heading=evil).lesson.get_absolute_url()),
        ("lessons", lambda evil: factories.LessonFactory(summary=evil) and "/lessons/"),
        ("timeline", lambda evil: factories.EventFactory(summary=evil) and "/timeline/"),
        ("people", lambda evil: factories.ClaimFactory(statement=evil) and "/people/"),
        ("glossary", lambda evil: factories.TermFactory(definition=evil) and "/glossary/"),
        ("sources", lambda evil: factories.SourceFactory(note=evil) and "/sources/"),
    ],
)
def test_html_typed_into_content_shows_as_text(client, name, make):
    evil = '<script>alert("x")</script><b>bold</b>'
    url = make(evil)

    html = text_of(client.get(url))

    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


# --- the second edition: the course's own context, notes beside their items, precision ---


@pytest.fixture
def context_paragraph():
    source = factories.SourceFactory(
        slug="course-context", title="Course context — editor's summary", is_course_context=True
    )
    return factories.CitationFactory(
        source=source,
        locator="§7 The 1961 treaty",
        passage="The treaty was signed in Beijing on 11 July 1961.",
        record="Treaty of Friendship, Cooperation and Mutual Assistance, 11 July 1961.",
    )


def test_a_context_citation_shows_as_such_with_its_record(client, context_paragraph):
    event = factories.EventFactory(citation=context_paragraph, title="Treaty signed")

    html = text_of(client.get("/timeline/"))

    assert (
        f'Source: <a href="/sources/#citation-{context_paragraph.pk}">Course context — '
        "editor&#x27;s summary</a> — §7 The 1961 treaty"
    ) in html
    assert "Record: Treaty of Friendship, Cooperation and Mutual Assistance, 11 July 1961." in html
    assert event.title in html


def test_the_sources_page_lists_the_context_paragraphs_with_their_record(
    client, context_paragraph
):
    html = text_of(client.get("/sources/"))

    entry = html[html.index('id="source-course-context"') :]
    assert f'id="citation-{context_paragraph.pk}"' in entry
    assert context_paragraph.passage in entry
    assert "<strong>Record:</strong> Treaty of Friendship" in entry


@pytest.mark.parametrize(
    "fields, shown",
    [
        (dict(precision="day", year=1950, date=datetime.date(1950, 6, 25)),
         '<time datetime="1950-06-25">25 June 1950</time>'),
        (dict(precision="month", year=1950, date=datetime.date(1950, 10, 1)),
         '<time datetime="1950-10">October 1950</time>'),
        (dict(precision="year", year=1949), '<time datetime="1949">1949</time>'),
        (dict(precision="year", year=1946, end_year=1948),
         '<time datetime="1946">1946</time>–<time datetime="1948">1948</time>'),
        (dict(precision="day", year=2018, date=datetime.date(2018, 3, 25), end_year=2018,
              end_date=datetime.date(2018, 3, 28)),
         '<time datetime="2018-03-25">25</time>–<time datetime="2018-03-28">28 March 2018</time>'),
        (dict(precision="month", year=1950, date=datetime.date(1950, 10, 1), end_year=1958,
              end_date=datetime.date(1958, 10, 1)),
         '<time datetime="1950-10">October 1950</time> – '
         '<time datetime="1958-10">October 1958</time>'),
    ],
)
def test_the_timeline_shows_each_date_to_its_precision(client, fields, shown):
    factories.EventFactory(**fields)

    assert shown in text_of(client.get("/timeline/"))


def test_within_a_year_the_timeline_is_in_date_order(client):
    era = factories.EraFactory()
    for title, month in [("October event", 10), ("June event", 6), ("May event", 5)]:
        factories.EventFactory(
            era=era, title=title, precision="month", year=1950,
            date=datetime.date(1950, month, 1),
        )

    html = text_of(client.get("/timeline/"))

    assert html.index("May event") < html.index("June event") < html.index("October event")


def test_an_editor_note_shows_in_full_beside_its_item_on_every_page(client, context_paragraph):
    note = factories.EditorNoteFactory(
        kind="qualification",
        source_says="three days late",
        correction="Kim had told Mao of the plan in May",
        explanation="What Kim withheld was the date.",
        basis=context_paragraph,
    )
    event = factories.EventFactory(editor_note=note)
    term = factories.TermFactory(editor_note=note)
    claim = factories.ClaimFactory(editor_note=note)
    sentence = "The source says “three days late”; but Kim had told Mao of the plan in May."

    for url in ["/timeline/", "/glossary/", "/people/"]:
        html = text_of(client.get(url))
        assert sentence in html, url
        assert "What Kim withheld was the date." in html, url
        assert f"#citation-{context_paragraph.pk}" in html, url
    for item in (event, term, claim):
        assert sentence in text_of(client.get(item.lesson.get_absolute_url()))
    unrelated = factories.make_lesson_content()
    assert sentence not in text_of(client.get(unrelated.get_absolute_url()))


def test_a_section_shows_the_notes_beside_it(client, lesson):
    section = lesson.sections.get()
    note = factories.EditorNoteFactory(source_says="in 1949", correction="mostly in 1946–1948")
    section.editor_notes.add(note)

    html = text_of(client.get(lesson.get_absolute_url()))

    beside = html[html.index(f'id="{section.slug}"') :]
    beside = beside[: beside.index("</section>")]
    assert "The source says “in 1949”; in fact, mostly in 1946–1948." in beside
    assert f'href="#note-{note.pk}"' in beside
    assert f'id="note-{note.pk}"' in html


def test_the_course_s_own_position_is_marked_as_editorial(client, lesson, context_paragraph):
    debate = lesson.debates.get()
    position = debate.positions.get(side=Position.Side.CRITICS)
    position.is_editorial = True
    position.citation = context_paragraph
    position.save()

    html = text_of(client.get(lesson.get_absolute_url()))

    assert "editorial: written by the course, not found in either source" in html
    assert "Record: Treaty of Friendship" in html
