"""The gradebook by student: a row per student (name and username), a column per assignment
with quiz scores and review targets apart, UTF-8 with a byte-order mark, streamed flat."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.classes import assignments as services
from quizzes.classes.gradebook import complete_row_count
from quizzes.classes.gradebook_wide import wide_gradebook_rows
from quizzes.models import Assignment
from quizzes.practice import attempts as engine
from tests import factories
from tests.quizzes.classes.test_gradebook import T0, answer_all


@pytest.fixture
def wide_class(db):
    world = factories.class_world(students=0, kinds=("mcq",))
    classroom = world["classroom"]
    people = {}
    for username, first, last in (
        ("zoe", "Zoë", "Müller"), ("=cmd", "", ""), ("amy", "Amy", "Li"),
    ):
        people[username] = factories.EnrollmentFactory(
            classroom=classroom,
            student=factories.UserFactory(username=username, first_name=first, last_name=last),
        ).student
    # Due first, but a review: it still comes after every quiz.
    review = factories.AssignmentFactory(
        classroom=classroom, title="Cards week 1", kind=Assignment.Kind.REVIEW,
        lessons=[world["lesson"]], opens_at=T0, due_at=T0 + datetime.timedelta(hours=12),
    )
    first = factories.AssignmentFactory(
        classroom=classroom, title="Quiz one", lessons=[world["lesson"]], question_count=2,
        opens_at=T0, due_at=T0 + datetime.timedelta(days=1),
    )
    second = factories.AssignmentFactory(
        classroom=classroom, title="Quiz two", lessons=[world["lesson"]], question_count=2,
        opens_at=T0, due_at=T0 + datetime.timedelta(days=2),
    )
    zoe = services.start_assignment_attempt(assignment=first, student=people["zoe"], now=T0)
    answer_all(zoe, T0 + datetime.timedelta(minutes=5), right=True)
    amy = services.start_assignment_attempt(assignment=second, student=people["amy"], now=T0)
    answer_all(amy, T0 + datetime.timedelta(minutes=5), right=False)
    return {"classroom": classroom, "people": people, "quizzes": [first, second],
            "review": review}


def _download(client, classroom):
    client.force_login(classroom.instructor)
    response = client.get(reverse("quizzes:class_gradebook_wide", args=[classroom.pk]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def test_a_spreadsheet_reads_the_wide_file_with_accents_intact(client, wide_class):
    response, body = _download(client, wide_class["classroom"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "gradebook-by-student.csv" in response["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "student name", "username", "Quiz one: score %", "Quiz two: score %",
        "Cards week 1: cards at target %",
    ]
    assert rows[1:-1] == [
        ["", "'=cmd", "", "", "0"],
        ["Amy Li", "amy", "", "0", "0"],
        ["Zoë Müller", "zoe", "100", "", "0"],
    ]
    assert rows[-1] == ["# end of gradebook: 3 rows"]
    assert complete_row_count(text) == 3


def test_chunks_keep_every_student_once(wide_class):
    rows = list(wide_gradebook_rows(classroom=wide_class["classroom"], chunk_size=2))
    assert [row[1] for row in rows[1:]] == ["'=cmd", "amy", "zoe"]


def test_a_class_with_no_assignments_still_lists_its_students(db):
    classroom = factories.ClassroomFactory()
    factories.EnrollmentFactory(classroom=classroom, student=factories.UserFactory(username="b"))
    rows = list(wide_gradebook_rows(classroom=classroom))
    assert rows == [["student name", "username"], ["", "b"]]


def test_queries_do_not_grow_with_the_class(client, wide_class):
    classroom = wide_class["classroom"]
    url = reverse("quizzes:class_gradebook_wide", args=[classroom.pk])
    client.force_login(classroom.instructor)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(client.get(url).streaming_content)
        return len(queries), body

    counted()
    small, _ = counted()
    for _ in range(10):
        student = factories.EnrollmentFactory(classroom=classroom).student
        attempt = services.start_assignment_attempt(
            assignment=wide_class["quizzes"][0], student=student, now=T0
        )
        engine.finish_attempt(attempt=attempt, now=T0 + datetime.timedelta(minutes=1))
    large, body = counted()
    assert len(body.decode("utf-8-sig").splitlines()) == 1 + 13 + 1
    assert large == small <= 10


def test_the_class_page_offers_both_formats(client, wide_class):
    classroom = wide_class["classroom"]
    client.force_login(classroom.instructor)
    page = client.get(reverse("quizzes:class_detail", args=[classroom.pk])).content.decode()
    assert reverse("quizzes:class_gradebook_wide", args=[classroom.pk]) in page
    assert "Download the gradebook (CSV, 9 rows)" in page  # the long format, still there


def test_another_instructors_class_is_a_404(client, wide_class):
    client.force_login(factories.InstructorFactory())
    url = reverse("quizzes:class_gradebook_wide", args=[wide_class["classroom"].pk])
    assert client.get(url).status_code == 404
