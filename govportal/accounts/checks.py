"""No default or shared accounts in production (等保 三级: 账号唯一, 不得使用默认口令).

``manage.py check --deploy`` fails when an active account

* has a default-looking name (admin, administrator, root, test, guest …) and staff rights
  — accounts are personal: one named person each, so that the audit trail names them; or
* still has a known demo/default password (the demo's ``Demo@2026gov`` …).

Checking a password means hashing it, which is slow on purpose, so only a handful of
candidate accounts are tried: those with a default or demo name. The check passes on a
database without tables (CI runs it before migrating).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, Tags, register
from django.db import DatabaseError
from django.db.models import Q

DEFAULT_NAMES = {
    "admin", "administrator", "root", "test", "tester", "guest", "demo", "user",
    "system", "sa", "superuser", "manager", "webmaster", "operator",
}  # fmt: skip
DEMO_SITES = ("city", "fgw", "edu", "qingshan", "donghu", "czj", "binhe")
DEMO_NAMES = {
    "auditor", "sysadmin", "secadmin", "city_leader", "city_news_editor", "city_dept_editor",
    *(f"{site}_{role}" for site in DEMO_SITES for role in ("admin", "editor", "reviewer")),
}  # fmt: skip
KNOWN_PASSWORDS = ("Demo@2026gov", "admin", "123456")  # noqa: S105
MAX_CANDIDATES = 5


def _staff_rights(user) -> bool:
    return user.is_staff or user.is_superuser or user.groups.exists()


def default_account_errors() -> list[Error]:
    User = get_user_model()
    names = Q()
    for name in DEFAULT_NAMES | DEMO_NAMES:
        names |= Q(**{f"{User.USERNAME_FIELD}__iexact": name})
    candidates = list(
        User._default_manager.filter(names, is_active=True).order_by("pk")[: MAX_CANDIDATES * 4]
    )
    errors = []
    shared = [
        u for u in candidates if u.get_username().lower() in DEFAULT_NAMES and _staff_rights(u)
    ]
    if shared:
        errors.append(
            Error(
                "Active staff accounts with default or shared names: "
                + ", ".join(sorted(u.get_username() for u in shared))
                + ". 管理账号必须属于具体的人（不得使用 admin/root/test/guest 等默认或共用账号）。",
                hint="Create a personal account for each administrator, then deactivate or "
                "rename these (账号设置 → 用户 → 编辑 → 取消“有效”).",
                id="govportal.accounts.E001",
            )
        )
    ordered = sorted(
        candidates, key=lambda u: (u.get_username().lower() not in DEFAULT_NAMES, u.pk)
    )
    weak = [
        u.get_username()
        for u in ordered[:MAX_CANDIDATES]
        if u.has_usable_password()
        and any(check_password(password, u.password) for password in KNOWN_PASSWORDS)
    ]
    if weak:
        errors.append(
            Error(
                "Active accounts still use a known demo or default password: "
                + ", ".join(sorted(weak))
                + ". 不得使用演示或默认口令；演示数据不能用于生产环境。",
                hint="Never load the demo data into production; reset these passwords or "
                "deactivate the accounts.",
                id="govportal.accounts.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_default_accounts(app_configs, **kwargs):
    try:
        return default_account_errors()
    except DatabaseError:
        return []  # no database or no tables yet (CI checks before migrating)
