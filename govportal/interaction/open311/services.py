"""Open311 GeoReport v2 over 来信: jurisdictions, services, service requests and tokens.

* **jurisdiction** = a site (``jurisdiction_id`` is its host name); without one, the site
  serving the request's host.
* **service** = a location-based :class:`~..models.LetterCategory` (按位置受理) of an open,
  live mailbox of that site; ``service_code`` is the category's id, ``group`` the mailbox.
  Its mailbox's extra form fields (except attachments) are the service's attributes.
* **service request** = a :class:`~..models.Letter` of such a category, not rejected or
  merged; ``service_request_id`` is its tracking code (查询码).

Creating a request needs an active :class:`~..models.Open311Client` key (scoped to a site
or to the whole site group), is rate-limited per client and goes through
:func:`govportal.interaction.services.submit` like the web form, so dispatching, deadlines,
duplicate hints and the audit trail are the same. A client app stands in for the CAPTCHA:
it holds a key that platform operators issue and revoke.

Privacy (个人信息保护): no response ever contains the writer's name, phone, e-mail or
address. The description (masked, :func:`~govportal.privacy.masking.mask_text`), the
answer and the location text are shown only for letters that are public (the writer agreed
and the reply is published — what 来信选登 shows). For the others the coordinates are
rounded to 3 decimals (about 100 m): enough to map where problems are, not enough to point
at a house. Letters created through the API are not public: the writer saw no consent
question, and consent is not presumed.
"""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import strip_tags

from wagtail.models import Site

from govportal.audit.actions import register_action
from govportal.audit.services import record
from govportal.core.forms import validate_phone
from govportal.privacy.fields import lookup
from govportal.privacy.masking import mask_text

from .. import services as letters
from ..forms import extra_form_field
from ..models import Letter, LetterAssignment, LetterCategory, MailboxPage, Open311Client
from ..taxonomy import AssignmentRole, AssignmentStatus, FieldType, Status
from .formats import MIME_TYPES, NOT_XML, Open311Error, parse_w3, w3_datetime

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
TOKEN_SALT = "govportal.interaction.open311.token"  # noqa: S105 — a salt, not a secret
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
MAX_DESCRIPTION = 4000
DEFAULT_NAME = "Open311用户"
DUPLICATE_HOURS = 24
DEFAULT_LIMIT = (60, 3600)  # new requests per client per hour

DATATYPES = {
    FieldType.SINGLELINE: "string",
    FieldType.MULTILINE: "text",
    FieldType.NUMBER: "number",
    FieldType.DATE: "datetime",
    FieldType.DROPDOWN: "singlevaluelist",
    FieldType.RADIO: "singlevaluelist",
    FieldType.CHECKBOXES: "multivaluelist",
}
DATATYPE_DESCRIPTIONS = {
    "number": "数字",
    "datetime": "日期，如 2026-11-21 或 2026-11-21T09:00:00+08:00",
}
HIDDEN_STATUSES = (Status.REJECTED, Status.MERGED)
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")

ACTIONS = {
    "open311.client_create": "Open311：新建接入客户端",
    "open311.client_change": "Open311：修改或吊销接入客户端",
    "open311.client_delete": "Open311：删除接入客户端",
    "open311.request_create": "Open311：通过接口提交来信",
    "open311.throttled": "Open311：客户端提交过于频繁",
}
for _code, _label in ACTIONS.items():
    register_action(_code, _label)


# -- jurisdictions and services ------------------------------------------------------------------


def jurisdiction(request, jurisdiction_id: str = "") -> Site:
    """The site named by ``jurisdiction_id`` (its host name), else the request's site."""
    jurisdiction_id = (jurisdiction_id or "").strip().lower()
    if jurisdiction_id:
        site = (
            Site.objects.filter(hostname__iexact=jurisdiction_id)
            .order_by("-is_default_site", "port")
            .first()
        )
        if site is None:
            raise Open311Error(404, f"jurisdiction_id“{jurisdiction_id}”不存在。")
        return site
    site = Site.find_for_request(request)
    if site is None:
        raise Open311Error(400, "请提供 jurisdiction_id（网站域名）。")
    return site


def _mailboxes_of(site):
    return MailboxPage.objects.descendant_of(site.root_page, inclusive=True)


def service_categories(site):
    """The site's services: location-based categories of its open, live mailboxes."""
    mailboxes = _mailboxes_of(site).live().filter(is_open=True)
    return (
        LetterCategory.objects.filter(location_based=True, page__in=mailboxes)
        .select_related("page")
        .order_by("page__path", "sort_order", "pk")
    )


def category_for(site, service_code: str) -> LetterCategory:
    code = (service_code or "").strip()
    if not code:
        raise Open311Error(400, "请提供 service_code。")
    category = service_categories(site).filter(pk=int(code)).first() if _is_id(code) else None
    if category is None:
        raise Open311Error(404, f"service_code“{code}”不存在或未开放 Open311 受理。")
    return category


def _is_id(code: str) -> bool:
    return code.isdigit() and len(code) <= 18  # fits a database integer


def _attribute_fields(mailbox) -> list:
    """The mailbox's extra form fields a client can fill (not attachments), in order."""
    return [f for f in mailbox.form_fields.all() if f.field_type in DATATYPES]


def _code(field) -> str:
    return field.clean_name or str(field.pk)


def service_notice(category) -> str:
    return f"受理后 {category.workdays()} 个工作日内答复，可凭查询码查询办理进度。"


def service_data(category) -> dict:
    mailbox = category.page
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": f"{mailbox.title}受理的“{category.name}”类问题。{service_notice(category)}",
        "metadata": bool(_attribute_fields(mailbox)),
        "type": "realtime",
        "keywords": ", ".join(
            dict.fromkeys([category.name, mailbox.title, mailbox.get_kind_display()])
        ),
        "group": mailbox.title,
    }


def _choices(field) -> list[str]:
    text = (field.choices or "").strip()
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def definition_data(category) -> dict:
    attributes = []
    for order, field in enumerate(_attribute_fields(category.page), start=1):
        datatype = DATATYPES[field.field_type]
        item = {
            "variable": True,
            "code": _code(field),
            "datatype": datatype,
            "required": bool(field.required),
            "datatype_description": DATATYPE_DESCRIPTIONS.get(datatype),
            "order": order,
            "description": f"{field.label}{'：' + field.help_text if field.help_text else ''}",
        }
        if datatype.endswith("valuelist"):
            item["values"] = [{"key": c, "name": c} for c in _choices(field)]
        attributes.append(item)
    return {"service_code": str(category.pk), "attributes": attributes}


def discovery_data(request, site) -> dict:
    from govportal.sites.models import SiteProfile

    profile = SiteProfile.objects.filter(site=site).first()
    contact = "、".join(
        p
        for p in [getattr(profile, "contact_phone", ""), getattr(profile, "contact_email", "")]
        if p
    )
    mailboxes = _mailboxes_of(site).live()
    latest = (
        mailboxes.exclude(latest_revision_created_at=None)
        .order_by("-latest_revision_created_at")
        .first()
    )
    changeset = w3_datetime(
        latest.latest_revision_created_at if latest and latest.latest_revision_created_at
        else site.root_page.last_published_at or timezone.now()
    )  # fmt: skip
    base = reverse("open311:services", kwargs={"fmt": "xml"}).rsplit("/", 1)[0]
    return {
        "changeset": changeset,
        "contact": f"{site.site_name or site.hostname}网站管理员" + (f"：{contact}" if contact else ""),
        "key_service": "api_key 由集约化平台管理员在管理后台“设置 → Open311 接入”中创建，请联系网站主办单位申请。",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(base),
                "changeset": changeset,
                "type": getattr(settings, "GOVPORTAL_OPEN311_ENDPOINT_TYPE", "production"),
                "formats": list(MIME_TYPES),
            }
        ],
    }  # fmt: skip


# -- clients ---------------------------------------------------------------------------------------


def authenticate(key: str, site) -> Open311Client:
    if not (key or "").strip():
        raise Open311Error(403, "缺少 api_key，提交来信须使用平台发放的密钥。")
    client = Open311Client.for_key(key)
    if client is None:
        raise Open311Error(403, "api_key 无效或已被吊销。")
    if client.site_id is not None and client.site_id != site.pk:
        raise Open311Error(403, "该 api_key 无权向此网站提交。")
    return client


def client_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "GOVPORTAL_OPEN311_CLIENT_LIMIT", DEFAULT_LIMIT[0])),
        int(getattr(settings, "GOVPORTAL_OPEN311_CLIENT_WINDOW_SECONDS", DEFAULT_LIMIT[1])),
    )


def throttle(client) -> None:
    """Count one new request of ``client``; refuse (429) once over its limit in the window."""
    limit, window = client_limit()
    key = f"open311:client:{client.pk}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count > limit:
        if count == limit + 1:
            record("open311.throttled", obj=client, username=_actor(client), 上限=limit)
        minutes = max(window // 60, 1)
        raise Open311Error(
            429,
            f"提交过于频繁：每个客户端 {minutes} 分钟内最多提交 {limit} 件，请稍后再试。",
            headers={"Retry-After": str(window)},
        )


def _actor(client) -> str:
    return f"Open311客户端：{client.name}"[:150]


# -- creating a service request --------------------------------------------------------------------


def _attributes(params) -> MultiValueDict:
    values = MultiValueDict()
    for key in params:
        match = _ATTRIBUTE.match(key)
        if match:
            for value in params.getlist(key):
                values.appendlist(match.group(1), value)
    return values


def _attribute_data(mailbox, params) -> tuple[dict, list[Open311Error]]:
    """The attributes as ``{label: value}`` for the letter's 附加字段, or the errors."""
    fields = _attribute_fields(mailbox)
    given = _attributes(params)
    data = MultiValueDict()
    for field in fields:
        values = given.getlist(_code(field))
        if field.field_type == FieldType.DATE:
            values = [v.strip()[:10] for v in values]  # a w3 datetime: its date
        data.setlist(_code(field), values)
    form_class = type(
        "AttributeForm", (forms.Form,), {_code(f): extra_form_field(f) for f in fields}
    )
    form = form_class(data=data)
    if form.is_valid():
        extra = {}
        for field in fields:
            value = form.cleaned_data.get(_code(field))
            if value in (None, "", []):
                continue
            extra[field.label] = value if isinstance(value, str | list) else str(value)
        return extra, []
    labels = {_code(f): f.label for f in fields}
    return {}, [
        Open311Error(400, f"attribute[{code}]（{labels.get(code, code)}）：{message}")
        for code, messages in form.errors.items()
        for message in messages
    ]


def _coordinate(text: str, name: str, bound: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise Open311Error(400, f"{name} 不是有效的数字。") from None
    if not value.is_finite() or not -bound <= value <= bound:
        raise Open311Error(400, f"{name} 应在 -{bound} 到 {bound} 之间。")
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _location(params) -> dict:
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    address = " ".join(params.get("address_string", "").split())
    if bool(lat) != bool(lon):
        raise Open311Error(400, "lat 和 long 须同时提供。")
    if not (lat or address):
        if params.get("address_id", "").strip():
            raise Open311Error(400, "本平台不支持 address_id，请提供 lat/long 或 address_string。")
        raise Open311Error(400, "请提供问题位置：lat 和 long，或 address_string。")
    if len(address) > 200:
        raise Open311Error(400, "address_string 不能超过 200 个字符。")
    location = {"location_text": address}
    if lat:
        location["latitude"] = _coordinate(lat, "lat", 90)
        location["longitude"] = _coordinate(lon, "long", 180)
    return location


def _writer_name(params) -> str:
    first = " ".join(params.get("first_name", "").split())
    last = " ".join(params.get("last_name", "").split())
    if re.search(r"[\u3400-\u9fff]", first + last):
        name = f"{last}{first}"  # Chinese order: family name first, no space
    else:
        name = " ".join(p for p in (first, last) if p)
    return name[:50] or DEFAULT_NAME


def _title(category, description: str) -> str:
    text = " ".join(description.split())
    summary = text[:30] + ("…" if len(text) > 30 else "")
    return f"{category.name}：{summary}"[:100]


def letter_data(category, params) -> dict:
    """What :func:`govportal.interaction.services.submit` takes, from the POST parameters."""
    errors = []
    description = NOT_XML.sub("", strip_tags(params.get("description", ""))).strip()
    if not description:
        errors.append(Open311Error(400, "请提供问题描述（description）。"))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(Open311Error(400, f"description 不能超过 {MAX_DESCRIPTION} 个字符。"))
    try:
        location = _location(params)
    except Open311Error as exc:
        errors.append(exc)
        location = {}
    phone = params.get("phone", "").strip()
    if not phone:
        errors.append(Open311Error(400, "请提供联系电话（phone）：承办单位须能联系到反映人。"))
    else:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors.append(Open311Error(400, f"phone：{exc.messages[0]}"))
    email = params.get("email", "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.append(Open311Error(400, "email 不是有效的电子邮箱地址。"))
    extra, attribute_errors = _attribute_data(category.page, params)
    errors += attribute_errors
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(Open311Error(400, "media_url 不是有效的 http(s) 网址。"))
        else:
            extra["图片或视频链接"] = media_url[:500]
    if errors:
        raise OpenErrors(errors)
    data = {
        "title": _title(category, description),
        "body": description,
        "name": _writer_name(params),
        "phone": phone,
        "email": email,
        "wants_public": False,
        **location,
    }
    if extra:
        data["extra_data"] = extra
    return data


class OpenErrors(Exception):
    """Several :class:`Open311Error` at once (the spec's body is a list)."""

    def __init__(self, errors):
        super().__init__("; ".join(e.description for e in errors))
        self.errors = errors


def _is_duplicate(category, data) -> bool:
    """The same text from the same phone to the same category, still open, within a day
    (a client app retrying): refused rather than filed twice."""
    since = timezone.now() - timedelta(hours=DUPLICATE_HOURS)
    recent = Letter.objects.open().filter(category=category, submitted_at__gte=since,
                                          body=data["body"])  # fmt: skip
    return lookup(recent, "phone", data["phone"]).exists()


def create_request(site, client, category, params) -> Letter:
    """A new letter from a POST Service Request; raises :class:`OpenErrors`/:class:`Open311Error`."""
    data = letter_data(category, params)
    if _is_duplicate(category, data):
        raise Open311Error(400, "相同内容的来信已在办理中，请勿重复提交。")
    throttle(client)
    with transaction.atomic():
        try:
            letter = letters.submit(category.page, data, site=site, category=category)
        except ValidationError as exc:
            raise OpenErrors([Open311Error(400, m) for m in exc.messages]) from exc
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        record(
            "open311.request_create",
            obj=letter,
            username=_actor(client),
            after={"查询码": letter.tracking_code, "类别": category.name},
            客户端=client.pk,
        )
    return letter


# -- tokens ----------------------------------------------------------------------------------------


def token_for(letter) -> str:
    """A signed token that resolves to the letter's id (no table needed)."""
    return signing.Signer(salt=TOKEN_SALT).sign(letter.tracking_code)


def letter_for_token(site, token: str) -> Letter:
    try:
        code = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        raise Open311Error(404, "token 不存在。") from None
    letter = request_queryset(site).filter(tracking_code=code).first()
    if letter is None:
        raise Open311Error(404, "token 不存在。")
    return letter


# -- querying service requests ---------------------------------------------------------------------


def request_queryset(site):
    """Letters of the site's location-based categories (any mailbox state), not rejected or
    merged."""
    return (
        Letter.objects.filter(category__location_based=True, mailbox__in=_mailboxes_of(site))
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("category", "category__page", "answer_unit", "clock")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=LetterAssignment.objects.filter(role=AssignmentRole.LEAD)
                .exclude(status=AssignmentStatus.RETURNED)
                .select_related("organization"),
                to_attr="open311_leads",
            )
        )
        .order_by("-submitted_at", "-pk")
    )


def _csv(params, name: str) -> list[str]:
    return [p.strip() for p in params.get(name, "").split(",") if p.strip()]


def _date(params, name: str):
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_w3(text)
    except ValueError:
        raise Open311Error(
            400,
            f"{name} 须为 w3 日期时间格式，如 2026-01-01T00:00:00Z 或 2026-01-01T08:00:00+08:00。",
        ) from None


def find_requests(site, params) -> list[Letter]:
    """GET Service Requests: by ids (overriding everything else), or by service codes,
    status and a date range of at most 90 days (default: the last 90); at most 1000."""
    letters_ = request_queryset(site)
    ids = _csv(params, "service_request_id")
    if ids:
        return list(letters_.filter(tracking_code__in=ids[:MAX_REQUESTS]))
    codes = _csv(params, "service_code")
    if codes:
        letters_ = letters_.filter(category_id__in=[int(c) for c in codes if _is_id(c)])
    statuses = _csv(params, "status")
    unknown = set(statuses) - {"open", "closed"}
    if unknown:
        raise Open311Error(
            400, f"status 只能是 open 或 closed（收到：{'、'.join(sorted(unknown))}）。"
        )
    if set(statuses) in ({"open"}, {"closed"}):
        is_open = Q(status__in=Status.open_values())
        letters_ = letters_.filter(is_open if statuses[0] == "open" else ~is_open)
    start, end = _date(params, "start_date"), _date(params, "end_date")
    span = timedelta(days=DEFAULT_DAYS)
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date 不能早于 start_date。")
        if end - start > span:
            raise Open311Error(400, f"start_date 到 end_date 不能超过 {DEFAULT_DAYS} 天。")
    elif start:
        end = start + span
    else:
        end = end or timezone.now()
        start = end - span
    letters_ = letters_.filter(submitted_at__gte=start, submitted_at__lte=end)
    return list(letters_[:MAX_REQUESTS])


def _round(value, places: int):
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _agency(letter) -> str | None:
    if letter.answer_unit is not None:
        return letter.answer_unit.name
    leads = getattr(letter, "open311_leads", None)
    if leads is None:  # not fetched through request_queryset
        leads = letter.assignments.filter(role=AssignmentRole.LEAD).exclude(
            status=AssignmentStatus.RETURNED
        )
    return leads[0].organization.name if leads else None


def request_data(letter) -> dict:
    """One service request, without any personal data (see the module's docstring)."""
    public = letter.is_public
    is_open = letter.is_open
    category = letter.category
    clock = letter.clock
    expected = clock.due_date if is_open and clock is not None and clock.due_date else None
    places = 6 if public else 3
    return {
        "service_request_id": letter.tracking_code,
        "status": "open" if is_open else "closed",
        "status_notes": mask_text(letter.answer_text) if public else letter.get_status_display(),
        "service_name": category.name,
        "service_code": str(category.pk),
        "description": mask_text(letter.body) if public else None,
        "agency_responsible": _agency(letter),
        "service_notice": service_notice(category),
        "requested_datetime": w3_datetime(letter.submitted_at),
        "updated_datetime": w3_datetime(letter.updated_at),
        "expected_datetime": w3_datetime(expected),
        "address": mask_text(letter.location_text) if public and letter.location_text else None,
        "lat": _round(letter.latitude, places),
        "long": _round(letter.longitude, places),
    }
