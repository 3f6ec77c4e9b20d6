"""The row schema an area declares for an import, and typing a record against it.

A ``Column`` is a subset of the Frictionless Table Schema field (name, type, required, enum, maxLength,
minimum, maximum) plus what people's files need: a title in both languages and aliases, the header texts
under which the column usually arrives ("Код показателя", "code"). ``convert`` turns a cell into its
typed value or a reason; ``ImportRejected`` carries every reason with its row and column.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
MAX_REPORTED = 200
TRUE = {"true", "1", "yes", "да", "t", "y", "истина"}
FALSE = {"false", "0", "no", "нет", "f", "n", "ложь"}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value[:100], "reason": self.reason}


@dataclass
class ImportRejected(Exception):
    """The file cannot be stored; ``message`` says why in general, ``errors`` row by row."""

    message: str
    code: str = "invalid"
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def __str__(self) -> str:
        return self.message

    def as_validation_error(self) -> ValidationError:
        lines = [self.message] + [
            _("Row %(row)s, column %(column)s: %(reason)s") % {"row": e.row, "column": e.column or "—",
                                                                "reason": e.reason}
            for e in self.errors[:20]]
        return ValidationError({"file": lines}, code=self.code)


@dataclass(frozen=True)
class Column:
    """One column of an area's row schema."""

    name: str
    type: str = "string"
    required: bool = False
    title: str = ""
    title_en: str = ""
    aliases: tuple[str, ...] = ()
    enum: tuple | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None

    def spec(self) -> dict:
        """The Table-Schema-like dict ``convert`` reads."""
        out: dict = {"name": self.name, "type": self.type, "required": self.required}
        if self.enum is not None:
            out["enum"] = list(self.enum)
        if self.max_length is not None:
            out["maxLength"] = self.max_length
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out

    @classmethod
    def from_spec(cls, spec: dict) -> Column:
        return cls(name=spec["name"], type=spec.get("type", "string"), required=bool(spec.get("required")),
                   title=spec.get("title", "") or "", title_en=spec.get("title_en", "") or "",
                   enum=tuple(spec["enum"]) if "enum" in spec else None, max_length=spec.get("maxLength"),
                   minimum=spec.get("minimum"), maximum=spec.get("maximum"))


def _parse_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _parse_datetime(text: str) -> dt.datetime:
    for pattern in ("%Y%m%dT%H%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def _typed(value, kind: str, spec: dict):
    if kind == "string":
        result = value if isinstance(value, str) else str(value)
        if "maxLength" in spec and len(result) > int(spec["maxLength"]):
            raise ValueError(_("longer than %(n)s characters") % {"n": spec["maxLength"]})
        return result
    if kind == "integer":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            value = int(value)
        result = int(str(value).strip().replace(" ", "").replace("\u00a0", ""))
        if abs(result) > 2 ** 63 - 1:
            raise ValueError
        return result
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        result = float(text)
        if math.isnan(result) or math.isinf(result):
            raise ValueError
        return result
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return _parse_date(str(value).strip())
    return value if isinstance(value, dt.datetime) else _parse_datetime(str(value).strip())


def convert(value, spec: dict):
    """The typed value of ``value`` under ``spec``, ``None`` for an empty cell; ValueError with a reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.get("required"):
            raise ValueError(_("a value is required"))
        return None
    kind = spec["type"]
    try:
        result = _typed(value, kind, spec)
    except (ValueError, TypeError, OverflowError) as exc:
        reason = str(exc) if str(exc) and not str(exc).startswith(("invalid", "could not", "Invalid", "time data")) \
            else ""
        raise ValueError(reason or _("not a valid %(type)s") % {"type": type_label(kind)}) from exc
    if "enum" in spec and result not in spec["enum"]:
        raise ValueError(_("not one of the allowed values"))
    if kind in ("integer", "number"):
        if "minimum" in spec and result < spec["minimum"]:
            raise ValueError(_("less than %(n)s") % {"n": spec["minimum"]})
        if "maximum" in spec and result > spec["maximum"]:
            raise ValueError(_("more than %(n)s") % {"n": spec["maximum"]})
    return result


def type_label(kind: str) -> str:
    return {"string": _("text"), "integer": _("whole number"), "number": _("number"), "boolean": _("yes/no value"),
            "date": _("date (YYYY-MM-DD or DD.MM.YYYY)"), "datetime": _("date and time")}.get(kind, kind)
