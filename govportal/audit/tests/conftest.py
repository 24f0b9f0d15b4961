from django.contrib.auth.models import Group
from django.db import connection

import pytest

from govportal.audit.models import AuditRecord
from govportal.audit.services import AUDIT_GROUP
from govportal.conftest import make_user

IS_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL")


def head_seq() -> int:
    return AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


class NewRecords:
    """The records written since it was created: ``new.all()``, ``new.one(action)``."""

    def __init__(self):
        self.mark = head_seq()

    def all(self, action=None):
        records = AuditRecord.objects.filter(seq__gt=self.mark).order_by("seq")
        if action is not None:
            records = records.filter(action=action)
        return list(records)

    def actions(self) -> list[str]:
        return [r.action for r in self.all()]

    def one(self, action) -> AuditRecord:
        found = self.all(action)
        assert len(found) == 1, (action, [(r.action, r.object_repr) for r in self.all()])
        return found[0]


def tamper(sql: str, params=()) -> None:
    """Change the table behind the application's back, as someone with database access.

    On PostgreSQL that means bypassing the append-only trigger (superuser only).
    """
    with connection.cursor() as cursor:
        if IS_POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if IS_POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def auditor(db):
    return make_user("auditor_x", Group.objects.get(name=AUDIT_GROUP), is_staff=True)
