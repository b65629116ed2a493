"""Classes as services: join codes, joining, archiving and the roster."""

import pytest

from quizzes.classes import classrooms
from quizzes.classes.classrooms import JOIN_CODE_ALPHABET, ClassroomError
from quizzes.models import Classroom, Enrollment
from tests import factories


def test_join_codes_have_no_look_alike_characters():
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)
    codes = {classrooms.new_join_code() for _ in range(200)}
    assert all(len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
    assert len(codes) > 190


def test_a_colliding_code_is_retried(instructor, monkeypatch):
    factories.ClassroomFactory(join_code="AAAAAA")
    codes = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(classrooms, "new_join_code", lambda **kwargs: next(codes))
    classroom = classrooms.create_classroom(instructor=instructor, name="History")
    assert classroom.join_code == "BBBBBB"
    assert Classroom.objects.count() == 2


def test_create_rename_archive_restore(instructor):
    classroom = classrooms.create_classroom(instructor=instructor, name=" Korea 101 ")
    assert classroom.name == "Korea 101"
    classrooms.rename_classroom(classroom=classroom, name="Korea 102")
    classrooms.archive_classroom(classroom=classroom)
    classroom.refresh_from_db()
    assert classroom.name == "Korea 102" and classroom.archived_at is not None
    classrooms.restore_classroom(classroom=classroom)
    classroom.refresh_from_db()
    assert classroom.archived_at is None


@pytest.mark.parametrize("typed", ["ABC234", "abc234", " abc-234 ", "Abc 234"])
def test_joining_ignores_case_spaces_and_dashes(student, typed):
    classroom = factories.ClassroomFactory(join_code="ABC234")
    enrollment = classrooms.join_classroom(student=student, code=typed)
    assert enrollment.classroom == classroom


def test_joining_twice_is_harmless(student):
    classroom = factories.ClassroomFactory(join_code="ABC234")
    first = classrooms.join_classroom(student=student, code="ABC234")
    second = classrooms.join_classroom(student=student, code="abc234")
    assert first.pk == second.pk
    assert Enrollment.objects.filter(classroom=classroom).count() == 1


@pytest.mark.parametrize(
    ("code", "message", "status"),
    [
        ("", "Enter the join code your instructor gave you.", 400),
        ("QQQ777", "No class takes new students with the join code “QQQ777”. "
         "Check it with your instructor.", 404),
        # Archived: the same words as no class, naming none.
        ("ZZZ999", "No class takes new students with the join code “ZZZ999”. "
         "Check it with your instructor.", 404),
    ],
)
def test_joining_refusals_say_why(student, code, message, status):
    factories.ClassroomFactory(join_code="ZZZ999", name="Old", archived_at="2030-01-01T00:00Z")
    with pytest.raises(ClassroomError) as refusal:
        classrooms.join_classroom(student=student, code=code)
    assert (refusal.value.message, refusal.value.status) == (message, status)
    assert not Enrollment.objects.exists()


def test_an_instructor_does_not_join_their_own_class(instructor):
    classroom = factories.ClassroomFactory(instructor=instructor)
    with pytest.raises(ClassroomError, match="You teach this class"):
        classrooms.join_classroom(student=instructor, code=classroom.join_code)


def test_removal_is_soft_and_sticks_until_the_instructor_restores(student):
    classroom = factories.ClassroomFactory()
    enrollment = classrooms.join_classroom(student=student, code=classroom.join_code)
    classrooms.remove_student(enrollment=enrollment)
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()  # past work keeps its student
    assert list(classrooms.classrooms_joined(student=student)) == []
    assert not classrooms.is_enrolled(classroom=classroom, student=student)
    with pytest.raises(ClassroomError, match="removed you"):
        classrooms.join_classroom(student=student, code=classroom.join_code)
    classrooms.restore_student(enrollment=enrollment)
    assert list(classrooms.classrooms_joined(student=student)) == [classroom]


def test_the_roster_lists_current_students_first_then_removed_ones(db):
    classroom = factories.ClassroomFactory()
    names = ["cat", "ann", "bob"]
    enrollments = {
        n: factories.EnrollmentFactory(
            classroom=classroom, student=factories.UserFactory(username=n)
        )
        for n in names
    }
    classrooms.remove_student(enrollment=enrollments["ann"])
    assert [e.student.username for e in classrooms.roster(classroom=classroom)] == [
        "bob", "cat", "ann"
    ]
    taught = classrooms.classrooms_taught(instructor=classroom.instructor).get()
    assert taught.student_count == 2


def test_removing_a_student_hands_in_their_open_attempts_in_that_class_only(db):
    from quizzes.classes.assignments import start_assignment_attempt
    from quizzes.practice import attempts as engine

    here = factories.class_world(students=1)
    elsewhere = factories.class_world(students=0)
    student = here["students"][0]
    factories.EnrollmentFactory(classroom=elsewhere["classroom"], student=student)
    open_here = start_assignment_attempt(
        assignment=factories.AssignmentFactory(
            classroom=here["classroom"], lessons=[here["lesson"]]
        ),
        student=student,
    )
    open_elsewhere = start_assignment_attempt(
        assignment=factories.AssignmentFactory(
            classroom=elsewhere["classroom"], lessons=[elsewhere["lesson"]]
        ),
        student=student,
    )
    practice = engine.start_attempt(user=student, questions=here["questions"][:1], seed=1)
    classrooms.remove_student(
        enrollment=Enrollment.objects.get(classroom=here["classroom"], student=student)
    )
    for attempt in (open_here, open_elsewhere, practice):
        attempt.refresh_from_db()
    assert open_here.finished_at is not None and open_here.score == 0
    assert open_elsewhere.finished_at is None and practice.finished_at is None
    with pytest.raises(engine.AttemptFinished):
        engine.answer_question(attempt=open_here, position=0, data={"choice": "x"})
