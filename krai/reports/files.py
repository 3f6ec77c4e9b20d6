"""An edition's files in the default storage: removed once the change that dropped them commits."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction


def delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_after_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(lambda: delete_files(names), robust=True)
