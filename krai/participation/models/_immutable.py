"""Rows that are published records: written once, never changed or deleted through the application."""

from __future__ import annotations

from django.db import models


class ImmutableError(RuntimeError):
    pass


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model.__name__} rows are immutable")

    def delete(self):
        raise ImmutableError(f"{self.model.__name__} rows are immutable")

    def _seal(self, **kwargs) -> int:
        """For the building service only: fill the fields computed from rows written in the same transaction."""
        return super().update(**kwargs)


class Immutable(models.Model):
    """A model whose rows, once written, are never changed or deleted (``ImmutableError``)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} rows are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} rows are immutable")
