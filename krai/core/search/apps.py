from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "krai.core.search"
    label = "search"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_sqlite_triggers, sender=self, dispatch_uid="search-fts-triggers")


def _ensure_sqlite_triggers(using="default", **kwargs) -> None:
    """SQLite rebuilds a table to alter it, dropping its triggers: put them back (and the index) if lost."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts_%'")
        if cursor.fetchone()[0] == 3:
            return
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_searchentry'")
        if not cursor.fetchone()[0]:
            return
    import importlib

    fulltext = importlib.import_module("krai.core.search.migrations.0002_fulltext")
    with connection.cursor() as cursor:
        for statement in fulltext.SQLITE_FORWARD:
            cursor.execute(statement)
