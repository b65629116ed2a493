"""The content check catches each kind of defect, names the item, and passes clean content."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from relations.checks import find_content_problems
from relations.models import Event, Position, Section, Term
from tests import factories

pytestmark = pytest.mark.django_db

COURSE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "course.json"


@pytest.fixture
def lesson():
    return factories.make_lesson_content(size=2)


MISSING = 987654  # a primary key nothing has


@pytest.fixture
def point_nowhere():
    """Point a reference at a row that does not exist, as a bad fixture could, and put it
    back after the test so the database's end-of-test constraint check passes."""
    undo = []

    def point(obj, field):
        model = type(obj)
        undo.append((model, obj.pk, field, getattr(obj, field)))
        model.objects.filter(pk=obj.pk).update(**{field: MISSING})

    yield point
    for model, pk, field, value in undo:
        model.objects.filter(pk=pk).update(**{field: value})


def messages_about(obj) -> list[str]:
    return [
        p.message
        for p in find_content_problems()
        if p.pk == obj.pk and p.model.lower() == obj._meta.verbose_name.lower()
    ]


def test_clean_content_has_no_problems(lesson):
    assert find_content_problems() == []


def test_the_command_passes_on_clean_content(lesson, capsys):
    call_command("check_content")

    assert "no problems" in capsys.readouterr().out


def test_the_command_fails_naming_the_item_and_the_defect(lesson, capsys):
    fact = factories.FactFactory(lesson=lesson, text="No answer is marked here.")

    with pytest.raises(CommandError, match="1 content problem found"):
        call_command("check_content")

    err = capsys.readouterr().err
    assert f"Fact #{fact.pk} “No answer is marked here.”" in err
    assert "mark exactly one as [[answer]]" in err


def test_an_item_whose_citation_does_not_say_where(lesson):
    claim = lesson.claims.first()
    claim.citation.locator = " "
    claim.citation.save()

    assert "its citation does not say which part of the source" in messages_about(claim)


def test_an_item_whose_citation_points_nowhere(lesson, point_nowhere):
    term = lesson.terms.first()
    point_nowhere(term, "citation_id")

    assert messages_about(term) == ["its citation (#987654) does not exist"]


def test_a_debate_missing_a_side(lesson):
    debate = lesson.debates.first()
    debate.positions.filter(side=Position.Side.PROPONENTS).delete()

    assert messages_about(debate) == ["it has no position for the proponents"]


def test_a_debate_with_no_positions_misses_both_sides(lesson):
    debate = factories.DebateFactory(lesson=lesson)

    assert messages_about(debate) == [
        "it has no position for the critics",
        "it has no position for the proponents",
    ]


def test_a_claim_without_a_person(lesson, point_nowhere):
    claim = lesson.claims.first()
    point_nowhere(claim, "person_id")

    problems = [p for p in find_content_problems() if p.pk == claim.pk and p.model == "Claim"]
    assert [p.message for p in problems] == ["its person (#987654) does not exist"]
    assert problems[0].item == f"claim #{claim.pk}"  # named even though __str__ would fail


def test_a_claim_whose_person_has_no_name(lesson):
    claim = lesson.claims.first()
    claim.person.name = ""
    claim.person.save()

    assert messages_about(claim) == ["its person has no name"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("Nothing is marked.", "it marks 0 answers; mark exactly one as [[answer]]"),
        ("[[Two]] answers [[marked]].", "it marks 2 answers; mark exactly one as [[answer]]"),
        ("A blank [[ |alt]] answer.", "its marked answer is blank"),
    ],
)
def test_a_cloze_fact_without_exactly_one_marked_answer(lesson, text, message):
    fact = factories.FactFactory(lesson=lesson, text=text)

    assert messages_about(fact) == [message]


def test_an_item_whose_section_belongs_to_another_lesson(lesson):
    elsewhere = factories.SectionFactory()
    event = lesson.events.first()
    Event.objects.filter(pk=event.pk).update(section=elsewhere)

    [message] = messages_about(event)
    assert f"its section “{elsewhere.heading}” belongs to another lesson" in message


def test_an_item_whose_editor_note_points_nowhere(lesson, point_nowhere):
    claim = lesson.claims.exclude(editor_note=None).first()
    point_nowhere(claim, "editor_note_id")

    assert messages_about(claim) == ["its editor's note (#987654) does not exist"]


def test_an_item_whose_editor_note_is_filed_under_another_lesson(lesson):
    note = factories.EditorNoteFactory(lesson=factories.LessonFactory())
    term = lesson.terms.first()
    Term.objects.filter(pk=term.pk).update(editor_note=note)

    [message] = messages_about(term)
    assert "is filed under another lesson" in message


def test_an_event_whose_people_point_nowhere(lesson, point_nowhere):
    event = lesson.events.first()
    link = event.people.through.objects.filter(event=event).first()
    point_nowhere(link, "person_id")

    assert messages_about(event) == ["one of its people (#987654) does not exist"]


def test_a_lesson_with_no_sections(lesson):
    empty = factories.LessonFactory(title="Nothing here yet")

    assert messages_about(empty) == ["it has no sections"]
    assert messages_about(lesson) == []


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda lesson: lesson.sections.first(), "body"),
        (lambda lesson: lesson.claims.first(), "statement"),
        (lambda lesson: lesson.terms.first(), "definition"),
        (lambda lesson: lesson.events.first(), "significance"),
        (lambda lesson: lesson.debates.first().positions.first(), "holder"),
        (lambda lesson: lesson, "summary"),
    ],
)
def test_empty_required_text(lesson, make, field):
    item = make(lesson)
    type(item).objects.filter(pk=item.pk).update(**{field: "  \n "})

    assert messages_about(item) == [f"its {field} is empty"]


def test_every_problem_names_model_item_and_defect(lesson):
    section = lesson.sections.first()
    Section.objects.filter(pk=section.pk).update(heading="")

    [problem] = find_content_problems()

    assert problem.model == "Section"
    assert problem.pk == section.pk
    assert problem.item == str(Section.objects.get(pk=section.pk))
    assert str(problem).startswith(f"Section #{section.pk} ")
    assert str(problem).endswith("its heading is empty")


def test_the_check_reads_the_course_in_a_fixed_number_of_queries(
    lesson, django_assert_max_num_queries
):
    factories.make_lesson_content(size=5)
    # One per content table, plus the three many-to-many tables (event and lesson people,
    # the notes beside sections).
    with django_assert_max_num_queries(16):
        find_content_problems()


@pytest.mark.skipif(not COURSE_FIXTURE.exists(), reason="fixtures/course.json not written yet")
def test_the_real_course_passes_the_check(course, capsys):
    problems = find_content_problems()

    assert problems == [], "\n".join(str(p) for p in problems)
    call_command("check_content")


# --- what the sources say ----------------------------------------------------------------


@pytest.fixture
def passages(lesson):
    """A document whose citation lists what its passage says, and a course-context
    paragraph with the record it rests on."""
    document = factories.SourceFactory(records_passages=True)
    context = factories.SourceFactory(records_passages=True, is_course_context=True)
    return SimpleNamespace(
        passage=factories.CitationFactory(
            source=document, locator="Paragraph 1", supports="Beijing|1950|Korean War|buffer"
        ),
        paragraph=factories.CitationFactory(
            source=context,
            locator="§1 The war",
            passage="North Korea invaded the South on 25 June 1950, and Moscow had agreed.",
            record="The invasion of 25 June 1950.",
        ),
    )


def test_an_item_may_state_only_what_its_passage_says(lesson, passages):
    said = factories.FactFactory(
        lesson=lesson, citation=passages.passage, text="Beijing entered the Korean War in [[1950]]."
    )
    unsaid = factories.FactFactory(
        lesson=lesson,
        citation=passages.passage,
        text="Beijing entered the Korean War in [[1950]] with Moscow's blessing.",
    )

    assert messages_about(said) == []
    assert messages_about(unsaid) == ["its citation (Paragraph 1) does not contain moscow"]


def test_a_year_counts_as_said_only_where_the_passage_gives_it(lesson, passages):
    section = factories.SectionFactory(
        lesson=lesson, citation=passages.passage, heading="At war",
        body="In 1950 and 1953 Beijing fought.\n\nOn.",
    )

    assert messages_about(section) == ["its citation (Paragraph 1) does not contain 1953"]


def test_a_cloze_answer_must_be_in_its_passage_in_one_of_its_forms(lesson, passages):
    wrong = factories.FactFactory(
        lesson=lesson, citation=passages.passage, text="Beijing wanted a [[shield]]."
    )
    right = factories.FactFactory(
        lesson=lesson, citation=passages.passage, text="Beijing wanted a [[shield|buffer]]."
    )

    assert messages_about(wrong) == [
        "its answer “shield” is not in its citation (Paragraph 1) in any of its forms"
    ]
    assert messages_about(right) == []


def test_an_item_may_say_what_its_editor_note_rests_on(lesson, passages):
    note = factories.EditorNoteFactory(
        lesson=lesson, citation=passages.passage, basis=passages.paragraph,
        kind="qualification", source_says="1950", correction="the war began in June",
    )
    fact = factories.FactFactory(
        lesson=lesson, citation=passages.passage, editor_note=note,
        text="Beijing learned of the Korean War that began on 25 June [[1950]].",
    )

    assert messages_about(fact) == []
    assert messages_about(note) == []


def test_the_course_context_is_checked_against_its_own_paragraph(lesson, passages):
    fact = factories.FactFactory(
        lesson=lesson, citation=passages.paragraph, text="The war began on 25 June [[1951]]."
    )

    assert messages_about(fact) == [
        "its citation (§1 The war) does not contain 1951",
        "its answer “1951” is not in its citation (§1 The war) in any of its forms",
    ]


def test_citations_must_record_what_their_passage_says(lesson, passages):
    bare = factories.CitationFactory(source=passages.passage.source, supports="")
    unrecorded = factories.CitationFactory(
        source=passages.paragraph.source, passage="Something happened.", record=""
    )

    assert messages_about(bare) == ["it records none of the terms its passage contains"]
    assert messages_about(unrecorded) == [
        "this course context paragraph names no record it rests on"
    ]


def test_see_the_editors_note_needs_the_note_beside_the_section(lesson):
    pointing = factories.SectionFactory(
        lesson=lesson, body="A claim (see the editor's note).\n\nMore."
    )
    assert messages_about(pointing) == [
        "it says “see the editor's note” but shows none beside it"
    ]

    pointing.editor_notes.add(factories.EditorNoteFactory(lesson=lesson))
    assert messages_about(pointing) == []


def test_a_note_that_no_page_shows_and_a_qualification_without_its_basis(lesson):
    orphan = factories.EditorNoteFactory(lesson=None)
    unfounded = factories.EditorNoteFactory(lesson=lesson, kind="qualification")

    assert messages_about(orphan) == [
        "no page shows it: file it under a lesson or attach it to the items or sections it "
        "concerns"
    ]
    assert messages_about(unfounded) == [
        "it qualifies what a source says but does not say what it rests on"
    ]


def test_the_course_s_own_position_is_marked_and_cites_the_context(lesson, passages):
    debate = lesson.debates.first()
    unmarked = factories.PositionFactory(
        debate=debate, citation=passages.paragraph, statement="Moscow had agreed."
    )
    uncited = factories.PositionFactory(debate=debate, is_editorial=True)

    assert messages_about(unmarked) == [
        "it cites the course context, so it is the course's own position: mark it as editorial"
    ]
    assert messages_about(uncited) == [
        "it is the course's editorial position but does not cite the course context"
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        (dict(precision="month", year=1950, date=datetime.date(1950, 10, 19)),
         "it is dated to a month, so its dates must be the 1st"),
        (dict(precision="day", year=1950), "it is dated to a day, but gives no date"),
        (dict(precision="year", year=1950, date=datetime.date(1950, 6, 25)),
         "it is dated to a year, but gives a day or month too"),
        (dict(precision="day", year=1951, date=datetime.date(1950, 6, 25)),
         "its date (1950-06-25) is not in its year (1951)"),
        (dict(precision="month", year=1950, date=datetime.date(1950, 10, 1), end_year=1958),
         "it ends in 1958 but gives no end month"),
    ],
)
def test_an_event_whose_dates_disagree_with_its_precision(lesson, fields, message):
    event = factories.EventFactory(lesson=lesson, **fields)

    assert message in messages_about(event)


def test_a_year_only_event_cannot_be_placed_among_that_year_s_dated_events(lesson):
    era = factories.EraFactory()
    vague = factories.EventFactory(lesson=lesson, era=era, title="Learns late", year=1950)
    factories.EventFactory(
        lesson=lesson, era=era, precision="day", year=1950, date=datetime.date(1950, 6, 25)
    )
    elsewhere = factories.EventFactory(lesson=lesson, year=1950)  # another era

    assert messages_about(vague) == [
        "it is dated only in 1950, so the timeline cannot place it among the events of its "
        "era dated within it"
    ]
    assert messages_about(elsewhere) == []


def test_a_month_only_event_cannot_be_placed_among_that_month_s_dated_events(lesson):
    era = factories.EraFactory()
    vague = factories.EventFactory(
        lesson=lesson, era=era, precision="month", year=1950, date=datetime.date(1950, 10, 1)
    )
    factories.EventFactory(
        lesson=lesson, era=era, precision="day", year=1950, date=datetime.date(1950, 10, 19)
    )
    span = factories.EventFactory(  # a range begins before the events inside it
        lesson=lesson, era=era, year=1950, end_year=1953
    )

    assert messages_about(vague) == [
        "it is dated only in October 1950, so the timeline cannot place it among the events "
        "of its era dated within it"
    ]
    assert messages_about(span) == []
