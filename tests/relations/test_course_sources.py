"""The second edition of the real course: what each item states is in the passage it cites,
what no document says is cited to the course's own context, the context reaches every page,
question and card, and each editor's note is shown wherever its item is, and only there."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils.html import escape

from quizzes.models import Card, Question
from relations.checks import CITED_MODELS, cited_texts
from relations.models import (
    Citation,
    Claim,
    Debate,
    EditorNote,
    Event,
    Fact,
    Lesson,
    Person,
    Position,
    Section,
    Source,
    Term,
)
from relations.passages import capitalised_inside_sentences, citation_vocabulary, names_and_numbers

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(module_course, db):
    """Every test here only reads the course: it is loaded once for the module."""


def _notes_of(obj) -> list[EditorNote]:
    if isinstance(obj, Section):
        return list(obj.editor_notes.all())
    note = getattr(obj, "editor_note", None)
    return [note] if note else []


def _citations_of(obj) -> list[Citation]:
    """The item's own citation, and those of the notes shown beside it."""
    cited = [obj.citation]
    for note in _notes_of(obj):
        cited += [note.citation] + ([note.basis] if note.basis_id else [])
    return cited


def _items():
    for model in CITED_MODELS:
        yield from model.objects.select_related("citation__source")


def test_what_no_document_says_is_cited_to_the_course_context(course):
    documents = [
        citation_vocabulary(c, c.source)
        for c in Citation.objects.filter(source__is_course_context=False).select_related("source")
    ]
    texts = [text for obj in _items() for text in cited_texts(obj)]
    known = capitalised_inside_sentences(texts)
    walked = 0
    for obj in _items():
        stated = set()
        for text in cited_texts(obj):
            stated |= names_and_numbers(text or "", known_names=known)
        cited = _citations_of(obj)
        said = set().union(*(citation_vocabulary(c, c.source).words for c in cited))
        assert stated <= said, f"{obj!r}: {sorted(stated - said)} not in what it cites"
        if not any(stated <= document.words for document in documents):
            assert any(c.source.is_course_context for c in cited), (
                f"{obj!r} states {sorted(stated)}, which no document passage contains, "
                "but cites no course context"
            )
        walked += 1
    assert walked == sum(model.objects.count() for model in CITED_MODELS)


def test_the_course_context_is_one_source_whose_paragraphs_name_their_record(course):
    context = Source.objects.get(is_course_context=True)
    assert context.title == "Course context — editor's summary"
    paragraphs = list(context.citations.all())
    assert len(paragraphs) >= 25
    for paragraph in paragraphs:
        assert paragraph.passage.strip() and paragraph.record.strip(), paragraph.locator
        assert re.search(r"\b(1[89]\d\d|20\d\d)\b", paragraph.record), paragraph.locator
    for document in Source.objects.filter(is_course_context=False):
        for citation in document.citations.all():
            assert citation.supported_terms and not citation.passage, citation.locator


# Each context item the second edition adds: a phrase that must reach a lesson page, and
# the other reading pages that must show it.
CONTEXT_ITEMS = [
    ("Treaty of Friendship, Cooperation and Mutual Assistance", ["timeline", "glossary"]),
    ("2021", ["timeline"]),  # the treaty's latest renewal
    ("Chinese People's Volunteers", ["timeline", "glossary", "people"]),
    ("October 1958", ["timeline"]),
    ("August faction incident", ["glossary"]),
    ("Mikoyan", ["timeline", "people"]),
    ("Sino-Soviet split", ["glossary"]),
    ("24 August 1992", ["timeline"]),
    ("Agreed Framework", ["timeline", "glossary"]),
    ("19 September 2005", ["timeline"]),
    ("1718", ["timeline"]),
    ("1874", ["timeline"]),
    ("2087", ["timeline"]),
    ("2094", ["timeline"]),
    ("2270", ["timeline"]),
    ("2321", ["timeline"]),
    ("2371", ["timeline"]),
    ("2375", ["timeline"]),
    ("2397", ["timeline"]),
    ("3 September 2017", ["timeline"]),
    ("Cheonan", ["timeline"]),
    ("Yeonpyeong", ["timeline"]),
    ("Jang Song Thaek", ["timeline", "people"]),
    ("Dalian", []),
    ("20–21 June 2019", ["timeline"]),
    ("COVID-19", ["timeline"]),
    ("Comprehensive Strategic Partnership", ["timeline", "glossary", "people"]),
    ("96.7 per cent", []),
    ("Yanbian Korean Autonomous Prefecture", ["timeline", "glossary"]),
    ("border protocol", []),
    ("Commission of Inquiry", ["timeline"]),
]


def _text(response) -> str:
    """A page's text as read: tags dropped (a date range is two <time> elements)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture(scope="module")
def pages(module_course, django_db_blocker):
    """The reading pages' texts, rendered once for the module's tests (they only read them)."""
    client = Client()
    with django_db_blocker.unblock():
        lessons = "".join(
            _text(client.get(lesson.get_absolute_url())) for lesson in Lesson.objects.all()
        )
        others = {name: _text(client.get(f"/{name}/"))
                  for name in ["timeline", "glossary", "people", "sources"]}
    return {"lessons": lessons, **others}


@pytest.mark.parametrize("phrase, also_on", CONTEXT_ITEMS)
def test_each_context_item_reaches_the_reading_pages(pages, phrase, also_on):
    shown = escape(phrase)
    assert shown in pages["lessons"], phrase
    for page in also_on:
        assert shown in pages[page], (phrase, page)


@pytest.mark.parametrize("phrase", [phrase for phrase, _pages in CONTEXT_ITEMS])
def test_each_context_item_is_asked_and_carded(course, phrase):
    questions = Question.objects.filter(retired_at=None)
    asked = [q for q in questions if phrase in f"{q.prompt} {q.body} {q.answer} {q.explanation}"]
    cards = [c for c in Card.objects.active() if phrase in f"{c.front} {c.back} {c.context}"]
    assert asked, f"no question shows {phrase!r}"
    assert cards, f"no card shows {phrase!r}"


def test_context_citations_reach_questions_and_cards_with_their_record(course, client):
    context = {"citation__source__is_course_context": True}
    assert Question.objects.filter(retired_at=None, **context).count() > 300
    assert Card.objects.active().filter(**context).count() > 100
    # The record shows beside the citation wherever a context paragraph is cited.
    event = Event.objects.filter(citation__source__is_course_context=True).first()
    timeline = client.get("/timeline/").content.decode()
    assert escape(event.citation.record) in timeline
    assert "Course context — editor&#x27;s summary" in timeline


def _note_of_each_item() -> dict[tuple[int, int], int | None]:
    """(content type, pk) of every lesson item and position -> its editor's note."""
    notes = {}
    for model in (Event, Claim, Debate, Term, Fact):
        kind = ContentType.objects.get_for_model(model).pk
        for pk, note in model.objects.values_list("pk", "editor_note"):
            notes[(kind, pk)] = note
    kind = ContentType.objects.get_for_model(Position).pk
    for pk, note in Position.objects.values_list("pk", "debate__editor_note"):
        notes[(kind, pk)] = note
    return notes


def test_each_editor_note_is_shown_wherever_its_items_are_and_only_there(course, client):
    by_lesson = {
        lesson.pk: client.get(lesson.get_absolute_url()).content.decode()
        for lesson in Lesson.objects.all()
    }
    for note in EditorNote.objects.all():
        sentence = escape(note.sentence)
        concerned = {note.lesson_id} - {None}
        concerned |= set(note.sections.values_list("lesson_id", flat=True))
        for model in (Event, Claim, Debate, Term, Fact):
            lessons = model.objects.filter(editor_note=note).values_list("lesson", flat=True)
            concerned |= set(lessons)
        assert concerned, note
        for lesson_id, html in by_lesson.items():
            assert (sentence in html) == (lesson_id in concerned), (note.source_says, lesson_id)

    item_notes = _note_of_each_item()
    single_item = Question.objects.filter(retired_at=None, item_id__isnull=False).exclude(
        kind__in=["match", "order"]  # several items each: issue 12 gives each pair its note
    )
    for kind, pk, note, prompt in single_item.values_list(
        "item_type", "item_id", "editor_note", "prompt"
    ):
        assert note == item_notes[(kind, pk)], prompt
    sentences = {note.pk: note.sentence for note in EditorNote.objects.all()}
    for card in Card.objects.active():
        note = item_notes[(card.item_type_id, card.item_id)]
        shown = [pk for pk, sentence in sentences.items() if sentence in card.context]
        assert shown == ([note] if note else []), card.front


@pytest.mark.parametrize(
    "source_says, record",
    [
        ("raised the bar on sanctions enforcement", ["2016–2017", "2018", "2019", "May 2022"]),
        ("mineral exports", ["2371", "5 August 2017", "2397", "22 December 2017"]),
        ("China’s unparalleled influence over Pyongyang", ["Samuel S. Kim"]),
        ("until three days after the war began", ["May 1950", "Mao", "Stalin", "date"]),
        ("for the Chinese communists in 1949", ["1946–1948", "1949–1950", "PLA"]),
        ("near non-Korean speaking Chinese provinces", ["Yanbian", "Jilin"]),
        ("Beijing used its veto power at times within multilateral bodies", ["26 May 2022"]),
    ],
)
def test_claims_the_record_qualifies_carry_a_note_with_the_record(course, source_says, record):
    note = EditorNote.objects.get(source_says=source_says)
    assert note.basis_id is not None
    for fact in record:
        assert fact in note.correction + note.explanation, fact
    shown_with = sum(model.objects.filter(editor_note=note).count()
                     for model in (Event, Claim, Debate, Term, Fact))
    assert shown_with + note.sections.count() >= 2


def test_paraphrases_keep_the_source_s_hedges(course):
    kim = Claim.objects.filter(person__slug="samuel-s-kim")
    assert kim.filter(statement__contains="moving closer to Seoul").exists()
    assert not Claim.objects.filter(statement__contains="now closer").exists()
    smith = Fact.objects.filter(lesson__slug="hazel-smith", text__contains="Korean]]").get()
    assert "not strikingly high" in smith.text
    assert " low " not in smith.plain_text
    framing = Claim.objects.filter(person__slug="report-own-framing")
    assert framing.filter(statement__startswith="Perhaps no relationship matters").exists()
    chen = Fact.objects.get(text__contains="[[economic]]")
    assert chen.text.startswith("Chen Jian suggested")


# Words that judge a side instead of stating it: the article's labels and the course's own.
EVALUATIVE = ["woke", "adversarial", "flawless", "caricature", "straight-line", "is right to",
              "rightly", "wrongly", "naive", "dismisses"]


def test_debates_are_in_their_strongest_forms_and_the_course_s_own_side_is_marked(course):
    editorial = list(Position.objects.filter(is_editorial=True).select_related("citation__source"))
    assert [(p.debate.slug, p.side) for p in editorial] == [("the-articles-own-view", "critics")]
    assert editorial[0].citation.source.is_course_context
    for position in Position.objects.all():
        for word in EVALUATIVE:
            assert word not in position.statement.lower(), (position, word)
        assert len(position.statement.split()) >= 25, position  # an argument, not a slogan


def test_the_timeline_lists_each_era_in_true_date_order(course, client):
    html = client.get("/timeline/").content.decode()
    for era in re.split(r'<li class="era"', html)[1:]:
        starts = re.findall(r'<p class="when"><time datetime="([\d-]+)"', era)
        assert starts, era[:80]
        assert starts == sorted(starts, key=lambda d: tuple(map(int, d.split("-")))), starts
    assert not Event.objects.filter(title__icontains="three days").exists()
    begins = Event.objects.get(title="The Korean War begins")
    assert begins.when == "25 June 1950"
    assert Event.objects.get(title__startswith="Kim Il Sung wins").when == "13–16 May 1950"
    assert Event.objects.get(title__contains="enter the war").when == "October 1950"
    assert Event.objects.get(title__contains="rear base").when == "1946–1948"
    assert {e.precision for e in Event.objects.all()} == {"day", "month", "year"}


# The key facts of both documents, which the second edition still teaches.
DOCUMENT_FACTS = [
    "lips and teeth", "five \"no's\"", "Dandong", "Sinuiju", "Yalu", "Tumen", "buffer",
    "third-country routes", "capital", "shield", "managed", "uneasy", "1956", "sibling rivalry",
    "economic", "irritation", "Asia Program", "Capitol Hill", "115", "Hildebrandt", "Hathaway",
    "Columbia University", "University of Virginia", "University of Warwick", "50th",
    "Pyongyang", "ultimatums", "verifiable", "incentives", "risk", "minerals", "energy",
]


@pytest.mark.parametrize("phrase", DOCUMENT_FACTS)
def test_the_documents_key_facts_are_still_taught(course, phrase):
    taught = [f.text for f in Fact.objects.all()] + [t.term for t in Term.objects.all()]
    taught += [c.statement for c in Claim.objects.all()]
    assert any(phrase.lower() in text.lower() for text in taught), phrase


def test_panelists_cite_the_context_that_names_them(course):
    for person in Person.objects.filter(is_panelist=True).select_related("citation__source"):
        assert person.citation.source.is_course_context
        assert person.name.split()[-1] in person.citation.passage
