"""Computing, checking and publishing 政府信息公开工作年度报告 (2021 template).

Pure-data pieces (plain dicts of ints, JSON-able, shared by the admin, the page, the PDF
and the tests):

* :func:`request_table` — table 三 from :class:`~govportal.inforequests.models.
  DisclosureRequest` (only ``organization``, ``applicant_type``, ``received_on``,
  ``closed_on``, ``outcome``, ``status`` are read). For year Y: 本年新收 = received in Y;
  上年结转 = received before Y and not closed before Y; 办理结果 = closed in Y, by outcome;
  结转下年度 = received by the end of Y and not closed by then. Requests without a
  收到日期 (not registered yet) do not count. A closed request without an outcome counts
  as 其他处理：其他 (withdrawn ones by rule, others with a warning).
* :func:`check_failures` — the columns where 一 + 二 ≠ 三（七）总计 + 四 (empty: consistent).
* :func:`proactive_table` — the derived rows of table 二 (规章, 行政规范性文件) from the
  catalogue: 本年制发 = live entries written in Y; 本年废止 = live entries 废止/失效 with an
  expiry date in Y; 现行有效 = live entries written by the end of Y and in force then (有效,
  or 废止/失效 only after Y).
* :func:`catalogue_counts` — live entries published in Y by top-level category (a helper
  for writing section 一).
* :func:`derived` — the derived part of a report: live while a draft, frozen in
  ``AnnualReport.snapshot`` from the first publication on.

A 政府汇总 roll-up (``ReportKind.ROLLUP``, for a government or district) sums the
organisation itself and every active unit below it in the organisation tree: each unit's
published report (its frozen numbers and entered numbers), else its draft (live numbers and
the numbers entered so far), else its live numbers alone (entered numbers count as 0); the
report lists every unit with the source used. All its numbers are derived; staff write the
texts.

:func:`publish` makes the catalogue page and the PDF (see its docstring).
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from govportal.audit.services import record
from govportal.inforequests.models import DisclosureRequest
from govportal.inforequests.taxonomy import (
    OUTCOME_GROUPS,
    WITHDRAWN_OUTCOME,
    ApplicantType,
    Outcome,
    Status,
)
from govportal.organizations.models import (
    Membership,
    Organization,
    OrganizationKind,
    SiteOrganization,
)

from .models import (
    CATEGORY_CODE,
    AnnualReport,
    AnnualReportPage,
    ReportKind,
    ReportStatus,
)

ACTION_GENERATE = "annualreport.generate"
ACTION_EDIT = "annualreport.edit"
ACTION_PUBLISH = "annualreport.publish"
AUDIT_ACTIONS = {
    ACTION_GENERATE: "政府信息公开年报：生成",
    ACTION_EDIT: "政府信息公开年报：修改填报内容",
    ACTION_PUBLISH: "政府信息公开年报：发布",
}
PERMISSION = "annualreports.change_annualreport"
ROLLUP_KINDS = (OrganizationKind.GOVERNMENT, OrganizationKind.DISTRICT)

# -- the template's rows and columns --------------------------------------------------------

#: Table 三's columns: (key, label); the keys are ApplicantType values plus ``total``.
COLUMNS: list[tuple[str, str]] = [
    (ApplicantType.NATURAL, "自然人"),
    (ApplicantType.COMMERCIAL, "商业企业"),
    (ApplicantType.RESEARCH, "科研机构"),
    (ApplicantType.PUBLIC_INTEREST, "社会公益组织"),
    (ApplicantType.LEGAL_SERVICE, "法律服务机构"),
    (ApplicantType.OTHER_ORG, "其他"),
    ("total", "总计"),
]
COLUMN_KEYS = [str(key) for key, _ in COLUMNS]
ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"

#: Table 二's derived rows: (key, label, category code).
PROACTIVE_ROWS = [
    ("rules", "规章", "regulations-rules"),
    ("normative", "行政规范性文件", "regulations-normative"),
]
#: Table 二's entered counts: (key, label, Art. 20 item).
DECISION_FIELDS = [
    ("licensing", "行政许可", "第二十条第（五）项"),
    ("penalty", "行政处罚", "第二十条第（六）项"),
    ("coercion", "行政强制", "第二十条第（六）项"),
]
FEES_FIELD = ("fees", "行政事业性收费", "第二十条第（八）项")
#: Table 四: groups × results (总计 is the sum of the four).
REVIEW_GROUPS = [
    ("review", "行政复议"),
    ("direct", "行政诉讼：未经复议直接起诉"),
    ("after_review", "行政诉讼：复议后起诉"),
]
REVIEW_RESULTS = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
]
#: Every staff-entered integer (fees are a separate decimal).
ENTERED_INT_FIELDS = [key for key, _, _ in DECISION_FIELDS] + [
    f"{group}_{result}" for group, _ in REVIEW_GROUPS for result, _ in REVIEW_RESULTS
]

#: Texts: (key, heading, required to publish).
OVERVIEW_TEXTS = [
    ("overview_intro", "概述", False),
    ("overview_proactive", "（一）主动公开", True),
    ("overview_requests", "（二）依申请公开", True),
    ("overview_management", "（三）政府信息管理", True),
    ("overview_platform", "（四）平台建设", True),
    ("overview_supervision", "（五）监督保障", True),
]
CLOSING_TEXTS = [
    ("problems", "五、存在的主要问题及改进情况", True),
    ("other", "六、其他需要报告的事项", False),
]
NOTE_TEXTS = [
    ("note_proactive", "表二说明"),
    ("note_requests", "表三说明"),
    ("note_review", "表四说明"),
]
TEXT_KEYS = [key for key, _, _ in OVERVIEW_TEXTS + CLOSING_TEXTS] + [k for k, _ in NOTE_TEXTS]


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _zeros() -> dict[str, int]:
    return dict.fromkeys(COLUMN_KEYS, 0)


# -- table 三: requests ---------------------------------------------------------------------


def empty_request_table() -> dict:
    return {
        "new": _zeros(),
        "carried_in": _zeros(),
        "outcomes": {outcome: _zeros() for outcome in Outcome.values},
        "total": _zeros(),
        "carried_out": _zeros(),
        "unclassified": 0,
    }


def request_table(organization_ids, year: int) -> dict:
    """Table 三 for the organisations ``organization_ids`` and ``year`` (see module doc)."""
    start, end = year_bounds(year)
    table = empty_request_table()
    rows = (
        DisclosureRequest.objects.filter(
            organization_id__in=list(organization_ids), received_on__isnull=False
        )
        .filter(Q(received_on__lte=end) | Q(closed_on__gte=start, closed_on__lte=end))
        .values_list("applicant_type", "received_on", "closed_on", "outcome", "status")
    )
    for applicant_type, received, closed, outcome, status in rows:
        column = applicant_type if applicant_type in COLUMN_KEYS else ApplicantType.OTHER_ORG
        cells = []
        if start <= received <= end:
            cells.append(table["new"])
        if received < start and (closed is None or closed >= start):
            cells.append(table["carried_in"])
        if closed is not None and start <= closed <= end:
            if outcome not in Outcome.values:
                if status != Status.WITHDRAWN:
                    table["unclassified"] += 1
                outcome = WITHDRAWN_OUTCOME if status == Status.WITHDRAWN else Outcome.OTHER
            cells += [table["outcomes"][outcome], table["total"]]
        if received <= end and (closed is None or closed > end):
            cells.append(table["carried_out"])
        for cell in cells:
            cell[column] += 1
            cell["total"] += 1
    return table


def check_failures(table: dict) -> list[str]:
    """Labels of the columns where 一 + 二 ≠ 三（七）总计 + 四 (none: the table is consistent)."""
    failures = []
    for key, label in COLUMNS:
        left = table["new"][key] + table["carried_in"][key]
        right = table["total"][key] + table["carried_out"][key]
        if left != right:
            failures.append(label)
    return failures


# -- table 二 and the catalogue counts -------------------------------------------------------


def _entries(organization_ids):
    from govportal.disclosure.models import DisclosureEntryPage

    return DisclosureEntryPage.objects.live().filter(publisher_id__in=list(organization_ids))


def proactive_table(organization_ids, year: int) -> dict:
    """The derived rows of table 二: {rules|normative: {made, repealed, valid}}."""
    from govportal.disclosure.taxonomy import Validity

    start, end = year_bounds(year)
    ended = [Validity.REPEALED, Validity.EXPIRED]
    result = {}
    for key, _label, code in PROACTIVE_ROWS:
        entries = _entries(organization_ids).filter(category__code=code)
        result[key] = {
            "made": entries.filter(written_date__gte=start, written_date__lte=end).count(),
            "repealed": entries.filter(
                validity__in=ended, expiry_date__gte=start, expiry_date__lte=end
            ).count(),
            "valid": entries.filter(written_date__lte=end)
            .filter(Q(validity=Validity.VALID) | Q(validity__in=ended, expiry_date__gt=end))
            .count(),
        }
    return result


def catalogue_counts(organization_ids, year: int) -> list[dict]:
    """Live entries published in ``year``, by top-level category: [{code, name, n}]."""
    from govportal.disclosure.models import DisclosureCategory

    rows = (
        _entries(organization_ids)
        .filter(publish_time__year=year)
        .order_by()
        .values("category_id")
        .annotate(n=Count("id"))
    )
    by_category = {row["category_id"]: row["n"] for row in rows}
    counts = []
    for top in DisclosureCategory.objects.filter(parent=None).prefetch_related("children"):
        n = by_category.get(top.pk, 0) + sum(by_category.get(c.pk, 0) for c in top.children.all())
        if n:
            counts.append({"code": top.code, "name": top.name, "n": n})
    return counts


# -- sums ---------------------------------------------------------------------------------


def _add(total, part):
    """Add nested dicts of ints (and lists of catalogue counts) into ``total``."""
    for key, value in part.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value
    return total


def _add_counts(total: list[dict], part: list[dict]) -> list[dict]:
    merged = OrderedDict((row["code"], dict(row)) for row in total)
    for row in part:
        if row["code"] in merged:
            merged[row["code"]]["n"] += row["n"]
        else:
            merged[row["code"]] = dict(row)
    return list(merged.values())


def normalized_entered(entered: dict | None) -> dict:
    """Staff-entered numbers with every key present (missing ones are 0)."""
    entered = entered or {}
    result = {key: int(entered.get(key) or 0) for key in ENTERED_INT_FIELDS}
    result["fees"] = f"{Decimal(str(entered.get('fees') or 0)):.4f}"
    return result


def sum_entered(parts: list[dict]) -> dict:
    total = normalized_entered({})
    fees = Decimal(0)
    for part in parts:
        part = normalized_entered(part)
        for key in ENTERED_INT_FIELDS:
            total[key] += part[key]
        fees += Decimal(part["fees"])
    total["fees"] = f"{fees:.4f}"
    return total


# -- a report's derived part ---------------------------------------------------------------


def unit_numbers(organization_id: int, year: int) -> dict:
    """The live derived numbers of one organisation."""
    ids = [organization_id]
    return {
        "table2": proactive_table(ids, year),
        "table3": request_table(ids, year),
        "catalogue": catalogue_counts(ids, year),
    }


SOURCE_LABELS = {
    "published": "已发布年报（发布时数据）",
    "draft": "年报草稿（实时数据）",
    "none": "未生成年报（实时数据，填报项按0计）",
}


def rollup_units(organization: Organization):
    """The organisation and its active descendants, in tree order."""
    return Organization.get_tree(organization).filter(is_active=True)


def _rollup(report: AnnualReport) -> dict:
    units = list(rollup_units(report.organization))
    reports = {
        r.organization_id: r
        for r in AnnualReport.objects.filter(
            organization__in=units, year=report.year, kind=ReportKind.ORGANIZATION
        )
    }
    total = {
        "table2": {},
        "table3": empty_request_table(),
        "catalogue": [],
    }
    entered = []
    listed = []
    for unit in units:
        unit_report = reports.get(unit.pk)
        if unit_report is not None and unit_report.is_published and unit_report.snapshot:
            numbers, source = unit_report.snapshot, "published"
            entered.append(unit_report.entered)
        elif unit_report is not None:
            numbers, source = unit_numbers(unit.pk, report.year), "draft"
            entered.append(unit_report.entered)
        else:
            numbers, source = unit_numbers(unit.pk, report.year), "none"
        _add(total["table2"], numbers["table2"])
        _add(total["table3"], numbers["table3"])
        total["catalogue"] = _add_counts(total["catalogue"], numbers.get("catalogue", []))
        listed.append(
            {"id": unit.pk, "name": unit.name, "source": source, "label": SOURCE_LABELS[source]}
        )
    total["entered"] = sum_entered(entered)
    total["units"] = listed
    return total


def compute(report: AnnualReport) -> dict:
    """The report's derived numbers from the data as it is now."""
    if report.is_rollup:
        return _rollup(report)
    return unit_numbers(report.organization_id, report.year)


def derived(report: AnnualReport) -> dict:
    """Frozen numbers for a published report, live ones for a draft."""
    if report.snapshot:
        return report.snapshot
    return compute(report)


def entered_numbers(report: AnnualReport, numbers: dict | None = None) -> dict:
    """A roll-up's entered numbers are its units' sums; others are what staff entered."""
    if report.is_rollup:
        numbers = numbers if numbers is not None else derived(report)
        return normalized_entered(numbers.get("entered"))
    return normalized_entered(report.entered)


def report_content(report: AnnualReport, numbers: dict | None = None) -> dict:
    """Everything the page and the PDF show, as JSON-able data."""
    numbers = numbers if numbers is not None else derived(report)
    texts = {key: (report.texts or {}).get(key, "") for key in TEXT_KEYS}
    published = report.published_on or timezone.localdate()
    return {
        "title": report.title,
        "organization": report.organization.name,
        "year": report.year,
        "kind": report.kind,
        "date": published.isoformat(),
        "texts": texts,
        "table2": numbers["table2"],
        "table3": numbers["table3"],
        "entered": entered_numbers(report, numbers),
        "units": numbers.get("units", []),
        "catalogue": numbers.get("catalogue", []),
    }


# -- view model shared by the templates and the PDF ------------------------------------------


def table3_rows(table: dict) -> list[dict]:
    """Table 三 as rows: {label, group (the heading a sub-row belongs to), level, cells}.

    ``cells`` is None for heading rows (三、本年度办理结果 and the groups with sub-rows).
    """

    def cells(values):
        return [values.get(key, 0) for key in COLUMN_KEYS]

    rows = [
        {"label": ROW_NEW, "group": "", "level": 0, "cells": cells(table["new"])},
        {"label": ROW_CARRIED_IN, "group": "", "level": 0, "cells": cells(table["carried_in"])},
        {"label": ROW_RESULTS, "group": "", "level": 0, "cells": None},
    ]
    labels = dict(Outcome.choices)
    for _key, heading, outcomes in OUTCOME_GROUPS:
        if len(outcomes) == 1:
            rows.append(
                {
                    "label": heading,
                    "group": ROW_RESULTS,
                    "level": 1,
                    "cells": cells(table["outcomes"][outcomes[0]]),
                }
            )
            continue
        rows.append({"label": heading, "group": ROW_RESULTS, "level": 1, "cells": None})
        for number, outcome in enumerate(outcomes, start=1):
            label = labels[outcome].split("：", 1)[-1]
            rows.append(
                {
                    "label": f"{number}.{label}",
                    "group": heading,
                    "level": 2,
                    "cells": cells(table["outcomes"][outcome]),
                }
            )
    rows.append(
        {"label": ROW_TOTAL, "group": ROW_RESULTS, "level": 1, "cells": cells(table["total"])}
    )
    rows.append(
        {"label": ROW_CARRIED_OUT, "group": "", "level": 0, "cells": cells(table["carried_out"])}
    )
    return rows


def review_cells(entered: dict) -> list[dict]:
    """Table 四: per group, the four results and their 总计."""
    groups = []
    for group, label in REVIEW_GROUPS:
        values = [entered.get(f"{group}_{result}", 0) for result, _ in REVIEW_RESULTS]
        groups.append({"key": group, "label": label, "cells": [*values, sum(values)]})
    return groups


def content_tables(content: dict) -> dict:
    """What the templates and the PDF iterate over, from :func:`report_content` data."""
    entered = normalized_entered(content.get("entered"))
    texts = content.get("texts", {})
    table2 = content["table2"]
    return {
        **content,
        "is_rollup": content.get("kind") == ReportKind.ROLLUP,
        "date_text": _date_text(content.get("date")),
        "overview": [_text(key, heading, texts) for key, heading, _ in OVERVIEW_TEXTS],
        "closing": [_text(key, heading, texts) for key, heading, _ in CLOSING_TEXTS],
        "notes": {key: texts.get(key, "") for key, _ in NOTE_TEXTS},
        "proactive": [
            {"label": label, **table2.get(key, {"made": 0, "repealed": 0, "valid": 0})}
            for key, label, _ in PROACTIVE_ROWS
        ],
        "decisions": [
            {"label": label, "item": item, "n": entered[key]}
            for key, label, item in DECISION_FIELDS
        ],
        "fees": entered["fees"],
        "columns": [label for _, label in COLUMNS],
        "table3_rows": table3_rows(content["table3"]),
        "check_failures": check_failures(content["table3"]),
        "review": review_cells(entered),
        "review_results": [label for _, label in REVIEW_RESULTS] + ["总计"],
    }


def _text(key: str, heading: str, texts: dict) -> dict:
    text = texts.get(key, "")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return {"key": key, "heading": heading, "text": text, "paragraphs": paragraphs}


def _date_text(value: str | None) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日"


# -- who may do what ------------------------------------------------------------------------


def managed_organizations(user):
    """Organisations whose reports ``user`` may generate, edit and publish: superusers all;
    holders of ``annualreports.change_annualreport`` their organisations and everything below."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    if not user.has_perm(PERMISSION):
        return Organization.objects.none()
    paths = list(Membership.objects.filter(user=user).values_list("organization__path", flat=True))
    if not paths:
        return Organization.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organization.objects.filter(condition)


def reports_for(user):
    return AnnualReport.objects.filter(organization__in=managed_organizations(user)).select_related(
        "organization", "page"
    )


def may_use(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(PERMISSION))
    )


# -- generate, edit, publish ----------------------------------------------------------------


def generate(
    organization: Organization, year: int, kind: str, user, *, request=None
) -> AnnualReport:
    """A new draft; refuses a duplicate and a roll-up for a unit that is no government."""
    if kind == ReportKind.ROLLUP and organization.kind not in ROLLUP_KINDS:
        raise ValidationError("只有政府（含区县政府）可以生成政府汇总年报。")
    if AnnualReport.objects.filter(organization=organization, year=year, kind=kind).exists():
        raise ValidationError(
            f"{organization.name}{year}年的{ReportKind(kind).label}已经生成，请在列表中打开编辑，不能重复生成。"
        )
    with transaction.atomic():
        report = AnnualReport.objects.create(
            organization=organization, year=year, kind=kind, created_by=user, updated_by=user
        )
        record(
            ACTION_GENERATE,
            user=user,
            request=request,
            obj=report,
            after={"organization": organization.name, "year": year, "kind": kind},
        )
    return report


def save_entries(report: AnnualReport, *, entered: dict, texts: dict, user, request=None) -> bool:
    """Store what staff entered; returns whether anything changed (audited if so)."""
    before = {"entered": report.entered, "texts": report.texts}
    new_entered = report.entered if report.is_rollup else normalized_entered(entered)
    new_texts = {key: (texts.get(key) or "").strip() for key in TEXT_KEYS}
    if new_entered == normalized_entered(report.entered) and new_texts == {
        key: (report.texts or {}).get(key, "") for key in TEXT_KEYS
    }:
        return False
    with transaction.atomic():
        report.entered = new_entered
        report.texts = new_texts
        report.updated_by = user
        if report.is_published:
            report.has_unpublished_changes = True
        report.save()
        changed_texts = sorted(
            k for k in TEXT_KEYS if (before["texts"] or {}).get(k, "") != new_texts[k]
        )
        record(
            ACTION_EDIT,
            user=user,
            request=request,
            obj=report,
            before={"entered": before["entered"], "texts": changed_texts},
            after={"entered": new_entered, "texts": changed_texts},
        )
    return True


def publish_problems(report: AnnualReport, numbers: dict | None = None) -> list[str]:
    """Why the report cannot be published now (empty: it can)."""
    numbers = numbers if numbers is not None else derived(report)
    problems = []
    failures = check_failures(numbers["table3"])
    if failures:
        problems.append(
            "表三数据不平衡（一+二≠三（七）总计+四），涉及列："
            + "、".join(failures)
            + "。请核对申请数据后再发布。"
        )
    texts = report.texts or {}
    missing = [
        heading
        for key, heading, required in OVERVIEW_TEXTS + CLOSING_TEXTS
        if required and not (texts.get(key) or "").strip()
    ]
    if missing:
        problems.append("以下内容尚未填写：" + "、".join(missing) + "。")
    return problems


def catalogue_for(organization: Organization):
    """The 政府信息公开目录 of the organisation's site, or of its nearest superior's."""
    from govportal.disclosure.models import DisclosureIndexPage

    for unit in [organization, *reversed(organization.get_ancestors())]:
        for link in SiteOrganization.objects.filter(organization=unit).select_related(
            "site__root_page"
        ):
            index = (
                DisclosureIndexPage.objects.descendant_of(link.site.root_page)
                .order_by("depth", "path")
                .first()
            )
            if index is not None:
                return index
    raise ValidationError(
        f"{organization.name}及其上级单位都没有带“政府信息公开目录”的网站，无法发布。"
        "请先为其网站建立公开目录，或在组织机构中关联网站。"
    )


def annual_report_category():
    from govportal.disclosure.models import DisclosureCategory

    category = DisclosureCategory.objects.filter(code=CATEGORY_CODE).first()
    if category is None:
        from .models import CATEGORY_NAME

        category = DisclosureCategory.objects.create(
            code=CATEGORY_CODE, name=CATEGORY_NAME, sort_order=170
        )
    return category


def _pdf_document(page: AnnualReportPage, content: dict, index):
    from wagtail.documents import get_document_model

    from govportal.sites.roles import site_collection_of

    from .pdf import build_pdf

    Document = get_document_model()
    data = build_pdf(content, index_number=page.index_number or "")
    document = page.pdf or Document(title=f"{content['title']}（PDF版）")
    if document.collection_id is None:
        site = index.get_site()
        collection = site_collection_of(site.root_page) if site else None
        if collection is None:
            from wagtail.models import Collection

            collection = Collection.get_first_root_node()
        document.collection = collection
    document.title = f"{content['title']}（PDF版）"
    document.file.save(f"annual-report-{content['year']}.pdf", ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def publish(report: AnnualReport, user, *, request=None, when=None) -> AnnualReportPage:
    """Publish the report into its organisation's catalogue.

    Refuses (``ValidationError``) while :func:`publish_problems` finds any, or when no
    catalogue can be found (:func:`catalogue_for`). The first publication freezes the
    derived numbers (``snapshot``) and records the day (the page's 成文日期 and 发布日期);
    later publications update the page's texts and entered numbers, not the frozen ones.
    The page goes through Wagtail's revision publish (logged as usual), gets its 索引号
    in category ``annual-report``, genre 报告, publisher = the organisation; its PDF is a
    Wagtail document in the site's collection. ``when`` (default: now) is the time of a
    first publication (the demo data back-dates its reports).
    """
    from wagtail.models import Page

    from govportal.disclosure.taxonomy import Genre, Openness, Validity

    numbers = derived(report)
    problems = publish_problems(report, numbers)
    if problems:
        raise ValidationError(problems)
    index = catalogue_for(report.organization)
    now = when or timezone.now()
    original = report
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        first = report.snapshot is None
        if first:
            report.snapshot = numbers
            report.published_at = now
            report.published_by = user
        report.status = ReportStatus.PUBLISHED
        report.has_unpublished_changes = False
        content = report_content(report, report.snapshot)
        page = AnnualReportPage.objects.filter(pk=report.page_id).first()
        day = report.published_on
        summary = (
            f"{content['organization']}依据《中华人民共和国政府信息公开条例》编制的"
            f"{report.year}年度政府信息公开工作报告。"
        )
        if page is None:
            page = AnnualReportPage(
                title=content["title"],
                slug=f"annual-report-{report.year}-{report.kind}-{report.organization_id}",
                publisher=report.organization,
                written_date=day,
                publish_time=report.published_at,
                category=annual_report_category(),
                genre=Genre.REPORT,
                openness=Openness.PROACTIVE,
                validity=Validity.VALID,
                keywords=f"政府信息公开,年度报告,{report.year}年",
                summary=summary,
                source=content["organization"],
                content=content,
                live=False,
            )
            index = Page.objects.get(pk=index.pk)
            index.add_child(instance=page)
        page.title = content["title"]
        page.content = content
        page.pdf = _pdf_document(page, content, index)
        page.save()
        # Who may publish is the annual-report permission (checked by the views), not a
        # page permission on the catalogue: staff of a unit without its own site publish
        # into their superior's catalogue.
        page.save_revision(user=user, log_action=True).publish(
            user=user, skip_permission_checks=True
        )
        report.page = page
        report.updated_by = user
        report.save()
        record(
            ACTION_PUBLISH,
            user=user,
            request=request,
            obj=report,
            after={
                "page": page.pk,
                "index_number": page.index_number,
                "first": first,
                "check": "ok",
            },
        )
    original.refresh_from_db()
    return page
