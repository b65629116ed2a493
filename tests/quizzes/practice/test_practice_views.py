"""Practice pages over HTTP: start, one question at a time, feedback (HTMX and plain),
results, retry; bad input gets a clear 4xx and changes nothing; query counts pinned."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from quizzes.bank.sync import sync_question_bank
from quizzes.models import Attempt, Question, Response
from quizzes.practice import attempts
from quizzes.review.cards import sync_cards
from tests import factories
from tests.quizzes.helpers import post_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# The answer post: session, user, the response with its attempt and question (3); the
# scheduler's evidence read before the lock (the item's cards, the learner's card states,
# their study plan: 3); in the transaction the attempt's row locked, the answer saved, the
# new card state (one INSERT that leaves a state written meanwhile alone) and the review
# (4, in the test's savepoint: 6); "anything left?" (1); whether an open assignment holds
# the question back from practice (1 when none). The HTMX answer is the most (14).
# None of it reads the bank as a whole, so the count does not grow with it.
ANSWER_POST_QUERIES = 14


@pytest.fixture
def bank():
    course = factories.small_course()
    sync_question_bank()
    sync_cards()
    return course


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def start(user, count=6, seed=1):
    return attempts.start_attempt(
        user=user, questions=attempts.draw_questions(count=count, seed=seed), seed=seed + 100
    )


def response_at(attempt, position):
    return Response.objects.select_related("question").get(attempt=attempt, position=position)


def test_the_practice_page_offers_lessons_lengths_and_types(bank, signed_in):
    page = signed_in.get("/practice/?lesson=border-and-trade")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Practice</h1>" in html
    lesson = bank["lessons"][1]
    assert f'value="{lesson.pk}"' in html
    checked = html.split(f'value="{lesson.pk}"', 1)[1].split(">", 1)[0]
    assert "checked" in checked, "?lesson= ticks that lesson"
    for label in ("Multiple choice", "True or false", "Matching", "Fill in the blank"):
        assert label in html
    assert page["Cache-Control"].count("no-store") == 1


def test_starting_a_quiz_opens_its_first_question(bank, signed_in, student):
    lesson = bank["lessons"][0]
    page = signed_in.post(
        "/practice/", {"lessons": [lesson.pk], "count": "5", "kinds": ["mcq", "tf"]}
    )
    attempt = Attempt.objects.get(user=student)
    assert page.status_code == 302 and page["Location"] == f"/attempts/{attempt.pk}/"
    assert attempt.question_count == 5
    assert attempt.recipe == {"lessons": [lesson.pk], "kinds": ["mcq", "tf"], "count": 5}
    assert {r.question.kind for r in attempt.responses.select_related("question")} <= {"mcq", "tf"}
    question_page = signed_in.get(page["Location"])
    assert question_page.status_code == 200
    assert "Question 1 of 5" in question_page.content.decode()
    assert "no-store" in question_page["Cache-Control"]


@pytest.mark.parametrize(
    "data",
    [
        {"count": "7"},
        {"count": "ten"},
        {},
        {"count": "5", "lessons": ["999999"]},
        {"count": "5", "kinds": ["calculated"]},
        {"count": "5", "lessons": ["x" * 10_000]},
    ],
)
def test_a_bad_start_is_refused_with_the_form_and_nothing_is_created(bank, signed_in, data):
    page = signed_in.post("/practice/", data)
    assert page.status_code == 400
    assert "errorlist" in page.content.decode()
    assert not Attempt.objects.exists()


def test_a_choice_with_no_questions_says_so(signed_in):
    page = signed_in.post("/practice/", {"count": "5"})
    assert page.status_code == 400
    assert "no questions" in page.content.decode().lower()
    assert not Attempt.objects.exists()


def test_practice_needs_a_sign_in(client):
    assert client.get("/practice/").status_code == 302


def test_plain_answer_redirects_to_the_feedback_then_the_next_question(bank, signed_in, student):
    attempt = start(student)
    response = response_at(attempt, 0)
    posted = signed_in.post(f"/attempts/{attempt.pk}/answer/0/", post_data(attempt, response))
    assert posted.status_code == 302
    assert posted["Location"] == f"/attempts/{attempt.pk}/?feedback=0"
    feedback = signed_in.get(posted["Location"]).content.decode()
    question = response.question
    assert "Right" in feedback and escape(question.explanation) in feedback
    section = question.section
    assert f'href="/lessons/{section.lesson.slug}/#{section.slug}"' in feedback
    assert "Next question" in feedback and f'href="/attempts/{attempt.pk}/"' in feedback
    following = signed_in.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "Question 2 of 6" in following


def test_htmx_answer_swaps_in_the_feedback_partial(bank, signed_in, student):
    attempt = start(student)
    # A one-answer question, so a wrong answer is wrong, not partly right.
    position = next(
        n for n in range(attempt.question_count)
        if response_at(attempt, n).question.kind in ("mcq", "tf", "who", "side", "cloze")
    )
    response = response_at(attempt, position)
    posted = signed_in.post(
        f"/attempts/{attempt.pk}/answer/{position}/",
        post_data(attempt, response, right=False),
        **HTMX,
    )
    html = posted.content.decode()
    assert posted.status_code == 200
    assert "<html" not in html and 'id="question-card"' in html
    assert "Not quite" in html and "data-autofocus" in html
    assert 'role="status" hx-swap-oob="innerHTML"' in html
    assert escape(response.question.explanation) in html
    assert "no-store" in posted["Cache-Control"]


def test_the_last_answer_leads_to_the_results(bank, signed_in, student):
    attempt = start(student, count=2)
    for position in range(2):
        response = response_at(attempt, position)
        posted = signed_in.post(
            f"/attempts/{attempt.pk}/answer/{position}/",
            post_data(attempt, response, right=position == 0),
            **HTMX,
        )
    assert "See results" in posted.content.decode()
    assert signed_in.get(f"/attempts/{attempt.pk}/")["Location"] == (
        f"/attempts/{attempt.pk}/results/"
    )
    results = signed_in.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert "1 of 2" in results and "By question type" in results and "By lesson" in results
    assert "Retry the ones I missed (1)" in results


def test_retry_starts_a_new_attempt_with_the_missed_questions(bank, signed_in, student):
    attempt = start(student, count=3)
    for position in range(3):
        response = response_at(attempt, position)
        signed_in.post(
            f"/attempts/{attempt.pk}/answer/{position}/",
            post_data(attempt, response, right=position != 1),
        )
    posted = signed_in.post(f"/attempts/{attempt.pk}/retry/")
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert posted["Location"] == f"/attempts/{retry.pk}/"
    assert [r.question for r in retry.responses.all()] == [response_at(attempt, 1).question]
    assert signed_in.get(f"/attempts/{attempt.pk}/retry/").status_code == 405


def test_closing_the_tab_and_coming_back_resumes_the_attempt(bank, signed_in, student):
    attempt = start(student)
    for position in range(2):
        signed_in.post(
            f"/attempts/{attempt.pk}/answer/{position}/",
            post_data(attempt, response_at(attempt, position)),
        )
    practice = signed_in.get("/practice/").content.decode()
    assert f'href="/attempts/{attempt.pk}/"' in practice and "2 of 6 answered" in practice
    assert "Question 3 of 6" in signed_in.get(f"/attempts/{attempt.pk}/").content.decode()


def _snapshot(attempt):
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("answer", "credit", "is_correct", "answered_at")
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_answers_get_a_clear_4xx_and_change_nothing(bank, signed_in, student, htmx):
    extra = HTMX if htmx else {}
    attempt = start(student)
    response = response_at(attempt, 0)
    url = f"/attempts/{attempt.pk}/answer/0/"
    before = _snapshot(attempt)

    unknown = {key: "0" * 20 for key in post_data(attempt, response)}
    page = signed_in.post(url, unknown, **extra)
    assert page.status_code == 400 and "Check answer" in page.content.decode()
    assert 'role="alert"' in page.content.decode()
    assert signed_in.post(url, {}, **extra).status_code == 400
    huge = {key: "z" * 3_000_000 for key in post_data(attempt, response)}
    assert signed_in.post(url, huge, **extra).status_code == 413
    assert signed_in.post(f"/attempts/{attempt.pk}/answer/99/", {}, **extra).status_code == 404
    assert signed_in.get(url).status_code == 405
    assert _snapshot(attempt) == before

    signed_in.post(url, post_data(attempt, response, right=False), **extra)
    after_first = _snapshot(attempt)
    again = signed_in.post(url, post_data(attempt, response), **extra)
    assert again.status_code == 409 and "already been answered" in again.content.decode()
    assert _snapshot(attempt) == after_first

    identical = signed_in.post(url, post_data(attempt, response, right=False), **extra)
    # An identical repeat shows the same feedback again: the fragment, or the redirect to it.
    assert identical.status_code == (200 if htmx else 302)
    assert _snapshot(attempt) == after_first


def test_a_finished_attempt_refuses_answers_with_409(bank, signed_in, student):
    attempt = start(student)
    signed_in.post(f"/attempts/{attempt.pk}/finish/")
    response = response_at(attempt, 0)
    page = signed_in.post(f"/attempts/{attempt.pk}/answer/0/", post_data(attempt, response))
    assert page.status_code == 409 and "finished" in page.content.decode()
    assert not response_at(attempt, 0).is_answered


def test_other_learners_attempts_are_404_everywhere(bank, client, student, other_student):
    attempt = start(student)
    response = response_at(attempt, 0)
    client.force_login(other_student)
    base = f"/attempts/{attempt.pk}"
    for url in (f"{base}/", f"{base}/?feedback=0", f"{base}/results/"):
        assert client.get(url).status_code == 404
    for url in (f"{base}/answer/0/", f"{base}/retry/", f"{base}/finish/"):
        assert client.post(url, post_data(attempt, response)).status_code == 404
    assert client.get("/attempts/999999/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.finished_at is None and not response_at(attempt, 0).is_answered


# --- query budgets -----------------------------------------------------------------------


def _grow_bank(times):
    """More lessons full of content, so the bank is `times` as large."""
    start_count = Question.objects.count()
    n = 0
    while Question.objects.count() < start_count * times:
        lesson = factories.LessonFactory()
        section = factories.SectionFactory(lesson=lesson)
        for _ in range(6):
            n += 1
            factories.TermFactory(
                lesson=lesson,
                section=section,
                term=f"extra term {n}",
                definition=f"Extra definition number {n}.",
            )
            factories.FactFactory(
                lesson=lesson,
                section=section,
                text=f"Extra fact {n} happened in [[{1900 + n % 99}]].",
            )
        sync_question_bank()
        sync_cards()


def _answer_queries(client, attempt, position, htmx):
    response = response_at(attempt, position)
    extra = HTMX if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        posted = client.post(
            f"/attempts/{attempt.pk}/answer/{position}/", post_data(attempt, response), **extra
        )
    assert posted.status_code == (200 if htmx else 302)
    return len(queries)


def test_the_answer_post_has_a_fixed_query_budget_whatever_the_bank_size(
    bank, signed_in, student, other_student
):
    questions = list(Question.objects.filter(kind__in=["mcq", "tf", "cloze"])[:4])
    small = attempts.start_attempt(user=student, questions=questions, seed=1)
    small_counts = [
        _answer_queries(signed_in, small, p, htmx) for p, htmx in ((0, True), (1, False))
    ]

    _grow_bank(5)
    # Another learner, so the cards are as new to them as they were to the first one (a
    # card seen before is one UPDATE; a new one an INSERT in a savepoint).
    other = Client()
    other.force_login(other_student)
    large = attempts.start_attempt(user=other_student, questions=questions, seed=2)
    large_counts = [
        _answer_queries(other, large, p, htmx) for p, htmx in ((0, True), (1, False))
    ]
    assert small_counts == large_counts
    assert max(large_counts) <= ANSWER_POST_QUERIES


@pytest.mark.parametrize(
    ("url", "budget"),
    [("{base}/", 6), ("{base}/?feedback=0", 6), ("{base}/results/", 6), ("/practice/", 8)],
)
def test_pages_have_a_fixed_query_budget(
    bank, signed_in, student, django_assert_max_num_queries, url, budget
):
    for count in (3, 12):
        attempt = start(student, count=count, seed=count)
        for position in range(count - 1):
            signed_in.post(
                f"/attempts/{attempt.pk}/answer/{position}/",
                post_data(attempt, response_at(attempt, position)),
            )
        if "results" in url:
            attempts.finish_attempt(attempt=attempt)
        with django_assert_max_num_queries(budget):
            page = signed_in.get(url.format(base=f"/attempts/{attempt.pk}"))
        assert page.status_code == 200


@pytest.mark.parametrize("timing", ["submit", "due"])
def test_assignment_feedback_waits_for_its_time(bank, signed_in, student, instructor, timing):
    import datetime

    from django.utils import timezone

    from quizzes.models import Assignment, Classroom

    classroom = Classroom.objects.create(instructor=instructor, name="C", join_code="XYZ234")
    classroom.enrollments.create(student=student)
    # A classmate still to hand in: "after the due date" feedback waits for them too.
    classroom.enrollments.create(student=factories.UserFactory(username="kim"))
    due = timezone.now() + datetime.timedelta(days=2)
    assignment = Assignment.objects.create(
        classroom=classroom,
        title="Week 3 quiz",
        opens_at=timezone.now(),
        due_at=due,
        feedback_timing=timing,
    )
    questions = attempts.draw_questions(count=2, seed=4)
    attempt = attempts.start_attempt(
        user=student, questions=questions, seed=8, assignment=assignment
    )
    response = response_at(attempt, 0)
    html = signed_in.post(
        f"/attempts/{attempt.pk}/answer/0/", post_data(attempt, response), **HTMX
    ).content.decode()
    assert "Answer saved" in html and "Week 3 quiz" not in html
    assert escape(response.question.explanation) not in html and "Right" not in html
    page = signed_in.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "<h1>Week 3 quiz</h1>" in page
    signed_in.post(f"/attempts/{attempt.pk}/finish/")
    results = signed_in.get(f"/attempts/{attempt.pk}/results/").content.decode()
    shown = escape(response.question.explanation) in results
    assert shown is (timing == "submit")
    assert ("once no one in the class can still hand in" in results) is (timing == "due")
    assert "Retry the ones I missed" not in results
