"""Question versions: what a question said when it was answered.

    snapshot(question) -> dict                         the versioned fields of a question
    current_versions(*, question_ids, now=None) -> {question_id: QuestionVersion}
    current_version(*, question, now=None) -> QuestionVersion
    record_edit(*, question, editor, now=None) -> Revision
    as_version(question, version) -> Question           the question as that version said it
    regrade(*, question, revision, by, now=None) -> report   (practice's, through `provide`)

The Question row always holds the current wording; QuestionVersion rows are its snapshots.
A response points at the version it was drawn with and, once answered, the one it was
graded against (quizzes.practice.attempts), so every page that shows a past answer shows
that version. A question gets its first version lazily, when it is first drawn, and a new
one when an edit changes what an answered version said: `record_edit` from the authoring
form and the admin (with who edited), `current_versions` when anything else (the bank's
sync refreshing an explanation or citation) changed the row. An edit to a version nobody
has answered rewrites that version in place, so unanswered drafts do not pile up.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from quizzes.bank.models import Question, QuestionVersion

VERSIONED_FIELDS = (
    "kind", "title", "prompt", "body", "answer", "explanation", "citation_id", "editor_note_id",
)


def snapshot(question) -> dict:
    return {field: getattr(question, field) for field in VERSIONED_FIELDS}


def says_the_same(question, version) -> bool:
    return version is not None and snapshot(question) == snapshot(version)


def _latest(question_ids) -> dict[int, QuestionVersion]:
    latest = {}
    for version in QuestionVersion.objects.filter(question_id__in=question_ids).order_by(
        "question_id", "number"
    ):
        latest[version.question_id] = version
    return latest


def current_versions(*, question_ids, now=None) -> dict[int, QuestionVersion]:
    """The version each question says now, made if missing (two queries when none is):
    a question never drawn gets version 1, one whose row changed since its latest version
    the next number. Two draws making the same version at once make it once."""
    question_ids = list(question_ids)
    latest = _latest(question_ids)
    questions = Question.objects.in_bulk(question_ids)
    missing = [
        question for question_id, question in questions.items()
        if not says_the_same(question, latest.get(question_id))
    ]
    if not missing:
        return latest
    now = now or timezone.now()
    QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question_id=question.pk, created_at=now,
                number=latest[question.pk].number + 1 if question.pk in latest else 1,
                **snapshot(question),
            )
            for question in missing
        ],
        ignore_conflicts=True,
    )
    return _latest(question_ids)


def ensure_first_versions(*, now=None) -> int:
    """Version 1 for every question that has none yet (the bank's sync calls it after adding
    questions, so a draw finds them versioned); returns how many were made. Two queries."""
    now = now or timezone.now()
    made = QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(question_id=question.pk, number=1, created_at=now, **snapshot(question))
            for question in Question.objects.filter(versions__isnull=True).only(
                "id", *(field.removesuffix("_id") for field in VERSIONED_FIELDS)
            )
        ],
        batch_size=500, ignore_conflicts=True,
    )
    return len(made)


def current_version(*, question, now=None) -> QuestionVersion:
    return current_versions(question_ids=[question.pk], now=now)[question.pk]


@dataclass(frozen=True)
class Revision:
    """What saving an edit did to the question's versions."""

    version: QuestionVersion | None  # the version the question says now
    previous: QuestionVersion | None  # the answered version it replaced, if a new one was made

    @property
    def is_new(self) -> bool:
        return self.previous is not None


def has_answers(version) -> bool:
    # Responses are practice's; the relation is asked by name, without importing practice.
    return version.responses.filter(answered_at__isnull=False).exists()


@transaction.atomic
def record_edit(*, question, editor=None, now=None) -> Revision:
    """After an edit to `question` was saved: a new version if the latest one has been
    answered and says something else, that version rewritten if nobody answered it yet."""
    now = now or timezone.now()
    # Edits of one question go one at a time: two saves at once number two versions.
    Question.objects.select_for_update().filter(pk=question.pk).first()
    latest = _latest([question.pk]).get(question.pk)
    if latest is None:
        return Revision(version=None, previous=None)  # never drawn: its first draw makes v1
    if says_the_same(question, latest):
        return Revision(version=latest, previous=None)
    if not has_answers(latest):
        for field, value in snapshot(question).items():
            setattr(latest, field, value)
        latest.created_by, latest.created_at = editor, now
        latest.save()
        return Revision(version=latest, previous=None)
    version = QuestionVersion.objects.create(
        question=question, number=latest.number + 1, created_at=now, created_by=editor,
        **snapshot(question),
    )
    return Revision(version=version, previous=latest)


def as_version(question, version):
    """`question` as `version` said it, in memory only (a page's copy, never saved): the
    kinds, the grader and the templates read it like the question itself."""
    question.version_number = version.number if version is not None else None
    if version is None or says_the_same(question, version):
        return question
    for field, value in snapshot(version).items():
        setattr(question, field, value)
    # The joined citation and note must be the version's too.
    for relation in ("citation", "editor_note"):
        cached = Question._meta.get_field(relation)
        if cached.is_cached(question):
            cached.delete_cached_value(question)
        if version.__class__._meta.get_field(relation).is_cached(version):
            setattr(question, relation, getattr(version, relation))
    question.is_version_copy = True
    return question


# --- regrading -------------------------------------------------------------------------------
# Regrading rewrites responses and attempt scores, which are practice's, above the bank;
# quizzes/apps.py hands practice's regrade to `provide` when the app starts (as it does for
# quizzes/practice/withholding.py).

_provided: dict = {}


def provide(*, regrade_question) -> None:
    _provided["regrade_question"] = regrade_question


def answered_count(*, question) -> int:
    """How many answers the question has had, whatever their version (the edit form asks
    whether they keep their marks only when there are some)."""
    return QuestionVersion.objects.filter(
        question=question, responses__answered_at__isnull=False
    ).count()


def regrade(*, question, revision: Revision, by, now=None):
    """Past answers to the question regraded against the version it says now."""
    try:
        regrade_question = _provided["regrade_question"]
    except KeyError:
        raise ImproperlyConfigured(
            "Nothing regrades answers: quizzes/apps.py must call quizzes.bank.versions.provide()."
        ) from None
    return regrade_question(question=question, to_version=revision.version, by=by, now=now)
