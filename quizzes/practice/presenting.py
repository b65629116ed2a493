"""What the attempt pages show, built as plain view objects.

A question view carries only what a learner may see before answering: the prompt, the
option texts in this attempt's order, and the opaque values to post. The Question row
(and its answer key) never reaches a template until the response is answered.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.urls import reverse

from quizzes.bank.grading import grade
from quizzes.bank.kinds import KINDS, UNSCORED_KINDS
from quizzes.bank.kinds.base import CHOICE_FIELD
from quizzes.bank.kinds.cloze import MAX_TYPED_LENGTH, TEXT_FIELD
from quizzes.bank.kinds.numerical import MAX_NUMBER_LENGTH, NUMBER_FIELD
from quizzes.bank.kinds.written import (
    MAX_WRITTEN_LENGTH,
    SELF_RATINGS,
    WRITTEN_FIELD,
    max_mark,
    model_answer,
    rubric_of,
    sources_of,
)
from quizzes.bank.models import QuestionKind
from quizzes.bank.versions import as_version
from quizzes.practice.attempts import (
    ResponseTokens,
    feedback_visible,
    held_back_from_practice,
    option_rng,
    unanswered,
    withheld_from_practice,
)
from quizzes.practice.positions import question_number

KIND_LABELS = dict(QuestionKind.choices)


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
    # Filled by the question's kind (Kind.page_fields): the Choices of a choice kind, the Rows
    # and right-hand Choices of matching, the Rows and ranks of ordering.
    options: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    right: list = field(default_factory=list)
    ranks: list = field(default_factory=list)
    max_length: int = MAX_TYPED_LENGTH
    choice_field: str = CHOICE_FIELD
    text_field: str = TEXT_FIELD
    number_field: str = NUMBER_FIELD
    number_max_length: int = MAX_NUMBER_LENGTH
    written_field: str = WRITTEN_FIELD
    written_max_length: int = MAX_WRITTEN_LENGTH
    # The question page's partial for this kind's answer fields (Kind.widget).
    answer_template: str = ""


QUESTION_PAGE = "quizzes/practice/attempt.html"


def present_question(*, attempt, response) -> QuestionView:
    question = response.question
    kind = KINDS.get(question.kind)
    shown = {}  # a kind no module defines is shown with its prompt only
    if kind is not None:
        tokens = ResponseTokens(attempt=attempt, response_id=response.pk)
        rng = option_rng(attempt=attempt, response=response)
        shown = kind.page_fields(question=question, tokens=tokens, rng=rng)
    return QuestionView(
        attempt_id=attempt.pk,
        position=response.position,
        number=question_number(attempt, response.position),
        total=attempt.question_count,
        kind=question.kind,
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        prompt=question.prompt,
        action=reverse("quizzes:answer", args=[attempt.pk, response.position]),
        answer_template=f"{QUESTION_PAGE}#answer_{kind.widget}" if kind else "",
        **shown,
    )


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
    # The public record a course-context citation rests on, shown with it.
    record: str = ""
    section_heading: str = ""
    section_url: str = ""
    editor_note: object = None
    next_url: str = ""
    next_label: str = ""
    held_back: bool = False  # a practice question an open assignment holds back
    version_number: int | None = None
    all_answered: bool = False  # nothing left to answer: "Hand in now" has no more use
    written: "WrittenFeedback | None" = None  # a written answer's model answer, rubric, mark


@dataclass
class WrittenFeedback:
    """After a written answer: what a full answer says, the rubric, and the rating or mark."""

    model_answer: str
    rubric: list  # [{"text", "points"}]
    max_mark: int
    sources: list = field(default_factory=list)  # the citations the model answer rests on
    rate_action: str = ""  # practice, not yet rated: where the self-rating posts
    ratings: list = field(default_factory=list)  # [(value, label)]
    self_rating: str = ""  # the learner's own rating, once given
    awaiting_mark: bool = False  # an assignment's answer no instructor has marked yet
    mark: float | None = None
    comment: str = ""


def written_feedback(*, attempt, response) -> WrittenFeedback:
    question = response.question
    view = WrittenFeedback(
        model_answer=model_answer(question),
        rubric=[
            {"text": c.get("text", ""), "points": c.get("points")} for c in rubric_of(question)
        ],
        max_mark=max_mark(question),
        sources=sources_of(question),
    )
    if attempt.assignment_id:
        view.awaiting_mark = response.marked_at is None
        view.mark, view.comment = response.mark, response.mark_comment
    elif response.self_rating is None:
        view.rate_action = reverse("quizzes:rate_written", args=[attempt.pk, response.position])
        view.ratings = [(value, label) for value, (label, _credit) in SELF_RATINGS.items()]
    else:
        view.self_rating = SELF_RATINGS.get(response.self_rating, ("", 0))[0]
    return view


def answer_rows(*, question, answer) -> list[dict]:
    """Line by line for matching and ordering: what was given, what is right."""
    kind = KINDS.get(question.kind)
    return kind.answer_rows(question=question, answer=answer or {}) if kind else []


def _pair_sources(question) -> list[dict]:
    key = question.answer or {}
    sources = key.get("sources") or {}
    order = list(key.get("pairs") or {}) or list(key.get("order") or [])
    return [sources.get(k) or {} for k in order] if sources else []


def pair_notes(questions) -> dict:
    """The editor's notes the questions' pairs point to, in one query (none if none)."""
    from relations.models import EditorNote

    ids = {s["note"] for q in questions for s in _pair_sources(q) if s.get("note")}
    return EditorNote.objects.in_bulk(list(ids)) if ids else {}


def with_pair_sources(rows: list[dict], *, question, notes=None) -> list[dict]:
    """Each matching pair or ordering event with its own citation and editor's note (the
    answer's "sources", in the order answer_rows lists them); rows as they were otherwise.
    `notes` from pair_notes, when many questions are shown at once."""
    picked = _pair_sources(question)
    if not rows or not picked:
        return rows
    notes = pair_notes([question]) if notes is None else notes
    for row, source in zip(rows, picked, strict=False):
        row["source"] = source.get("cited", "")
        row["note"] = notes.get(source.get("note"))
    return rows


def answer_text(*, question, answer) -> str:
    """The learner's answer in words."""
    if not answer:
        return "No answer"
    kind = KINDS.get(question.kind)
    return kind.answer_text(question=question, answer=answer) if kind else ""


def citation_record(citation) -> str:
    """The record a citation of the course's own context rests on; nothing for a document."""
    return citation.record if citation.source.is_course_context else ""


def section_link(question) -> tuple[str, str]:
    section = question.section
    if section is None:
        if question.lesson_id:
            return question.lesson.title, question.lesson.get_absolute_url()
        return "", ""
    return section.heading, section.get_absolute_url()


def answered_question(response):
    """The question as the response was answered (or drawn): its version, not today's row."""
    return as_version(response.question, response.version if response.version_id else None)


def present_feedback(*, attempt, response, now=None) -> FeedbackView:
    question = answered_question(response)
    finished = attempt.finished_at is not None
    # An assignment's last answer leads to the review before handing in, not to the results.
    to_hand_in = (
        not finished and attempt.assignment_id is not None
        and not unanswered(attempt=attempt).exists()
    )
    view = FeedbackView(
        attempt_id=attempt.pk,
        position=response.position,
        number=question_number(attempt, response.position),
        total=attempt.question_count,
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        prompt=question.prompt,
        version_number=question.version_number,
        visible=feedback_visible(attempt=attempt, now=now),
        next_url=reverse(
            "quizzes:results" if finished else "quizzes:hand_in" if to_hand_in
            else "quizzes:attempt", args=[attempt.pk],
        ),
        next_label="See results" if finished else "Review and hand in" if to_hand_in
        else "Next question",
        all_answered=finished or to_hand_in,
    )
    if finished and attempt.learn_session_id:  # a Learn round: on to the session's page
        view.next_url = reverse("quizzes:learn_session", args=[attempt.learn_session_id])
        view.next_label = "See how the round went"
    if not attempt.assignment_id:  # drawn before an assignment that holds it back opened
        view.held_back = held_back_from_practice(
            user=attempt.user, question=response.question, now=now
        )
        view.visible = not view.held_back
    if not view.visible:
        return view
    result = grade(question=question, submitted=response.answer or {})
    view.credit = response.credit or 0.0
    view.verdict = (
        "correct" if response.is_correct else ("partly" if view.credit > 0 else "incorrect")
    )
    kind = KINDS.get(question.kind)
    if kind is not None and not kind.graded_on_answer:
        view.verdict = "written" if kind.marked_by_person else "read"
        if kind.marked_by_person:
            view.written = written_feedback(attempt=attempt, response=response)
    view.message = result.message
    view.your_answer = answer_text(question=question, answer=response.answer)
    view.correct_answer = result.correct_display
    view.rows = with_pair_sources(
        answer_rows(question=question, answer=response.answer), question=question
    )
    view.explanation = question.explanation
    if question.citation_id and not any(row.get("source") for row in view.rows):
        cited = f"{question.citation.source.title}, {question.citation.locator}"
        # Generated explanations already end with their source; say it once.
        view.citation = "" if cited in question.explanation else cited
        view.record = citation_record(question.citation)
    view.section_heading, view.section_url = section_link(question)
    view.editor_note = question.editor_note if not view.rows else None
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


def present_results(*, attempt, responses, now=None, reveal=False) -> ResultsView:
    """`responses`: the attempt's responses with question, lesson and section joined.

    The right answer, explanation and editor's note are shown only for questions answered:
    handing in at once must not turn a quiz into an answer key. `reveal`: for the class's
    instructor, who is not held to the feedback timing."""
    responses = list(responses)
    visible = reveal or feedback_visible(attempt=attempt, now=now)
    held_back = False
    if not attempt.assignment_id and not reveal:
        withheld = withheld_from_practice(user=attempt.user, now=now)
        # Even one answered question held back would be given away by the score.
        held_back = any(r.question_id in withheld for r in responses if r.answered_at)
        visible = visible and not held_back
    by_kind, by_lesson, reviews = OrderedDict(), OrderedDict(), []
    missed = 0
    for response in responses:
        answered_question(response)
    notes = pair_notes([r.question for r in responses]) if visible else {}
    for response in responses:
        question = response.question
        if question.kind in UNSCORED_KINDS:  # a description: in no tally and no review
            continue
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
                "number": question_number(attempt, response.position),
                "kind_label": kind.label,
                "prompt": question.prompt,
                "version_number": question.version_number,
                "answered": answered,
                "is_correct": bool(response.is_correct),
                "credit": credit,
                "your_answer": answer_text(question=question, answer=response.answer),
                "correct_answer": (
                    grade(question=question, submitted={}).correct_display if answered else ""
                ),
                "rows": with_pair_sources(
                    answer_rows(question=question, answer=response.answer),
                    question=question,
                    notes=notes,
                ) if answered else [],
                "explanation": question.explanation if answered else "",
                "record": (
                    citation_record(question.citation) if answered and question.citation_id else ""
                ),
                "section_heading": heading,
                "section_url": url,
                "editor_note": question.editor_note if answered else None,
                "retired": question.retired_at is not None,
                "written": (
                    written_feedback(attempt=attempt, response=response)
                    if answered and KINDS.get(question.kind) and
                    KINDS[question.kind].marked_by_person else None
                ),
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
