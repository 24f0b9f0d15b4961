"""Model fields that encrypt personal data at rest, and blind indexes to find it again.

::

    class Letter(models.Model):
        privacy_reveal_permission = "interaction.view_personal_data"

        name = EncryptedCharField("姓名", max_length=50, mask="name")
        phone = EncryptedCharField("手机号码", max_length=20, mask="phone",
                                   validators=[validate_mobile])
        phone_index = BlindIndexField(source="phone", normalize="phone")
        id_card = EncryptedCharField("身份证号码", max_length=18, mask="id_card", blank=True)
        address = EncryptedTextField("地址", blank=True, mask="address")

    lookup(Letter, "phone", "+86 138-0013-8000")   # a queryset; nothing is decrypted

The database holds ``<key id>$<token>`` (see ``keys.py``); Python code sees plain strings.
``None`` stays NULL and ``""`` stays ``""`` (blank is not a secret). An encrypted column can
only be filtered with ``isnull``: other lookups raise ``FieldError`` (a random IV means equal
values never compare equal) — use ``lookup()`` on a blind index instead. ``mask`` names the
masking helper (``masking.MASKERS``) public pages and ``reveal()`` use for the field.
"""

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models

from .keys import blind_index, blind_index_candidates, decrypt, encrypt
from .masking import MASKERS
from .normalize import NORMALIZERS

ALLOWED_LOOKUPS = frozenset({"isnull"})


class EncryptedFieldMixin:
    """Encrypt on the way to the database, decrypt on the way back."""

    def __init__(self, *args, mask: str = "all", **kwargs):
        if mask not in MASKERS:
            raise ValueError(f"unknown mask {mask!r}; choose from {sorted(MASKERS)}")
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.mask != "all":
            kwargs["mask"] = self.mask
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        # Ciphertext is longer than the plaintext ``max_length`` allows: always a text column.
        return "TextField"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.primary_key or self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "加密字段不能作为主键、唯一字段或索引（密文每次都不同）；需要查找时请加 BlindIndexField。",
                    obj=self,
                    id="privacy.E101",
                )
            )
        return errors

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        # Expressions (bulk_update's CASE …) pass through, as in Field.get_db_prep_save;
        # the plain values inside them come back here one by one.
        if value is None or value == "" or hasattr(value, "as_sql"):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name in ALLOWED_LOOKUPS:
            return super().get_lookup(lookup_name)
        where = f"{getattr(getattr(self, 'model', None), '__name__', '?')}.{self.name}"
        raise FieldError(
            f"加密字段 {where} 不能按 “{lookup_name}” 查询："
            "请为它加 BlindIndexField，并用 govportal.privacy.fields.lookup() 查找。"
        )

    def get_transform(self, lookup_name):
        return None

    def masked(self, value) -> str:
        return MASKERS[self.mask](value)


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short personal value (name, phone, ID-card number); ``max_length`` limits the plaintext."""

    description = "加密存储的短文本"


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A longer personal value (address, free text about a person)."""

    description = "加密存储的文本"


class EncryptedEmailField(EncryptedFieldMixin, models.EmailField):
    """An e-mail address, validated like ``EmailField``."""

    description = "加密存储的电子邮箱"


class BlindIndexField(models.CharField):
    """HMAC of the normalised value of an encrypted field on the same model, kept on save.

    ``normalize`` (``text``, ``phone``, ``id_card``, ``email``) decides which spellings count
    as equal. An index reveals which rows share a value, never the value. Saving with
    ``update_fields`` must list the index with its source (enforced by a ``pre_save`` check).
    """

    description = "加密字段的盲索引"

    def __init__(self, *args, source: str, normalize: str = "text", **kwargs):
        if normalize not in NORMALIZERS:
            raise ValueError(f"unknown normalize {normalize!r}; choose from {sorted(NORMALIZERS)}")
        self.source = source
        self.normalize = normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normalize != "text":
            kwargs["normalize"] = self.normalize
        # Our defaults differ from Field's: write a value out exactly when it differs from ours.
        for key, default in [("max_length", 64), ("editable", False), ("db_index", True),
                             ("null", True), ("blank", True)]:  # fmt: skip
            if getattr(self, key) == default:
                kwargs.pop(key, None)
            else:
                kwargs[key] = getattr(self, key)
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except Exception:  # noqa: BLE001 — FieldDoesNotExist; report it as a check error
            source = None
        if not isinstance(source, EncryptedFieldMixin):
            errors.append(
                checks.Error(
                    f"BlindIndexField 的 source “{self.source}” 不是本模型的加密字段。",
                    obj=self,
                    id="privacy.E102",
                )
            )
        return errors

    def compute(self, instance) -> str | None:
        normalized = NORMALIZERS[self.normalize](getattr(instance, self.source))
        return blind_index(normalized) if normalized else None

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    def candidates(self, value) -> list[str]:
        normalized = NORMALIZERS[self.normalize](value)
        return blind_index_candidates(normalized) if normalized else []


def blind_index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def lookup(model_or_queryset, field_name: str, value) -> models.QuerySet:
    """Rows whose encrypted ``field_name`` equals ``value`` (after normalising), via its index.

    Works during a key rotation: the value's index under every configured key is matched.
    """
    queryset = (
        model_or_queryset._default_manager.all()
        if isinstance(model_or_queryset, type)
        else model_or_queryset
    )
    for index in blind_index_fields(queryset.model):
        if index.source == field_name:
            candidates = index.candidates(value)
            if not candidates:
                return queryset.none()
            return queryset.filter(**{f"{index.name}__in": candidates})
    raise FieldError(f"{queryset.model.__name__}.{field_name} 没有 BlindIndexField，无法查找。")


def refuse_stale_blind_index(sender, instance, update_fields=None, raw=False, **kwargs):
    """``pre_save``: saving a source field without its index would leave the index stale."""
    if raw or not update_fields:
        return
    for index in blind_index_fields(sender):
        if index.source in update_fields and index.name not in update_fields:
            raise ValueError(
                f"保存 {sender.__name__}.{index.source} 时 update_fields 必须同时包含 {index.name}。"
            )
