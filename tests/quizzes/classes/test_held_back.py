"""What an assignment holds back, and until when (quizzes/classes/held_back.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from quizzes.classes import assignments as services
from quizzes.classes import held_back
from quizzes.classes.classrooms import archive_classroom, remove_student
from quizzes.models import Assignment, Attempt, Question
from quizzes.practice import attempts as engine
from relations.models import Term
from tests import factories

T0 = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)
DUE = Assignment.FeedbackTiming.DUE
SUBMIT = Assignment.FeedbackTiming.SUBMIT
EACH = Assignment.FeedbackTiming.EACH

pytestmark = pytest.mark.django_db


def hours(n):
    return datetime.timedelta(hours=n)


@pytest.fixture
def world(db):
    return factories.class_world(students=2, questions_per_kind=4, kinds=("mcq", "tf"))


def assignment(world, *, picked=(), **overrides):
    values = {
        "classroom": world["classroom"], "opens_at": T0, "due_at": T0 + hours(24),
        "question_kinds": ["mcq", "tf"], "question_count": 2, "lessons": [world["lesson"]],
        "feedback_timing": DUE,
    }
    made = factories.AssignmentFactory(**{**values, **overrides})
    made.questions.set(picked)
    return made


def start(made, student, now):
    return services.start_assignment_attempt(assignment=made, student=student, now=now)


def finish(attempt, now):
    return engine.finish_attempt(attempt=attempt, now=now)


def released(made, now):
    made.refresh_from_db()
    return held_back.feedback_released(assignment=made, now=now)


# --- delayed feedback: released when no student can still hand in ----------------------------


def test_without_late_work_the_feedback_is_out_once_the_due_date_passes(world):
    made = assignment(world)
    first, _ = world["students"]
    finish(start(made, first, T0 + hours(1)), T0 + hours(2))
    assert not released(made, T0 + hours(3))  # the other student can still hand in
    assert released(made, T0 + hours(25))


def test_before_the_due_date_it_is_out_once_every_student_has_used_every_attempt(world):
    made = assignment(world)
    for student in world["students"]:
        assert not released(made, T0 + hours(1))
        finish(start(made, student, T0 + hours(1)), T0 + hours(2))
    assert released(made, T0 + hours(3))


def test_with_late_work_it_waits_for_the_last_student_however_late(world):
    made = assignment(world, late_allowed=True, attempts_allowed=1)
    first, late = world["students"]
    finish(start(made, first, T0 + hours(1)), T0 + hours(2))
    assert not released(made, T0 + hours(100))  # the late student may still start
    attempt = start(made, late, T0 + hours(100))
    assert not released(made, T0 + hours(101))  # and is working
    finish(attempt, T0 + hours(102))
    assert released(made, T0 + hours(102))


def test_an_open_attempt_holds_it_back_even_past_the_due_date(world):
    made = assignment(world, late_allowed=True, attempts_allowed=1)
    first, second = world["students"]
    finish(start(made, first, T0 + hours(1)), T0 + hours(1))
    start(made, second, T0 + hours(30))
    assert not released(made, T0 + hours(30))


def test_an_archived_class_takes_no_attempts_so_its_feedback_is_out(world):
    made = assignment(world, late_allowed=True)
    archive_classroom(classroom=world["classroom"], now=T0 + hours(2))
    assert released(made, T0 + hours(3))


def test_a_removed_student_does_not_hold_the_class_back(world):
    made = assignment(world)
    first, second = world["students"]
    finish(start(made, first, T0 + hours(1)), T0 + hours(1))
    start(made, second, T0 + hours(1))
    remove_student(enrollment=world["classroom"].enrollments.get(student=second),
                   now=T0 + hours(2))
    assert released(made, T0 + hours(3))


def test_the_instructor_releases_it_early_once_and_for_everyone(world):
    made = assignment(world)
    attempt = start(made, world["students"][0], T0 + hours(1))
    finish(attempt, T0 + hours(1))
    assert not engine.feedback_visible(attempt=attempt, now=T0 + hours(2))
    held_back.release_feedback(assignment=made, now=T0 + hours(2))
    held_back.release_feedback(assignment=made, now=T0 + hours(5))
    made.refresh_from_db()
    assert made.feedback_released_at == T0 + hours(2)
    attempt.refresh_from_db()
    assert engine.feedback_visible(attempt=attempt, now=T0 + hours(3))


def test_other_timings_are_never_held_back_class_wide(world):
    each = assignment(world, feedback_timing=EACH)
    submit = assignment(world, feedback_timing=SUBMIT)
    assert held_back.released_assignment_ids(assignments=[each, submit], now=T0) == {
        each.pk, submit.pk
    }


def test_releases_are_worked_out_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    many = [assignment(world) for _ in range(6)]
    with django_assert_num_queries(3):  # the rosters, the attempts, the students' overrides
        held_back.released_assignment_ids(assignments=many, now=T0 + hours(1))


# --- withheld from a student ------------------------------------------------------------------


def test_hand_picked_questions_are_withheld_from_the_moment_it_opens(world):
    picked = world["questions"][:2]
    assignment(world, picked=picked)
    student = world["students"][0]
    assert held_back.withheld_question_ids(student=student, now=T0 - hours(1)) == set()
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(1)) == {
        q.pk for q in picked
    }


def test_a_generated_draw_is_withheld_once_drawn_and_until_released(world):
    made = assignment(world)
    student = world["students"][0]
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(1)) == set()
    attempt = start(made, student, T0 + hours(1))
    drawn = set(attempt.responses.values_list("question_id", flat=True))
    finish(attempt, T0 + hours(2))
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(2)) == drawn
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(25)) == set()


def test_after_submission_withholds_until_handed_in(world):
    picked = world["questions"][:2]
    made = assignment(world, picked=picked, feedback_timing=SUBMIT)
    student = world["students"][0]
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(1)) == {
        q.pk for q in picked
    }
    attempt = start(made, student, T0 + hours(1))
    finish(attempt, T0 + hours(2))
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(2)) == set()


def test_after_each_question_withholds_only_the_questions_not_answered_yet(world):
    made = assignment(world, feedback_timing=EACH, question_count=3)
    student = world["students"][0]
    attempt = start(made, student, T0 + hours(1))
    first = attempt.responses.select_related("question").get(position=0)
    key = first.question.answer["key"]
    engine.answer_question(
        attempt=attempt, position=0, now=T0 + hours(1),
        data={"choice": engine.option_token(attempt=attempt, response_id=first.pk, key=key)},
    )
    rest = set(attempt.responses.exclude(position=0).values_list("question_id", flat=True))
    assert held_back.withheld_question_ids(student=student, now=T0 + hours(1)) == rest


def test_questions_on_the_same_content_item_are_withheld_too(world):
    term = factories.TermFactory()
    term_type = ContentType.objects.get_for_model(Term)
    twins = world["questions"][:2]
    Question.objects.filter(pk__in=[q.pk for q in twins]).update(
        item_type=term_type, item_id=term.pk
    )
    assignment(world, picked=[twins[0]])
    withheld = held_back.withheld_question_ids(student=world["students"][0], now=T0 + hours(1))
    assert withheld == {twins[0].pk, twins[1].pk}


def test_a_student_outside_the_class_has_nothing_withheld(world, other_student):
    assignment(world, picked=world["questions"][:2])
    assert held_back.withheld_question_ids(student=other_student, now=T0 + hours(1)) == set()


def test_another_assignment_does_not_draw_what_an_open_one_holds_back(world):
    picked = world["questions"][:6]
    assignment(world, picked=picked)
    other = assignment(
        world, feedback_timing=EACH, question_count=2, question_kinds=["mcq", "tf"]
    )
    attempt = start(other, world["students"][0], T0 + hours(1))
    drawn = set(attempt.responses.values_list("question_id", flat=True))
    assert drawn and drawn.isdisjoint({q.pk for q in picked})


def test_practice_draws_and_retries_leave_withheld_questions_out(world, monkeypatch):
    student = world["students"][0]
    picked = world["questions"][:6]
    before = engine.start_attempt(user=student, questions=picked[:2], seed=3, now=T0)
    finish(before, T0)
    assignment(world, picked=picked)
    practice = engine.start_practice(user=student, count=10, now=T0 + hours(1))
    assert set(practice.responses.values_list("question_id", flat=True)).isdisjoint(
        {q.pk for q in picked}
    )
    with pytest.raises(engine.NoQuestions, match="assignment you have open"):
        engine.retry_missed(attempt=before, now=T0 + hours(1))


def test_the_withheld_set_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    student = world["students"][0]
    for n in range(4):
        made = assignment(world, picked=world["questions"][n:n + 2])
        start(made, student, T0 + hours(1))
    with django_assert_max_num_queries(9):  # +1: the students' overrides
        held_back.withheld_question_ids(student=student, now=T0 + hours(2))
    assert Attempt.objects.filter(user=student).count() == 4


# --- one question asked alone: what an answer's feedback checks --------------------------------


def agrees_with_the_whole_set(student, now):
    """question_withheld says of every question what withheld_question_ids says."""
    withheld = held_back.withheld_question_ids(student=student, now=now)
    for question in Question.objects.all():
        assert held_back.question_withheld(student=student, question=question, now=now) is (
            question.pk in withheld
        ), question
    return withheld


def test_one_question_is_withheld_exactly_when_the_whole_set_holds_it(world):
    student = world["students"][0]
    questions = world["questions"]
    term_type = ContentType.objects.get_for_model(Term)
    term = factories.TermFactory()
    # A twin of a hand-picked question on the same item, and a question whose options show
    # another hand-picked one's answer.
    Question.objects.filter(pk__in=[questions[0].pk, questions[5].pk]).update(
        item_type=term_type, item_id=term.pk
    )
    Question.objects.filter(pk=questions[6].pk).update(reveals=[f"question:{questions[1].pk}"])
    assert agrees_with_the_whole_set(student, T0 + hours(1)) == set()
    assignment(world, picked=questions[:2])
    held = agrees_with_the_whole_set(student, T0 + hours(1))
    assert {questions[0].pk, questions[1].pk, questions[5].pk, questions[6].pk} <= held
    each = assignment(world, feedback_timing=EACH, question_count=3)
    attempt = start(each, student, T0 + hours(1))
    agrees_with_the_whole_set(student, T0 + hours(1))
    finish(attempt, T0 + hours(2))
    assert agrees_with_the_whole_set(student, T0 + hours(30)) == set()


def test_an_after_each_question_assignment_needs_no_hand_picked_query(
    world, django_assert_num_queries
):
    student = world["students"][0]
    made = assignment(world, picked=world["questions"][:2], feedback_timing=EACH)
    start(made, student, T0 + hours(1))
    # Its open assignments, their attempts, the unanswered responses, their facts.
    with django_assert_num_queries(4):
        withheld = held_back.question_withheld(
            student=student, question=world["questions"][3], now=T0 + hours(1)
        )
    assert withheld is (
        world["questions"][3].pk
        in held_back.withheld_question_ids(student=student, now=T0 + hours(1))
    )


def test_a_released_assignment_still_holds_back_what_an_open_attempt_has_not_answered(world):
    made = assignment(world, question_count=3)
    student = world["students"][0]
    attempt = start(made, student, T0 + hours(1))
    first = attempt.responses.select_related("question").get(position=0)
    engine.answer_question(
        attempt=attempt, position=0, now=T0 + hours(1),
        data={"choice": engine.option_token(
            attempt=attempt, response_id=first.pk, key=first.question.answer["key"]
        )},
    )
    held_back.release_feedback(assignment=made, now=T0 + hours(2))
    rest = set(attempt.responses.exclude(position=0).values_list("question_id", flat=True))
    assert agrees_with_the_whole_set(student, T0 + hours(3)) == rest
    finish(attempt, T0 + hours(3))
    assert agrees_with_the_whole_set(student, T0 + hours(3)) == set()


def test_finished_after_each_question_quizzes_are_not_read(world, django_assert_num_queries):
    student = world["students"][0]
    for _ in range(3):
        finish(start(assignment(world, feedback_timing=EACH), student, T0 + hours(1)),
               T0 + hours(2))
    with django_assert_num_queries(1):  # the open assignments that could hold anything back
        assert held_back.withheld_question_ids(student=student, now=T0 + hours(3)) == set()
