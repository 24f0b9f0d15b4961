"""Admin forms: the organisation editor (with its superior-unit chooser) and the import upload."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from wagtail.admin.forms import WagtailAdminModelForm

from .codes import normalize_code
from .models import Organization

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".xlsx")


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.tree_label()


class OrganizationForm(WagtailAdminModelForm):
    """Edits one organisation; the chosen superior unit places (or moves) it in the tree."""

    parent = ParentChoiceField(
        label="上级单位",
        queryset=Organization.objects.all(),
        required=False,
        empty_label="（无，作为顶级单位）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organization.objects.order_by("path")
        if self.instance.pk:
            # A unit cannot be placed under itself or under one of its own sub-units.
            queryset = queryset.exclude(path__startswith=self.instance.path)
            if not self.is_bound:
                self.initial["parent"] = self.instance.get_parent()
        self.fields["parent"].queryset = queryset
        # Codes may be typed with hyphens or spaces (12345678-9); the length is checked
        # after normalising, by the model.
        for name in ("credit_code", "org_code"):
            field = self.fields[name]
            field.max_length = 24
            field.widget.attrs["maxlength"] = "24"
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]

    def clean_credit_code(self) -> str:
        return normalize_code(self.cleaned_data.get("credit_code"))

    def clean_org_code(self) -> str:
        return normalize_code(self.cleaned_data.get("org_code"))

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        parent = cleaned.get("parent")
        if name:
            siblings = parent.get_children() if parent else Organization.get_root_nodes()
            if siblings.filter(name=name).exclude(pk=self.instance.pk).exists():
                self.add_error("name", "同一上级单位下已有同名的组织机构")
        return cleaned

    def save(self, commit: bool = True) -> Organization:
        instance = self.instance
        parent = self.cleaned_data.get("parent")
        if instance._state.adding:
            if parent is None:
                return Organization.add_root(instance=instance)
            return Organization.objects.get(pk=parent.pk).add_child(instance=instance)

        old = Organization.objects.get(pk=instance.pk)
        old_parent = old.get_parent()
        # Write the edited fields but never the tree columns: they may have shifted.
        tree_fields = {"path", "depth", "numchild"}
        fields = [
            f.name
            for f in Organization._meta.concrete_fields
            if not f.primary_key and f.name not in tree_fields
        ]
        instance.save(update_fields=fields)
        moved = (parent.pk if parent else None) != (old_parent.pk if old_parent else None)
        if moved or (old.sort_order, old.name) != (instance.sort_order, instance.name):
            node = Organization.objects.get(pk=instance.pk)
            if parent is not None:
                node.move(Organization.objects.get(pk=parent.pk), pos="sorted-child")
            else:
                other_root = Organization.get_root_nodes().exclude(pk=node.pk).first()
                if other_root is not None:
                    node.move(other_root, pos="sorted-sibling")
            instance.refresh_from_db()
        return instance


class ImportForm(forms.Form):
    file = forms.FileField(
        label="文件",
        help_text="CSV（UTF-8 或 GBK 编码）或 Excel（.xlsx），不超过 5 MB。第一行为列名。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    dry_run = forms.BooleanField(
        label="仅检查，不保存", required=False, help_text="只校验文件并报告将新增、更新的数量。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise ValidationError("只能上传 .csv 或 .xlsx 文件")
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("文件不能超过 5 MB")
        return upload
