"""The question bank kept in step with the content.

    sync_question_bank(*, seed=2003) -> dict of counts

One pass: load the content (a query per kind of item), run every generator, and match
drafts to rows by fingerprint. A new fingerprint is a new row; a known one is left alone
(or brought back if it had been retired); a generated row whose fingerprint no generator
produced any more (its item was edited or deleted) is retired, never deleted, so past
attempts still show it. Instructor-written and imported questions are never touched.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from quizzes.bank.generators import generate_all, load_course_content
from quizzes.bank.models import Question
from quizzes.bank.versions import ensure_first_versions

DEFAULT_SEED = 2003
# Fields a draft may refresh in place: they explain or file the question, they do not
# change what it asks, so the row (and its statistics) stays.
REFRESHED_FIELDS = (
    "explanation",
    "lesson_id",
    "section_id",
    "citation_id",
    "editor_note_id",
    "asks",
    "reveals",
)


def _pk(obj):
    return obj.pk if obj is not None else None


def _row_values(draft) -> dict:
    item = draft.item
    return {
        "explanation": draft.explanation,
        "lesson_id": _pk(draft.lesson),
        "section_id": _pk(draft.section),
        "citation_id": _pk(draft.citation),
        "editor_note_id": _pk(draft.editor_note),
        "asks": list(draft.asks),
        "reveals": list(draft.reveals),
        "item_type_id": ContentType.objects.get_for_model(item).pk if item is not None else None,
        "item_id": _pk(item),
    }


def sync_question_bank(*, seed: int = DEFAULT_SEED) -> dict:
    content = load_course_content()
    drafts = {}
    for draft in generate_all(content=content, seed=seed):
        drafts.setdefault(draft.fingerprint, draft)
    now = timezone.now()
    counts = {"created": 0, "revived": 0, "refreshed": 0, "retired": 0, "unchanged": 0}

    with transaction.atomic():
        existing = {
            question.fingerprint: question
            for question in Question.objects.filter(origin=Question.Origin.GENERATED).only(
                "pk", "fingerprint", "retired_at", *REFRESHED_FIELDS
            )
        }
        new_rows, changed = [], []
        for fingerprint, draft in drafts.items():
            values = _row_values(draft)
            question = existing.get(fingerprint)
            if question is None:
                new_rows.append(
                    Question(
                        kind=draft.kind,
                        generator=draft.generator,
                        prompt=draft.prompt,
                        body=draft.body,
                        answer=draft.answer,
                        fingerprint=fingerprint,
                        origin=Question.Origin.GENERATED,
                        **values,
                    )
                )
                continue
            dirty = [f for f in REFRESHED_FIELDS if getattr(question, f) != values[f]]
            for field in dirty:
                setattr(question, field, values[field])
            if question.retired_at is not None:
                question.retired_at = None
                counts["revived"] += 1
            elif dirty:
                counts["refreshed"] += 1
            else:
                counts["unchanged"] += 1
                continue
            question.updated_at = now
            changed.append(question)
        Question.objects.bulk_create(new_rows, batch_size=500, ignore_conflicts=True)
        counts["created"] = len(new_rows)
        if changed:
            Question.objects.bulk_update(
                changed, [*REFRESHED_FIELDS, "retired_at", "updated_at"], batch_size=500
            )
        # Every question is versioned from the start (quizzes/bank/versions.py).
        ensure_first_versions(now=now)
        gone = [
            question.pk
            for fingerprint, question in existing.items()
            if question.retired_at is None and fingerprint not in drafts
        ]
        if gone:
            counts["retired"] = Question.objects.filter(pk__in=gone).update(
                retired_at=now, updated_at=now
            )
    counts["active"] = len(drafts)
    return counts
