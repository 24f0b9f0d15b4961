"""The PDF version of an annual report: the six sections and four tables of the page."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from govportal.core import pdf

from .services import content_tables

GREY = colors.HexColor("#eeeeee")
WIDTH = 160 * mm  # A4 minus 25 mm margins


def _shade(table, rows):
    table.setStyle(TableStyle([("BACKGROUND", (0, r), (-1, r), GREY) for r in rows]))
    return table


def proactive_table(report: dict):
    rows, spans, shaded = [], [], []

    def group(title):
        shaded.append(len(rows))
        spans.append(((0, len(rows)), (3, len(rows))))
        rows.append([title, "", "", ""])

    def header(*labels):
        shaded.append(len(rows))
        if len(labels) == 2:
            spans.append(((1, len(rows)), (3, len(rows))))
            labels = (*labels, "", "")
        rows.append(list(labels))

    group("第二十条第（一）项")
    header("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    for row in report["proactive"]:
        rows.append([row["label"], row["made"], row["repealed"], row["valid"]])
    decisions = report["decisions"]
    group("第二十条第（五）项")
    header("信息内容", "本年处理决定数量")
    spans.append(((1, len(rows)), (3, len(rows))))
    rows.append([decisions[0]["label"], decisions[0]["n"], "", ""])
    group("第二十条第（六）项")
    header("信息内容", "本年处理决定数量")
    for row in decisions[1:]:
        spans.append(((1, len(rows)), (3, len(rows))))
        rows.append([row["label"], row["n"], "", ""])
    group("第二十条第（八）项")
    header("信息内容", "本年收费金额（单位：万元）")
    spans.append(((1, len(rows)), (3, len(rows))))
    rows.append(["行政事业性收费", report["fees"], "", ""])
    table = pdf.table(
        rows, col_widths=[WIDTH * 0.34] + [WIDTH * 0.22] * 3, header_rows=1, spans=spans
    )
    return _shade(table, shaded)


def request_table(report: dict):
    label_width = WIDTH * 0.37
    cell_width = (WIDTH - label_width) / 7
    rows = [
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    spans = [
        ((0, 0), (0, 2)),
        ((1, 0), (7, 0)),
        ((1, 1), (1, 2)),
        ((2, 1), (6, 1)),
        ((7, 1), (7, 2)),
    ]
    shaded = []
    for row in report["table3_rows"]:
        indent = "\u3000" * row["level"]
        if row["cells"] is None:
            spans.append(((0, len(rows)), (7, len(rows))))
            shaded.append(len(rows))
            rows.append([indent + row["label"], "", "", "", "", "", "", ""])
        else:
            rows.append([indent + row["label"], *row["cells"]])
    table = pdf.table(rows, col_widths=[label_width] + [cell_width] * 7, header_rows=3, spans=spans)
    return _shade(table, shaded)


def review_table(report: dict):
    results = report["review_results"]
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
        [*results, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *results, *results],
        [n for group in report["review"] for n in group["cells"]],
    ]
    spans = [((0, 0), (4, 0)), ((5, 0), (14, 0)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]
    spans += [((c, 1), (c, 2)) for c in range(5)]
    return pdf.table(rows, col_widths=[WIDTH / 15] * 15, header_rows=3, spans=spans)


def _paragraphs(text: str, empty: str = "无。"):
    parts = [p.strip() for p in (text or "").splitlines() if p.strip()]
    return [pdf.para(p) for p in parts] or [pdf.para(empty)]


def _note(text: str):
    return [pdf.para(f"说明：{text}", "plain")] if text else []


def build_pdf(content: dict, *, index_number: str = "") -> bytes:
    """The report as a PDF (A4, Chinese) from :func:`.services.report_content` data."""
    report = content_tables(content)
    story = [pdf.title(report["title"])]
    subtitle = report["organization"] + (f"　{report['date_text']}" if report["date_text"] else "")
    story.append(pdf.para(subtitle, "subtitle"))
    if index_number:
        story.append(pdf.para(f"索引号：{index_number}", "subtitle"))
    story.append(pdf.heading("一、总体情况"))
    for section in report["overview"]:
        if section["key"] == "overview_intro":
            if section["text"]:
                story += _paragraphs(section["text"])
            continue
        story.append(pdf.para(section["heading"], "plain"))
        story += _paragraphs(section["text"])
    story.append(pdf.heading("二、主动公开政府信息情况"))
    story.append(proactive_table(report))
    story += _note(report["notes"]["note_proactive"])
    story.append(pdf.heading("三、收到和处理政府信息公开申请情况"))
    story.append(request_table(report))
    story += _note(report["notes"]["note_requests"])
    story.append(pdf.heading("四、政府信息公开行政复议、行政诉讼情况"))
    story.append(review_table(report))
    story += _note(report["notes"]["note_review"])
    for section in report["closing"]:
        story.append(pdf.heading(section["heading"]))
        story += _paragraphs(section["text"])
    if report["is_rollup"] and report["units"]:
        story.append(pdf.heading("附：汇总范围"))
        rows = [["单位", "数据来源"]] + [[u["name"], u["label"]] for u in report["units"]]
        story.append(pdf.table(rows, col_widths=[WIDTH * 0.5, WIDTH * 0.5]))
    story += [pdf.space(8), pdf.para(report["organization"], "right")]
    if report["date_text"]:
        story.append(pdf.para(report["date_text"], "right"))
    return pdf.build(
        story,
        title=report["title"],
        author=report["organization"],
        subject="政府信息公开工作年度报告",
    )
