"""Search: one function over the content, each database's own full-text search, the
substring fallback, safe highlighting, and the results page with and without htmx."""

import pytest
from django.db import connection

from relations import search as finder
from relations.search import search
from relations.search_index import TABLE, rebuild_index
from tests import factories

pytestmark = pytest.mark.django_db

only_sqlite = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="SQLite's FTS5 path; PostgreSQL has its own"
)
only_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's search vector: run with DATABASE_URL"
)


def titles(results, label=None):
    return [
        "".join(part.text for part in hit.title)
        for group in results.groups
        if label is None or group.label == label
        for hit in group.hits
    ]


def marked(parts):
    return [part.text for part in parts if part.hit]


@pytest.fixture
def content():
    lesson = factories.LessonFactory(title="The border", slug="border")
    factories.SectionFactory(
        lesson=lesson, slug="crossing", heading="Crossing the river",
        body="Trucks cross the bridge between the two cities every morning. " * 3
        + "Most trade with Dandong goes this way, and the customs post is busy.",
    )
    factories.TermFactory(lesson=lesson, term="Yalu River", definition="The western border.")
    factories.TermFactory(
        lesson=lesson, term="Sinuiju", definition="The city across the Yalu from Dandong."
    )
    factories.PersonFactory(name="Hazel Smith", affiliation="University of Warwick")
    factories.EventFactory(lesson=lesson, title="Talks open in Beijing", summary="Six parties met.")
    debate = factories.DebateFactory(lesson=lesson, slug="aid", title="Food aid")
    factories.PositionFactory(debate=debate, statement="Aid props up the regime.")
    rebuild_index()
    return lesson


# --- the query -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two"),
        ("   ", "Type a word or two"),
        ("x" * 201, "too long: use at most 200 characters"),
        ("'\"*()-:^", "neither"),
    ],
)
def test_an_unsearchable_query_gets_a_sentence_and_no_results(content, query, message):
    results = search(query=query)
    assert message in results.problem
    assert results.groups == []


def test_query_syntax_is_only_ever_words(content):
    # FTS5 and tsquery operators are separators here: nothing reaches either's syntax.
    assert finder.words_of('yalu" OR * NEAR(a b) & !x:* -') == ["yalu", "or", "near", "a", "b", "x"]
    results = search(query='"Yalu" OR (river')
    assert "Yalu River" in titles(results)


# --- each database's full-text search --------------------------------------------------


def _full_text_behaviour(expected_method):
    results = search(query="yalu")
    assert results.method == expected_method
    # A title match outranks a definition that only mentions the word.
    assert titles(results, "Glossary") == ["Yalu River", "Sinuiju"]
    assert marked(results.groups[0].hits[1].passage) == ["Yalu"]

    # Stems: "talk" finds "Talks"; every word is also the start of a longer one.
    assert titles(search(query="talk"), "Events") == ["Talks open in Beijing"]
    assert "Dandong" in marked(search(query="dand").groups[0].hits[0].passage)

    # Every word must match: two words narrow the search.
    assert titles(search(query="yalu dandong")) == ["Sinuiju"]

    # A lesson section's matching passage, cut around the match and highlighted.
    hit = next(g for g in search(query="customs").groups if g.label == "Lessons").hits[0]
    assert hit.url == "/lessons/border/#crossing"
    text = "".join(part.text for part in hit.passage)
    assert text.startswith("… ") and "customs" in text
    assert marked(hit.passage) == ["customs"]


@only_sqlite
def test_sqlite_searches_with_fts5(content):
    _full_text_behaviour("fts5")


@only_postgres
def test_postgresql_searches_with_its_search_vector(content):
    _full_text_behaviour("postgres")


def test_the_plain_fallback_finds_fragments_inside_words(content):
    results = search(query="inuij")  # no word starts so: full-text search finds nothing
    assert results.method == "substring"
    assert titles(results, "Glossary") == ["Sinuiju"]
    assert search(query="yalu", method="substring").method == "substring"
    assert titles(search(query="yalu", method="substring"), "Glossary")[0] == "Yalu River"


def test_results_are_grouped_by_kind_and_link_to_their_item(content):
    results = search(query="border")
    labels = [group.label for group in results.groups]
    assert set(labels) >= {"Lessons", "Glossary"}
    person = search(query="warwick").groups[0]
    assert person.label == "People"
    assert person.hits[0].url.startswith("/people/#person-")
    position = search(query="regime").groups[0]
    assert position.label == "Claims and positions"
    assert position.hits[0].url == "/lessons/border/#debate-aid"


def test_a_group_shows_at_most_limit_and_counts_the_rest(content):
    for n in range(5):
        factories.TermFactory(lesson=content, term=f"Bridge {n}")
    rebuild_index()
    glossary = next(g for g in search(query="bridge", limit=2).groups if g.label == "Glossary")
    assert (len(glossary.hits), glossary.total, glossary.more) == (2, 5, 3)


@only_sqlite
def test_the_fts5_index_follows_content_edits(content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        term = factories.TermFactory(lesson=content, term="Hwanggumpyong")
    assert titles(search(query="hwanggumpyong")) == ["Hwanggumpyong"]
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert search(query="hwanggumpyong").groups == []


@only_sqlite
def test_a_missing_index_is_built_on_the_first_search(content):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    assert titles(search(query="yalu"), "Glossary")[0] == "Yalu River"


# --- the page ------------------------------------------------------------------------------


def test_the_results_page_works_without_javascript(client, content):
    page = client.get("/search/", {"q": "yalu"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" in html and "2 results for “yalu”" in html
    assert '<h2 id="search-group-1">Glossary' in html
    assert "<mark>Yalu</mark>" in html
    assert "HX-Request" in page["Vary"]


def test_every_page_has_the_search_box(client, content):
    html = client.get("/lessons/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert "hx-get" not in html.split('role="search"')[1].split(">")[0]  # live only on results


def test_htmx_gets_the_results_partial_of_the_same_page(client, content):
    page = client.get("/search/", {"q": "yalu"}, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<html" not in html and "<mark>Yalu</mark>" in html
    assert 'hx-swap-oob="true"' in html and "2 results." in html
    assert "HX-Request" in page["Vary"]


@pytest.mark.parametrize("query", ["x" * 5000, "%<>", "   ", "\u202e", "_"])
def test_odd_queries_get_a_clear_message(client, content, query):
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="search-problem"' in html


def test_content_is_escaped_inside_highlighting(client, content):
    factories.TermFactory(
        lesson=content, term="<script>alert(1)</script> Yalu",
        definition='Yalu <img src=x onerror="alert(2)">',
    )
    rebuild_index()
    html = client.get("/search/", {"q": "yalu"}).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Yalu</mark>" in html
    assert "<mark>Yalu</mark> &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


def test_nothing_found_says_so(client, content):
    html = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing in the course matches “zeppelin”" in html


def test_search_answers_head_and_refuses_posts(client, content):
    assert client.head("/search/", {"q": "yalu"}).status_code == 200
    assert client.post("/search/", {"q": "yalu"}).status_code == 405


@only_sqlite
def test_load_course_fills_the_fts5_index(db, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_course", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE kind = 'term'")
        (terms,) = cursor.fetchone()
    from relations.models import Term

    assert terms == Term.objects.count() > 0
