from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from . import actions
from .context import normalise_ip
from .models import Outcome


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditSearchForm(forms.Form):
    """The filters of the audit log list (and of its exports)."""

    user = forms.CharField(label="用户", required=False, max_length=150)
    # Any code (apps may record codes they have not registered); the list offers the known ones.
    action = forms.CharField(label="操作", required=False, max_length=64, widget=forms.Select)
    object = forms.CharField(label="对象", required=False, max_length=255)
    ip = forms.CharField(label="来源IP", required=False, max_length=45)
    outcome = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), *Outcome.choices]
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.choices = [("", "全部")] + [
            (code, f"{label}（{code}）") for code, label in actions.choices()
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def filter(self, queryset):
        """``queryset`` narrowed by the filters; none at all while the form has errors."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["user"]:
            queryset = queryset.filter(username__icontains=data["user"].strip())
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["object"]:
            text = data["object"].strip()
            query = Q(object_repr__icontains=text)
            if ":" in text:  # "wagtailcore.page:42" — one object's whole history
                object_type, _sep, object_id = text.partition(":")
                query |= Q(object_type=object_type, object_id=object_id)
            queryset = queryset.filter(query)
        if data["ip"]:
            queryset = queryset.filter(ip_address=data["ip"].strip())
        if data["outcome"]:
            queryset = queryset.filter(outcome=data["outcome"])
        # Whole local days, as ranges on the indexed column.
        if data["date_from"]:
            queryset = queryset.filter(time__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            queryset = queryset.filter(time__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return queryset

    def clean_ip(self):
        value = self.cleaned_data["ip"].strip()
        if value and normalise_ip(value) is None:
            raise forms.ValidationError("请输入完整的 IPv4 或 IPv6 地址。")
        return normalise_ip(value) or ""

    def active_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in ("", None)}
