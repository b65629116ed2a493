"""Classes, enrolments and assignments."""

import datetime

import factory
from django.utils import timezone

from quizzes.models import (
    Assignment,
    Classroom,
    ClassroomInstructor,
    Enrollment,
    HiddenQuestion,
)
from tests.factories.content import InstructorFactory, UserFactory

__all__ = [
    "AssignmentFactory",
    "ClassroomFactory",
    "CoInstructorFactory",
    "EnrollmentFactory",
    "HiddenQuestionFactory",
    "class_world",
]


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    instructor = factory.SubFactory(InstructorFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    # Valid codes from the join-code alphabet, distinct per factory call.
    join_code = factory.Sequence(
        lambda n: "T" + "".join("ABCDEFGHJK"[int(d)] for d in f"{n:05d}")
    )


class CoInstructorFactory(factory.django.DjangoModelFactory):
    """Someone who teaches the class besides its owner."""

    class Meta:
        model = ClassroomInstructor

    classroom = factory.SubFactory(ClassroomFactory)
    user = factory.SubFactory(InstructorFactory)
    role = ClassroomInstructor.Role.INSTRUCTOR


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A quiz that opened an hour ago and is due in a week."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    kind = Assignment.Kind.QUIZ
    question_kinds = factory.LazyFunction(lambda: ["mcq"])
    question_count = 3
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    @factory.post_generation
    def lessons(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lessons.set(extracted)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.questions.set(extracted)


class HiddenQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HiddenQuestion

    instructor = factory.SubFactory(InstructorFactory)
    question = factory.SubFactory("tests.factories.quiz.QuestionFactory")


def class_world(*, students: int = 2, questions_per_kind: int = 4, kinds=("mcq", "tf")):
    """An instructor's class with enrolled students and a lesson whose bank has questions of
    the given kinds. Returns a dict: instructor, classroom, students, lesson, questions."""
    from tests.factories.content import LessonFactory
    from tests.factories.quiz import QuestionFactory

    classroom = ClassroomFactory()
    lesson = LessonFactory()
    questions = [
        QuestionFactory(kind=kind, lesson=lesson, prompt=f"{kind} question {i} of {lesson.title}")
        for kind in kinds
        for i in range(questions_per_kind)
    ]
    enrolled = [EnrollmentFactory(classroom=classroom).student for _ in range(students)]
    return {
        "instructor": classroom.instructor,
        "classroom": classroom,
        "students": enrolled,
        "lesson": lesson,
        "questions": questions,
    }
