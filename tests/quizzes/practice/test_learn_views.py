"""Learn mode over HTTP: start, a round on the attempt pages, the page between rounds, the
end page; without JavaScript throughout. Bad input gets the form back with why."""

import pytest

from quizzes.models import Attempt, LearnSession, Response
from tests.quizzes.helpers import post_data
from tests.quizzes.practice.test_learn import make_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def answer_all(client, attempt, *, right=True):
    """Answer every question of a round as the plain form would, following the redirects."""
    last = None
    for response in Response.objects.filter(attempt=attempt).select_related("question"):
        last = client.post(
            f"/attempts/{attempt.pk}/answer/{response.position}/",
            post_data(attempt, response, right=right),
        )
        assert last.status_code == 302
    return client.get(last["Location"])


def test_the_start_page_explains_learn_mode_and_links_are_in_place(signed_in):
    page = signed_in.get("/learn/")
    assert page.status_code == 200
    assert "until you have answered each item right twice" in page.content.decode()
    assert 'href="/learn/"' in signed_in.get("/practice/").content.decode()
    assert 'href="/learn/"' in signed_in.get("/review/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/learn/").status_code == 302


def test_a_whole_session_without_javascript(signed_in, student):
    make_items(2)
    started = signed_in.post("/learn/", {"size": 7})
    session = LearnSession.objects.get(user=student)
    first = Attempt.objects.get(learn_session=session)
    assert started.status_code == 302 and started["Location"] == f"/attempts/{first.pk}/"

    page = signed_in.get(started["Location"]).content.decode()
    assert "Learn · round 1" in page and "0 of 2 known when this round began" in page

    feedback = answer_all(signed_in, first).content.decode()
    assert f'href="/learn/{session.pk}/"' in feedback and "See how the round went" in feedback
    # Once the round is in, its attempt page leads to the session, not to quiz results.
    assert signed_in.get(f"/attempts/{first.pk}/")["Location"] == f"/learn/{session.pk}/"

    between = signed_in.get(f"/learn/{session.pk}/").content.decode()
    assert "Round 1 done: 0 of 2 known." in between
    assert "Right once" in between and "Start round 2" in between

    nxt = signed_in.post(f"/learn/{session.pk}/next/")
    second = Attempt.objects.filter(learn_session=session).latest("pk")
    assert nxt["Location"] == f"/attempts/{second.pk}/"
    assert "Learn · round 2" in signed_in.get(nxt["Location"]).content.decode()
    answer_all(signed_in, second)

    end = signed_in.get(f"/learn/{session.pk}/").content.decode()
    assert "You know all 2" in end
    assert "Each item answered right twice, in 2 rounds: 4 of 4 answers right." in end
    session.refresh_from_db()
    assert session.finished_at is not None
    # Asking for another round at the end changes nothing and shows the end page.
    again = signed_in.post(f"/learn/{session.pk}/next/")
    assert again["Location"] == f"/learn/{session.pk}/"
    assert Attempt.objects.filter(learn_session=session).count() == 2


def test_the_round_under_way_is_offered_to_continue(signed_in, student):
    make_items(2)
    signed_in.post("/learn/", {"size": 7})
    session = LearnSession.objects.get(user=student)
    first = Attempt.objects.get(learn_session=session)
    page = signed_in.get(f"/learn/{session.pk}/").content.decode()
    assert f'href="/attempts/{first.pk}/"' in page and "Continue round 1" in page
    # Posting "next" while a round is under way returns to it: no second round.
    assert signed_in.post(f"/learn/{session.pk}/next/")["Location"] == f"/attempts/{first.pk}/"
    assert Attempt.objects.filter(learn_session=session).count() == 1


@pytest.mark.parametrize("data", [{"size": 99}, {"size": "seven"}, {"lessons": [999999]}, {}])
def test_bad_input_gets_the_form_back_and_starts_nothing(signed_in, data):
    make_items(2)
    page = signed_in.post("/learn/", data)
    assert page.status_code == 400
    assert 'class="errorlist' in page.content.decode()
    assert not LearnSession.objects.exists()


def test_nothing_to_learn_says_so(signed_in):
    page = signed_in.post("/learn/", {"size": 7})
    assert page.status_code == 400
    assert "There is nothing to learn in that choice of lessons yet." in page.content.decode()


def test_another_learners_session_is_a_404(client, student, other_student):
    make_items(2)
    client.force_login(student)
    client.post("/learn/", {"size": 7})
    session = LearnSession.objects.get(user=student)
    client.force_login(other_student)
    assert client.get(f"/learn/{session.pk}/").status_code == 404
    assert client.post(f"/learn/{session.pk}/next/").status_code == 404


def test_learn_pages_are_never_cached(signed_in, student):
    make_items(1)
    signed_in.post("/learn/", {"size": 7})
    session = LearnSession.objects.get(user=student)
    for url in ("/learn/", f"/learn/{session.pk}/"):
        assert "no-store" in signed_in.get(url)["Cache-Control"]
