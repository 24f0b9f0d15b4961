"""The retention period may not be shorter than the law's six months (等保 2.0: ≥ 6 个月)."""

from django.conf import settings
from django.core.checks import Error, register

from .chain import MIN_RETENTION_DAYS


@register()
def check_retention(app_configs, **kwargs):
    value = getattr(settings, "GOVPORTAL_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    if not isinstance(value, int) or value < MIN_RETENTION_DAYS:
        return [
            Error(
                f"GOVPORTAL_AUDIT_RETENTION_DAYS is {value!r}: audit records must be kept "
                f"at least {MIN_RETENTION_DAYS} days (6 months).",
                hint=f"Set it to {MIN_RETENTION_DAYS} or more.",
                id="govportal.audit.E001",
            )
        ]
    return []


@register()
def check_trusted_proxies(app_configs, **kwargs):
    import ipaddress

    errors = []
    for value in getattr(settings, "GOVPORTAL_AUDIT_TRUSTED_PROXIES", ()):
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"GOVPORTAL_AUDIT_TRUSTED_PROXIES: {value!r} is not an IP address or network.",
                    id="govportal.audit.E002",
                )
            )
    return errors
