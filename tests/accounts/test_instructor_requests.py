"""Instructor status is granted by staff, never claimed at sign-up.

The attack this closes: anyone could tick "I teach" and at once read the bank's answer keys
and export an assignment's whole pool with its keys (issue 14).
"""

import pytest
from django.contrib.auth.models import User

from accounts.instructor_requests import (
    approve_instructor_request,
    decline_instructor_request,
    request_instructor_status,
    teaching_status,
)
from accounts.models import InstructorRequest
from accounts.roles import is_instructor
from quizzes.models import Classroom
from tests import factories
from tests.accounts.test_signup import signup
from tests.factories import hardening as made

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # without the cached role


def test_i_teach_at_sign_up_asks_staff_and_grants_nothing(client):
    page = signup(client, teaches="on")
    user = User.objects.get(username="mira")
    assert not is_instructor(user)
    (request,) = InstructorRequest.objects.filter(user=user)
    assert request.status == InstructorRequest.Status.PENDING
    assert request.decided_by is None and request.decided_at is None
    home = client.get(page["Location"]).content.decode()
    assert "Your request to teach is waiting for staff" in home


def test_the_self_made_instructor_sees_no_answer_key_and_makes_no_class(client):
    question = made.QuestionFactory(prompt="Which city faces Sinuiju?")
    other_class = made.ClassroomFactory()
    assignment = made.AssignmentFactory(classroom=other_class)
    assignment.questions.add(question)
    signup(client, teaches="on")

    bank = client.get("/classes/bank/")
    one = client.get(f"/classes/bank/{question.pk}/")
    gift = client.get(f"/classes/{other_class.pk}/assignments/{assignment.pk}/export.gift")
    made_class = client.post("/classes/new/", {"name": "Harvest"})
    assert (bank.status_code, one.status_code, gift.status_code) == (404, 404, 404)
    assert made_class.status_code == 404
    assert not Classroom.objects.filter(name="Harvest").exists()
    for page in (bank, one, gift, client.get("/classes/")):
        assert "Sinuiju" not in page.content.decode()
    classes = client.get("/classes/").content.decode()
    assert "Your request to teach is waiting for staff" in classes
    assert "New class" not in classes


def test_the_account_page_shows_the_pending_request_honestly(client):
    signup(client, teaches="on")
    page = client.get("/accounts/").content.decode()
    assert "Staff have not decided yet" in page
    assert "Ask to teach" not in page


def test_asking_from_the_account_page_once_is_enough(client, student):
    client.force_login(student)
    assert "Ask to teach" in client.get("/accounts/").content.decode()
    first = client.post("/accounts/instructor-request/", {"note": "History, Leeds"})
    again = client.post("/accounts/instructor-request/", {"note": "History, Leeds"})
    assert first.status_code == again.status_code == 302
    (request,) = InstructorRequest.objects.filter(user=student)
    assert request.note == "History, Leeds" and request.is_pending
    assert not is_instructor(_fresh(student))


def test_a_note_too_long_is_refused_with_the_form(client, student):
    client.force_login(student)
    page = client.post("/accounts/instructor-request/", {"note": "x" * 501})
    assert page.status_code == 400
    assert not InstructorRequest.objects.exists()


def test_approval_makes_an_instructor_and_records_who_decided(student, staff):
    request = request_instructor_status(user=student)
    assert approve_instructor_request(instructor_request=request, staff=staff)
    request.refresh_from_db()
    assert request.status == InstructorRequest.Status.APPROVED
    assert request.decided_by == staff and request.decided_at is not None
    assert is_instructor(_fresh(student))
    assert teaching_status(user=_fresh(student)) == "instructor"
    # Deciding twice decides nothing more.
    assert not decline_instructor_request(instructor_request=request, staff=staff)
    assert is_instructor(_fresh(student))


def test_a_declined_request_can_be_made_again(client, student, staff):
    request = request_instructor_status(user=student)
    assert decline_instructor_request(instructor_request=request, staff=staff)
    assert not is_instructor(_fresh(student))
    assert teaching_status(user=_fresh(student)) == "declined"
    client.force_login(student)
    page = client.get("/accounts/").content.decode()
    assert "was declined" in page and "Ask to teach" in page
    client.post("/accounts/instructor-request/", {"note": "Now with a school page"})
    assert teaching_status(user=_fresh(student)) == "pending"
    assert InstructorRequest.objects.filter(user=student).count() == 2


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def _action(admin_client, action, requests):
    return admin_client.post(
        "/admin/accounts/instructorrequest/",
        {"action": action, "_selected_action": [r.pk for r in requests]},
    )


def test_staff_approve_and_decline_in_the_admin(admin_client, staff):
    asking = [factories.UserFactory(username=name) for name in ("mei", "tomas", "anna")]
    requests = [request_instructor_status(user=user) for user in asking]
    listing = admin_client.get("/admin/accounts/instructorrequest/?status__exact=pending")
    assert listing.status_code == 200 and "mei" in listing.content.decode()

    assert _action(admin_client, "approve", requests[:2]).status_code == 302
    assert _action(admin_client, "decline", requests[1:]).status_code == 302
    statuses = [InstructorRequest.objects.get(pk=r.pk).status for r in requests]
    assert statuses == ["approved", "approved", "declined"]
    assert [is_instructor(_fresh(user)) for user in asking] == [True, True, False]
    assert all(InstructorRequest.objects.get(pk=r.pk).decided_by == staff for r in requests)


def test_staff_cannot_add_or_edit_a_request_by_hand(admin_client, student):
    request = request_instructor_status(user=student)
    assert admin_client.get("/admin/accounts/instructorrequest/add/").status_code == 403
    admin_client.post(
        f"/admin/accounts/instructorrequest/{request.pk}/change/", {"status": "approved"}
    )
    request.refresh_from_db()
    assert request.is_pending and not is_instructor(_fresh(student))



def test_a_student_who_never_ticked_i_teach_is_shown_where_to_ask_later(client, student):
    """Long after sign-up: the classes page points to the account page, which takes the
    request and then shows its state; answer keys stay hidden until staff approve."""
    client.force_login(student)
    classes = client.get("/classes/").content.decode()
    assert "Do you teach?" in classes and 'href="/accounts/#teaching-heading"' in classes
    client.post("/accounts/instructor-request/", {"note": "Korean history, year 12"})
    account = client.get("/accounts/").content.decode()
    assert "Staff have not decided yet" in account
    assert "Do you teach?" not in client.get("/classes/").content.decode()
    assert client.get("/classes/bank/").status_code == 404
