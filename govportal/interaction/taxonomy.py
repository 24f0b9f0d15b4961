"""互动交流 classifications: mailbox kinds, letter states, assignment roles, ratings.

The closed loop of the 12345 model (REQUIREMENTS-CN.md, "Hotline / mailbox handling"):
受理 → 派单 → 办理 → 答复 (draft, review, approve) → 办结 → 回访/评价, with 督办 on overdue
cases and a hard alarm well before the inspection's 3-month limit for an unanswered
consultation. The numbers are defaults; each mailbox and category may set its own.
"""

from django.db import models


class MailboxKind(models.TextChoices):
    SECRETARY = "secretary", "书记信箱"
    MAYOR = "mayor", "市长信箱"
    HEAD = "head", "局长信箱"
    CONSULTATION = "consultation", "咨询"
    COMPLAINT = "complaint", "投诉举报"
    SUGGESTION = "suggestion", "建议"
    OTHER = "other", "其他"


#: Default answer periods in working days by mailbox kind (configurable per mailbox and
#: per category): consultations 3, complaints 15, leaders' mailboxes 10 (complex) …
DEFAULT_WORKDAYS = {
    MailboxKind.SECRETARY: 10,
    MailboxKind.MAYOR: 10,
    MailboxKind.HEAD: 10,
    MailboxKind.CONSULTATION: 3,
    MailboxKind.COMPLAINT: 15,
    MailboxKind.SUGGESTION: 15,
    MailboxKind.OTHER: 10,
}
#: Working days before the due date that count as near due (reminders to handlers).
NEAR_DUE_WORKDAYS = 2
#: An unanswered valid consultation older than 3 months fails the site inspection; the
#: platform raises a hard alarm at this many calendar days after 受理.
HARD_ALARM_DAYS = 60
#: The writer may reopen an answered letter once, within this many days of the answer.
REOPEN_DAYS = 15


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "已受理"  # accepted, waiting to be dispatched
    DISPATCHED = "dispatched", "办理中"  # at least one unit holds it
    REVIEWING = "reviewing", "答复审核中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"  # rated, or the rating period ran out
    MERGED = "merged", "已合并"  # a duplicate folded into another letter

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.SUBMITTED, cls.ACCEPTED, cls.DISPATCHED, cls.REVIEWING]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "主办单位"
    ASSIST = "assist", "协办单位"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "待签收"
    ACCEPTED = "accepted", "办理中"
    RETURN_REQUESTED = "return_requested", "申请退回"
    RETURNED = "returned", "已退回"
    DONE = "done", "已完成"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已批准"
    SENT_BACK = "sent_back", "退回修改"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class FieldType(models.TextChoices):
    """Types of the admin-defined extra fields of a mailbox's form (beyond the fixed ones)."""

    SINGLELINE = "singleline", "单行文本"
    MULTILINE = "multiline", "多行文本"
    NUMBER = "number", "数字"
    DATE = "date", "日期"
    DROPDOWN = "dropdown", "下拉选择"
    RADIO = "radio", "单选"
    CHECKBOXES = "checkboxes", "多选"
    FILE = "file", "附件"
