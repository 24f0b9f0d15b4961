"""Organisation identifiers and their check digits.

* 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters —
  registration authority (1), organisation category (1), administrative division (6),
  the organisation's 组织机构代码 (9) and a check character (1).
* 组织机构代码 (organisation code), GB 11714-1997: 8 body characters and a check
  character, often written ``12345678-9``.

Both check characters are computed here from the standards' weights; the generators are
used by the demo data and the tests to make valid fictional codes.
"""

from django.core.exceptions import ValidationError

# GB 32100-2015: the 31 characters allowed (no I, O, S, V, Z), valued 0…30 in this order.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997: body characters are digits or capital letters (A=10 … Z=35).
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_code(value: str | None) -> str:
    """Upper-case and drop spaces and hyphens (``1234567-8`` → ``12345678``)."""
    if not value:
        return ""
    return "".join(str(value).split()).replace("-", "").replace("－", "").upper()


# -- 组织机构代码 ------------------------------------------------------------------------------


def org_code_check_char(body: str) -> str:
    """The check character for the first 8 characters of an organisation code."""
    if len(body) != 8 or any(c not in ORG_CODE_CHARSET for c in body):
        raise ValueError(f"organisation code body must be 8 digits/capitals: {body!r}")
    total = sum(ORG_CODE_CHARSET.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def is_valid_org_code(code: str) -> bool:
    code = normalize_code(code)
    if len(code) != 9 or any(c not in ORG_CODE_CHARSET for c in code[:8]):
        return False
    return org_code_check_char(code[:8]) == code[8]


def make_org_code(body: str) -> str:
    """A complete organisation code from its 8 body characters."""
    body = normalize_code(body)
    return body + org_code_check_char(body)


def validate_org_code(value: str) -> None:
    code = normalize_code(value)
    if not code:
        return
    if len(code) != 9 or any(c not in ORG_CODE_CHARSET for c in code):
        raise ValidationError(
            "组织机构代码应为 9 位数字或大写字母（可写作 12345678-9）", code="org_code_format"
        )
    if not is_valid_org_code(code):
        raise ValidationError("组织机构代码校验位错误", code="org_code_checksum")


# -- 统一社会信用代码 --------------------------------------------------------------------------


def credit_code_check_char(body: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if len(body) != 17 or any(c not in CREDIT_CODE_CHARSET for c in body):
        raise ValueError(f"credit code body must be 17 characters of GB 32100: {body!r}")
    total = sum(
        CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = normalize_code(code)
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARSET for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def make_credit_code(authority: str, category: str, division: str, org_code: str) -> str:
    """A complete credit code: 登记管理部门码, 机构类别码, 6-digit 行政区划码, 组织机构代码."""
    body = f"{authority}{category}{division}{normalize_code(org_code)}"
    return body + credit_code_check_char(body)


def validate_credit_code(value: str) -> None:
    code = normalize_code(value)
    if not code:
        return
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARSET for c in code):
        raise ValidationError(
            "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）",
            code="credit_code_format",
        )
    if not is_valid_credit_code(code):
        raise ValidationError("统一社会信用代码校验位错误", code="credit_code_checksum")


def org_code_from_credit_code(code: str) -> str:
    """Characters 9–17 of a credit code: the organisation code it embeds."""
    return normalize_code(code)[8:17]
