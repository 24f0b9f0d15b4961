"""The audit trail (审计日志): one append-only, hash-chained table.

Each :class:`AuditRecord` carries the SHA-256 of its own fields and of the previous
record's hash (:mod:`govportal.audit.chain`), so changing or removing any record breaks
the chain at that point. Python refuses updates and deletes here; on PostgreSQL a trigger
refuses them in the database too (migration 0002), except for retention pruning.
"""

from django.conf import settings
from django.db import models

from .actions import label_for


class AuditRecordImmutable(RuntimeError):
    """Raised on any attempt to change or delete an audit record."""


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRecordImmutable("审计记录只能追加，不能修改。")

    def delete(self):
        raise AuditRecordImmutable("审计记录只能追加，不能删除（过期记录由 audit_prune 清理）。")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditRecordImmutable("审计记录只能追加，不能修改。")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditRecordImmutable("审计记录只能通过 audit.record() 逐条追加。")


class AuditRecord(models.Model):
    """One audited event: who (user, role, IP), what (action, object), outcome, when."""

    seq = models.BigIntegerField("序号", primary_key=True)
    time = models.DateTimeField("时间", db_index=True)
    # The link to the account is a convenience; ``username`` (hashed) is the evidence.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    roles = models.CharField("角色", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("来源IP", null=True, blank=True, db_index=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    extra = models.JSONField("附加信息", default=dict, blank=True)
    prev_hash = models.CharField("前一条记录哈希", max_length=64)
    hash = models.CharField("本条记录哈希", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        default_permissions = ()
        # Deliberately not implied by is_superuser in our checks (三员分立): see access.py.
        permissions = [("view_auditrecord", "查阅审计日志")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action_label} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if not getattr(self, "_appending", False) or not self._state.adding:
            raise AuditRecordImmutable("审计记录只能通过 audit.record() 追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordImmutable("审计记录只能追加，不能删除（过期记录由 audit_prune 清理）。")

    @property
    def action_label(self) -> str:
        return label_for(self.action)
