"""Races: forty requests at once against PostgreSQL, each on its own connection.

A double click, a retried request, two tabs or two app servers all send the same post more
than once. Whatever the timing, an answer is stored once and the first one wins, nothing
counts twice, and every request gets a clear answer, never a 500. See tests/races.py.
"""

import time

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.bank.models import Question, QuestionKind
from quizzes.bank.views import IMPORT_SALT
from quizzes.classes.models import Enrollment
from quizzes.practice import attempts
from quizzes.practice.models import Attempt, Response
from quizzes.review.models import CardState, Review
from quizzes.review.session import review_session
from tests import factories
from tests.quizzes.helpers import post_data
from tests.races import CONCURRENT, at_once, client_like, needs_concurrent_writers, statuses

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _postgres_only(monkeypatch):
    needs_concurrent_writers()
    # Factories save content rows, and in a transaction=True test each save's resync of the
    # bank and cards runs at once, retiring the factory cards that no content stands behind.
    monkeypatch.setattr("quizzes.signals.resync_question_bank", lambda: None)


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def _carded_question(kind, **fields):
    """A question made from a content item that has a flashcard, so answering it is evidence
    for the card (a Review row and the learner's CardState)."""
    card = factories.CardFactory()
    question = factories.make_question(
        kind, item_type=card.item_type, item_id=card.item_id, **fields
    )
    return question, card


def _one_question_attempt(user, question):
    return attempts.start_attempt(user=user, questions=[question], seed=7)


def test_the_same_answer_posted_forty_times_at_once_is_stored_once(student):
    question, card = _carded_question(QuestionKind.MULTIPLE_CHOICE)
    # A second question keeps the attempt open, so every post meets the same open attempt.
    extra, _ = _carded_question(QuestionKind.TRUE_FALSE)
    attempt = attempts.start_attempt(user=student, questions=[question, extra], seed=7)
    response = Response.objects.get(attempt=attempt, position=0)
    data = post_data(attempt, response, right=True)
    url = reverse("quizzes:answer", args=[attempt.pk, 0])
    browser = signed_in_client(student)

    replies = at_once(CONCURRENT, lambda _: client_like(browser).post(url, data, **HTMX))

    assert statuses(replies) == {200: CONCURRENT}
    assert len({reply.content for reply in replies}) == 1  # the same feedback for everyone
    assert "Right" in replies[0].content.decode()
    response.refresh_from_db()
    assert response.answered_at is not None and response.is_correct
    assert Review.objects.filter(user=student, card=card).count() == 1
    assert Review.objects.filter(response=response).count() == 1
    assert CardState.objects.filter(user=student, card=card).count() == 1


def test_forty_different_answers_at_once_store_one_and_refuse_the_rest(student):
    question, card = _carded_question(QuestionKind.CLOZE)
    extra, _ = _carded_question(QuestionKind.TRUE_FALSE)
    attempt = attempts.start_attempt(user=student, questions=[question, extra], seed=7)
    url = reverse("quizzes:answer", args=[attempt.pk, 0])
    browser = signed_in_client(student)
    guesses = [f"guess number {n}" for n in range(CONCURRENT)]

    replies = at_once(
        CONCURRENT, lambda n: client_like(browser).post(url, {"text": guesses[n]}, **HTMX)
    )

    counts = statuses(replies)
    assert set(counts) <= {200, 409}
    stored = Response.objects.get(attempt=attempt, position=0)
    assert stored.answer["text"] in guesses
    accepted = [n for n, reply in enumerate(replies) if reply.status_code == 200]
    # Every 200 is the stored answer's own post, and names it; every other post is a 409.
    assert [guesses[n] for n in accepted] == [stored.answer["text"]]
    assert stored.answer["text"] in replies[accepted[0]].content.decode()
    for reply in replies:
        if reply.status_code == 409:
            assert "already been answered" in reply.content.decode()
    assert counts[409] == CONCURRENT - 1
    assert Review.objects.filter(user=student, card=card).count() == 1


def test_answers_while_another_request_creates_the_same_cards_state_are_never_a_500(student):
    """Twenty questions on one content item, one per attempt, all answered at once: each
    answer moves the same card, whose state the first of them creates."""
    card = factories.CardFactory()
    questions = [
        factories.make_question(
            QuestionKind.MULTIPLE_CHOICE, item_type=card.item_type, item_id=card.item_id
        )
        for _ in range(20)
    ]
    started = [_one_question_attempt(student, question) for question in questions]
    posts = []
    for attempt in started:
        response = Response.objects.get(attempt=attempt, position=0)
        posts.append((reverse("quizzes:answer", args=[attempt.pk, 0]),
                      post_data(attempt, response, right=True)))
    browser = signed_in_client(student)

    replies = at_once(len(posts), lambda n: client_like(browser).post(*posts[n], **HTMX))

    assert statuses(replies) == {200: len(posts)}
    assert Response.objects.filter(answered_at__isnull=False).count() == len(posts)
    assert Review.objects.filter(user=student, card=card).count() == len(posts)
    assert CardState.objects.filter(user=student, card=card).count() == 1


def test_one_grade_token_posted_forty_times_at_once_is_one_review(student):
    card = factories.CardFactory()
    session = review_session(user=student, now=timezone.now())
    assert session.card == card
    data = {"card": card.pk, "rating": 3, "token": session.token}
    url = reverse("quizzes:review_grade")
    browser = signed_in_client(student)

    replies = at_once(CONCURRENT, lambda _: client_like(browser).post(url, data, **HTMX))

    assert statuses(replies) == {200: CONCURRENT}
    texts = [reply.content.decode() for reply in replies]
    assert sum("Graded." in text for text in texts) == 1
    assert sum("Your grade was already saved." in text for text in texts) == CONCURRENT - 1
    assert Review.objects.filter(user=student, card=card).count() == 1
    assert CardState.objects.filter(user=student, card=card).count() == 1


GIFT = """$CATEGORY: Lesson with GIFT

::One:: Which river marks much of the China–North Korea border? {=Yalu ~Han ~Mekong}

::Two:: The Korean War armistice was signed in 1953. {T}

::Three:: China and North Korea signed a treaty of friendship in 1961. {T}
"""


def test_one_gift_import_confirmed_forty_times_at_once_imports_once(instructor):
    factories.LessonFactory(title="Lesson with GIFT")
    token = signing.dumps({"user": instructor.pk, "text": GIFT}, salt=IMPORT_SALT, compress=True)
    url = reverse("quizzes:class_bank_import_confirm")
    browser = signed_in_client(instructor)

    replies = at_once(CONCURRENT, lambda _: client_like(browser).post(url, {"token": token}))

    assert statuses(replies) == {302: CONCURRENT}
    assert Question.objects.filter(author=instructor, origin=Question.Origin.IMPORTED).count() == 3


def test_forty_joins_by_one_student_at_once_are_one_enrolment(student, instructor):
    classroom = factories.ClassroomFactory(instructor=instructor)
    url = reverse("quizzes:class_join")
    browser = signed_in_client(student)

    replies = at_once(
        CONCURRENT, lambda _: client_like(browser).post(url, {"code": classroom.join_code})
    )

    counts = statuses(replies)
    assert set(counts) <= {302, 429}  # 429: a join-code rate limit, where there is one
    assert counts.get(302, 0) >= 1
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


def test_forty_starts_of_one_assignment_at_once_are_one_attempt():
    world = factories.class_world(students=1, questions_per_kind=4, kinds=("mcq", "tf"))
    student = world["students"][0]
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], attempts_allowed=1, question_count=4,
        question_kinds=["mcq", "tf"], opens_at=timezone.now() - timezone.timedelta(hours=1),
        due_at=timezone.now() + timezone.timedelta(days=1),
    )
    assignment.lessons.set([world["lesson"]])
    url = reverse("quizzes:assignment_start", args=[world["classroom"].pk, assignment.pk])
    browser = signed_in_client(student)

    replies = at_once(CONCURRENT, lambda _: client_like(browser).post(url))

    assert statuses(replies) == {302: CONCURRENT}
    only = Attempt.objects.get(assignment=assignment, user=student)
    # The first start wins; every other one is sent to the same attempt.
    assert {reply["Location"] for reply in replies} == {
        reverse("quizzes:attempt", args=[only.pk])
    }


# --- sign-in ---------------------------------------------------------------------------------

SIGN_INS = 20


class SlowHasher(PBKDF2PasswordHasher):
    """Slow enough (tens of milliseconds) for parallel guesses to overlap, as on a server."""

    iterations = 60_000


@pytest.fixture
def slow_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_races.SlowHasher"]


def _count_password_checks(monkeypatch) -> list:
    checks = []
    real = ModelBackend.authenticate

    def counted(self, request, username=None, password=None, **kwargs):
        checks.append(username)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    return checks


def test_twenty_sign_ins_at_once_with_the_right_password_last_are_locked(
    slow_hashing, monkeypatch
):
    factories.UserFactory(username="sam")
    checks = _count_password_checks(monkeypatch)
    url = reverse("login")

    def sign_in(n):
        right = n == SIGN_INS - 1
        if right:
            time.sleep(0.3)  # sent last, while the wrong guesses are still being checked
        password = factories.PASSWORD if right else f"wrong guess {n}"
        return Client().post(
            url, {"username": "sam", "password": password}, REMOTE_ADDR="203.0.113.7"
        )

    replies = at_once(SIGN_INS, sign_in)

    counts = statuses(replies)
    assert replies[-1].status_code == 429  # the right password, last: locked out
    assert "_auth_user_id" not in replies[-1].wsgi_request.session
    assert set(counts) <= {200, 429}
    # Never more password checks than the limit, however many arrive at once.
    assert len(checks) <= 5
    assert counts[429] >= SIGN_INS - 4


def test_forty_sign_ins_across_names_at_once_stop_at_the_address_limit(settings, monkeypatch):
    settings.IP_FAILURE_LIMIT = 8
    checks = _count_password_checks(monkeypatch)
    url = reverse("login")

    replies = at_once(
        CONCURRENT,
        lambda n: Client().post(
            url, {"username": f"nobody{n}", "password": "guess"}, REMOTE_ADDR="203.0.113.7"
        ),
    )

    assert set(statuses(replies)) <= {200, 429}
    assert len(checks) <= 8


def test_forty_marks_of_one_written_answer_at_once_keep_one_and_tell_the_rest(instructor):
    """Two instructors (here forty tabs) mark the same answer from the same form: one mark
    is kept, the others are told and none is lost silently; the score counts the one."""
    classroom = factories.ClassroomFactory(instructor=instructor)
    student = factories.UserFactory()
    factories.EnrollmentFactory(classroom=classroom, student=student)
    essay = factories.QuestionFactory(kind=QuestionKind.WRITTEN)
    assignment = factories.AssignmentFactory(classroom=classroom, questions=[essay])
    attempt = attempts.start_attempt(
        user=student, questions=[essay], seed=9, assignment=assignment
    )
    attempts.answer_question(attempt=attempt, position=0, data={"written": "A buffer."})
    response = Response.objects.get(attempt=attempt)
    url = reverse("quizzes:grading_answer", args=[response.pk])
    browser = signed_in_client(instructor)
    marks = [str(n % 4) for n in range(CONCURRENT)]

    replies = at_once(
        CONCURRENT,
        lambda n: client_like(browser).post(url, {"mark": marks[n], "comment": f"c{n}",
                                                   "seen": ""}),
    )

    counts = statuses(replies)
    assert counts == {302: 1, 409: CONCURRENT - 1}, counts
    kept = next(n for n, reply in enumerate(replies) if reply.status_code == 302)
    response.refresh_from_db()
    attempt.refresh_from_db()
    assert (response.mark, response.mark_comment) == (float(marks[kept]), f"c{kept}")
    assert attempt.score == pytest.approx(float(marks[kept]) / 3)
