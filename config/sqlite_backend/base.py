"""Django's SQLite backend, taking the write lock in small steps.

Every transaction of this app begins with BEGIN IMMEDIATE (settings.SQLITE_OPTIONS), which
takes SQLite's one write lock. When another writer holds it, SQLite's own busy handler
sleeps 1, 2, 5, 10, 15, 20, 25 … up to 100 ms between tries, so a request that misses a
lock held for a millisecond or two can wait 50 ms or more: under load that, not the work,
was the answer post's tail. Here BEGIN IMMEDIATE is tried again after 0.2 ms, then after
waits that grow by half each time to at most 4 ms (with jitter, so waiting writers do not
retry in step), for as long as the busy timeout allows: a freed lock is taken within a few
milliseconds, and a writer that waits long costs a few hundred tries a second, not
thousands. Every other statement keeps SQLite's busy handler.
"""

import random
import sqlite3
import time

from django.db.backends.sqlite3 import base

# The first wait between tries, a fraction of the shortest write transaction, and the longest.
FIRST_WAIT_SECONDS = 0.0002
LONGEST_WAIT_SECONDS = 0.004


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # As the options and init_command left it: read once here, not at every BEGIN.
        self.busy_timeout_ms = connection.execute("PRAGMA busy_timeout").fetchone()[0]
        return connection

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE":
            return super()._start_transaction_under_autocommit()
        with self.wrap_database_errors:  # Django's OperationalError, as for any statement
            raw = self.connection
            timeout_ms = self.busy_timeout_ms
            deadline = time.monotonic() + timeout_ms / 1000
            raw.execute("PRAGMA busy_timeout = 0")
            wait = FIRST_WAIT_SECONDS
            try:
                while True:
                    try:
                        raw.execute("BEGIN IMMEDIATE")
                        return
                    except sqlite3.OperationalError as error:
                        if not is_busy(error) or time.monotonic() >= deadline:
                            raise
                    time.sleep(random.uniform(0.5, 1.0) * wait)
                    wait = min(wait * 1.5, LONGEST_WAIT_SECONDS)
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(error)
