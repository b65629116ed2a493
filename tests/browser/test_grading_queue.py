"""The grading queue in a browser, by keyboard alone: an instructor marks a class's written
answers (a mark and a comment each, "Save and next"), then each student sees their mark and
the comment on their results. axe checks every page, with JavaScript on and off."""

import pytest
from playwright.sync_api import expect

from quizzes.classes.assignments import start_assignment_attempt
from quizzes.models import Response
from quizzes.practice.attempts import answer_question
from tests import factories
from tests.conftest import _new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "sam": "China kept a buffer state on its border, whatever the war cost.",
    "olga": "Beijing feared an American army on the Yalu.",
}
MARKS = {"sam": ("3", "Full marks: the buffer and the cost."), "olga": ("1.5", "Say what it cost.")}


@pytest.fixture
def written_class(instructor, student, other_student):
    classroom = factories.ClassroomFactory(instructor=instructor, name="Korea 101")
    essay = factories.QuestionFactory(kind="essay")
    assignment = factories.AssignmentFactory(
        classroom=classroom, title="Week 2 essay", question_count=1, questions=[essay]
    )
    attempts = {}
    for user in (student, other_student):
        factories.EnrollmentFactory(classroom=classroom, student=user)
        attempt = start_assignment_attempt(assignment=assignment, student=user)
        answer_question(attempt=attempt, position=0, data={"written": ANSWERS[user.username]})
        attempts[user.username] = attempt
    return {"assignment": assignment, "attempts": attempts}


def mark_by_keyboard(page, username):
    """The page's focus starts in the first answer's mark: type it, Tab to the comment,
    Tab to "Save and next", Enter."""
    form = page.locator("form.mark-form").first
    expect(form.get_by_text(ANSWERS[username])).to_be_visible()
    mark, comment = MARKS[username]
    expect(form.get_by_label("Mark, from 0 to 3")).to_be_focused()
    page.keyboard.type(mark)
    page.keyboard.press("Tab")
    expect(form.get_by_label("Comment for the student")).to_be_focused()
    page.keyboard.type(comment)
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Save and next")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_instructor_marks_the_class_by_keyboard_and_students_see_mark_and_comment(
    page, nojs_page, browser, live_server, axe, instructor, written_class, javascript
):
    page = page if javascript else nojs_page
    sign_in(page, instructor.username)
    page.goto("/classes/grading/")
    expect(page.get_by_role("heading", name="Written answers to mark")).to_be_visible()
    axe(page, "grading queue")
    page.get_by_role("link", name="Week 2 essay").click()
    expect(page.get_by_text("2 written answers awaiting a mark")).to_be_visible()
    # The first answer's mark has the focus; one Shift+Tab back is the folded model answer
    # and rubric, which Enter opens; Tab returns to the mark.
    first_mark = page.locator("form.mark-form").first.get_by_label("Mark, from 0 to 3")
    expect(first_mark).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Names the buffer on China's border").first).to_be_visible()
    page.keyboard.press("Tab")
    axe(page, "an assignment's answers to mark")

    order = sorted(ANSWERS)  # the queue lists students by username: olga, then sam
    mark_by_keyboard(page, order[0])
    expect(page.get_by_role("heading", name="Mark a written answer")).to_be_visible()
    axe(page, "the next answer, after save and next")
    mark_by_keyboard(page, order[1])
    expect(page.get_by_text("Nothing is waiting for a mark here.")).to_be_visible()
    axe(page, "the queue, emptied")

    for username, (mark, comment) in MARKS.items():
        saved = Response.objects.get(attempt=written_class["attempts"][username])
        assert (saved.mark, saved.mark_comment) == (float(mark), comment)
        context, student_page = _new_page(
            browser, live_server, java_script_enabled=javascript,
            viewport={"width": 360, "height": 800},
        )
        student_page.javascript_enabled = javascript
        try:
            sign_in(student_page, username)
            student_page.goto(f"/attempts/{written_class['attempts'][username].pk}/results/")
            shown = mark.removesuffix(".0")
            expect(student_page.get_by_text(f"Mark: {shown} of 3")).to_be_visible()
            expect(student_page.get_by_text(comment)).to_be_visible()
            axe(student_page, f"{username}'s results with the mark")
        finally:
            context.close()
