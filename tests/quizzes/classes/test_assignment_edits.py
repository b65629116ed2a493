"""Editing an assignment: the form shows every saved setting, an edit reaches only attempts
not yet started (unless the instructor asks), and dates that make no sense are refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.classes import assignment_edits as edits
from quizzes.classes import assignments as services
from quizzes.models import Assignment, Attempt
from tests import factories
from tests.quizzes.helpers import form_as_shown


@pytest.fixture
def drawn(db):
    """A drawn quiz: 4 questions from two of three lessons, two kinds, 30 minutes."""
    world = factories.class_world(students=3, kinds=("mcq", "tf"))
    second = factories.LessonFactory()
    third = factories.LessonFactory()
    for lesson in (second, third):
        for kind in ("mcq", "tf"):
            for i in range(3):
                factories.QuestionFactory(kind=kind, lesson=lesson, prompt=f"{kind} {i} {lesson}")
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], lessons=[world["lesson"], second],
        question_kinds=["mcq", "tf"], question_count=4, time_limit_minutes=30,
        attempts_allowed=2, feedback_timing=Assignment.FeedbackTiming.SUBMIT,
        instructions="Read lesson two first.",
    )
    return world, assignment


def _edit_url(assignment):
    return reverse("quizzes:assignment_edit", args=[assignment.classroom_id, assignment.pk])


def _form(client, assignment):
    response = client.get(_edit_url(assignment))
    assert response.status_code == 200
    return form_as_shown(response.content.decode(), having="title")


def test_the_edit_form_shows_every_saved_setting(client, drawn):
    world, assignment = drawn
    client.force_login(world["instructor"])
    shown = _form(client, assignment)
    assert sorted(map(int, shown["lessons"])) == sorted(
        assignment.lessons.values_list("pk", flat=True)
    )
    assert sorted(shown["question_kinds"]) == ["mcq", "tf"]
    assert shown["question_count"] == "4"
    assert shown["time_limit_minutes"] == "30"
    assert shown["attempts_allowed"] == "2"
    assert shown["feedback_timing"] == "submit"
    assert shown["source"] == "draw"
    assert shown["instructions"] == "Read lesson two first."
    local_due = timezone.localtime(assignment.due_at).strftime("%Y-%m-%dT%H:%M")
    assert shown["due_at"] == local_due


def test_editing_only_the_time_limit_keeps_the_next_students_draw_recipe(client, drawn):
    world, assignment = drawn
    first, second, _ = world["students"]
    before = services.start_assignment_attempt(assignment=assignment, student=first)
    client.force_login(world["instructor"])
    shown = _form(client, assignment)
    shown["time_limit_minutes"] = "45"
    response = client.post(_edit_url(assignment), shown)
    assert response.status_code == 302

    assignment = Assignment.objects.select_related("classroom").get(pk=assignment.pk)
    after = services.start_assignment_attempt(assignment=assignment, student=second)
    assert after.recipe == before.recipe
    assert before.recipe["count"] == 4 and len(before.recipe["lessons"]) == 2
    assert after.question_count == 4
    assert after.deadline == after.started_at + datetime.timedelta(minutes=45)
    # The attempt already started keeps its 30 minutes.
    before.refresh_from_db()
    assert before.deadline == before.started_at + datetime.timedelta(minutes=30)


def test_the_form_says_how_many_students_started_and_the_tick_reaches_open_attempts(
    client, drawn
):
    world, assignment = drawn
    open_attempt = services.start_assignment_attempt(
        assignment=assignment, student=world["students"][0]
    )
    questions = list(open_attempt.responses.values_list("question_id", flat=True))
    client.force_login(world["instructor"])
    page = client.get(_edit_url(assignment)).content.decode()
    assert "1 student has started this assignment" in page
    assert "(1 attempt in progress)" in page
    shown = _form(client, assignment)
    shown.update(time_limit_minutes="60", question_count="2", apply_to_open="on")
    response = client.post(_edit_url(assignment), shown, follow=True)
    assert "1 attempt in progress now has the new time limit" in response.content.decode()
    open_attempt.refresh_from_db()
    assert open_attempt.deadline == open_attempt.started_at + datetime.timedelta(minutes=60)
    assert list(open_attempt.responses.values_list("question_id", flat=True)) == questions


def test_without_the_tick_the_sentence_says_started_attempts_keep_theirs(drawn):
    world, assignment = drawn
    services.start_assignment_attempt(assignment=assignment, student=world["students"][0])
    values = {"time_limit_minutes": 10}
    outcome = edits.edit_assignment(assignment=assignment, **_values(assignment, **values))
    assert outcome.attempts_updated == 0
    assert outcome.changed_limits and not outcome.changed_draw
    assert outcome.sentence().startswith("Saved. The attempts the 1 student already started")


def test_a_shortened_limit_never_puts_an_open_attempt_past_its_deadline(drawn):
    world, assignment = drawn
    now = timezone.now()
    attempt = services.start_assignment_attempt(
        assignment=assignment, student=world["students"][0], now=now - datetime.timedelta(
            minutes=20
        ),
    )
    edits.edit_assignment(
        assignment=assignment, apply_to_open=True, now=now,
        **_values(assignment, time_limit_minutes=5),
    )
    attempt.refresh_from_db()
    assert attempt.deadline == now
    assert attempt.finished_at is None


def _values(assignment, **changes):
    values = {
        name: getattr(assignment, name)
        for name in (
            "title", "kind", "instructions", "question_kinds", "question_count", "opens_at",
            "due_at", "time_limit_minutes", "attempts_allowed", "counting", "feedback_timing",
            "late_allowed", "target_retrievability",
        )
    }
    values["lessons"] = list(assignment.lessons.all())
    values["questions"] = list(assignment.questions.all())
    values.update(changes)
    return values


# --- dates -------------------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_past_due_date_is_refused_unless_confirmed(client, drawn):
    world, assignment = drawn
    client.force_login(world["instructor"])
    shown = _form(client, assignment)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    shown.update(opens_at=_local(yesterday - datetime.timedelta(days=2)), due_at=_local(yesterday))
    response = client.post(_edit_url(assignment), shown)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That due date has already passed" in page
    assert "Yes, I mean this due date" in page
    assignment.refresh_from_db()
    assert assignment.due_at > timezone.now()

    shown["confirm_past_due"] = "on"
    assert client.post(_edit_url(assignment), shown).status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at < timezone.now()


def test_an_opening_after_the_due_date_is_refused_even_when_confirmed(client, drawn):
    world, assignment = drawn
    client.force_login(world["instructor"])
    shown = _form(client, assignment)
    soon = timezone.now() + datetime.timedelta(days=2)
    shown.update(
        opens_at=_local(soon), due_at=_local(soon - datetime.timedelta(days=1)),
        confirm_past_due="on",
    )
    response = client.post(_edit_url(assignment), shown)
    assert response.status_code == 400
    assert "The due date must be after the opening date" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).opens_at < timezone.now()


def test_a_past_due_date_already_saved_does_not_block_another_edit(client, drawn):
    world, assignment = drawn
    Assignment.objects.filter(pk=assignment.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        due_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(world["instructor"])
    shown = _form(client, assignment)
    shown["title"] = "Renamed after the due date"
    assert client.post(_edit_url(assignment), shown).status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).title == "Renamed after the due date"


def test_edit_counts_students_not_attempts(drawn):
    world, assignment = drawn
    student = world["students"][0]
    first = services.start_assignment_attempt(assignment=assignment, student=student)
    Attempt.objects.filter(pk=first.pk).update(finished_at=timezone.now())
    services.start_assignment_attempt(assignment=assignment, student=student)
    started = edits.started_summary(assignment=assignment)
    assert started == edits.Started(students=1, open_attempts=1)
