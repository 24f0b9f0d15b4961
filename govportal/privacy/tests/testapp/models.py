from django.conf import settings
from django.db import models

from govportal.privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
)
from govportal.privacy.validators import validate_id_card, validate_mobile


class Person(models.Model):
    """A person's details, as a case would hold them (个人信息)."""

    privacy_reveal_permission = "privacy_tests.reveal_personal_data"

    name = EncryptedCharField("姓名", max_length=50, mask="name")
    phone = EncryptedCharField(
        "手机号码", max_length=20, blank=True, mask="phone", validators=[validate_mobile]
    )
    phone_index = BlindIndexField(source="phone", normalize="phone")
    id_card = EncryptedCharField(
        "身份证号码", max_length=18, null=True, blank=True, mask="id_card",
        validators=[validate_id_card],
    )  # fmt: skip
    id_card_index = BlindIndexField(source="id_card", normalize="id_card")
    address = EncryptedTextField("地址", blank=True, mask="address")
    email = EncryptedEmailField("电子邮箱", blank=True, mask="email")
    note = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = "个人"
        permissions = [("reveal_personal_data", "查看完整个人信息")]

    def __str__(self) -> str:
        return f"个人 {self.pk}"


class Applicant(Person):
    """Multi-table inheritance: encrypted fields on the parent and on the child table."""

    employer = EncryptedCharField("工作单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "申请人"


class Letter(models.Model):
    """Per-field permissions and a per-object rule: only the handler sees the phone."""

    privacy_reveal_permission = {"phone": "privacy_tests.reveal_personal_data"}

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = EncryptedCharField("姓名", max_length=50, mask="name")
    phone = EncryptedCharField("电话", max_length=20, mask="phone")

    class Meta:
        verbose_name = "来信"

    def __str__(self) -> str:
        return f"来信 {self.pk}"

    def privacy_can_reveal(self, user, field_name: str) -> bool:
        return self.handler_id == user.pk
