"""Writing a row that another request may be writing at the same moment."""

from django.db import connections, router


def insert_unless_present(instance) -> bool:
    """INSERT `instance` unless a row with the same unique key is there already; True and
    its primary key set when this call's row went in, False (nothing written) otherwise.

    One statement, `INSERT … ON CONFLICT DO NOTHING RETURNING`, which PostgreSQL and SQLite
    (3.35 and later) both run. `create()` in a savepoint, the ORM's way to survive the
    IntegrityError inside a transaction, is three statements: on PostgreSQL three round
    trips, all inside the answer's transaction while it holds its rows. No save signals are
    sent, as with bulk_create."""
    model = type(instance)
    meta = model._meta
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f is not meta.pk or instance.pk is not None]
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding, instance._state.db = False, using
    return True
