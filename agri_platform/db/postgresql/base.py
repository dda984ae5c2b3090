"""Django's PostgreSQL backend with deferred writes (settings put it in ENGINE for PostgreSQL).

A buffer handed to `DatabaseWrapper.defer` is written before the next statement the connection
runs and before COMMIT, and dropped by a ROLLBACK, a ROLLBACK TO SAVEPOINT or a closed
connection. Since every statement writes what was deferred before it, what a buffer holds at a
ROLLBACK TO SAVEPOINT was deferred after that savepoint (creating it was a statement): the
buffer shares the savepoint's fate by being dropped. Any statement of the transaction, a query
counted by a test included, sees the deferred rows as if they had been written at once.

`transaction_scratch` is a dict for what lives as long as the transaction: emptied by COMMIT
and ROLLBACK. The outbox keeps there the event ids a transaction reserved, and uses the deferred
writes to write a transaction's events in one statement instead of one each
(agri_platform/events/outbox.py).
"""

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deferred_writes: list = []
        self.transaction_scratch: dict = {}
        self.execute_wrappers.append(self._write_deferred_first)

    def defer(self, buffer) -> None:
        """Have `buffer.flush(psycopg_connection)` run before the next statement or the COMMIT,
        or `buffer.discard()` at a rollback."""
        if not any(held is buffer for held in self.deferred_writes):
            self.deferred_writes.append(buffer)

    def write_deferred(self) -> None:
        if not self.deferred_writes:
            return
        buffers, self.deferred_writes = self.deferred_writes, []
        with self.wrap_database_errors:
            for buffer in buffers:
                buffer.flush(self.connection)

    def _discard_deferred(self) -> None:
        buffers, self.deferred_writes = self.deferred_writes, []
        for buffer in buffers:
            buffer.discard()

    def _write_deferred_first(self, execute, sql, params, many, context):
        self.write_deferred()
        return execute(sql, params, many, context)

    def _commit(self):
        self.write_deferred()
        try:
            return super()._commit()
        finally:
            self.transaction_scratch = {}

    def _rollback(self):
        self._discard_deferred()
        self.transaction_scratch = {}
        return super()._rollback()

    def _savepoint_rollback(self, sid):
        self._discard_deferred()
        return super()._savepoint_rollback(sid)

    def _close(self):
        self._discard_deferred()
        self.transaction_scratch = {}
        return super()._close()
