"""The real course, fixtures/course.json: it loads, it is complete, and it teaches no error.

These tests hold the written course to the content rules in DESIGN.md: minimum amounts of
each kind of item, sections in their item's lesson, one marked answer per cloze fact, both
sides of every debate, exact names, dates and affiliations, and no source error taught as
a right answer.
"""

import datetime
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from relations.checks import find_content_problems
from relations.models import (
    CLOZE_PATTERN,
    Citation,
    Claim,
    Debate,
    EditorNote,
    Era,
    Event,
    Fact,
    Lesson,
    Person,
    Position,
    Section,
    Source,
    Term,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
COURSE = FIXTURES / "course.json"
LESSON_ITEMS = (Event, Claim, Debate, Term, Fact)


@pytest.fixture
def loaded_course(db):
    call_command("loaddata", str(COURSE), verbosity=0)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _contains(text: str, phrase: str) -> bool:
    return f" {_fold(phrase)} " in f" {_fold(text)} "


def test_the_committed_fixture_is_what_the_builder_writes():
    spec = importlib.util.spec_from_file_location("build_course", FIXTURES / "build_course.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert json.loads(COURSE.read_text(encoding="utf-8")) == builder.build()


def test_course_meets_the_minimum_size(loaded_course):
    # The two documents and the course's own context.
    assert Source.objects.count() == 3
    assert Source.objects.filter(is_course_context=True).count() == 1
    assert Lesson.objects.count() >= 15
    assert Event.objects.count() >= 60
    assert Claim.objects.filter(person__is_panelist=True).count() >= 25
    assert Debate.objects.count() >= 5
    assert Term.objects.count() >= 40
    assert Fact.objects.count() >= 100
    assert Era.objects.count() == 4


def test_content_check_finds_nothing_wrong(loaded_course):
    assert [str(problem) for problem in find_content_problems()] == []


def test_every_row_passes_model_validation(loaded_course):
    # loaddata skips validation; max lengths, slugs and clean() are checked here.
    for model in (Source, Citation, Era, Person, Lesson, Section, EditorNote, Position,
                  *LESSON_ITEMS):
        for obj in model.objects.all():
            obj.full_clean()


def test_each_lesson_has_three_to_six_sections_of_two_to_four_paragraphs(loaded_course):
    for lesson in Lesson.objects.prefetch_related("sections"):
        sections = list(lesson.sections.all())
        assert 3 <= len(sections) <= 6, lesson.slug
        for section in sections:
            paragraphs = [p for p in section.body.split("\n\n") if p.strip()]
            assert 2 <= len(paragraphs) <= 4, f"{lesson.slug}#{section.slug}"


def test_items_point_at_sections_of_their_own_lesson(loaded_course):
    for model in LESSON_ITEMS:
        for item in model.objects.select_related("section"):
            assert item.section is not None, f"{model.__name__} #{item.pk} has no section"
            assert item.section.lesson_id == item.lesson_id, f"{model.__name__} #{item.pk}"


def test_every_fact_marks_exactly_one_short_answer(loaded_course):
    for fact in Fact.objects.all():
        spans = CLOZE_PATTERN.findall(fact.text)
        assert len(spans) == 1, fact.text
        assert fact.answer and len(fact.answer.split()) <= 4, fact.text


def test_every_debate_has_one_critics_and_one_proponents_position(loaded_course):
    for debate in Debate.objects.prefetch_related("positions"):
        sides = sorted(position.side for position in debate.positions.all())
        assert sides == [Position.Side.CRITICS, Position.Side.PROPONENTS], debate.slug


def test_the_controversies_lesson_counts_what_it_lists(loaded_course):
    # "Five controversies" beside "Four debates … and the article's own opinion" read as a
    # miscount: the title, the summary and the debates must say one number.
    lesson = Lesson.objects.get(slug="controversies")
    debates = Debate.objects.filter(lesson=lesson)
    own_view = debates.filter(slug="the-articles-own-view").count()
    assert (debates.count(), own_view) == (5, 1)
    assert lesson.title == "Five controversies"
    assert lesson.summary.startswith("The article's five controversies: four debates")
    assert "a fifth that is the article's own opinion" in lesson.summary


def test_position_statements_do_not_name_their_side(loaded_course):
    # The side is in `side` and `holder`; a statement that says "critics argue" gives a
    # which-side question away.
    for position in Position.objects.all():
        for word in ("critic", "critics", "proponent", "proponents", "supporters"):
            assert not _contains(position.statement, word), position.statement


def test_the_articles_own_view_is_taught_as_its_view(loaded_course):
    debate = Debate.objects.get(slug="the-articles-own-view")
    proponents = debate.positions.get(side=Position.Side.PROPONENTS)
    assert proponents.holder == "The article's own view"
    voice = Person.objects.get(slug="article-own-view")
    assert voice.role == "source's own viewpoint" and not voice.is_panelist


def test_glossary_definitions_do_not_give_the_term_away(loaded_course):
    for term in Term.objects.all():
        for name in [term.term, *term.alternative_list]:
            assert not _contains(term.definition, name), term.term


def test_claims_do_not_name_their_author(loaded_course):
    for claim in Claim.objects.select_related("person"):
        assert not _contains(claim.statement, claim.person.name), claim.statement


def test_short_quotations_only(loaded_course):
    for claim in Claim.objects.exclude(quotation=""):
        assert len(claim.quotation.split()) < 12, claim.quotation


def test_panelists_and_their_affiliations_are_exact(loaded_course):
    panelists = {p.name: p.affiliation for p in Person.objects.filter(is_panelist=True)}
    assert panelists == {
        "Hazel Smith": "University of Warwick",
        "Chen Jian": "University of Virginia",
        "Samuel S. Kim": "Columbia University",
    }
    for name in panelists:
        assert Claim.objects.filter(person__name=name).count() >= 5, name
        assert Lesson.objects.filter(people__name=name).exists(), name


@pytest.mark.parametrize(
    ("title", "date"),
    [
        ("The Korean War begins", datetime.date(1950, 6, 25)),
        ("The Korean War armistice is signed", datetime.date(1953, 7, 27)),
        ("The armistice's 50th anniversary", datetime.date(2003, 7, 27)),
        ("The \"Uneasy Allies\" panel at the Wilson Center", datetime.date(2003, 7, 29)),
        ("Follow-up meeting on Capitol Hill", datetime.date(2003, 7, 30)),
    ],
)
def test_key_dates_are_exact(loaded_course, title, date):
    assert Event.objects.get(title=title).date == date


def test_event_titles_are_distinct(loaded_course):
    titles = list(Event.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_the_report_is_cited_in_full(loaded_course):
    report = Source.objects.get(slug="wilson-center-special-report-115")
    assert report.title == "Uneasy Allies: Fifty Years of China-North Korea Relations"
    assert report.series == "Special Report #115"
    assert report.published == "29 July 2003"
    assert "Asia Program" in report.publisher
    assert "Timothy Hildebrandt" in report.authors and "Robert M. Hathaway" in report.authors


def test_no_source_error_is_ever_a_right_answer(loaded_course):
    errors = [note.source_says for note in EditorNote.objects.all()]
    assert "Kim Jung Il" in errors
    for fact in Fact.objects.all():
        for answer in [fact.answer, *fact.alternative_list]:
            assert all(_fold(answer) != _fold(error) for error in errors), fact.text
    for term in Term.objects.all():
        assert all(_fold(term.term) != _fold(error) for error in errors), term.term
    # The Korean War leader is Kim Il Sung, wherever the war is the subject.
    for fact in Fact.objects.filter(text__icontains="Korean War"):
        assert "Kim Jong Il" not in fact.answer, fact.text


@pytest.mark.parametrize(
    "garble",
    [
        "Kim Jung Il",
        "Jian Chen",
        "Pyongya,ong",
        "Pyongyan",
        "Chinacomprehensive",
        "Chinanorth Korea RelationsEdit",
        "Indo-Pacific Program",
    ],
)
def test_each_known_garble_has_an_editors_note_that_items_link_to(loaded_course, garble):
    note = EditorNote.objects.get(source_says=garble)
    assert note.correction and note.explanation
    if garble != "Chinanorth Korea RelationsEdit":  # a heading: nothing to link but the lesson
        assert any(model.objects.filter(editor_note=note).exists() for model in LESSON_ITEMS)


def test_the_border_lesson_shows_the_map(loaded_course):
    assert Lesson.objects.get(slug="the-border").shows_border_map


def test_panelists_are_compared_on_a_few_shared_themes(loaded_course):
    # /people/ lines the panelists up theme by theme: a handful of themes, most of them
    # spoken to by more than one panelist, rather than one row per claim.
    themes: dict[str, set[str]] = {}
    for claim in Claim.objects.filter(person__is_panelist=True).select_related("person"):
        themes.setdefault(claim.topic, set()).add(claim.person.name)
    assert 5 <= len(themes) <= 7, sorted(themes)
    shared = {theme for theme, speakers in themes.items() if len(speakers) > 1}
    assert len(shared) >= 3, themes
    for panelist in Person.objects.filter(is_panelist=True):
        assert any(panelist.name in themes[theme] for theme in shared), panelist.name
    panel_claims = Claim.objects.filter(person__is_panelist=True)
    assert panel_claims.filter(topic__in=shared).count() * 2 > panel_claims.count()


NUMBER_WORDS = {"two", "three", "five", "six", "twenty", "fiftieth"}


def test_every_fact_answer_is_of_its_kind(loaded_course):
    kinds = Fact.AnswerKind
    names = set(Person.objects.filter(is_source_voice=False).values_list("name", flat=True))
    for fact in Fact.objects.all():
        answer = fact.answer
        # A resolution's number (1874, 2087) looks like a year and is not one.
        is_resolution = re.search(r"Resolution \[\[", fact.text) is not None
        is_year = re.fullmatch(r"1[89]\d\d|20\d\d", answer) is not None and not is_resolution
        assert is_year == (fact.answer_kind == kinds.YEAR), fact.text
        assert (answer in names) == (fact.answer_kind == kinds.PERSON), fact.text
        if fact.answer_kind == kinds.NUMBER:
            assert re.fullmatch(r"\d+(st|nd|rd|th)?", answer) or answer in NUMBER_WORDS, answer
        if fact.answer_kind == kinds.ORGANISATION:
            assert answer[0].isupper(), answer


def test_enough_answers_of_each_named_kind_for_three_distractors(loaded_course):
    kinds = Fact.AnswerKind
    for kind in (kinds.PERSON, kinds.PLACE, kinds.YEAR, kinds.NUMBER, kinds.ORGANISATION):
        answers = {fact.answer for fact in Fact.objects.filter(answer_kind=kind)}
        assert len(answers) >= 4, kind


def test_only_the_two_source_voices_are_marked_as_such(loaded_course):
    voices = set(Person.objects.filter(is_source_voice=True).values_list("slug", flat=True))
    assert voices == {"article-own-view", "report-own-framing"}
    assert not Person.objects.filter(is_source_voice=True, is_panelist=True).exists()
