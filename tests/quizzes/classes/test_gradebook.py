"""The gradebook CSV: streamed, right, safe to open in a spreadsheet, flat in queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from quizzes.classes import assignments as services
from quizzes.classes.gradebook import HEADER, csv_safe, gradebook_rows
from quizzes.models import Assignment
from quizzes.practice import attempts as engine
from tests import factories

T0 = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)



@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("sam", "sam"), (87, "87"), (None, ""), ("a=b", "a=b"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_defused(value, safe):
    assert csv_safe(value) == safe


def answer_all(attempt, now, right):
    for response in attempt.responses.select_related("question"):
        question = response.question
        keys = [o["key"] for o in question.body["options"]]
        right_key = question.answer["key"]
        key = right_key if right else next(k for k in keys if k != right_key)
        token = engine.option_token(attempt=attempt, response_id=response.pk, key=key)
        engine.answer_question(
            attempt=attempt, position=response.position, data={"choice": token}, now=now
        )


@pytest.fixture
def gradebook_class(db):
    world = factories.class_world(students=0, kinds=("mcq",))
    classroom = world["classroom"]
    students = {
        name: factories.EnrollmentFactory(
            classroom=classroom, student=factories.UserFactory(username=name)
        ).student
        for name in ("amy", "=cmd", "zed")
    }
    quiz = factories.AssignmentFactory(
        classroom=classroom, title="Quiz one", lessons=[world["lesson"]], question_count=2,
        opens_at=T0, due_at=T0 + datetime.timedelta(days=1), attempts_allowed=2,
    )
    review = factories.AssignmentFactory(
        classroom=classroom, title="-Review", kind=Assignment.Kind.REVIEW,
        lessons=[world["lesson"]], opens_at=T0, due_at=T0 + datetime.timedelta(days=2),
    )
    amy = services.start_assignment_attempt(assignment=quiz, student=students["amy"], now=T0)
    answer_all(amy, T0 + datetime.timedelta(minutes=5), right=True)
    cmd = services.start_assignment_attempt(assignment=quiz, student=students["=cmd"], now=T0)
    with pytest.raises(engine.DeadlinePassed):  # after the due date: handed in, empty
        answer_all(cmd, T0 + datetime.timedelta(days=1, minutes=1), right=False)
    return {"classroom": classroom, "quiz": quiz, "review": review, "students": students}


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_student_per_assignment_with_the_counted_result(gradebook_class):
    now = T0 + datetime.timedelta(days=3)
    rows = list(gradebook_rows(classroom=gradebook_class["classroom"], now=now,
                               tz=datetime.UTC))
    assert rows[0] == HEADER == [
        "student", "assignment", "score %", "status", "attempts", "submitted at"
    ]
    assert rows[1:] == [
        ["'=cmd", "Quiz one", "0", "submitted", "1", "2030-03-02T09:00+00:00"],
        ["'=cmd", "'-Review", "0", "below target", "", ""],
        ["amy", "Quiz one", "100", "submitted", "1", "2030-03-01T09:05+00:00"],
        ["amy", "'-Review", "0", "below target", "", ""],
        ["zed", "Quiz one", "", "missed", "0", ""],
        ["zed", "'-Review", "0", "below target", "", ""],
    ]


def test_chunks_do_not_lose_or_repeat_rows(gradebook_class):
    rows = list(gradebook_rows(classroom=gradebook_class["classroom"], chunk_size=2))
    assert [row[0] for row in rows[1:]] == ["'=cmd", "'=cmd", "amy", "amy", "zed", "zed"]


def test_the_download_streams_csv(client, gradebook_class):
    client.force_login(gradebook_class["classroom"].instructor)
    response = client.get(f"/classes/{gradebook_class['classroom'].pk}/gradebook.csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = read_csv(b"".join(response.streaming_content).decode())
    assert rows[0] == HEADER and len(rows) == 7
    assert rows[1][0] == "'=cmd"


def consume_counting(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content)
    return len(queries), body


def test_queries_do_not_grow_with_the_class(client, gradebook_class):
    classroom = gradebook_class["classroom"]
    client.force_login(classroom.instructor)
    url = f"/classes/{classroom.pk}/gradebook.csv"
    consume_counting(client, url)
    small, body = consume_counting(client, url)
    for _ in range(12):
        student = factories.EnrollmentFactory(classroom=classroom).student
        attempt = services.start_assignment_attempt(
            assignment=gradebook_class["quiz"], student=student, now=T0
        )
        engine.finish_attempt(attempt=attempt, now=T0 + datetime.timedelta(minutes=1))
    large, bigger = consume_counting(client, url)
    assert len(read_csv(bigger.decode())) == 1 + 2 * 15
    assert large == small <= 10
