"""The real course's own context reaches the question bank: its items are asked in every
kind they allow, the feedback names the context as such with its record, and a question on
an item the record qualifies carries that item's editor's note."""

import pytest
from django.utils.html import escape

from quizzes.models import Question, QuestionKind
from quizzes.practice.presenting import present_feedback
from relations.models import EditorNote, Event, Fact
from tests.factories import AttemptFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(module_course, db):
    """Every test here reads the real course: it is loaded once for the module."""

CONTEXT = "Course context — editor's summary"


def _context_questions():
    return Question.objects.filter(retired_at=None, citation__source__is_course_context=True)


def test_context_items_are_asked_in_every_kind_they_allow(course):
    kinds = set(_context_questions().values_list("kind", flat=True))
    assert {
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.TRUE_FALSE,
        QuestionKind.CLOZE,
        QuestionKind.ORDERING,
        QuestionKind.WHICH_SIDE,  # the course's own position in the fifth debate
    } <= kinds


def test_every_generated_explanation_names_the_course_context_as_its_source(course):
    for question in _context_questions().exclude(kind__in=["match", "order"]):
        assert f"Source: {CONTEXT}, §" in question.explanation, question.prompt


@pytest.mark.parametrize(
    "fact_text, answer",
    [
        ("Resolution [[2371]]", "2371"),
        ("Between 2006 and 2017 North Korea carried out [[six|6]] nuclear tests.", "six"),
        ("signed in Beijing on 11 July [[1961]].", "1961"),
        ("lies in the Chinese province of [[Jilin]].", "Jilin"),
    ],
)
def test_a_context_fact_becomes_a_cloze_with_its_answer(course, fact_text, answer):
    fact = Fact.objects.get(text__contains=fact_text)
    cloze = Question.objects.get(
        retired_at=None, kind=QuestionKind.CLOZE, item_id=fact.pk, item_type__model="fact"
    )
    assert cloze.answer["text"] == answer
    assert cloze.citation.source.is_course_context


def test_the_feedback_shows_the_record_beside_a_context_citation(course, client):
    question = _context_questions().filter(kind=QuestionKind.CLOZE).first()
    response = ResponseFactory(question=question, answer={"text": "nothing"}, position=0)
    attempt = response.attempt
    attempt.question_count = 1
    attempt.save()

    view = present_feedback(attempt=attempt, response=response)

    assert view.record == question.citation.record
    assert CONTEXT in view.explanation
    document_question = Question.objects.filter(
        retired_at=None, citation__source__is_course_context=False, kind=QuestionKind.CLOZE
    ).first()
    other = present_feedback(
        attempt=AttemptFactory(question_count=1),
        response=ResponseFactory(question=document_question, answer={"text": "x"}, position=0),
    )
    assert other.record == ""


def test_questions_on_events_the_record_qualifies_carry_the_note(course):
    note = EditorNote.objects.get(source_says="until three days after the war began")
    event = Event.objects.get(editor_note=note)
    questions = Question.objects.filter(
        retired_at=None, item_type__model="event", item_id=event.pk
    )
    assert questions.exists()
    assert set(questions.values_list("editor_note", flat=True)) == {note.pk}
    assert escape("13–16 May 1950") in " ".join(q.explanation for q in questions)
