"""An instructor previews any question as a student sees it, copies an assignment into
another of their classes, and exports their whole bank (or the filtered part) as GIFT."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.models import QuestionKind
from quizzes.models import Assignment, Question, Response
from tests import factories

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- preview -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (QuestionKind.MULTIPLE_CHOICE, 'type="radio"'),
        (QuestionKind.MULTIPLE_ANSWER, 'type="checkbox"'),
        (QuestionKind.MATCHING, "<select"),
        (QuestionKind.ORDERING, "<select"),
        (QuestionKind.CLOZE, 'id="answer-text"'),
        (QuestionKind.NUMERICAL, 'id="answer-number"'),
    ],
)
def test_the_preview_shows_the_attempt_pages_answer_fields_and_posts_nothing(
    client, instructor, kind, field
):
    question = factories.QuestionFactory(kind=kind)
    client.force_login(instructor)
    page = client.get(reverse("quizzes:class_bank_preview", args=[question.pk])).text
    assert field in page
    assert escape_free(question.prompt) in page
    # Nothing to post to, and no key or answer on the page.
    form = re.search(r"<form aria-label=\"Preview of the answer fields\"[^>]*>", page).group(0)
    assert "method" not in form and "action" not in form
    assert 'value="k0"' not in page and "Because the lesson says so." not in page
    assert "Pyongyang" not in page or kind != QuestionKind.CLOZE
    assert Response.objects.count() == 0


def escape_free(text):
    return text.replace("'", "&#x27;")


def test_the_preview_shows_options_as_a_student_sees_them(client, instructor):
    question = factories.QuestionFactory(kind=QuestionKind.MULTIPLE_CHOICE)
    client.force_login(instructor)
    page = client.get(reverse("quizzes:class_bank_preview", args=[question.pk])).text
    for text in ("Yalu River", "Han River", "Mekong River", "Amur River"):
        assert f"<span>{text}</span>" in page


def test_another_instructors_own_question_has_no_preview(client, instructor):
    other = factories.InstructorFactory()
    private = factories.QuestionFactory(origin=Question.Origin.INSTRUCTOR, author=other)
    client.force_login(instructor)
    assert client.get(reverse("quizzes:class_bank_preview", args=[private.pk])).status_code == 404
    client.force_login(other)
    assert client.get(reverse("quizzes:class_bank_preview", args=[private.pk])).status_code == 200


# --- copying an assignment -----------------------------------------------------------------------


@pytest.fixture
def two_of_her_classes(db):
    world = factories.class_world(students=1, kinds=("mcq", "tf"))
    other_class = factories.ClassroomFactory(instructor=world["instructor"], name="Second class")
    picked = world["questions"][:2]
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], title="Week 4", lessons=[world["lesson"]],
        question_kinds=["mcq", "tf"], question_count=4, time_limit_minutes=25,
        attempts_allowed=3, counting=Assignment.Counting.LATEST,
        feedback_timing=Assignment.FeedbackTiming.DUE, late_allowed=True,
        instructions="Bring notes.",
    )
    hand_picked = factories.AssignmentFactory(
        classroom=world["classroom"], title="Picked", questions=picked, question_count=2,
    )
    return world, other_class, assignment, hand_picked


def _copy_url(assignment):
    return reverse("quizzes:assignment_copy", args=[assignment.classroom_id, assignment.pk])


def test_a_copy_keeps_every_setting_with_the_new_class_title_and_dates(
    client, two_of_her_classes
):
    world, other_class, assignment, _ = two_of_her_classes
    client.force_login(world["instructor"])
    form = client.get(_copy_url(assignment)).text
    assert "Week 4 (copy)" in form and "Second class" in form
    opens = timezone.now() + datetime.timedelta(days=1)
    due = opens + datetime.timedelta(days=3)
    response = client.post(_copy_url(assignment), {
        "classroom": other_class.pk, "title": "Week 4, second class",
        "opens_at": _local(opens), "due_at": _local(due),
    })
    assert response.status_code == 302
    copy = Assignment.objects.get(classroom=other_class)
    assert response["Location"] == reverse(
        "quizzes:assignment_detail", args=[other_class.pk, copy.pk]
    )
    assert copy.title == "Week 4, second class"
    assert _local(copy.opens_at) == _local(opens) and _local(copy.due_at) == _local(due)
    for name in (
        "kind", "instructions", "question_kinds", "question_count", "time_limit_minutes",
        "attempts_allowed", "counting", "feedback_timing", "late_allowed",
        "target_retrievability",
    ):
        assert getattr(copy, name) == getattr(assignment, name), name
    assert list(copy.lessons.all()) == list(assignment.lessons.all())
    assert copy.feedback_released_at is None


def test_a_hand_picked_copy_keeps_its_questions(client, two_of_her_classes):
    world, other_class, _, hand_picked = two_of_her_classes
    client.force_login(world["instructor"])
    now = timezone.now()
    client.post(_copy_url(hand_picked), {
        "classroom": other_class.pk, "title": "Picked again",
        "opens_at": _local(now), "due_at": _local(now + datetime.timedelta(days=2)),
    })
    copy = Assignment.objects.get(classroom=other_class)
    assert set(copy.questions.all()) == set(hand_picked.questions.all())


def test_a_copy_into_someone_elses_class_or_with_bad_dates_is_refused(
    client, two_of_her_classes
):
    world, _, assignment, _ = two_of_her_classes
    stranger_class = factories.ClassroomFactory()
    client.force_login(world["instructor"])
    now = timezone.now()
    before = Assignment.objects.count()
    refused = client.post(_copy_url(assignment), {
        "classroom": stranger_class.pk, "title": "Sneaky",
        "opens_at": _local(now), "due_at": _local(now + datetime.timedelta(days=2)),
    })
    assert refused.status_code == 400 and "Select a valid choice" in refused.text
    backwards = client.post(_copy_url(assignment), {
        "classroom": assignment.classroom_id, "title": "Backwards",
        "opens_at": _local(now + datetime.timedelta(days=2)), "due_at": _local(now),
    })
    assert backwards.status_code == 400
    assert "The due date must be after the opening date" in backwards.text
    past = client.post(_copy_url(assignment), {
        "classroom": assignment.classroom_id, "title": "Past",
        "opens_at": _local(now - datetime.timedelta(days=3)),
        "due_at": _local(now - datetime.timedelta(days=1)),
    })
    assert past.status_code == 400 and "That due date has already passed" in past.text
    assert Assignment.objects.count() == before


def test_another_instructors_assignment_cannot_be_copied(client, two_of_her_classes):
    _, _, assignment, _ = two_of_her_classes
    client.force_login(factories.InstructorFactory())
    assert client.get(_copy_url(assignment)).status_code == 404
    assert client.post(_copy_url(assignment), {}).status_code == 404


# --- exporting the bank ---------------------------------------------------------------------------


def test_the_whole_bank_exports_as_gift_without_anyone_elses_questions(client, instructor):
    lesson = factories.LessonFactory(title="The border")
    factories.QuestionFactory(lesson=lesson, prompt="Generated, which river?")
    factories.QuestionFactory(
        lesson=lesson, prompt="Mine, which river?", origin=Question.Origin.INSTRUCTOR,
        author=instructor, kind=QuestionKind.TRUE_FALSE,
    )
    factories.QuestionFactory(
        prompt="Theirs, which river?", origin=Question.Origin.INSTRUCTOR,
        author=factories.InstructorFactory(),
    )
    client.force_login(instructor)
    response = client.get(reverse("quizzes:class_bank_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="question-bank.gift"' in response["Content-Disposition"]
    text = response.content.decode()
    assert "Generated, which river?" in text and "Mine, which river?" in text
    assert "Theirs" not in text
    assert "$CATEGORY: The border" in text

    filtered = client.get(reverse("quizzes:class_bank_export"), {"kind": "tf"}).content.decode()
    assert "Mine, which river?" in filtered and "Generated, which river?" not in filtered
    assert "filtered as on the bank page" in filtered


def test_the_bank_page_links_both_exports(client, instructor):
    factories.QuestionFactory()
    client.force_login(instructor)
    page = client.get(reverse("quizzes:class_bank"), {"kind": "mcq"}).text
    assert f'href="{reverse("quizzes:class_bank_export")}"' in page
    assert f'href="{reverse("quizzes:class_bank_export")}?kind=mcq"' in page
