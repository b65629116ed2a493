"""The review page and its fragments, study settings, Anki download (quizzes/review/views.py
and settings_views.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Card, CardState, Review, StudyPreference
from quizzes.review.cards import sync_cards
from quizzes.review.scheduling import review_card
from quizzes.review.session import grade_token
from quizzes.review.study_queue import save_study_preference
from tests import factories

pytestmark = pytest.mark.django_db

REVIEW = "/review/"
GRADE = "/review/grade/"
UNDO = "/review/undo/"
SETTINGS = "/review/settings/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cards():
    lesson = factories.LessonFactory(title="Border and trade")
    for index in range(4):
        factories.TermFactory(lesson=lesson, term=f"Term {index}",
                              definition=f"Definition {index}.")
    sync_cards()
    # The terms' reversed cards wait until the forward ones are known (tested on their own).
    return list(Card.objects.active().exclude(kind=Card.Kind.REVERSE).order_by("pk"))


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def flip(client, card):
    response = client.get(REVIEW, {"card": card.pk, "answer": 1})
    assert response.status_code == 200
    return response.content.decode()


def nothing_changed():
    return not Review.objects.exists() and not CardState.objects.exists()


def test_review_needs_sign_in(client, cards):
    response = client.get(REVIEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_shows_the_front_and_a_real_show_answer_link(signed_in, cards):
    response = signed_in.get(REVIEW)
    html = response.content.decode()

    assert response.status_code == 200
    assert "What does “Term 0” mean?" in html
    assert "Definition 0." not in html  # the answer waits for the flip
    assert f'href="/review/?card={cards[0].pk}&amp;answer=1' in html
    assert re.search(r"<strong>4</strong> new", html)
    assert 'src="/static/js/review.js"' in html


def test_show_answer_reveals_the_back_and_four_grades_with_their_intervals(signed_in, cards):
    html = flip(signed_in, cards[0])

    assert "Definition 0." in html
    for value, label, interval in [(1, "Again", "1m"), (2, "Hard", "6m"), (3, "Good", "10m"),
                                   (4, "Easy", "")]:
        assert re.search(rf'name="rating" value="{value}"', html)
        assert f'<span class="grade-label">{label}</span>' in html
        assert interval in html
    assert 'action="/review/grade/"' in html


@pytest.mark.parametrize("card", ["abc", "-3", str(10**30), "999999"])
def test_a_garbled_card_in_the_address_shows_the_next_card(signed_in, cards, card):
    response = signed_in.get(REVIEW, {"card": card, "answer": 1, "t": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Term 0" in html and "Definition 0." not in html


def test_with_htmx_the_flip_answers_with_the_card_partial_only(signed_in, cards):
    response = signed_in.get(REVIEW, {"card": cards[0].pk, "answer": 1}, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="review-card"' in html and "Definition 0." in html


def test_grading_records_the_review_and_redirects_to_the_next_card(signed_in, student, cards):
    token = token_in(flip(signed_in, cards[0]))

    response = signed_in.post(GRADE, {"card": cards[0].pk, "rating": 3, "token": token})

    assert response.status_code == 302 and response["Location"] == REVIEW
    review = Review.objects.get()
    assert (review.user, review.card, review.rating) == (student, cards[0], 3)
    assert CardState.objects.get(user=student, card=cards[0]).state == 1
    next_page = signed_in.get(REVIEW).content.decode()
    assert "Graded." in next_page and "Term 1" in next_page


def test_with_htmx_grading_swaps_in_the_next_card(signed_in, cards):
    token = token_in(flip(signed_in, cards[0]))

    response = signed_in.post(GRADE, {"card": cards[0].pk, "rating": 4, "token": token}, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert "Term 1" in html and "Graded." in html
    assert 'hx-swap-oob="innerHTML"' in html  # the status message is announced
    assert "Undo last grade" in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"rating": 7}, "Choose a grade from 1 (Again) to 4 (Easy)."),
        ({"rating": 0}, "Choose a grade from 1 (Again) to 4 (Easy)."),
        ({"rating": "good"}, "Choose a grade from 1 (Again) to 4 (Easy)."),
        ({"rating": None}, "Choose a grade from 1 (Again) to 4 (Easy)."),
        ({"card": None}, "did not say which card"),
        ({"card": "abc"}, "a card that does not exist"),
        ({"card": 10**30}, "a card that does not exist"),
        ({"token": None}, "missing its token"),
        ({"token": "garbled"}, "damaged or out of date"),
    ],
)
def test_bad_grade_input_is_refused_with_a_message_and_changes_nothing(
    signed_in, cards, fields, message
):
    data = {"card": cards[0].pk, "rating": 3, "token": token_in(flip(signed_in, cards[0]))}
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}

    response = signed_in.post(GRADE, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_changed()


def test_a_grade_posted_twice_counts_once(signed_in, cards):
    data = {"card": cards[0].pk, "rating": 3, "token": token_in(flip(signed_in, cards[0]))}

    first = signed_in.post(GRADE, data)
    second = signed_in.post(GRADE, data, **HTMX)

    assert first.status_code == 302
    # The same post again (a retry, a second click) is told its grade was saved, not refused.
    assert second.status_code == 200
    assert "Your grade was already saved" in second.content.decode()
    assert Review.objects.count() == 1


def test_another_grade_on_a_used_token_is_refused(signed_in, cards):
    data = {"card": cards[0].pk, "rating": 3, "token": token_in(flip(signed_in, cards[0]))}

    signed_in.post(GRADE, data)
    other = signed_in.post(GRADE, {**data, "rating": 1}, **HTMX)

    assert other.status_code == 409
    assert "already graded" in other.content.decode()
    assert Review.objects.count() == 1


def test_a_card_not_due_is_refused(signed_in, student, cards):
    review_card(user=student, card=cards[0], rating=4, now=timezone.now())
    state = CardState.objects.get(card=cards[0])
    token = grade_token(user=student, card=cards[0], state=state, shown_at=timezone.now())

    response = signed_in.post(GRADE, {"card": cards[0].pk, "rating": 3, "token": token})

    assert response.status_code == 409
    assert "not due yet" in response.content.decode()
    assert Review.objects.count() == 1
    state.refresh_from_db()
    assert CardState.objects.get(card=cards[0]).due == state.due


def test_a_card_that_is_not_the_learners_is_a_404(signed_in, student, other_student, cards):
    # Another learner's grade form...
    others = grade_token(user=other_student, card=cards[0], state=None, shown_at=timezone.now())
    response = signed_in.post(GRADE, {"card": cards[0].pk, "rating": 3, "token": others})
    assert response.status_code == 404
    assert "another card or another learner" in response.content.decode()

    # ...a card from a lesson the learner does not study, and a card that does not exist.
    elsewhere = factories.CardFactory()
    save_study_preference(user=student, new_cards_per_day=20, lessons=[cards[0].lesson])
    token = grade_token(user=student, card=elsewhere, state=None, shown_at=timezone.now())
    response = signed_in.post(GRADE, {"card": elsewhere.pk, "rating": 3, "token": token})
    assert response.status_code == 404
    assert "not in your study set" in response.content.decode()
    response = signed_in.post(GRADE, {"card": 999_999, "rating": 3, "token": token})
    assert response.status_code == 404

    assert nothing_changed()


def test_grading_needs_post(signed_in, cards):
    assert signed_in.get(GRADE).status_code == 405


def test_undo_brings_the_card_back(signed_in, student, cards):
    token = token_in(flip(signed_in, cards[0]))
    signed_in.post(GRADE, {"card": cards[0].pk, "rating": 1, "token": token})

    response = signed_in.post(UNDO)

    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}?card={cards[0].pk}"
    assert not CardState.objects.exists()
    assert Review.objects.get().undone_at is not None
    assert "Last grade undone" in signed_in.get(response["Location"]).content.decode()


def test_undo_with_htmx_shows_the_undone_card(signed_in, student, cards):
    review_card(user=student, card=cards[2], rating=3, now=timezone.now())

    response = signed_in.post(UNDO, **HTMX)

    assert response.status_code == 200
    assert "Term 2" in response.content.decode()


def test_undo_with_nothing_to_undo_says_so(signed_in, cards):
    response = signed_in.post(UNDO)
    assert response.status_code == 409
    assert "There is no grade to undo" in response.content.decode()


def test_an_undo_posted_twice_takes_back_one_grade(signed_in, student, cards):
    now = timezone.now()
    review_card(user=student, card=cards[0], rating=3, now=now - datetime.timedelta(seconds=2))
    review_card(user=student, card=cards[1], rating=3, now=now - datetime.timedelta(seconds=1))
    html = signed_in.get(REVIEW).content.decode()
    review_id = re.search(r'name="review" value="(\d+)"', html).group(1)

    first = signed_in.post(UNDO, {"review": review_id})
    second = signed_in.post(UNDO, {"review": review_id}, **HTMX)

    assert first.status_code == 302
    assert second.status_code == 409 and "undone already" in second.content.decode()
    assert Review.objects.counted().count() == 1
    assert CardState.objects.filter(card=cards[0]).exists()


def test_a_garbled_undo_is_refused(signed_in, student, cards):
    review_card(user=student, card=cards[0], rating=3, now=timezone.now())
    response = signed_in.post(UNDO, {"review": "last one"})
    assert response.status_code == 400
    assert "The undo form is damaged" in response.content.decode()
    assert Review.objects.counted().count() == 1


def test_done_for_today_says_when_the_next_card_is_due(signed_in, student, cards):
    save_study_preference(user=student, new_cards_per_day=1, lessons=[])
    review_card(user=student, card=cards[0], rating=4, now=timezone.now())

    html = signed_in.get(REVIEW).content.decode()

    assert "You are done for now." in html
    assert "Your next card is due" in html
    assert "limit of 1 new card" in html


def test_done_for_today_names_the_learners_zone_with_the_next_due_time(
    signed_in, student, cards
):
    import zoneinfo

    from accounts.time_zones import choose_zone

    choose_zone(user=student, name="Pacific/Auckland")
    session = signed_in.session
    session["time_zone"] = "Pacific/Auckland"  # as the account page's form leaves it
    session.save()
    save_study_preference(user=student, new_cards_per_day=1, lessons=[])
    state = review_card(user=student, card=cards[0], rating=4, now=timezone.now())
    html = signed_in.get(REVIEW).content.decode()
    due_there = timezone.localtime(state.due, zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert f"{due_there:%H:%M}</time> (Pacific/Auckland time)" in html
    assert " UTC<" not in html


class TestSettings:
    def test_the_form_shows_the_current_choice(self, signed_in, student, cards):
        save_study_preference(user=student, new_cards_per_day=7, lessons=[cards[0].lesson])
        html = signed_in.get(SETTINGS).content.decode()
        assert 'value="7"' in html
        assert re.search(rf'value="{cards[0].lesson.pk}"[^>]*checked', html)

    def test_saving_settings(self, signed_in, student, cards):
        response = signed_in.post(
            SETTINGS, {"new_cards_per_day": 5, "lessons": [cards[0].lesson.pk]}
        )
        assert response.status_code == 302
        preference = StudyPreference.objects.get(user=student)
        assert preference.new_cards_per_day == 5
        assert list(preference.lessons.all()) == [cards[0].lesson]

    def test_the_keyboard_shortcuts_are_on_until_turned_off(self, signed_in, student, cards):
        assert 'id="id_keyboard_shortcuts" checked' in signed_in.get(SETTINGS).content.decode()
        page = signed_in.get(REVIEW).content.decode()
        assert 'data-shortcuts="on"' in page and '<kbd aria-hidden="true">Space</kbd>' in page

        signed_in.post(SETTINGS, {"new_cards_per_day": 20})  # the box left unticked

        assert StudyPreference.objects.get(user=student).keyboard_shortcuts is False
        page = signed_in.get(REVIEW).content.decode()
        assert 'data-shortcuts="off"' in page
        assert '<kbd aria-hidden="true">Space</kbd>' not in page
        assert "The shortcuts are off" in page
        flipped = flip(signed_in, cards[0])
        assert '<kbd aria-hidden="true">3</kbd>' not in flipped

        signed_in.post(SETTINGS, {"new_cards_per_day": 20, "keyboard_shortcuts": "on"})
        assert 'data-shortcuts="on"' in signed_in.get(REVIEW).content.decode()

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"new_cards_per_day": 0}, "Enter at least 1 new card a day."),
            ({"new_cards_per_day": 201}, "Enter at most 200 new cards a day."),
            ({"new_cards_per_day": "lots"}, "Enter a whole number of cards."),
            ({}, "Enter how many new cards a day you want."),
            ({"new_cards_per_day": 5, "lessons": [999_999]}, "does not exist"),
        ],
    )
    def test_bad_settings_are_refused_and_nothing_is_saved(
        self, signed_in, student, cards, data, message
    ):
        response = signed_in.post(SETTINGS, data)
        html = response.content.decode()
        assert response.status_code == 400
        assert message in html
        assert "Your settings were not saved" in html
        assert not StudyPreference.objects.exists()


class TestExport:
    def test_anyone_can_download_all_cards(self, client, cards):
        response = client.get(reverse("quizzes:review_export"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/apkg"
        assert 'filename="uneasy-allies.apkg"' in response["Content-Disposition"]
        assert response.content[:2] == b"PK"  # a zip

    def test_a_lessons_deck(self, client, cards):
        lesson = cards[0].lesson
        response = client.get(f"/review/export/{lesson.slug}.apkg")
        assert response.status_code == 200
        assert f'filename="uneasy-allies-{lesson.slug}.apkg"' in response["Content-Disposition"]

    def test_an_unknown_lesson_is_a_404(self, client, cards):
        assert client.get("/review/export/no-such-lesson.apkg").status_code == 404

    def test_export_queries_do_not_grow_with_cards(self, client, django_assert_num_queries):
        lesson = factories.LessonFactory()
        factories.TermFactory(lesson=lesson)
        sync_cards()
        with django_assert_num_queries(2) as few:
            client.get(f"/review/export/{lesson.slug}.apkg")
        for _ in range(20):
            factories.TermFactory(lesson=lesson)
        sync_cards()
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(f"/review/export/{lesson.slug}.apkg")


class TestQueryCounts:
    """Pinned for the page and each fragment, and the same with much more data."""

    def grow(self, student, cards, factor):
        lesson = cards[0].lesson
        now = timezone.now()
        for _ in range(factor):
            card = factories.CardFactory(lesson=lesson)
            factories.CardStateFactory(user=student, card=card)
            for days in range(3):
                factories.ReviewFactory(
                    user=student, card=card, reviewed_at=now - datetime.timedelta(days=days)
                )

    def test_the_page(self, signed_in, student, cards, django_assert_num_queries):
        self.grow(student, cards, 1)
        save_study_preference(user=student, new_cards_per_day=20, lessons=[cards[0].lesson])
        with django_assert_num_queries(11) as pinned:  # the card, its note
            signed_in.get(REVIEW)
        self.grow(student, cards, 10)
        with django_assert_num_queries(len(pinned.captured_queries)):
            signed_in.get(REVIEW)

    def test_the_flip_fragment(self, signed_in, student, cards, django_assert_num_queries):
        self.grow(student, cards, 1)
        with django_assert_num_queries(11):
            signed_in.get(REVIEW, {"card": cards[0].pk, "answer": 1}, **HTMX)

    def test_the_grade_fragment(self, signed_in, student, cards, django_assert_num_queries):
        self.grow(student, cards, 1)
        token = token_in(flip(signed_in, cards[0]))
        # The study plan is read once for the grade and the next card alike; the undo button
        # takes back the grade just written (no query for it). The card's first state is
        # one INSERT that leaves a state written meanwhile alone (no savepoint around it).
        with django_assert_num_queries(15):
            response = signed_in.post(
                GRADE, {"card": cards[0].pk, "rating": 3, "token": token}, **HTMX
            )
        assert response.status_code == 200

    def test_the_undo_fragment(self, signed_in, student, cards, django_assert_num_queries):
        review_card(user=student, card=cards[0], rating=3, now=timezone.now())
        with django_assert_num_queries(18):
            response = signed_in.post(UNDO, **HTMX)
        assert response.status_code == 200

    def test_the_settings_page(self, signed_in, cards, django_assert_num_queries):
        with django_assert_num_queries(8):  # and the memory model's status (2)
            signed_in.get(SETTINGS)
