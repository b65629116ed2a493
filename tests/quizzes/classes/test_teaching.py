"""Who teaches a class: the owner and co-instructors see and manage it alike; anyone else
meets nothing of it."""

import pytest

from quizzes.classes import classrooms, teaching
from quizzes.classes.models import Classroom, ClassroomInstructor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture():
    classroom = factories.ClassroomFactory(name="Lecture")
    assistant = factories.CoInstructorFactory(
        classroom=classroom, role=ClassroomInstructor.Role.TEACHING_ASSISTANT
    ).user
    return classroom, assistant


def test_the_owner_and_a_co_instructor_teach_it_and_nobody_else_does(lecture):
    classroom, assistant = lecture
    other = factories.InstructorFactory()
    factories.ClassroomFactory(instructor=other, name="Elsewhere")
    student = factories.EnrollmentFactory(classroom=classroom).student
    assert list(teaching.classes_taught(user=classroom.instructor)) == [classroom]
    assert list(teaching.classes_taught(user=assistant)) == [classroom]
    assert [c.name for c in teaching.classes_taught(user=other)] == ["Elsewhere"]
    assert not teaching.classes_taught(user=student).exists()
    for person, expected in [(classroom.instructor, True), (assistant, True),
                             (other, False), (student, False)]:
        assert teaching.teaches(user=person, classroom=classroom) is expected
        annotated = teaching.with_teaching(Classroom.objects, user=person).get(pk=classroom.pk)
        assert annotated.taught is expected


def test_a_class_owned_and_co_taught_by_the_same_person_is_listed_once(lecture):
    classroom, _assistant = lecture
    # An admin slip: the owner also added as a co-instructor.
    ClassroomInstructor.objects.create(classroom=classroom, user=classroom.instructor)
    assert teaching.classes_taught(user=classroom.instructor).count() == 1
    listed = classrooms.classrooms_taught(instructor=classroom.instructor)
    assert [c.pk for c in listed] == [classroom.pk]


def test_adding_a_co_instructor_twice_keeps_one_row_with_the_latest_role(lecture):
    classroom, _assistant = lecture
    person = factories.InstructorFactory()
    teaching.add_co_instructor(classroom=classroom, user=person, role="assistant")
    teaching.add_co_instructor(classroom=classroom, user=person, role="instructor")
    assert ClassroomInstructor.objects.get(classroom=classroom, user=person).role == "instructor"
    assert teaching.add_co_instructor(
        classroom=classroom, user=classroom.instructor, role="instructor"
    ) is None  # the owner needs no row
    names = [(t.user, t.role) for t in teaching.instructors_of(classroom=classroom)]
    assert names[0] == (classroom.instructor, "Owner")
    assert (person, "Instructor") in names


def test_a_co_instructor_cannot_join_their_class_as_a_student(lecture):
    classroom, assistant = lecture
    with pytest.raises(classrooms.ClassroomError, match="You teach this class"):
        classrooms.join_classroom(student=assistant, code=classroom.join_code)
    assert not classroom.enrollments.exists()


def test_the_class_list_shows_co_taught_classes_with_their_counts(lecture):
    classroom, assistant = lecture
    factories.EnrollmentFactory(classroom=classroom)
    (listed,) = classrooms.classrooms_taught(instructor=assistant)
    assert (listed.pk, listed.student_count) == (classroom.pk, 1)
