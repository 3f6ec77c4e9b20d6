"""A draft exported to PDF for the official file: A4 portrait, drawn with reportlab's platypus in DejaVu Sans
(``krai.core.pdf.fonts`` — the built-in PDF fonts have no Cyrillic). The content is ``export_data.document``;
this module only lays it out: the title and passport, the timeline as a table, the problem and the proposal,
the draft's text (articles bold, parts and paragraphs indented), then the comments, amendments, reviews and
the reaction, with the page number at the foot of every page."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from krai.core.pdf import fonts as _fonts
from krai.lawmaking.export_data import Document, Item, section_titles
from krai.lawmaking.models import Provision

PDF = "application/pdf"


def _text(value: str) -> str:
    """Escaped for reportlab's mini-markup, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def render(doc: Document, *, compress: bool = True) -> bytes:
    """The export as PDF bytes."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    titles = section_titles()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13, spaceAfter=3)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
    article = ParagraphStyle("article", parent=body, fontName=bold, spaceBefore=6)
    part = ParagraphStyle("part", parent=body, leftIndent=6 * mm)
    paragraph = ParagraphStyle("paragraph", parent=body, leftIndent=12 * mm)
    item_head = ParagraphStyle("item", parent=body, fontName=bold, fontSize=9, leading=12, spaceBefore=4)
    item_body = ParagraphStyle("itembody", parent=body, fontSize=9, leading=12, leftIndent=4 * mm)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(_text(text), style)

    def table(rows: list[list], widths: list[float]) -> Table:
        grid = Table(rows, colWidths=widths, repeatRows=0)
        grid.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey), ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ]))
        return grid

    def items(heading: str, entries: list[Item]) -> list:
        story: list = [p(heading, h2)]
        if not entries:
            return [*story, p(titles["none"])]
        for entry in entries:
            block = [p(entry.heading, item_head)]
            for label, value in entry.fields:
                block.append(Paragraph((f"<b>{_text(label)}:</b> " if label else "") + _text(value), item_body))
            story.append(KeepTogether(block))
        return story

    width = A4[0] - 40 * mm
    story: list = [p(doc.title, h1)]
    story.append(table([[p(label, small), p(value, small)] for label, value in doc.passport],
                       [45 * mm, width - 45 * mm]))

    story.append(p(titles["timeline"], h2))
    rows = [[p(titles[k], small) for k in ("stage", "entered", "due", "note")]]
    rows += [[p(stage, small), p(entered, small), p(due, small), p(note, small)]
             for stage, entered, due, note in doc.timeline]
    story.append(table(rows, [45 * mm, 25 * mm, 25 * mm, width - 95 * mm]))

    story += [p(titles["problem"], h2), p(doc.problem), p(titles["proposal"], h2), p(doc.proposal)]

    story.append(p(titles["text"] + (f" ({doc.version_label})" if doc.version_label else ""), h2))
    if not doc.text:
        story.append(p(titles["no_text"]))
    for line in doc.text:
        if line.kind == Provision.Kind.ARTICLE:
            story.append(p(line.label, article))
            if line.text:
                story.append(p(line.text))
        else:
            style = {Provision.Kind.PART: part, Provision.Kind.PARAGRAPH: paragraph}.get(line.kind, body)
            story.append(p(f"{line.label} {line.text}".strip(), style))

    story += items(titles["annotations"], doc.annotations)
    story += items(titles["amendments"], doc.amendments)
    story += items(titles["reviews"], doc.reviews)
    story += items(titles["comments"], doc.comments)

    story.append(p(titles["reaction"], h2))
    if doc.reaction:
        story.append(table([[p(label, small), p(value, small)] for label, value in doc.reaction],
                           [45 * mm, width - 45 * mm]))
    else:
        story.append(p(titles["no_reaction"]))
    story += [Spacer(1, 6 * mm), p(titles["made"] % {"date": f"{doc.made_on:%d.%m.%Y}"}, small)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm, title=doc.title, author="Krai",
                                 pageCompression=1 if compress else 0)

    def footer(canvas: Any, page_doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawRightString(A4[0] - 20 * mm, 8 * mm, titles["page"] % {"n": page_doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
