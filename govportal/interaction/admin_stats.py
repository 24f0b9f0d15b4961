"""来信统计 in the admin (``/admin/letters/stats/``): the statistics of :mod:`.stats` over the
letters the user may see (:func:`services.visible_letters`; superusers see all), filtered by
site, mailbox and period, grouped by mailbox, unit or month; a table, a chart and an audited
Excel export.
"""

from datetime import date

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from wagtail.models import Site

from govportal.audit.services import record

from . import services, stats
from .admin_views import AdminView
from .models import Letter, MailboxPage

DATE_ERRORS = {"invalid": "请输入有效的日期，格式如 2026-10-01。", "required": "请填写%(label)s。"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        error_messages={k: v % {"label": label} if "%" in v else v for k, v in DATE_ERRORS.items()},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class StatsForm(forms.Form):
    """The report's filters; the choices are limited to what the user may see."""

    site = forms.TypedChoiceField(label="网站", required=False, coerce=int, empty_value=None)
    mailbox = forms.TypedChoiceField(label="信箱", required=False, coerce=int, empty_value=None)
    start = _date_field("开始日期")
    end = _date_field("结束日期")
    group = forms.ChoiceField(label="分组", choices=list(stats.GROUPS.items()), initial="mailbox")

    def __init__(self, *args, sites=(), mailboxes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [
            ("", "全部网站"),
            *((s.pk, s.site_name or s.hostname) for s in sites),
        ]
        self.fields["mailbox"].choices = [("", "全部信箱"), *((m.pk, m.title) for m in mailboxes)]
        self.fields["site"].error_messages["invalid_choice"] = "请选择列表中的网站。"
        self.fields["mailbox"].error_messages["invalid_choice"] = "请选择列表中的信箱。"
        self.fields["group"].error_messages["invalid_choice"] = "请选择列表中的分组方式。"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


def presets(today: date) -> list[tuple[str, date, date]]:
    """本月 (to today), 上月, 本年 (to today)."""
    year, month = stats.previous_month(today)
    return [
        ("本月", today.replace(day=1), today),
        ("上月", *stats.month_bounds(year, month)),
        ("本年", date(today.year, 1, 1), today),
    ]


def sites_and_mailboxes(user) -> tuple[list[Site], list[MailboxPage]]:
    """The mailboxes holding letters ``user`` may see (all for a superuser) and their sites."""
    boxes = MailboxPage.objects.order_by("path")
    if not user.is_superuser:
        boxes = boxes.filter(pk__in=services.visible_letters(user).values("mailbox"))
    boxes = list(boxes)
    ids = {b.pk for b in boxes}
    sites = [
        site
        for site in Site.objects.select_related("root_page").order_by("site_name", "pk")
        if ids & {b.pk for b in stats.site_mailboxes(site)}
    ]
    return sites, boxes


class StatsView(AdminView, TemplateView):
    template_name = "interaction/admin/stats.html"
    page_title = "来信统计"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        sites, boxes = sites_and_mailboxes(request.user)
        keys = ("site", "mailbox", "start", "end", "group")
        data = {k: request.GET.get(k, "") for k in keys}
        if not any(data.values()):
            data = {"start": today.replace(day=1).isoformat(), "end": today.isoformat(),
                    "group": "mailbox"}  # fmt: skip
        form = StatsForm(data, sites=sites, mailboxes=boxes)
        report = None
        if form.is_valid():
            report = self.compute(form.cleaned_data, sites, boxes)
            if request.GET.get("format") == "xlsx":
                return self.export(report, form.cleaned_data, sites, boxes)
        context = self.get_context_data(
            form=form,
            report=report,
            columns=[label for _, label in stats.COLUMNS],
            definitions=stats.DEFINITIONS,
            presets=[
                (
                    label,
                    "?"
                    + urlencode(
                        {
                            **{
                                k: v
                                for k, v in data.items()
                                if k in ("site", "mailbox", "group") and v
                            },
                            "start": s.isoformat(),
                            "end": e.isoformat(),
                        }
                    ),
                )
                for label, s, e in presets(today)
            ],  # fmt: skip
            export_query=urlencode({**data, "format": "xlsx"}),
            caption=stats.report_caption(
                self.scope_name(form.cleaned_data, sites, boxes), report, ""
            )
            if report
            else "",  # fmt: skip
        )
        return self.render_to_response(context)

    def compute(self, cleaned, sites, boxes):
        letters = services.visible_letters(self.request.user)
        shown = boxes
        if cleaned.get("site"):
            site = next(s for s in sites if s.pk == cleaned["site"])
            site_ids = {b.pk for b in stats.site_mailboxes(site)}
            shown = [b for b in shown if b.pk in site_ids]
            letters = letters.filter(mailbox_id__in=site_ids)
        if cleaned.get("mailbox"):
            shown = [b for b in shown if b.pk == cleaned["mailbox"]]
            letters = letters.filter(mailbox_id=cleaned["mailbox"])
        report = stats.compute(letters, cleaned["start"], cleaned["end"], cleaned["group"],
                               mailboxes=shown)  # fmt: skip
        return report

    @staticmethod
    def scope_name(data, sites, boxes) -> str:
        """The chosen mailbox's or site's name (empty: everything the user sees)."""
        if data.get("mailbox"):
            return next(b.title for b in boxes if b.pk == data["mailbox"])
        if data.get("site"):
            site = next(s for s in sites if s.pk == data["site"])
            return site.site_name or site.hostname
        return ""

    def export(self, report, cleaned, sites, boxes):
        scope = self.scope_name(cleaned, sites, boxes) or "来信"
        title = (
            f"{scope}统计（{report.start:%Y-%m-%d}至{report.end:%Y-%m-%d}，按{report.group_label}）"
        )
        content = stats.workbook(title, [(f"按{report.group_label}", report)])
        record("export.letter_stats", request=self.request, obj=Letter,
               after={"范围": scope, "开始日期": report.start.isoformat(),
                      "结束日期": report.end.isoformat(), "分组": report.group_label,
                      "收到": report.total.received})  # fmt: skip
        response = HttpResponse(content, content_type=XLSX)
        name = f"letter-stats-{report.start:%Y%m%d}-{report.end:%Y%m%d}-{report.group}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
