"""来信 in 我的办件 and on the tracking page (``/my/track/``): a personal.cases type,
registered when this module is imported (``apps.ready``)."""

from django.urls import reverse

from govportal.personal.cases import CaseSummary, CaseType, register_case_type
from govportal.privacy.normalize import normalize_phone

from .models import Letter

KEY = "letter"


def summary(letter: Letter) -> CaseSummary:
    clock = letter.clock
    events = letter.events.filter(public=True).order_by("at", "pk")
    return CaseSummary(
        kind=LetterCases.label,
        title=letter.title,
        tracking_code=letter.tracking_code,
        status=letter.get_status_display(),
        is_open=letter.is_open,
        submitted_at=letter.submitted_at,
        updated_at=letter.updated_at,
        url=reverse("interaction:mine", args=(letter.tracking_code,)) if letter.writer_id else "",
        due_date=clock.due_date if clock is not None and letter.is_open else None,
        # The tracking page masks these itself (see personal/cases.py).
        applicant_name=letter.name,
        contact_phone=letter.phone,
        steps=tuple((e.at, e.text) for e in events if e.text),
        kind_key=KEY,
    )


class LetterCases(CaseType):
    key = KEY
    label = "来信"
    verification_label = "联系电话后4位"

    def cases_for(self, user):
        letters = Letter.objects.filter(writer=user).select_related("clock")
        return [summary(letter) for letter in letters]

    def lookup(self, tracking_code, verification):
        letter = Letter.objects.filter(tracking_code=tracking_code).select_related("clock").first()
        if letter is None:
            return None
        digits = normalize_phone(verification)
        phone = normalize_phone(letter.phone)
        if len(digits) != 4 or not phone.endswith(digits):
            return None
        return summary(letter)


register_case_type(LetterCases())
