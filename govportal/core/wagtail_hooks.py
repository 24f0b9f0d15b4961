"""Admin furniture: dashboard warnings for overdue scheduled items and incomplete site
profiles, and 设置 → 工作日历 (the working-day calendar's overrides, platform operators only)."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

import chinese_calendar
import django_filters

from govportal.audit.services import record
from govportal.siteadmin.access import PLATFORM_PERMISSION, is_platform_operator

from . import workdays
from .models import WorkdayOverride
from .scheduler import last_heartbeat, overdue_items


class WarningPanel(Component):
    """A dashboard panel shown only when ``get_context_data`` reports a problem."""

    def __init__(self, request):
        self.request = request

    def is_shown(self, context) -> bool:
        raise NotImplementedError

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not self.is_shown(context):
            return ""
        return render_to_string(self.template_name, context, request=self.request)


class ScheduleWarningPanel(WarningPanel):
    """定时发布告警: scheduled publish/expiry that should have happened but did not."""

    name = "schedule_warning"
    order = 50
    template_name = "core/panels/schedule_warning.html"

    def get_context_data(self, parent_context=None):
        user = self.request.user
        revisions, pages = overdue_items()
        overdue_publish = [
            r for r in revisions[:50] if r.content_object.permissions_for_user(user).can_edit()
        ]
        overdue_expire = [p for p in pages[:50] if p.permissions_for_user(user).can_edit()]
        heartbeat = last_heartbeat()
        stale_after = timedelta(seconds=max(3 * settings.GOVPORTAL_SCHEDULER_INTERVAL, 120))
        scheduler_stale = heartbeat is None or heartbeat.last_run_at < timezone.now() - stale_after
        return {
            "overdue_publish": overdue_publish,
            "overdue_expire": overdue_expire,
            "heartbeat": heartbeat,
            "scheduler_stale": scheduler_stale,
        }

    def is_shown(self, context) -> bool:
        return bool(context["overdue_publish"] or context["overdue_expire"])


@hooks.register("construct_homepage_panels")
def add_schedule_warning(request, panels):
    panels.append(ScheduleWarningPanel(request))


class SiteProfileWarningPanel(WarningPanel):
    """网站信息不完整: sites whose footer would miss a mandatory field."""

    name = "site_profile_warning"
    order = 60
    template_name = "core/panels/site_profile_warning.html"

    def get_context_data(self, parent_context=None):
        if not self.request.user.has_perm("govsites.change_siteprofile"):
            return {"incomplete": []}
        from wagtail.models import Site

        from govportal.sites.models import SiteProfile

        profiles = {p.site_id: p for p in SiteProfile.objects.select_related("site")}
        incomplete = []
        for site in Site.objects.order_by("pk"):
            profile = profiles.get(site.pk)
            missing = profile.missing_footer_fields if profile else [gettext("Site profile")]
            if missing:
                incomplete.append({"site": site, "missing": missing})
        return {"incomplete": incomplete}

    def is_shown(self, context) -> bool:
        return bool(context["incomplete"])


@hooks.register("construct_homepage_panels")
def add_site_profile_warning(request, panels):
    panels.append(SiteProfileWarningPanel(request))


# --- 设置 → 工作日历 ----------------------------------------------------------------------


class PlatformOperatorPolicy(BasePermissionPolicy):
    """Every action for platform operators (集约化平台管理员), none for anybody else."""

    def user_has_permission(self, user, action):
        return is_platform_operator(user)

    def user_has_any_permission(self, user, actions):
        return is_platform_operator(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        app_label, codename = PLATFORM_PERMISSION.split(".")
        granted = Q(
            user_permissions__content_type__app_label=app_label,
            user_permissions__codename=codename,
        ) | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
        return User.objects.filter(Q(is_superuser=True) | granted, is_active=True).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.all()
        return objects if is_platform_operator(user) else objects.none()


register_permission_policy(WorkdayOverride, PlatformOperatorPolicy(WorkdayOverride))

WEEKDAYS = "一二三四五六日"
MAX_RANGE_DAYS = 31


def _weekday(day) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def _package_says(day) -> str:
    if not workdays.package_knows(day.year):
        return f"无数据（默认{'上班' if day.weekday() < 5 else '休息'}）"
    return "上班" if chinese_calendar.is_workday(day) else "放假"


def _snapshot(override: WorkdayOverride) -> dict:
    return {
        "日期": f"{override.date:%Y-%m-%d}",
        "当天": "上班" if override.is_workday else "放假",
        "说明": override.note,
    }


class WorkdayOverrideForm(WagtailAdminModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["date", "is_workday", "note"]
        widgets = {"is_workday": forms.RadioSelect}
        error_messages = {"date": {"unique": "这一天已经有调整记录，请直接修改那条记录。"}}


class WorkdayOverrideCreateForm(WorkdayOverrideForm):
    """Adds 结束日期: one record per day of a holiday period, at most 31 days."""

    end_date = forms.DateField(
        label="结束日期（可选）",
        required=False,
        widget=AdminDateInput,
        help_text=f"连续多天（如春节假期）时填写最后一天，每天各建一条记录，最多 {MAX_RANGE_DAYS} 天。",
    )

    class Meta(WorkdayOverrideForm.Meta):
        fields = ["date", "end_date", "is_workday", "note"]

    def days(self) -> list:
        start = self.cleaned_data.get("date")
        end = self.cleaned_data.get("end_date") or start
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", "结束日期不能早于日期。")
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error("end_date", f"一次最多录入 {MAX_RANGE_DAYS} 天，请分几次录入。")
            else:
                taken = WorkdayOverride.objects.filter(date__range=(start, end)).order_by("date")
                if taken:
                    listed = "、".join(f"{o.date:%Y-%m-%d}" for o in taken)
                    self.add_error(
                        "end_date",
                        f"以下日期已经有调整记录：{listed}。请缩短范围或直接修改那些记录。",
                    )
        return cleaned


class YearFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        return qs.filter(date__year=value) if value else qs


def _year_choices():
    years = {d.year for d in workdays.overrides()} | set(workdays.years_that_matter())
    return [(str(y), f"{y} 年") for y in sorted(years, reverse=True)]


class WorkdayOverrideFilterSet(WagtailFilterSet):
    year = YearFilter(label="年份", choices=_year_choices, empty_label="全部年份")

    class Meta:
        model = WorkdayOverride
        fields = []


class ValueColumn(Column):
    def __init__(self, name, label, func, **kwargs):
        super().__init__(name, label=label, **kwargs)
        self.func = func

    def get_value(self, instance):
        return self.func(instance)


class WorkdayOverrideIndexView(generic.IndexView):
    """The overrides, and above them which years are covered (软件包/本地配置/未配置)."""

    page_title = "工作日历"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        overridden = {d.year for d in workdays.overrides()}
        years = sorted(overridden | {today.year - 1, today.year, today.year + 1}, reverse=True)
        context["coverage"] = workdays.year_coverage(years)
        context["unconfigured"] = [
            workdays.unconfigured_message(y) for y in workdays.unconfigured_years(today)
        ]
        context["package_years"] = (min(workdays.PACKAGE_YEARS), max(workdays.PACKAGE_YEARS))
        return context


class WorkdayOverrideCreateView(generic.CreateView):
    def get_form_class(self):
        return WorkdayOverrideCreateForm

    def save_instance(self):
        form = self.form
        first = None
        for day in form.days():
            override = WorkdayOverride.objects.create(
                date=day, is_workday=form.cleaned_data["is_workday"], note=form.cleaned_data["note"]
            )
            record(
                "workday.override_create",
                request=self.request,
                obj=override,
                after=_snapshot(override),
            )
            first = first or override
        self.created_count = len(form.days())
        return first

    def get_success_message(self, instance):
        count = getattr(self, "created_count", 1)
        if count > 1:
            return f"已添加 {count} 天的工作日调整（{instance.date:%Y-%m-%d} 起）。"
        return f"已添加工作日调整：{instance}。"


class WorkdayOverrideEditView(generic.EditView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.audit_before = _snapshot(obj)
        return obj

    def save_instance(self):
        override = self.form.save()
        after = _snapshot(override)
        if after != self.audit_before:
            record(
                "workday.override_change",
                request=self.request,
                obj=override,
                before=self.audit_before,
                after=after,
            )
        return override

    def get_success_message(self):
        return f"已保存工作日调整：{self.object}。"


class WorkdayOverrideDeleteView(generic.DeleteView):
    def delete_action(self):
        before = _snapshot(self.object)
        with transaction.atomic():
            record("workday.override_delete", request=self.request, obj=self.object, before=before)
            self.object.delete()

    def get_success_message(self):
        return f"已删除工作日调整：{self.object}。"


class WorkdayOverrideViewSet(ModelViewSet):
    model = WorkdayOverride
    name = "workdays"
    icon = "date"
    menu_label = "工作日历"
    add_to_settings_menu = True
    menu_order = 900
    index_view_class = WorkdayOverrideIndexView
    add_view_class = WorkdayOverrideCreateView
    edit_view_class = WorkdayOverrideEditView
    delete_view_class = WorkdayOverrideDeleteView
    filterset_class = WorkdayOverrideFilterSet
    index_template_name = "core/workdays/index.html"
    index_results_template_name = "core/workdays/index_results.html"
    list_display = [
        "date",
        ValueColumn("weekday", "星期", lambda o: _weekday(o.date)),
        ValueColumn("kind", "当天", lambda o: "上班" if o.is_workday else "放假"),
        ValueColumn("package", "软件包原有安排", lambda o: _package_says(o.date)),
        "note",
    ]
    list_per_page = 100
    ordering = ["-date"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return WorkdayOverrideForm


@hooks.register("register_admin_viewset")
def register_workday_viewset():
    return WorkdayOverrideViewSet()
