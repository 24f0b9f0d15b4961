from django.contrib.auth import authenticate

from govportal.audit.demo import DEMO_PASSWORD, build_demo_audit
from govportal.audit.services import is_audit_admin


def test_demo_auditor_is_an_audit_admin_and_idempotent(db, rf):
    user = build_demo_audit()
    assert build_demo_audit().pk == user.pk
    assert is_audit_admin(user) and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["审计管理员"]
    request = rf.post("/admin/login/")
    assert authenticate(request, username="auditor", password=DEMO_PASSWORD) == user
