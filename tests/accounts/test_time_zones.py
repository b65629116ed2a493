"""The learner's time zone: stored from the browser at sign-in, chosen on the account page
without JavaScript, and active for every request after (accounts/time_zones.py)."""

import pytest
from django.contrib.auth.models import User

from accounts.models import TimeZonePreference
from accounts.time_zones import choose_zone, detected_zone, valid_zone, zone_names
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "lips and teeth 1953"


def page_zone(client, url="/accounts/"):
    return client.get(url).context["timezone_name"]


def test_valid_zone_accepts_iana_names_and_nothing_else():
    assert valid_zone("Pacific/Auckland") == "Pacific/Auckland"
    for bad in ["", None, "Mars/Olympus", "../etc/passwd", "Europe/Paris\x00", "x" * 80]:
        assert valid_zone(bad) is None
    assert "America/Los_Angeles" in zone_names() and "UTC" in zone_names()


def test_sign_in_stores_the_browsers_zone_and_pages_use_it(client):
    user = factories.UserFactory(username="mira")
    user.set_password(PASSWORD)
    user.save()
    client.cookies["tz"] = "Pacific/Auckland"
    response = client.post("/accounts/login/", {"username": "mira", "password": PASSWORD})
    assert response.status_code == 302
    preference = TimeZonePreference.objects.get(user=user)
    assert (preference.name, preference.source) == ("Pacific/Auckland", "browser")
    # Stored per user: another browser that says nothing still gets the learner's zone.
    del client.cookies["tz"]
    assert page_zone(client, "/progress/") == "Pacific/Auckland"


def test_sign_up_stores_the_browsers_zone(client):
    client.cookies["tz"] = "America/Los_Angeles"
    client.post("/accounts/signup/", {
        "username": "nina", "email": "", "password1": PASSWORD, "password2": PASSWORD,
    })
    user = User.objects.get(username="nina")
    assert user.time_zone_preference.name == "America/Los_Angeles"
    assert page_zone(client) == "America/Los_Angeles"


def test_a_chosen_zone_wins_over_any_browser(client, student):
    choose_zone(user=student, name="Asia/Seoul")
    client.cookies["tz"] = "Europe/Paris"
    client.force_login(student)
    assert TimeZonePreference.objects.get(user=student).name == "Asia/Seoul"
    assert page_zone(client) == "Asia/Seoul"


def test_a_detected_zone_follows_the_browser_until_one_is_chosen(student):
    assert detected_zone(user=student, name="Europe/Paris") == "Europe/Paris"
    assert detected_zone(user=student, name="Asia/Tokyo") == "Asia/Tokyo"
    assert detected_zone(user=student, name="nonsense") == "Asia/Tokyo"
    choose_zone(user=student, name="Asia/Seoul")
    assert detected_zone(user=student, name="Europe/Paris") == "Asia/Seoul"


def test_the_account_page_changes_the_zone_with_a_plain_form(client, student):
    client.force_login(student)
    page = client.get("/accounts/").content.decode()
    assert 'name="time_zone"' in page and "<select" in page
    response = client.post("/accounts/time-zone/", {"time_zone": "Pacific/Auckland"})
    assert response.status_code == 302
    assert TimeZonePreference.objects.get(user=student).source == "chosen"
    assert page_zone(client, "/review/") == "Pacific/Auckland"


def test_an_unknown_zone_is_refused_with_a_sentence_and_changes_nothing(client, student):
    choose_zone(user=student, name="Asia/Seoul")
    client.force_login(student)
    response = client.post("/accounts/time-zone/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Choose a time zone from the list." in response.content.decode()
    assert TimeZonePreference.objects.get(user=student).name == "Asia/Seoul"


def test_without_a_stored_zone_the_browsers_cookie_then_the_sites_zone(client, student):
    client.force_login(student)
    assert page_zone(client) == "UTC"
    client.cookies["tz"] = "Asia/Tokyo"
    assert page_zone(client) == "Asia/Tokyo"


def test_a_session_from_before_the_zone_was_kept_in_it_reads_it_once(client, student):
    choose_zone(user=student, name="Asia/Seoul")
    client.force_login(student)
    session = client.session
    del session["time_zone"]
    session.save()
    assert page_zone(client) == "Asia/Seoul"
    assert client.session["time_zone"] == "Asia/Seoul"
