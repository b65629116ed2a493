"""The instructor's page for one student's work, through HTTP: overrides for one student or a
group, reset and reopen with their records, the attempt's review with the version answered,
and another instructor's class, student or attempt as a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.authoring import draft_from_question, edit_question
from quizzes.classes import assignments as services
from quizzes.models import Attempt, AttemptChange, Question, StudentOverride
from quizzes.practice import attempts as engine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = factories.class_world(students=3, questions_per_kind=2, kinds=("mcq",))
    question = world["questions"][0]
    Question.objects.filter(pk=question.pk).update(
        origin=Question.Origin.INSTRUCTOR, author=world["instructor"],
        prompt="Which river is the border?",
    )
    question.refresh_from_db()
    now = timezone.now()
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], questions=[question], question_count=1,
        time_limit_minutes=10, opens_at=now - datetime.timedelta(hours=1),
        due_at=now + datetime.timedelta(days=1),
    )
    ada = world["students"][0]
    attempt = services.start_assignment_attempt(assignment=assignment, student=ada, now=now)
    response = attempt.responses.get()
    token = engine.option_token(attempt=attempt, response_id=response.pk, key="k1")  # Han: wrong
    engine.answer_question(attempt=attempt, position=0, data={"choice": token}, now=now)
    attempt.refresh_from_db()
    return dict(world, question=question, assignment=assignment, ada=ada, attempt=attempt)


def _url(name, w, last):
    return reverse(name, args=[w["classroom"].pk, w["assignment"].pk, last])


def test_the_results_table_links_each_student_and_their_attempt(client, world):
    client.force_login(world["instructor"])
    page = client.get(
        reverse("quizzes:assignment_results", args=[world["classroom"].pk, world["assignment"].pk])
    ).content.decode()
    assert _url("quizzes:student_work", world, world["ada"].pk) in page
    assert _url("quizzes:class_attempt_review", world, world["attempt"].pk) in page


def test_the_attempt_review_shows_the_version_the_student_answered(client, world):
    draft = draft_from_question(question=world["question"])
    draft.prompt = "Reworded after Ada answered"
    edit_question(question=world["question"], editor=world["instructor"], draft=draft)
    client.force_login(world["instructor"])
    page = client.get(_url("quizzes:class_attempt_review", world, world["attempt"].pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Which river is the border?" in html and "Reworded" not in html
    assert "As version 1 of this question asked it." in html
    assert "Han River" in html and "Yalu River" in html  # her answer beside the right one


def test_an_override_for_a_group_is_saved_shown_and_recorded(client, world):
    ada, ben, _cy = world["students"]
    client.force_login(world["instructor"])
    saved = client.post(
        _url("quizzes:class_override_set", world, ada.pk),
        {"students": [ada.pk, ben.pk], "time_limit_minutes": 30, "extra_attempts": 2},
    )
    assert saved.status_code == 302
    assert {(o.student_id, o.time_limit_minutes, o.extra_attempts)
            for o in StudentOverride.objects.all()} == {(ada.pk, 30, 2), (ben.pk, 30, 2)}
    page = client.get(saved.url).content.decode()
    assert "Override saved for" in page and "30 min, 2 extra attempts" in page
    results = client.get(
        reverse("quizzes:assignment_results", args=[world["classroom"].pk, world["assignment"].pk])
    ).content.decode()
    assert results.count("(override: 30 min, 2 extra attempts)") == 2
    removed = client.post(_url("quizzes:class_override_remove", world, ben.pk))
    assert removed.status_code == 302
    assert list(StudentOverride.objects.values_list("student_id", flat=True)) == [ada.pk]
    assert AttemptChange.objects.count() == 3


def test_a_bad_override_is_refused_with_a_sentence_and_saves_nothing(client, world):
    client.force_login(world["instructor"])
    refused = client.post(
        _url("quizzes:class_override_set", world, world["ada"].pk),
        {"students": [world["ada"].pk], "time_limit_minutes": 5},
    )
    assert refused.status_code == 400
    assert "More time means more than the assignment&#x27;s 10 minutes" in refused.content.decode()
    outsider = factories.EnrollmentFactory().student  # in another instructor's class
    refused = client.post(
        _url("quizzes:class_override_set", world, world["ada"].pk),
        {"students": [outsider.pk], "extra_attempts": 1},
    )
    assert refused.status_code == 400  # not a choice the form offers
    assert not StudentOverride.objects.exists() and not AttemptChange.objects.exists()


def test_reset_and_reopen_through_the_page(client, world):
    client.force_login(world["instructor"])
    attempt = world["attempt"]
    # Every question answered: reopening has nothing to reopen for.
    refused = client.post(
        _url("quizzes:class_attempt_reopen", world, attempt.pk), {"deadline": "2099-01-01T09:00"}
    )
    assert refused.status_code == 409
    assert "Every question of this attempt is answered" in refused.content.decode()
    reset = client.post(_url("quizzes:class_attempt_reset", world, attempt.pk))
    assert reset.status_code == 302
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    page = client.get(reset.url).content.decode()
    assert "Attempt 1 deleted" in page and "Attempt reset" in page
    # Ada starts again, leaves it unanswered and runs out of time; it is reopened.
    now = timezone.now()
    again = services.start_assignment_attempt(
        assignment=world["assignment"], student=world["ada"], now=now
    )
    engine.finish_attempt(attempt=again, now=now + datetime.timedelta(minutes=11))
    tomorrow = timezone.localtime(now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    reopened = client.post(
        _url("quizzes:class_attempt_reopen", world, again.pk), {"deadline": tomorrow}
    )
    assert reopened.status_code == 302
    again.refresh_from_db()
    assert again.finished_at is None and again.deadline > now
    assert list(AttemptChange.objects.values_list("action", flat=True)) == [
        AttemptChange.Action.REOPEN, AttemptChange.Action.RESET
    ]


def test_another_instructors_class_student_or_attempt_is_not_found(client, world):
    other = factories.class_world(students=1, questions_per_kind=1, kinds=("mcq",))
    client.force_login(other["instructor"])
    for name, last in (
        ("quizzes:student_work", world["ada"].pk),
        ("quizzes:class_attempt_review", world["attempt"].pk),
    ):
        assert client.get(_url(name, world, last)).status_code == 404
    assert client.post(_url("quizzes:class_attempt_reset", world, world["attempt"].pk),
                       ).status_code == 404
    assert Attempt.objects.filter(pk=world["attempt"].pk).exists()
    # The class's own instructor asking for a student of another class.
    client.force_login(world["instructor"])
    stranger = other["students"][0]
    assert client.get(_url("quizzes:student_work", world, stranger.pk)).status_code == 404
    assert client.post(
        _url("quizzes:class_override_set", world, stranger.pk),
        {"students": [stranger.pk], "extra_attempts": 1},
    ).status_code == 404
