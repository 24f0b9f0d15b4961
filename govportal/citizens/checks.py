"""Deployment checks of citizen accounts (``manage.py check --deploy``).

Info, not a warning: a site that registers citizens by e-mail only needs no SMS gateway, and
``make check-deploy`` fails on warnings.
"""

from django.conf import settings
from django.core import checks

from .sms import DEFAULT_BACKEND, DEVELOPMENT_BACKENDS


@checks.register(checks.Tags.security, deploy=True)
def check_sms_backend(app_configs=None, **kwargs):
    backend = getattr(settings, "GOVPORTAL_SMS_BACKEND", None) or DEFAULT_BACKEND
    if backend in DEVELOPMENT_BACKENDS:
        return [
            checks.Info(
                f"短信发送仍是开发用的 {backend}：验证码不会发到用户手机。",
                hint="设置环境变量 GOVPORTAL_SMS_BACKEND 为短信网关的发送类（见 govportal/citizens/sms.py）。",
                id="citizens.I001",
            )
        ]
    return []
