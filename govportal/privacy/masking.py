"""Masking of personal data for public pages and lists (脱敏).

Every public page and list shows personal data only through these helpers (or the
``{% load privacy %}`` filters of the same names). Each helper takes whatever a model or a
form holds — ``None``, empty or padded strings, full-width digits — and never raises.

| helper | example |
|---|---|
| ``mask_name`` | 张三丰 → 张**, 张三 → 张*, 欧阳娜娜 → 欧阳**, John Smith → J*** ***** |
| ``mask_phone`` | 13800138000 / +86 138 0013 8000 → 138****8000, 0571-88765678 → 0571-****5678 |
| ``mask_id_card`` | 110101199003071234 → 1101**********1234 (15-digit numbers alike) |
| ``mask_address`` | 浙江省杭州市西湖区文三路90号 → 浙江省杭州市西湖区**** |
| ``mask_email`` | zhangsan@example.com → z***@example.com |
| ``mask_text`` | masks ID-card, mobile and landline numbers and e-mails inside free text |
"""

import re
import unicodedata

from .normalize import normalize_id_card, normalize_phone

MASK = "*"
# What replaces a part whose length should not show (the rest of an address, a local part).
MASK_RUN = "****"

# Two-character surnames (复姓); a name starting with one keeps both characters.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐",
    "钟离", "端木", "独孤", "南宫", "西门", "申屠", "太史", "澹台", "公冶", "闻人", "濮阳", "呼延", "赫连", "万俟", "单于",
    "司空", "百里", "东郭", "左丘", "第五", "拓跋", "梁丘", "羊舌", "微生", "公羊", "公良", "乐正", "漆雕", "壤驷", "公西",
    "巫马", "谷梁", "宰父", "段干", "颛孙", "亓官", "司寇", "子车", "鲜于", "闾丘", "东门", "归海", "夹谷", "仲孙", "叔孙",
    "太叔", "淳于", "锺离", "完颜", "纳兰",
})  # fmt: skip
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NAME_SEPARATORS = frozenset(" ·•・.-'")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(
    r"^[(（]?(0\d{2,3})[)）]?[\s\-]?(\d{7,8})(?:\s*(?:-|转|ext\.?|x|#)\s*\d{1,6})?$", re.IGNORECASE
)


def _clean(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def mask_all(value) -> str:
    """Hide a value completely (what fields without a more specific mask show)."""
    return MASK_RUN if _clean(value) else ""


def mask_name(name) -> str:
    """Keep the surname: 张三丰 → 张**, 张三 → 张*, 欧阳娜娜 → 欧阳**; Latin names keep the first letter."""
    text = _clean(name)
    if not text:
        return ""
    if _CJK.search(text):
        text = "".join(text.split())
        if len(text) == 1:
            return MASK
        keep = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    else:
        text = " ".join(text.split())
        if len(text) == 1:
            return MASK
        keep = 1
    return text[:keep] + "".join(ch if ch in _NAME_SEPARATORS else MASK for ch in text[keep:])


def _split_landline(digits: str) -> tuple[str, str] | None:
    """Area code and local number of a landline written without separators."""
    if not digits.startswith("0") or not 10 <= len(digits) <= 12:
        return None
    area_length = 3 if digits[1] in "12" else 4  # 010 and 02x; all others have four digits
    local = digits[area_length:]
    return (digits[:area_length], local) if 7 <= len(local) <= 8 else None


def mask_phone(phone) -> str:
    """138****8000 for mobiles (country code dropped), 0571-****5678 for landlines."""
    text = unicodedata.normalize("NFKC", _clean(phone))
    if not text:
        return ""
    digits = normalize_phone(text)
    if _MOBILE.match(digits):
        return f"{digits[:3]}****{digits[-4:]}"
    # Without separators only the area-code rule tells 021-2345678 from 0211-2345678.
    landline = None if text.isdigit() else _LANDLINE.match(text)
    parts = landline.groups() if landline else _split_landline(digits)
    if parts:
        area, local = parts
        return f"{area}-****{local[-4:]}"
    if not digits.isdigit():
        return MASK_RUN
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"****{digits[-4:]}"
    return MASK * len(digits)


def mask_id_card(number) -> str:
    """First 4 and last 4 characters: 1101**********1234 (15-digit numbers: 1101*******1234)."""
    text = normalize_id_card(_clean(number))
    if not text:
        return ""
    if len(text) >= 12:  # 15- and 18-character resident ID numbers
        return text[:4] + MASK * (len(text) - 8) + text[-4:]
    if len(text) >= 8:  # passports and other documents: E1*****78
        return text[:2] + MASK * (len(text) - 4) + text[-2:]
    if len(text) >= 5:
        return text[0] + MASK * (len(text) - 2) + text[-1]
    return MASK * len(text)


_PROVINCE = re.compile(
    r"^(?:北京市|天津市|上海市|重庆市|香港特别行政区|澳门特别行政区|内蒙古自治区|广西壮族自治区"
    r"|西藏自治区|宁夏回族自治区|新疆维吾尔自治区|[^\d省市区县路街道巷号弄村镇乡]{2,3}省)"
)
_CITY = re.compile(r"^[^\d省市区县路街道巷号弄村镇乡]{1,8}?(?:自治州|地区|盟|市)")
_COUNTY = re.compile(
    r"^[^\d省路街道巷号弄村镇乡楼栋幢室]{1,15}?(?:自治县|自治旗|林区|特区|区|县|旗|市)"
)
# Places that end like a district or a city but are part of the street address.
_NOT_A_DIVISION = (
    "小区", "社区", "校区", "厂区", "景区", "营区", "矿区", "街区", "片区", "园区", "生活区",
    "住宅区", "宿舍区", "超市", "菜市", "夜市", "门市", "集市", "花市",
)  # fmt: skip


def _division(pattern: re.Pattern, text: str) -> str:
    match = pattern.match(text)
    if not match or match.group().endswith(_NOT_A_DIVISION):
        return ""
    return match.group()


def mask_address(address) -> str:
    """Keep province, city and district/county; mask the rest: 浙江省杭州市西湖区****."""
    text = "".join(_clean(address).split())
    if not text:
        return ""
    kept = _division(_PROVINCE, text)
    city = _division(_CITY, text[len(kept) :])
    kept += city
    kept += _division(_COUNTY, text[len(kept) :])
    if not kept:
        return MASK_RUN
    return kept + MASK_RUN if len(kept) < len(text) else kept


def mask_email(email) -> str:
    """First character of the local part and the domain: z***@example.com."""
    text = _clean(email)
    local, at, domain = text.rpartition("@")
    if not text:
        return ""
    if not at or not local or not domain:
        return MASK_RUN
    return f"{local[0]}***@{domain}"


_D = "[0-9０-９]"
_TEXT_PATTERN = re.compile(
    rf"(?P<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
    rf"|(?<![0-9０-９A-Za-z])(?P<id_card>{_D}{{17}}[0-9０-９XxＸｘ]|{_D}{{15}})(?![0-9０-９A-Za-z])"
    rf"|(?<![0-9０-９+＋])(?P<mobile>(?:[+＋]?86[\s\-]?|0086[\s\-]?)?[1１][3-9３-９]{_D}[\s\-]?{_D}{{4}}[\s\-]?{_D}{{4}})(?!{_D})"
    rf"|(?<!{_D})(?P<landline>(?:[(（][0０]{_D}{{2,3}}[)）]|[0０]{_D}{{2,3}}-){_D}{{7,8}})(?!{_D})"
)
_TEXT_MASKS = {
    "email": mask_email,
    "id_card": mask_id_card,
    "mobile": mask_phone,
    "landline": mask_phone,
}


def mask_text(text) -> str:
    """Mask ID-card numbers, mobile and landline numbers and e-mail addresses in free text.

    For letter bodies and replies shown in public; everything else is left as written.
    """
    if text is None:
        return ""

    def replace(match: re.Match) -> str:
        return _TEXT_MASKS[match.lastgroup](match.group())

    return _TEXT_PATTERN.sub(replace, str(text))


MASKERS = {
    "all": mask_all,
    "name": mask_name,
    "phone": mask_phone,
    "id_card": mask_id_card,
    "address": mask_address,
    "email": mask_email,
    "text": mask_text,
}
