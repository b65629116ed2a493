"""The instructor's story in a browser: create a class and an assignment, two students join
by code and take it, the results arrive in the polled table while the instructor watches,
the item analysis names the wrong answer they chose, and the gradebook downloads as CSV.
axe checks every page on the way."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Classroom, Response
from tests import factories
from tests.conftest import _new_page, open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Border quiz"
QUESTIONS = 3


@pytest.fixture
def bank(db):
    """One lesson whose bank holds four multiple-choice questions (Yalu River is right)."""
    lesson = factories.LessonFactory(title="The border", slug="the-border")
    for n in range(4):
        factories.QuestionFactory(
            kind="mcq", lesson=lesson, prompt=f"Border question {n + 1}: which river?"
        )
    return lesson


@pytest.fixture
def second_page(browser, live_server):
    pages = []

    def make(**options):
        context, page = _new_page(
            browser, live_server, viewport={"width": 360, "height": 800}, **options
        )
        pages.append((context, page))
        return page

    yield make
    for context, page in pages:
        context.close()
        assert not page.js_errors, f"JavaScript errors or CSP violations: {page.js_errors}"


def right_and_wrong(username, position):
    attempt = Attempt.objects.filter(user__username=username).order_by("-pk").first()
    question = Response.objects.select_related("question").get(
        attempt=attempt, position=position
    ).question
    texts = {o["key"]: o["text"] for o in question.body["options"]}
    return texts[question.answer["key"]], "Han River"


def take_assignment(page, axe, username, *, right):
    """Answer every question on the quiz engine's page, hand in, land on its results."""
    for position in range(QUESTIONS):
        expect(page.get_by_role("button", name="Check answer")).to_be_visible()
        if position == 0:
            axe(page, f"{username}: a question")
        right_text, wrong_text = right_and_wrong(username, position)
        page.get_by_label(right_text if right else wrong_text, exact=True).check()
        page.get_by_role("button", name="Check answer").click()
        verdict = page.get_by_role("heading", name=re.compile(r"^(Right|Not quite)"))
        expect(verdict).to_be_visible()
        if position == 0:
            axe(page, f"{username}: feedback")
        page.locator("#question-card .actions a.button").click()
    # The last answer leads to the review before handing in; its button hands in.
    expect(page.get_by_role("heading", name="Review before handing in")).to_be_visible()
    page.get_by_role("button", name="Hand in").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/results/"))
    axe(page, f"{username}: attempt results")


def test_the_instructor_story(page, axe, second_page, instructor, student, other_student, bank):
    # The instructor makes a class.
    sign_in(page, instructor.username)
    open_menu(page)
    page.get_by_role("link", name="Classes", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Classes")).to_be_visible()
    axe(page, "instructor: classes")
    page.get_by_role("link", name="New class").click()
    axe(page, "new class form")
    page.get_by_label("Class name").fill("Korea seminar")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", level=1, name="Korea seminar")).to_be_visible()
    axe(page, "class page, empty")
    code = page.locator(".join-code").inner_text().strip()
    assert code == Classroom.objects.get().join_code

    # ...and an assignment drawn from the lesson.
    page.get_by_role("link", name="New assignment").click()
    axe(page, "new assignment form")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The border").check()
    page.get_by_label("Number of questions").fill(str(QUESTIONS))
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    axe(page, "assignment, instructor view")

    # The instructor opens the live results and leaves them open.
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Results: {TITLE}")).to_be_visible()
    axe(page, "results, nobody yet")
    page.evaluate("window.stillTheSamePage = true")

    # Sam joins by typing the code, in lower case.
    sam = second_page()
    sign_in(sam, student.username)
    sam.goto("/classes/")
    axe(sam, "student: classes")
    sam.get_by_label("Join code").fill(code.lower())
    sam.get_by_role("button", name="Join").click()
    expect(sam.get_by_role("heading", level=1, name="Korea seminar")).to_be_visible()
    axe(sam, "student: class page")
    sam.get_by_role("button", name=f"Start {TITLE}").click()
    take_assignment(sam, axe, student.username, right=True)

    # The polled table picks Sam up without reloading the page.
    table = page.locator("#results-table")
    expect(table.get_by_role("row", name=re.compile(rf"{student.username}.*100%"))).to_be_visible(
        timeout=15_000
    )
    assert page.evaluate("window.stillTheSamePage") is True
    axe(page, "results, one student")

    # Olga follows the join link instead, and gets everything wrong.
    olga = second_page()
    sign_in(olga, other_student.username)
    olga.goto(f"/classes/join/{code}/")
    axe(olga, "join link")
    expect(olga.get_by_label("Join code")).to_have_value(code)  # named only once joined
    olga.get_by_role("button", name="Join", exact=True).click()
    expect(olga.get_by_text("You are in “Korea seminar”")).to_be_visible()
    open_menu(olga)
    olga.get_by_role("link", name="Classes", exact=True).click()
    expect(olga.get_by_role("heading", name="My assignments")).to_be_visible()
    olga.get_by_role("button", name=f"Start {TITLE}").click()
    take_assignment(olga, axe, other_student.username, right=False)
    olga.goto("/classes/")
    expect(olga.get_by_text("Handed in", exact=True)).to_be_visible()
    axe(olga, "student: my assignments, submitted")

    expect(
        table.get_by_role("row", name=re.compile(rf"{other_student.username}.*0%"))
    ).to_be_visible(timeout=15_000)
    expect(table.get_by_role("status")).to_contain_text("2 of 2 handed in")
    assert page.evaluate("window.stillTheSamePage") is True

    # The item analysis is read on a fresh load: each student drew their own three of the
    # four questions; Olga chose Han River on each of hers, and her questions come first.
    page.reload()
    analysis = page.get_by_role("region", name="Item analysis", exact=True)
    asked = Response.objects.filter(attempt__assignment__title=TITLE)
    expect(analysis.get_by_role("row")).to_have_count(
        1 + asked.values("question").distinct().count()
    )
    expect(analysis.get_by_text("Han River")).to_have_count(QUESTIONS)
    hardest = analysis.get_by_role("row").nth(1)
    expect(hardest).to_contain_text("Han River")
    expect(hardest.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^(0|50)%$"))
    axe(page, "results with item analysis")

    # The gradebook downloads as CSV.
    with page.expect_download() as download_info:
        # The link states the file's size in rows.
        size = re.compile(r"^Download the gradebook \(CSV, \d+ rows?\)")
        page.get_by_role("link", name=size).click()
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text())))
    assert rows[0] == ["student", "assignment", "score %", "status", "attempts", "submitted at"]
    assert rows[-1][0].startswith("# end of gradebook:")  # the file says it is whole
    by_student = {row[0]: row for row in rows[1:-1]}
    assert by_student[student.username][1:5] == [TITLE, "100", "handed in", "1"]
    assert by_student[other_student.username][1:5] == [TITLE, "0", "handed in", "1"]

    page.get_by_role("link", name="Korea seminar").first.click()
    expect(page.get_by_role("row", name=re.compile(student.username))).to_be_visible()
    axe(page, "class page with roster and mastery")


def test_without_javascript_the_results_are_a_plain_page_with_a_refresh_link(
    nojs_page, second_page, instructor, student, bank
):
    classroom = factories.ClassroomFactory(instructor=instructor, name="Plain class")
    factories.EnrollmentFactory(classroom=classroom, student=student)
    assignment = factories.AssignmentFactory(
        classroom=classroom, title="Plain quiz", lessons=[bank], question_count=2
    )
    sign_in(nojs_page, student.username)
    nojs_page.goto("/classes/")
    nojs_page.get_by_role("button", name="Start Plain quiz").click()
    expect(nojs_page).to_have_url(re.compile(r"/attempts/\d+/$"))

    teacher = second_page(java_script_enabled=False)
    sign_in(teacher, instructor.username)
    teacher.goto(f"/classes/{classroom.pk}/assignments/{assignment.pk}/results/")
    row = teacher.get_by_role("row", name=re.compile(f"{student.username}.*In progress"))
    expect(row).to_be_visible()
    teacher.get_by_role("link", name="Refresh").click()
    expect(teacher.get_by_role("heading", level=1, name="Results: Plain quiz")).to_be_visible()


GIFT = """$CATEGORY: The border

::Rivers:: Which river marks much of the border? {
=Yalu River
~Han River
~Mekong River
}

The armistice was signed in 1953. {TRUE}

A broken one {=a =b ~c}
"""


def test_the_question_bank_write_import_and_hide(page, axe, instructor, bank):
    sign_in(page, instructor.username)
    page.goto("/classes/bank/")
    axe(page, "bank")
    page.get_by_role("link", name="Write a question").click()
    axe(page, "choose a type")
    page.get_by_role("link", name="Fill in the blank").click()
    axe(page, "cloze form")
    page.get_by_label("Question").fill("The border city on the Chinese side is _____.")
    page.get_by_label(re.compile(r"^Answer:?$")).fill("Dandong")
    page.get_by_role("button", name="Add question").click()
    question_heading = page.get_by_role("heading", level=1, name=re.compile(r"^Question #\d+$"))
    expect(question_heading).to_be_visible()
    expect(page.get_by_text("Answer: Dandong")).to_be_visible()
    axe(page, "question page")
    page.get_by_role("button", name="Hide from my assignments").click()
    expect(page.get_by_text("hidden from your assignments", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Unhide")).to_be_visible()

    page.goto("/classes/bank/import/")
    axe(page, "import form")
    page.get_by_label("Or paste GIFT text").fill(GIFT)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("nothing can be imported")).to_be_visible()
    expect(page.get_by_text("Line 11:")).to_be_visible()
    axe(page, "import preview with problems")

    page.get_by_label("Or paste GIFT text").fill(GIFT.split("A broken one")[0])
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("2 questions ready to import")).to_be_visible()
    axe(page, "import preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 2 questions.")
    expect(page.get_by_text("3 questions.")).to_be_visible()  # mine: one written, two imported
    axe(page, "bank, my questions")
