"""Assignments: every limit on the server's clock, seeded draws, statuses and races."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from quizzes.classes import assignments as services
from quizzes.classes import results as result_services
from quizzes.classes import review_targets
from quizzes.classes import status as statuses
from quizzes.classes.assignments import AssignmentError
from quizzes.classes.status import Status
from quizzes.models import Assignment, Attempt, Response
from quizzes.practice import attempts as engine
from tests import factories

T0 = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


def minutes(n):
    return datetime.timedelta(minutes=n)



@pytest.fixture
def world(db):
    return factories.class_world(students=2, questions_per_kind=4, kinds=("mcq", "tf"))


@pytest.fixture
def student(world):
    return world["students"][0]


def make_assignment(world, **overrides):
    values = {
        "classroom": world["classroom"],
        "opens_at": T0,
        "due_at": T0 + datetime.timedelta(days=1),
        "question_kinds": ["mcq", "tf"],
        "question_count": 3,
        "lessons": [world["lesson"]],
    }
    values.update(overrides)
    return factories.AssignmentFactory(**values)


def start(assignment, student, now):
    return services.start_assignment_attempt(assignment=assignment, student=student, now=now)


def answer_all(attempt, now, right=True):
    """Answer every question of the attempt through the engine, right or wrong."""
    for response in attempt.responses.select_related("question").order_by("position"):
        question = response.question
        options = [o["key"] for o in question.body["options"]]
        key = question.answer["key"] if right else next(
            k for k in options if k != question.answer["key"]
        )
        token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
        engine.answer_question(
            attempt=attempt, position=response.position, data={"choice": token}, now=now
        )
    attempt.refresh_from_db()
    return attempt


# --- opening, due date, late work ------------------------------------------------------------


def test_a_start_inside_the_window_draws_the_assignment_size(world, student):
    assignment = make_assignment(world, time_limit_minutes=30)
    attempt = start(assignment, student, T0 + minutes(5))
    assert attempt.number == 1
    assert attempt.assignment == assignment
    assert attempt.question_count == 3
    assert attempt.started_at == T0 + minutes(5)
    assert attempt.deadline == T0 + minutes(35)


def test_before_it_opens_the_start_is_refused_with_the_opening_time(world, student):
    assignment = make_assignment(world)
    with pytest.raises(AssignmentError) as refusal:
        start(assignment, student, T0 - minutes(1))
    assert "opens on 1 Mar 2030, 09:00" in refusal.value.message
    assert refusal.value.status == 403
    assert not Attempt.objects.exists()


def test_after_the_due_date_the_start_is_refused(world, student):
    assignment = make_assignment(world)
    with pytest.raises(AssignmentError) as refusal:
        start(assignment, student, assignment.due_at)
    assert "was due on 2 Mar 2030, 09:00" in refusal.value.message
    assert not Attempt.objects.exists()


def test_late_work_when_allowed_starts_and_is_marked_late(world, student):
    assignment = make_assignment(world, late_allowed=True, time_limit_minutes=20)
    now = assignment.due_at + minutes(60)
    attempt = start(assignment, student, now)
    assert attempt.deadline == now + minutes(20)  # not capped by a due date already past
    answer_all(attempt, now + minutes(5))
    row = statuses.describe_student_assignment(
        assignment=assignment, attempts=[attempt], now=now + minutes(6)
    )
    assert row.status == Status.LATE


def test_the_deadline_is_the_due_date_when_it_comes_before_the_time_limit(world, student):
    assignment = make_assignment(world, time_limit_minutes=60)
    now = assignment.due_at - minutes(10)
    attempt = start(assignment, student, now)
    assert attempt.deadline == assignment.due_at


def test_without_a_time_limit_late_work_has_no_deadline(world, student):
    assignment = make_assignment(world, late_allowed=True)
    attempt = start(assignment, student, T0 + minutes(1))
    assert attempt.deadline is None


# --- the time limit --------------------------------------------------------------------------


def test_an_answer_after_the_time_limit_is_refused_and_the_attempt_handed_in(world, student):
    assignment = make_assignment(world, time_limit_minutes=10)
    attempt = start(assignment, student, T0)
    first = attempt.responses.select_related("question").get(position=0)
    question = first.question
    token = engine.option_token(
        attempt=attempt, response_id=first.pk, key=question.answer["key"]
    )
    engine.answer_question(attempt=attempt, position=0, data={"choice": token}, now=T0 + minutes(9))

    second = attempt.responses.select_related("question").get(position=1)
    token = engine.option_token(
        attempt=attempt, response_id=second.pk, key=second.question.answer["key"]
    )
    with pytest.raises(engine.DeadlinePassed) as refusal:
        engine.answer_question(
            attempt=attempt, position=1, data={"choice": token}, now=T0 + minutes(11)
        )
    assert "Time is up" in refusal.value.message
    attempt.refresh_from_db()
    assert attempt.finished_at == T0 + minutes(10)
    assert attempt.score == 1
    assert not Response.objects.get(pk=second.pk).is_answered


def test_an_attempt_past_its_time_limit_is_finished_and_graded_on_its_own(world, student):
    assignment = make_assignment(world, time_limit_minutes=10)
    attempt = start(assignment, student, T0)
    results = result_services.assignment_results(assignment=assignment, now=T0 + minutes(11))
    attempt.refresh_from_db()
    assert attempt.finished_at == T0 + minutes(10)
    assert attempt.score == 0
    row = next(r for r in results.rows if r.student == student)
    assert row.status == Status.TIMED_OUT
    assert attempt.ended == Attempt.Ended.TIMED_OUT
    assert row.percent == 0


def test_a_student_page_also_settles_overdue_attempts(world, student):
    assignment = make_assignment(world, time_limit_minutes=10)
    attempt = start(assignment, student, T0)
    rows = statuses.my_assignments(student=student, now=T0 + minutes(30))
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert rows[0].status == Status.TIMED_OUT
    assert rows[0].can_start is False  # one attempt allowed, used


# --- attempts allowed and resuming -----------------------------------------------------------


def test_an_unfinished_attempt_is_resumed_not_doubled(world, student):
    assignment = make_assignment(world, attempts_allowed=3)
    first = start(assignment, student, T0 + minutes(1))
    again = start(assignment, student, T0 + minutes(2))
    assert again.pk == first.pk
    assert Attempt.objects.filter(assignment=assignment).count() == 1


def test_no_attempts_left_is_refused(world, student):
    assignment = make_assignment(world, attempts_allowed=2)
    for n in range(2):
        attempt = start(assignment, student, T0 + minutes(10 * n))
        assert attempt.number == n + 1
        answer_all(attempt, T0 + minutes(10 * n + 1))
    with pytest.raises(AssignmentError) as refusal:
        start(assignment, student, T0 + minutes(30))
    assert refusal.value.message == "You have used all 2 attempts at this assignment."
    assert refusal.value.status == 409
    assert Attempt.objects.filter(assignment=assignment).count() == 2


def test_one_attempt_allowed_says_so(world, student):
    assignment = make_assignment(world)
    answer_all(start(assignment, student, T0), T0 + minutes(1))
    with pytest.raises(AssignmentError, match="your one attempt"):
        start(assignment, student, T0 + minutes(2))


def test_not_a_student_of_the_class_is_refused_as_not_found(world):
    assignment = make_assignment(world)
    outsider = factories.UserFactory()
    with pytest.raises(AssignmentError) as refusal:
        start(assignment, outsider, T0 + minutes(1))
    assert refusal.value.status == 404


def test_a_removed_student_cannot_start(world, student):
    from quizzes.classes.classrooms import remove_student

    remove_student(enrollment=student.enrollments.get())
    with pytest.raises(AssignmentError):
        start(make_assignment(world), student, T0 + minutes(1))


def test_an_archived_class_takes_no_attempts(world, student):
    from quizzes.classes.classrooms import archive_classroom

    assignment = make_assignment(world)
    archive_classroom(classroom=world["classroom"], now=T0)
    with pytest.raises(AssignmentError, match="archived"):
        start(assignment, student, T0 + minutes(1))


def test_a_review_assignment_is_not_started_as_a_quiz(world, student):
    assignment = make_assignment(world, kind=Assignment.Kind.REVIEW)
    with pytest.raises(AssignmentError, match="Review page"):
        start(assignment, student, T0 + minutes(1))


# --- what is drawn ---------------------------------------------------------------------------


def test_each_student_gets_their_own_seeded_draw_of_the_same_size_and_mix(world):
    assignment = make_assignment(world, question_count=5)
    first, second = world["students"]
    drawn = {}
    for student in (first, second):
        attempt = start(assignment, student, T0 + minutes(1))
        kinds = sorted(r.question.kind for r in attempt.responses.select_related("question"))
        assert kinds == ["mcq", "mcq", "mcq", "tf", "tf"]
        drawn[student.pk] = attempt
    assert drawn[first.pk].seed != drawn[second.pk].seed


def test_seeds_are_secret_and_stored_so_a_reload_resumes_the_same_draw(world, monkeypatch):
    import hashlib
    import secrets

    assignment = make_assignment(world, question_count=3)
    student = world["students"][0]
    drawn = []
    monkeypatch.setattr(secrets, "randbits", lambda bits: drawn.append(bits) or 424242)
    attempt = start(assignment, student, T0 + minutes(1))
    assert drawn == [62] and attempt.seed == 424242  # from secrets, not from the ids
    monkeypatch.undo()
    # The old seed, derived from ids, is not what an attempt holds.
    derived = hashlib.sha256(f"assignment:{assignment.pk}:{student.pk}:1".encode()).digest()
    assert attempt.seed != int.from_bytes(derived[:6], "big")
    again = start(assignment, student, T0 + minutes(2))
    assert (again.pk, again.seed) == (attempt.pk, attempt.seed)


def test_the_same_seed_draws_the_same_questions(world):
    assignment = make_assignment(world, question_count=4)
    seed = 20030729
    once, _ = services.draw_for_student(assignment=assignment, seed=seed)
    twice, _ = services.draw_for_student(assignment=assignment, seed=seed)
    assert [q.pk for q in once] == [q.pk for q in twice]


def test_hand_picked_questions_are_the_same_for_everyone(world):
    picked = world["questions"][:3]
    assignment = make_assignment(world, questions=picked, question_kinds=[], question_count=3)
    for student in world["students"]:
        attempt = start(assignment, student, T0 + minutes(1))
        assert set(attempt.responses.values_list("question_id", flat=True)) == {
            q.pk for q in picked
        }
        assert attempt.recipe == {"questions": sorted(q.pk for q in picked)} or set(
            attempt.recipe["questions"]
        ) == {q.pk for q in picked}


def test_questions_the_instructor_hid_are_never_drawn(world, student):
    mcq = [q for q in world["questions"] if q.kind == "mcq"]
    for question in mcq[:3]:
        factories.HiddenQuestionFactory(instructor=world["instructor"], question=question)
    assignment = make_assignment(world, question_kinds=["mcq"], question_count=1)
    attempt = start(assignment, student, T0 + minutes(1))
    assert list(attempt.responses.values_list("question_id", flat=True)) == [mcq[3].pk]


def test_two_questions_on_one_content_item_are_not_drawn_together(db):
    world = factories.class_world(students=1, questions_per_kind=0)
    term = factories.TermFactory(lesson=world["lesson"])
    from django.contrib.contenttypes.models import ContentType

    item = {"item_type": ContentType.objects.get_for_model(term), "item_id": term.pk}
    factories.QuestionFactory(kind="mcq", lesson=world["lesson"], **item)
    factories.QuestionFactory(kind="tf", lesson=world["lesson"], **item)
    factories.QuestionFactory(kind="tf", lesson=world["lesson"])
    assignment = make_assignment(world, question_count=2)
    attempt = start(assignment, world["students"][0], T0 + minutes(1))
    items = [r.question.item_id for r in attempt.responses.select_related("question")]
    assert items.count(term.pk) == 1


# --- statuses and counting -------------------------------------------------------------------


def test_statuses_follow_the_clock(world, student):
    assignment = make_assignment(world, attempts_allowed=2)

    def status(now):
        return statuses.my_assignments(student=student, now=now)[0].status

    assert status(T0 + minutes(1)) == Status.NOT_STARTED
    attempt = start(assignment, student, T0 + minutes(1))
    assert status(T0 + minutes(2)) == Status.IN_PROGRESS
    answer_all(attempt, T0 + minutes(3))
    assert status(T0 + minutes(4)) == Status.HANDED_IN

    other = world["students"][1]
    assert statuses.my_assignments(student=other, now=assignment.due_at)[0].status == (
        Status.MISSED
    )


def test_an_assignment_that_closed_before_the_student_joined_is_not_missed(world, student):
    from quizzes.classes.gradebook import gradebook_rows
    from quizzes.models import Enrollment

    assignment = make_assignment(world)
    newcomer = world["students"][1]
    after = assignment.due_at + datetime.timedelta(days=2)
    Enrollment.objects.filter(student=newcomer).update(joined_at=after)
    Enrollment.objects.filter(student=student).update(joined_at=T0 - minutes(60))
    now = after + minutes(5)

    mine = statuses.my_assignments(student=newcomer, now=now)[0]
    assert mine.status == Status.CLOSED_BEFORE_JOINING
    assert mine.status_label == "Closed before you joined"
    assert not mine.can_start
    # The student who was there all along did miss it.
    assert statuses.my_assignments(student=student, now=now)[0].status == Status.MISSED

    rows = {r.student: r for r in result_services.assignment_results(
        assignment=assignment, now=now).rows}
    assert rows[newcomer].status_label == "Closed before they joined"
    assert rows[student].status_label == "Missed"
    csv_rows = {row[0]: row for row in gradebook_rows(classroom=world["classroom"], now=now)}
    assert csv_rows[newcomer.username][3] == "closed before they joined"
    assert csv_rows[student.username][3] == "missed"


def test_late_work_allowed_is_open_to_a_student_who_joins_after_the_due_date(world, student):
    from quizzes.models import Enrollment

    assignment = make_assignment(world, late_allowed=True)
    after = assignment.due_at + datetime.timedelta(days=2)
    Enrollment.objects.filter(student=student).update(joined_at=after)
    row = statuses.my_assignments(student=student, now=after + minutes(5))[0]
    assert (row.status, row.can_start) == (Status.NOT_STARTED, True)


def test_highest_or_latest_attempt_counts(world, student):
    assignment = make_assignment(world, attempts_allowed=2)
    good = answer_all(start(assignment, student, T0), T0 + minutes(1), right=True)
    bad = answer_all(start(assignment, student, T0 + minutes(5)), T0 + minutes(6), right=False)
    attempts = [good, bad]
    assert statuses.counted_attempt(attempts=attempts, counting="highest") == good
    assert statuses.counted_attempt(attempts=attempts, counting="latest") == bad


def test_kind_mix_is_the_same_split_for_everyone():
    assert services.kind_mix(kinds=["tf", "mcq"], count=5) == [("mcq", 3), ("tf", 2)]
    assert services.kind_mix(kinds=["cloze"], count=4) == [("cloze", 4)]
    assert services.kind_mix(kinds=[], count=4) == []


# --- two starts at once ----------------------------------------------------------------------


def test_two_starts_in_the_race_window_give_exactly_one_attempt(world, student, monkeypatch):
    """The second request checks the attempts left after the first did, but inserts first.

    Starts lock the student's enrolment, so real requests never meet like this; these two
    tests call the start without that lock to show the unique constraint still holds."""
    assignment = make_assignment(world, attempts_allowed=1)
    now = T0 + minutes(1)
    real_draw = services.draw_for_student
    other_result = []

    def draw_while_the_other_request_commits(**kwargs):
        if not other_result:
            other_result.append(None)
            other_result[0] = start(assignment, student, now)
        return real_draw(**kwargs)

    monkeypatch.setattr(services, "draw_for_student", draw_while_the_other_request_commits)
    with pytest.raises(AssignmentError) as refusal:
        services._start_or_resume(assignment=assignment, student=student, now=now)
    assert refusal.value.status == 409
    assert "same moment" in refusal.value.message
    assert list(Attempt.objects.filter(assignment=assignment)) == [other_result[0]]


def test_two_starts_in_the_race_window_with_one_attempt_left_after_a_first(
    world, student, monkeypatch
):
    assignment = make_assignment(world, attempts_allowed=2)
    answer_all(start(assignment, student, T0), T0 + minutes(1))
    real_draw = services.draw_for_student
    raced = []

    def draw_while_the_other_request_commits(**kwargs):
        if not raced:
            raced.append(None)
            raced[0] = start(assignment, student, T0 + minutes(2))
        return real_draw(**kwargs)

    monkeypatch.setattr(services, "draw_for_student", draw_while_the_other_request_commits)
    with pytest.raises(AssignmentError):
        services._start_or_resume(assignment=assignment, student=student, now=T0 + minutes(2))
    assert sorted(Attempt.objects.values_list("number", flat=True)) == [1, 2]


def test_two_threads_starting_at_once_give_exactly_one_attempt(file_backed_sqlite):
    """Real concurrency: on PostgreSQL, or on SQLite in a database file (in-memory SQLite
    fails a second writer at once instead of making it wait)."""
    assert "mode=memory" not in str(connection.settings_dict["NAME"])
    world = factories.class_world(students=1, questions_per_kind=4, kinds=("mcq", "tf"))
    student = world["students"][0]
    assignment = make_assignment(world, attempts_allowed=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def race():
        try:
            barrier.wait(timeout=10)
            attempt = start(assignment, student, T0 + minutes(1))
            outcomes.append(("started", attempt.pk))
        except AssignmentError as refusal:
            outcomes.append(("refused", refusal.message))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    started = [o for o in outcomes if o[0] == "started"]
    assert len(outcomes) == 2
    assert Attempt.objects.filter(assignment=assignment).count() == 1
    # Either both saw the same attempt (the second resumed it) or the second was refused.
    assert {pk for _, pk in started} == {Attempt.objects.get(assignment=assignment).pk}


# --- review assignments ----------------------------------------------------------------------


@pytest.fixture
def review_world(world):
    lesson = world["lesson"]
    cards = [factories.CardFactory(lesson=lesson, front=f"Card {n}") for n in range(4)]
    factories.CardFactory()  # another lesson's card: not part of the assignment
    assignment = make_assignment(
        world, kind=Assignment.Kind.REVIEW, question_kinds=[], target_retrievability=0.9
    )
    first, second = world["students"]
    now = T0 + datetime.timedelta(hours=2)

    def remembered(card, student, *, days_ago, stability):
        factories.CardStateFactory(
            user=student, card=card, stability=stability,
            last_review=now - datetime.timedelta(days=days_ago),
            due=now + datetime.timedelta(days=1),
        )

    remembered(cards[0], first, days_ago=1, stability=30.0)  # fresh: recall near 1
    remembered(cards[1], first, days_ago=1, stability=30.0)
    remembered(cards[2], first, days_ago=60, stability=1.0)  # long forgotten
    remembered(cards[0], second, days_ago=1, stability=30.0)
    for _ in range(3):
        factories.ReviewFactory(user=second, card=cards[3], rating=1, reviewed_at=now)
    factories.ReviewFactory(user=first, card=cards[2], rating=1, reviewed_at=now)
    return {"assignment": assignment, "cards": cards, "now": now}


def test_a_review_assignment_counts_each_students_cards_at_the_target(world, review_world):
    first, second = world["students"]
    assignment, now = review_world["assignment"], review_world["now"]
    shares = review_targets.review_shares(
        assignments=[assignment], student_ids=[first.pk, second.pk], now=now
    )
    assert shares[assignment.pk] == {first.pk: (4, 2), second.pk: (4, 1)}

    (row,) = statuses.my_assignments(student=first, now=now)
    assert (row.review_cards, row.review_percent, row.status_label) == (4, 50, "Reviewing")
    assert row.can_start is False

    results = result_services.assignment_results(assignment=assignment, now=now)
    assert [(r.student, r.review_percent) for r in results.rows] == sorted(
        [(first, 50), (second, 25)], key=lambda pair: pair[0].username
    )


def test_the_hardest_cards_have_the_lowest_recall_then_the_most_again_ratings(
    world, review_world
):
    ids = [s.pk for s in world["students"]]
    ranked = review_targets.review_card_difficulty(
        assignment=review_world["assignment"], student_ids=ids, now=review_world["now"]
    )
    cards = review_world["cards"]
    assert [item.card for item in ranked] == [cards[3], cards[2], cards[1], cards[0]]
    assert ranked[0].mean_retrievability == 0.0 and ranked[0].again_count == 3
    assert ranked[1].again_count == 1


def test_class_mastery_is_the_share_right_per_lesson(world):
    assignment = make_assignment(world, question_count=4, attempts_allowed=1)
    first, second = world["students"]
    answer_all(start(assignment, first, T0), T0 + minutes(1), right=True)
    answer_all(start(assignment, second, T0), T0 + minutes(1), right=False)
    (mastery,) = result_services.class_mastery(classroom=world["classroom"])
    assert (mastery.title, mastery.answered, mastery.right, mastery.percent) == (
        world["lesson"].title, 8, 4, 50
    )
