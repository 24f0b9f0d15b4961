"""Factories for annual reports and the request rows they count (tests and demo data)."""

import datetime

import factory

from govportal.inforequests.models import DisclosureRequest
from govportal.inforequests.taxonomy import ApplicantType, Outcome, Status

from .models import AnnualReport, ReportKind


class CountedRequestFactory(factory.django.DjangoModelFactory):
    """A :class:`DisclosureRequest` with just what the annual report reads set.

    ``received_on``/``closed_on``/``outcome``/``status`` decide where it is counted;
    ``closed_on`` without ``status`` makes it answered, without ``outcome`` 予以公开.
    """

    class Meta:
        model = DisclosureRequest

    class Params:
        closed = factory.LazyAttribute(lambda o: o.closed_on is not None)

    applicant_type = ApplicantType.NATURAL
    name = factory.Sequence(lambda n: f"申请人{n}")
    id_number = "110101199003070011"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    subject = factory.Sequence(lambda n: f"关于第{n}项政府信息的申请")
    description = "请提供相关文件全文。"
    received_on = datetime.date(2025, 3, 3)
    closed_on = None
    status = factory.LazyAttribute(lambda o: Status.ANSWERED if o.closed else Status.PROCESSING)
    outcome = factory.LazyAttribute(lambda o: Outcome.PUBLIC if o.closed else "")
    answered_on = factory.LazyAttribute(
        lambda o: o.closed_on if o.closed and o.status == Status.ANSWERED else None
    )
    withdrawn_on = factory.LazyAttribute(
        lambda o: o.closed_on if o.status == Status.WITHDRAWN else None
    )


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    year = 2025
    kind = ReportKind.ORGANIZATION
