"""A kept payload as the log's page shows it: pretty-printed when it is JSON or XML, as it came otherwise (the
template escapes it either way), and its download's file name and content type.

XML is read with ``lxml`` without entities, DTDs or the network, so a hostile payload cannot expand or reach out;
anything that does not parse is shown as it is. Very long payloads are shown cut (the download has all of it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from lxml import etree

SHOWN_CHARACTERS = 200_000


@dataclass(frozen=True)
class Shown:
    text: str
    format: str  # "json", "xml" or "text"
    cut: bool


def detect(text: str, content_type: str = "") -> str:
    head = text.lstrip()[:1]
    if "json" in content_type or head in ("{", "["):
        return "json"
    if "xml" in content_type or head == "<":
        return "xml"
    return "text"


def _json(text: str) -> str | None:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except (ValueError, RecursionError):
        return None


def _xml(text: str) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def shown(text: str, content_type: str = "") -> Shown:
    """The payload as the page shows it."""
    kind = detect(text, content_type)
    pretty = None
    if len(text) <= SHOWN_CHARACTERS:
        pretty = _json(text) if kind == "json" else _xml(text) if kind == "xml" else None
    body = pretty if pretty is not None else text
    if pretty is None and kind != "text":
        kind = "text"
    return Shown(text=body[:SHOWN_CHARACTERS], format=kind, cut=len(body) > SHOWN_CHARACTERS)


def download_type(text: str, content_type: str = "") -> tuple[str, str]:
    """(content type, file extension) of the download: JSON, XML or plain text, never HTML (the payload is the
    other side's, served from this site)."""
    kind = detect(text, content_type)
    return {"json": ("application/json", "json"), "xml": ("application/xml", "xml")}.get(kind, ("text/plain", "txt"))
