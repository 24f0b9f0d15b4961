"""征集调查 services: the one-answer rule, saving an answer sheet, results, export, closing.

Views stay thin: they call :func:`already_answered`, :func:`submit`, :func:`results`,
:func:`export_rows` and :func:`close_early`. Nothing here checks who may see the admin
results; the admin views do (:func:`may_manage`).
"""

import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from govportal.audit.context import client_ip
from govportal.audit.services import record
from govportal.personal.throttle import hit
from govportal.privacy.masking import mask_text

from .models import (
    CHOICE_TYPES,
    RATING_LABELS,
    AnswerRule,
    QuestionType,
    SurveyAnswer,
    SurveyPage,
    SurveyQuestion,
    SurveyResponse,
)

AUDIT_SUBMIT = "surveys.submit"
AUDIT_EXPORT = "surveys.export"
AUDIT_CLOSE = "surveys.close"
AUDIT_ACTIONS = {
    AUDIT_SUBMIT: "征集调查：提交答卷",
    AUDIT_EXPORT: "征集调查：导出答卷",
    AUDIT_CLOSE: "征集调查：提前结束",
}

DEVICE_COOKIE = "gp_survey_device"
DEVICE_COOKIE_SALT = "govportal.surveys.device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600


def ip_limit() -> tuple[int, int]:
    """(submissions, seconds) allowed per client address and survey for 每台设备一次."""
    return getattr(settings, "SURVEYS_DEVICE_IP_LIMIT", (20, 3600))


class AlreadyAnswered(Exception):
    """The account or device has already answered this survey."""


class Throttled(Exception):
    """Too many submissions from one address."""


def _keyed_hash(kind: str, value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}|{value}".encode(), hashlib.sha256
    ).hexdigest()


def device_token(request) -> str | None:
    """The signed device token of this browser, or None (no cookie or a tampered one)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT)


def new_device_token() -> str:
    return secrets.token_hex(16)


def set_device_cookie(response, token: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        token,
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def device_hash(survey: SurveyPage, token: str) -> str:
    return _keyed_hash(f"device:{survey.pk}", token)


def ip_hash(request) -> str:
    ip = client_ip(request)
    return _keyed_hash("ip", ip) if ip else ""


def already_answered(survey: SurveyPage, request) -> bool:
    responses = SurveyResponse.objects.filter(survey=survey)
    if survey.answer_rule == AnswerRule.ACCOUNT:
        user = request.user
        return bool(user.is_authenticated and responses.filter(user=user).exists())
    token = device_token(request)
    if token and responses.filter(device_hash=device_hash(survey, token)).exists():
        return True
    user = request.user
    return bool(user.is_authenticated and responses.filter(user=user).exists())


def questions_of(survey: SurveyPage) -> list[SurveyQuestion]:
    return list(
        SurveyQuestion.objects.filter(page=survey)
        .prefetch_related("options")
        .order_by("sort_order", "pk")
    )


def submit(survey: SurveyPage, request, answers: dict, token: str | None = None) -> SurveyResponse:
    """Save one answer sheet. ``answers`` maps question → option list / rating / text.

    Raises :class:`AlreadyAnswered` when the account (or device) has answered — also when a
    concurrent submit wins the race on the unique constraint — and :class:`Throttled`.
    """
    user = request.user if request.user.is_authenticated else None
    dev = ""
    if survey.answer_rule == AnswerRule.DEVICE:
        if token is None:
            raise ValueError("device surveys need a device token")
        dev = device_hash(survey, token)
        limit, window = ip_limit()
        allowed, _first = hit(f"survey:{survey.pk}", request, limit=limit, window=window)
        if not allowed:
            raise Throttled
    elif user is None:
        raise PermissionError("account surveys need a logged-in user")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, user=user, device_hash=dev, ip_hash=ip_hash(request)
            )
            rows = []
            for question, value in answers.items():
                if value in (None, "", []):
                    continue
                if question.question_type in CHOICE_TYPES:
                    rows += [
                        SurveyAnswer(response=response, question=question, option=o) for o in value
                    ]
                elif question.question_type == QuestionType.RATING:
                    rows.append(
                        SurveyAnswer(response=response, question=question, rating=int(value))
                    )
                else:
                    rows.append(SurveyAnswer(response=response, question=question, text=value))
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise AlreadyAnswered from exc
    record(AUDIT_SUBMIT, request=request, obj=survey, response=response.pk)
    return response


# -- results ----------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int
    percent: float  # of the people who answered the question

    @property
    def percent_text(self) -> str:
        return f"{self.percent:.1f}%"


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int  # people who answered the question
    rows: list[Row] = field(default_factory=list)
    average: float | None = None  # ratings only

    @property
    def is_text(self) -> bool:
        return self.question.question_type == QuestionType.TEXT

    @property
    def chart(self) -> dict:
        return {
            "labels": [r.label for r in self.rows],
            "counts": [r.count for r in self.rows],
            "title": self.question.text,
        }


def _pct(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def results(survey: SurveyPage) -> tuple[int, list[QuestionResult]]:
    """(number of answer sheets, per-question counts). Text answers: only their number."""
    total = SurveyResponse.objects.filter(survey=survey).count()
    out = []
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    for question in questions_of(survey):
        mine = answers.filter(question=question)
        answered = mine.values("response").distinct().count()
        result = QuestionResult(question=question, answered=answered)
        if question.question_type in CHOICE_TYPES:
            counts = dict(
                mine.values_list("option").annotate(n=Count("id")).values_list("option", "n")
            )
            result.rows = [
                Row(o.label, counts.get(o.pk, 0), _pct(counts.get(o.pk, 0), answered))
                for o in question.options.all()
            ]
        elif question.question_type == QuestionType.RATING:
            counts = dict(
                mine.values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
            )
            result.rows = [
                Row(
                    f"{n}星（{RATING_LABELS[n]}）",
                    counts.get(n, 0),
                    _pct(counts.get(n, 0), answered),
                )
                for n in range(1, 6)
            ]
            if answered:
                result.average = round(sum(n * c for n, c in counts.items()) / answered, 2)
        out.append(result)
    return total, out


def text_answers(
    survey: SurveyPage, question: SurveyQuestion, *, masked: bool = True
) -> list[dict]:
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey, question=question)
        .select_related("response")
        .order_by("response__submitted_at", "pk")
    )
    return [
        {"submitted_at": a.response.submitted_at, "text": mask_text(a.text) if masked else a.text}
        for a in rows
    ]


def export_rows(survey: SurveyPage) -> tuple[list[str], list[list]]:
    """One row per answer sheet, one column per question (text masked: exports leave the
    system, and the results view is the place to read a sheet)."""
    questions = questions_of(survey)
    header = ["答卷编号", "提交时间", "参与方式"] + [q.text for q in questions]
    responses = (
        SurveyResponse.objects.filter(survey=survey)
        .prefetch_related("answers__option")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for response in responses:
        by_question: dict[int, list[str]] = {}
        for answer in response.answers.all():
            if answer.option_id:
                value = answer.option.label
            elif answer.rating:
                value = f"{answer.rating}星"
            else:
                value = mask_text(answer.text)
            by_question.setdefault(answer.question_id, []).append(value)
        rows.append(
            [
                response.pk,
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                "登录账号" if response.user_id else "设备",
                *["；".join(by_question.get(q.pk, [])) for q in questions],
            ]
        )
    return header, rows


def export_csv(survey: SurveyPage) -> bytes:
    header, rows = export_rows(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def export_xlsx(survey: SurveyPage) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = export_rows(survey)
    book = Workbook()
    sheet = book.active
    sheet.title = "答卷"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def close_early(survey: SurveyPage, request) -> None:
    """End the survey now (audited). Kept across later publishes of older drafts."""
    now = timezone.now()
    before = survey.closes_at
    SurveyPage.objects.filter(pk=survey.pk).update(closes_at=now, closed_early_at=now)
    survey.closes_at = survey.closed_early_at = now
    record(
        AUDIT_CLOSE,
        request=request,
        obj=survey,
        before={"closes_at": before.isoformat()},
        after={"closes_at": now.isoformat()},
    )


def may_manage(user, survey: SurveyPage) -> bool:
    """Who may see the admin results, export and close: whoever may edit the page."""
    if not user.is_authenticated or not user.is_active:
        return False
    return survey.permissions_for_user(user).can_edit()
