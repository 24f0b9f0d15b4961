"""Check digits of 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714)."""

from django.core.exceptions import ValidationError

import pytest

from govportal.organizations.codes import (
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_org_code,
    make_credit_code,
    make_org_code,
    normalize_code,
    org_code_check_char,
    org_code_from_credit_code,
    validate_credit_code,
    validate_org_code,
)

# Worked by hand from the standards' weights (see codes.py).
VALID_ORG_CODES = [
    "123456788",  # Σ=201, 201 mod 11 = 3, 11−3 = 8
    "D2143569X",  # letters count 10…35; Σ=199 → 11−1 = 10 → X
    "000000000",  # Σ=0 → 11 → 0
    "M000100Y4",  # the organisation code inside 91350100M000100Y43
]
INVALID_ORG_CODES = [
    "123456789",  # wrong check digit
    "D21435691",  # X expected
    "12345678",  # too short
    "1234567880",  # too long
    "12345678Y",  # check must be a digit or X
    "1234 5678",  # space inside the body is not a character
    "",
]
VALID_CREDIT_CODES = [
    "91350100M000100Y43",  # the example printed in GB 32100 guidance
    "11990100123456788R",  # Σ=1277, 1277 mod 31 = 6, 31−6 = 25 → R
    "11990102D2143569X8",
    "119901009000000120",  # check value 0
    "11990100900000002Y",  # check value 30 → Y
]
INVALID_CREDIT_CODES = [
    "91350100M000100Y44",  # wrong check character
    "11990100123456788S",  # S is not in the GB 32100 character set
    "11990100I23456788R",  # nor is I
    "11990100123456788",  # 17 characters
    "11990100123456788RR",  # 19 characters
    "",
]


@pytest.mark.parametrize("code", VALID_ORG_CODES)
def test_valid_org_codes(code):
    assert is_valid_org_code(code)
    assert org_code_check_char(code[:8]) == code[8]
    validate_org_code(code)


@pytest.mark.parametrize("code", INVALID_ORG_CODES)
def test_invalid_org_codes(code):
    assert not is_valid_org_code(code)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes(code):
    assert is_valid_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]
    validate_credit_code(code)


@pytest.mark.parametrize("code", INVALID_CREDIT_CODES)
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_any_single_character_change_breaks_a_credit_code(code):
    from govportal.organizations.codes import CREDIT_CODE_CHARSET

    for position in range(18):
        for replacement in CREDIT_CODE_CHARSET:
            if replacement != code[position]:
                changed = code[:position] + replacement + code[position + 1 :]
                assert not is_valid_credit_code(changed), changed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误"),
        ("9135", "统一社会信用代码应为 18 位"),
        ("91350100M000100Y4O", "统一社会信用代码应为 18 位"),
    ],
)
def test_credit_code_validator_messages(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)
    assert message in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123456789", "组织机构代码校验位错误"),
        ("12345678-9", "组织机构代码校验位错误"),
        ("1234", "组织机构代码应为 9 位"),
    ],
)
def test_org_code_validator_messages(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_org_code(value)
    assert message in excinfo.value.messages[0]


def test_blank_codes_are_allowed_by_the_validators():
    validate_credit_code("")
    validate_org_code("")


def test_normalize_accepts_the_written_forms():
    assert normalize_code(" 12345678-8 ") == "123456788"
    assert normalize_code("d2143569－x") == "D2143569X"
    assert is_valid_org_code("12345678-8")


def test_generated_codes_nest():
    org_code = make_org_code("90000001")
    credit_code = make_credit_code("1", "1", "990100", org_code)
    assert is_valid_org_code(org_code) and is_valid_credit_code(credit_code)
    assert org_code_from_credit_code(credit_code) == org_code
