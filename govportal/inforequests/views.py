"""Public views of 依申请公开: the 申请表, the receipt, and the applicant's own pages.

The receipt is shown only to the session that submitted; detail, clarification reply,
withdrawal and downloads need the applicant's own account (another user's request is a
404). Anonymous submissions are throttled per client address.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from govportal.citizens.services import citizen_profile, contact_mobile
from govportal.organizations.models import SiteOrganization
from govportal.personal.throttle import hit
from govportal.personal.views import login_url, personal_login_required
from govportal.privacy.access import masked

from . import services
from .forms import ApplicantReplyForm, ApplyForm, organisation_choices
from .models import DisclosureRequest, RequestAttachment
from .taxonomy import ANSWER_WORKDAYS, ApplicantType, Status

RECEIPT_SESSION_KEY = "inforequests_receipts"


def apply_limit() -> tuple[int, int]:
    return (
        settings.GOVPORTAL_INFOREQUEST_APPLY_LIMIT,
        settings.GOVPORTAL_INFOREQUEST_APPLY_WINDOW_SECONDS,
    )


def _site_organization(request):
    site = Site.find_for_request(request)
    link = SiteOrganization.objects.filter(site=site).select_related("organization").first()
    return site, (link.organization if link else None)


def _initial(request, default_org) -> dict:
    initial = {"organization": default_org.pk if default_org else None}
    asked = request.GET.get("org", "")
    # ?org=<id> from a catalogue entry's 依申请公开 link: that entry's 发布机构, if offered.
    if asked.isdigit() and organisation_choices().filter(pk=int(asked)).exists():
        initial["organization"] = int(asked)
    user = request.user
    if user.is_authenticated:
        mobile = contact_mobile(user)
        if mobile:
            initial["phone"] = mobile
        profile = citizen_profile(user)
        if profile is not None and profile.real_name:
            initial["person_name"] = profile.real_name
        if user.email:
            initial["email"] = user.email
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    site, default_org = _site_organization(request)
    throttled = False
    status = 200
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES)
        valid = form.is_valid()
        allowed = True
        if valid and not request.user.is_authenticated:
            # Only complete submissions count: correcting typing errors never locks anyone out.
            limit, window = apply_limit()
            allowed, _ = hit("inforequest_apply", request, limit=limit, window=window)
        if not allowed:
            throttled = True
            status = 429
        elif valid:
            request_obj = services.submit_online(
                form.cleaned_data["organization"],
                form.request_data(),
                user=request.user,
                site=site,
                attachments=form.cleaned_data["attachments"],
                http_request=request,
            )
            receipts = request.session.get(RECEIPT_SESSION_KEY, [])
            request.session[RECEIPT_SESSION_KEY] = [*receipts[-9:], request_obj.tracking_code]
            return redirect("inforequests:receipt", code=request_obj.tracking_code)
    else:
        form = ApplyForm(initial=_initial(request, default_org))
    return render(
        request,
        "inforequests/apply.html",
        {
            "form": form,
            "throttled": throttled,
            "legal_types": ApplicantType.legal_person_types(),
            "person_fields": [form[n] for n in ApplyForm.PERSON_FIELDS],
            "org_fields": [form[n] for n in ApplyForm.ORG_FIELDS],
            "answer_workdays": ANSWER_WORKDAYS,
        },
        status=status,
    )


@never_cache
def receipt(request, code):
    if code not in request.session.get(RECEIPT_SESSION_KEY, []):
        raise Http404("回执只在提交申请的浏览器中显示")
    request_obj = get_object_or_404(DisclosureRequest, tracking_code=code)
    return render(
        request,
        "inforequests/receipt.html",
        {
            "item": request_obj,
            "masked_name": request_obj.masked_name(),
            "masked_phone": masked(request_obj, "phone"),
            "answer_workdays": ANSWER_WORKDAYS,
        },
    )


def _own(request, code) -> DisclosureRequest:
    return get_object_or_404(
        DisclosureRequest.objects.select_related("organization", "clock"),
        tracking_code=code,
        applicant_user=request.user,
    )


def _detail_context(request_obj, reply_form) -> dict:
    return {
        "item": request_obj,
        "masked": {
            f: masked(request_obj, f)
            for f in ("id_number", "phone", "email", "address", "contact_name")
        }
        | {"name": request_obj.masked_name()},
        "events": request_obj.events.filter(public=True).exclude(text=""),
        "answer_files": request_obj.attachments.filter(kind=RequestAttachment.Kind.ANSWER),
        "reply_form": reply_form,
        "can_withdraw": request_obj.is_open,
    }


@personal_login_required
def detail(request, code):
    request_obj = _own(request, code)
    return render(
        request,
        "inforequests/detail.html",
        _detail_context(request_obj, ApplicantReplyForm()),
    )


@require_http_methods(["POST"])
@personal_login_required
def clarification_reply(request, code):
    request_obj = _own(request, code)
    form = ApplicantReplyForm(request.POST)
    if form.is_valid():
        try:
            services.record_clarification(
                request_obj, form.cleaned_data["reply"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "补正内容已提交，答复期限自今天起重新计算。")
            return redirect("inforequests:detail", code=code)
    return render(
        request,
        "inforequests/detail.html",
        _detail_context(request_obj, form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@personal_login_required
def withdraw(request, code):
    request_obj = _own(request, code)
    if request.method == "POST":
        try:
            services.withdraw(request_obj, actor=request.user, by_applicant=True)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "申请已撤回。")
        return redirect("inforequests:detail", code=code)
    if not request_obj.is_open:
        messages.error(request, f"该申请已{request_obj.get_status_display()}，不能撤回。")
        return redirect("inforequests:detail", code=code)
    return render(request, "inforequests/withdraw_confirm.html", {"item": request_obj})


def _file_response(field_file, filename):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    return FileResponse(handle, as_attachment=True, filename=filename)


@personal_login_required
def letter(request, code):
    request_obj = _own(request, code)
    if request_obj.status != Status.ANSWERED or not request_obj.answer_letter:
        raise Http404("尚未答复")
    return _file_response(request_obj.answer_letter, f"{request_obj.tracking_code}-答复书.pdf")


@personal_login_required
def attachment(request, code, pk):
    request_obj = _own(request, code)
    item = get_object_or_404(
        RequestAttachment, pk=pk, request=request_obj, kind=RequestAttachment.Kind.ANSWER
    )
    return _file_response(item.file, item.filename)


def start(request):
    """``/disclosure/requests/`` → the form (or the login page for ``?mine``)."""
    if "mine" in request.GET and not request.user.is_authenticated:
        return redirect_to_login(reverse("personal:cases"), login_url())
    return redirect("inforequests:apply")
