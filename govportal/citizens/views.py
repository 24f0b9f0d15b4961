"""Pages of citizen accounts under /account/: sign in, register, reset, profile, delete.

Views stay thin: codes in ``codes``, account changes in ``services``, sign-in through
``django.contrib.auth.authenticate`` (django-axes counts and locks out). Every page is
``never_cache``; forms with a "获取验证码" button post back to themselves and come back with
everything typed (with JavaScript the button also counts down the resend interval).
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from govportal.audit.models import Outcome
from govportal.audit.services import record
from govportal.core.context_processors import PortalContext
from govportal.privacy.masking import mask_email, mask_phone

from . import codes, forms, oidc, services
from .models import Channel, Purpose

AUTH_AT_KEY = "citizens_authenticated_at"
RECENT_LOGIN_SECONDS = 10 * 60
STAFF_REFUSED = "工作人员请从管理后台登录。"
WRONG_CREDENTIALS = "账号或密码不正确，请重新输入。"


# -- helpers ---------------------------------------------------------------------------------


def default_next() -> str:
    """Where citizens land after signing in: the personal centre (个人中心)."""
    try:
        return reverse("personal:home")
    except NoReverseMatch:
        return "/my/"


def safe_next(request, value: str | None) -> str:
    """``value`` if it is a path or URL on this host (no open redirect), else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def next_of(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def mark_authenticated(request) -> None:
    """Remember when the citizen proved who they are (deleting an account asks for a recent one)."""
    request.session[AUTH_AT_KEY] = int(time.time())


def recently_authenticated(request) -> bool:
    at = request.session.get(AUTH_AT_KEY)
    return bool(at) and time.time() - at < RECENT_LOGIN_SECONDS


def site_name(request) -> str:
    try:
        return PortalContext(request).site_name or ""
    except Exception:  # noqa: BLE001 — no site for this host: messages go out unsigned
        return ""


def axes_username(channel: str, value: str) -> str:
    """The name django-axes counts failures under: the account's, or a stand-in per contact.

    A stand-in (never a real contact) keeps e-mail addresses and mobile numbers out of the
    lockout table and the audit trail, and counts an unknown contact like a known one.
    """
    account = services.find_login_account(channel, value)
    if account is not None:
        return account.get_username()
    return f"~{codes.destination_key(channel, value)[:20]}"


def took_lockout(request) -> bool:
    """Did django-axes refuse this attempt? Our page explains it (not the admin-styled one)."""
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False
        return True
    return False


def lockout_message() -> str:
    minutes = max(1, int(float(getattr(settings, "AXES_COOLOFF_TIME", 0.5) or 0.5) * 60))
    return (
        f"连续登录失败次数过多，为保护账号安全，本网络对该账号的登录已暂停约 {minutes} 分钟。"
        "请稍后再试，或通过“找回密码”重置密码。"
    )


def citizen_required(view):
    """Signed-in citizens only: others go to the login page; staff get an explanation."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("citizens:login"))
        if not services.is_citizen(request.user):
            return page(request, "citizens/not_citizen.html", "仅限公众用户", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def page(request, template: str, title: str, context: dict | None = None, status: int = 200):
    context = {"title": title, **(context or {})}
    context.setdefault("next", next_of(request))
    context.setdefault("personal_url", default_next())
    return render(request, template, context, status=status)


def send_code_message(channel: str, value: str, *, maybe: bool = False) -> str:
    where = mask_email(value) if channel == Channel.EMAIL else mask_phone(value)
    minutes = max(1, codes.ttl_seconds() // 60)
    if maybe:
        return f"如果 {where} 已注册，验证码已发送，{minutes} 分钟内有效。"
    return f"验证码已发送至 {where}，{minutes} 分钟内有效。"


def _issue(request, form, purpose, channel, value, *, user=None, decoy=False, maybe=False):
    """Send a code; on refusal put the reason on the form's code field. Returns seconds to wait."""
    try:
        issued = codes.issue(
            purpose,
            channel,
            value,
            request=request,
            user=user,
            decoy=decoy,
            site_name=site_name(request),
        )
    except codes.CodeError as exc:
        form.add_error("code", exc.message)
        return exc.wait
    form.code_sent = send_code_message(channel, value, maybe=maybe)
    return issued.wait


def _finish_login(request, user):
    login(request, user)
    mark_authenticated(request)
    return redirect(next_of(request) or default_next())


def _refuse_staff(request, user, form, field: str | None):
    record(
        "citizen.staff_refused",
        request=request,
        user=user,
        obj=user,
        username=user.get_username(),
        outcome=Outcome.DENIED,
    )
    form.add_error(field, STAFF_REFUSED)
    form.staff_refused = True


# -- sign in ---------------------------------------------------------------------------------


@never_cache
@csrf_protect
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request):
    """登录: 密码登录 or 验证码登录 (tabs are links: ``?mode=code``), and 统一身份认证."""
    mode = request.POST.get("mode") or request.GET.get("mode")
    mode = "code" if mode == "code" else "password"
    if request.method == "GET" and services.is_citizen(request.user):
        return redirect(next_of(request) or default_next())
    status = 200
    wait = 0
    password_form = forms.PasswordLoginForm(prefix="pw")
    code_form = forms.CodeLoginForm(prefix="otp")
    if request.method == "POST" and mode == "password":
        password_form = forms.PasswordLoginForm(request.POST, prefix="pw")
        if password_form.is_valid():
            channel, value = password_form.cleaned_data["identifier"]
            user = authenticate(
                request,
                username=axes_username(channel, value),
                password=password_form.cleaned_data["password"],
            )
            if took_lockout(request):
                password_form.add_error(None, lockout_message())
                status = 429
            elif user is None:
                password_form.add_error(None, WRONG_CREDENTIALS)
            elif not services.is_citizen(user):
                _refuse_staff(request, user, password_form, None)
                status = 403
            else:
                return _finish_login(request, user)
    elif request.method == "POST":
        sending = request.POST.get("action") == "send_code"
        code_form = forms.CodeLoginForm(request.POST, prefix="otp", sending=sending)
        if code_form.is_valid():
            channel, value = code_form.cleaned_data["identifier"]
            if sending:
                citizen = services.find_citizen(channel, value)
                real = citizen is not None and services.is_citizen(citizen)
                wait = _issue(
                    request, code_form, Purpose.LOGIN, channel, value, decoy=not real, maybe=True
                )
            else:
                user = authenticate(
                    request,
                    username=axes_username(channel, value),
                    citizen_contact=(channel, value),
                    citizen_code=code_form.cleaned_data["code"],
                )
                if took_lockout(request):
                    code_form.add_error(None, lockout_message())
                    status = 429
                elif user is None:
                    code_form.add_error(
                        "code", getattr(request, "citizen_code_error", "验证码不正确。")
                    )
                else:
                    return _finish_login(request, user)
        if not wait and code_form.cleaned_data.get("identifier"):
            wait = codes.seconds_until_resend(*code_form.cleaned_data["identifier"])
    return page(
        request,
        "citizens/login.html",
        "用户登录",
        {
            "mode": mode,
            "password_form": password_form,
            "code_form": code_form,
            "wait": wait,
            "oidc_enabled": oidc.is_enabled(),
            "oidc_label": oidc.button_label(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request):
    """退出登录 (POST; GET shows a confirmation so a link cannot sign anyone out)."""
    if request.method == "POST":
        logout(request)
        return redirect("citizens:logged_out")
    if not request.user.is_authenticated:
        return redirect("citizens:logged_out")
    return page(request, "citizens/logout_confirm.html", "退出登录")


@never_cache
def logged_out_view(request):
    return page(request, "citizens/logged_out.html", "已退出登录")


# -- register --------------------------------------------------------------------------------


@never_cache
@csrf_protect
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register_view(request):
    """注册: 手机号注册 / 邮箱注册 (``?by=email``), one-time code, password, consent."""
    by = request.POST.get("by") or request.GET.get("by")
    channel = Channel.EMAIL if by == "email" else Channel.SMS
    if request.method == "GET" and services.is_citizen(request.user):
        return redirect(default_next())
    wait = 0
    if request.method == "POST":
        sending = request.POST.get("action") == "send_code"
        form = forms.RegisterForm(request.POST, channel=channel, sending=sending)
        if form.is_valid():
            value = form.contact
            if sending:
                wait = _issue(request, form, Purpose.REGISTER, channel, value)
            else:
                try:
                    codes.verify(Purpose.REGISTER, channel, value, form.cleaned_data["code"])
                except codes.CodeInvalid as exc:
                    form.add_error("code", exc.message)
                else:
                    try:
                        user = services.register_citizen(
                            email=value if channel == Channel.EMAIL else "",
                            mobile=value if channel == Channel.SMS else "",
                            password=form.cleaned_data["password1"],
                            display_name=form.cleaned_data.get("display_name") or "",
                            via="email" if channel == Channel.EMAIL else "mobile",
                        )
                    except services.ContactTaken:
                        form.add_error(form.contact_field, "该联系方式已注册，请直接登录。")
                    else:
                        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                        mark_authenticated(request)
                        messages.success(request, "注册成功，欢迎使用。")
                        return redirect(next_of(request) or default_next())
        if not wait and form.cleaned_data.get(form.contact_field):
            wait = codes.seconds_until_resend(channel, form.cleaned_data[form.contact_field])
    else:
        form = forms.RegisterForm(channel=channel)
    return page(
        request,
        "citizens/register.html",
        "注册账号",
        {"form": form, "by": "email" if channel == Channel.EMAIL else "mobile", "wait": wait},
    )


@never_cache
def terms_view(request):
    return page(request, "citizens/terms.html", "用户协议与隐私政策")


# -- password reset and change ---------------------------------------------------------------


@never_cache
@csrf_protect
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def password_reset_view(request):
    """找回密码: a code to the registered contact; the same answer whether or not it exists."""
    wait = 0
    if request.method == "POST":
        sending = request.POST.get("action") == "send_code"
        form = forms.PasswordResetForm(request.POST, sending=sending)
        if form.is_valid():
            channel, value = form.cleaned_data["identifier"]
            citizen = services.find_citizen(channel, value)
            real = citizen is not None and services.is_citizen(citizen)
            if sending:
                wait = _issue(
                    request, form, Purpose.RESET, channel, value, decoy=not real, maybe=True
                )
            else:
                try:
                    codes.verify(Purpose.RESET, channel, value, form.cleaned_data["code"])
                    if not real:  # a decoy never matches; kept for safety
                        raise codes.CodeInvalid("验证码不正确，请重新获取。")
                except codes.CodeInvalid as exc:
                    form.add_error("code", exc.message)
                else:
                    services.set_password(citizen, form.cleaned_data["password1"], reason="reset")
                    messages.success(request, "密码已重置，请使用新密码登录。")
                    return redirect(reverse("citizens:login"))
        if not wait and form.cleaned_data.get("identifier"):
            wait = codes.seconds_until_resend(*form.cleaned_data["identifier"])
    else:
        form = forms.PasswordResetForm()
    return page(request, "citizens/password_reset.html", "找回密码", {"form": form, "wait": wait})


@never_cache
@csrf_protect
@sensitive_post_parameters("old_password", "password1", "password2")
@citizen_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    """修改密码 (or 设置密码 for accounts made through 统一身份认证)."""
    had_password = request.user.has_usable_password()
    form = forms.PasswordChangeForm(request.POST or None, user=request.user, request=request)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if took_lockout(request):
            form.add_error("old_password", lockout_message())
            status = 429
        elif valid:
            services.set_password(request.user, form.cleaned_data["password1"], reason="change")
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。" if had_password else "密码已设置。")
            return redirect("citizens:profile")
    return page(
        request,
        "citizens/password_change.html",
        "修改密码" if had_password else "设置密码",
        {"form": form, "had_password": had_password, "wide": True},
        status=status,
    )


# -- profile and contacts --------------------------------------------------------------------


@never_cache
@csrf_protect
@citizen_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    """个人资料: nickname, real name; contacts shown masked with links to change them."""
    user = request.user
    profile = user.citizen_profile
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(
                user,
                display_name=form.cleaned_data["display_name"],
                real_name=form.cleaned_data["real_name"],
            )
            messages.success(request, "个人资料已保存。")
            return redirect("citizens:profile")
    else:
        form = forms.ProfileForm(
            initial={"display_name": user.display_name, "real_name": profile.real_name}
        )
    return page(
        request,
        "citizens/profile.html",
        "个人资料",
        {
            "wide": True,
            "form": form,
            "profile": profile,
            "email_masked": mask_email(user.email),
            "mobile_masked": mask_phone(profile.mobile),
            "oidc_linked": bool(profile.oidc_subject),
            "oidc_label": oidc.button_label(),
        },
    )


@never_cache
@csrf_protect
@citizen_required
@require_http_methods(["GET", "POST"])
def contact_change_view(request, kind: str):
    """更换电子邮箱/手机号码: a code to the *new* contact proves it is the citizen's."""
    channel = Channel.EMAIL if kind == "email" else Channel.SMS
    user = request.user
    wait = 0
    if request.method == "POST":
        sending = request.POST.get("action") == "send_code"
        form = forms.ContactChangeForm(request.POST, channel=channel, user=user, sending=sending)
        if form.is_valid():
            value = form.cleaned_data["contact"]
            if sending:
                wait = _issue(request, form, Purpose.CHANGE_CONTACT, channel, value, user=user)
            else:
                try:
                    codes.verify(
                        Purpose.CHANGE_CONTACT, channel, value, form.cleaned_data["code"], user=user
                    )
                except codes.CodeInvalid as exc:
                    form.add_error("code", exc.message)
                else:
                    try:
                        services.change_contact(user, channel, value)
                    except services.ContactTaken:
                        form.add_error("contact", "该联系方式已被其他账号使用。")
                    else:
                        what = "电子邮箱" if channel == Channel.EMAIL else "手机号码"
                        messages.success(request, f"{what}已更换。")
                        return redirect("citizens:profile")
        if not wait and form.cleaned_data.get("contact"):
            wait = codes.seconds_until_resend(channel, form.cleaned_data["contact"])
    else:
        form = forms.ContactChangeForm(channel=channel, user=user)
    current = (
        mask_email(user.email)
        if channel == Channel.EMAIL
        else mask_phone(services.contact_mobile(user))
    )
    what = "电子邮箱" if channel == Channel.EMAIL else "手机号码"
    return page(
        request,
        "citizens/contact_change.html",
        f"{'更换' if current else '绑定'}{what}",
        {
            "wide": True,
            "form": form,
            "kind": kind,
            "what": what,
            "current": current,
            "wait": wait,
        },
    )


# -- delete ----------------------------------------------------------------------------------


def _deletion_contact(user) -> tuple[str, str]:
    """Where a deletion code goes: the mobile if any, else the e-mail ("", "" if neither)."""
    mobile = services.contact_mobile(user)
    if mobile:
        return Channel.SMS, mobile
    if user.email:
        return Channel.EMAIL, user.email
    return "", ""


@never_cache
@csrf_protect
@sensitive_post_parameters("password")
@citizen_required
@require_http_methods(["GET", "POST"])
def delete_view(request):
    """注销账号: the data rules first, then re-authentication and confirmation."""
    user = request.user
    channel, contact = _deletion_contact(user)
    target = services.masked_contact(channel, contact) if contact else ""
    wait = 0
    status = 200
    needs_fresh_login = not user.has_usable_password() and not contact
    if request.method == "POST":
        sending = request.POST.get("action") == "send_code"
        form = forms.DeleteAccountForm(
            request.POST, user=user, request=request, code_target=target, sending=sending
        )
        valid = form.is_valid()
        if took_lockout(request):
            form.add_error("password", lockout_message())
            status = 429
        elif valid and sending:
            if contact:
                wait = _issue(request, form, Purpose.DELETE, channel, contact, user=user)
        elif valid:
            method = form.cleaned_data["method"]
            proven = method == "password"
            if method == "code":
                try:
                    codes.verify(
                        Purpose.DELETE, channel, contact, form.cleaned_data["code"], user=user
                    )
                    proven = True
                except codes.CodeInvalid as exc:
                    form.add_error("code", exc.message)
            elif needs_fresh_login:
                proven = recently_authenticated(request)
                if not proven:
                    form.add_error(
                        None, "为确认是您本人操作，请退出后重新登录，并在 10 分钟内完成注销。"
                    )
            if proven:
                services.delete_citizen(user, request=request, method=method or "recent_login")
                logout(request)
                return redirect("citizens:deleted")
        if not wait and contact:
            wait = codes.seconds_until_resend(channel, contact)
    else:
        form = forms.DeleteAccountForm(user=user, request=request, code_target=target)
        if contact:
            wait = codes.seconds_until_resend(channel, contact)
    return page(
        request,
        "citizens/delete.html",
        "注销账号",
        {"form": form, "wait": wait, "needs_fresh_login": needs_fresh_login, "wide": True},
        status=status,
    )


@never_cache
def deleted_view(request):
    return page(request, "citizens/deleted.html", "账号已注销")
