"""The audit log as CSV (streamed) or Excel, with the hashes so a copy can be re-verified."""

import csv
import io
import json

from django.utils import timezone

HEADERS = [
    "序号", "时间", "用户", "角色", "来源IP", "操作代码", "操作", "对象类型", "对象ID", "对象",
    "结果", "变更前", "变更后", "附加信息", "前一条记录哈希", "本条记录哈希",
]  # fmt: skip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    """Neutralise spreadsheet formulas in text that may come from users (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _json(value) -> str:
    if value is None or value == {}:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def row(record) -> list:
    values = [
        record.seq,
        timezone.localtime(record.time).strftime("%Y-%m-%d %H:%M:%S"),
        record.username,
        record.roles,
        record.ip_address or "",
        record.action,
        record.action_label,
        record.object_type,
        record.object_id,
        record.object_repr,
        record.get_outcome_display(),
        _json(record.before),
        _json(record.after),
        _json(record.extra),
        record.prev_hash,
        record.hash,
    ]
    return [_safe_text(v) if isinstance(v, str) else v for v in values]


class _Echo:
    def write(self, value):
        return value


def csv_rows(records):
    """CSV lines one by one (for a streaming response); UTF-8 with BOM for Excel."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)
    for record in records.iterator(chunk_size=2000):
        yield writer.writerow(row(record))


def xlsx_bytes(records) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    for column, width in zip("ABCDEFGHIJ", [8, 20, 14, 24, 16, 22, 20, 20, 10, 30], strict=True):
        ws.column_dimensions[column].width = width
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for record in records.iterator(chunk_size=2000):
        ws.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row(record)]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
