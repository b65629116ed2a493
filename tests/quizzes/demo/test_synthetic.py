"""The synthetic data builder behind make_synthetic_data, the benchmark and the budgets."""

import random

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.roles import is_instructor
from quizzes.bank.grading import grade
from quizzes.bank.kinds import KINDS
from quizzes.demo import synthetic
from quizzes.models import Attempt, CardState, Classroom, Question, Response, Review

pytestmark = pytest.mark.django_db

TINY = synthetic.Size(
    "tiny", classes=2, students_per_class=4, assignments_per_class=2, lecture_students=6,
    lecture_assignments=1, questions_per_assignment=5, cards_per_student=5,
    reviews_per_student=12,
)


def test_builds_the_promised_counts_with_graded_finished_attempts(course):
    summary = synthetic.build_synthetic_data(size=TINY)
    students = User.objects.filter(username__startswith="bench-student-")
    assert summary["students"] == students.count() == 8
    assert summary["responses"] == TINY.responses == Response.objects.count() == 110
    assert summary["reviews"] == TINY.reviews == Review.objects.count() == 96
    assert not Attempt.objects.filter(finished_at__isnull=True).exists()
    assert not Response.objects.filter(is_correct__isnull=True).exists()
    for attempt in Attempt.objects.all():
        assert attempt.score == sum(r.credit for r in attempt.responses.all())
    # The lecture: the largest class, taught by its own instructor, with the first students.
    show = synthetic.showcase()
    assert show["classroom_students"] == 6
    lecture = Classroom.objects.get(pk=show["classroom_id"])
    assert is_instructor(lecture.instructor)
    assert User.objects.get(username="bench-student-0").check_password(synthetic.PASSWORD)


def test_the_same_seed_builds_the_same_data(course):
    def snapshot():
        return (
            sorted(Response.objects.values_list("attempt__user__username", "question__fingerprint",
                                                "is_correct")),
            sorted(CardState.objects.values_list("user__username", "card__fingerprint",
                                                 "stability")),
        )

    synthetic.build_synthetic_data(size=TINY, seed=5)
    first = snapshot()
    synthetic.build_synthetic_data(size=TINY, seed=5, reset=True)
    assert snapshot() == first


def test_refuses_to_build_twice_unless_reset(course):
    call_command("make_synthetic_data", "--size", "small", verbosity=0)
    with pytest.raises(CommandError, match="--reset"):
        call_command("make_synthetic_data", "--size", "small", verbosity=0)
    call_command("make_synthetic_data", "--size", "small", "--reset", verbosity=0)
    assert User.objects.filter(username__startswith="bench-student-").count() == 30
    assert Response.objects.count() == synthetic.SIZES["small"].responses


def test_reset_removes_only_synthetic_users_and_their_work(course, student):
    synthetic.build_synthetic_data(size=TINY)
    synthetic.delete_synthetic_data()
    assert list(User.objects.values_list("username", flat=True)) == [student.username]
    assert not Attempt.objects.exists() and not Review.objects.exists()


def test_without_a_course_a_placeholder_bank_stands_in():
    synthetic.build_synthetic_data(size=TINY)
    assert Question.objects.filter(fingerprint__startswith="bench-placeholder").exists()
    assert Response.objects.count() == TINY.responses


def test_a_synthetic_answer_grades_as_intended_for_every_kind(course):
    rng = random.Random(1)
    for kind in Question.objects.values_list("kind", flat=True).distinct():
        if not KINDS[kind].graded_on_answer:  # a written answer: a person marks it
            continue
        question = Question.objects.filter(kind=kind).first()
        for correct in (True, False):
            answer = synthetic.answer_for(question, correct=correct, rng=rng)
            assert grade(question=question, submitted=answer).is_correct is correct, (
                kind, correct, answer,
            )
