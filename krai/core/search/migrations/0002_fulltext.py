"""The full-text machinery of each database: a GIN index on PostgreSQL, an FTS5 table on SQLite.

Both are created only on their own vendor, so the migration runs on either; other vendors get neither
(search then falls back to a plain substring match).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
           title, body, content='search_searchentry', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_searchentry BEGIN
           INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_searchentry BEGIN
           INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
       END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE OF title, body ON search_searchentry BEGIN
           INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
           INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (search_vector)",
    """UPDATE search_searchentry SET search_vector =
           setweight(to_tsvector('russian', coalesce(title, '')), 'A')
           || setweight(to_tsvector('russian', coalesce(body, '')), 'B')""",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_entry_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
