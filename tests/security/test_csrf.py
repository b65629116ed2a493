"""Every state change needs POST and a CSRF token; no GET changes anything.

URLs come from the resolver (tests/security/world.py), so a new view is covered the day it
is added. CSRF checks are on here (the normal test client turns them off).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.helpers import changes_nothing, snapshot
from tests.security.world import ROLES, url_kwargs, url_patterns, user_for

ROUTES = url_patterns()
ROUTE_IDS = [route.name for route in ROUTES]

# Posted cross-site by a learning platform, which cannot hold our CSRF token: what protects
# them is the platform's signature (a launch's id_token, a registration's token), the OIDC
# state cookie and the single-use nonce (tests/lti/test_refusals.py). Without those they
# are refused all the same, and change nothing.
CSRF_EXEMPT = {"lti:login", "lti:launch"}


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def path_for(world, route) -> str:
    return reverse(route.name, kwargs=url_kwargs(world, route))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_a_post_without_a_token_is_refused_and_changes_nothing(world, route):
    path = path_for(world, route)
    # The owner and the instructor are the people a forged request would act for.
    clients = [csrf_client(world.student), csrf_client(world.instructor)]  # signed in first
    before = snapshot()
    for user, client in zip((world.student, world.instructor), clients, strict=True):
        for headers in (
            {},
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"},
            {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": "forged-token-" + "x" * 20},
        ):
            label = f"POST {path} as {user} with {headers or 'no headers'}"
            with changes_nothing(before, label):
                response = client.post(path, {"anything": "1"}, **headers)
            if route.name in CSRF_EXEMPT:
                assert 400 <= response.status_code < 500, f"{label}: {response.status_code}"
                continue
            assert response.status_code == 403, f"{label} answered {response.status_code}"


def test_the_token_in_the_page_is_what_htmx_sends_and_it_is_accepted(world):
    """The positive control: with the page's token, the same kind of request goes through."""
    client = csrf_client(world.student)
    html = client.get("/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html).group(1)
    response = client.post(
        reverse("quizzes:delete_account"),
        {"password": "not it"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 400  # the form's own refusal, past the CSRF check
    assert "That is not your password" in response.content.decode()


def test_a_form_post_with_the_forms_token_is_accepted(world):
    client = csrf_client(world.student)
    html = client.get(reverse("quizzes:my_data")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("quizzes:delete_account"), {"password": "not it", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_no_get_changes_anything(world, route):
    path = path_for(world, route)
    clients = {role: csrf_client(user_for(world, role)) for role in ROLES}  # signed in first
    before = snapshot()
    for role, client in clients.items():
        # htmx requests take other branches in some views; who asks matters less there.
        htmx = role in ("student", "instructor")
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}) if htmx else ({},):
            label = f"GET {path} as {role}{' (htmx)' if headers else ''}"
            with changes_nothing(before, label):
                response = client.get(path, **headers)
            assert response.status_code < 500, f"{label}: {response.status_code}"
