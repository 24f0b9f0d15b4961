"""The public answer form, built from a survey's questions (one field per question)."""

from django import forms

from .models import RATING_LABELS, QuestionType, SurveyQuestion

HONEYPOT = "homepage"


class AnswerForm(forms.Form):
    """Field ``q<pk>`` per question; ``answers()`` maps each question to its value."""

    def __init__(self, questions: list[SurveyQuestion], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields[HONEYPOT] = forms.CharField(
            label="请勿填写此项（用于识别自动程序）", required=False
        )
        for q in questions:
            self.fields[q.field_name] = self._field_for(q)

    @staticmethod
    def _field_for(q: SurveyQuestion) -> forms.Field:
        required_msg = "此题为必答题，请作答。"
        common = {"label": q.text, "required": q.required, "help_text": q.help_text}
        if q.question_type == QuestionType.SINGLE:
            return forms.ChoiceField(
                choices=[(str(o.pk), o.label) for o in q.options.all()],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "此题为必答题，请选择一项。",
                    "invalid_choice": "请从给出的选项中选择。",
                },
                **common,
            )
        if q.question_type == QuestionType.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(str(o.pk), o.label) for o in q.options.all()],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": "此题为必答题，请至少选择一项。",
                    "invalid_choice": "请从给出的选项中选择。",
                },
                **common,
            )
        if q.question_type == QuestionType.RATING:
            return forms.TypedChoiceField(
                choices=[(str(n), f"{n}星 {RATING_LABELS[n]}") for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "此题为必答题，请选择1至5星。",
                    "invalid_choice": "请选择1至5星。",
                },
                **common,
            )
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=q.max_length,
            error_messages={
                "required": required_msg,
                "max_length": f"最多 {q.max_length} 字（当前 %(show_value)d 字），请精简后再提交。",
            },
            **common,
        )

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            if q.question_type != QuestionType.MULTIPLE:
                continue
            chosen = cleaned.get(q.field_name) or []
            if not chosen:
                continue
            if q.min_choices and len(chosen) < q.min_choices:
                self.add_error(
                    q.field_name, f"此题至少选择 {q.min_choices} 项（已选 {len(chosen)} 项）。"
                )
            elif q.max_choices and len(chosen) > q.max_choices:
                self.add_error(
                    q.field_name, f"此题最多选择 {q.max_choices} 项（已选 {len(chosen)} 项）。"
                )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def answers(self) -> dict:
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(q.field_name)
            if q.question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
                ids = value if isinstance(value, list) else ([value] if value else [])
                by_pk = {str(o.pk): o for o in q.options.all()}
                out[q] = [by_pk[i] for i in ids if i in by_pk]
            elif q.question_type == QuestionType.TEXT:
                out[q] = (value or "").strip()
            else:
                out[q] = value
        return out

    def question_rows(self):
        """(question, bound field) for the template, in order."""
        return [(q, self[q.field_name]) for q in self.questions]
