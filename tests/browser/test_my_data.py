"""My data, as a learner uses it: read what is kept, download it, delete the account."""

import json
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import open_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_and_delete_my_account(page, axe, student):
    sign_in(page, "sam")
    open_menu(page)
    page.get_by_role("link", name="My data").click()
    assert page.get_by_role("heading", level=1, name="My data").is_visible()
    axe(page, "my data")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("uneasy-allies-sam-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["username"] == "sam"

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account and all my data").click()
    assert page.get_by_text("That is not your password.").is_visible()
    assert page.get_by_role("alert").first.is_visible()
    axe(page, "my data, wrong password")

    page.get_by_label("Your password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    assert page.get_by_role("status").get_by_text("Your account and everything").is_visible()
    open_menu(page)
    assert page.get_by_role("link", name="Sign in").is_visible()
    axe(page, "home after deletion")


def test_my_data_works_without_javascript(nojs_page, student):
    sign_in(nojs_page, "sam")
    nojs_page.goto("/accounts/my-data/")
    nojs_page.get_by_label("Your password").fill(factories.PASSWORD)
    nojs_page.get_by_role("button", name="Delete my account and all my data").click()
    assert nojs_page.get_by_text("Your account and everything").is_visible()
