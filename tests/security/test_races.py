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


def test_i_was_right_posted_forty_times_at_once_regrades_the_answer_once(student):
    card = factories.CardFactory(kind="fact", answer="Yalu")
    session = review_session(user=student, now=timezone.now())
    assert session.card == card
    browser = signed_in_client(student)
    browser.post(reverse("quizzes:review_answer"),
                 {"card": card.pk, "token": session.token, "typed": "Tumen"})
    wrong = Review.objects.get(user=student, card=card)
    assert wrong.rating == 1
    url = reverse("quizzes:review_override")

    replies = at_once(CONCURRENT, lambda _: client_like(browser).post(
        url, {"review": wrong.pk}, **HTMX))

    assert statuses(replies) == {200: 1, 409: CONCURRENT - 1}
    assert sum("counted as right already" in r.content.decode() for r in replies) == (
        CONCURRENT - 1
    )
    wrong.refresh_from_db()
    assert (wrong.rating, wrong.overridden) == (3, True)
    assert Review.objects.filter(user=student, card=card).count() == 1


def test_forty_notes_saved_at_once_leave_one_note(student):
    from quizzes.review.models import CardNote

    card = factories.CardFactory()
    browser = signed_in_client(student)
    url = reverse("quizzes:review_note")

    replies = at_once(CONCURRENT, lambda index: client_like(browser).post(
        url, {"card": card.pk, "note": f"Note {index}", "flagged": "on"}, **HTMX))

    assert statuses(replies) == {200: CONCURRENT}
    assert CardNote.objects.filter(user=student, card=card).count() == 1


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

    failed = []  # wrong guesses checked and refused so far

    def sign_in(n):
        right = n == SIGN_INS - 1
        if right:
            # Sent last, once the limit's worth of wrong guesses have been refused (while the
            # rest may still be in flight); a fixed sleep raced slow hashing on a busy machine.
            deadline = time.monotonic() + 30
            while len(failed) < 5 and time.monotonic() < deadline:
                time.sleep(0.01)
        password = factories.PASSWORD if right else f"wrong guess {n}"
        reply = Client().post(
            url, {"username": "sam", "password": password}, REMOTE_ADDR="203.0.113.7"
        )
        if not right and reply.status_code == 200:
            failed.append(n)
        return reply

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


def test_next_round_posted_forty_times_at_once_starts_one_round(student):
    from quizzes.practice import learn
    from quizzes.practice.models import LearnSession
    from tests.quizzes.practice.test_learn import make_items

    make_items(3)
    session = learn.start_learning(user=student, size=3, seed=5)
    attempts.finish_attempt(attempt=session.rounds.get())  # round 1 handed in
    signed_in = signed_in_client(student)
    url = reverse("quizzes:learn_next", args=[session.pk])

    results = at_once(CONCURRENT, lambda i: client_like(signed_in).post(url))

    assert statuses(results) == {302: CONCURRENT}
    second = Attempt.objects.filter(learn_session=session).exclude(finished_at__isnull=False)
    assert second.count() == 1
    assert {r["Location"] for r in results} == {f"/attempts/{second.get().pk}/"}
    assert LearnSession.objects.get(pk=session.pk).round_count == 2


# --- an instructor's overrides and resets against the student's own requests ----------------


def _class_with_a_timed_quiz(count=6):
    from quizzes.classes import assignments as services

    world = factories.class_world(students=1, questions_per_kind=count // 2, kinds=("mcq", "tf"))
    student = world["students"][0]
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], attempts_allowed=1, question_count=count,
        question_kinds=["mcq", "tf"], time_limit_minutes=10,
        opens_at=timezone.now() - timezone.timedelta(hours=1),
        due_at=timezone.now() + timezone.timedelta(days=1),
    )
    assignment.lessons.set([world["lesson"]])
    return world, student, assignment, services


def test_overrides_racing_a_students_answers_lose_no_acknowledged_answer():
    world, student, assignment, services = _class_with_a_timed_quiz()
    attempt = services.start_assignment_attempt(assignment=assignment, student=student)
    responses = list(attempt.responses.select_related("question").order_by("position"))
    learner = signed_in_client(student)
    teacher = signed_in_client(world["instructor"])
    override_url = reverse(
        "quizzes:class_override_set", args=[world["classroom"].pk, assignment.pk, student.pk]
    )

    def work(index):
        if index % 2:  # the instructor gives more time, again and again
            return client_like(teacher).post(
                override_url, {"students": [student.pk], "time_limit_minutes": 30}
            )
        response = responses[(index // 2) % len(responses)]
        url = reverse("quizzes:answer", args=[attempt.pk, response.position])
        return client_like(learner).post(url, post_data(attempt, response), **HTMX)

    replies = at_once(2 * len(responses) * 2, work)

    assert all(not isinstance(reply, BaseException) for reply in replies), replies
    assert {reply.status_code for reply in replies} <= {200, 302}
    # Every question was answered by some request, and each answer was stored once.
    stored = Response.objects.filter(attempt=attempt, answered_at__isnull=False)
    assert stored.count() == len(responses)
    # An assignment is handed in from the review before handing in, not by its last answer.
    assert client_like(learner).post(
        reverse("quizzes:finish_attempt", args=[attempt.pk])
    ).status_code == 302
    attempt.refresh_from_db()
    assert attempt.finished_at is not None and attempt.score == len(responses)
    assert Review.objects.filter(user=student).count() <= len(responses) * 4


def test_a_reset_racing_the_students_starts_leaves_at_most_one_attempt():
    world, student, assignment, services = _class_with_a_timed_quiz()
    attempt = services.start_assignment_attempt(assignment=assignment, student=student)
    attempts.finish_attempt(attempt=attempt)
    learner = signed_in_client(student)
    teacher = signed_in_client(world["instructor"])
    start_url = reverse("quizzes:assignment_start", args=[world["classroom"].pk, assignment.pk])
    reset_url = reverse(
        "quizzes:class_attempt_reset", args=[world["classroom"].pk, assignment.pk, attempt.pk]
    )

    def work(index):
        if index < 4:  # four resets of the same attempt: one deletes it, the rest find it gone
            return client_like(teacher).post(reset_url)
        return client_like(learner).post(start_url)

    replies = at_once(CONCURRENT, work)

    assert all(not isinstance(reply, BaseException) for reply in replies), replies
    assert {reply.status_code for reply in replies[:4]} <= {302, 404}
    assert sorted(reply.status_code for reply in replies[:4]).count(302) == 1
    assert {reply.status_code for reply in replies[4:]} <= {302, 409}
    assert Attempt.objects.filter(assignment=assignment, user=student).count() <= 1
    from quizzes.classes.models import AttemptChange

    assert AttemptChange.objects.filter(action=AttemptChange.Action.RESET).count() == 1


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
