"""Demo 三员: ``sysadmin`` (系统管理员), ``secadmin`` (安全管理员) and ``auditor`` (审计管理员).

Called from ``load_demo_data`` after :func:`govportal.audit.demo.build_demo_audit` (which
creates ``auditor``); idempotent. The demo's two-factor policy requires 2FA of the three
roles only, and their accounts are enrolled with one fixed, published TOTP secret so that a
reviewer can add it to an authenticator app. Embedded demo only: ``check --deploy`` fails
on a database holding these accounts' password.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles, twofactor
from .models import TwoFactorPolicy

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — documented demo login, embedded run only
# Base32, as authenticator apps take it ("enter a setup key"). Published: demo only.
DEMO_TOTP_SECRET = "GOVPORTALDEMOTOTPKEY234567ABCDEF"  # noqa: S105

ACCOUNTS = [
    ("sysadmin", "系统管理员（演示）", roles.SYSTEM_ADMINS),
    ("secadmin", "安全管理员（演示）", roles.SECURITY_ADMINS),
    ("auditor", "审计管理员（演示）", roles.AUDIT_ADMINS),
]


def build_demo_security(stdout=None):
    User = get_user_model()
    people = {}
    for username, display_name, role in ACCOUNTS:
        group = Group.objects.get(name=role)  # migrations accounts 0004 and audit 0003
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display_name,
                first_name=display_name,
                email=f"{username}@example.gov.cn",
                is_staff=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        twofactor.enrol_with_secret(user, DEMO_TOTP_SECRET)
        people[username] = user

    policy = TwoFactorPolicy.load()
    policy.require_superusers = False
    policy.require_operators = False
    policy.save()
    policy.required_groups.set(Group.objects.filter(name__in=roles.ROLE_GROUPS))

    if stdout is not None:
        stdout.write(
            "  三员: sysadmin (系统管理员), secadmin (安全管理员), auditor (审计管理员) — "
            "two-factor login required; authenticator secret (TOTP, base32) "
            f"{DEMO_TOTP_SECRET}"
        )
    return people
