"""Masking helpers: what a visitor sees of personal data on public pages and lists."""

from django.template import Context, Template
from django.utils.safestring import mark_safe

import pytest

from govportal.privacy.masking import (
    mask_address,
    mask_email,
    mask_id_card,
    mask_name,
    mask_phone,
    mask_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三丰", "张**"),
        ("张三", "张*"),
        (" 李四 ", "李*"),
        ("张 三 丰", "张**"),  # typed with spaces
        ("王", "*"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳修", "欧阳*"),
        ("司马", "司*"),  # two characters: the compound surname is the whole name
        ("阿卜杜拉·买买提", "阿***·***"),
        ("John Smith", "J*** *****"),
        ("  Li  Lei ", "L* ***"),
        ("J", "*"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_mask_name(value, expected):
    assert mask_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138****1234"),
        ("138-1234-1234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("+8613812341234", "138****1234"),
        ("008613812341234", "138****1234"),
        ("8613812341234", "138****1234"),
        ("１３８１２３４１２３４", "138****1234"),  # full-width digits
        ("0571-88765678", "0571-****5678"),
        ("057188765678", "0571-****5678"),
        ("(0571)88765678", "0571-****5678"),
        ("（0571）8876 5678", "0571-****5678"),
        ("010-12345678", "010-****5678"),
        ("02112345678", "021-****5678"),
        ("0571-88765678转801", "0571-****5678"),
        ("88765678", "****5678"),
        ("400-810-8888", "****8888"),
        ("12345", "*****"),
        ("不详", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("110101199003071234", "1101**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("11010519491231002x", "1101**********002X"),
        (" 1101 0519 4912 3100 2X ", "1101**********002X"),
        ("110105491231002", "1101*******1002"),  # 15-digit first-generation number
        ("E12345678", "E1*****78"),  # passport
        ("12345", "1***5"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_card(value, expected):
    assert mask_id_card(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
        ("浙江省 杭州市 西湖区 文三路 90 号", "浙江省杭州市西湖区****"),
        ("北京市海淀区中关村大街1号", "北京市海淀区****"),
        ("上海市浦东新区世纪大道100号", "上海市浦东新区****"),
        ("杭州市余杭区五常街道", "杭州市余杭区****"),
        ("浙江省义乌市稠城街道", "浙江省义乌市****"),  # county-level city under a province
        ("湖北省恩施土家族苗族自治州恩施市舞阳坝街道", "湖北省恩施土家族苗族自治州恩施市****"),
        ("山东省济南市市中区经四路", "山东省济南市市中区****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区", "新疆维吾尔自治区乌鲁木齐市天山区"),
        ("内蒙古自治区锡林郭勒盟正蓝旗上都镇", "内蒙古自治区锡林郭勒盟正蓝旗****"),
        ("浙江省杭州市文三路90号", "浙江省杭州市****"),  # no district: the street is masked
        ("杭州市阳光花园小区3幢", "杭州市****"),  # a 小区 is not a district
        ("浙江省杭州市华联超市", "浙江省杭州市****"),  # nor is a 超市 a city
        ("文三路90号", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address(value, expected):
    assert mask_address(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zhangsan@example.com", "z***@example.com"),
        (" Li.Lei@mail.example.gov.cn ", "L***@mail.example.gov.cn"),
        ("a@b.cn", "a***@b.cn"),
        ("not-an-email", "****"),
        ("@example.com", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_email(value, expected):
    assert mask_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "我的身份证号是11010519491231002X，电话13812341234。",
            "我的身份证号是1101**********002X，电话138****1234。",
        ),
        ("旧证号110105491231002。", "旧证号1101*******1002。"),
        (
            "请拨打 +86 138-1234-1234 或 0571-88765678 联系",
            "请拨打 138****1234 或 0571-****5678 联系",
        ),
        ("手机 １３８１２３４１２３４", "手机 138****1234"),
        ("邮箱：zhangsan@example.com；", "邮箱：z***@example.com；"),
        ("13812341234@163.com", "1***@163.com"),  # an e-mail, not a phone number
        # Numbers that are no personal data stay as written.
        ("索引号 11330000002482410T/2023-00123，金额12345678元，2024年", None),
        ("热线12345，文号浙政发〔2023〕15号", None),
        ("订单号 1381234123412", None),  # 13 digits: not a mobile number
        ("", ""),
        (None, ""),
    ],
)
def test_mask_text(value, expected):
    assert mask_text(value) == (value if expected is None else expected)


def test_template_filters():
    template = Template(
        "{% load privacy %}{{ name|mask_name }} {{ phone|mask_phone }} {{ id|mask_id_card }} "
        "{{ address|mask_address }} {{ email|mask_email }} | {{ body|mask_text }} | {{ html|mask_text }}"
    )
    html = template.render(
        Context(
            {
                "name": "张三丰",
                "phone": "13812341234",
                "id": "11010519491231002X",
                "address": "浙江省杭州市西湖区文三路90号",
                "email": "zhangsan@example.com",
                "body": "<b>电话13812341234</b>",
                "html": mark_safe("<p>电话13812341234</p>"),  # noqa: S308 — test input
            }
        )
    )
    assert html == (
        "张** 138****1234 1101**********002X 浙江省杭州市西湖区**** z***@example.com | "
        "&lt;b&gt;电话138****1234&lt;/b&gt; | <p>电话138****1234</p>"
    )
