"""Per-student overrides, resets and reopened attempts, and the statuses they lead to, all on
the server's clock with an explicit `now`."""

import datetime

import pytest

from quizzes.classes import overrides
from quizzes.classes import results as result_services
from quizzes.classes import status as statuses
from quizzes.classes.assignments import AssignmentError
from quizzes.classes.status import Status
from quizzes.common.signals import scores_changed
from quizzes.models import Attempt, AttemptChange, Response, Review, StudentOverride
from quizzes.practice import attempts as engine
from tests import factories
from tests.quizzes.classes.test_assignments import (
    T0,
    answer_all,
    make_assignment,
    minutes,
    start,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db):
    return factories.class_world(students=3, questions_per_kind=4, kinds=("mcq", "tf"))


def status_of(assignment, student, now):
    results = result_services.assignment_results(assignment=assignment, now=now)
    return next(row for row in results.rows if row.student == student).status


# --- statuses ---------------------------------------------------------------------------------


def test_statuses_say_how_each_attempt_ended(world):
    ada, ben, cy = world["students"]
    assignment = make_assignment(world, time_limit_minutes=10)
    answer_all(start(assignment, ada, T0), T0 + minutes(5))
    start(assignment, ben, T0)  # never answers: time runs out
    now = T0 + minutes(30)
    assert status_of(assignment, ada, now) == Status.HANDED_IN
    assert status_of(assignment, ben, now) == Status.TIMED_OUT
    assert status_of(assignment, cy, now) == Status.NOT_STARTED
    assert status_of(assignment, cy, assignment.due_at) == Status.MISSED
    ben_attempt = Attempt.objects.get(user=ben)
    assert (ben_attempt.ended, ben_attempt.finished_at) == (
        Attempt.Ended.TIMED_OUT, T0 + minutes(10)
    )


def test_handing_in_by_hand_is_handed_in_and_after_the_due_date_late(world):
    ada, ben, _cy = world["students"]
    assignment = make_assignment(world, late_allowed=True)
    engine.finish_attempt(attempt=start(assignment, ada, T0), now=T0 + minutes(3))
    late = start(assignment, ben, assignment.due_at + minutes(1))
    engine.finish_attempt(attempt=late, now=assignment.due_at + minutes(2))
    assert status_of(assignment, ada, T0 + minutes(4)) == Status.HANDED_IN
    assert status_of(assignment, ben, assignment.due_at + minutes(3)) == Status.LATE
    assert Status.LABELS[Status.LATE] == "Late"


def test_item_analysis_counts_unreached_questions_apart_as_class_mastery_does(world):
    ada, ben, _cy = world["students"]
    assignment = make_assignment(world, time_limit_minutes=10)
    answer_all(start(assignment, ada, T0), T0 + minutes(5), right=False)
    timed_out = start(assignment, ben, T0)
    first = timed_out.responses.select_related("question").order_by("position").first()
    token = engine.option_token(
        attempt=timed_out, response_id=first.pk, key=first.question.answer["key"]
    )
    engine.answer_question(attempt=timed_out, position=0, data={"choice": token},
                           now=T0 + minutes(2))
    results = result_services.assignment_results(assignment=assignment, now=T0 + minutes(30))
    items = result_services.assignment_item_analysis(results=results)
    not_reached = sum(stats.not_reached for _question, stats in items)
    answered = sum(stats.seen for _question, stats in items)
    wrong = sum(stats.seen - stats.right for _question, stats in items)
    assert (not_reached, answered, wrong) == (2, 4, 3)
    # A question no one reached is not listed as the hardest: it comes after the answered.
    seen = [bool(stats.seen) for _question, stats in items]
    assert seen == sorted(seen, reverse=True)
    mastery = result_services.class_mastery(classroom=world["classroom"])
    assert sum(row.answered for row in mastery) == answered
    assert sum(row.right for row in mastery) == answered - wrong


# --- overrides --------------------------------------------------------------------------------


def test_a_later_due_date_lets_one_student_start_after_the_others_cannot(world):
    ada, ben, _cy = world["students"]
    assignment = make_assignment(world)
    overrides.set_override(
        assignment=assignment, student_ids=[ada.pk], by=world["instructor"],
        due_at=assignment.due_at + DAY, now=T0,
    )
    after = assignment.due_at + minutes(5)
    with pytest.raises(AssignmentError):
        start(assignment, ben, after)
    attempt = start(assignment, ada, after)
    assert attempt.deadline == assignment.due_at + DAY  # the student's own due date
    answer_all(attempt, after + minutes(1))
    assert status_of(assignment, ada, after + minutes(2)) == Status.HANDED_IN  # not late
    assert status_of(assignment, ben, after + minutes(2)) == Status.MISSED
    row = statuses.my_assignments(student=ada, now=after)[0]
    assert row.due_at == assignment.due_at + DAY


def test_more_time_and_extra_attempts_for_a_group(world):
    ada, ben, cy = world["students"]
    assignment = make_assignment(world, time_limit_minutes=10, attempts_allowed=1)
    running = start(assignment, ada, T0)
    overrides.set_override(
        assignment=assignment, student_ids=[ada.pk, ben.pk], by=world["instructor"],
        time_limit_minutes=25, extra_attempts=1, now=T0 + minutes(5),
    )
    running.refresh_from_db()
    assert running.deadline == T0 + minutes(25)  # the running attempt gets the time too
    # Ada can answer at minute 20, past the assignment's own limit.
    answer_all(running, T0 + minutes(20))
    second = start(assignment, ada, T0 + minutes(30))
    assert (second.number, second.deadline) == (2, T0 + minutes(55))
    engine.finish_attempt(attempt=second, now=T0 + minutes(31))
    with pytest.raises(AssignmentError) as refusal:  # a third is more than 1 + 1
        start(assignment, ada, T0 + minutes(32))
    assert "all 2 attempts" in refusal.value.message
    assert start(assignment, ben, T0).deadline == T0 + minutes(25)
    assert start(assignment, cy, T0).deadline == T0 + minutes(10)  # no override
    assert {o.student_id for o in StudentOverride.objects.all()} == {ada.pk, ben.pk}
    assert AttemptChange.objects.filter(action=AttemptChange.Action.OVERRIDE).count() == 2
    results = result_services.assignment_results(assignment=assignment, now=T0 + minutes(33))
    shown = {row.student.username: row.limits.describe for row in results.rows}
    assert shown[ada.username] == "25 min, 1 extra attempt"
    assert shown[cy.username] == ""


def test_an_override_that_gives_nothing_more_is_refused_and_saves_nothing(world):
    ada = world["students"][0]
    assignment = make_assignment(world, time_limit_minutes=10)
    for values, words in (
        ({}, "Give a later due date"),
        ({"due_at": assignment.due_at - minutes(1)}, "later than the assignment's own"),
        ({"time_limit_minutes": 5}, "more than the assignment's 10 minutes"),
        ({"extra_attempts": 11}, "Extra attempts go from 0 to 10"),
    ):
        with pytest.raises(overrides.OverrideError) as refusal:
            overrides.set_override(
                assignment=assignment, student_ids=[ada.pk], by=world["instructor"], now=T0,
                **values,
            )
        assert words in refusal.value.message
    outsider = factories.UserFactory()
    with pytest.raises(overrides.OverrideError) as refusal:
        overrides.set_override(
            assignment=assignment, student_ids=[ada.pk, outsider.pk], by=world["instructor"],
            extra_attempts=1, now=T0,
        )
    assert refusal.value.status == 404
    assert not StudentOverride.objects.exists() and not AttemptChange.objects.exists()


def test_removing_an_override_gives_back_the_assignments_limits(world):
    ada = world["students"][0]
    assignment = make_assignment(world, time_limit_minutes=10)
    overrides.set_override(assignment=assignment, student_ids=[ada.pk], by=world["instructor"],
                           time_limit_minutes=30, now=T0)
    running = start(assignment, ada, T0)
    assert overrides.remove_override(
        assignment=assignment, student_id=ada.pk, by=world["instructor"], now=T0 + minutes(1)
    )
    running.refresh_from_db()
    assert running.deadline == T0 + minutes(10)
    assert list(AttemptChange.objects.values_list("action", flat=True)) == [
        AttemptChange.Action.OVERRIDE_REMOVED, AttemptChange.Action.OVERRIDE
    ]


def test_feedback_after_the_due_date_waits_for_a_student_with_a_later_one(world):
    from quizzes.classes.held_back import released_assignment_ids

    ada = world["students"][0]
    assignment = make_assignment(world, feedback_timing="due")
    overrides.set_override(assignment=assignment, student_ids=[ada.pk], by=world["instructor"],
                           due_at=assignment.due_at + DAY, now=T0)
    assert released_assignment_ids(assignments=[assignment], now=assignment.due_at) == set()
    assert released_assignment_ids(
        assignments=[assignment], now=assignment.due_at + DAY
    ) == {assignment.pk}


# --- reset and reopen -------------------------------------------------------------------------


def test_a_reset_deletes_the_attempt_so_the_student_starts_again(
    world, django_capture_on_commit_callbacks
):
    ada = world["students"][0]
    assignment = make_assignment(world)
    attempt = start(assignment, ada, T0)
    answer_all(attempt, T0 + minutes(2), right=False)
    reviews = Review.objects.filter(user=ada).count()
    heard = []
    scores_changed.connect(receiver := lambda **kw: heard.append(kw["student_ids"]))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            overrides.reset_attempt(attempt=attempt, by=world["instructor"], now=T0 + minutes(3))
    finally:
        scores_changed.disconnect(receiver)
    assert heard == [[ada.pk]]
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert Review.objects.filter(user=ada).count() == reviews  # review evidence stays
    change = AttemptChange.objects.get()
    assert (change.action, change.changed_by, change.student) == (
        AttemptChange.Action.RESET, world["instructor"], ada
    )
    assert "attempt 1 (0%) deleted" in change.detail
    assert status_of(assignment, ada, T0 + minutes(4)) == Status.NOT_STARTED
    again = start(assignment, ada, T0 + minutes(5))
    assert again.number == 1


def test_a_timed_out_attempt_reopened_takes_answers_until_its_new_deadline(world):
    ada = world["students"][0]
    assignment = make_assignment(world, time_limit_minutes=10)
    attempt = start(assignment, ada, T0)
    result_services.assignment_results(assignment=assignment, now=T0 + minutes(11))
    attempt.refresh_from_db()
    assert attempt.ended == Attempt.Ended.TIMED_OUT
    with pytest.raises(overrides.OverrideError):
        overrides.reopen_attempt(attempt=attempt, by=world["instructor"],
                                 deadline=T0 + minutes(11), now=T0 + minutes(12))
    reopened = overrides.reopen_attempt(
        attempt=attempt, by=world["instructor"], deadline=T0 + minutes(40), now=T0 + minutes(12)
    )
    assert (reopened.finished_at, reopened.ended, reopened.deadline) == (
        None, "", T0 + minutes(40)
    )
    assert status_of(assignment, ada, T0 + minutes(13)) == Status.IN_PROGRESS
    answer_all(reopened, T0 + minutes(20))
    reopened.refresh_from_db()
    assert reopened.ended == Attempt.Ended.HANDED_IN and reopened.score == 3
    assert status_of(assignment, ada, T0 + minutes(21)) == Status.HANDED_IN
    change = AttemptChange.objects.get()
    assert change.action == AttemptChange.Action.REOPEN and "timed out" in change.detail
    with pytest.raises(overrides.OverrideError) as refusal:  # every question answered now
        overrides.reopen_attempt(attempt=reopened, by=world["instructor"],
                                 deadline=T0 + minutes(60), now=T0 + minutes(22))
    assert refusal.value.status == 409
    assert Response.objects.filter(attempt=reopened, answered_at__isnull=False).count() == 3


def test_a_later_due_date_keeps_the_assignments_questions_out_of_practice_until_it(world):
    from quizzes.classes.held_back import withheld_question_ids

    ada = world["students"][0]
    picked = world["questions"][:2]
    assignment = make_assignment(
        world, feedback_timing="submit", questions=picked, question_count=2
    )
    after = assignment.due_at + minutes(1)
    assert withheld_question_ids(student=ada, now=after) == set()  # no one can start it now
    overrides.set_override(assignment=assignment, student_ids=[ada.pk], by=world["instructor"],
                           due_at=assignment.due_at + DAY, now=T0)
    assert {q.pk for q in picked} <= withheld_question_ids(student=ada, now=after)
