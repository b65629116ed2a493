"""Cards answered by typing, the first-letter hint and "I was right"
(quizzes/review/typed_cards.py and the review page's answer and override posts)."""

import re

import pytest
from fsrs import Rating

from quizzes.models import Card, CardState, Review
from quizzes.review.cards import sync_cards
from quizzes.review.typed_cards import first_letter, override_typed_answer, typed_verdict
from tests import factories

pytestmark = pytest.mark.django_db

REVIEW = "/review/"
ANSWER = "/review/answer/"
OVERRIDE = "/review/override/"
GRADE = "/review/grade/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def fact_card():
    lesson = factories.LessonFactory(title="The border")
    factories.FactFactory(lesson=lesson,
                          text="Much of the border follows the [[Yalu|Amnok]] River.")
    factories.FactFactory(lesson=lesson, text="The bridge joins Dandong and [[Sinuiju]].")
    sync_cards()
    return Card.objects.active().order_by("pk").first()


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def token_in(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def front(client, card, **params):
    response = client.get(REVIEW, {"card": card.pk, **params})
    assert response.status_code == 200
    return response.content.decode()


def typed(client, card, text, **extra):
    html = front(client, card, **extra)
    return client.post(ANSWER, {"card": card.pk, "token": token_in(html), "typed": text})


# --- the verdict -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hinted", "right", "rating"),
    [
        ("Yalu", False, True, Rating.Good),
        ("  the yalu. ", False, True, Rating.Good),  # the grader's forgiveness
        ("Amnok", False, True, Rating.Good),  # an accepted alternative
        ("Yalu", True, True, Rating.Hard),  # the hint caps the grade
        ("Tumen", False, False, Rating.Again),
        ("Tumen", True, False, Rating.Again),
        ("", False, False, Rating.Again),
    ],
)
def test_the_typed_answer_grader_decides_the_rating(fact_card, text, hinted, right, rating):
    verdict = typed_verdict(typed=text, card=fact_card, hinted=hinted)
    assert (verdict.right, verdict.rating) == (right, rating)


def test_a_one_letter_slip_in_a_long_word_is_right_but_hard():
    card = Card(answer="Pyongyang", alternatives=[])
    verdict = typed_verdict(typed="Pyongyng", card=card)
    assert (verdict.right, verdict.close, verdict.rating) == (True, True, Rating.Hard)
    assert "spelling" in verdict.sentence


def test_the_hint_is_the_first_letter_or_digit():
    assert first_letter(Card(answer="“Juche”")) == "J"
    assert first_letter(Card(answer="1961 treaty")) == "1"
    assert first_letter(Card(answer="")) == ""


# --- the page ----------------------------------------------------------------------------


def test_a_typeable_card_offers_a_box_to_type_in_and_a_hint_link(signed_in, fact_card):
    html = front(signed_in, fact_card)
    assert 'action="/review/answer/"' in html
    assert 'id="typed-answer"' in html and "Show the first letter" in html
    assert "Show answer and grade yourself" in html  # flipping stays possible


def test_a_term_card_is_not_one_to_type(signed_in):
    factories.TermFactory(term="Juche", definition="Self-reliance.")
    sync_cards()
    card = Card.objects.get(kind=Card.Kind.TERM)
    assert 'action="/review/answer/"' not in front(signed_in, card)
    html = front(signed_in, card, answer=1)
    response = signed_in.post(ANSWER, {"card": card.pk, "token": token_in(html), "typed": "x"})
    assert response.status_code == 400
    assert "no answer to type" in response.content.decode()
    assert not Review.objects.exists()


def test_a_right_answer_is_recorded_as_good_and_its_verdict_shown(signed_in, student, fact_card):
    response = typed(signed_in, fact_card, "yalu")

    review = Review.objects.get()
    assert (review.rating, review.typed_answer, review.hinted, review.overridden) == (
        3, "yalu", False, False
    )
    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}?result={review.pk}"
    html = signed_in.get(response["Location"]).content.decode()
    assert "Right: counted as Good." in html and "You typed: <strong>yalu</strong>" in html
    assert "I was right" not in html  # nothing to override
    assert CardState.objects.get(user=student, card=fact_card).state == 1


def test_a_wrong_answer_then_i_was_right_counts_as_good_on_the_same_review(
    signed_in, student, fact_card
):
    response = typed(signed_in, fact_card, "the Yalu River")  # right, but not as the card has it
    review = Review.objects.get()
    assert review.rating == 1
    again_due = CardState.objects.get(user=student).due
    page = signed_in.get(response["Location"]).content.decode()
    assert "Not what the card says: counted as Again." in page
    assert "I was right: count it as Good" in page

    response = signed_in.post(OVERRIDE, {"review": review.pk})

    assert response.status_code == 302 and response["Location"] == REVIEW
    review.refresh_from_db()
    assert (review.rating, review.overridden, review.typed_answer) == (3, True, "the Yalu River")
    assert Review.objects.count() == 1  # the same row, regraded, not a second review
    state = CardState.objects.get(user=student)
    assert state.due > again_due  # Good's interval, from the state before the answer
    assert "Counted as right" in signed_in.get(REVIEW).content.decode()
    # The result page now says so, and offers no second override.
    shown = signed_in.get(f"{REVIEW}?result={review.pk}").content.decode()
    assert "You said you were right: counted as Good." in shown and "I was right" not in shown


def test_i_was_right_gives_the_same_schedule_as_grading_good_in_the_first_place(
    signed_in, student, fact_card
):
    from quizzes.review.scheduling import SCHEDULER, to_fsrs

    typed(signed_in, fact_card, "wrong")
    review = Review.objects.get()
    override_typed_answer(user=student, review_id=review.pk)

    expected, _ = SCHEDULER.review_card(
        to_fsrs(None, card_id=fact_card.pk, now=review.reviewed_at), Rating.Good,
        review.reviewed_at,
    )
    assert CardState.objects.get(user=student).due == expected.due


def test_with_htmx_the_answer_swaps_in_its_verdict_and_the_override_its_next_card(
    signed_in, fact_card
):
    html = front(signed_in, fact_card)
    response = signed_in.post(
        ANSWER, {"card": fact_card.pk, "token": token_in(html), "typed": "Tumen"}, **HTMX
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert "Not what the card says" in fragment and 'action="/review/override/"' in fragment
    assert re.search(r'role="status"[^>]*>\s*<p class="message">Not what the card says', fragment)
    assert "HX-Request" in response["Vary"]

    review = Review.objects.get()
    response = signed_in.post(OVERRIDE, {"review": review.pk}, **HTMX)
    assert response.status_code == 200
    assert "Counted as right" in response.content.decode()


def test_the_hint_caps_a_right_answer_at_hard_and_the_override_too(signed_in, fact_card):
    html = front(signed_in, fact_card, hint=1)
    assert "It starts with “Y”" in html
    signed_in.post(ANSWER, {"card": fact_card.pk, "token": token_in(html), "typed": "Yalu"})
    assert Review.objects.get().rating == 2 and Review.objects.get().hinted


def test_after_a_hint_grading_oneself_is_hard_at_most(signed_in, fact_card):
    html = front(signed_in, fact_card, hint=1, answer=1)
    assert 'name="rating" value="4"' not in html and 'name="rating" value="2"' in html
    signed_in.post(GRADE, {"card": fact_card.pk, "token": token_in(html), "rating": 4})
    review = Review.objects.get()
    assert (review.rating, review.hinted) == (2, True)


def test_a_hinted_wrong_answer_overridden_counts_as_hard(student, signed_in, fact_card):
    html = front(signed_in, fact_card, hint=1)
    signed_in.post(ANSWER, {"card": fact_card.pk, "token": token_in(html), "typed": "Tumen"})
    override_typed_answer(user=student, review_id=Review.objects.get().pk)
    assert Review.objects.get().rating == 2


def test_an_answer_posted_twice_counts_once(signed_in, fact_card):
    html = front(signed_in, fact_card)
    data = {"card": fact_card.pk, "token": token_in(html), "typed": "Tumen"}
    first = signed_in.post(ANSWER, data)
    second = signed_in.post(ANSWER, data)
    assert first["Location"] == second["Location"]
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"typed": ""}, "Type an answer first"),
        ({"typed": "x" * 301}, "longer than any card"),
        ({"typed": "Yalu", "token": "forged"}, "damaged or out of date"),
    ],
)
def test_a_bad_answer_post_says_why_and_changes_nothing(signed_in, fact_card, data, message):
    html = front(signed_in, fact_card)
    response = signed_in.post(ANSWER, {"card": fact_card.pk, "token": token_in(html), **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Review.objects.exists() and not CardState.objects.exists()


def test_i_was_right_is_refused_when_it_does_not_apply(signed_in, student, fact_card):
    other = factories.UserFactory()
    typed(signed_in, fact_card, "Yalu")  # right already
    right = Review.objects.get()
    cases = [
        ({"review": right.pk}, 409, "counted as right already"),
        ({"review": "abc"}, 400, "did not say which answer"),
        ({"review": 10**6}, 404, "not one of yours"),
    ]
    for data, status, sentence in cases:
        response = signed_in.post(OVERRIDE, data)
        assert response.status_code == status
        assert sentence in response.content.decode()
    signed_in.force_login(other)
    assert signed_in.post(OVERRIDE, {"review": right.pk}).status_code == 404
    right.refresh_from_db()
    assert (right.rating, right.overridden) == (3, False)


def test_i_was_right_is_refused_once_the_card_was_reviewed_again(signed_in, student, fact_card):
    from django.utils import timezone

    from quizzes.review.scheduling import review_card

    typed(signed_in, fact_card, "Tumen")
    wrong = Review.objects.get()
    review_card(user=student, card=fact_card, rating=3, now=timezone.now())
    state = CardState.objects.get(user=student)

    response = signed_in.post(OVERRIDE, {"review": wrong.pk})

    assert response.status_code == 409 and "reviewed since" in response.content.decode()
    wrong.refresh_from_db()
    assert wrong.rating == 1 and not wrong.overridden
    assert CardState.objects.get(user=student).due == state.due


def test_undo_after_i_was_right_takes_the_whole_answer_back(signed_in, student, fact_card):
    typed(signed_in, fact_card, "Tumen")
    signed_in.post(OVERRIDE, {"review": Review.objects.get().pk})
    signed_in.post("/review/undo/")
    assert not CardState.objects.filter(user=student).exists()
    assert Review.objects.get().undone_at is not None
