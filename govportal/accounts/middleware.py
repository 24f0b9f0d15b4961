"""Staff session rules (等保 三级): idle timeout, the two-factor step, password rotation.

Runs after authentication, django-otp's ``OTPMiddleware`` and messages. For a signed-in
staff account (one that may use the admin; citizens are left alone):

1. **Idle timeout** — after ``GOVPORTAL_IDLE_TIMEOUT_MINUTES`` without a request the session
   is logged out (audited ``auth.idle_logout``) and the login page says why. The time of the
   last request is kept in the session, written at most once a minute; Wagtail's
   editing-session pings do not count as activity.
2. **Two-factor step** — an enrolled user who has not entered a code in this session is sent
   to ``/admin/2fa/verify/`` from every admin page; a user whose role requires 2FA and has no
   authenticator is sent to enrolment. Outside the admin such a half-signed-in session is
   treated as anonymous.
3. **Password rotation** — an expired password (``GOVPORTAL_PASSWORD_MAX_AGE_DAYS``) sends
   the user to the account page's password form until it is changed.
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from govportal.audit.services import record

from . import twofactor

LAST_ACTIVITY = "_govportal_last_activity"
STAFF_FLAG = "_govportal_staff"
WRITE_EVERY = 60  # seconds: refresh the activity stamp at most once a minute
IDLE_MESSAGE = "由于长时间未操作，您已安全退出，请重新登录。"
PASSWORD_EXPIRED = "您的密码已超过 {days} 天未更换。为了账号安全，请先在本页下方“密码”栏修改密码，再继续使用管理后台。"  # noqa: S105 — a message, not a password
PASSWORD_SET_BY_ADMIN = "您的密码由管理员设置。为了账号安全，请先在本页下方“密码”栏改为只有您自己知道的密码，再继续使用管理后台。"  # noqa: S105 — a message, not a password
ENROL_REQUIRED = (
    "您的角色要求使用两步验证。请先用手机上的身份验证器应用完成设置，再继续使用管理后台。"
)


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    @cached_property
    def always_open(self) -> tuple[str, ...]:
        """Admin paths a half-signed-in session may use: sign in/out, scripts, icons."""
        return (
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_javascript_catalog"),
            reverse("wagtailadmin_sprite"),
            reverse("wagtailadmin_password_reset"),
        )

    @cached_property
    def paths(self) -> dict[str, str]:
        return {
            "verify": reverse("accounts_2fa:verify"),
            "setup": reverse("accounts_2fa:index"),
            "reset": reverse("accounts_2fa:index") + "reset/",
            "account": reverse("wagtailadmin_account"),
            "ping": reverse("wagtailadmin_home") + "editing-sessions/",
        }

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        in_admin = path.startswith(self.admin_prefix)
        if not self._is_staff(request, user, in_admin):
            return self.get_response(request)

        if self._idle_expired(request, path):
            record("auth.idle_logout", request=request, user=user, obj=user)
            logout(request)
            messages.info(request, IDLE_MESSAGE)
            if in_admin and not path.startswith(self.always_open):
                return redirect(
                    f"{reverse('wagtailadmin_login')}?next={quote(request.get_full_path())}"
                )
            return self.get_response(request)

        if in_admin and path.startswith(self.always_open):
            return self.get_response(request)

        state = self._pending(request, user)
        if state in ("verify", "enrol"):
            if not in_admin:
                request.user = AnonymousUser()
                return self.get_response(request)
            if state == "verify" and not path.startswith(self.paths["verify"]):
                return redirect(f"{self.paths['verify']}?next={quote(request.get_full_path())}")
            if state == "enrol" and (
                not path.startswith(self.paths["setup"]) or path.startswith(self.paths["reset"])
            ):
                messages.warning(request, ENROL_REQUIRED)
                return redirect(self.paths["setup"])
            return self.get_response(request)

        if (
            in_admin
            and self._password_expired(user)
            and not path.startswith((self.paths["account"], self.paths["setup"]))
        ):
            if getattr(user, "must_change_password", False):
                messages.warning(request, PASSWORD_SET_BY_ADMIN)
            else:
                messages.warning(
                    request, PASSWORD_EXPIRED.format(days=settings.GOVPORTAL_PASSWORD_MAX_AGE_DAYS)
                )
            return redirect(self.paths["account"])
        return self.get_response(request)

    # -- helpers ---------------------------------------------------------------------------

    def _is_staff(self, request, user, in_admin: bool) -> bool:
        """Fresh in the admin (permissions are loaded there anyway); remembered elsewhere."""
        session = request.session
        if in_admin:
            staff = twofactor.is_staff_account(user)
            if session.get(STAFF_FLAG) != staff:
                session[STAFF_FLAG] = staff
            return staff
        staff = session.get(STAFF_FLAG)
        if staff is None:
            staff = session[STAFF_FLAG] = twofactor.is_staff_account(user)
        return staff

    def _idle_expired(self, request, path: str) -> bool:
        minutes = getattr(settings, "GOVPORTAL_IDLE_TIMEOUT_MINUTES", 0)
        if not minutes:
            return False
        now = int(time.time())
        session = request.session
        last = session.get(LAST_ACTIVITY)
        if last is not None and now - last > minutes * 60:
            return True
        if (last is None or now - last >= WRITE_EVERY) and not path.startswith(self.paths["ping"]):
            session[LAST_ACTIVITY] = now
        return False

    def _pending(self, request, user) -> str | None:
        if twofactor.is_verified(user):
            return None
        if twofactor.is_enrolled(user):
            return "verify"
        if twofactor.is_required(user, request):
            return "enrol"
        return None

    def _password_expired(self, user) -> bool:
        expired = getattr(user, "password_expired", None)
        return bool(expired and expired())
