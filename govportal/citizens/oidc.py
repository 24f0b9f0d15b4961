"""统一身份认证: sign-in through an OpenID Connect provider (mozilla-django-oidc).

Configured only from the environment (``GOVPORTAL_OIDC_*``, read into ``settings.GOVPORTAL_OIDC``
by ``settings/base.py``); without a client id it is off: no button, the URLs answer 404 and the
backend declines at once. Endpoints come from explicit settings or from the provider's
discovery document (``…/.well-known/openid-configuration``, fetched on first use and cached).

Accounts are found by (issuer, subject) in :class:`~govportal.citizens.models.CitizenProfile`;
a first sign-in links an existing citizen whose e-mail/mobile the provider says it verified,
or creates a new citizen. Accounts with any admin access are refused (工作人员请从管理后台登录).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from govportal.audit.models import Outcome
from govportal.audit.services import record
from govportal.privacy.normalize import normalize_email, normalize_phone
from govportal.privacy.validators import MOBILE_PATTERN

from . import services
from .models import Channel, CitizenProfile

logger = logging.getLogger(__name__)

STAFF_REFUSED = "工作人员请从管理后台登录。"
GENERIC_FAILURE = "统一身份认证登录未成功，请重试或使用其他方式登录。"
UNAVAILABLE = "统一身份认证平台暂时无法访问，请稍后再试或使用其他方式登录。"
DISCOVERY_CACHE_SECONDS = 3600


def _conf() -> dict:
    return getattr(settings, "GOVPORTAL_OIDC", None) or {}


def is_enabled() -> bool:
    """Configured enough to show the button (no network access)."""
    conf = _conf()
    if not conf.get("CLIENT_ID"):
        return False
    explicit = all(conf.get(k) for k in ("AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT"))
    return bool(explicit or conf.get("DISCOVERY_URL") or conf.get("ISSUER"))


def button_label() -> str:
    return _conf().get("BUTTON_LABEL") or "统一身份认证登录"


def discovery_url() -> str:
    conf = _conf()
    if conf.get("DISCOVERY_URL"):
        return conf["DISCOVERY_URL"]
    if conf.get("ISSUER"):
        return conf["ISSUER"].rstrip("/") + "/.well-known/openid-configuration"
    return ""


def discover() -> dict:
    """The provider's discovery document (cached); {} when endpoints are all explicit."""
    conf = _conf()
    needed = ("AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT", "JWKS_ENDPOINT")
    url = discovery_url()
    if not url or all(conf.get(k) for k in needed):
        return {}
    key = f"citizens:oidc-discovery:{url}"
    document = cache.get(key)
    if document is None:
        response = requests.get(url, timeout=conf.get("TIMEOUT", 10))
        response.raise_for_status()
        document = response.json()
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def runtime_settings() -> dict:
    """The ``OIDC_*`` settings mozilla-django-oidc reads, resolved from ``GOVPORTAL_OIDC``."""
    conf = _conf()
    document = discover()
    return {
        "OIDC_RP_CLIENT_ID": conf.get("CLIENT_ID"),
        "OIDC_RP_CLIENT_SECRET": conf.get("CLIENT_SECRET"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": conf.get("AUTHORIZATION_ENDPOINT")
        or document.get("authorization_endpoint"),
        "OIDC_OP_TOKEN_ENDPOINT": conf.get("TOKEN_ENDPOINT") or document.get("token_endpoint"),
        "OIDC_OP_USER_ENDPOINT": conf.get("USERINFO_ENDPOINT") or document.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": conf.get("JWKS_ENDPOINT") or document.get("jwks_uri"),
        "OIDC_RP_SIGN_ALGO": conf.get("SIGN_ALGO") or "RS256",
        "OIDC_RP_SCOPES": conf.get("SCOPES") or "openid profile email phone",
        "OIDC_USE_PKCE": conf.get("USE_PKCE", True),
        "OIDC_TIMEOUT": conf.get("TIMEOUT", 10),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "citizens:oidc_callback",
        "OIDC_CREATE_USER": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "ISSUER": conf.get("ISSUER") or document.get("issuer") or "",
    }


def _get_settings(attr, *args):
    resolved = runtime_settings()
    if attr in resolved:
        return resolved[attr]
    return import_from_settings(attr, *args)


class OIDCRefused(SuspiciousOperation):
    """The identity is valid but may not sign in here (staff, deactivated account)."""


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Signs citizens in with the provider's (issuer, sub); never answers permissions."""

    get_settings = staticmethod(_get_settings)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in (password ones too): read nothing and
        # touch no network until a callback from the provider actually arrives.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not is_enabled():
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            logger.warning("OIDC sign-in refused: %s", type(exc).__name__)
            return None
        except (requests.RequestException, ValueError, KeyError) as exc:
            logger.warning("OIDC sign-in failed: %s", type(exc).__name__)
            request.citizen_oidc_error = UNAVAILABLE
            return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc checks signature, expiry and nonce; add audience and issuer."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" not in kwargs:
            return payload  # a signed userinfo response, not the ID token
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        issuer = runtime_settings()["ISSUER"]
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token issuer does not match the configured issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(self.get_userinfo(access_token, id_token, payload))
        issuer = payload.get("iss") or runtime_settings()["ISSUER"]
        subject = str(payload.get("sub") or "")
        if not issuer or not subject or str(claims.get("sub", subject)) != subject:
            raise SuspiciousOperation(
                "ID token without issuer/subject or userinfo for another subject."
            )
        user, how = self._find_or_create(issuer, subject, claims)
        if services.has_admin_access(user) or not user.is_active:
            record(
                "citizen.oidc_login",
                request=self.request,
                user=user,
                obj=user,
                outcome=Outcome.DENIED,
                issuer=issuer,
                reason="staff" if user.is_active else "inactive",
            )
            self.request.citizen_oidc_error = STAFF_REFUSED if user.is_active else GENERIC_FAILURE
            raise OIDCRefused("account may not use the citizen sign-in")
        self._fill_from_claims(user, claims)
        record(
            "citizen.oidc_login", request=self.request, obj=user, user=user, issuer=issuer, how=how
        )
        return user

    # -- linking -------------------------------------------------------------------------------

    @staticmethod
    def _verified_email(claims) -> str:
        email = normalize_email(claims.get("email"))
        return email if email and claims.get("email_verified") in (True, "true") else ""

    @staticmethod
    def _verified_mobile(claims) -> str:
        phone = normalize_phone(claims.get("phone_number"))
        verified = claims.get("phone_number_verified") in (True, "true")
        return phone if verified and MOBILE_PATTERN.match(phone) else ""

    def _find_or_create(self, issuer: str, subject: str, claims) -> tuple[object, str]:
        profile = (
            CitizenProfile.objects.filter(oidc_issuer=issuer, oidc_subject=subject)
            .select_related("user")
            .first()
        )
        if profile is not None:
            return profile.user, "known"
        email = self._verified_email(claims)
        mobile = self._verified_mobile(claims)
        # The provider vouches for these contacts: the account that holds one of them is theirs.
        for channel, value in ((Channel.EMAIL, email), (Channel.SMS, mobile)):
            if not value:
                continue
            account = services.find_login_account(channel, value)
            if account is None:
                continue
            if services.has_admin_access(account) or services.citizen_profile(account) is None:
                return account, "staff"
            linked = account.citizen_profile
            if linked.oidc_subject and (linked.oidc_issuer, linked.oidc_subject) != (
                issuer,
                subject,
            ):
                continue  # already bound to another identity: do not take it over
            CitizenProfile.objects.filter(pk=linked.pk).update(
                oidc_issuer=issuer, oidc_subject=subject, updated_at=timezone.now()
            )
            return account, "linked"
        try:
            with transaction.atomic():
                user = services.register_citizen(
                    email=email
                    if email and not services.contact_taken(Channel.EMAIL, email)
                    else "",
                    mobile=mobile
                    if mobile and not services.contact_taken(Channel.SMS, mobile)
                    else "",
                    display_name=str(claims.get("nickname") or claims.get("name") or "")[:64],
                    via="oidc",
                    oidc_issuer=issuer,
                    oidc_subject=subject,
                )
        except IntegrityError:  # the same identity's first sign-in in two tabs at once
            user = CitizenProfile.objects.get(oidc_issuer=issuer, oidc_subject=subject).user
            return user, "known"
        return user, "created"

    def _fill_from_claims(self, user, claims) -> None:
        """Fill what the account lacks (never overwrite what the citizen set)."""
        if not user.display_name:
            name = str(claims.get("nickname") or claims.get("name") or "")[:64]
            if name:
                user.display_name = name
                user.save(update_fields=["display_name"])

    # -- no permissions from this backend (ModelBackend answers them) ---------------------------

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, backend=None, obj=None):
        return self.UserModel._default_manager.none()


class CitizenOIDCStartView(OIDCAuthenticationRequestView):
    """/account/oidc/authenticate/: off (404) unless configured; endpoints resolved lazily."""

    get_settings = staticmethod(_get_settings)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not is_enabled():
            raise Http404("统一身份认证未启用。")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC discovery failed: %s", type(exc).__name__)
            messages.error(request, UNAVAILABLE)
            return HttpResponseRedirect(reverse("citizens:login"))
        return super().get(request)


class CitizenOIDCCallbackView(OIDCAuthenticationCallbackView):
    """/account/oidc/callback/: back from the provider; errors go to the login page in Chinese."""

    get_settings = staticmethod(_get_settings)

    def get(self, request):
        if not is_enabled():
            raise Http404("统一身份认证未启用。")
        return super().get(request)

    @property
    def success_url(self):
        from .views import default_next

        return self.request.session.get("oidc_login_next") or default_next()

    def login_failure(self):
        messages.error(
            self.request, getattr(self.request, "citizen_oidc_error", None) or GENERIC_FAILURE
        )
        return HttpResponseRedirect(reverse("citizens:login"))

    def login_success(self):
        from .views import mark_authenticated

        response = super().login_success()
        mark_authenticated(self.request)
        return response
