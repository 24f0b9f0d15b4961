"""Import and export of the organisation tree as CSV or Excel (.xlsx).

The file has one organisation per row and names its superior unit by full name
(上级单位全称, blank for a top-level unit). Rows may come in any order. An import first
validates every row and reports each problem with its row number; only a file without
a single error is written, in one transaction. A row updates the existing organisation
with the same full name under the same superior unit instead of adding a second one.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from wagtail.models import Site

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .codes import normalize_code
from .models import Organization, OrganizationKind, SiteOrganization

COLUMNS = [
    "全称",
    "简称",
    "类型",
    "上级单位全称",
    "统一社会信用代码",
    "组织机构代码",
    "联系电话",
    "地址",
    "邮编",
    "电子邮箱",
    "网站",
    "排序",
]
PARENT_COLUMN = "上级单位全称"
# Column → model field (the parent column has no field of its own).
FIELD_FOR_COLUMN = {
    "全称": "name",
    "简称": "short_name",
    "类型": "kind",
    "统一社会信用代码": "credit_code",
    "组织机构代码": "org_code",
    "联系电话": "phone",
    "地址": "address",
    "邮编": "postcode",
    "电子邮箱": "email",
    "网站": "website",
    "排序": "sort_order",
}
COLUMN_FOR_FIELD = {f: c for c, f in FIELD_FOR_COLUMN.items()}
DATA_FIELDS = list(FIELD_FOR_COLUMN.values())
MAX_ROWS = 20_000
FORMULA_PREFIXES = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, header)."""


@dataclass
class RowError:
    row: int  # as numbered in the spreadsheet: the header is row 1
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    values: dict[str, object]  # model field → cleaned value
    parent_name: str
    errors: list[str] = field(default_factory=list)
    parent_row: "_Row | None" = None
    parent_org: Organization | None = None  # an existing superior unit outside the file
    existing: Organization | None = None  # the organisation this row updates
    depth: int = 0  # within the file, for writing parents first

    @property
    def name(self) -> str:
        return self.values["name"]


# -- reading -------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Undo the export's guard against spreadsheet formulas ('=..., '+86...).
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        text = text[1:]
    return text


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover — gb18030 decodes any byte string
        raise ImportFileError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _read_xlsx(data: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    break
            return rows
        finally:
            workbook.close()
    except (InvalidFileException, BadZipFile, KeyError, IndexError, OSError, ValueError) as exc:
        raise ImportFileError("无法读取 Excel 文件，请确认是 .xlsx 格式") from exc


def read_table(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for each non-blank data row of a CSV or XLSX file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        table = _read_csv(data)
    elif suffix == ".xlsx":
        table = _read_xlsx(data)
    else:
        raise ImportFileError("只支持 .csv 和 .xlsx 文件")
    if not table:
        raise ImportFileError("文件是空的")
    header = [_cell_text(c) for c in table[0]]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(missing))
    if unknown:
        problems.append("无法识别的列：" + "、".join(unknown))
    if len(set(header)) != len(header):
        problems.append("列名重复")
    if problems:
        raise ImportFileError("第 1 行（列名）：" + "；".join(problems))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(f"文件超过 {MAX_ROWS} 行，请拆分后导入")
    rows = []
    for index, raw in enumerate(table[1:], start=2):
        cells = [_cell_text(c) for c in raw]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append((index, {column: cells[i] for i, column in enumerate(header) if column}))
    return rows


# -- validating ----------------------------------------------------------------------------

KIND_BY_TEXT = {label: value for value, label in OrganizationKind.choices} | {
    value: value for value in OrganizationKind.values
}


def _parse_row(number: int, cells: dict[str, str]) -> _Row:
    errors = []
    values: dict[str, object] = {}
    for column, field_name in FIELD_FOR_COLUMN.items():
        values[field_name] = cells.get(column, "")
    kind_text = values["kind"]
    if kind_text in KIND_BY_TEXT:
        values["kind"] = KIND_BY_TEXT[kind_text]
    else:
        errors.append("类型必须是 政府、部门、区县、乡镇街道、其他 之一")
        values["kind"] = OrganizationKind.OTHER
    order_text = values["sort_order"]
    if order_text == "":
        values["sort_order"] = 0
    elif order_text.isdigit():
        values["sort_order"] = int(order_text)
    else:
        errors.append("排序必须是非负整数")
        values["sort_order"] = 0
    values["credit_code"] = normalize_code(values["credit_code"])
    values["org_code"] = normalize_code(values["org_code"])
    if not values["name"]:
        errors.append("全称不能为空")
    else:
        # Field checks (lengths, code check digits, e-mail, URL) and the model's own rules.
        candidate = Organization(**values)
        try:
            candidate.full_clean(
                exclude=["path", "depth", "numchild", "kind", "sort_order"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                column = COLUMN_FOR_FIELD.get(field_name)
                for message in messages:
                    if column and not message.startswith(column):
                        message = f"{column}：{message}"
                    errors.append(message)
    return _Row(number, values, cells.get(PARENT_COLUMN, ""), errors)


def _row_list(rows: list[_Row]) -> str:
    return "、".join(f"第 {r.number} 行" for r in rows)


def validate_rows(rows: list[_Row]) -> None:
    """Resolve superior units and matches, recording every problem on its row."""
    existing = list(Organization.objects.all())
    steplen = Organization.steplen
    by_name: dict[str, list[Organization]] = {}
    by_parent_and_name: dict[tuple[str, str], Organization] = {}
    for org in existing:
        by_name.setdefault(org.name, []).append(org)
        by_parent_and_name[(org.path[:-steplen], org.name)] = org

    rows_by_name: dict[str, list[_Row]] = {}
    for row in rows:
        if row.name:
            rows_by_name.setdefault(row.name, []).append(row)

    # Superior unit: a row of the file first, else an organisation already in the system.
    for row in rows:
        if not row.parent_name:
            continue
        candidates = rows_by_name.get(row.parent_name, [])
        if len(candidates) == 1:
            row.parent_row = candidates[0]
        elif len(candidates) > 1:
            row.errors.append(
                f"上级单位“{row.parent_name}”在文件中出现多次（{_row_list(candidates)}），无法确定是哪一个"
            )
        else:
            matches = by_name.get(row.parent_name, [])
            if len(matches) == 1:
                row.parent_org = matches[0]
            elif matches:
                row.errors.append(f"上级单位“{row.parent_name}”在系统中有多个同名单位，无法确定")
            else:
                row.errors.append(f"上级单位“{row.parent_name}”不存在（文件和系统中都没有）")

    # Cycles: following superior units inside the file must end outside it.
    state: dict[int, str] = {}
    for start in rows:
        chain: list[_Row] = []
        row = start
        while row is not None and id(row) not in state:
            state[id(row)] = "visiting"
            chain.append(row)
            row = row.parent_row
        if row is not None and state[id(row)] == "visiting":
            cycle = chain[chain.index(row) :]
            for member in cycle:
                member.errors.append(f"上级单位关系形成循环（{_row_list(cycle)}）")
                member.parent_row = None
        for member in chain:
            state[id(member)] = "done"

    # Depth within the file, so that superior units are written first.
    def depth(row: _Row) -> int:
        d = 0
        while row.parent_row is not None:
            row = row.parent_row
            d += 1
        return d

    for row in rows:
        row.depth = depth(row)

    # Duplicates: the same full name under the same superior unit.
    seen: dict[tuple[str, str], _Row] = {}
    for row in rows:
        key = (row.parent_name, row.name)
        if row.name and key in seen:
            row.errors.append(
                f"与第 {seen[key].number} 行重复（同一上级单位下的同名单位“{row.name}”）"
            )
        elif row.name:
            seen[key] = row

    # Match existing organisations, parents first.
    for row in sorted(rows, key=lambda r: r.depth):
        if row.parent_row is not None:
            parent = row.parent_row.existing
            if parent is None:
                continue  # a new superior unit has no existing children
            parent_path = parent.path
        elif row.parent_org is not None:
            parent_path = row.parent_org.path
        elif row.parent_name:
            continue  # unresolved superior unit, already reported
        else:
            parent_path = ""
        row.existing = by_parent_and_name.get((parent_path, row.name))

    # Codes are unique: within the file and against other organisations in the system.
    for field_name, label in (("credit_code", "统一社会信用代码"), ("org_code", "组织机构代码")):
        first_row: dict[str, _Row] = {}
        owners = {getattr(o, field_name): o for o in existing if getattr(o, field_name)}
        for row in rows:
            code = row.values[field_name]
            if not code:
                continue
            if code in first_row:
                row.errors.append(f"{label} {code} 与第 {first_row[code].number} 行重复")
                continue
            first_row[code] = row
            owner = owners.get(code)
            if owner is not None and (row.existing is None or owner.pk != row.existing.pk):
                row.errors.append(f"{label} {code} 已被“{owner.name}”使用")


# -- writing -------------------------------------------------------------------------------


def _write(rows: list[_Row], result: ImportResult) -> None:
    saved: dict[int, Organization] = {}
    for row in sorted(rows, key=lambda r: (r.depth, r.number)):
        if row.existing is not None:
            org = Organization.objects.get(pk=row.existing.pk)
            changed = [f for f in DATA_FIELDS if getattr(org, f) != row.values[f]]
            if changed:
                reorder = "sort_order" in changed
                for f in changed:
                    setattr(org, f, row.values[f])
                org.save(update_fields=changed)
                if reorder:
                    _resort(org)
                result.updated += 1
            else:
                result.unchanged += 1
            saved[id(row)] = org
            continue
        org = Organization(**row.values)
        parent = saved[id(row.parent_row)] if row.parent_row is not None else row.parent_org
        if parent is None:
            Organization.add_root(instance=org)
        else:
            Organization.objects.get(pk=parent.pk).add_child(instance=org)
        saved[id(row)] = org
        result.created += 1


def _resort(org: Organization) -> None:
    """Put ``org`` back in sibling order after its sort order changed."""
    node = Organization.objects.get(pk=org.pk)
    parent = node.get_parent(update=True)
    if parent is not None:
        node.move(parent, pos="sorted-child")
        return
    other_root = Organization.get_root_nodes().exclude(pk=node.pk).first()
    if other_root is not None:
        node.move(other_root, pos="sorted-sibling")


def import_organizations(data: bytes, filename: str, *, dry_run: bool = False) -> ImportResult:
    """Validate and (unless ``dry_run`` or any row has an error) save the file's tree.

    Returns the counts; ``result.errors`` lists every problem, row by row. Nothing is
    written when there is at least one error.
    """
    result = ImportResult(dry_run=dry_run)
    with translation.override("zh-hans"):
        try:
            table = read_table(data, filename)
        except ImportFileError as exc:
            result.errors.append(RowError(0, str(exc)))
            return result
        if not table:
            result.errors.append(RowError(0, "文件中没有数据行"))
            return result
        rows = [_parse_row(number, cells) for number, cells in table]
        validate_rows(rows)
        for row in rows:
            result.errors.extend(RowError(row.number, message) for message in row.errors)
        if result.errors:
            result.errors.sort(key=lambda e: e.row)
            return result
        try:
            with transaction.atomic():
                _write(rows, result)
                if dry_run:
                    transaction.set_rollback(True)
        except (DatabaseError, ValidationError) as exc:
            result.created = result.updated = result.unchanged = 0
            result.errors.append(RowError(0, f"保存失败，未导入任何数据：{exc}"))
    return result


# -- exporting -----------------------------------------------------------------------------


def export_rows() -> list[list[str]]:
    """The tree in file order (every superior unit before its units), header first."""
    orgs = list(Organization.objects.order_by("path"))
    by_path = {org.path: org for org in orgs}
    steplen = Organization.steplen
    labels = dict(OrganizationKind.choices)
    rows = [list(COLUMNS)]
    for org in orgs:
        parent = by_path.get(org.path[:-steplen])
        values = {column: getattr(org, f) for column, f in FIELD_FOR_COLUMN.items()}
        values["类型"] = labels.get(org.kind, org.kind)
        values["排序"] = str(org.sort_order)
        values[PARENT_COLUMN] = parent.name if parent else ""
        rows.append([str(values[column]) for column in COLUMNS])
    return rows


def _guard(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_csv() -> bytes:
    """UTF-8 with BOM, so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in export_rows():
        writer.writerow([_guard(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "组织机构"
    for row in export_rows():
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"  # text, never a formula; keeps leading zeros of codes
    for letter, width in zip(
        "ABCDEFGHIJKL", (32, 14, 10, 32, 22, 14, 16, 32, 8, 24, 28, 6), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_organizations(filename: str) -> bytes:
    """The tree as CSV or XLSX bytes, chosen by the file name's extension."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return export_csv()
    if suffix == ".xlsx":
        return export_xlsx()
    raise ImportFileError("只支持 .csv 和 .xlsx 文件")


def read_upload(upload: BinaryIO) -> bytes:
    return b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()


# -- sites and staff -----------------------------------------------------------------------


def link_site(site: Site, organization: Organization) -> SiteOrganization:
    """Make ``organization`` the owner of ``site`` (idempotent)."""
    link, _ = SiteOrganization.objects.update_or_create(
        site=site, defaults={"organization": organization}
    )
    return link
