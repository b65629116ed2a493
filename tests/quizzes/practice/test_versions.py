"""Question versions and regrading: an edit to an answered question leaves past results as
they were answered, unless the instructor regrades them, and then exactly the right scores
change and the regrade is recorded."""

import datetime

import pytest
from django.urls import reverse

from quizzes.classes import assignments as services
from quizzes.classes import results as result_services
from quizzes.common.signals import scores_changed
from quizzes.models import Question, QuestionVersion, Regrade, Response, Review
from quizzes.practice import attempts as engine
from tests import factories

pytestmark = pytest.mark.django_db

OPTIONS = ["Yalu River", "Han River", "Mekong River", "Amur River"]


def _answer(attempt, text, now):
    response = attempt.responses.get()
    question = response.question
    key = next(o["key"] for o in question.body["options"] if o["text"] == text)
    token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
    engine.answer_question(attempt=attempt, position=0, data={"choice": token}, now=now)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def answered():
    """Two students answered an instructor's own question: Ada right (Yalu), Ben wrong (Han)."""
    world = factories.class_world(students=2, questions_per_kind=1, kinds=("mcq",))
    instructor = world["instructor"]
    question = world["questions"][0]
    Question.objects.filter(pk=question.pk).update(
        origin=Question.Origin.INSTRUCTOR, author=instructor, prompt="Which river is the border?"
    )
    question.refresh_from_db()
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], questions=[question], question_count=1,
        attempts_allowed=1,
    )
    now = assignment.opens_at + datetime.timedelta(minutes=1)
    ada, ben = world["students"]
    attempts = {}
    for student, text in ((ada, "Yalu River"), (ben, "Han River")):
        attempt = services.start_assignment_attempt(
            assignment=assignment, student=student, now=now
        )
        attempts[student.username] = _answer(attempt, text, now)
    return dict(
        world, question=question, assignment=assignment, ada=ada, ben=ben, attempts=attempts,
        now=now,
    )


def _edit(client, question, *, past_answers=None, correct=2, prompt="Which river, edited?"):
    data = {
        "prompt": prompt, "explanation": "Edited explanation.", "correct": correct,
        **{f"option_{i}": text for i, text in enumerate(OPTIONS, start=1)},
    }
    if past_answers:
        data["versions-past_answers"] = past_answers
    return client.post(reverse("quizzes:class_bank_edit", args=[question.pk]), data)


def _pages(client, a):
    """What the learner's review, the instructor's results and item analysis say."""
    client.force_login(a["ada"])
    attempt = a["attempts"][a["ada"].username]
    review = client.get(reverse("quizzes:results", args=[attempt.pk]))
    feedback = client.get(reverse("quizzes:attempt", args=[attempt.pk]) + "?feedback=0")
    assert "Which river" in feedback.content.decode()
    client.force_login(a["instructor"])
    results = client.get(
        reverse("quizzes:assignment_results", args=[a["world_classroom"].pk, a["assignment"].pk])
    )
    return review.content.decode() + feedback.content.decode(), results.content.decode()


def _percents(assignment):
    results = result_services.assignment_results(assignment=assignment)
    return {row.student.username: row.percent for row in results.rows}


def test_an_answered_question_edited_keeps_past_results_as_they_were_answered(client, answered):
    a = answered
    a["world_classroom"] = a["classroom"]
    review_before, results_before = _pages(client, a)
    assert "Which river is the border?" in review_before
    assert "Which river is the border?" in results_before

    client.force_login(a["instructor"])
    form = client.get(reverse("quizzes:class_bank_edit", args=[a["question"].pk]))
    assert "This question has been answered 2 times" in form.content.decode()
    saved = _edit(client, a["question"], past_answers="keep")
    assert saved.status_code == 302
    a["question"].refresh_from_db()
    assert a["question"].prompt == "Which river, edited?"
    assert list(a["question"].versions.values_list("number", flat=True)) == [1, 2]

    review_after, results_after = _pages(client, a)
    # The learner's review shows the question and the right answer as Ada answered them.
    assert "Which river is the border?" in review_after
    assert "Which river, edited?" not in review_after
    assert "Edited explanation." not in review_after
    assert review_after.count("Yalu River") == review_before.count("Yalu River")
    # The instructor's results and item analysis: the same scores, the version answered.
    assert "Which river is the border?" in results_after
    assert "Which river, edited?" not in results_after
    assert "version 1" in results_after
    assert _percents(a["assignment"]) == {a["ada"].username: 100, a["ben"].username: 0}
    items = result_services.assignment_item_analysis(
        results=result_services.assignment_results(assignment=a["assignment"])
    )
    assert [(row.prompt, row.version_number, s.right, s.seen) for row, s in items] == [
        ("Which river is the border?", 1, 1, 2)
    ]
    assert not Regrade.objects.exists()


def test_a_new_answer_is_graded_against_the_current_version(answered):
    a = answered
    from quizzes.bank.authoring import draft_from_question, edit_question

    draft = draft_from_question(question=a["question"])
    draft.correct = 1  # Han River is now the right answer
    edit_question(question=a["question"], editor=a["instructor"], draft=draft)
    newcomer = factories.EnrollmentFactory(classroom=a["classroom"]).student
    attempt = services.start_assignment_attempt(
        assignment=a["assignment"], student=newcomer, now=a["now"]
    )
    attempt = _answer(attempt, "Han River", a["now"])
    response = attempt.responses.get()
    assert response.is_correct and response.version.number == 2
    assert attempt.score == 1.0


def test_an_edit_nobody_answered_makes_no_new_version(answered):
    a = answered
    from quizzes.bank.authoring import draft_from_question, edit_question

    fresh = factories.QuestionFactory(
        origin=Question.Origin.INSTRUCTOR, author=a["instructor"], lesson=a["lesson"]
    )
    attempt = services.start_assignment_attempt(
        assignment=factories.AssignmentFactory(
            classroom=a["classroom"], questions=[fresh], question_count=1
        ),
        student=a["ada"], now=a["now"],
    )
    draft = draft_from_question(question=fresh)
    draft.prompt = "Reworded before anyone answered"
    outcome = edit_question(question=fresh, editor=a["instructor"], draft=draft)
    assert not outcome.revision.is_new
    assert list(fresh.versions.values_list("number", "prompt")) == [
        (1, "Reworded before anyone answered")
    ]
    assert attempt.responses.get().version.prompt == "Reworded before anyone answered"


def test_a_regrade_changes_exactly_the_scores_it_should_and_is_recorded(
    client, answered, django_capture_on_commit_callbacks
):
    a = answered
    heard = []

    def listen(sender, assignment_id, student_ids, **kwargs):
        heard.append((assignment_id, student_ids))

    scores_changed.connect(listen)
    reviews_before = list(Review.objects.order_by("pk").values_list("pk", "rating"))
    # A practice attempt of Ada's at another question is not touched.
    other = factories.QuestionFactory(lesson=a["lesson"])
    practice = engine.start_attempt(user=a["ada"], questions=[other], seed=7, now=a["now"])
    practice = _answer(practice, "Yalu River", a["now"])
    try:
        client.force_login(a["instructor"])
        with django_capture_on_commit_callbacks(execute=True):
            saved = _edit(client, a["question"], past_answers="regrade", correct=2)
    finally:
        scores_changed.disconnect(listen)
    assert saved.status_code == 302
    page = client.get(saved.url).content.decode()
    assert "2 past answers regraded against version 2: 2 changed mark, 2 attempts changed" in page
    assert _percents(a["assignment"]) == {a["ada"].username: 0, a["ben"].username: 100}
    ada_response = Response.objects.get(attempt=a["attempts"][a["ada"].username])
    assert (ada_response.is_correct, ada_response.credit, ada_response.version.number) == (
        False, 0.0, 2
    )
    record = Regrade.objects.get()
    assert (record.regraded_by, record.question_id) == (a["instructor"], a["question"].pk)
    assert (record.from_version.number, record.to_version.number) == (1, 2)
    assert (record.responses_regraded, record.responses_changed, record.attempts_changed) == (
        2, 2, 2
    )
    assert heard == [(a["assignment"].pk, sorted([a["ada"].pk, a["ben"].pk]))]
    # Review evidence already recorded is not rewritten.
    assert list(
        Review.objects.filter(pk__in=[pk for pk, _ in reviews_before])
        .order_by("pk").values_list("pk", "rating")
    ) == reviews_before
    practice.refresh_from_db()
    assert practice.score == 1.0


def test_a_regrade_that_changes_no_mark_says_so(answered):
    a = answered
    from quizzes.bank.authoring import draft_from_question, edit_question

    draft = draft_from_question(question=a["question"])
    draft.prompt = "Only the wording changed"
    outcome = edit_question(question=a["question"], editor=a["instructor"], draft=draft,
                            regrade=True)
    assert outcome.regrade.responses_regraded == 2
    assert (outcome.regrade.responses_changed, outcome.regrade.attempts_changed) == (0, 0)
    assert _percents(a["assignment"]) == {a["ada"].username: 100, a["ben"].username: 0}


def test_an_admin_edit_of_an_answered_question_makes_a_new_version(client, answered):
    a = answered
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    question = a["question"]
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    import json

    data.update(
        prompt="Edited in the admin", body=json.dumps(question.body),
        answer=json.dumps(question.answer), origin=question.origin, author=a["instructor"].pk,
        **{"versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1",
           "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000",
           "versions-0-id": str(question.versions.get().pk),
           "versions-0-question": str(question.pk)},
    )
    data = {k: v for k, v in data.items() if v is not None}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert list(question.versions.values_list("number", "prompt", "created_by")) == [
        (1, "Which river is the border?", None), (2, "Edited in the admin", admin.pk)
    ]
    assert QuestionVersion.objects.filter(question=question).count() == 2


def test_the_learners_data_export_shows_the_version_answered(answered):
    a = answered
    from quizzes.account.my_data import export_user_data
    from quizzes.bank.authoring import draft_from_question, edit_question

    draft = draft_from_question(question=a["question"])
    draft.prompt = "Reworded after Ada answered"
    edit_question(question=a["question"], editor=a["instructor"], draft=draft)
    exported = export_user_data(user=a["ada"])
    (attempt,) = exported["attempts"]
    (response,) = attempt["responses"]
    assert (response["question"], response["question_version"]) == (
        "Which river is the border?", 1
    )
    assert attempt["ended"] == "Handed in"
