"""Sign up, sign in, sign out, password change and reset through the real views."""

import pytest
from django.contrib.auth.models import User
from django.core import mail

from accounts.password_reset import wait_for_mail
from accounts.roles import is_instructor
from tests import factories

pytestmark = pytest.mark.django_db

STRONG = "lips and teeth 1953"


def signup(client, **overrides):
    data = {
        "username": "mira",
        "email": "mira@example.org",
        "password1": STRONG,
        "password2": STRONG,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_signup_creates_a_student_and_signs_them_in(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="mira")
    assert not is_instructor(user)
    assert client.get("/").context["user"] == user


def test_i_teach_asks_to_teach_and_makes_no_instructor(client):
    signup(client, teaches="on")
    user = User.objects.get(username="mira")
    assert not is_instructor(user)
    assert user.instructor_requests.get().is_pending


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "sam"}, "A user with that username already exists."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password2": "something else 1953"}, "The two password fields didn"),
        ({"username": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
    ],
    ids=["taken-name", "weak-password", "mismatch", "missing-name", "bad-email"],
)
def test_bad_signup_rerenders_the_form_with_a_clear_message(client, student, overrides, message):
    before = User.objects.count()
    response = signup(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Please correct the" in response.content.decode()
    assert User.objects.count() == before


def test_sign_in_and_out(client, student):
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"] == student
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_says_so_without_revealing_which_part(client, student):
    response = client.post("/accounts/login/", {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_sign_out_needs_post(client, student):
    client.force_login(student)
    assert client.get("/accounts/logout/").status_code == 405


def test_password_change(client, student):
    client.force_login(student)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": factories.PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(STRONG)


def test_password_reset_sends_a_working_link(client, student):
    response = client.post("/accounts/password_reset/", {"email": student.email})
    assert response.status_code == 302
    wait_for_mail()  # sent by a thread, so the response does not wait for the mail server
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link[link.index("/accounts/reset/"):].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.check_password(STRONG)


def test_signed_in_visitor_is_sent_home_from_signup(client, student):
    client.force_login(student)
    assert client.get("/accounts/signup/").status_code == 302


def test_a_rerendered_signup_puts_focus_on_the_field_in_error(client):
    import re

    response = signup(client, password2="something else 1953")
    page = response.content.decode()
    focused = re.findall(r'<input[^>]*\bautofocus\b[^>]*>', page)
    assert len(focused) == 1
    assert 'name="password2"' in focused[0]
