"""Public views of 来信: the writing form of a mailbox, the receipt, the writer's own letter
page (评价, 重新办理) and the published letters (来信选登).

* ``/letters/mailbox/<id>/`` — a mailbox's form and its published letters
  (:class:`~.models.MailboxPage` redirects here). Not signed in: CAPTCHA or SMS code, and a
  rate limit per client address; signed in: prefilled, limited too.
* ``/letters/receipt/<code>/`` — only in the browser session that submitted.
* ``/letters/mine/<code>/`` — the writer's own page (their account only, else 404).
* ``/letters/public/`` and ``/letters/public/<id>/`` — published letters only
  (``Letter.objects.public()``); names masked, personal data in the body masked.
* ``/letters/stats/`` — the site's published monthly statistics (来信统计), with an .xlsx.
"""

import time

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Site

from govportal.citizens import codes
from govportal.citizens.services import citizen_profile, contact_mobile, greeting_name
from govportal.organizations.models import Organization
from govportal.personal.views import personal_login_required
from govportal.privacy.masking import mask_name, mask_phone, mask_text
from govportal.privacy.normalize import normalize_phone
from govportal.privacy.validators import MOBILE_PATTERN

from . import captcha, services
from . import stats as letter_stats
from .duplicates import similar_open_letters
from .forms import LetterFilterForm, LetterForm, RateForm, ReopenForm, VerifyMethod, extra_items
from .models import Letter, LetterAttachment, LetterMonthlyReport, MailboxPage
from .taxonomy import REOPEN_DAYS, Status

RECEIPT_SESSION_KEY = "interaction_receipts"
VERIFIED_SESSION_KEY = "interaction_verified"  # mailbox id → time the human check passed
VERIFIED_SECONDS = 15 * 60
PER_PAGE = 15
MAILBOX_LIST_SIZE = 10


# -- helpers ------------------------------------------------------------------------------------


def _site(request):
    return Site.find_for_request(request)


def _site_mailboxes(request):
    """Live mailboxes of the current site (all live ones when no site matches)."""
    mailboxes = MailboxPage.objects.live()
    site = _site(request)
    if site is not None:
        mailboxes = mailboxes.descendant_of(site.root_page, inclusive=True)
    return mailboxes.order_by("path")


def _mailbox(pk) -> MailboxPage:
    return get_object_or_404(MailboxPage.objects.live().specific(), pk=pk)


def _verified(request, mailbox) -> bool:
    stamp = request.session.get(VERIFIED_SESSION_KEY, {}).get(str(mailbox.pk))
    return bool(stamp) and time.time() - stamp < VERIFIED_SECONDS


def _set_verified(request, mailbox, on: bool) -> None:
    marks = dict(request.session.get(VERIFIED_SESSION_KEY, {}))
    if on:
        marks[str(mailbox.pk)] = time.time()
    else:
        marks.pop(str(mailbox.pk), None)
    request.session[VERIFIED_SESSION_KEY] = marks


def _initial(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = {}
    profile = citizen_profile(user)
    # 真实姓名 when the citizen gave one, else their nickname (greeting_name without a mask).
    name = profile.real_name if profile is not None and profile.real_name else ""
    if not name and getattr(user, "display_name", ""):
        name = greeting_name(user)
    if name:
        initial["name"] = name
    mobile = contact_mobile(user)
    if mobile:
        initial["phone"] = mobile
    if user.email:
        initial["email"] = user.email
    return initial


def _kept(form) -> dict:
    """What was typed, as initial values (for re-showing a form without its errors)."""
    kept = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, django_forms.MultipleChoiceField):
            kept[name] = form.data.getlist(key)
        elif isinstance(field, django_forms.BooleanField):
            kept[name] = key in form.data
        elif isinstance(field, django_forms.FileField) or name == "captcha":
            continue
        elif key in form.data:
            kept[name] = form.data.get(key)
    return kept


def _public_letters(mailboxes):
    return (
        Letter.objects.public()
        .filter(mailbox__in=mailboxes)
        .select_related("mailbox", "category", "answer_unit")
        .order_by("-answered_on", "-submitted_at", "-pk")
    )


def _answer_days(letter_or_mailbox, category=None) -> int:
    if category is not None:
        return category.workdays()
    return letter_or_mailbox.default_workdays


# -- 写信 ---------------------------------------------------------------------------------------


def _send_sms(request, mailbox, form):
    """“获取短信验证码”: JSON for the script, else the form again with what was typed."""
    phone = normalize_phone(request.POST.get(form.add_prefix("phone"), ""))
    wait, ok = 0, False
    if not captcha.sms_available():
        message = "短信验证暂不可用，请使用图形验证码。"
    elif not MOBILE_PATTERN.match(phone):
        message = "请先填写正确的手机号码，再获取短信验证码。"
    else:
        try:
            issued = captcha.send_code(
                request, phone, site_name=getattr(_site(request), "site_name", "")
            )
        except codes.CodeError as exc:
            message, wait = exc.message, exc.wait
        else:
            ok, wait = True, issued.wait
            message = f"验证码已发送至 {mask_phone(phone)}，{issued.expires_minutes} 分钟内有效。"
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"ok": ok, "message": message, "wait": wait}, status=200 if ok else 400)
    initial = _kept(form) | {"verify_method": VerifyMethod.SMS}
    fresh = LetterForm(initial=initial, mailbox=mailbox, anonymous=True,
                       sms_available=captcha.sms_available())  # fmt: skip
    return _render_write(request, mailbox, fresh, sms_message=message, sms_ok=ok, sms_wait=wait,
                         status=200 if ok else 400)  # fmt: skip


def _render_write(request, mailbox, form, *, status=200, **extra):
    public = _public_letters([mailbox])
    parent = mailbox.get_parent()
    context = {
        "mailbox": mailbox,
        "channel": parent.specific if parent is not None else None,
        "form": form,
        "rows": [(letter, mask_name(letter.name)) for letter in public[:MAILBOX_LIST_SIZE]],
        "public_total": public.count(),
        "answer_days": mailbox.default_workdays,
        "sms_available": captcha.sms_available(),
        "needs_login": not mailbox.allow_anonymous and not request.user.is_authenticated,
        **extra,
    }
    return render(request, "interaction/write.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def write(request, pk):
    mailbox = _mailbox(pk)
    user = request.user
    signed_in = user.is_authenticated
    if not mailbox.is_open or (not mailbox.allow_anonymous and not signed_in):
        if request.method == "POST":
            return _render_write(request, mailbox, None, status=403)
        return _render_write(request, mailbox, None)
    anonymous = not signed_in and not _verified(request, mailbox)
    kwargs = {"mailbox": mailbox, "anonymous": anonymous, "sms_available": captcha.sms_available()}
    if request.method != "POST":
        return _render_write(request, mailbox, LetterForm(initial=_initial(request), **kwargs))

    form = LetterForm(request.POST, request.FILES, **kwargs)
    if request.POST.get("action") == "send_sms" and anonymous:
        return _send_sms(request, mailbox, form)
    if not form.is_valid():
        return _render_write(request, mailbox, form, status=400)
    if anonymous and form.method == VerifyMethod.SMS:
        try:
            captcha.check_code(form.cleaned_data["phone"], form.cleaned_data["sms_code"])
        except codes.CodeInvalid as exc:
            form.add_error("sms_code", exc.message)
            return _render_write(request, mailbox, form, status=400)
    if not signed_in:
        _set_verified(request, mailbox, True)  # the re-shown form (duplicates) needs no new check

    data = form.cleaned_data
    if not data.get("confirm_duplicate"):
        matches = similar_open_letters(mailbox, data["title"], data["body"], phone=data["phone"])
        if matches:
            again = LetterForm(request.POST, request.FILES, **(kwargs | {"anonymous": False}))
            again.is_valid()
            return _render_write(request, mailbox, again, duplicates=[m.letter for m in matches])

    if not captcha.allow_submission(request):
        return _render_write(request, mailbox, form, throttled=True, status=429)
    try:
        letter = services.submit(
            mailbox,
            form.letter_data(),
            user=user if signed_in else None,
            site=_site(request),
            attachments=form.attachments(),
            category=data.get("category"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _render_write(request, mailbox, form, status=400)
    if not signed_in:
        _set_verified(request, mailbox, False)
    receipts = request.session.get(RECEIPT_SESSION_KEY, [])
    request.session[RECEIPT_SESSION_KEY] = [*receipts[-9:], letter.tracking_code]
    return redirect("interaction:receipt", code=letter.tracking_code)


@never_cache
def receipt(request, code):
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        raise Http404("回执只在提交来信的浏览器中显示")
    letter = get_object_or_404(Letter.objects.select_related("mailbox", "category"),
                               tracking_code=code)  # fmt: skip
    return render(request, "interaction/receipt.html", {
        "letter": letter,
        "masked_name": mask_name(letter.name),
        "masked_phone": mask_phone(letter.phone),
        "answer_days": _answer_days(letter.mailbox, letter.category),
    })  # fmt: skip


# -- the writer's own letter ---------------------------------------------------------------------


def _own(request, code) -> Letter:
    return get_object_or_404(
        Letter.objects.select_related("mailbox", "category", "answer_unit", "clock"),
        tracking_code=code,
        writer=request.user,
    )


def _mine_context(letter, rate_form=None, reopen_form=None) -> dict:
    can_rate = letter.status == Status.ANSWERED and not letter.satisfaction
    can_reopen = services.can_reopen(letter)
    return {
        "letter": letter,
        "masked_name": mask_name(letter.name),
        "masked_phone": mask_phone(letter.phone),
        "extras": extra_items(letter),
        "events": letter.events.filter(public=True).exclude(text=""),
        "writer_files": letter.attachments.filter(kind=LetterAttachment.Kind.WRITER),
        "reply_files": letter.attachments.filter(kind=LetterAttachment.Kind.REPLY),
        "answered": letter.status in (Status.ANSWERED, Status.CLOSED) and letter.answered_on,
        "due_date": services.due_text(letter) if letter.is_open else "",
        "can_rate": can_rate,
        "can_reopen": can_reopen,
        "reopen_deadline": services.reopen_deadline(letter),
        "reopen_days": REOPEN_DAYS,
        "rate_form": rate_form or RateForm(),
        "reopen_form": reopen_form or ReopenForm(),
    }


@personal_login_required
def mine(request, code):
    letter = _own(request, code)
    return render(request, "interaction/mine.html", _mine_context(letter))


@require_POST
@personal_login_required
def rate(request, code):
    letter = _own(request, code)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(letter, form.cleaned_data["satisfaction"], form.cleaned_data["comment"],
                          user=request.user)  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, "感谢您的评价，来信已办结。")
            return redirect("interaction:mine", code=code)
    return render(request, "interaction/mine.html", _mine_context(letter, rate_form=form),
                  status=400)  # fmt: skip


@require_POST
@personal_login_required
def reopen(request, code):
    letter = _own(request, code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(letter, form.cleaned_data["reason"], user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, "已申请重新办理，承办单位将重新答复。")
            return redirect("interaction:mine", code=code)
    return render(request, "interaction/mine.html", _mine_context(letter, reopen_form=form),
                  status=400)  # fmt: skip


@personal_login_required
def attachment(request, code, pk):
    from django.http import FileResponse

    letter = _own(request, code)
    item = get_object_or_404(LetterAttachment, pk=pk, letter=letter)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    return FileResponse(handle, as_attachment=True, filename=item.filename)


# -- 来信选登 -------------------------------------------------------------------------------------


def public_list(request):
    mailboxes = list(_site_mailboxes(request).specific())
    letters = _public_letters(mailboxes)
    unit_ids = letters.exclude(answer_unit=None).values_list("answer_unit", flat=True).distinct()
    form = LetterFilterForm(
        request.GET or None,
        mailboxes=mailboxes,
        units=Organization.objects.filter(pk__in=set(unit_ids)).order_by("name"),
        statuses=[(Status.ANSWERED.value, Status.ANSWERED.label),
                  (Status.CLOSED.value, Status.CLOSED.label)],
    )  # fmt: skip
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("mailbox"):
            letters = letters.filter(mailbox_id=data["mailbox"])
        if data.get("unit"):
            letters = letters.filter(answer_unit_id=data["unit"])
        if data.get("status"):
            letters = letters.filter(status=data["status"])
        if data.get("start"):
            letters = letters.filter(accepted_on__gte=data["start"])
        if data.get("end"):
            letters = letters.filter(accepted_on__lte=data["end"])
        if data.get("q"):
            letters = letters.filter(title__icontains=data["q"])
    page = Paginator(letters, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "interaction/public_list.html", {
        "form": form,
        "page_obj": page,
        "rows": [(letter, mask_name(letter.name)) for letter in page],
        "query": query.urlencode(),
    })  # fmt: skip


def public_detail(request, pk):
    letter = get_object_or_404(
        Letter.objects.public()
        .filter(mailbox__in=_site_mailboxes(request))
        .select_related("mailbox", "category", "answer_unit"),
        pk=pk,
    )
    return render(request, "interaction/public_detail.html", {
        "letter": letter,
        "masked_name": mask_name(letter.name),
        "masked_body": mask_text(letter.body),
        "masked_answer": mask_text(letter.answer_text),
        "list_url": reverse("interaction:public_list") + f"?mailbox={letter.mailbox_id}",
    })  # fmt: skip


# -- 来信统计 (published monthly) ---------------------------------------------------------------


def _site_reports(request):
    site = _site(request)
    if site is None:
        return LetterMonthlyReport.objects.none()
    return LetterMonthlyReport.objects.filter(site=site)


def stats(request):
    """``/letters/stats/``: the current site's published monthly letter statistics."""
    reports = list(_site_reports(request).defer("data"))
    context = {"reports": reports, "definitions": letter_stats.DEFINITIONS}
    if reports:
        chosen = request.GET.get("month", "").strip()
        report = next((r for r in reports if r.slug == chosen), None)
        if report is None:
            context["missing"] = chosen[:7]
            report = reports[0]
        report = LetterMonthlyReport.objects.get(pk=report.pk)
        by_mailbox, by_unit = letter_stats.frozen(report)
        name = getattr(_site(request), "site_name", "") or ""
        context.update(
            report=report,
            by_mailbox=by_mailbox,
            by_unit=by_unit,
            columns=[label for _, label in letter_stats.COLUMNS],
            mailbox_caption=letter_stats.report_caption(name, by_mailbox, "各信箱"),
            unit_caption=letter_stats.report_caption(name, by_unit, "各承办单位"),
        )
    return render(request, "interaction/public_stats.html", context)


def stats_xlsx(request, year, month):
    """The published month as an .xlsx file."""
    report = get_object_or_404(_site_reports(request), year=year, month=month)
    by_mailbox, by_unit = letter_stats.frozen(report)
    title = f"{getattr(_site(request), 'site_name', '')}{report}"
    content = letter_stats.workbook(title, [("按信箱", by_mailbox), ("按承办单位", by_unit)])
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"letter-stats-{report.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
