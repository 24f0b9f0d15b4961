"""文号 (document number) checks: ``示政办发〔2026〕12号`` — issuer code, year in 〔〕, serial, 号."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

DOC_NUMBER_RE = re.compile(r"^(?P<code>\S+?)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
# Brackets people type instead of the 六角括号 〔〕.
WRONG_BRACKETS_RE = re.compile(r"[\[［【(（{｛<《]\s*(\d{4})\s*[\]］】)）}｝>》]")
EXAMPLE = "示政办发〔2026〕12号"
FIRST_YEAR = 1949


def doc_number_year(value: str) -> int | None:
    """The year inside 〔〕 of a well-formed 文号, else ``None``."""
    match = DOC_NUMBER_RE.match(value or "")
    return int(match["year"]) if match else None


def validate_doc_number(value: str) -> None:
    """Refuse a 文号 that is not ``<机关代字>〔<4-digit year>〕<serial>号``, with the reason."""
    value = (value or "").strip()
    if not value:
        return
    if WRONG_BRACKETS_RE.search(value):
        raise ValidationError(
            "文号中的年份应使用六角括号〔〕，不要用方括号或圆括号，例如“%(example)s”。",
            code="doc_number_brackets",
            params={"example": EXAMPLE},
        )
    match = DOC_NUMBER_RE.match(value)
    if match is None:
        if "〔" not in value or "〕" not in value:
            message = "文号应包含用六角括号〔〕括起的四位年份，例如“%(example)s”。"
        elif not re.search(r"〔\d{4}〕", value):
            message = "文号〔〕中应为四位数字年份，例如“%(example)s”。"
        elif value.startswith("〔"):
            message = "文号应以发文机关代字开头，例如“%(example)s”。"
        elif not value.endswith("号"):
            message = "文号应以“号”结尾，例如“%(example)s”。"
        else:
            message = "文号的序号应为不以 0 开头的数字，后接“号”，例如“%(example)s”。"
        raise ValidationError(message, code="doc_number_format", params={"example": EXAMPLE})
    year = int(match["year"])
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            "文号中的年份 %(year)s 不合理，应在 %(first)s 年到 %(latest)s 年之间。",
            code="doc_number_year",
            params={"year": year, "first": FIRST_YEAR, "latest": latest},
        )
