"""The region's address registry: streets (and places without streets) of each municipality, and their houses.

Loaded from the national address register's export (FIAS/GAR) or an OpenStreetMap extract as CSV
(``krai load_addresses``). Two tables, because people search for a street and then a house: the streets
are few (tens of thousands for a region of millions of houses), so the words of their names are matched
there, and the houses are reached by an index on (street, normalised number). A house also carries the
cell of a 0.002° grid (about 220 × 160 m here), indexed, so the nearest house to a point is found by
reading a few cells, not the table.
"""

from __future__ import annotations

import math

from django.db import models
from django.utils.translation import gettext_lazy as _

CELL_DEGREES = 0.002
CELL_ROW = 1_000_000  # more cells than a row of longitudes holds (360 / 0.002 = 180,000)


def cell_of(lat: float, lon: float) -> int:
    """The grid cell of a point (one integer: the row of latitude, then the column of longitude)."""
    return math.floor((lat + 90) / CELL_DEGREES) * CELL_ROW + math.floor((lon + 180) / CELL_DEGREES)


def cell_parts(cell: int) -> tuple[int, int]:
    return divmod(cell, CELL_ROW)


class Street(models.Model):
    """A street of a locality (or the locality itself when its houses have no street: a хутор's «д. 5»).

    ``words`` holds the normalised words of the locality's and the street's names, each after a space, so a
    word typed at the start of any of them is one ``contains(" " + word)`` away.
    """

    municipality = models.ForeignKey("org.Municipality", on_delete=models.CASCADE, related_name="streets",
                                     verbose_name=_("municipality"))
    locality = models.CharField(_("locality"), max_length=200)
    name = models.CharField(_("street"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    locality_key = models.CharField(max_length=200, editable=False)
    key = models.CharField(max_length=200, editable=False, db_index=True)
    words = models.CharField(max_length=420, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        constraints = [models.UniqueConstraint(fields=["municipality", "locality_key", "kind", "key"],
                                               name="addresses_street_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return ", ".join(part for part in (self.locality, self.name) if part)


class Address(models.Model):
    """A house of the registry, with its point."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="houses", verbose_name=_("street"))
    house = models.CharField(_("house"), max_length=40)
    house_key = models.CharField(max_length=40, editable=False)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(editable=False, db_index=True)
    source_id = models.CharField(_("identifier in the source"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [models.UniqueConstraint(fields=["street", "house_key"], name="addresses_house_unique")]

    def __str__(self) -> str:
        return f"{self.street.label}, {self.house}"
