"""Instructors' own questions: writing, editing, importing and hiding them.

A QuestionDraft is a question as a person writes it (texts, which option is right, pairs,
an order); `question_data` turns it into the body/answer shapes of quizzes.bank.models, and
`draft_from_question` turns a stored question back into a draft (for editing and for GIFT).
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from quizzes.bank.models import HiddenQuestion, Question, QuestionKind

CHOICE_KINDS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.WHO_ARGUED, QuestionKind.WHICH_SIDE)
MAX_PROMPT = 2000
MAX_TEXT = 500
LIMITS = {
    "options": (2, 8),
    "pairs": (3, 8),
    "items": (3, 8),
}


class AuthoringError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class QuestionDraft:
    kind: str
    prompt: str
    options: list[str] = field(default_factory=list)  # choice kinds
    correct: int | None = None  # index into options
    truth: bool | None = None  # true/false
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching: (left, right)
    items: list[str] = field(default_factory=list)  # ordering: earliest first
    answers: list[str] = field(default_factory=list)  # cloze: the answer, then alternatives
    explanation: str = ""
    lesson_id: int | None = None
    title: str = ""
    line: int = 0  # where an imported question starts in its file


def validate_draft(*, draft: QuestionDraft) -> list[str]:
    """Every reason the draft cannot be saved, as sentences; empty when it is fine."""
    problems = []
    if draft.kind not in QuestionKind.values:
        return [f"Unknown question type “{draft.kind}”."]
    if not draft.prompt.strip():
        problems.append("The question has no text.")
    elif len(draft.prompt) > MAX_PROMPT:
        problems.append(f"The question text is longer than {MAX_PROMPT} characters.")
    texts: list[str] = []
    if draft.kind in CHOICE_KINDS:
        low, high = LIMITS["options"]
        if not low <= len(draft.options) <= high:
            problems.append(f"A multiple-choice question needs {low} to {high} options.")
        if draft.correct is None or not 0 <= draft.correct < len(draft.options):
            problems.append("Mark exactly one option as the right answer.")
        texts = draft.options
    elif draft.kind == QuestionKind.TRUE_FALSE:
        if draft.truth is None:
            problems.append("Say whether the statement is true or false.")
    elif draft.kind == QuestionKind.MATCHING:
        low, high = LIMITS["pairs"]
        if not low <= len(draft.pairs) <= high:
            problems.append(f"A matching question needs {low} to {high} pairs.")
        texts = [text for pair in draft.pairs for text in pair]
        if len({left.casefold() for left, _ in draft.pairs}) != len(draft.pairs):
            problems.append("Each item on the left must be different.")
        if len({right.casefold() for _, right in draft.pairs}) != len(draft.pairs):
            problems.append("Each match on the right must be different.")
    elif draft.kind == QuestionKind.ORDERING:
        low, high = LIMITS["items"]
        if not low <= len(draft.items) <= high:
            problems.append(f"An ordering question needs {low} to {high} items.")
        texts = draft.items
    elif draft.kind == QuestionKind.CLOZE:
        if not draft.answers or not draft.answers[0].strip():
            problems.append("Give the answer.")
        texts = draft.answers
    if any(not text.strip() for text in texts):
        problems.append("An answer or option is empty.")
    if any(len(text) > MAX_TEXT for text in texts):
        problems.append(f"An answer or option is longer than {MAX_TEXT} characters.")
    if draft.kind in CHOICE_KINDS + (QuestionKind.ORDERING,):
        folded = [text.strip().casefold() for text in texts]
        if len(set(folded)) != len(folded):
            problems.append("Two options are the same.")
    return problems


def _key() -> str:
    return secrets.token_hex(4)


def _keys(existing: list[dict], count: int) -> list[str]:
    """Keep the keys an edited question had, position by position, so past answers still match."""
    keys = [entry.get("key") for entry in existing][:count]
    keys = [key for key in keys if key]
    while len(keys) < count:
        keys.append(_key())
    return keys


def question_data(*, draft: QuestionDraft, previous: Question | None = None) -> dict:
    """The body and answer of a question in the bank's shapes (see quizzes.bank.models)."""
    old_body = previous.body if previous is not None and previous.kind == draft.kind else {}
    if draft.kind in CHOICE_KINDS:
        keys = _keys(old_body.get("options", []), len(draft.options))
        options = [{"key": k, "text": t.strip()} for k, t in zip(keys, draft.options, strict=True)]
        return {"body": {"options": options}, "answer": {"key": keys[draft.correct]}}
    if draft.kind == QuestionKind.TRUE_FALSE:
        keys = _keys(old_body.get("options", []), 2)
        options = [{"key": keys[0], "text": "True"}, {"key": keys[1], "text": "False"}]
        return {"body": {"options": options}, "answer": {"key": keys[0 if draft.truth else 1]}}
    if draft.kind == QuestionKind.MATCHING:
        left_keys = _keys(old_body.get("left", []), len(draft.pairs))
        right_keys = _keys(old_body.get("right", []), len(draft.pairs))
        left = [
            {"key": k, "text": pair[0].strip()}
            for k, pair in zip(left_keys, draft.pairs, strict=True)
        ]
        right = [
            {"key": k, "text": pair[1].strip()}
            for k, pair in zip(right_keys, draft.pairs, strict=True)
        ]
        return {
            "body": {"left": left, "right": right},
            "answer": {"pairs": dict(zip(left_keys, right_keys, strict=True))},
        }
    if draft.kind == QuestionKind.ORDERING:
        keys = _keys(old_body.get("items", []), len(draft.items))
        items = [{"key": k, "text": t.strip()} for k, t in zip(keys, draft.items, strict=True)]
        # Stored in a fixed but non-chronological order; the attempt shuffles it again.
        shown = sorted(items, key=lambda item: item["key"])
        return {"body": {"items": shown}, "answer": {"order": keys}}
    if draft.kind == QuestionKind.CLOZE:
        answers = [a.strip() for a in draft.answers if a.strip()]
        return {"body": {}, "answer": {"text": answers[0], "alternatives": answers[1:]}}
    raise AuthoringError(f"Unknown question type “{draft.kind}”.")


def draft_from_question(*, question: Question) -> QuestionDraft:
    """A stored question as a draft (the inverse of question_data, keys aside)."""
    body, answer = question.body or {}, question.answer or {}
    draft = QuestionDraft(
        kind=question.kind, prompt=question.prompt, explanation=question.explanation,
        lesson_id=question.lesson_id,
    )
    if question.kind in CHOICE_KINDS:
        options = body.get("options", [])
        draft.options = [o["text"] for o in options]
        keys = [o["key"] for o in options]
        draft.correct = keys.index(answer.get("key")) if answer.get("key") in keys else None
    elif question.kind == QuestionKind.TRUE_FALSE:
        texts = {o["key"]: o["text"] for o in body.get("options", [])}
        draft.truth = texts.get(answer.get("key"), "").strip().casefold() in {"true", "t", "yes"}
    elif question.kind == QuestionKind.MATCHING:
        right = {o["key"]: o["text"] for o in body.get("right", [])}
        pairs = answer.get("pairs", {})
        # The left column keeps the order the author wrote (jsonb does not keep dict order).
        draft.pairs = [
            (o["text"], right[pairs[o["key"]]])
            for o in body.get("left", [])
            if pairs.get(o["key"]) in right
        ]
    elif question.kind == QuestionKind.ORDERING:
        texts = {o["key"]: o["text"] for o in body.get("items", [])}
        draft.items = [texts[k] for k in answer.get("order", []) if k in texts]
    elif question.kind == QuestionKind.CLOZE:
        draft.answers = [answer.get("text", ""), *answer.get("alternatives", [])]
    return draft


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
        lesson_id=draft.lesson_id, origin=origin, author=author,
        fingerprint=fingerprint or f"{origin}:{uuid.uuid4().hex}",
        **question_data(draft=draft),
    )


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
