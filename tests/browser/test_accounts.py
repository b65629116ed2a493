"""Sign up, sign out and sign in through the real pages, as a person would."""

import re

import pytest

from tests.conftest import open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_sign_out_and_sign_in_again(page, axe):
    page.goto("/")
    axe(page, "home")
    open_menu(page)
    page.get_by_role("link", name="Sign up", exact=True).click()
    axe(page, "sign-up form")

    page.get_by_label("Username").fill("mira")
    page.get_by_label(re.compile(r"^Password:?$")).fill("lips and teeth 1953")
    page.get_by_label("Password confirmation").fill("lips and teeth 1953")
    page.get_by_label("I teach").check()
    page.get_by_role("button", name="Sign up").click()

    assert page.get_by_role("status").get_by_text("Welcome, mira").is_visible()
    # "I teach" asks staff; until they approve, the account is a student's and says so.
    assert page.get_by_text("Your request to teach is waiting for staff").is_visible()
    assert not page.get_by_text("instructor", exact=True).is_visible()
    axe(page, "home, signed in")

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    open_menu(page)
    assert page.get_by_role("link", name="Sign in").is_visible()

    sign_in(page, "mira", "lips and teeth 1953")
    axe(page, "after sign-in")
    open_menu(page)
    assert page.get_by_text("Signed in as mira").is_visible()


def test_a_sign_up_with_problems_shows_them_next_to_the_fields(page, axe, student):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label(re.compile(r"^Password:?$")).fill("password")
    page.get_by_label("Password confirmation").fill("password")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_text("A user with that username already exists.").is_visible()
    assert page.get_by_text("This password is too common.").is_visible()
    axe(page, "sign-up form with errors")


def test_the_sign_in_page_is_accessible(page, axe):
    page.goto("/accounts/login/")
    axe(page, "sign-in form")
    page.get_by_role("link", name="Forgotten your password?").click()
    axe(page, "password reset form")


def test_sign_in_works_and_is_accessible_with_javascript_off(nojs_page, axe, student):
    nojs_page.goto("/accounts/login/")
    axe(nojs_page, "sign-in form, JavaScript off")
    sign_in(nojs_page, "sam")
    assert nojs_page.get_by_text("Signed in as sam").is_visible()
    axe(nojs_page, "home, JavaScript off")
