"""One JSON loader for everything a client sends: a nesting limit and text the database can store.

Python's ``json`` recurses once per level, so an array nested a few thousand deep raises
``RecursionError`` — not a ``ValueError`` — and every caller that expects bad JSON to be a
``ValueError`` answered 500. ``loads`` refuses such a document before parsing it, with a ``ValueError``
that says why. It also refuses a lone UTF-16 surrogate (``"\\ud800"``): JSON lets one through, but it is
no character, cannot be encoded in UTF-8 and so cannot be stored or sent on anywhere.

Used by the REST API's parser (``JSONParser``, the default in ``REST_FRAMEWORK``), the CKAN Action API,
open data's JSON uploads and its structure field.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 100  # far above any document Krai takes (GeoJSON needs 5), far below Python's recursion limit
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JSONInputError(ValueError):
    """JSON that is well-formed but refused; the message says why, in the user's language."""


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (brackets inside strings do not count).

    Linear and in C for the most part: strings are cut out by one regular expression, everything but
    brackets by another, and the running depth is a sum over what is left.
    """
    structure = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, structure)), default=0)


def check_depth(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    if text.count("[") + text.count("{") <= max_depth:
        return  # cannot nest deeper than it has brackets: the common small document costs two counts
    if nesting_depth(text) > max_depth:
        raise JSONInputError(_("The JSON is nested deeper than %(n)s levels.") % {"n": max_depth})


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH, **kwargs):
    """``json.loads`` that raises ``ValueError`` (never ``RecursionError``) on any document it refuses."""
    if isinstance(data, bytes | bytearray):  # UTF-8 (with or without BOM), -16 or -32, as json.loads reads bytes
        data = bytes(data).decode(json.detect_encoding(data))  # strictly: an encoded surrogate is no character
    text = data
    check_depth(text, max_depth=max_depth)
    try:
        value = json.loads(text, **kwargs)
    except RecursionError as exc:  # a lower max_depth is the fix; this only keeps the promise of ValueError
        raise JSONInputError(_("The JSON is nested deeper than %(n)s levels.") % {"n": max_depth}) from exc
    if _SURROGATE_ESCAPE.search(text):
        # a pair (an emoji written as two escapes) decodes to one character and encodes; a lone half does not
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise JSONInputError(_("The JSON holds a broken character (half of a UTF-16 surrogate pair).")) from exc
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser through ``loads``: too deep or broken JSON is a 400 like any parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            return loads(text, parse_constant=_refuse_constant if self.strict else None)
        except JSONInputError as exc:
            raise ParseError(str(exc)) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc


def _refuse_constant(name: str):
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")
