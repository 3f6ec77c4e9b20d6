"""The datastore: one real table per dataset version, typed and indexed, queried with keyset pages.

A version's rows go into ``opendata_ds_<version id>`` with ``_id`` (the row number, primary key), one
column ``c<i>`` per field of the structure (typed: BIGINT, DOUBLE PRECISION, DATE …) and ``_q`` (the
row's text in lower case, for ``q``). Each field gets an index on ``(c<i>, _id)``, so a filter, a sort
and the next keyset page are index walks on SQLite and PostgreSQL alike. The columns are named by
position, never by the publisher's field names, so no identifier from outside reaches the SQL; values
always travel as parameters.

Table creation and loading run in the caller's transaction (both databases have transactional DDL),
so a failed upload leaves no table behind.

The package: ``base`` (``QueryError``, operand checks, quoting, value conversion), ``tables`` (create, load,
index, vacuum, drop), ``query`` (``Query``, ``Page``, ``Table``: SQL building and reads), ``copyout``
(PostgreSQL's COPY exports, mixed into ``Table``) and ``cursors`` (keyset cursors). Everything callers use
is re-exported here, so ``krai.opendata.datastore.Table`` and ``datastore.create_table`` keep working.
"""

from krai.opendata.datastore.base import MAX_BIGINT, QueryError, table_name
from krai.opendata.datastore.cursors import decode_cursor, encode_cursor
from krai.opendata.datastore.query import OPERATORS, TOTAL_CACHE_SECONDS, Page, Query, Table
from krai.opendata.datastore.tables import (
    BATCH,
    MAX_INDEXED,
    create_indexes,
    create_table,
    drop_table,
    load_rows,
    search_text,
    table_exists,
    vacuum,
)

__all__ = [
    "BATCH", "MAX_BIGINT", "MAX_INDEXED", "OPERATORS", "TOTAL_CACHE_SECONDS", "Page", "Query", "QueryError", "Table",
    "create_indexes", "create_table", "decode_cursor", "drop_table", "encode_cursor", "load_rows", "search_text",
    "table_exists", "table_name", "vacuum",
]
