"""The live results table's poll replaces only its rows; the status line stays outside them."""

import re

from django.urls import reverse

from tests.quizzes.classes.test_classes_views import two_classes  # noqa: F401


def test_the_poll_replaces_only_the_rows_and_carries_the_status_line(client, two_classes):  # noqa: F811
    people, objects = two_classes
    a = objects["a"]
    client.force_login(people["ines"])
    url = reverse("quizzes:assignment_results", args=[a["classroom"].pk, a["quiz"].pk])
    page = client.get(url).text
    rows = re.search(r'<tbody id="results-rows"[^>]*>', page).group(0)
    assert f'hx-get="{url}"' in rows and 'hx-select="#results-rows"' in rows
    assert 'hx-swap="outerHTML"' in rows and 'hx-trigger="every 5s"' in rows
    assert 'data-status="0 of 2 handed in, 1 working now."' in rows
    # One live region, outside what a poll replaces.
    assert page.count('role="status"') == 1 + page.count('class="messages"')
    live = page.index('id="results-status" role="status"')
    assert live < page.index('<tbody id="results-rows"')
    # Without JavaScript: a Refresh link, and the pause button only JavaScript shows.
    assert f'<a href="{url}">Refresh</a>' in page
    assert re.search(r"<button[^>]*data-results-pause[^>]*hidden>Pause live updates", page)
    # Each row has an id, so the table can be told apart row by row.
    assert f'<tr id="result-{people["sam"].pk}">' in page


def test_an_empty_class_still_polls_so_the_first_student_appears(client, two_classes):  # noqa: F811
    people, objects = two_classes
    b = objects["b"]
    b["enrollment"].delete()
    client.force_login(people["ivan"])
    url = reverse("quizzes:assignment_results", args=[b["classroom"].pk, b["quiz"].pk])
    page = client.get(url).text
    assert "No students in this class yet." in page
    assert 'hx-select="#results-rows"' in page
