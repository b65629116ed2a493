"""A snapshot of the loaded course, taken once per test session and restored by bulk insert.

Loading the course (fixture, content check, question bank, cards) takes seconds; tests ask
for it hundreds of times. Content types are stored by natural key and looked up again on
restore, because a transactional test's flush may give them new ids.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from quizzes.models import Card, Question, QuestionVersion
from relations import models as content

SNAPSHOT_MODELS = [
    content.Source,
    content.Citation,
    content.Era,
    content.Person,
    content.Lesson,
    content.Lesson.people.through,
    content.Section,
    content.EditorNote,
    content.Section.editor_notes.through,
    content.Event,
    content.Event.people.through,
    content.Claim,
    content.Debate,
    content.Position,
    content.Term,
    content.Fact,
    Question,
    QuestionVersion,
    Card,
]

_snapshot: list[tuple[type, list]] | None = None


def _take_snapshot() -> list[tuple[type, list]]:
    snapshot = []
    for model in SNAPSHOT_MODELS:
        rows = list(model.objects.order_by("pk"))
        if model in (Question, Card):
            for row in rows:
                if row.item_type_id:
                    item_type = ContentType.objects.get_for_id(row.item_type_id)
                    row._item_natural_key = (item_type.app_label, item_type.model)
        snapshot.append((model, rows))
    return snapshot


def _restore(snapshot) -> None:
    ContentType.objects.clear_cache()
    for model, rows in snapshot:
        for row in rows:
            natural_key = getattr(row, "_item_natural_key", None)
            if natural_key:
                row.item_type_id = ContentType.objects.get_by_natural_key(*natural_key).pk
            row._state.adding = True
        model.objects.bulk_create(rows, batch_size=500)
    # Explicit primary keys leave PostgreSQL's sequences behind; move them past the rows.
    statements = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in snapshot])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore_course() -> None:
    global _snapshot
    if _snapshot is None:
        call_command("load_course", verbosity=0)
        _snapshot = _take_snapshot()
    else:
        _restore(_snapshot)
    # Bulk inserts send no signals, and load_course's rebuild waits for a commit that a
    # test's transaction never makes: SQLite's search index is filled here, as it would be.
    from relations.search_index import rebuild_index

    rebuild_index()
