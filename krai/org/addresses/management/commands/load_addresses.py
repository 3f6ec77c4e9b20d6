"""``krai load_addresses FILE.csv``: load the region's address registry for the geocoder (see docs/operations.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from krai.org.addresses import loading, services


def read_rows(path: str, *, delimiter: str | None) -> Iterator[dict[str, str]]:
    """The file's rows with the fields renamed to the registry's (UTF-8, with or without a byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        if delimiter is None:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        columns = loading.column_map(reader.fieldnames or [])
        for raw in reader:
            yield {name: raw.get(column) or "" for name, column in columns.items()}


class Command(BaseCommand):
    help = ("Load addresses for the geocoder from a CSV file (columns municipality, locality, street, house, lat, "
            "lon; an upsert: a newer export moves and adds houses, doubles none).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="FILE.csv")
        parser.add_argument("--delimiter", default=None, help="the column separator (default: detected)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="load the good rows and count the bad ones (default: any bad row stops the load)")

    def handle(self, *args, path: str, delimiter: str | None, skip_invalid: bool, **options) -> None:
        try:
            result = services.addresses_load(actor=None, rows=read_rows(path, delimiter=delimiter), source=path,
                                             skip_invalid=skip_invalid)
        except OSError as error:
            raise CommandError(str(error)) from None
        except (ValidationError, UnicodeDecodeError, csv.Error) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CommandError(message) from None
        self.stdout.write(f"{result.rows} rows: {result.loaded} houses loaded, {result.streets_added} new streets, "
                          f"{result.skipped} rows skipped.")
        for line, error in result.errors[:20]:
            self.stdout.write(f"  line {line}: {error}")

