"""Organisations (组织机构): the tree of governments, departments, districts and towns.

Staff belong to organisations (:class:`Membership`); sites belong to one
(:class:`SiteOrganization`). The tree is a materialised path (django-treebeard), so a
subtree is one ``path LIKE 'prefix%'`` query.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from treebeard.mp_tree import MP_Node

from .codes import (
    normalize_code,
    org_code_from_credit_code,
    validate_credit_code,
    validate_org_code,
)

postcode_validator = RegexValidator(r"^\d{6}$", "邮编应为 6 位数字")


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", "政府"
    DEPARTMENT = "department", "部门"
    DISTRICT = "district", "区县"
    TOWN = "town", "乡镇街道"
    OTHER = "other", "其他"


class Organization(MP_Node):
    """组织机构: one unit of government, placed in the tree under its superior unit."""

    name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField(
        "类型", max_length=20, choices=OrganizationKind, default=OrganizationKind.DEPARTMENT
    )
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="18 位，GB 32100-2015。与组织机构代码至少填写一项。",
    )
    org_code = models.CharField(
        "组织机构代码",
        max_length=9,
        blank=True,
        validators=[validate_org_code],
        help_text="9 位，GB 11714（可写作 12345678-9）。",
    )
    phone = models.CharField("联系电话", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True, validators=[postcode_validator])
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("网站", blank=True)
    sort_order = models.PositiveIntegerField(
        "排序", default=0, help_text="同级单位中数字小的在前。"
    )
    is_active = models.BooleanField("启用", default=True)

    node_order_by = ["sort_order", "name"]

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organizations_unique_credit_code",
                violation_error_message="该统一社会信用代码已被其他组织机构使用",
            ),
            models.UniqueConstraint(
                fields=["org_code"],
                condition=~Q(org_code=""),
                name="organizations_unique_org_code",
                violation_error_message="该组织机构代码已被其他组织机构使用",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalize_code(self.credit_code)
        self.org_code = normalize_code(self.org_code)
        if not self.credit_code and not self.org_code:
            raise ValidationError("统一社会信用代码和组织机构代码至少填写一项")
        if (
            self.credit_code
            and self.org_code
            and len(self.credit_code) == 18
            and org_code_from_credit_code(self.credit_code) != self.org_code
        ):
            raise ValidationError(
                "组织机构代码与统一社会信用代码第 9–17 位不一致", code="code_mismatch"
            )

    @property
    def code_for_index(self) -> str:
        """The organisation code used in 索引号: 组织机构代码, else credit-code chars 9–17."""
        if self.org_code:
            return self.org_code
        if self.credit_code:
            return org_code_from_credit_code(self.credit_code)
        return ""

    def tree_label(self) -> str:
        """The name indented by depth, for listings and choosers."""
        return "\u3000" * (self.depth - 1) + ("└ " if self.depth > 1 else "") + self.name

    tree_label.short_description = "全称"
    tree_label.admin_order_field = "path"

    def parent_name(self) -> str:
        parent = self.get_parent()
        return parent.name if parent else ""

    parent_name.short_description = "上级单位"


class Membership(models.Model):
    """A staff user's place in an organisation (所属单位), with their position."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_memberships",
        verbose_name="用户",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name="组织机构"
    )
    is_primary = models.BooleanField("主要单位", default=False)
    position = models.CharField("职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "所属单位"
        verbose_name_plural = "所属单位"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organizations_unique_membership"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_primary=True),
                name="organizations_one_primary_membership",
                violation_error_message="每个用户只能有一个主要单位",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class SiteOrganization(models.Model):
    """The organisation that owns a site (网站的主办单位 in the site group)."""

    site = models.OneToOneField(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        related_name="organization_link",
        verbose_name="站点",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="site_links", verbose_name="组织机构"
    )

    class Meta:
        verbose_name = "站点所属单位"
        verbose_name_plural = "站点所属单位"

    def __str__(self) -> str:
        return f"{self.site} → {self.organization}"
