"""CKAN's wire protocol for the actions: the error kinds and their HTTP codes (``ActionError``), the
``{"help", "success", "result"}`` envelope, the parameters of a GET (JSON-encoded lists and dicts) or a JSON
POST with NUL characters refused, and the checks of integer, boolean and date values CKAN clients send.
"""

from __future__ import annotations

from django.http import HttpResponse

from krai.core import jsonsafe
from krai.opendata.api.rows import json_response
from krai.opendata.datastore import MAX_BIGINT

ERRORS = {"Not Found Error": 404, "Validation Error": 409, "Authorization Error": 403, "Search Query Error": 400,
          "Search Error": 409}


class ActionError(Exception):
    def __init__(self, kind: str, message: str = "", **fields):
        super().__init__(message)
        self.kind, self.message, self.fields = kind, message, fields


def _envelope(request, action: str, *, result=None, error: dict | None = None, status: int = 200) -> HttpResponse:
    body = {"help": request.build_absolute_uri(f"/api/3/action/help_show?name={action}")}
    if error is None:
        body.update(success=True, result=result)
    else:
        body.update(success=False, error=error)
    return json_response(body, status=status)


def _params(request) -> dict:
    """Parameters of a GET (list/dict values JSON-encoded, repeated keys a list) or a JSON POST."""
    if request.method == "POST":
        if request.body:
            if request.content_type == "application/json" or request.body.lstrip()[:1] in (b"{",):
                try:
                    data = jsonsafe.loads(request.body)
                except jsonsafe.JSONInputError as exc:
                    raise ActionError("Validation Error", str(exc)) from exc
                except ValueError as exc:
                    raise ActionError("Validation Error", "JSON body expected") from exc
                if not isinstance(data, dict):
                    raise ActionError("Validation Error", "JSON object expected")
                return _storable(data)
            return _storable({k: v[0] if len(v) == 1 else v for k, v in request.POST.lists()})
        return {}
    params = {}
    for key, values in request.GET.lists():
        decoded = []
        for value in values:
            if value[:1] in ("{", "["):
                try:
                    value = jsonsafe.loads(value)
                except jsonsafe.JSONInputError as exc:
                    raise ActionError("Validation Error", str(exc), **{key: [str(exc)]}) from exc
                except ValueError:
                    pass  # not JSON after all: the text itself is the value
            decoded.append(value)
        params[key] = decoded[0] if len(decoded) == 1 else decoded
    return _storable(params)


def _storable(value):
    """Refuse a NUL character anywhere in the parameters: PostgreSQL cannot take it in any text it compares, so
    an id or a search word holding one would fail in the database (nesting is bounded by the JSON loader)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ActionError("Validation Error", "A value holds a NUL character, which no field can contain.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list):
        for item in value:
            _storable(item)
    return value


def _int(params: dict, key: str, default: int, maximum: int | None = None) -> int:
    try:  # 1e400 and Infinity arrive as float('inf') from JSON: int() of it overflows
        value = int(params.get(key, default))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ActionError("Validation Error", "", **{key: ["Invalid integer"]}) from exc
    if value < 0:
        raise ActionError("Validation Error", "", **{key: ["Must be a natural number"]})
    if maximum is None and value > MAX_BIGINT:
        raise ActionError("Validation Error", "", **{key: [f"Must be at most {MAX_BIGINT}"]})
    return min(value, maximum) if maximum is not None else value


def _bool(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes", "on")


def _iso(value) -> str:
    return value.replace(tzinfo=None).isoformat() if value else None
