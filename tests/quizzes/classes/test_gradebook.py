"""The gradebook CSV: streamed, right, safe to open in a spreadsheet, flat in queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from quizzes.classes import assignments as services
from quizzes.classes.gradebook import (
    HEADER,
    complete_row_count,
    csv_safe,
    gradebook_csv,
    gradebook_rows,
)
from quizzes.models import Assignment, GradebookExport
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
        ["'=cmd", "Quiz one", "0", "timed out", "1", "2030-03-02T09:00+00:00"],
        ["'=cmd", "'-Review", "0", "below target", "", ""],
        ["amy", "Quiz one", "100", "handed in", "1", "2030-03-01T09:05+00:00"],
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
    assert rows[0] == HEADER and len(rows) == 8
    assert rows[1][0] == "'=cmd"
    assert rows[-1] == ["# end of gradebook: 6 rows"]


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
    assert len(read_csv(bigger.decode())) == 1 + 2 * 15 + 1  # header, rows, end line
    assert large == small <= 11  # with the students' overrides


# --- a file that cannot be mistaken for complete --------------------------------------------


def test_a_cut_stream_is_told_apart_from_a_complete_one_by_its_own_last_line(
    client, gradebook_class
):
    classroom = gradebook_class["classroom"]
    client.force_login(classroom.instructor)
    response = client.get(f"/classes/{classroom.pk}/gradebook.csv")
    chunks = [chunk.decode() for chunk in response.streaming_content]
    whole = "".join(chunks)

    assert complete_row_count(whole) == 6
    assert whole.splitlines()[-1] == "# end of gradebook: 6 rows"
    # Cut by a dropped connection after any line, on a row boundary as the issue saw: the
    # file's own last line is then a grade row (or the header), never the end line.
    for cut in range(1, len(chunks)):
        partial = "".join(chunks[:cut])
        assert partial.endswith("\n")  # a clean row boundary, as a cut would leave it
        assert complete_row_count(partial) is None
        assert not partial.splitlines()[-1].startswith("# end of gradebook")
    # A forged or mangled count is not complete either.
    assert complete_row_count(whole.replace("6 rows", "7 rows")) is None


def test_the_class_page_states_the_gradebooks_size(client, gradebook_class):
    classroom = gradebook_class["classroom"]
    client.force_login(classroom.instructor)
    page = client.get(f"/classes/{classroom.pk}/")
    assert "Download the gradebook (CSV, 6 rows)" in page.content.decode()


def test_a_class_too_large_to_stream_gets_its_file_built_in_the_background(
    client, gradebook_class, settings, django_capture_on_commit_callbacks
):
    settings.GRADEBOOK_STREAM_ROWS = 5  # this class has 6 rows: "too large"
    classroom = gradebook_class["classroom"]
    client.force_login(classroom.instructor)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "Build the gradebook file (6 rows)" in page

    # The immediate backend (development and tests) builds it within the request.
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/classes/{classroom.pk}/gradebook/export/")
    assert reply.status_code == 302
    export = GradebookExport.objects.get()
    assert export.status == GradebookExport.Status.READY and export.rows == 6
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "Download the gradebook (CSV, 6 rows" in page

    download = client.get(f"/classes/{classroom.pk}/gradebook/export/{export.pk}.csv")
    assert download.status_code == 200
    assert int(download["Content-Length"]) == len(download.content)
    assert complete_row_count(download.content.decode()) == 6
    # Another instructor cannot have it.
    client.force_login(factories.InstructorFactory())
    other = client.get(f"/classes/{classroom.pk}/gradebook/export/{export.pk}.csv")
    assert other.status_code == 404


@pytest.fixture
def no_content_resync(monkeypatch):
    # With real commits, each factory's content save would resync the bank at once.
    monkeypatch.setattr("quizzes.signals.resync_question_bank", lambda: None)


# Real commits: the worker, like a real one, checks its connection between tasks.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_worker_builds_the_file(
    no_content_resync, client, gradebook_class, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.GRADEBOOK_STREAM_ROWS = 5
    classroom = gradebook_class["classroom"]
    client.force_login(classroom.instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/classes/{classroom.pk}/gradebook/export/")
    export = GradebookExport.objects.get()
    assert export.status == GradebookExport.Status.QUEUED  # waiting for a worker
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "is being built" in page
    # Asking again while it waits queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/classes/{classroom.pk}/gradebook/export/")
    assert GradebookExport.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    export.refresh_from_db()
    assert export.status == GradebookExport.Status.READY and export.rows == 6
    assert complete_row_count(export.content) == 6
    assert export.content == "".join(gradebook_csv(classroom=classroom, tz=datetime.UTC))
