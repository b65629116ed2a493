"""Instructors' own questions: writing, editing, importing and hiding them.

A QuestionDraft (quizzes.bank.drafts) is a question as a person writes it (texts, which
option is right, pairs, an order); `question_data` turns it into the body/answer shapes of
quizzes.bank.models, and `draft_from_question` turns a stored question back into a draft
(for editing and for GIFT). What differs by kind is the kind's (quizzes.bank.kinds).
"""

import hashlib
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from quizzes.bank import versions
from quizzes.bank.drafts import MAX_PROMPT, QuestionDraft
from quizzes.bank.kinds import KINDS
from quizzes.bank.models import HiddenQuestion, Question


class AuthoringError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def validate_draft(*, draft: QuestionDraft) -> list[str]:
    """Every reason the draft cannot be saved, as sentences; empty when it is fine."""
    kind = KINDS.get(draft.kind)
    if kind is None:
        return [f"Unknown question type “{draft.kind}”."]
    problems = []
    if not draft.prompt.strip():
        problems.append("The question has no text.")
    elif len(draft.prompt) > MAX_PROMPT:
        problems.append(f"The question text is longer than {MAX_PROMPT} characters.")
    return problems + kind.draft_problems(draft)


def question_data(*, draft: QuestionDraft, previous: Question | None = None) -> dict:
    """The body and answer of a question in the bank's shapes (see quizzes.bank.models)."""
    kind = KINDS.get(draft.kind)
    if kind is None:
        raise AuthoringError(f"Unknown question type “{draft.kind}”.")
    old_body = previous.body if previous is not None and previous.kind == draft.kind else {}
    return kind.question_data(draft, old_body=old_body or {})


def draft_from_question(*, question: Question) -> QuestionDraft:
    """A stored question as a draft (the inverse of question_data, keys aside)."""
    kind = KINDS.get(question.kind)
    answer_fields = (
        kind.draft_fields(body=question.body or {}, answer=question.answer or {}) if kind else {}
    )
    return QuestionDraft(
        kind=question.kind, prompt=question.prompt, explanation=question.explanation,
        lesson_id=question.lesson_id, title=question.title, **answer_fields,
    )


# --- saving ----------------------------------------------------------------------------------


def _check(draft: QuestionDraft) -> None:
    problems = validate_draft(draft=draft)
    if problems:
        raise AuthoringError(" ".join(problems))


def create_question(
    *, author, draft: QuestionDraft, origin: str = Question.Origin.INSTRUCTOR,
    fingerprint: str | None = None,
) -> Question:
    _check(draft)
    return Question.objects.create(
        kind=draft.kind, prompt=draft.prompt.strip(), explanation=draft.explanation.strip(),
        title=draft.title.strip()[:255], lesson_id=draft.lesson_id, origin=origin, author=author,
        fingerprint=fingerprint or f"{origin}:{uuid.uuid4().hex}",
        **question_data(draft=draft),
    )


@dataclass(frozen=True)
class EditOutcome:
    question: Question
    revision: versions.Revision
    regrade: object = None  # practice's RegradeReport, when past answers were regraded


@transaction.atomic
def edit_question(
    *, question: Question, editor, draft: QuestionDraft, regrade: bool = False, now=None
) -> EditOutcome:
    """Save an edit. If anyone answered the question as it was, it becomes a new version and
    past answers keep their version and marks, or with `regrade` are marked again against
    the new one (their attempts' scores too); all in one transaction."""
    update_question(question=question, editor=editor, draft=draft)
    revision = versions.record_edit(question=question, editor=editor, now=now)
    report = None
    if regrade and revision.version is not None:
        report = versions.regrade(question=question, revision=revision, by=editor, now=now)
    return EditOutcome(question=question, revision=revision, regrade=report)


def update_question(*, question: Question, editor, draft: QuestionDraft) -> Question:
    if question.author_id != editor.pk or question.origin == Question.Origin.GENERATED:
        raise AuthoringError("Only the instructor who wrote a question can edit it.", status=404)
    _check(draft)
    data = question_data(draft=draft, previous=question)
    question.kind = draft.kind
    question.prompt = draft.prompt.strip()
    question.explanation = draft.explanation.strip()
    question.lesson_id = draft.lesson_id
    question.body = data["body"]
    question.answer = data["answer"]
    question.save()
    return question


def import_fingerprint(*, author, draft: QuestionDraft) -> str:
    """The same question imported twice by one instructor is found, not duplicated."""
    content = repr(
        (draft.kind, draft.prompt.strip(), draft.options, draft.correct, draft.truth,
         draft.pairs, draft.items, draft.answers)
        # Added to the tuple only when present, so earlier imports keep their fingerprints.
        + ((draft.weights, draft.numbers) if draft.weights or draft.numbers else ())
        + ((draft.feedback, draft.distractors) if draft.feedback or draft.distractors else ())
        + ((draft.model_answer, draft.rubric) if draft.model_answer or draft.rubric else ())
    )
    return "imported:" + hashlib.sha256(f"{author.pk}|{content}".encode()).hexdigest()[:48]


@dataclass
class ImportReport:
    created: list[Question]
    already_there: int


@transaction.atomic
def import_questions(*, author, drafts: list[QuestionDraft]) -> ImportReport:
    """All the drafts or none of them (a single transaction); duplicates are skipped."""
    for draft in drafts:
        problems = validate_draft(draft=draft)
        if problems:
            raise AuthoringError(f"Line {draft.line}: {' '.join(problems)} Nothing was imported.")
    # One instructor's imports go one at a time (their user row is locked until this one
    # commits), so a file confirmed twice at once is imported once and the second finds it.
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()
    fingerprints = [import_fingerprint(author=author, draft=d) for d in drafts]
    existing = set(
        Question.objects.filter(fingerprint__in=fingerprints).values_list("fingerprint", flat=True)
    )
    created = []
    for draft, fingerprint in zip(drafts, fingerprints, strict=True):
        if fingerprint in existing:
            continue
        existing.add(fingerprint)
        created.append(
            create_question(
                author=author, draft=draft, origin=Question.Origin.IMPORTED,
                fingerprint=fingerprint,
            )
        )
    return ImportReport(created=created, already_there=len(drafts) - len(created))


# --- hiding and listing ----------------------------------------------------------------------


def hide_question(*, instructor, question: Question) -> None:
    HiddenQuestion.objects.get_or_create(instructor=instructor, question=question)


def unhide_question(*, instructor, question: Question) -> None:
    HiddenQuestion.objects.filter(instructor=instructor, question=question).delete()


def visible_questions(*, instructor):
    """What an instructor's bank shows: the generated questions and their own, which is
    exactly what their assignments can draw (Question.objects.drawable_for). Another
    instructor's questions stay private to them; only the author edits their own."""
    return Question.objects.drawable_for(instructor)


def bank_listing(*, instructor, lesson_id=None, kind=None, origin=None, hidden=None):
    """The bank with each question's statistics (times answered, times right) and whether
    this instructor hid it: one query however many responses there are."""
    questions = visible_questions(instructor=instructor)
    if lesson_id == "none":
        questions = questions.filter(lesson__isnull=True)
    elif lesson_id:
        questions = questions.filter(lesson_id=lesson_id)
    if kind:
        questions = questions.filter(kind=kind)
    if origin == "mine":
        questions = questions.filter(author=instructor)
    elif origin:
        questions = questions.filter(origin=origin)
    hidden_rows = HiddenQuestion.objects.filter(instructor=instructor, question=OuterRef("pk"))
    questions = questions.annotate(
        times_answered=Count("responses", filter=Q(responses__answered_at__isnull=False)),
        times_right=Count("responses", filter=Q(responses__is_correct=True)),
        is_hidden=Exists(hidden_rows),
    )
    if hidden is True:
        questions = questions.filter(is_hidden=True)
    elif hidden is False:
        questions = questions.filter(is_hidden=False)
    return questions.select_related("lesson").order_by("lesson__order", "kind", "id")


def with_review_flags(questions) -> list:
    """The questions, each with `review_flag`: why its item statistics ask for a look
    (answered often enough, and negative discrimination or almost everyone right), or ""."""
    from quizzes.bank.statistics import review_flags

    questions = list(questions)
    flags = review_flags(question_ids=[q.pk for q in questions]) if questions else {}
    for question in questions:
        question.review_flag = flags.get(question.pk, "")
    return questions
