"""Forms of the annual-report admin: generate a report, enter its numbers and texts."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from govportal.organizations.models import Organization

from .models import AnnualReport, ReportKind, last_year
from .services import (
    CLOSING_TEXTS,
    DECISION_FIELDS,
    FEES_FIELD,
    NOTE_TEXTS,
    OVERVIEW_TEXTS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    ROLLUP_KINDS,
)

FIRST_YEAR = 2008  # the 条例 took effect on 1 May 2008


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.tree_label()


class GenerateForm(forms.Form):
    organization = OrganizationChoiceField(
        label="报告单位",
        queryset=Organization.objects.none(),
        empty_label="请选择单位",
        error_messages={
            "required": "请选择报告单位。",
            "invalid_choice": "请从列表中选择您所在的单位。",
        },
    )
    year = forms.IntegerField(
        label="年度",
        help_text="默认上一年度。年报应于次年1月31日前发布，政府汇总年报于3月31日前发布。",
        error_messages={"required": "请填写年度。", "invalid": "年度应为四位数字，如 2025。"},
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=ReportKind.choices,
        initial=ReportKind.ORGANIZATION,
        widget=forms.RadioSelect,
        help_text="政府汇总年报汇总本级政府及其所属各单位（组织机构树中的下级单位）的数据，仅政府和区县政府可生成。",
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(is_active=True)
        self.fields["year"].initial = last_year()

    def clean_year(self):
        year = self.cleaned_data["year"]
        current = timezone.localdate().year
        if not FIRST_YEAR <= year <= current:
            raise forms.ValidationError(f"年度应在 {FIRST_YEAR} 年到 {current} 年之间。")
        return year

    def clean(self):
        cleaned = super().clean()
        organization, year, kind = (cleaned.get(k) for k in ("organization", "year", "kind"))
        if organization is None or year is None or not kind:
            return cleaned
        if kind == ReportKind.ROLLUP and organization.kind not in ROLLUP_KINDS:
            self.add_error("kind", "只有政府（含区县政府）可以生成政府汇总年报。")
        elif AnnualReport.objects.filter(organization=organization, year=year, kind=kind).exists():
            self.add_error(
                None,
                f"{organization.name}{year}年的{ReportKind(kind).label}已经生成，"
                "请在列表中打开编辑，不能重复生成。",
            )
        return cleaned


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000_000,
        initial=0,
        error_messages={
            "required": f"请填写“{label}”，没有请填 0。",
            "invalid": f"“{label}”应为整数。",
            "min_value": f"“{label}”不能为负数。",
            "max_value": f"“{label}”数值过大，请核对。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
    )


class ReportForm(forms.Form):
    """Staff-entered numbers (not for a roll-up, whose numbers are all sums) and texts."""

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        if not report.is_rollup:
            for key, label, item in DECISION_FIELDS:
                self.fields[key] = _count_field(f"{label}（{item}）本年处理决定数量")
            key, label, item = FEES_FIELD
            self.fields[key] = forms.DecimalField(
                label=f"{label}（{item}）本年收费金额（万元）",
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=4,
                initial=Decimal(0),
                help_text="单位：万元，最多四位小数，如 12.3456。",
                error_messages={
                    "required": "请填写行政事业性收费金额，没有请填 0。",
                    "invalid": "收费金额应为数字，如 12.3456。",
                    "min_value": "收费金额不能为负数。",
                    "max_decimal_places": "收费金额最多保留四位小数（单位：万元）。",
                    "max_digits": "收费金额数值过大，请核对单位（万元）。",
                    "max_whole_digits": "收费金额数值过大，请核对单位（万元）。",
                },
                widget=forms.NumberInput(
                    attrs={"step": "0.0001", "min": 0, "inputmode": "decimal"}
                ),
            )
            for group, group_label in REVIEW_GROUPS:
                for result, result_label in REVIEW_RESULTS:
                    self.fields[f"{group}_{result}"] = _count_field(
                        f"{group_label}：{result_label}"
                    )
        for key, heading, required in OVERVIEW_TEXTS + CLOSING_TEXTS:
            label = heading if not key.startswith("overview_") else f"一、总体情况 {heading}"
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="发布前必须填写。每段一行。" if required else "可不填。每段一行。",
            )
        for key, label in NOTE_TEXTS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=2_000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="对本表数据的说明（统计数据不能修改，可在此说明），显示在表格下方。",
            )

    def number_fields(self):
        return [
            self[name] for name in self.fields if not isinstance(self.fields[name], forms.CharField)
        ]

    def decision_fields(self):
        return [self[key] for key, _, _ in DECISION_FIELDS if key in self.fields] + (
            [self[FEES_FIELD[0]]] if FEES_FIELD[0] in self.fields else []
        )

    def review_fields(self):
        return [
            {
                "label": group_label,
                "fields": [self[f"{group}_{result}"] for result, _ in REVIEW_RESULTS],
            }
            for group, group_label in REVIEW_GROUPS
            if f"{group}_{REVIEW_RESULTS[0][0]}" in self.fields
        ]

    def overview_fields(self):
        return [self[key] for key, _, _ in OVERVIEW_TEXTS]

    def closing_fields(self):
        return [self[key] for key, _, _ in CLOSING_TEXTS]

    def note_fields(self):
        return [self[key] for key, _ in NOTE_TEXTS]

    def entered(self) -> dict:
        data = self.cleaned_data
        entered = {
            name: data[name]
            for name, field in self.fields.items()
            if isinstance(field, forms.IntegerField)
        }
        if "fees" in data:
            entered["fees"] = f"{data['fees']:.4f}"
        return entered

    def texts(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
        }
