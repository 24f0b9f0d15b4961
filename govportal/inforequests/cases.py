"""依申请公开 in 我的办件 and the tracking page (``/my/track/``): a personal.cases type."""

from django.urls import reverse

from govportal.personal.cases import CaseSummary, CaseType
from govportal.privacy.normalize import normalize_phone

from .models import DisclosureRequest
from .taxonomy import Status

KEY = "disclosure_request"


def summary(request_obj: DisclosureRequest) -> CaseSummary:
    clock = request_obj.clock
    events = request_obj.events.filter(public=True).order_by("at", "pk")
    return CaseSummary(
        kind=DisclosureRequestCases.label,
        title=request_obj.subject,
        tracking_code=request_obj.tracking_code,
        status=request_obj.get_status_display(),
        is_open=request_obj.status in Status.open_values(),
        submitted_at=request_obj.submitted_at,
        updated_at=request_obj.updated_at,
        url=reverse("inforequests:detail", args=(request_obj.tracking_code,)),
        due_date=clock.due_date if clock is not None and request_obj.is_open else None,
        # The tracking page masks these itself (mask_name/mask_phone filters; masking an
        # already masked phone would show only "****"), see personal/cases.py.
        applicant_name=request_obj.name,
        contact_phone=request_obj.phone,
        steps=tuple((e.at, e.text) for e in events if e.text),
        kind_key=KEY,
    )


class DisclosureRequestCases(CaseType):
    key = KEY
    label = "政府信息公开申请"
    verification_label = "申请时填写的联系电话后4位"

    def cases_for(self, user):
        queryset = DisclosureRequest.objects.filter(applicant_user=user).select_related("clock")
        return [summary(r) for r in queryset]

    def lookup(self, tracking_code, verification):
        request_obj = (
            DisclosureRequest.objects.filter(tracking_code=tracking_code)
            .select_related("clock")
            .first()
        )
        if request_obj is None:
            return None
        digits = normalize_phone(verification)
        phone = normalize_phone(request_obj.phone)
        if len(digits) != 4 or not phone.endswith(digits):
            return None
        return summary(request_obj)
