"""The bank follows the content: new items add questions, edits and deletions retire
them (never delete), and nothing is ever duplicated."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils.html import escape

from quizzes.bank.sync import sync_question_bank
from quizzes.models import Card, Question, QuestionKind
from quizzes.practice import attempts
from quizzes.signals import resync_question_bank
from tests import factories

pytestmark = pytest.mark.django_db


def _item_questions(item):
    from django.contrib.contenttypes.models import ContentType

    return Question.objects.filter(
        item_type=ContentType.objects.get_for_model(item), item_id=item.pk
    )


def test_syncing_twice_creates_nothing_new(course):
    total = Question.objects.count()
    fingerprints = set(Question.objects.values_list("fingerprint", flat=True))
    assert total > 300
    counts = sync_question_bank()
    assert counts["created"] == 0 and counts["retired"] == 0
    assert counts["unchanged"] == total
    assert Question.objects.count() == total
    assert set(Question.objects.values_list("fingerprint", flat=True)) == fingerprints
    # Every kind but the description, which an author writes and no content item is.
    assert {kind for kind in Question.objects.values_list("kind", flat=True)} == set(
        QuestionKind.values
    ) - {QuestionKind.DESCRIPTION}


def test_every_generated_question_cites_its_source_and_files_under_a_lesson(course):
    generated = Question.objects.filter(origin=Question.Origin.GENERATED)
    assert not generated.filter(citation__isnull=True).exists()
    assert not generated.filter(explanation="").exists()
    assert generated.filter(lesson__isnull=True).count() < generated.count() * 0.1


def test_an_edited_item_retires_its_old_questions_and_gets_new_ones():
    course = factories.small_course()
    sync_question_bank()
    term = course["terms"][0]
    old_definition = term.definition
    old = list(_item_questions(term))
    assert old

    term.definition = "A truce that ends the fighting but is not a peace treaty."
    term.save()
    counts = sync_question_bank()

    showed_it = {q.pk for q in old if old_definition in q.prompt + str(q.body)}
    assert showed_it and counts["retired"] >= len(showed_it)
    retired = set(Question.objects.filter(retired_at__isnull=False).values_list("pk", flat=True))
    assert retired & {q.pk for q in old} == showed_it, "only questions that showed it retire"
    fresh = _item_questions(term).active().exclude(pk__in=[q.pk for q in old])
    assert fresh.count() == len(showed_it)
    assert all(term.definition in q.prompt + str(q.body) for q in fresh)


def test_reverting_an_edit_brings_the_old_questions_back_instead_of_duplicating():
    course = factories.small_course()
    sync_question_bank()
    fact = course["facts"][0]
    before = set(_item_questions(fact).values_list("pk", flat=True))
    original = fact.text
    fact.text = "The armistice was at last signed in [[1953]]."
    fact.save()
    sync_question_bank()
    fact.text = original
    fact.save()
    counts = sync_question_bank()
    assert counts["revived"] == len(before)
    assert set(_item_questions(fact).active().values_list("pk", flat=True)) == before


def test_a_deleted_item_retires_its_questions_and_past_attempts_still_show(client, student):
    course = factories.small_course()
    sync_question_bank()
    term = course["terms"][2]
    question = _item_questions(term).filter(kind=QuestionKind.CLOZE).get()
    attempt = attempts.start_attempt(user=student, questions=[question], seed=11)
    attempts.answer_question(attempt=attempt, position=0, data={"text": term.term})

    term.delete()
    sync_question_bank()

    question.refresh_from_db()
    assert question.retired_at is not None
    assert Question.objects.filter(pk=question.pk).exists()
    assert question not in attempts.draw_questions(count=500, seed=1)
    client.force_login(student)
    page = client.get(f"/attempts/{attempt.pk}/results/")
    assert page.status_code == 200
    assert escape(question.prompt) in page.content.decode()
    assert "since been retired" in page.content.decode()


def test_instructor_questions_are_never_retired_by_the_sync(instructor):
    factories.small_course()
    written = factories.QuestionFactory(
        origin=Question.Origin.INSTRUCTOR, author=instructor, fingerprint="instructor-1"
    )
    imported = factories.QuestionFactory(origin=Question.Origin.IMPORTED, fingerprint="gift-1")
    sync_question_bank()
    written.refresh_from_db()
    imported.refresh_from_db()
    assert written.retired_at is None and imported.retired_at is None


def test_the_sync_reads_the_content_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    factories.small_course()
    with django_assert_max_num_queries(20):
        sync_question_bank()
    for n in range(10):
        factories.TermFactory(term=f"extra term {n}", definition=f"Extra definition {n}.")
    with django_assert_max_num_queries(20):
        counts = sync_question_bank()
    assert counts["created"] > 0


def test_saving_content_in_the_admin_resyncs_the_bank_once_on_commit(
    django_capture_on_commit_callbacks,
):
    course = factories.small_course()
    sync_question_bank()
    # The factories' own saves already scheduled a resync in this test transaction.
    transaction.get_connection().run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fact = course["facts"][3]
        fact.text = "The busiest border town on the Chinese side is [[Dandong]], on the Yalu."
        fact.save()
        course["terms"][1].save()
        course["claims"][0].delete()
    resyncs = [c for c in callbacks if c is resync_question_bank]
    assert len(resyncs) == 1, "many changes, one resync"
    assert _item_questions(fact).active().filter(prompt__contains="on the Yalu").exists()
    # The same resync keeps the flashcards current: the edited fact's card shows the edit.
    fact_cards = Card.objects.active().filter(item_id=fact.pk, kind=Card.Kind.FACT)
    assert [card.front for card in fact_cards] == [
        "The busiest border town on the Chinese side is _____, on the Yalu."
    ]


def test_fixture_loading_schedules_no_resync(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("loaddata", "fixtures/course.json", verbosity=0)
    # Only the reading pages' cache is told the content changed; the bank is not resynced.
    assert resync_question_bank not in callbacks


def test_the_management_command_builds_the_bank(capsys):
    factories.small_course()
    call_command("build_question_bank")
    assert "created" in capsys.readouterr().out
    assert Question.objects.active().count() > 50
