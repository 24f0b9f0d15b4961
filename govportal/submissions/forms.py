"""Forms of the 信息报送 admin views. The rules themselves are checked in services."""

from django import forms
from django.utils import timezone

from wagtail.models import Site

from govportal.content.models import ChannelPage


class ChannelChoiceField(forms.ModelChoiceField):
    """Channels labelled with their place in the tree (站点 › 上级栏目 › 栏目)."""

    def __init__(self, *args, sites=(), **kwargs):
        self.site_roots = [(s.root_page.path, s.site_name) for s in sites]
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        site_name = next((name for path, name in self.site_roots if obj.path.startswith(path)), "")
        prefix = f"{site_name} › " if site_name else ""
        indent = "\u3000" * max(0, obj.depth - 3)
        return f"{prefix}{indent}{obj.title}"


class SubmitForm(forms.Form):
    target_site = forms.ModelChoiceField(
        label="报送到", queryset=Site.objects.none(), empty_label="请选择目标站点"
    )
    target_channel = ChannelChoiceField(
        label="建议栏目",
        queryset=ChannelPage.objects.none(),
        required=False,
        empty_label="（不指定，由对方编辑选择）",
        help_text="可选。必须是所选目标站点的栏目。",
    )
    note = forms.CharField(
        label="报送说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, source_site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        sites = list(
            Site.objects.exclude(pk=source_site.pk)
            .select_related("root_page")
            .order_by("-is_default_site", "site_name")
        )
        self.fields["target_site"].queryset = Site.objects.filter(
            pk__in=[s.pk for s in sites]
        ).order_by("-is_default_site", "site_name")
        channel_field = self.fields["target_channel"]
        channel_field.site_roots = [(s.root_page.path, s.site_name) for s in sites]
        channels = ChannelPage.objects.none()
        for site in sites:
            channels |= ChannelPage.objects.descendant_of(site.root_page)
        channel_field.queryset = channels.order_by("path")

    def clean(self):
        cleaned = super().clean()
        site, channel = cleaned.get("target_site"), cleaned.get("target_channel")
        if site and channel and not channel.path.startswith(site.root_page.path):
            self.add_error("target_channel", "建议栏目不属于所选的目标站点。")
        return cleaned


class AdoptForm(forms.Form):
    channel = ChannelChoiceField(label="采用到栏目", queryset=ChannelPage.objects.none())

    def __init__(self, *args, channels, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels
        self.fields["channel"].site_roots = [(site.root_page.path, site.site_name)]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="未采用原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写未采用的原因。"},
        help_text="报送单位会看到这里填写的原因。",
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label="月份", required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def year_month(self) -> tuple[int, int]:
        today = timezone.localdate()
        value = self.cleaned_data.get("month") if self.is_valid() else ""
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return year, month
        except ValueError:
            pass
        return today.year, today.month
