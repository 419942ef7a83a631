"""The upstream database, read-only: its tables row by row, as dictionaries.

The connection is opened with ``default_transaction_read_only`` so that no
statement of ours can change it, and rows are streamed in ID order.
"""
from sqlalchemy import create_engine, inspect, text

from qairon.core.errors import BadRequest

STREAM_ROWS = 2000


class Source:
    """An open, read-only upstream database."""

    def __init__(self, url):
        if not url.startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")):
            raise BadRequest("the upstream database is a PostgreSQL URL "
                             "(postgresql://user@host:port/database)", field="url")
        url = url.replace("postgres://", "postgresql://", 1)
        self.engine = create_engine(url, connect_args={
            "options": "-c default_transaction_read_only=on"})
        self.connection = self.engine.connect()
        self.tables = set(inspect(self.connection).get_table_names())

    def has(self, table):
        """True when the upstream database has ``table``."""
        return table in self.tables

    def columns(self, table):
        """The column names of ``table``."""
        return [c["name"] for c in inspect(self.connection).get_columns(table)]

    def count(self, table):
        """How many rows ``table`` holds."""
        return self.connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()

    def rows(self, table, order="id"):
        """Every row of ``table`` as a dictionary, streamed in ``order``."""
        result = self.connection.execution_options(stream_results=True, yield_per=STREAM_ROWS) \
            .execute(text(f'SELECT * FROM "{table}" ORDER BY {order}'))
        for row in result.mappings():
            yield dict(row)

    def close(self):
        """Close the connection."""
        self.connection.close()
        self.engine.dispose()
