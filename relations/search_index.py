"""SQLite's full-text index for search (relations/search.py): one FTS5 table holding
every searchable item's text by weight, filled afresh after any content change commits
(admin saves, load_course's loaddata), after migrate or flush, and by search itself when
the table is missing. Other databases need no index: PostgreSQL searches the tables.
"""

import logging

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

TABLE = "relations_search_index"



def rebuild_index() -> int:
    """Fill SQLite's FTS5 table afresh from the content (a no-op on other databases);
    returns how many items it holds. Called after any content change commits and by
    load_course (see connect), and by search itself when the table is missing."""
    if connection.vendor != "sqlite":
        return 0
    from relations.search import KINDS, _rows, _value

    rows = []
    for kind in KINDS:
        for item in _rows(kind):
            rows.append((
                kind.key,
                item.pk,
                " ".join(_value(item, path) for path in kind.a),
                " ".join(_value(item, path) for path in kind.b),
                " ".join(_value(item, path) for path in kind.c),
            ))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(kind UNINDEXED, "
            "object_id UNINDEXED, a, b, c, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.executemany(
            f"INSERT INTO {TABLE} (kind, object_id, a, b, c) VALUES (%s, %s, %s, %s, %s)", rows
        )
    return len(rows)


def _rebuild_after_commit() -> None:
    try:
        rebuild_index()
    except DatabaseError:
        logger.warning("Could not rebuild the search index", exc_info=True)


def content_changed(sender, using=None, **kwargs) -> None:
    # Once per transaction however many rows change (loaddata saves thousands), after it
    # commits, as the reading pages' cache does (relations/page_cache.py).
    conn = transaction.get_connection(using)
    if conn.vendor != "sqlite":
        return
    if conn.in_atomic_block and any(
        func is _rebuild_after_commit for _sids, func, _robust in conn.run_on_commit
    ):
        return
    transaction.on_commit(_rebuild_after_commit, using=using)


def _after_migrate(sender, using="default", **kwargs) -> None:
    # A fresh database, or one just flushed: the index holds what the tables hold.
    if transaction.get_connection(using).vendor == "sqlite":
        rebuild_index()


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save

    from relations.search import KINDS

    post_migrate.connect(
        _after_migrate, sender=apps.get_app_config("relations"), dispatch_uid="relations.search"
    )
    for kind in KINDS:
        uid = f"relations.search.{kind.model._meta.label_lower}"
        post_save.connect(content_changed, sender=kind.model, dispatch_uid=f"{uid}.save")
        post_delete.connect(content_changed, sender=kind.model, dispatch_uid=f"{uid}.delete")
