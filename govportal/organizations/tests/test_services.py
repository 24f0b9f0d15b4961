"""Importing and exporting the organisation tree (CSV and Excel)."""

import csv
import io

from django.core.management import CommandError, call_command

import pytest
from openpyxl import Workbook, load_workbook

from govportal.organizations.codes import make_credit_code, make_org_code
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Organization, OrganizationKind
from govportal.organizations.services import (
    COLUMNS,
    export_csv,
    export_rows,
    export_xlsx,
    import_organizations,
)

pytestmark = pytest.mark.django_db

CITY = "测试市人民政府"
DISTRICT = "测试市西山区人民政府"


def code(n: int) -> str:
    return make_credit_code("1", "1", "990100", make_org_code(f"8{n:07d}"))


def row(name, parent="", kind="部门", credit="", org="", **extra) -> dict:
    values = dict.fromkeys(COLUMNS, "")
    values.update({"全称": name, "上级单位全称": parent, "类型": kind})
    values["统一社会信用代码"] = credit
    values["组织机构代码"] = org
    for column, value in extra.items():
        values[column] = value
    return values


def good_rows() -> list[dict]:
    # Children come before their superior units on purpose.
    return [
        row("西山区教育局", DISTRICT, credit=code(3), 邮编="990102", 排序="10"),
        row("西山街道办事处", DISTRICT, kind="乡镇街道", org=make_org_code("80000004")),
        row(DISTRICT, CITY, kind="区县", credit=code(2), 联系电话="0999-1234567"),
        row(
            CITY,
            kind="政府",
            credit=code(1),
            简称="市政府",
            电子邮箱="zf@example.gov.cn",
            网站="https://www.example.gov.cn",
            地址="测试市政务路 1 号",
        ),
    ]


def to_csv(rows: list[dict], encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for values in rows:
        cells = [values[c] for c in COLUMNS]
        # Spreadsheets hold numbers as numbers: postcodes and sort orders come back as ints.
        cells = [int(c) if c.isdigit() and len(c) < 9 else c for c in cells]
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tree() -> list[tuple[int, str]]:
    return [(o.depth, o.name) for o in Organization.objects.order_by("path")]


EXPECTED_TREE = [
    (1, CITY),
    (2, DISTRICT),
    (3, "西山街道办事处"),
    (3, "西山区教育局"),
]


@pytest.mark.parametrize(
    ("filename", "make_file"),
    [
        ("orgs.csv", to_csv),
        ("orgs-gbk.csv", lambda rows: to_csv(rows, encoding="gb18030")),
        ("orgs.xlsx", to_xlsx),
    ],
)
def test_import_builds_the_tree(filename, make_file):
    result = import_organizations(make_file(good_rows()), filename)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (4, 0)
    assert tree() == EXPECTED_TREE  # sort order 0 before 10
    city = Organization.objects.get(name=CITY)
    assert city.kind == OrganizationKind.GOVERNMENT
    assert city.short_name == "市政府" and city.website == "https://www.example.gov.cn"
    school = Organization.objects.get(name="西山区教育局")
    assert school.postcode == "990102" and school.sort_order == 10
    assert school.get_parent().name == DISTRICT
    street = Organization.objects.get(name="西山街道办事处")
    assert street.credit_code == "" and street.code_for_index == make_org_code("80000004")


def test_every_bad_row_is_reported_and_nothing_is_saved():
    build_demo_organizations()
    before = export_rows()
    bad_credit = code(5)[:-1] + ("0" if code(5)[-1] != "0" else "1")
    rows = [
        row(CITY, kind="政府", credit=code(1)),  # row 2: fine
        row("甲局", CITY, credit=bad_credit),  # row 3
        row("乙局", "不存在的单位", credit=code(6)),  # row 4
        row("丙局", CITY),  # row 5: no code at all
        row("丁局", CITY, kind="局", credit=code(7)),  # row 6
        row("甲局", CITY, credit=code(8)),  # row 7: duplicate of row 3
        row("戊局", "己局", credit=code(9)),  # row 8: cycle with row 9
        row("己局", "戊局", credit=code(10)),  # row 9
        row("庚局", CITY, credit=code(1)),  # row 10: same code as row 2
        row("辛局", CITY, credit=code(11), 电子邮箱="not-an-email"),  # row 11
        row("壬局", CITY, credit=code(12), 排序="第一"),  # row 12
        row("癸局", CITY, credit=code(13), 邮编="12345"),  # row 13
        row("示例市教育局", CITY, credit=code(14)),  # row 14: fine (another parent)
        row("子局", CITY, credit=demo_code_in_use()),  # row 15: code of a demo unit
    ]
    result = import_organizations(to_csv(rows), "orgs.csv")
    messages = [str(e) for e in result.errors]
    assert not result.ok and result.created == 0
    assert "第 3 行：统一社会信用代码校验位错误" in messages
    assert any(m.startswith("第 4 行：上级单位“不存在的单位”不存在") for m in messages)
    assert "第 5 行：统一社会信用代码和组织机构代码至少填写一项" in messages
    assert any(m.startswith("第 6 行：类型必须是") for m in messages)
    assert any(m.startswith("第 7 行：与第 3 行重复") for m in messages)
    assert any(m.startswith("第 8 行：上级单位关系形成循环") for m in messages)
    assert any(m.startswith("第 9 行：上级单位关系形成循环") for m in messages)
    assert any(m.startswith("第 10 行：统一社会信用代码") and "第 2 行" in m for m in messages)
    assert any(m.startswith("第 11 行：电子邮箱") for m in messages)
    assert "第 12 行：排序必须是非负整数" in messages
    assert any(m.startswith("第 13 行：邮编") for m in messages)
    assert any(m.startswith("第 15 行：统一社会信用代码") and "已被" in m for m in messages)
    assert {e.row for e in result.errors} == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15}
    assert export_rows() == before  # nothing saved, nothing changed
    assert not Organization.objects.filter(name=CITY).exists()


def demo_code_in_use() -> str:
    return Organization.objects.get(name="示例市教育局").credit_code


def test_reimport_updates_instead_of_duplicating():
    assert import_organizations(to_csv(good_rows()), "orgs.csv").created == 4
    rows = good_rows()
    rows[2]["联系电话"] = "0999-7654321"
    rows[0]["排序"] = "0"
    rows[1]["排序"] = "5"
    result = import_organizations(to_xlsx(rows), "orgs.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 3, 1)
    assert Organization.objects.count() == 4
    assert Organization.objects.get(name=DISTRICT).phone == "0999-7654321"
    # The new sort orders reorder the siblings.
    assert tree()[2:] == [(3, "西山区教育局"), (3, "西山街道办事处")]


def test_a_unit_may_sit_under_an_existing_organisation():
    build_demo_organizations()
    rows = [row("青山区文化和旅游局", "示例市青山区人民政府", credit=code(20))]
    result = import_organizations(to_csv(rows), "orgs.csv")
    assert result.ok and result.created == 1
    assert Organization.objects.get(name="青山区文化和旅游局").get_parent().name == (
        "示例市青山区人民政府"
    )


def test_dry_run_counts_but_saves_nothing():
    result = import_organizations(to_csv(good_rows()), "orgs.csv", dry_run=True)
    assert result.ok and result.created == 4
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        ("全称,简称\n甲,乙\n".encode(), "orgs.csv", "缺少列"),
        (b"", "orgs.csv", "文件是空的"),
        (b"PK\x03\x04 not really a zip", "orgs.xlsx", "无法读取 Excel 文件"),
        (b"whatever", "orgs.txt", "只支持"),
    ],
)
def test_unreadable_files_are_rejected_whole(data, filename, message):
    result = import_organizations(data, filename)
    assert not result.ok and message in str(result.errors[0])


@pytest.mark.parametrize(("fmt", "export"), [("csv", export_csv), ("xlsx", export_xlsx)])
def test_export_then_import_round_trip(fmt, export):
    build_demo_organizations()
    Organization.objects.filter(name="示例市教育局").update(phone="+86 999 1234", website="")
    original = export_rows()
    data = export()
    # Same database: everything matches, nothing changes.
    result = import_organizations(data, f"orgs.{fmt}")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 13)
    # Empty database: the same tree comes back.
    Organization.objects.all().delete()
    result = import_organizations(data, f"orgs.{fmt}")
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 13
    assert export_rows() == original


def test_export_guards_against_formulas():
    Organization.add_root(instance=Organization(name="=HYPERLINK(1)", org_code="123456788"))
    assert "'=HYPERLINK(1)" in export_csv().decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(export_xlsx())).active
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"


def test_management_commands(tmp_path, capsys):
    source = tmp_path / "orgs.csv"
    source.write_bytes(to_csv(good_rows()))
    call_command("import_organizations", str(source), "--dry-run")
    assert Organization.objects.count() == 0
    call_command("import_organizations", str(source))
    assert Organization.objects.count() == 4
    target = tmp_path / "out.xlsx"
    call_command("export_organizations", str(target))
    assert load_workbook(target).active.max_row == 5
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row("甲局", "无此单位", credit=code(30))]))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_organizations", str(bad))
    assert "第 2 行：上级单位“无此单位”不存在" in capsys.readouterr().err
