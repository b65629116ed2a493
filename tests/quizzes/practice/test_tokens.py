"""Option tokens and answer decoding: known answers for the token, a stable option order
within an attempt, and what real posts of odd form data get back."""

import random
import re
from types import SimpleNamespace

import pytest

from quizzes.practice import attempts
from quizzes.practice.attempts import (
    AnswerTooLong,
    InvalidAnswer,
    ResponseTokens,
    decode_answer,
    option_rng,
    option_token,
    tokens_for,
)
from tests import factories

SECRET = "known-answer-secret"


@pytest.fixture
def known_secret(settings):
    settings.SECRET_KEY = SECRET


# Computed outside the app: hmac-sha256 keyed with sha256(salt + SECRET_KEY) (Django's
# salted_hmac), over "seed:response:key", first 20 hex digits.
@pytest.mark.parametrize(
    ("seed", "response_id", "key", "token"),
    [
        (1234, 56, "a", "0d821a272ee297c0db6d"),
        (1234, 56, "b", "df5b1724cfecbcfced87"),
        (1234, 57, "a", "04fafd1bbd3a78a884f1"),
        (1235, 56, "a", "22b0fcf1d0d872e3dd5a"),
    ],
)
def test_option_token_known_answers(known_secret, seed, response_id, key, token):
    attempt = SimpleNamespace(seed=seed)
    assert option_token(attempt=attempt, response_id=response_id, key=key) == token


def test_a_token_depends_on_the_secret_key(settings):
    attempt = SimpleNamespace(seed=1234)
    settings.SECRET_KEY = SECRET
    known = option_token(attempt=attempt, response_id=56, key="a")
    settings.SECRET_KEY = "another-secret"
    assert option_token(attempt=attempt, response_id=56, key="a") != known


def test_tokens_for_maps_each_token_to_its_key(known_secret):
    attempt = SimpleNamespace(seed=1234)
    assert tokens_for(attempt=attempt, response_id=56, keys=["a", "b"]) == {
        "0d821a272ee297c0db6d": "a",
        "df5b1724cfecbcfced87": "b",
    }


def test_response_tokens_read_back_only_their_own_keys(known_secret):
    tokens = ResponseTokens(attempt=SimpleNamespace(seed=1234), response_id=56)
    assert tokens.token("a") == "0d821a272ee297c0db6d"
    assert tokens.key_for("df5b1724cfecbcfced87", ["a", "b"]) == "b"
    assert tokens.key_for("0d821a272ee297c0db6d", ["b"]) is None  # a key not offered
    assert tokens.key_for("04fafd1bbd3a78a884f1", ["a", "b"]) is None  # another response
    assert tokens.key_for("0D821A272EE297C0DB6D", ["a"]) is None
    assert tokens.key_for("0d821a272ee297c0db6", ["a"]) is None  # one digit short
    assert tokens.key_for("", ["a"]) is None
    assert tokens.key_for("a", ["a"]) is None  # the key itself is not a token
    assert tokens.key_for("0d821a272ee297c0db6d" * 3, ["a"]) is None


def test_option_order_is_seeded_by_attempt_position_and_question():
    response = SimpleNamespace(position=2, question_id=7)
    drawn = option_rng(attempt=SimpleNamespace(seed=1234), response=response).sample(
        range(10), 10
    )
    # The same as Python's own generator seeded with "seed:position:question".
    assert drawn == random.Random("1234:2:7").sample(range(10), 10)
    assert drawn != random.Random("1234:7:2").sample(range(10), 10)


@pytest.mark.django_db
class TestDecoding:
    def response_for(self, kind):
        return factories.ResponseFactory(question=factories.make_question(kind))

    def test_a_choice_decodes_to_its_key(self):
        response = self.response_for("mcq")
        key = response.question.answer["key"]
        token = option_token(attempt=response.attempt, response_id=response.pk, key=key)
        answer = decode_answer(attempt=response.attempt, response=response,
                               data={"choice": token})
        assert answer == {"key": key}

    def test_an_unknown_kind_cannot_be_answered(self):
        response = self.response_for("mcq")
        response.question.kind = "calculated"
        with pytest.raises(InvalidAnswer, match="^This question cannot be answered here.$"):
            decode_answer(attempt=response.attempt, response=response, data={"choice": "x"})

    def test_an_overlong_typed_answer_is_too_long_not_malformed(self):
        response = self.response_for("cloze")
        with pytest.raises(AnswerTooLong, match="keep it under 200 characters") as refused:
            decode_answer(attempt=response.attempt, response=response, data={"text": "y" * 201})
        assert refused.value.status == 413

    def test_an_unreadable_answer_keeps_the_kinds_sentence(self):
        response = self.response_for("cloze")
        with pytest.raises(InvalidAnswer, match="^Type an answer.$") as refused:
            decode_answer(attempt=response.attempt, response=response, data={"text": "  "})
        assert type(refused.value) is InvalidAnswer and refused.value.status == 400


# --- through real requests ------------------------------------------------------------------

OPTION_VALUE = re.compile(r'name="choice"[^>]*value="([0-9a-f]{20})"|'
                          r'value="([0-9a-f]{20})"[^>]*name="choice"')


def option_values(html: str) -> list[str]:
    return [a or b for a, b in OPTION_VALUE.findall(html)]


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def start_with(user, *kinds, seed=7):
    questions = [factories.make_question(kind) for kind in kinds]
    return attempts.start_attempt(user=user, questions=questions, seed=seed)


@pytest.mark.django_db
def test_option_order_is_the_same_each_time_the_question_is_shown(signed_in, student):
    attempt = start_with(student, "mcq")
    first = option_values(signed_in.get(f"/attempts/{attempt.pk}/").content.decode())
    again = option_values(signed_in.get(f"/attempts/{attempt.pk}/").content.decode())
    assert len(first) == 4 and again == first
    response = attempt.responses.get()
    keys = [o["key"] for o in response.question.body["options"]]
    tokens = ResponseTokens(attempt=attempt, response_id=response.pk)
    assert sorted(first) == sorted(tokens.token(key) for key in keys)


@pytest.mark.django_db
def test_a_choice_posted_twice_in_one_form_is_refused(signed_in, student):
    attempt = start_with(student, "mcq")
    response = attempt.responses.get()
    tokens = ResponseTokens(attempt=attempt, response_id=response.pk)
    keys = [o["key"] for o in response.question.body["options"]]
    page = signed_in.post(f"/attempts/{attempt.pk}/answer/0/",
                          {"choice": [tokens.token(keys[0]), tokens.token(keys[1])]})
    assert page.status_code == 400
    assert "sent more than once" in page.content.decode()
    response.refresh_from_db()
    assert response.answered_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Pyong\x00yang", "\x00"])
def test_a_nul_byte_in_a_typed_answer_is_refused(signed_in, student, text):
    attempt = start_with(student, "cloze")
    page = signed_in.post(f"/attempts/{attempt.pk}/answer/0/", {"text": text})
    assert page.status_code == 400
    # Refused by middleware before any view reads it (PostgreSQL could not store it), with
    # the site's 400 page.
    assert "The request could not be understood." in page.content.decode()
    assert attempt.responses.get().answered_at is None


@pytest.mark.django_db
def test_a_typed_answer_of_200_characters_is_taken_and_201_is_too_long(signed_in, student):
    attempt = start_with(student, "cloze", "cloze")
    too_long = signed_in.post(f"/attempts/{attempt.pk}/answer/0/", {"text": "y" * 201})
    assert too_long.status_code == 413
    assert "keep it under 200 characters" in too_long.content.decode()
    assert attempt.responses.get(position=0).answered_at is None

    taken = signed_in.post(f"/attempts/{attempt.pk}/answer/0/", {"text": "y" * 200})
    assert taken.status_code == 302
    stored = attempt.responses.get(position=0)
    assert stored.answered_at is not None and stored.answer == {"text": "y" * 200}
