"""The public question form and the moderation console's forms."""

from django import forms

from .models import QUESTION_MAX_LENGTH


class QuestionForm(forms.Form):
    nickname = forms.CharField(
        label="昵称（选填）",
        max_length=30,
        required=False,
        help_text="不填写时显示为“网友”。请勿填写真实姓名、电话等个人信息。",
    )
    text = forms.CharField(
        label="问题",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"不超过{QUESTION_MAX_LENGTH}字。问题经审核后公开显示。",
        error_messages={
            "required": "请填写您的问题。",
            "max_length": f"问题不能超过{QUESTION_MAX_LENGTH}字（现有 %(show_value)d 字）。",
        },
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(label="网址", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The length is checked on the server: the browser must not cut what was typed.
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.fields["text"].widget.attrs["data-max-length"] = str(QUESTION_MAX_LENGTH)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class MessageForm(forms.Form):
    text = forms.CharField(
        label="消息内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    speaker = forms.ChoiceField(label="发布身份", choices=())
    image = forms.ImageField(label="图片（选填）", required=False)
    image_alt = forms.CharField(
        label="图片替代文字", max_length=200, required=False, help_text="上传图片时必填。"
    )

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = list(speakers)

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", "上传图片时请填写替代文字。")
        return data
