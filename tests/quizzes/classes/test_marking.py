"""Written answers in an assignment: awaiting grading until the instructor marks them from the
grading queue; marks count in the score and item analysis once given; the student sees the
mark and comment when the feedback setting allows; a description counts nowhere."""


import pytest
from django.utils import timezone

from quizzes.classes import marking
from quizzes.classes import results as result_services
from quizzes.classes.assignments import start_assignment_attempt
from quizzes.classes.status import AWAITING_GRADING, Status, my_assignments
from quizzes.common.signals import scores_changed
from quizzes.models import Assignment, Question, Response
from quizzes.practice import attempts as engine
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = factories.class_world(students=3, questions_per_kind=1, kinds=("mcq",))
    lesson = world["lesson"]
    description = factories.QuestionFactory(kind="desc", lesson=lesson)
    essay = factories.QuestionFactory(kind="essay", lesson=lesson)
    assignment = factories.AssignmentFactory(
        classroom=world["classroom"], title="Week 2 essay", question_count=3,
        questions=[description, essay, world["questions"][0]],
    )
    return {**world, "assignment": assignment, "essay": essay, "description": description}


def hand_in(world, student, *, text="A buffer state on China's border.", right=True):
    """Read the description, write the essay, answer the choice question: hands it in."""
    attempt = start_assignment_attempt(assignment=world["assignment"], student=student)
    for response in attempt.responses.select_related("question").order_by("position"):
        kind = response.question.kind
        if kind == "desc":
            data = {}
        elif kind == "essay":
            data = {"written": text}
        else:
            key = response.question.answer["key"] if right else next(
                o["key"] for o in response.question.body["options"]
                if o["key"] != response.question.answer["key"]
            )
            token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
            data = {"choice": token}
        engine.answer_question(attempt=attempt, position=response.position, data=data)
    attempt.refresh_from_db()
    return attempt


def essay_response(attempt):
    return attempt.responses.get(question__kind="essay")


def test_a_description_counts_in_no_score_and_the_essay_waits_for_its_mark(world):
    student = world["students"][0]
    attempt = hand_in(world, student)
    assert attempt.is_finished and attempt.question_count == 2, "the description is not counted"
    assert attempt.score == 1.0 and attempt.percent == 50, "the essay counts nothing yet"
    essay = essay_response(attempt)
    assert essay.credit is None and essay.is_correct is None and essay.marked_at is None
    (row,) = my_assignments(student=student)
    assert row.status == AWAITING_GRADING and row.status_label == "Awaiting grading"
    results = result_services.assignment_results(assignment=world["assignment"])
    by_student = {r.student.pk: r for r in results.rows}
    assert by_student[student.pk].status == AWAITING_GRADING
    assert by_student[world["students"][1].pk].status == Status.NOT_STARTED


def test_marking_counts_the_mark_in_the_score_and_sends_scores_changed(
    world, django_capture_on_commit_callbacks
):
    student = world["students"][0]
    attempt = hand_in(world, student)
    sent = []

    def receiver(**kwargs):
        sent.append((kwargs["assignment_id"], kwargs["student_ids"]))

    scores_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            marked = marking.mark_answer(
                instructor=world["instructor"], response_id=essay_response(attempt).pk,
                mark="1.5", comment="Good on the buffer; say more about the cost.",
            )
    finally:
        scores_changed.disconnect(receiver)
    assert marked.mark == 1.5 and marked.credit == pytest.approx(0.5)  # 1.5 of 3 points
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(1.5) and attempt.percent == 75
    assert sent == [(world["assignment"].pk, [student.pk])]
    (row,) = my_assignments(student=student)
    assert row.status == Status.HANDED_IN


def test_a_mark_outside_the_rubric_or_a_comment_too_long_changes_nothing(world):
    attempt = hand_in(world, world["students"][0])
    essay = essay_response(attempt)
    for mark, comment, message in (
        ("4", "", "Give a mark from 0 to 3."),
        ("-1", "", "Give a mark from 0 to 3."),
        ("nan", "", "Give a mark from 0 to 3."),
        ("two", "", "Give a mark from 0 to 3."),
        ("1.25", "", "Give the mark in whole or half points."),
        ("1", "x" * 2001, "A comment is at most 2000 characters."),
    ):
        with pytest.raises(marking.MarkRefused, match=message):
            marking.mark_answer(
                instructor=world["instructor"], response_id=essay.pk, mark=mark, comment=comment
            )
    essay.refresh_from_db()
    assert essay.marked_at is None and essay.credit is None


def test_a_second_marker_working_from_the_same_form_is_told_not_silently_overwritten(world):
    attempt = hand_in(world, world["students"][0])
    essay = essay_response(attempt)
    marking.mark_answer(instructor=world["instructor"], response_id=essay.pk, mark="3",
                        comment="Full marks.", seen_marked_at=None)
    with pytest.raises(marking.MarkedMeanwhile):
        marking.mark_answer(instructor=world["instructor"], response_id=essay.pk, mark="0",
                            comment="", seen_marked_at=None)
    essay.refresh_from_db()
    assert (essay.mark, essay.mark_comment) == (3.0, "Full marks.")
    # Re-marking from a form that saw that mark is fine.
    marking.mark_answer(instructor=world["instructor"], response_id=essay.pk, mark="2",
                        seen_marked_at=essay.marked_at)
    essay.refresh_from_db()
    assert essay.mark == 2.0


def test_another_instructors_answer_does_not_exist_for_them(world):
    attempt = hand_in(world, world["students"][0])
    stranger = factories.InstructorFactory()
    with pytest.raises(marking.NotYourAnswer):
        marking.mark_answer(instructor=stranger, response_id=essay_response(attempt).pk, mark="1")
    assert marking.queue_overview(instructor=stranger) == []
    choice = attempt.responses.get(question__kind="mcq")
    with pytest.raises(marking.NotYourAnswer):  # only written answers are marked
        marking.marked_answer(instructor=world["instructor"], response_id=choice.pk)


def test_the_queue_lists_waiting_answers_by_assignment_and_question(world):
    for student in world["students"][:2]:
        hand_in(world, student)
    (queue,) = marking.queue_overview(instructor=world["instructor"])
    assert (queue.title, queue.waiting) == ("Week 2 essay", 2)
    assert [(q.question_id, q.waiting) for q in queue.questions] == [(world["essay"].pk, 2)]
    waiting = marking.answers_to_mark(
        instructor=world["instructor"], assignment=world["assignment"]
    )
    assert [r.attempt.user for r in waiting] == sorted(
        world["students"][:2], key=lambda u: u.username
    )
    marking.mark_answer(instructor=world["instructor"], response_id=waiting[0].pk, mark="3")
    assert marking.queue_overview(instructor=world["instructor"])[0].waiting == 1


def test_item_analysis_counts_written_answers_once_marked_and_never_a_description(world):
    attempts = [hand_in(world, s, right=i != 2) for i, s in enumerate(world["students"])]
    analysed = lambda: {  # noqa: E731
        q.kind: item for q, item in result_services.assignment_item_analysis(
            results=result_services.assignment_results(assignment=world["assignment"])
        )
    }
    assert set(analysed()) == {"mcq"}, "unmarked essays and the description are left out"
    for attempt, mark in zip(attempts, ("3", "3", "1"), strict=True):
        marking.mark_answer(
            instructor=world["instructor"], response_id=essay_response(attempt).pk, mark=mark
        )
    stats = analysed()
    assert set(stats) == {"mcq", "essay"}
    assert (stats["essay"].seen, stats["essay"].right) == (3, 2)


# --- through the pages -----------------------------------------------------------------------


def test_the_instructor_marks_from_the_queue_and_the_student_sees_mark_and_comment(
    client, world
):
    student = world["students"][0]
    attempt = hand_in(world, student)
    essay = essay_response(attempt)
    client.force_login(world["instructor"])
    queue = client.get("/classes/grading/").content.decode()
    assert "Week 2 essay" in queue and "1 awaiting" in queue
    page = client.get(f"/classes/grading/{world['assignment'].pk}/").content.decode()
    assert "A buffer state on China&#x27;s border." in page
    assert "Names the buffer on China&#x27;s border" in page, "the rubric is beside the answer"
    refused = client.post(f"/classes/grading/answers/{essay.pk}/", {"mark": "9", "seen": ""})
    assert refused.status_code == 400 and "Give a mark from 0 to 3." in refused.content.decode()
    saved = client.post(
        f"/classes/grading/answers/{essay.pk}/",
        {"mark": "2", "comment": "Say what it cost.", "seen": "", "then": "next"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"/classes/grading/{world['assignment'].pk}/"  # none left
    again = client.post(f"/classes/grading/answers/{essay.pk}/", {"mark": "0", "seen": ""})
    assert again.status_code == 409 and "marked by someone else" in again.content.decode()

    client.force_login(student)
    results = client.get(f"/attempts/{attempt.pk}/results/").content.decode()
    assert "Mark: <strong>2 of 3</strong>" in results and "Say what it cost." in results
    feedback = client.get(f"/attempts/{attempt.pk}/?feedback={essay.position}").content.decode()
    assert "Say what it cost." in feedback


def test_delayed_feedback_keeps_the_mark_and_comment_back(client, world):
    assignment = world["assignment"]
    assignment.feedback_timing = Assignment.FeedbackTiming.DUE
    assignment.save()
    student = world["students"][0]
    attempt = hand_in(world, student)
    marking.mark_answer(instructor=world["instructor"], response_id=essay_response(attempt).pk,
                        mark="2", comment="Say what it cost.")
    client.force_login(student)
    results = f"/attempts/{attempt.pk}/results/"
    assert "Say what it cost." not in client.get(results).content.decode()
    Assignment.objects.filter(pk=assignment.pk).update(feedback_released_at=timezone.now())
    assert "Say what it cost." in client.get(results).content.decode()


def test_another_instructors_queue_pages_are_404(client, world):
    attempt = hand_in(world, world["students"][0])
    client.force_login(factories.InstructorFactory())
    assert client.get(f"/classes/grading/{world['assignment'].pk}/").status_code == 404
    assert client.get(f"/classes/grading/answers/{essay_response(attempt).pk}/").status_code == 404
    posted = client.post(f"/classes/grading/answers/{essay_response(attempt).pk}/", {"mark": "1"})
    assert posted.status_code == 404
    assert Response.objects.get(pk=essay_response(attempt).pk).marked_at is None



def test_an_instructor_writes_a_written_answer_question_with_a_rubric(client, instructor):
    client.force_login(instructor)
    form = {
        "prompt": "Explain why Beijing kept the 1961 treaty.",
        "model_answer": "A buffer state mattered more than the cost.",
        "criterion_1": "Names the buffer", "points_1": "2",
        "criterion_2": "Weighs the cost",
    }
    assert client.post("/classes/bank/new/essay/", form).status_code == 302
    question = Question.objects.get(author=instructor)
    assert [(c["text"], c["points"]) for c in question.answer["rubric"]] == [
        ("Names the buffer", 2), ("Weighs the cost", 1)
    ]
    page = client.get(f"/classes/bank/{question.pk}/").content.decode()
    assert "Names the buffer (2 points)" in page and "A buffer state mattered" in page
    for bad, message in (
        ({"criterion_1": "", "points_1": "", "criterion_2": ""}, "This field is required."),
        ({"points_1": "21"}, "less than or equal to 20"),
        ({"criterion_2": "", "points_3": "2"}, "These points have no criterion."),
    ):
        refused = client.post("/classes/bank/new/essay/", {**form, **bad})
        assert refused.status_code == 400 and message in refused.content.decode(), bad
    assert Question.objects.filter(author=instructor).count() == 1
    assert client.post("/classes/bank/new/desc/", {"prompt": "Read this first."}).status_code == 302
    assert Question.objects.get(author=instructor, kind="desc").answer == {}
