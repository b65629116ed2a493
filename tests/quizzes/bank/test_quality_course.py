"""The real course's bank, as the linter and a learner who guesses see it."""

import io
import random
from itertools import combinations

import pytest
from django.core.management import CommandError, call_command

from quizzes.bank.facts import conflicts, fact_index, visible_text
from quizzes.bank.generators import load_course_content
from quizzes.bank.grading import CHOICE_KINDS
from quizzes.bank.models import Question
from quizzes.bank.quality import lint_bank
from quizzes.bank.quality.bank_rules import longest_options, most_stem_words, strategy_score
from quizzes.bank.quality.subjects import from_row, items_by_type
from quizzes.practice.drawing import candidate_rows, choose, draw_questions
from relations.models import EditorNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(module_course, db):
    """Every test here reads the real course: it is loaded once for the module."""

QUIZZES = 1000
QUIZ_SIZE = 20


def test_check_questions_finds_nothing_on_the_course(course):
    out = io.StringIO()
    call_command("check_questions", stdout=out)
    assert "0 finding(s) in all." in out.getvalue()
    assert lint_bank() == []


def test_check_questions_fails_when_a_rule_fires(course):
    question = Question.objects.filter(kind="mcq").first()
    options = question.body["options"]
    options[-1]["text"] = "All of the above"
    question.save()
    out = io.StringIO()
    with pytest.raises(CommandError, match="finding"):
        call_command("check_questions", stdout=out)
    assert f"#{question.pk} " in out.getvalue() and "All of the above" in out.getvalue()


def _subjects():
    content = load_course_content()
    items = items_by_type(content)
    notes = {note.pk: note for note in EditorNote.objects.all()}
    return [from_row(q, items=items, notes=notes) for q in Question.objects.active()]


def test_always_true_scores_about_half(course):
    tf = [s for s in _subjects() if s.kind == "tf"]
    share = sum(s.key_text == "True" for s in tf) / len(tf)
    assert len(tf) >= 50 and 0.45 <= share <= 0.55


@pytest.mark.parametrize("pick", [longest_options, most_stem_words], ids=["longest", "stem"])
def test_no_guessing_strategy_beats_chance_by_more_than_five_points(course, pick):
    subjects = _subjects()
    for kind in sorted(CHOICE_KINDS):
        members = [s for s in subjects if s.kind == kind]
        assert members, kind
        score, chance = strategy_score(members, pick)
        assert score <= chance + 0.05, (kind, score, chance)


def test_every_pair_and_event_cites_the_passage_that_holds_it(course):
    content = load_course_content()
    by_key = {
        f"{item._meta.label_lower}:{item.pk}": item
        for group in (content.terms, content.claims, content.events)
        for item in group
    }
    checked = 0
    for question in Question.objects.active().filter(kind__in=["match", "order"]):
        answer, body = question.answer, question.body
        keys = list(answer.get("pairs") or {}) or answer["order"]
        texts = {e["key"]: e["text"] for e in body.get("left") or body.get("items")}
        assert question.editor_note_id is None, "notes go with their pairs"
        for key in keys:
            source = answer["sources"][key]
            item = by_key[source["item"]]
            # The pair is this item's (its definition, statement or title is shown) ...
            shown = texts[key]
            assert shown in (getattr(item, "definition", ""), getattr(item, "title", "")) or (
                shown in item.statement if hasattr(item, "statement") else False
            ), (shown, item)
            # ... and cites the item's own passage, with the item's own note or none.
            assert source["citation"] == item.citation_id
            assert source["cited"] == f"{item.citation.source.title}, {item.citation.locator}"
            assert source["note"] == item.editor_note_id
            checked += 1
    assert checked >= 50


def test_a_thousand_drawn_quizzes_never_ask_one_fact_twice_nor_show_an_answer(course):
    """Checked against fact keys computed afresh from what each question shows, not the
    keys the draw used."""
    content = load_course_content()
    index = fact_index(content)
    items = items_by_type(content)
    notes = {note.pk: note for note in EditorNote.objects.all()}
    fresh = {}
    for question in Question.objects.active():
        subject = from_row(question, items=items, notes=notes)
        asks = index.asks(item=subject.item, answer=subject.answer)
        text = visible_text(prompt=subject.prompt, body=subject.body,
                            explanation=subject.explanation, note=subject.note,
                            answer=subject.answer)
        fresh[question.pk] = (asks, index.reveals(text=text, asks=asks), question.kind)
    # The draw itself once through the database, then its choice alone (no queries).
    questions = Question.objects.in_bulk()
    # A draw of any kind: the kinds marked at once (written answers come when asked for).
    any_kind = Question.objects.drawable_for(None).exclude(kind__in=["essay", "desc"])
    assert [q.pk for q in draw_questions(count=QUIZ_SIZE, seed=5)] == choose(
        rows=candidate_rows(any_kind), count=QUIZ_SIZE, seed=5
    )
    rows = candidate_rows(any_kind)
    rng = random.Random(12)
    unbalanced = 0
    for n in range(QUIZZES):
        picked = choose(rows=rows, count=QUIZ_SIZE, seed=rng.randrange(2**40))
        drawn = [questions[pk] for pk in picked]
        assert len(drawn) == QUIZ_SIZE, n
        for one, other in combinations(drawn, 2):
            a, b = fresh[one.pk], fresh[other.pk]
            assert not set(a[0]) & set(b[0]), ("one fact twice", one.pk, other.pk)
            assert not conflicts(a[0], a[1], b[0], b[1]), ("an answer shown", one.pk, other.pk)
        keys = [q.answer["key"] == q.body["options"][0]["key"] for q in drawn if q.kind == "tf"]
        unbalanced += abs(sum(keys) - (len(keys) - sum(keys))) > 1
    assert unbalanced == 0, "each quiz's true/false keys are even, give or take one"
