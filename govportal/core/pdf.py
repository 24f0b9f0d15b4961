"""PDF documents in Chinese (答复书, 年度报告) with reportlab's platypus.

Text uses the Adobe-GB1 CID fonts every PDF reader knows (``STSong-Light`` 宋体 for body
text, headings in the same face, bold by stroke), so nothing is embedded and no font file
has to ship with the project. ::

    from govportal.core import pdf

    story = [pdf.title("政府信息公开申请答复书"), pdf.para("……"), pdf.table(rows)]
    data: bytes = pdf.build(story, title="答复书", author="示例市教育局")
"""

from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


@cache
def _register() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@cache
def styles() -> dict[str, ParagraphStyle]:
    _register()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK"
    )
    return {
        "body": body,
        "plain": ParagraphStyle("plain", parent=body, firstLineIndent=0),
        "title": ParagraphStyle(
            "title", parent=body, fontSize=20, leading=30, alignment=TA_CENTER,
            firstLineIndent=0, spaceAfter=6,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=12, alignment=TA_CENTER, firstLineIndent=0,
            spaceAfter=12,
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=14, leading=24, firstLineIndent=0,
            spaceBefore=10, spaceAfter=4,
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=9, leading=12, firstLineIndent=0
        ),
    }  # fmt: skip


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines become line breaks)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def title(text: str) -> Paragraph:
    return para(text, "title")


def heading(text: str) -> Paragraph:
    return para(text, "heading")


def space(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def table(rows, *, col_widths=None, header_rows: int = 1, spans=()) -> Table:
    """A ruled table of plain-text cells; ``spans`` are reportlab SPAN commands' corners."""
    cell = styles()["cell"]
    data = [[Paragraph(escape(str(v)), cell) for v in row] for row in rows]
    result = Table(data, colWidths=col_widths, repeatRows=header_rows)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
    ]
    commands += [("SPAN", start, end) for start, end in spans]
    result.setStyle(TableStyle(commands))
    return result


def build(story, *, title: str = "", author: str = "", subject: str = "") -> bytes:
    """The PDF bytes of ``story`` on A4 with 25 mm margins and page numbers."""
    _register()
    buffer = BytesIO()

    def number_pages(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="govportal",
    )
    doc.build(list(story), onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()
