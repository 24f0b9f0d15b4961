"""The public catalogue's filters and exports, shared by the catalogue page and the read API.

One query string drives everything: ``org`` (发布机构 id), ``category`` (分类代码, with its
sub-categories), ``year`` (发布年份), ``doc_number`` (文号, part of it), ``date_from`` /
``date_to`` (发布日期, ``YYYY-MM-DD``), ``validity`` (valid/expired/repealed), ``q`` (标题
关键词); the page adds ``format=csv|xlsx|json`` to export the filtered list. Only live,
public entries are listed, never 不予公开 ones; nothing personal is in an entry.
"""

import csv
import datetime
import io
import json
from urllib.parse import quote

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.utils import timezone

from openpyxl import Workbook

from govportal.core.visibility import public

from .models import DisclosureCategory, DisclosureEntryPage
from .taxonomy import Openness, Validity

EXPORT_FORMATS = ("csv", "xlsx", "json")
EXPORT_LIMIT = 10_000  # rows per export; narrow the filter for more
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 100


def entries_queryset(request=None, root=None):
    """Live, public, not-withheld catalogue entries (of the site under ``root``), newest first."""
    queryset = public(DisclosureEntryPage.objects.live(), request).exclude(
        openness=Openness.NOT_DISCLOSED
    )
    if root is not None:
        queryset = queryset.descendant_of(root)
    return queryset.select_related("publisher", "category__parent", "replaced_by").order_by(
        "-publish_time", "-id"
    )


def _date(value: str):
    return datetime.date.fromisoformat(value)


class CatalogueFilter:
    """Reads the filter query string; ``errors`` holds a Chinese message per bad value."""

    def __init__(self, params, *, root=None, request=None):
        self.params = params
        self.root = root
        self.request = request
        self.errors: dict[str, str] = {}
        self.values = {
            key: (params.get(key) or "").strip()[:MAX_TEXT]
            for key in ("org", "category", "year", "doc_number", "date_from", "date_to", "validity", "q")
        }  # fmt: skip
        self.cleaned = self._clean()

    def _clean(self) -> dict:
        v = self.values
        cleaned: dict = {}
        if v["org"]:
            if v["org"].isdigit():
                cleaned["org"] = int(v["org"])
            else:
                self.errors["org"] = "发布机构参数应为机构编号。"
        if v["category"]:
            cleaned["category"] = v["category"]
        if v["year"]:
            if v["year"].isdigit() and len(v["year"]) == 4:
                cleaned["year"] = int(v["year"])
            else:
                self.errors["year"] = "年份应为四位数字，如 2026。"
        for key, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
            if v[key]:
                try:
                    cleaned[key] = _date(v[key])
                except ValueError:
                    self.errors[key] = f"{label}格式应为“年-月-日”，如 2026-01-31。"
        if (
            "date_from" in cleaned
            and "date_to" in cleaned
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.errors["date_to"] = "结束日期不能早于开始日期。"
            del cleaned["date_to"]
        if v["validity"]:
            if v["validity"] in Validity.values:
                cleaned["validity"] = v["validity"]
            else:
                self.errors["validity"] = "有效性只能是有效、失效或废止。"
        for key in ("doc_number", "q"):
            if v[key]:
                cleaned[key] = v[key]
        return cleaned

    @property
    def active(self) -> bool:
        return bool(self.cleaned)

    def base_queryset(self):
        return entries_queryset(self.request, self.root)

    def queryset(self):
        c = self.cleaned
        queryset = self.base_queryset()
        if "org" in c:
            queryset = queryset.filter(publisher_id=c["org"])
        if "category" in c:
            queryset = queryset.filter(
                Q(category__code=c["category"]) | Q(category__parent__code=c["category"])
            )
        if "year" in c:
            queryset = queryset.filter(publish_time__year=c["year"])
        if "doc_number" in c:
            queryset = queryset.filter(doc_number__icontains=c["doc_number"])
        if "date_from" in c:
            queryset = queryset.filter(publish_time__date__gte=c["date_from"])
        if "date_to" in c:
            queryset = queryset.filter(publish_time__date__lte=c["date_to"])
        if "validity" in c:
            queryset = queryset.filter(validity=c["validity"])
        if "q" in c:
            queryset = queryset.filter(title__icontains=c["q"])
        return queryset

    def facets(self) -> dict:
        """Counts to browse by: 发布机构, 分类 (top level, sub-categories rolled up), 年份."""
        base = self.base_queryset().order_by()
        organizations = list(
            base.values("publisher_id", "publisher__name")
            .annotate(n=Count("id"))
            .order_by("publisher__path")
        )
        by_category = {
            row["category_id"]: row["n"]
            for row in base.values("category_id").annotate(n=Count("id"))
        }
        categories = []
        tops = list(DisclosureCategory.objects.filter(parent=None).prefetch_related("children"))
        for top in tops:
            n = by_category.get(top.pk, 0) + sum(
                by_category.get(c.pk, 0) for c in top.children.all()
            )
            if n:
                categories.append({"code": top.code, "name": top.name, "n": n})
        years = list(
            base.annotate(y=ExtractYear("publish_time"))
            .values("y")
            .annotate(n=Count("id"))
            .order_by("-y")
        )
        return {"organizations": organizations, "categories": categories, "years": years}

    def category_name(self) -> str:
        code = self.cleaned.get("category")
        category = DisclosureCategory.objects.filter(code=code).first() if code else None
        return category.name if category else ""


# -- rows for exports and the API --------------------------------------------------------------


def _date_text(value) -> str:
    return value.isoformat() if value else ""


def entry_data(entry: DisclosureEntryPage, request=None) -> dict:
    """One entry as JSON-able data (the API and the JSON export)."""
    category = entry.category
    publisher = entry.publisher
    replacement = entry.replaced_by if entry.replaced_by_id and entry.replaced_by.live else None
    return {
        "id": entry.pk,
        "index_number": entry.index_number or "",
        "title": entry.title,
        "url": entry.get_full_url(request) or "",
        "publisher": (
            {"id": publisher.pk, "name": publisher.name, "code": publisher.code_for_index}
            if publisher
            else None
        ),
        "written_date": _date_text(entry.written_date),
        "publish_time": timezone.localtime(entry.publish_time).isoformat(timespec="minutes"),
        "doc_number": entry.doc_number,
        "category": (
            {"code": category.code, "name": str(category), "top": category.top.code}
            if category
            else None
        ),
        "theme": {"code": entry.theme, "name": entry.get_theme_display()},
        "genre": {"code": entry.genre, "name": entry.get_genre_display()},
        "audience": {"code": entry.audience, "name": entry.get_audience_display()},
        "keywords": [k.strip() for k in entry.keywords.replace("，", ",").split(",") if k.strip()],
        "summary": entry.summary,
        "openness": {"code": entry.openness, "name": entry.get_openness_display()},
        "validity": {"code": entry.validity, "name": entry.get_validity_display()},
        "expiry_date": _date_text(entry.expiry_date),
        "replaced_by": (
            {
                "index_number": replacement.index_number,
                "title": replacement.title,
                "url": replacement.get_full_url(request) or "",
            }
            if replacement
            else None
        ),  # fmt: skip
    }


COLUMNS = [
    "索引号", "名称", "发布机构", "成文日期", "发布日期", "文号", "主动公开内容分类", "主题分类",
    "体裁分类", "服务对象分类", "主题词", "内容概述", "公开属性", "有效性", "失效日期", "替代文件",
    "链接",
]  # fmt: skip


def entry_row(entry: DisclosureEntryPage, request=None) -> list[str]:
    data = entry_data(entry, request)
    return [
        data["index_number"],
        data["title"],
        data["publisher"]["name"] if data["publisher"] else "",
        data["written_date"],
        timezone.localtime(entry.publish_time).strftime("%Y-%m-%d %H:%M"),
        data["doc_number"],
        data["category"]["name"] if data["category"] else "",
        data["theme"]["name"],
        data["genre"]["name"],
        data["audience"]["name"],
        "，".join(data["keywords"]),
        data["summary"],
        data["openness"]["name"],
        data["validity"]["name"],
        data["expiry_date"],
        data["replaced_by"]["title"] if data["replaced_by"] else "",
        data["url"],
    ]


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in text that came from editors."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_response(filters: CatalogueFilter, fmt: str, *, filename: str) -> HttpResponse:
    entries = list(filters.queryset()[:EXPORT_LIMIT])
    request = filters.request
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.{fmt}"
    if fmt == "json":
        payload = {
            "count": len(entries),
            "filters": {k: v for k, v in filters.values.items() if v},
            "results": [entry_data(e, request) for e in entries],
        }
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for entry in entries:
            writer.writerow([safe_cell(v) for v in entry_row(entry, request)])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "公开目录"
        sheet.append(COLUMNS)
        for entry in entries:
            sheet.append([safe_cell(v) for v in entry_row(entry, request)])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f"attachment; filename=\"catalogue.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
