"""Attachment text: real files of each format, built in memory, and the limits."""

import io
import logging

from django.core.cache import cache
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from govportal.core import pdf
from govportal.search import extract
from govportal.search.extract import ExtractionError, document_text, extract_text


def make_pdf(paragraphs: list[str]) -> bytes:
    return pdf.build([pdf.para(p) for p in paragraphs], title="测试", author="测试")


def make_docx(paragraph: str, cells: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=len(cells))
    for cell, text in zip(table.rows[0].cells, cells, strict=True):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "补贴名单"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_pdf_text_in_chinese():
    data = make_pdf(["营商环境持续优化。", "依申请公开办理情况良好。"])
    text = extract_text(data, "年度报告.PDF")
    assert "营商环境持续优化" in text
    assert "依申请公开办理情况良好" in text


def test_pdf_stops_at_the_page_limit():
    from reportlab.platypus import PageBreak

    story = [pdf.para("第一页内容"), PageBreak(), pdf.para("第二页内容"), PageBreak()]
    data = pdf.build([*story, pdf.para("第三页内容")], title="t", author="a")
    text = extract_text(data, "a.pdf", max_pages=2)
    assert "第二页内容" in text
    assert "第三页内容" not in text


def test_docx_paragraphs_and_tables():
    data = make_docx("关于做好政务公开工作的通知", ["序号", "社会保险经办机构"])
    text = extract_text(data, "通知.docx")
    assert "关于做好政务公开工作的通知" in text
    assert "社会保险经办机构" in text


def test_xlsx_sheets_and_cells():
    data = make_xlsx([["姓名", "补贴金额"], ["养老服务补贴", 200.0], [None, "合计"]])
    text = extract_text(data, "名单.xlsx")
    assert "补贴名单" in text  # the sheet name
    assert "养老服务补贴 200" in text
    assert "合计" in text


def test_xls_is_read_when_a_writer_exists():
    xlwt = pytest.importorskip("xlwt", reason="xlrd cannot write .xls; xlwt is not installed")
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("统计")
    sheet.write(0, 0, "政务服务事项")
    out = io.BytesIO()
    workbook.save(out)
    assert "政务服务事项" in extract_text(out.getvalue(), "a.xls")


def test_text_files_in_utf8_and_gbk():
    assert extract_text("信息公开指南".encode("utf-8-sig"), "a.txt") == "信息公开指南"
    assert extract_text("信息公开指南".encode("gbk"), "a.TXT") == "信息公开指南"


def test_text_is_cut_at_the_character_limit():
    assert extract_text(("政务" * 1000).encode(), "a.txt", max_chars=10) == "政务" * 5


def test_doc_uses_a_converter_or_is_skipped(caplog):
    if extract.doc_converter() is None:
        with caplog.at_level(logging.INFO, logger="govportal.search.extract"):
            assert extract_text(b"\xd0\xcf\x11\xe0 not really a doc", "old.doc") == ""
        assert "antiword" in caplog.text
    else:  # a converter is installed: a damaged file is an error, not a crash
        with pytest.raises(ExtractionError):
            extract_text(b"not a word file", "old.doc")


def test_unsupported_types_have_no_text():
    assert extract_text(b"\x00\x01", "video.mp4") == ""


@pytest.mark.parametrize("filename", ["bad.pdf", "bad.docx", "bad.xlsx", "bad.xls"])
def test_damaged_files_raise_a_extraction_error(filename):
    with pytest.raises(ExtractionError):
        extract_text(b"this is not the file it claims to be", filename)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    return tmp_path


def _document(filename: str, data: bytes):
    Document = get_document_model()
    document = Document(title=filename)
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_document_text_reads_the_file_and_caches_it(media):
    document = _document("指南.docx", make_docx("政府信息公开指南", []))
    assert "政府信息公开指南" in document_text(document)
    document.file.storage.delete(document.file.name)  # the cached text needs no file
    assert "政府信息公开指南" in document_text(document)


@pytest.mark.django_db
def test_document_text_of_a_damaged_file_is_empty_and_logged(media, caplog):
    document = _document("坏文件.pdf", b"%PDF-1.4 broken")
    with caplog.at_level(logging.WARNING, logger="govportal.search.extract"):
        assert document_text(document) == ""
    assert "cannot read document" in caplog.text


@pytest.mark.django_db
def test_document_above_the_size_limit_is_indexed_by_title_only(media, settings):
    settings.GOVPORTAL_SEARCH_MAX_FILE_MB = 0
    document = _document("大文件.txt", "很大的附件".encode())
    assert document_text(document) == ""
