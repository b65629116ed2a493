"""Keep the question bank and the flashcards current when content changes in the admin.

Any save or delete of a content model schedules one resync for when the transaction
commits; however many rows an admin action touches, the bank and cards are rebuilt once. Fixture
loading (raw saves) schedules nothing: load_course syncs explicitly afterwards.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


def resync_question_bank() -> None:
    from quizzes.bank.sync import sync_question_bank
    from quizzes.review.cards import sync_cards

    counts = sync_question_bank()
    cards = sync_cards()
    logger.info("Question bank resynced: %s; cards: %s", counts, cards)


def schedule_resync(using=None) -> None:
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is resync_question_bank for _sids, func, _robust in connection.run_on_commit
    ):
        return  # already due when this transaction commits
    transaction.on_commit(resync_question_bank, using=using, robust=True)


def content_changed(sender, instance=None, raw=False, using=None, **kwargs) -> None:
    if raw:
        return
    schedule_resync(using)


def watched_models():
    from relations import models as content

    return (
        content.Source,
        content.Citation,
        content.Era,
        content.Person,
        content.Lesson,
        content.Section,
        content.EditorNote,
        content.Event,
        content.Claim,
        content.Debate,
        content.Position,
        content.Term,
        content.Fact,
    )


def connect() -> None:
    for model in watched_models():
        uid = f"quizzes.bank.sync.{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.delete")
