"""A draft exported to DOCX (python-docx) for editing in an office suite: the same content as the PDF
(``export_data.document``), laid out with the document's own heading styles so the reader's navigation pane
shows the sections. Text in DOCX is Unicode, so Cyrillic needs no embedded font; Times New Roman is named for
every script (Word otherwise picks a different font for "complex" and East Asian runs)."""

from __future__ import annotations

import io
from typing import Any

from krai.lawmaking.export_data import Document, Item, section_titles
from krai.lawmaking.models import Provision

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"


def _font(style: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = FONT
    if style.name == "Normal":
        style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _pairs(document: Any, rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]) if rows else len(header or ("", "")))
    table.style = "Table Grid"
    for index, row in enumerate([header, *rows] if header else rows):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(value or "")
            if (header and index == 0) or (not header and column == 0):
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _items(document: Any, heading: str, entries: list[Item], none: str) -> None:
    document.add_heading(heading, level=2)
    if not entries:
        document.add_paragraph(none)
    for entry in entries:
        document.add_paragraph().add_run(entry.heading).bold = True
        for label, value in entry.fields:
            line = document.add_paragraph()
            if label:
                line.add_run(f"{label}: ").italic = True
            line.add_run(value)


def render(doc: Document) -> bytes:
    """The export as DOCX bytes."""
    import docx
    from docx.shared import Mm

    titles = section_titles()
    document = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        _font(document.styles[name])
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    document.core_properties.title = doc.title[:255]
    document.core_properties.author = "Krai"

    document.add_heading(doc.title, level=1)
    _pairs(document, doc.passport)
    document.add_heading(titles["timeline"], level=2)
    if doc.timeline:
        _pairs(document, doc.timeline, header=tuple(titles[k] for k in ("stage", "entered", "due", "note")))
    document.add_heading(titles["problem"], level=2)
    document.add_paragraph(doc.problem)
    document.add_heading(titles["proposal"], level=2)
    document.add_paragraph(doc.proposal)

    document.add_heading(titles["text"] + (f" ({doc.version_label})" if doc.version_label else ""), level=2)
    if not doc.text:
        document.add_paragraph(titles["no_text"])
    for line in doc.text:
        if line.kind == Provision.Kind.ARTICLE:
            document.add_heading(line.label, level=3)
            if line.text:
                document.add_paragraph(line.text)
            continue
        paragraph = document.add_paragraph(f"{line.label} {line.text}".strip())
        paragraph.paragraph_format.left_indent = Mm({Provision.Kind.PART: 6, Provision.Kind.PARAGRAPH: 12}.get(
            line.kind, 0))

    _items(document, titles["annotations"], doc.annotations, titles["none"])
    _items(document, titles["amendments"], doc.amendments, titles["none"])
    _items(document, titles["reviews"], doc.reviews, titles["none"])
    _items(document, titles["comments"], doc.comments, titles["none"])
    document.add_heading(titles["reaction"], level=2)
    if doc.reaction:
        _pairs(document, doc.reaction)
    else:
        document.add_paragraph(titles["no_reaction"])
    document.add_paragraph(titles["made"] % {"date": f"{doc.made_on:%d.%m.%Y}"})

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
