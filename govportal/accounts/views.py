"""两步验证 pages in the admin: status, enrolment, recovery codes, removal, the login code step.

All live under ``/admin/2fa/`` (registered by ``wagtail_hooks``), so Wagtail's admin-access
check applies; :class:`~govportal.accounts.middleware.StaffSecurityMiddleware` decides which
of them a half-signed-in session may open.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from govportal.audit.models import Outcome
from govportal.audit.services import record

from . import twofactor
from .forms import CodeForm

LOCKED = "验证码连续错误次数过多，两步验证已锁定，请于 {time} 后重新登录。如手机和恢复码都已遗失，请联系安全管理员。"
REQUIRED = "您的角色要求使用两步验证，不能停用。如更换了手机，请使用“更换身份验证器”重新设置。"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class TwoFactorPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "key"

    def get_breadcrumbs_items(self):
        items = self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_account"), "label": "账号设置"},
            {"url": reverse("accounts_2fa:index"), "label": "两步验证"},
        ]
        if self.get_page_title() != "两步验证":
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["required"] = twofactor.is_required(user, self.request)
        context["enrolled"] = twofactor.is_enrolled(user)
        return context


class IndexView(TwoFactorPage):
    """Status: enrolled or not, recovery codes left, what to do next."""

    template_name = "accounts/twofactor/index.html"
    page_title = "两步验证"

    def get(self, request, *args, **kwargs):
        if not twofactor.is_enrolled(request.user):
            return redirect("accounts_2fa:setup")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = twofactor.confirmed_device(self.request.user)
        context.update(device=device, codes_left=twofactor.recovery_codes_left(self.request.user))
        # A form handed in by a failed POST (with its error) wins over a fresh one.
        context.setdefault("regenerate_form", CodeForm(prefix="regenerate"))
        context.setdefault("remove_form", CodeForm(prefix="remove"))
        return context


class SetupView(TwoFactorPage):
    """Scan the QR code (or type the secret), then confirm with a current code."""

    template_name = "accounts/twofactor/setup.html"
    page_title = "设置两步验证"

    def dispatch(self, request, *args, **kwargs):
        # An enrolled (and verified) user may replace the authenticator: ?replace=1.
        self.replacing = twofactor.is_enrolled(request.user)
        if self.replacing and not request.GET.get("replace"):
            return redirect("accounts_2fa:index")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "更换身份验证器" if self.replacing else self.page_title

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        device = twofactor.pending_device(self.request.user)
        context.update(
            form=form or CodeForm(),
            replacing=self.replacing,
            qr_svg=twofactor.qr_svg(device),
            secret_groups=twofactor.secret_groups(device),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = twofactor.pending_device(request.user)
            if twofactor.confirm_enrolment(request, device, form.cleaned_data["code"]):
                messages.success(request, "两步验证已启用。请立即保存下面的恢复码。")
                return redirect("accounts_2fa:recovery")
            form.add_error(
                "code",
                "验证码不正确。请确认手机时间准确，输入身份验证器中当前显示的 6 位数字（每 30 秒更新）。",
            )
        return self.render_to_response(self.get_context_data(form=form))


class RecoveryCodesView(TwoFactorPage):
    """The new recovery codes, shown until the user confirms they kept them."""

    template_name = "accounts/twofactor/recovery.html"
    page_title = "恢复码"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.get(twofactor.SESSION_CODES)
        context["codes_left"] = twofactor.recovery_codes_left(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        """我已保存: the codes are never shown again."""
        request.session.pop(twofactor.SESSION_CODES, None)
        messages.success(request, "恢复码已隐藏，今后不再显示。")
        return redirect(reverse("wagtailadmin_home"))


class RecoveryDownloadView(View):
    def get(self, request):
        codes = request.session.get(twofactor.SESSION_CODES)
        if not codes:
            messages.error(
                request, "恢复码只在生成后显示一次，现在已无法下载。如已遗失，请重新生成。"
            )
            return redirect("accounts_2fa:index")
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        lines = [
            "govportal 管理后台两步验证恢复码",
            f"账号：{request.user.get_username()}    生成时间：{stamp}",
            "每个恢复码只能使用一次。请离线妥善保存，不要与他人共享。",
            "",
            *codes,
            "",
        ]
        response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="govportal-recovery-codes.txt"'
        response["Cache-Control"] = "no-store"
        return response


def _code_from(request, prefix: str):
    form = CodeForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return form, False
    device = twofactor.confirmed_device(request.user)
    ok = device is not None and twofactor._totp_matches(device, form.cleaned_data["code"])
    if not ok:
        form.add_error("code", "验证码不正确，请输入身份验证器中当前显示的 6 位数字。")
    return form, ok


class CodeActionView(IndexView):
    """A change to one's own two-factor login that needs a current code (``prefix`` form)."""

    prefix = ""
    action = ""

    def refuse(self, request):
        """A response when the change is not allowed at all, else ``None``."""
        return None

    def done(self, request):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        refused = self.refuse(request)
        if refused is not None:
            return refused
        form, ok = _code_from(request, self.prefix)
        if ok:
            return self.done(request)
        record(
            self.action,
            request=request,
            obj=request.user,
            outcome=Outcome.FAILURE,
            reason="wrong_code",
        )
        return self.render_to_response(self.get_context_data(**{f"{self.prefix}_form": form}))


class RegenerateView(CodeActionView):
    prefix = "regenerate"
    action = "2fa.recovery_regenerate"

    def done(self, request):
        twofactor.regenerate_recovery_codes(request)
        messages.success(request, "已生成新的恢复码，旧的恢复码全部作废。")
        return redirect("accounts_2fa:recovery")


class RemoveView(CodeActionView):
    prefix = "remove"
    action = "2fa.remove"

    def refuse(self, request):
        if not twofactor.is_required(request.user, request):
            return None
        record(
            self.action,
            request=request,
            obj=request.user,
            outcome=Outcome.DENIED,
            reason="required_by_role",
        )
        messages.error(request, REQUIRED)
        return redirect("accounts_2fa:index")

    def done(self, request):
        twofactor.remove(request)
        messages.success(request, "两步验证已停用。今后登录只需密码。")
        return redirect("wagtailadmin_account")


class VerifyView(View):
    """The code step after the password (a page of its own, like the login page)."""

    template_name = "accounts/twofactor/verify.html"

    def render(self, request, form, error=None):
        return TemplateResponse(
            request,
            self.template_name,
            {"form": form, "error": error, "next": _safe_next(request, "")},
        )

    def _locked(self, request, until):
        messages.error(request, LOCKED.format(time=timezone.localtime(until).strftime("%H:%M")))
        return redirect("wagtailadmin_login")

    def get(self, request):
        if twofactor.is_verified(request.user) or not twofactor.is_enrolled(request.user):
            return redirect(_safe_next(request, reverse("wagtailadmin_home")))
        until = twofactor.locked_until(request.user)
        if until is not None:
            logout(request)
            return self._locked(request, until)
        return self.render(request, CodeForm(verify=True))

    def post(self, request):
        if twofactor.is_verified(request.user) or not twofactor.is_enrolled(request.user):
            return redirect(_safe_next(request, reverse("wagtailadmin_home")))
        form = CodeForm(request.POST, verify=True)
        if not form.is_valid():
            return self.render(request, form)
        outcome, detail = twofactor.verify(request, form.cleaned_data["code"])
        if outcome == "locked":
            return self._locked(request, detail)
        if outcome == "ok":
            if detail == "recovery":
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"您使用了一个恢复码（已作废），还剩 {left} 个。"
                    "如手机已遗失，请尽快在“两步验证”页面重新设置。",
                )
            return redirect(_safe_next(request, reverse("wagtailadmin_home")))
        minutes = settings.GOVPORTAL_2FA_LOCKOUT_MINUTES
        return self.render(
            request,
            CodeForm(verify=True),
            error=f"验证码不正确，请重新输入。再错 {detail} 次，两步验证将被锁定 {minutes} 分钟。",
        )


def can_reset(actor, target) -> bool:
    """Security admins (and superusers) reset others' 2FA; never their own, nor a superuser's
    unless they are one."""
    if not actor.has_perm("accounts.change_user") or actor.pk == target.pk:
        return False
    return actor.is_superuser or not target.is_superuser


class ResetView(WagtailAdminTemplateMixin, TemplateView):
    """重置两步验证: for someone who lost both phone and recovery codes."""

    template_name = "accounts/twofactor/reset.html"
    header_icon = "key"
    page_title = "重置两步验证"

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth import get_user_model
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import get_object_or_404

        self.target = get_object_or_404(get_user_model(), pk=kwargs["pk"])
        if not can_reset(request.user, self.target):
            record("2fa.reset", request=request, obj=self.target, outcome=Outcome.DENIED)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailusers_users:index"), "label": "用户"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            target=self.target, enrolled=twofactor.is_enrolled(self.target), **kwargs
        )

    def post(self, request, *args, **kwargs):
        twofactor.reset_for_user(self.target, actor_request=request)
        messages.success(
            request,
            f"已重置 {self.target.get_username()} 的两步验证。对方下次登录后需重新设置（其角色要求时）。",
        )
        return redirect("wagtailusers_users:index")
