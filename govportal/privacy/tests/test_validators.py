"""ID-card (GB 11643) and mobile-number validation, and the form fields that use it."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

import pytest

from govportal.privacy.forms import IdCardNumberField, MobilePhoneField
from govportal.privacy.validators import (
    id_card_check_character,
    validate_id_card,
    validate_mobile,
)


def with_check(first17: str) -> str:
    return first17 + id_card_check_character(first17)


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the standard's own example
        "11010519491231002x",
        " 110105 19491231 002X ",
        with_check("44030420000229123"),  # born on 29 February of a leap year
        with_check("81000019900101123"),  # Hong Kong residence permit
        with_check("33010619851012001"),
    ],
)
def test_valid_id_cards(number):
    validate_id_card(number)


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("110105491231002", "id_card_old", "15 位的第一代身份证号码已停止使用"),
        ("1101051949123100", "id_card_length", "应为 18 位（当前 16 位）"),
        ("11010519491231002Y", "id_card_format", "最后一位为数字或 X"),
        ("1101051949123100X2", "id_card_format", "前 17 位应为数字"),
        (with_check("00010519491231002"), "id_card_region", "地区代码"),
        (with_check("11010519490231002"), "id_card_birth_date", "出生日期无效"),  # 31 Feb
        (with_check("11010518991231002"), "id_card_birth_date", "出生日期无效"),  # before 1900
        (with_check("11010521000101002"), "id_card_birth_date", "出生日期无效"),  # future
        (with_check("44030420010229123"), "id_card_birth_date", "出生日期无效"),  # 2001 not leap
        ("110105194912310021", "id_card_checksum", "校验位不正确"),
        ("", "id_card_length", "当前 0 位"),
    ],
)
def test_invalid_id_cards(number, code, message):
    with pytest.raises(ValidationError) as error:
        validate_id_card(number)
    assert error.value.code == code
    assert message in error.value.messages[0]


def test_future_birth_date_is_relative_to_today():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        validate_id_card(with_check(f"110105{tomorrow:%Y%m%d}002"))


@pytest.mark.parametrize(
    "number",
    [
        "13812341234",
        "19912341234",
        "+86 138 1234 1234",
        "0086-138-1234-1234",
        "１３８１２３４１２３４",
    ],
)
def test_valid_mobiles(number):
    validate_mobile(number)


@pytest.mark.parametrize(
    "number",
    ["12812341234", "1381234123", "138123412345", "0571-88765678", "abc", "", "+1 212 555 0100"],
)
def test_invalid_mobiles(number):
    with pytest.raises(ValidationError) as error:
        validate_mobile(number)
    assert error.value.messages == ["请输入有效的 11 位手机号码（以 1 开头，如 13800138000）。"]


class ApplicantForm(forms.Form):
    id_card = IdCardNumberField()
    phone = MobilePhoneField()


def test_form_fields_normalise_what_was_typed():
    form = ApplicantForm({"id_card": " 110105 19491231 002x ", "phone": "+86 138-1234-1234"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"id_card": "11010519491231002X", "phone": "13812341234"}


def test_form_fields_explain_errors_and_keep_the_input():
    form = ApplicantForm({"id_card": "110105194912310021", "phone": "1381234"})
    assert not form.is_valid()
    assert form.errors["id_card"] == ["身份证号码校验位不正确，请核对是否有输错的数字。"]
    assert form.errors["phone"] == ["请输入有效的 11 位手机号码（以 1 开头，如 13800138000）。"]
    html = str(form["id_card"])
    assert 'value="110105194912310021"' in html and 'autocomplete="off"' in html

    empty = ApplicantForm({})
    assert not empty.is_valid()
    assert empty.errors == {"id_card": ["请填写身份证号码。"], "phone": ["请填写手机号码。"]}
