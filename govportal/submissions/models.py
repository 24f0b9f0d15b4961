"""信息报送: a lower site's article offered to a higher site, adopted or declined there.

The state machine lives in :mod:`govportal.submissions.services`; this module only holds
the record. At most one *open* (已报送) submission exists per article and target site;
after a decline or withdrawal the article may be submitted again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from govportal.siteadmin.status import OpenStatusMixin


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    ADOPTED = "adopted", "已采用"
    DECLINED = "declined", "未采用"
    WITHDRAWN = "withdrawn", "已撤回"


class Submission(OpenStatusMixin, models.Model):
    """报送: one article submitted by one unit to another site's inbox."""

    open_status = SubmissionStatus.SUBMITTED
    badge_variants = {SubmissionStatus.ADOPTED: "primary", SubmissionStatus.DECLINED: "label"}

    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="报送文章",
    )
    source_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="outgoing_submissions",
        verbose_name="报送站点",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="报送单位",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="submissions",
        verbose_name="报送人",
    )
    target_site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="incoming_submissions",
        verbose_name="报送目标站点",
    )
    target_channel = models.ForeignKey(
        "content.ChannelPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="建议栏目",
    )
    note = models.TextField("报送说明", blank=True, max_length=1000)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=SubmissionStatus,
        default=SubmissionStatus.SUBMITTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decline_reason = models.TextField("未采用原因", blank=True, max_length=1000)
    adopted_page = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="采用后的文章",
    )
    created_at = models.DateTimeField("报送时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "信息报送"
        verbose_name_plural = "信息报送"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target_site"],
                condition=Q(status="submitted"),
                name="submissions_one_open_per_target",
                violation_error_message="该文章已报送到该站点，正在等待处理",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.target_site_id}（{self.get_status_display()}）"
