"""What every question kind provides, and what the one-right-option kinds share.

A kind owns everything that differs from one Question.kind to another: the body/answer
shapes, drafts and their authoring form, the question page and what it posts back, grading,
the feedback, GIFT, and how item analysis names an answer. Callers look it up
(quizzes.bank.kinds.kind_for) instead of branching on the code.

`question` below is anything with `kind`, `body` and `answer` (a Question row or a
stand-in); the learner's `answer` / `submitted` is the canonical answer of grading.py.
The attempt engine (quizzes.practice) makes the opaque values a page posts and hands them
in as `tokens`, so the bank never learns how they are made.
"""

import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from django.utils.module_loading import import_string

from quizzes.bank.drafts import LIMITS, MAX_TEXT, QuestionDraft
from quizzes.bank.gift_syntax import GiftBlock, escape
from quizzes.bank.grading import Grade

# The field a page posts its chosen option in.
CHOICE_FIELD = "choice"


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class Row:
    """One line of a matching or ordering question: the field to post and its text."""

    name: str
    text: str


class Tokens(Protocol):
    """Opaque values for one response's keys (implemented by quizzes.practice.attempts)."""

    def token(self, key: str) -> str:
        """What the page shows, and posts back, for `key`."""

    def key_for(self, value: str, keys: Iterable[str]) -> str | None:
        """Which of `keys` a posted value stands for; None when none."""


# --- reading what a page posts -------------------------------------------------------------


class UnreadableAnswer(Exception):
    """A posted answer a kind cannot read; the attempt engine refuses it in its own terms."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OverlongAnswer(UnreadableAnswer):
    """A typed answer longer than a page allows (refused as too large, not as malformed)."""


def _posted_values(data, name: str) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def posted_value(data, name: str, *, missing: str) -> str:
    """The one value posted under `name`; `missing` is the sentence when there is none."""
    values = _posted_values(data, name)
    if not values:
        raise UnreadableAnswer(missing)
    if len(values) > 1:
        raise UnreadableAnswer("The answer was sent more than once in one form; send it once.")
    value = values[0]
    # A NUL character cannot be stored in PostgreSQL text or jsonb (a 500 there).
    if not isinstance(value, str) or "\x00" in value:
        raise UnreadableAnswer("The answer could not be read.")
    return value


# --- shared helpers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    credit: float  # 0..1
    message: str = ""
    close_match: bool = False


def texts_by_key(entries) -> dict:
    return {entry["key"]: entry["text"] for entry in entries or ()}


def body_of(question) -> dict:
    return question.body or {}


def key_of(question) -> dict:
    """The stored answer: what is right."""
    return question.answer or {}


def entry_keys(value, name: str, problems: list, *, low: int = 2) -> list:
    """The keys of a body's list of {key, text} entries, noting in `problems` what is wrong."""
    if not isinstance(value, list) or len(value) < low:
        problems.append(f"“{name}” needs a list of at least {low} entries.")
        return []
    if not all(
        isinstance(e, dict) and e.get("key") and str(e.get("text", "")).strip() for e in value
    ):
        problems.append(f"Every entry of “{name}” needs a key and a text.")
        return []
    keys = [e["key"] for e in value]
    if len(set(keys)) != len(keys):
        problems.append(f"The keys in “{name}” must differ.")
    return keys


def option_feedback(keys: list[str], feedback: list[str]) -> dict:
    """{"feedback": {key: text}} for the options that have feedback; {} when none has."""
    given = {key: text.strip() for key, text in zip(keys, feedback, strict=False) if text.strip()}
    return {"feedback": given} if given else {}


def feedback_list(keys: list[str], answer: dict) -> list[str]:
    """Feedback per option in the options' order; [] when none has any."""
    given = answer.get("feedback") or {}
    return [given.get(key, "") for key in keys] if any(given.values()) else []


def keep_keys(existing: list[dict], count: int) -> list[str]:
    """Keep the keys an edited question had, position by position, so past answers still match."""
    keys = [entry.get("key") for entry in existing][:count]
    keys = [key for key in keys if key]
    while len(keys) < count:
        keys.append(secrets.token_hex(4))
    return keys


def text_problems(texts: list[str], *, distinct: bool = False) -> list[str]:
    """What is wrong with the texts a person typed for options, items or answers."""
    problems = []
    if any(not text.strip() for text in texts):
        problems.append("An answer or option is empty.")
    if any(len(text) > MAX_TEXT for text in texts):
        problems.append(f"An answer or option is longer than {MAX_TEXT} characters.")
    if distinct:
        folded = [text.strip().casefold() for text in texts]
        if len(set(folded)) != len(folded):
            problems.append("Two options are the same.")
    return problems


# --- the kind ------------------------------------------------------------------------------


class Kind(ABC):
    code: str  # the Question.kind value
    # The authoring form, by dotted path: forms build on authoring, which builds on kinds.
    form_path: str
    # The partial of the question page (templates/quizzes/practice/attempt.html) that shows
    # the answer fields: "answer_<widget>".
    widget: str
    # Graded by the server when answered; False for a written answer (a person marks it) and
    # a description (nothing to grade): their responses keep credit None until then.
    graded_on_answer: bool = True
    # Marked by a person: in practice the learner rates it, in an assignment the instructor.
    marked_by_person: bool = False
    # Counts in scores and item analysis; False for a description.
    scored: bool = True
    # Written in GIFT with an answer block ({ }); False for a description (text alone).
    gift_block: bool = True

    @cached_property
    def form_class(self):
        return import_string(self.form_path)

    def __repr__(self):
        return f"<{type(self).__name__} {self.code!r}>"

    # The stored question.

    @abstractmethod
    def shape_problems(self, *, body: dict, answer: dict) -> list[str]:
        """Why a body and answer do not fit this kind; [] if they do."""

    # Authoring: drafts to stored shapes and back.

    @abstractmethod
    def draft_problems(self, draft: QuestionDraft) -> list[str]:
        """What is wrong with the answer part of a draft (the prompt is checked by authoring)."""

    @abstractmethod
    def question_data(self, draft: QuestionDraft, *, old_body: dict) -> dict:
        """{"body", "answer"} for a valid draft; `old_body` lends its keys to an edit."""

    @abstractmethod
    def draft_fields(self, *, body: dict, answer: dict) -> dict:
        """The QuestionDraft fields that hold this kind's answer, from a stored question."""

    # The question page: what it shows, what it posts, and posts to test with.

    @abstractmethod
    def page_fields(self, *, question, tokens: Tokens, rng) -> dict:
        """QuestionView fields (options, rows, right, ranks), shuffled by `rng`."""

    @abstractmethod
    def read_answer(self, *, question, data, tokens: Tokens) -> dict:
        """The canonical answer in posted form data; raises UnreadableAnswer."""

    @abstractmethod
    def posted_fields(self, *, question, tokens: Tokens, right: bool) -> dict:
        """What a learner's page posts for the right answer (or a wrong one)."""

    # Grading and feedback.

    @abstractmethod
    def score(self, *, question, submitted: dict) -> Score: ...

    def grade(self, *, question, submitted: dict) -> Grade:
        score = self.score(question=question, submitted=submitted)
        return Grade(
            credit=score.credit,
            is_correct=score.credit == 1.0,
            close_match=score.close_match,
            correct_display=self.correct_display(question=question),
            message=score.message,
        )

    @abstractmethod
    def correct_display(self, *, question) -> str:
        """The right answer in words, as the feedback shows it."""

    @abstractmethod
    def answer_text(self, *, question, answer: dict) -> str:
        """The learner's (non-empty) answer in words."""

    def answer_rows(self, *, question, answer: dict) -> list[dict]:
        """Line by line, what was given and what is right; only arrangements have lines."""
        return []

    def describe_answer(self, *, body: Mapping, answer) -> str | None:
        """One wrong answer as text, for item analysis; None when it is not one text."""
        return None

    # GIFT.

    def gift_lines(self, draft: QuestionDraft) -> list[str] | None:
        """The lines inside { }, or None when GIFT cannot hold this question."""
        return None

    def gift_losses(self, draft: QuestionDraft) -> list[str]:
        """What of the question GIFT cannot hold (said in the export), e.g. "its rubric"."""
        return []

    def read_gift(self, block: GiftBlock) -> QuestionDraft | None:
        """A draft from an answer block written in this kind's GIFT syntax, else None.
        Raises GiftProblem when the syntax is this kind's but breaks its rules."""
        return None


class ChoiceKind(Kind):
    """One right option among a few: body {"options": [{key, text}]}, answer {"key": k}."""

    form_path = "quizzes.bank.forms.ChoiceQuestionForm"
    widget = "choice"
    # Options in exactly this order are shown as they are (True, False; Critics, Proponents):
    # it says nothing about the answer. Any other order is an author's, and authors tend to
    # put the right answer first (GIFT files usually do), so it is shuffled per attempt.
    natural_order: tuple[str, ...] = ()

    def shape_problems(self, *, body, answer):
        problems = []
        keys = entry_keys(body.get("options"), "options", problems)
        if keys and answer.get("key") not in keys:
            problems.append("The answer key must be one of the options' keys.")
        feedback = answer.get("feedback", {})
        if not isinstance(feedback, dict) or not set(feedback) <= set(keys):
            problems.append("“feedback” must be texts by option key.")
        return problems

    def draft_problems(self, draft):
        problems = []
        low, high = LIMITS["options"]
        if not low <= len(draft.options) <= high:
            problems.append(f"A multiple-choice question needs {low} to {high} options.")
        if draft.correct is None or not 0 <= draft.correct < len(draft.options):
            problems.append("Mark exactly one option as the right answer.")
        return problems + text_problems(draft.options, distinct=True)

    def question_data(self, draft, *, old_body):
        keys = keep_keys(old_body.get("options", []), len(draft.options))
        options = [{"key": k, "text": t.strip()} for k, t in zip(keys, draft.options, strict=True)]
        answer = {"key": keys[draft.correct], **option_feedback(keys, draft.feedback)}
        return {"body": {"options": options}, "answer": answer}

    def draft_fields(self, *, body, answer):
        options = body.get("options", [])
        keys = [o["key"] for o in options]
        key = answer.get("key")
        correct = keys.index(key) if key in keys else None
        return {
            "options": [o["text"] for o in options], "correct": correct,
            "feedback": feedback_list(keys, answer),
        }

    def page_fields(self, *, question, tokens, rng):
        options = list(body_of(question).get("options", []))
        if not self.natural_order or tuple(o.get("text") for o in options) != self.natural_order:
            rng.shuffle(options)
        return {"options": [Choice(tokens.token(o["key"]), o["text"]) for o in options]}

    def read_answer(self, *, question, data, tokens):
        value = posted_value(data, CHOICE_FIELD, missing="Choose one of the options.")
        key = tokens.key_for(value, [o["key"] for o in body_of(question)["options"]])
        if key is None:
            raise UnreadableAnswer("That is not one of the options for this question.")
        return {"key": key}

    def posted_fields(self, *, question, tokens, right):
        right_key = key_of(question)["key"]
        keys = [o["key"] for o in body_of(question)["options"]]
        key = right_key if right else next(k for k in keys if k != right_key)
        return {CHOICE_FIELD: tokens.token(key)}

    def score(self, *, question, submitted):
        key = key_of(question)
        chosen = submitted.get("key")
        # The chosen option's own feedback (Moodle's #feedback), when it has one.
        message = (key.get("feedback") or {}).get(chosen, "") if chosen else ""
        return Score(1.0 if chosen == key.get("key") else 0.0, message)

    def correct_display(self, *, question):
        return texts_by_key(body_of(question).get("options")).get(key_of(question).get("key"), "")

    def answer_text(self, *, question, answer):
        return texts_by_key(body_of(question).get("options")).get(answer.get("key"), "")

    def describe_answer(self, *, body, answer):
        options = {o.get("key"): o.get("text") for o in (body or {}).get("options", [])}
        if isinstance(answer, Mapping):
            return options.get(answer["key"]) if "key" in answer else None
        # Answers stored as the bare key.
        return options.get(answer) if isinstance(answer, str) else None

    def gift_lines(self, draft):
        # Written as multiple choice whatever the choice kind: GIFT has no other.
        return [
            f"{'=' if index == draft.correct else '~'}{escape(text)}"
            + (f"#{escape(draft.feedback[index])}" if index < len(draft.feedback)
               and draft.feedback[index] else "")
            for index, text in enumerate(draft.options)
        ]
