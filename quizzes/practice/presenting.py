"""What the attempt pages show, built as plain view objects.

A question view carries only what a learner may see before answering: the prompt, the
option texts in this attempt's order, and the opaque values to post. The Question row
(and its answer key) never reaches a template until the response is answered.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.urls import reverse

from quizzes.bank.grading import CHOICE_KINDS, grade
from quizzes.bank.models import QuestionKind
from quizzes.practice.attempts import (
    CHOICE_FIELD,
    MATCH_PREFIX,
    MAX_TYPED_LENGTH,
    RANK_PREFIX,
    TEXT_FIELD,
    feedback_visible,
    item_token_key,
    left_token_key,
    option_rng,
    option_token,
    right_token_key,
    withheld_from_practice,
)

KIND_LABELS = dict(QuestionKind.choices)
# Two-option kinds keep their natural order (True, False; Critics, Proponents): it says
# nothing about the answer, and a shuffled True/False only confuses.
FIXED_ORDER_KINDS = frozenset({QuestionKind.TRUE_FALSE, QuestionKind.WHICH_SIDE})
NATURAL_ORDERS = frozenset({("True", "False"), ("Critics", "Proponents")})


def keeps_natural_order(*, kind, options) -> bool:
    """Only the natural orders stay put. Any other order is an author's, and authors tend to
    put the right answer first (GIFT files usually do): it is shuffled per attempt."""
    return kind in FIXED_ORDER_KINDS and tuple(o.get("text") for o in options) in NATURAL_ORDERS


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class Row:
    """One line of a matching or ordering question: the field to post and its text."""

    name: str
    text: str


@dataclass
class QuestionView:
    attempt_id: int
    position: int
    number: int
    total: int
    kind: str
    kind_label: str
    prompt: str
    action: str
    options: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    right: list = field(default_factory=list)
    ranks: list = field(default_factory=list)
    max_length: int = MAX_TYPED_LENGTH
    choice_field: str = CHOICE_FIELD
    text_field: str = TEXT_FIELD


def _token(attempt, response, key):
    return option_token(attempt=attempt, response_id=response.pk, key=key)


def present_question(*, attempt, response) -> QuestionView:
    question = response.question
    body = question.body or {}
    rng = option_rng(attempt=attempt, response=response)
    view = QuestionView(
        attempt_id=attempt.pk,
        position=response.position,
        number=response.position + 1,
        total=attempt.question_count,
        kind=question.kind,
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        prompt=question.prompt,
        action=reverse("quizzes:answer", args=[attempt.pk, response.position]),
    )
    if question.kind in CHOICE_KINDS:
        options = list(body.get("options", []))
        if not keeps_natural_order(kind=question.kind, options=options):
            rng.shuffle(options)
        view.options = [Choice(_token(attempt, response, o["key"]), o["text"]) for o in options]
    elif question.kind == QuestionKind.MATCHING:
        left, right = list(body.get("left", [])), list(body.get("right", []))
        rng.shuffle(left)
        rng.shuffle(right)
        view.rows = [
            Row(MATCH_PREFIX + _token(attempt, response, left_token_key(o["key"])), o["text"])
            for o in left
        ]
        view.right = [
            Choice(_token(attempt, response, right_token_key(o["key"])), o["text"]) for o in right
        ]
    elif question.kind == QuestionKind.ORDERING:
        items = list(body.get("items", []))
        rng.shuffle(items)
        view.rows = [
            Row(RANK_PREFIX + _token(attempt, response, item_token_key(o["key"])), o["text"])
            for o in items
        ]
        view.ranks = list(range(1, len(items) + 1))
    return view


# --- after answering ---------------------------------------------------------------------


@dataclass
class FeedbackView:
    attempt_id: int
    position: int
    number: int
    total: int
    kind_label: str
    prompt: str
    visible: bool
    verdict: str = ""  # "correct", "partly", "incorrect"
    credit: float = 0.0
    message: str = ""
    your_answer: str = ""
    correct_answer: str = ""
    rows: list = field(default_factory=list)
    explanation: str = ""
    citation: str = ""
    section_heading: str = ""
    section_url: str = ""
    editor_note: object = None
    next_url: str = ""
    next_label: str = ""
    held_back: bool = False  # a practice question an open assignment holds back


def _texts(entries) -> dict:
    return {entry["key"]: entry["text"] for entry in entries or ()}


def answer_rows(*, question, answer) -> list[dict]:
    """Line by line for matching and ordering: what was given, what is right."""
    body, key = question.body or {}, question.answer or {}
    answer = answer or {}
    if question.kind == QuestionKind.MATCHING:
        left, right = _texts(body.get("left")), _texts(body.get("right"))
        chosen = answer.get("pairs") or {}
        return [
            {
                "text": left.get(lk, ""),
                "yours": right.get(chosen.get(lk), "—"),
                "right": right.get(rk, ""),
                "ok": chosen.get(lk) == rk,
            }
            for lk, rk in key.get("pairs", {}).items()
        ]
    if question.kind == QuestionKind.ORDERING:
        items = _texts(body.get("items"))
        chosen = answer.get("order") or []
        return [
            {
                "text": f"{n}.",
                "yours": items.get(chosen[n - 1], "—") if n <= len(chosen) else "—",
                "right": items.get(rk, ""),
                "ok": n <= len(chosen) and chosen[n - 1] == rk,
            }
            for n, rk in enumerate(key.get("order", []), 1)
        ]
    return []


def answer_text(*, question, answer) -> str:
    """The learner's answer in words."""
    if not answer:
        return "No answer"
    body = question.body or {}
    if question.kind in CHOICE_KINDS:
        return _texts(body.get("options")).get(answer.get("key"), "")
    if question.kind == QuestionKind.CLOZE:
        return answer.get("text", "")
    if question.kind == QuestionKind.MATCHING:
        left, right = _texts(body.get("left")), _texts(body.get("right"))
        return "; ".join(
            f"{left.get(lk, '')} → {right.get(rk, '')}"
            for lk, rk in (answer.get("pairs") or {}).items()
        )
    if question.kind == QuestionKind.ORDERING:
        items = _texts(body.get("items"))
        return "; ".join(items.get(k, "") for k in answer.get("order") or [])
    return ""


def section_link(question) -> tuple[str, str]:
    section = question.section
    if section is None:
        if question.lesson_id:
            return question.lesson.title, question.lesson.get_absolute_url()
        return "", ""
    return section.heading, section.get_absolute_url()


def present_feedback(*, attempt, response, now=None) -> FeedbackView:
    question = response.question
    finished = attempt.finished_at is not None
    view = FeedbackView(
        attempt_id=attempt.pk,
        position=response.position,
        number=response.position + 1,
        total=attempt.question_count,
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        prompt=question.prompt,
        visible=feedback_visible(attempt=attempt, now=now),
        next_url=reverse("quizzes:results" if finished else "quizzes:attempt", args=[attempt.pk]),
        next_label="See results" if finished else "Next question",
    )
    if not attempt.assignment_id:  # drawn before an assignment that holds it back opened
        view.held_back = response.question_id in withheld_from_practice(
            user=attempt.user, now=now
        )
        view.visible = not view.held_back
    if not view.visible:
        return view
    result = grade(question=question, submitted=response.answer or {})
    view.credit = response.credit or 0.0
    view.verdict = (
        "correct" if response.is_correct else ("partly" if view.credit > 0 else "incorrect")
    )
    view.message = result.message
    view.your_answer = answer_text(question=question, answer=response.answer)
    view.correct_answer = result.correct_display
    view.rows = answer_rows(question=question, answer=response.answer)
    view.explanation = question.explanation
    if question.citation_id:
        cited = f"{question.citation.source.title}, {question.citation.locator}"
        # Generated explanations already end with their source; say it once.
        view.citation = "" if cited in question.explanation else cited
    view.section_heading, view.section_url = section_link(question)
    view.editor_note = question.editor_note
    return view


# --- results -----------------------------------------------------------------------------


@dataclass
class Tally:
    label: str
    count: int = 0
    credit: float = 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.credit / self.count) if self.count else 0


@dataclass
class ResultsView:
    attempt_id: int
    visible: bool
    score: float
    total: int
    percent: int
    by_kind: list
    by_lesson: list
    reviews: list
    missed: int
    held_back: bool = False  # a practice attempt holding a question an assignment holds back


def present_results(*, attempt, responses, now=None) -> ResultsView:
    """`responses`: the attempt's responses with question, lesson and section joined.

    The right answer, explanation and editor's note are shown only for questions answered:
    handing in at once must not turn a quiz into an answer key."""
    responses = list(responses)
    visible = feedback_visible(attempt=attempt, now=now)
    held_back = False
    if not attempt.assignment_id:
        withheld = withheld_from_practice(user=attempt.user, now=now)
        # Even one answered question held back would be given away by the score.
        held_back = any(r.question_id in withheld for r in responses if r.answered_at)
        visible = visible and not held_back
    by_kind, by_lesson, reviews = OrderedDict(), OrderedDict(), []
    missed = 0
    for response in responses:
        question = response.question
        credit = response.credit or 0.0
        kind = by_kind.setdefault(question.kind, Tally(KIND_LABELS.get(question.kind, "")))
        kind.count += 1
        kind.credit += credit
        lesson_title = question.lesson.title if question.lesson_id else "Across the course"
        lesson = by_lesson.setdefault(lesson_title, Tally(lesson_title))
        lesson.count += 1
        lesson.credit += credit
        if not response.is_correct:
            missed += 1
        heading, url = section_link(question)
        answered = response.answered_at is not None
        reviews.append(
            {
                "number": response.position + 1,
                "kind_label": kind.label,
                "prompt": question.prompt,
                "answered": answered,
                "is_correct": bool(response.is_correct),
                "credit": credit,
                "your_answer": answer_text(question=question, answer=response.answer),
                "correct_answer": (
                    grade(question=question, submitted={}).correct_display if answered else ""
                ),
                "rows": answer_rows(question=question, answer=response.answer) if answered else [],
                "explanation": question.explanation if answered else "",
                "section_heading": heading,
                "section_url": url,
                "editor_note": question.editor_note if answered else None,
                "retired": question.retired_at is not None,
            }
        )
    score = attempt.score or 0.0
    total = attempt.question_count
    return ResultsView(
        attempt_id=attempt.pk,
        visible=visible,
        score=score,
        total=total,
        percent=round(100 * score / total) if total else 0,
        by_kind=list(by_kind.values()),
        by_lesson=list(by_lesson.values()),
        reviews=reviews if visible else [],
        missed=missed,
        held_back=held_back,
    )
