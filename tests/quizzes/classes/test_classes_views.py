"""Class, assignment and bank pages: who may see what (two classes, two instructors, their
students), what the forms refuse, and a pinned query budget for every page and fragment."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.classes import assignments as services
from quizzes.models import Assignment, Attempt, Classroom, Enrollment, HiddenQuestion, Question
from tests import factories


@pytest.fixture
def two_classes(db):
    """Class A (instructor ines, students sam and sue) and class B (instructor ivan, student bo),
    each with a quiz, a review assignment, an attempt and an instructor-written question."""
    a = factories.class_world(students=0, kinds=("mcq", "tf"))
    b = factories.class_world(students=0, kinds=("mcq",))
    people = {
        "ines": a["instructor"], "ivan": b["instructor"],
        "sam": factories.UserFactory(username="sam"), "sue": factories.UserFactory(username="sue"),
        "bo": factories.UserFactory(username="bo"),
        "stella": factories.UserFactory(username="stella", is_staff=True, is_superuser=True),
    }
    for name in ("sam", "sue"):
        factories.EnrollmentFactory(classroom=a["classroom"], student=people[name])
    factories.EnrollmentFactory(classroom=b["classroom"], student=people["bo"])
    objects = {}
    for label, world, instructor, student in (("a", a, "ines", "sam"), ("b", b, "ivan", "bo")):
        quiz = factories.AssignmentFactory(
            classroom=world["classroom"], lessons=[world["lesson"]], question_kinds=["mcq"],
            question_count=2,
        )
        review = factories.AssignmentFactory(
            classroom=world["classroom"], kind=Assignment.Kind.REVIEW, lessons=[world["lesson"]]
        )
        attempt = services.start_assignment_attempt(assignment=quiz, student=people[student])
        own = factories.QuestionFactory(
            origin=Question.Origin.INSTRUCTOR, author=people[instructor], lesson=world["lesson"]
        )
        enrollment = Enrollment.objects.get(classroom=world["classroom"], student=people[student])
        objects[label] = {
            "classroom": world["classroom"], "quiz": quiz, "review": review, "attempt": attempt,
            "question": own, "enrollment": enrollment, "lesson": world["lesson"],
        }
    return people, objects


def instructor_urls(o):
    """(method, url) for every instructor page of one class, with real objects behind ids."""
    c, q = o["classroom"].pk, o["quiz"].pk
    return [
        ("get", reverse("quizzes:class_detail", args=[c])),
        ("get", reverse("quizzes:class_rename", args=[c])),
        ("post", reverse("quizzes:class_rename", args=[c])),
        ("post", reverse("quizzes:class_archive", args=[c])),
        ("post", reverse("quizzes:class_restore", args=[c])),
        ("post", reverse("quizzes:class_roster_remove", args=[c, o["enrollment"].pk])),
        ("post", reverse("quizzes:class_roster_restore", args=[c, o["enrollment"].pk])),
        ("get", reverse("quizzes:class_gradebook", args=[c])),
        ("get", reverse("quizzes:assignment_create", args=[c])),
        ("post", reverse("quizzes:assignment_create", args=[c])),
        ("get", reverse("quizzes:assignment_edit", args=[c, q])),
        ("post", reverse("quizzes:assignment_edit", args=[c, q])),
        ("get", reverse("quizzes:assignment_results", args=[c, q])),
        ("get", reverse("quizzes:assignment_results", args=[c, o["review"].pk])),
        ("get", reverse("quizzes:assignment_export_gift", args=[c, q])),
        ("get", reverse("quizzes:class_bank_edit", args=[o["question"].pk])),
        ("post", reverse("quizzes:class_bank_edit", args=[o["question"].pk])),
    ]


def student_urls(o):
    c, q = o["classroom"].pk, o["quiz"].pk
    return [
        ("get", reverse("quizzes:class_detail", args=[c])),
        ("get", reverse("quizzes:assignment_detail", args=[c, q])),
        ("get", reverse("quizzes:assignment_detail", args=[c, o["review"].pk])),
        ("post", reverse("quizzes:assignment_start", args=[c, q])),
    ]


BANK_URLS = [
    ("get", "/classes/bank/"),
    ("get", "/classes/bank/new/"),
    ("get", "/classes/bank/new/mcq/"),
    ("get", "/classes/bank/import/"),
    ("post", "/classes/bank/import/confirm/"),
]


def request(client, method, url, **kwargs):
    response = getattr(client, method)(url, **kwargs)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


# --- authorization ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sam", "bo", "ivan", "stella"])
def test_instructor_pages_of_class_a_are_404_to_everyone_but_its_instructor(
    client, two_classes, who
):
    people, objects = two_classes
    client.force_login(people[who])
    for method, url in instructor_urls(objects["a"]):
        own_class_page = reverse("quizzes:class_detail", args=[objects["a"]["classroom"].pk])
        if who == "sam" and url == own_class_page:
            continue  # sam is a student there: he gets the student page (tested below)
        assert request(client, method, url).status_code == 404, (who, method, url)
    assert Classroom.objects.get(pk=objects["a"]["classroom"].pk).archived_at is None
    assert objects["a"]["enrollment"].__class__.objects.get(
        pk=objects["a"]["enrollment"].pk
    ).removed_at is None


def test_instructor_pages_answer_their_own_instructor(client, two_classes):
    people, objects = two_classes
    client.force_login(people["ines"])
    for method, url in instructor_urls(objects["a"]):
        if method == "get":
            assert request(client, method, url).status_code == 200, url


@pytest.mark.parametrize("who", ["bo", "ivan", "stella"])
def test_student_pages_of_class_a_are_404_to_outsiders(client, two_classes, who):
    people, objects = two_classes
    client.force_login(people[who])
    before = Attempt.objects.count()
    for method, url in student_urls(objects["a"]):
        assert request(client, method, url).status_code == 404, (who, method, url)
    assert Attempt.objects.count() == before


def test_student_pages_answer_the_classes_students(client, two_classes):
    people, objects = two_classes
    client.force_login(people["sue"])
    # The pages show; starting the quiz redirects to its first question.
    expected = [200, 200, 200, 302]
    statuses = [request(client, method, url).status_code
                for method, url in student_urls(objects["a"])]
    assert statuses == expected


@pytest.mark.parametrize("who", ["sam", "bo", "stella"])
def test_the_bank_is_404_to_non_instructors(client, two_classes, who):
    people, objects = two_classes
    client.force_login(people[who])
    question = objects["a"]["question"].pk
    urls = [
        *BANK_URLS,
        ("get", f"/classes/bank/{question}/"),
        ("post", f"/classes/bank/{question}/hide/"),
        ("post", f"/classes/bank/{question}/unhide/"),
        ("get", "/classes/new/"),
        ("post", "/classes/new/"),
    ]
    for method, url in urls:
        assert request(client, method, url).status_code == 404, (who, method, url)
    assert not HiddenQuestion.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, two_classes):
    _, objects = two_classes
    urls = [
        *instructor_urls(objects["a"]), *student_urls(objects["a"]), *BANK_URLS,
        ("get", "/classes/"), ("get", "/classes/join/"), ("post", "/classes/join/"),
        ("get", f"/classes/join/{objects['a']['classroom'].join_code}/"),
    ]
    for method, url in urls:
        response = request(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_an_instructor_cannot_edit_another_instructors_or_a_generated_question(
    client, two_classes
):
    people, objects = two_classes
    generated = factories.QuestionFactory()
    client.force_login(people["ivan"])
    for question in (objects["a"]["question"], generated):
        assert client.get(f"/classes/bank/{question.pk}/edit/").status_code == 404
        assert client.post(
            f"/classes/bank/{question.pk}/edit/", {"prompt": "Changed"}
        ).status_code == 404
    assert Question.objects.get(pk=objects["a"]["question"].pk).prompt != "Changed"


def test_state_changes_need_post(client, two_classes):
    people, objects = two_classes
    client.force_login(people["ines"])
    c = objects["a"]["classroom"].pk
    for url in (
        reverse("quizzes:class_archive", args=[c]),
        reverse("quizzes:class_roster_remove", args=[c, objects["a"]["enrollment"].pk]),
        f"/classes/bank/{objects['a']['question'].pk}/hide/",
        "/classes/bank/import/confirm/",
    ):
        assert client.get(url).status_code == 405, url
    client.force_login(people["sam"])
    url = reverse("quizzes:assignment_start", args=[c, objects["a"]["quiz"].pk])
    assert client.get(url).status_code == 405


def test_csrf_is_required_for_a_start(two_classes):
    from django.test import Client

    people, objects = two_classes
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["sue"])
    c, q = objects["a"]["classroom"].pk, objects["a"]["quiz"].pk
    assert client.post(reverse("quizzes:assignment_start", args=[c, q])).status_code == 403
    assert not Attempt.objects.filter(user=people["sue"]).exists()


# --- classes and joining ---------------------------------------------------------------------


def test_an_instructor_creates_renames_and_archives_a_class(client, instructor):
    client.force_login(instructor)
    response = client.post("/classes/new/", {"name": "  History   204 "})
    classroom = Classroom.objects.get()
    assert response.status_code == 302
    assert classroom.name == "History 204"
    assert len(classroom.join_code) == 6
    page = client.get(response["Location"])
    assert classroom.join_code in page.text
    assert f"/classes/join/{classroom.join_code}/" in page.text

    assert client.post(f"/classes/{classroom.pk}/rename/", {"name": ""}).status_code == 400
    client.post(f"/classes/{classroom.pk}/rename/", {"name": "History 205"})
    client.post(f"/classes/{classroom.pk}/archive/")
    classroom.refresh_from_db()
    assert classroom.name == "History 205" and classroom.archived_at is not None


def test_a_student_joins_by_code_in_any_case_and_twice_is_harmless(client, student):
    classroom = factories.ClassroomFactory(join_code="ABC234")
    client.force_login(student)
    response = client.post("/classes/join/", {"code": " abc-234 "})
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert client.post("/classes/join/", {"code": "ABC234"}).status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1
    assert classroom.name in client.get("/classes/").text


def test_an_unknown_or_archived_code_gets_the_same_clear_message(client, student):
    factories.ClassroomFactory(join_code="ZZZ999", archived_at=timezone.now(), name="Old class")
    client.force_login(student)
    unknown = client.post("/classes/join/", {"code": "QQQ777"})
    archived = client.post("/classes/join/", {"code": "zzz999"})
    assert unknown.status_code == archived.status_code == 400
    assert "No class takes new students with the join code “QQQ777”" in unknown.text
    assert "No class takes new students with the join code “ZZZ999”" in archived.text
    assert "Old class" not in archived.text  # a refusal names no class
    assert not Enrollment.objects.exists()


def test_the_join_link_fills_in_the_code_and_confirms_nothing(client, student):
    classroom = factories.ClassroomFactory(join_code="HJK345", name="Korea seminar")
    client.force_login(student)
    page = client.get("/classes/join/hjk345/")
    guess = client.get("/classes/join/NOPE22/")
    assert page.status_code == guess.status_code == 200
    assert 'value="HJK345"' in page.text and 'value="NOPE22"' in guess.text
    # The same page for a real code and a guess: it names no class and joins nothing.
    assert "Korea seminar" not in page.text
    assert len(page.text) - len(guess.text) == 0
    assert not Enrollment.objects.exists()
    joined = client.post("/classes/join/", {"code": "HJK345"}, follow=True)
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert "You are in “Korea seminar”" in joined.text


def test_a_removed_student_loses_the_class(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    client.post(
        reverse("quizzes:class_roster_remove", args=[a["classroom"].pk, a["enrollment"].pk])
    )
    client.force_login(people["sam"])
    assert client.get(f"/classes/{a['classroom'].pk}/").status_code == 404
    assert a["quiz"].title not in client.get("/classes/").text
    response = client.post("/classes/join/", {"code": a["classroom"].join_code})
    assert response.status_code == 400 and "removed you" in response.text


def test_the_class_list_shows_students_their_assignments(client, two_classes):
    people, objects = two_classes
    client.force_login(people["sue"])
    page = client.get("/classes/")
    assert objects["a"]["quiz"].title in page.text
    assert "Not started" in page.text
    assert objects["b"]["quiz"].title not in page.text


# --- assignments: the form and starting ------------------------------------------------------


def assignment_data(lesson, **overrides):
    now = timezone.localtime()
    data = {
        "title": "Week 3 quiz", "kind": "quiz", "instructions": "", "source": "draw",
        "lessons": [lesson.pk], "question_kinds": ["mcq", "tf"], "question_count": "4",
        "question_ids": "", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "due_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "time_limit_minutes": "20", "attempts_allowed": "2", "counting": "highest",
        "feedback_timing": "submit", "late_allowed": "", "target_percent": "90",
    }
    data.update(overrides)
    return data


def test_an_instructor_creates_an_assignment(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    response = client.post(
        f"/classes/{a['classroom'].pk}/assignments/new/", assignment_data(a["lesson"])
    )
    assert response.status_code == 302
    created = Assignment.objects.get(title="Week 3 quiz")
    assert created.question_kinds == ["mcq", "tf"]
    assert created.question_count == 4 and created.time_limit_minutes == 20
    assert list(created.lessons.all()) == [a["lesson"]]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_at": "2020-01-01T00:00"}, "The due date must be after the opening date."),
        ({"question_count": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"question_count": "51"}, "Ensure this value is less than or equal to 50."),
        ({"attempts_allowed": "11"}, "Ensure this value is less than or equal to 10."),
        ({"time_limit_minutes": "301"}, "Ensure this value is less than or equal to 300."),
        ({"question_kinds": []}, "Tick at least one question type."),
        ({"question_count": "12"}, "Not enough questions in those lessons"),
        ({"source": "pick", "question_ids": "1, x"}, "These are not question numbers: x."),
        ({"source": "pick", "question_ids": "999999"}, "no question numbered 999999"),
        ({"kind": "review", "lessons": []}, "Choose the lessons whose flashcards to review."),
        ({"opens_at": "not a date"}, "Enter a valid date/time."),
    ],
)
def test_a_bad_assignment_form_says_what_is_wrong_and_saves_nothing(
    client, two_classes, overrides, message
):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    before = Assignment.objects.count()
    response = client.post(
        f"/classes/{a['classroom'].pk}/assignments/new/", assignment_data(a["lesson"], **overrides)
    )
    assert response.status_code == 400
    assert message in response.text
    assert Assignment.objects.count() == before


def test_hand_picked_questions_hidden_by_the_instructor_are_refused(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    question = a["question"]
    HiddenQuestion.objects.create(instructor=people["ines"], question=question)
    client.force_login(people["ines"])
    response = client.post(
        f"/classes/{a['classroom'].pk}/assignments/new/",
        assignment_data(a["lesson"], source="pick", question_ids=str(question.pk)),
    )
    assert response.status_code == 400
    assert f"You hid question {question.pk}" in response.text


def test_editing_keeps_the_settings_and_saves_changes(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    url = f"/classes/{a['classroom'].pk}/assignments/{a['quiz'].pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, assignment_data(a["lesson"], title="Renamed quiz"))
    assert response.status_code == 302
    a["quiz"].refresh_from_db()
    assert a["quiz"].title == "Renamed quiz"


def test_start_redirects_to_the_attempt_page_and_resume_returns_it(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["sue"])
    url = reverse("quizzes:assignment_start", args=[a["classroom"].pk, a["quiz"].pk])
    first = client.post(url)
    attempt = Attempt.objects.get(user=people["sue"])
    assert first.status_code == 302
    assert first["Location"] == f"/attempts/{attempt.pk}/"
    assert client.post(url)["Location"] == first["Location"]
    page = client.get(f"/classes/{a['classroom'].pk}/assignments/{a['quiz'].pk}/")
    assert "Resume your attempt" in page.text


def test_a_refused_start_shows_the_reason(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    Assignment.objects.filter(pk=a["quiz"].pk).update(
        opens_at=timezone.now() + datetime.timedelta(days=1),
        due_at=timezone.now() + datetime.timedelta(days=2),
    )
    client.force_login(people["sue"])
    response = client.post(
        reverse("quizzes:assignment_start", args=[a["classroom"].pk, a["quiz"].pk])
    )
    assert response.status_code == 403
    assert "This assignment opens on" in response.text
    assert not Attempt.objects.filter(user=people["sue"]).exists()


# --- results, export -------------------------------------------------------------------------


def test_the_results_fragment_is_the_polling_table_alone(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    url = reverse("quizzes:assignment_results", args=[a["classroom"].pk, a["quiz"].pk])
    page = client.get(url)
    assert "<html" in page.text and 'hx-trigger="every 5s"' in page.text
    assert "Item analysis" in page.text
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Item analysis" not in fragment.text
    assert fragment.text.strip().startswith('<div id="results-table"')
    assert 'hx-trigger="every 5s"' in fragment.text
    assert "sam" in fragment.text and "In progress" in fragment.text
    assert fragment["Cache-Control"].startswith("max-age=0")



def test_a_large_class_results_table_shows_fifty_students_a_page(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    for number in range(58):
        factories.EnrollmentFactory(
            classroom=a["classroom"],
            student=factories.UserFactory(username=f"student{number:02d}"),
        )
    client.force_login(people["ines"])
    url = reverse("quizzes:assignment_results", args=[a["classroom"].pk, a["quiz"].pk])
    first = client.get(url).text
    assert first.count('<th scope="row">') == 50
    assert "Students 1–50 of 60." in first and "Next 50" in first
    # The counts above the table are over the whole class, not the page.
    assert "0 of 60 handed in, 1 working now" in first
    second = client.get(url, {"page": 2}, headers={"HX-Request": "true"}).text
    assert second.count('<th scope="row">') == 10
    assert "Students 51–60 of 60." in second and "Previous 50" in second
    # The page's own poll keeps the page it is on.
    assert f'hx-get="{url}?page=2"' in second


def test_the_gift_export_holds_the_assignments_questions(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    response = client.get(
        reverse("quizzes:assignment_export_gift", args=[a["classroom"].pk, a["quiz"].pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.gift"')
    from quizzes.bank.gift import parse_gift

    parsed = parse_gift(text=response.content.decode())
    assert not parsed.problems
    assert {d.prompt for d in parsed.questions} == set(
        services.question_pool(assignment=a["quiz"]).values_list("prompt", flat=True)
    )


# --- the bank --------------------------------------------------------------------------------


def test_the_bank_lists_questions_with_statistics_and_filters(client, two_classes):
    people, objects = two_classes
    client.force_login(people["ines"])
    page = client.get("/classes/bank/")
    assert page.status_code == 200
    assert "Question bank" in page.text
    mine = client.get("/classes/bank/?origin=mine")
    assert mine.context["page"].paginator.count == 1
    by_kind = client.get("/classes/bank/?kind=tf")
    assert all(q.kind == "tf" for q in by_kind.context["page"].object_list)
    assert client.get("/classes/bank/?kind=nonsense").status_code == 200


def test_hiding_and_unhiding_a_question(client, two_classes):
    people, objects = two_classes
    question = Question.objects.filter(origin=Question.Origin.GENERATED).first()
    client.force_login(people["ines"])
    # Another instructor's own question is private to them: not even hideable.
    private = objects["b"]["question"]
    assert client.post(f"/classes/bank/{private.pk}/hide/").status_code == 404
    client.post(f"/classes/bank/{question.pk}/hide/", {"next": "https://evil.example/"})
    assert HiddenQuestion.objects.filter(instructor=people["ines"], question=question).exists()
    hidden = client.get("/classes/bank/?hidden=yes")
    assert [q.pk for q in hidden.context["page"].object_list] == [question.pk]
    response = client.post(f"/classes/bank/{question.pk}/unhide/", {"next": "/classes/bank/"})
    assert response["Location"] == "/classes/bank/"
    assert not HiddenQuestion.objects.exists()


QUESTION_POSTS = {
    "mcq": {"option_1": "Yalu", "option_2": "Han", "option_3": "Mekong", "correct": "1"},
    "who": {"option_1": "Chen Jian", "option_2": "Hazel Smith", "correct": "2"},
    "side": {"option_1": "Critics", "option_2": "Proponents", "correct": "1"},
    "tf": {"truth": "false"},
    "match": {
        "left_1": "Chen Jian", "right_1": "Virginia", "left_2": "Samuel S. Kim",
        "right_2": "Columbia", "left_3": "Hazel Smith", "right_3": "Warwick",
    },
    "order": {"item_1": "Korean War", "item_2": "Armistice", "item_3": "Six-party talks"},
    "cloze": {"answer": "Pyongyang", "alternatives": "P'yongyang\nPyeongyang"},
}


@pytest.mark.parametrize("kind", list(QUESTION_POSTS))
def test_an_instructor_writes_and_edits_a_question_of_every_type(client, instructor, kind):
    from quizzes.bank.authoring import draft_from_question
    from quizzes.bank.grading import grade

    client.force_login(instructor)
    data = {"prompt": f"A {kind} question", "explanation": "Why.", **QUESTION_POSTS[kind]}
    response = client.post(f"/classes/bank/new/{kind}/", data)
    assert response.status_code == 302, response.content
    question = Question.objects.get(author=instructor)
    assert question.kind == kind and question.origin == "instructor"
    assert question.fingerprint.startswith("instructor:")
    # The stored answer grades as right with the engine's grader.
    draft = draft_from_question(question=question)
    assert draft.prompt == f"A {kind} question"
    if kind == "cloze":
        assert grade(question=question, submitted={"text": "pyongyang"}).is_correct
    elif kind == "match":
        assert grade(question=question, submitted={"pairs": question.answer["pairs"]}).is_correct
    elif kind == "order":
        assert grade(question=question, submitted={"order": question.answer["order"]}).is_correct
        assert draft.items == ["Korean War", "Armistice", "Six-party talks"]
    else:
        assert grade(question=question, submitted={"key": question.answer["key"]}).is_correct

    edit = client.post(
        f"/classes/bank/{question.pk}/edit/", {**data, "prompt": f"An edited {kind} question"}
    )
    assert edit.status_code == 302
    question.refresh_from_db()
    assert question.prompt == f"An edited {kind} question"


def test_a_question_form_with_problems_is_refused(client, instructor):
    client.force_login(instructor)
    response = client.post(
        "/classes/bank/new/mcq/",
        {"prompt": "Pick", "option_1": "Same", "option_2": "same", "correct": "3"},
    )
    assert response.status_code == 400
    assert "The option marked right is empty." in response.text
    assert client.get("/classes/bank/new/calculated/").status_code == 404
    assert not Question.objects.filter(author=instructor).exists()


# --- query budgets ---------------------------------------------------------------------------


def count_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = request(client, "get", url, **kwargs)
    assert response.status_code == 200, url
    return len(queries)


def grow(objects, students=6):
    """More students in class A, each with a finished attempt, and more bank questions."""
    a = objects["a"]
    for _ in range(students):
        student = factories.EnrollmentFactory(classroom=a["classroom"]).student
        attempt = services.start_assignment_attempt(assignment=a["quiz"], student=student)
        from quizzes.practice.attempts import finish_attempt

        finish_attempt(attempt=attempt)
    for _ in range(30):
        factories.QuestionFactory(lesson=a["lesson"])


PAGES = {
    # name: (who, url builder, the queries it makes: session and user included)
    "class list (instructor)": ("ines", lambda o: "/classes/", 5),
    # +1: whether a request to teach is waiting, said honestly on the page.
    # +1: the student's overrides of their assignments' limits.
    "class list (student)": ("sam", lambda o: "/classes/", 11),
    # With the gradebook's size (students, assignments), its latest built file, and whether
    # the class is a learning platform's course (lti).
    # +1: who teaches the class besides its owner (its co-instructors)
    "class page (instructor)": ("ines", lambda o: f"/classes/{o['a']['classroom'].pk}/", 12),
    "class page (student)": ("sam", lambda o: f"/classes/{o['a']['classroom'].pk}/", 11),
    "assignment (instructor)": (
        "ines", lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/{o['a']['quiz'].pk}/", 7
    ),
    "assignment (student)": (
        "sam", lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/{o['a']['quiz'].pk}/", 12
    ),
    "assignment form": ("ines", lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/new/", 5),
    "results": (
        "ines",
        lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/{o['a']['quiz'].pk}/results/",
        # answers as rows, their questions and the versions answered; the gradebook's size
        # and file; lti; the students' overrides
        15,
    ),
    "review results": (
        "ines",
        lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/{o['a']['review'].pk}/results/",
        15,  # with the students' overrides
    ),
    # +1: the students' overrides (their statuses read their own due dates).
    "gradebook": ("ines", lambda o: f"/classes/{o['a']['classroom'].pk}/gradebook.csv", 11),
    "gift export": (
        "ines",
        lambda o: f"/classes/{o['a']['classroom'].pk}/assignments/{o['a']['quiz'].pk}/export.gift",
        8,
    ),
    "bank": ("ines", lambda o: "/classes/bank/", 7),  # with the review flags
    "bank question": ("ines", lambda o: f"/classes/bank/{o['a']['question'].pk}/", 4),
    # +1: how often it was answered (whether to ask about past answers' marks).
    "bank edit": ("ines", lambda o: f"/classes/bank/{o['a']['question'].pk}/edit/", 6),
    "bank import": ("ines", lambda o: "/classes/bank/import/", 3),
    "join": ("sam", lambda o: "/classes/join/", 3),
    "join link": ("sue", lambda o: f"/classes/join/{o['b']['classroom'].join_code}/", 3),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_keeps_a_fixed_query_budget_as_data_grows(client, two_classes, name):
    people, objects = two_classes
    who, url_of, budget = PAGES[name]
    client.force_login(people[who])
    url = url_of(objects)
    grow(objects, students=1)  # something of every kind to show, then more of it
    count_queries(client, url)  # warm: sessions, content types
    small = count_queries(client, url)
    grow(objects, students=6)
    large = count_queries(client, url)
    assert small <= budget, f"{name}: {small} queries, more than {budget}"
    assert large == small, f"{name}: {small} queries, then {large} with more data"


def test_the_results_fragment_keeps_a_fixed_query_budget(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    url = f"/classes/{a['classroom'].pk}/assignments/{a['quiz'].pk}/results/"
    headers = {"HX-Request": "true"}
    grow(objects, students=1)
    count_queries(client, url, headers=headers)
    small = count_queries(client, url, headers=headers)
    grow(objects, students=6)
    large = count_queries(client, url, headers=headers)
    assert small <= 9  # with the students' overrides
    assert large == small


def test_the_start_and_join_posts_keep_a_fixed_query_budget(client, two_classes):
    people, objects = two_classes
    a = objects["a"]
    newcomer = factories.UserFactory(username="nia")
    client.force_login(newcomer)
    client.get("/classes/join/")
    with CaptureQueriesContext(connection) as join_queries:
        response = client.post("/classes/join/", {"code": a["classroom"].join_code})
    assert response.status_code == 302
    assert len(join_queries) <= 12

    start_url = reverse("quizzes:assignment_start", args=[a["classroom"].pk, a["quiz"].pk])
    with CaptureQueriesContext(connection) as start_queries:
        response = client.post(start_url)
    assert response.status_code == 302
    # The enrolment locked first (a savepoint around it); the draw reads the pool once per
    # question type (one here); the attempt is two inserts; one more asks what the student's
    # other open assignments hold back (none here); four make the questions' first versions
    # (their latest versions, the questions, the insert, the versions read back); one reads
    # the student's override of the limits.
    assert len(start_queries) <= 28
    with CaptureQueriesContext(connection) as resume_queries:
        assert client.post(start_url).status_code == 302
    assert len(resume_queries) <= 10


def test_the_bank_flags_a_question_everyone_gets_right_for_review(client, two_classes):
    from django.utils import timezone

    from tests import factories

    people, _objects = two_classes
    question = Question.objects.filter(origin=Question.Origin.GENERATED).first()
    for _ in range(30):
        attempt = factories.AttemptFactory(score=1, question_count=1)
        factories.ResponseFactory(
            attempt=attempt, question=question, position=0, is_correct=True,
            answered_at=timezone.now(),
        )
    client.force_login(people["ines"])
    page = client.get(f"/classes/bank/?kind={question.kind}")
    flagged = {q.pk: q.review_flag for q in page.context["page"].object_list}
    assert flagged[question.pk].startswith("almost everyone right")
    assert "review: almost everyone right (100% of 30 answers)" in page.text
    assert not any(flag for pk, flag in flagged.items() if pk != question.pk)
