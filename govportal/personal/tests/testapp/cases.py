from govportal.personal.cases import CaseSummary, CaseType

from .models import SampleCase


class SampleCaseType(CaseType):
    def __init__(self, key: str, label: str, verification_label: str):
        self.key = key
        self.label = label
        self.verification_label = verification_label

    def summary(self, case: SampleCase) -> CaseSummary:
        return CaseSummary(
            kind=self.label,
            title=case.title,
            tracking_code=case.tracking_code,
            status=case.status,
            is_open=case.is_open,
            submitted_at=case.submitted_at,
            updated_at=case.updated_at,
            url=f"/sample/{case.pk}/",
            applicant_name=case.applicant_name,
            contact_phone=case.phone,
            steps=((case.submitted_at, "已提交"), (case.updated_at, case.status)),
        )

    def cases_for(self, user):
        return [self.summary(c) for c in SampleCase.objects.filter(kind=self.key, owner=user)]

    def lookup(self, tracking_code, verification):
        case = SampleCase.objects.filter(kind=self.key, tracking_code=tracking_code).first()
        if case is None or case.verification != verification:
            return None
        return self.summary(case)
