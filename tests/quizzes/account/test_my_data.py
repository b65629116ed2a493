"""A learner's own data: the page, the JSON download, and deleting the account."""

import json
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from quizzes import models as quiz
from quizzes.account.my_data import delete_account, describe_answer, export_user_data
from tests import factories
from tests.factories import hardening as made

MY_DATA = reverse("quizzes:my_data")
EXPORT = reverse("quizzes:my_data_export")
DELETE = reverse("quizzes:delete_account")


def learner_history(user, *, attempts=1, reviews=1):
    """Some of everything a learner leaves behind."""
    for _ in range(attempts):
        attempt = made.AttemptFactory(user=user)
        answered = made.ResponseFactory(attempt=attempt, position=0)
        answered.answer = {"key": "b"}
        answered.is_correct = False
        answered.credit = 0.0
        answered.answered_at = attempt.started_at
        answered.save()
        made.ResponseFactory(attempt=attempt, position=1)
    for _ in range(reviews):
        state = made.CardStateFactory(user=user)
        made.ReviewFactory(user=user, card=state.card)


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


# --- the page ----------------------------------------------------------------------------


def test_the_page_needs_a_sign_in(client, db):
    response = client.get(MY_DATA)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_page_explains_what_we_store_and_offers_download_and_deletion(
    signed_in, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = signed_in.get(MY_DATA)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "What we store" in html
    assert f'href="{EXPORT}"' in html and "Download my data (JSON)" in html
    assert f'action="{DELETE}"' in html
    assert 'type="password"' in html
    assert response["Cache-Control"].count("no-store") == 1


def test_base_page_links_to_my_data_when_signed_in(signed_in):
    assert f'href="{MY_DATA}"' in signed_in.get("/").content.decode()


# --- the download ------------------------------------------------------------------------


def test_download_is_an_attachment_of_json(signed_in, student):
    response = signed_in.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="uneasy-allies-sam-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "sam"
    assert data["profile"]["email"] == "sam@example.org"
    assert "password" not in json.dumps(data["profile"])


def test_download_holds_the_learners_time_zone(student):
    from accounts.time_zones import choose_zone

    assert export_user_data(user=student)["profile"]["time_zone"] is None
    choose_zone(user=student, name="Pacific/Auckland")
    assert export_user_data(user=student)["profile"]["time_zone"] == "Pacific/Auckland"


def test_download_holds_attempts_with_prompts_and_my_answers_in_words(signed_in, student):
    attempt = made.AttemptFactory(user=student, finished_at=None)
    question = made.QuestionFactory(prompt="Which city hosted the talks?")
    made.ResponseFactory(
        attempt=attempt, position=0, question=question,
        answer={"key": "b"}, is_correct=False, credit=0.0, answered_at=attempt.started_at,
    )
    data = json.loads(signed_in.get(EXPORT).content)
    [exported] = data["attempts"]
    [response] = exported["responses"]
    assert response["question"] == "Which city hosted the talks?"
    assert response["your_answer"] == "Moscow"
    assert response["correct"] is False


def test_download_holds_cards_reviews_classes_and_assignments(signed_in, student):
    state = made.CardStateFactory(user=student, card__front="What is the Dandong corridor?")
    made.ReviewFactory(user=student, card=state.card, rating=4)
    enrollment = made.EnrollmentFactory(student=student, classroom__name="History 101")
    made.AssignmentFactory(classroom=enrollment.classroom, title="Week one quiz")
    made.ClassroomFactory(name="A class I am not in")

    data = json.loads(signed_in.get(EXPORT).content)
    assert [s["card"] for s in data["card_states"]] == ["What is the Dandong corridor?"]
    assert [r["rating"] for r in data["reviews"]] == [4]
    assert [c["class"] for c in data["classes_joined"]] == ["History 101"]
    assert [a["title"] for a in data["assignments"]] == ["Week one quiz"]
    assert "A class I am not in" not in json.dumps(data)


def test_download_holds_the_learners_flags_notes_and_typed_answers(signed_in, student):
    from quizzes.review.card_notes import save_card_note

    state = made.CardStateFactory(user=student, card__front="The bridge joins Dandong and?")
    made.ReviewFactory(user=student, card=state.card, rating=3, typed_answer="Sinuiju",
                       overridden=True)
    save_card_note(user=student, card_id=state.card_id, flagged=True,
                   note="Remember: the Friendship Bridge.")
    made.CardStateFactory(user=made.UserFactory(), card=state.card)

    data = json.loads(signed_in.get(EXPORT).content)
    assert data["card_notes"] == [{
        "card": "The bridge joins Dandong and?", "flagged": True,
        "note": "Remember: the Friendship Bridge.",
        "updated_at": data["card_notes"][0]["updated_at"],
    }]
    review = data["reviews"][0]
    assert (review["typed_answer"], review["i_was_right"], review["hint_shown"]) == (
        "Sinuiju", True, False
    )


def test_download_holds_no_one_elses_data(signed_in, student, other_student):
    classroom = made.ClassroomFactory(name="Shared class")
    made.EnrollmentFactory(student=student, classroom=classroom)
    made.EnrollmentFactory(student=other_student, classroom=classroom)
    theirs = made.AttemptFactory(user=other_student)
    made.ResponseFactory(
        attempt=theirs, question__prompt="Olga's private question?", answer={"text": "olga-answer"},
        answered_at=theirs.started_at,
    )
    made.CardStateFactory(user=other_student, card__front="Olga's card")

    text = signed_in.get(EXPORT).content.decode()
    assert "olga" not in text.lower()
    assert "Olga's" not in text
    assert classroom.instructor.username not in text


def test_download_reveals_no_answer_key_for_questions_not_answered(signed_in, student):
    attempt = made.AttemptFactory(user=student)
    question = made.QuestionFactory(
        prompt="Unanswered?",
        body={"options": [{"key": "x", "text": "The-Secret-Right-Option"},
                          {"key": "y", "text": "A wrong one"}]},
        answer={"key": "x"},
    )
    made.ResponseFactory(attempt=attempt, position=0, question=question)
    text = signed_in.get(EXPORT).content.decode()
    assert "The-Secret-Right-Option" not in text
    assert '"x"' not in text


def test_download_lists_only_what_was_answered_not_the_questions_ahead(signed_in, student):
    # The finding: an attempt in progress listed every prompt, ahead of the questions
    # reached, which a student then looked up in practice (issue 14).
    attempt = made.AttemptFactory(user=student, question_count=3)
    for position, prompt in enumerate(("Asked and answered?", "Still ahead?", "Also ahead?")):
        made.ResponseFactory(
            attempt=attempt, position=position, question=made.QuestionFactory(prompt=prompt),
            answer={"key": "a"} if position == 0 else None,
            answered_at=attempt.started_at if position == 0 else None,
        )
    [exported] = json.loads(signed_in.get(EXPORT).content)["attempts"]
    assert [r["question"] for r in exported["responses"]] == ["Asked and answered?"]
    assert exported["question_count"] == 3
    text = signed_in.get(EXPORT).content.decode()
    assert "Still ahead?" not in text and "Also ahead?" not in text


def test_download_keeps_results_hidden_while_the_assignment_hides_them(signed_in, student):
    assignment = made.AssignmentFactory(feedback_timing=quiz.Assignment.FeedbackTiming.SUBMIT)
    attempt = made.AttemptFactory(user=student, assignment=assignment, score=1.0)
    made.ResponseFactory(
        attempt=attempt, answer={"key": "a"}, is_correct=True, credit=1.0,
        answered_at=attempt.started_at,
    )
    [exported] = json.loads(signed_in.get(EXPORT).content)["attempts"]
    assert exported["score"] is None
    assert "correct" not in exported["responses"][0]


def test_download_query_count_does_not_grow_with_history(
    signed_in, student, django_assert_num_queries
):
    learner_history(student, attempts=1, reviews=1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        signed_in.get(EXPORT)
    learner_history(student, attempts=10, reviews=10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = signed_in.get(EXPORT)
    assert len(json.loads(response.content)["attempts"]) == 11


def test_describe_answer_reads_every_shape():
    question = quiz.Question(
        kind="match",
        body={
            "left": [{"key": "l1", "text": "Chen Jian"}],
            "right": [{"key": "r1", "text": "University of Virginia"}],
            "items": [{"key": "e1", "text": "Armistice"}, {"key": "e2", "text": "Talks"}],
            "options": [{"key": "a", "text": "Yes"}],
        },
        answer={},
    )
    assert describe_answer(question=question, answer={"pairs": {"l1": "r1"}}) == {
        "Chen Jian": "University of Virginia"
    }
    assert describe_answer(question=question, answer={"order": ["e2", "e1"]}) == [
        "Talks", "Armistice",
    ]
    assert describe_answer(question=question, answer={"key": "a"}) == "Yes"
    assert describe_answer(question=question, answer={"text": "Yalu"}) == "Yalu"
    assert describe_answer(question=question, answer=None) is None
    assert describe_answer(question=question, answer={"key": "unknown"}) == "unknown"


# --- deleting the account ----------------------------------------------------------------


def test_a_wrong_password_deletes_nothing_and_says_so(signed_in, student):
    learner_history(student)
    response = signed_in.post(DELETE, {"password": "not my password"})
    assert response.status_code == 400
    assert "That is not your password. Your account has not been deleted." in (
        response.content.decode()
    )
    assert User.objects.filter(pk=student.pk).exists()
    assert quiz.Attempt.objects.filter(user=student).count() == 1
    assert signed_in.get(MY_DATA).status_code == 200  # still signed in


def test_a_missing_password_deletes_nothing(signed_in, student):
    response = signed_in.post(DELETE, {})
    assert response.status_code == 400
    assert User.objects.filter(pk=student.pk).exists()


def test_deleting_removes_the_user_and_all_their_data_and_signs_out(
    signed_in, student, other_student
):
    learner_history(student)
    learner_history(other_student)
    made.EnrollmentFactory(student=student)
    quiz.StudyPreference.objects.create(user=student, new_cards_per_day=5)

    response = signed_in.post(DELETE, {"password": factories.PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account and everything we held about you have been deleted." in (
        response.content.decode()
    )
    assert not User.objects.filter(pk=student.pk).exists()
    for model, field in [
        (quiz.Attempt, "user"), (quiz.CardState, "user"), (quiz.Review, "user"),
        (quiz.Enrollment, "student"), (quiz.StudyPreference, "user"),
    ]:
        assert not model.objects.filter(**{f"{field}_id": student.pk}).exists(), model
    assert not quiz.Response.objects.filter(attempt__user_id=student.pk).exists()
    # Someone else's history is untouched.
    assert quiz.Attempt.objects.filter(user=other_student).count() == 1
    assert quiz.Review.objects.filter(user=other_student).count() == 1
    # Signed out: the page now asks for a sign-in.
    assert signed_in.get(MY_DATA).status_code == 302


def test_deleting_is_all_or_nothing(student):
    learner_history(student)
    with (
        mock.patch("axes.models.AccessLog.objects.filter", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        delete_account(user=student)
    assert User.objects.filter(pk=student.pk).exists()
    assert quiz.Attempt.objects.filter(user=student).count() == 1
    assert quiz.Review.objects.filter(user=student).count() == 1


def test_deleting_an_instructor_keeps_questions_others_answered_but_retires_them(
    instructor, student
):
    used = made.QuestionFactory(author=instructor, origin="instructor")
    unused = made.QuestionFactory(author=instructor, origin="instructor")
    made.ResponseFactory(attempt=made.AttemptFactory(user=student), question=used)

    delete_account(user=instructor)

    used.refresh_from_db()
    assert used.author is None and used.retired_at is not None
    assert not quiz.Question.objects.filter(pk=unused.pk).exists()


def test_a_students_deletion_leaves_the_class_and_its_other_students(student, other_student):
    classroom = made.ClassroomFactory()
    made.EnrollmentFactory(classroom=classroom, student=student)
    made.EnrollmentFactory(classroom=classroom, student=other_student)
    assignment = made.AssignmentFactory(classroom=classroom)
    made.AttemptFactory(user=student, assignment=assignment)
    made.AttemptFactory(user=other_student, assignment=assignment)

    delete_account(user=student)

    assert list(classroom.enrollments.values_list("student__username", flat=True)) == ["olga"]
    assert list(assignment.attempts.values_list("user__username", flat=True)) == ["olga"]


def test_deleting_needs_post(signed_in, student):
    assert signed_in.get(DELETE).status_code == 405
    assert User.objects.filter(pk=student.pk).exists()


def test_deleting_needs_a_sign_in(client, student):
    response = client.post(DELETE, {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert User.objects.filter(pk=student.pk).exists()


def test_export_function_without_http(student):
    learner_history(student, attempts=2)
    data = export_user_data(user=student)
    assert data["format"] == "uneasy-allies-my-data"
    assert len(data["attempts"]) == 2
    json.dumps(data)  # plain data, ready to serialise


def test_the_instructors_pages_carry_on_without_a_deleted_student(client, instructor, student):
    """Enrolments and attempts go with the student: the roster, results, item analysis and
    gradebook simply no longer list them, and nothing fails."""
    from quizzes.practice.attempts import answer_question, finish_attempt, start_attempt
    from tests.security.world import choice_data

    classroom = made.ClassroomFactory(instructor=instructor)
    assignment = made.AssignmentFactory(classroom=classroom, question_count=2)
    questions = [made.QuestionFactory(), made.QuestionFactory()]
    assignment.questions.set(questions)
    stayer = factories.UserFactory(username="stays")
    for learner in (student, stayer):
        made.EnrollmentFactory(classroom=classroom, student=learner)
        attempt = start_attempt(user=learner, questions=questions, seed=learner.pk,
                                assignment=assignment)
        for position in range(2):
            answer_question(attempt=attempt, position=position,
                            data=choice_data(attempt, position))
        finish_attempt(attempt=attempt)

    delete_account(user=student)

    client.force_login(instructor)
    class_id, assignment_id = classroom.pk, assignment.pk
    both = {"class_id": class_id, "assignment_id": assignment_id}
    pages = [  # (page, whether it lists students)
        (reverse("quizzes:class_detail", kwargs={"class_id": class_id}), True),
        (reverse("quizzes:assignment_detail", kwargs=both), False),
        (reverse("quizzes:assignment_results", kwargs=both), True),
        (reverse("quizzes:class_gradebook", kwargs={"class_id": class_id}), True),
    ]
    for path, lists_students in pages:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(path, **headers)
            assert response.status_code == 200, path
            text = (
                b"".join(response.streaming_content).decode()
                if response.streaming else response.content.decode()
            )
            assert "stays" in text or not lists_students, path
            assert ">sam<" not in text and "sam," not in text, path


def test_download_holds_learn_sessions(signed_in, student, other_student):
    from quizzes.models import LearnSession
    from tests.factories import days_from_now

    LearnSession.objects.create(
        user=student, items=[[1, 2], [1, 3]], round_count=2, started_at=days_from_now(-1),
        finished_at=days_from_now(0),
    )
    LearnSession.objects.create(user=other_student, items=[[1, 4]], started_at=days_from_now(0))
    data = json.loads(signed_in.get(EXPORT).content)
    [session] = data["learn_sessions"]
    assert (session["items"], session["rounds"]) == (2, 2) and session["finished_at"]
