"""Validation of ID-card numbers (GB 11643) and mainland mobile numbers, with Chinese messages."""

import datetime
import re

from django.core.exceptions import ValidationError

from .normalize import normalize_id_card, normalize_phone

# GB 11643-1999 check character: ISO 7064 MOD 11-2 over the first 17 digits.
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK_CHARACTERS = "10X98765432"
# Province-level codes of GB/T 2260 (first two digits of the address code), plus 81/82/83
# (residence permits of Hong Kong, Macao and Taiwan residents).
PROVINCE_CODES = frozenset(str(code) for code in (
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
))  # fmt: skip
_ID_CARD_SHAPE = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_card_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_CARD_WEIGHTS, strict=True))
    return ID_CARD_CHECK_CHARACTERS[total % 11]


def id_card_birth_date(number: str) -> datetime.date | None:
    """The birth date encoded in an 18-character number, or None if it is no real date."""
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born.year < 1900 or born > datetime.date.today():
        return None
    return born


def validate_id_card(value: str) -> None:
    """An 18-character resident ID number: shape, region, birth date and check character."""
    number = normalize_id_card(value)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            "15 位的第一代身份证号码已停止使用，请填写 18 位身份证号码。", code="id_card_old"
        )
    if len(number) != 18:
        raise ValidationError(
            "身份证号码应为 18 位（当前 %(length)d 位）。",
            code="id_card_length",
            params={"length": len(number)},
        )
    if not _ID_CARD_SHAPE.match(number):
        raise ValidationError(
            "身份证号码格式不正确：前 17 位应为数字，最后一位为数字或 X。", code="id_card_format"
        )
    # Foreigners' permanent residence ID cards (2023 edition) start with 9 and share the layout.
    if number[:2] not in PROVINCE_CODES and not number.startswith("9"):
        raise ValidationError("身份证号码前两位不是有效的地区代码。", code="id_card_region")
    if id_card_birth_date(number) is None:
        raise ValidationError("身份证号码中的出生日期无效，请核对。", code="id_card_birth_date")
    if id_card_check_character(number[:17]) != number[17]:
        raise ValidationError(
            "身份证号码校验位不正确，请核对是否有输错的数字。", code="id_card_checksum"
        )


def is_valid_id_card(value: str) -> bool:
    try:
        validate_id_card(value)
    except ValidationError:
        return False
    return True


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting 13–19; +86 / 0086 and separators allowed."""
    number = normalize_phone(value)
    if not MOBILE_PATTERN.match(number):
        raise ValidationError(
            "请输入有效的 11 位手机号码（以 1 开头，如 13800138000）。", code="mobile"
        )
