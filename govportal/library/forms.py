"""Forms of the 资源库 admin views. The rules themselves are checked in services."""

from django import forms
from django.core.exceptions import ValidationError

from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.images.fields import WagtailImageField
from wagtail.images.widgets import AdminImageChooser

from govportal.organizations.models import Organization
from govportal.submissions.forms import ChannelChoiceField

from .models import ItemKind, ItemStatus, ShareScope
from .services import DOCUMENT_EXTENSIONS, VIDEO_EXTENSIONS, kind_for_upload

SORTS = [
    ("-time", "原发布时间（新→旧）"),
    ("time", "原发布时间（旧→新）"),
    ("-reuse", "引用次数（多→少）"),
    ("reuse", "引用次数（少→多）"),
    ("-created", "入库时间（新→旧）"),
]
SORT_FIELDS = {
    "-time": ("-original_time", "-id"),
    "time": ("original_time", "id"),
    "-reuse": ("-reuse_count", "-original_time", "-id"),
    "reuse": ("reuse_count", "-original_time", "-id"),
    "-created": ("-created_at", "-id"),
}


class FilterForm(forms.Form):
    q = forms.CharField(label="标题", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型")] + list(ItemKind.choices)
    )
    organization = forms.ModelChoiceField(
        label="来源单位",
        required=False,
        queryset=Organization.objects.none(),
        empty_label="全部单位",
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态")] + list(ItemStatus.choices)
    )
    date_from = forms.DateField(
        label="原发布时间从", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations if organizations is not None else Organization.objects.all()
        field.label_from_instance = lambda org: org.tree_label()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return cleaned


class AddArticleForm(forms.Form):
    scope = forms.ChoiceField(
        label="共享范围",
        choices=ShareScope.choices,
        initial=ShareScope.GROUP,
        widget=forms.RadioSelect,
        help_text="“本单位及下级单位”：只有本站所属单位及其下级单位的站点可以使用。",
    )


class UploadForm(forms.Form):
    site = forms.ModelChoiceField(label="来源站点", queryset=None, empty_label=None)
    kind = forms.ChoiceField(
        label="类型",
        choices=[(ItemKind.DOCUMENT, "文档"), (ItemKind.IMAGE, "图片"), (ItemKind.VIDEO, "视频")],
        widget=forms.RadioSelect,
        initial=ItemKind.DOCUMENT,
    )
    title = forms.CharField(label="标题", max_length=255)
    file = forms.FileField(
        label="文件",
        required=False,
        help_text=(
            "文档：" + "、".join(DOCUMENT_EXTENSIONS) + "；视频：" + "、".join(VIDEO_EXTENSIONS)
            + "（网页中直接播放，建议 MP4 或 WebM）。"
        ),
    )  # fmt: skip
    image = WagtailImageField(label="图片文件", required=False)
    description = forms.CharField(
        label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.ChoiceField(
        label="共享范围",
        choices=ShareScope.choices,
        initial=ShareScope.GROUP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["image"].help_text = "类型为“图片”时在此上传（gif、jpg、png、webp）。"

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ItemKind.IMAGE:
            if not cleaned.get("image") and "image" not in self.errors:
                self.add_error("image", "请选择图片文件。")
            cleaned["upload"] = cleaned.get("image")
            return cleaned
        upload = cleaned.get("file")
        if not upload:
            if "file" not in self.errors:
                self.add_error("file", "请选择文件。")
            return cleaned
        try:
            detected = kind_for_upload(upload.name)
        except ValidationError as exc:
            self.add_error("file", exc)
            return cleaned
        if kind and detected != kind:
            label = dict(ItemKind.choices)[kind]
            self.add_error("file", f"所选类型为“{label}”，但文件不是{label}格式。")
        cleaned["upload"] = upload
        return cleaned


class ExistingMediaForm(forms.Form):
    """入库 of a document, video or image already stored on one of the user's sites."""

    kind = forms.ChoiceField(
        label="类型",
        choices=[(ItemKind.DOCUMENT, "文档或视频"), (ItemKind.IMAGE, "图片")],
        widget=forms.RadioSelect,
        initial=ItemKind.DOCUMENT,
    )
    document = forms.ModelChoiceField(
        label="文档或视频",
        queryset=None,
        required=False,
        widget=AdminDocumentChooser,
        help_text="本站点文档库中的文件。视频（mp4、webm、ogv）在网页中直接播放。",
        error_messages={"invalid_choice": "只能选择本站点的文档。"},
    )
    image = forms.ModelChoiceField(
        label="图片",
        queryset=None,
        required=False,
        widget=AdminImageChooser,
        help_text="本站点图片库中的图片。",
        error_messages={"invalid_choice": "只能选择本站点的图片。"},
    )
    description = forms.CharField(
        label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.ChoiceField(
        label="共享范围",
        choices=ShareScope.choices,
        initial=ShareScope.GROUP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, documents, images, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["image"].queryset = images

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        field = "image" if kind == ItemKind.IMAGE else "document"
        if kind and not cleaned.get(field) and field not in self.errors:
            self.add_error(field, "请选择图片。" if field == "image" else "请选择文档或视频。")
        # Only the chosen kind counts; the other chooser may hold an earlier choice.
        cleaned["document" if field == "image" else "image"] = None
        return cleaned


class PushForm(forms.Form):
    target_sites = forms.ModelMultipleChoiceField(
        label="推送到", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="推送说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_sites"].queryset = sites
        self.fields["target_sites"].error_messages["required"] = "请至少选择一个站点。"


class PlaceForm(forms.Form):
    channel = ChannelChoiceField(label="放到栏目", queryset=None, empty_label="请选择栏目")

    def __init__(self, *args, channels, sites, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        field.queryset = channels
        field.site_roots = [(s.root_page.path, s.site_name) for s in sites]
        field.error_messages["required"] = "请选择栏目。"


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="拒绝原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写拒绝原因。"},
        help_text="推送方会看到这里填写的原因。",
    )
