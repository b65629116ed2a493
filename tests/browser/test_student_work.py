"""The instructor's page for one student's work and an attempt's review, in a browser:
reached from the results table, an override saved for a group and shown on the results
page, the attempt reset, with axe at 0 violations on each page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.classes import assignments as services
from quizzes.models import Attempt
from quizzes.practice import attempts as engine
from tests import factories
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_instructor_overrides_resets_and_reviews_from_the_results_table(
    page, axe, instructor, student, other_student
):
    lesson = factories.LessonFactory(title="The border", slug="the-border")
    questions = [
        factories.QuestionFactory(kind="mcq", lesson=lesson, prompt=f"Border question {n}?")
        for n in range(2)
    ]
    classroom = factories.ClassroomFactory(instructor=instructor, name="Korea seminar")
    for someone in (student, other_student):
        factories.EnrollmentFactory(classroom=classroom, student=someone)
    now = timezone.now()
    assignment = factories.AssignmentFactory(
        classroom=classroom, title="Border quiz", questions=questions, question_count=2,
        time_limit_minutes=10, opens_at=now - datetime.timedelta(hours=1),
        due_at=now + datetime.timedelta(days=1),
    )
    attempt = services.start_assignment_attempt(assignment=assignment, student=student)
    for response in attempt.responses.select_related("question"):
        token = engine.option_token(attempt=attempt, response_id=response.pk, key="k0")
        engine.answer_question(attempt=attempt, position=response.position, data={"choice": token})

    sign_in(page, instructor.username)
    page.goto(f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/")
    page.get_by_role("link", name=re.compile(rf"{student.username}'s attempt 1")).click()
    expect(page.get_by_role("heading", name=re.compile("attempt 1 at Border quiz"))).to_be_visible()
    expect(page.get_by_text("As version 1 of this question asked it.").first).to_be_visible()
    axe(page, "an attempt's review, for the instructor")

    page.get_by_role("link", name=student.username, exact=True).click()
    expect(page.get_by_role("heading", name=f"{student.username} on Border quiz")).to_be_visible()
    axe(page, "one student's work")
    page.get_by_label("Time limit (minutes)").fill("25")
    page.get_by_label(other_student.username).check()
    page.get_by_role("button", name="Save the override").click()
    expect(page.get_by_text(re.compile("Override saved for"))).to_be_visible()
    axe(page, "one student's work, override saved")
    page.get_by_role("button", name="Reset attempt 1").click()
    expect(page.get_by_text(re.compile("Attempt 1 deleted"))).to_be_visible()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()

    page.goto(f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/")
    expect(page.get_by_text("(override: 25 min)")).to_have_count(2)
    axe(page, "results with overrides")
