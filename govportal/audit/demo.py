"""Demo audit admin: ``auditor`` (password as every demo account), member of 审计管理员.

Called from ``DemoBuilder.build()``; idempotent. The demo's own loading (accounts, roles,
publications, 信息报送) already fills the trail, so the auditor has something to read.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .services import AUDIT_GROUP

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — documented demo login, embedded run only


def build_demo_audit(stdout=None):
    group = Group.objects.get(name=AUDIT_GROUP)  # created by migration audit 0003
    User = get_user_model()
    user = User.objects.filter(username="auditor").first()
    if user is None:
        user = User(
            username="auditor",
            display_name="审计管理员（演示）",
            first_name="审计管理员",
            email="auditor@example.gov.cn",
            is_staff=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    if stdout is not None:
        stdout.write(
            "  审计: auditor (审计管理员) can read, search, export and verify the audit trail"
        )
    return user
