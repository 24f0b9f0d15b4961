"""Open311 GeoReport v2 (govportal/interaction/open311), exercised over real HTTP by a small
client that follows the published spec (http://wiki.open311.org/GeoReport_v2): it builds
the URLs the spec describes, parses XML with xml.etree and JSON, and checks every response
for the elements and formats the spec requires. Plus the admin for API clients.
"""

import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import include, path
from django.utils import timezone

import pytest

from govportal import urls as project_urls
from govportal.audit.models import AuditRecord
from govportal.content.factories import ChannelPageFactory, make_site
from govportal.content.models import ColumnType
from govportal.core.tests.browser import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    assert_accessible,
    console_errors,
    screenshot,
)
from govportal.interaction.factories import make_letter, make_mailbox
from govportal.interaction.models import Letter, MailboxField, Open311Client
from govportal.interaction.taxonomy import FieldType, MailboxKind, Status

# The project's URLs with /open311/v2/ in front (until govportal/urls.py includes it).
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "open311" for p in urlpatterns):
    urlpatterns.insert(0, path("open311/v2/", include("govportal.interaction.open311.urls")))

SPEC = "http://wiki.open311.org/GeoReport_v2"
W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
LISTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
WRITER_NAME, WRITER_PHONE = "李秀英", "13911112222"


# -- a GeoReport v2 client ------------------------------------------------------------------------


class GeoReportError(Exception):
    def __init__(self, status, errors, raw):
        super().__init__(f"{status}: {errors}")
        self.status, self.errors, self.raw = status, errors, raw


def _scalar(value):
    """JSON scalars as the XML text they stand for (so both formats compare equal)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return None
    return str(value)


def _normalise(value):
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return _scalar(value)


def _from_xml(element):
    """Spark convention: a wrapper element (``services``) becomes a list of its items."""
    if element.tag in LISTS:
        items = list(element)
        assert all(child.tag == LISTS[element.tag] for child in items), element.tag
        return [_from_xml(child) for child in items]
    if len(element):
        return {child.tag: _from_xml(child) for child in element}
    return _scalar((element.text or "").strip())


class GeoReportClient:
    """GET/POST exactly as the spec's URLs: ``[endpoint]/services.[format]`` …"""

    CONTENT_TYPES = {"xml": "text/xml", "json": "application/json"}

    def __init__(self, endpoint: str, fmt: str = "json", jurisdiction_id: str | None = None,
                 host: str | None = None):  # fmt: skip
        self.endpoint, self.fmt, self.jurisdiction_id = endpoint.rstrip("/"), fmt, jurisdiction_id
        self.host = host  # the endpoint served under another host name (a site's domain)
        self.last_headers = {}
        self.last_raw = b""

    def url(self, resource: str, params=None) -> str:
        query = dict(params or {})
        if self.jurisdiction_id:
            query.setdefault("jurisdiction_id", self.jurisdiction_id)
        url = f"{self.endpoint}/{resource}.{self.fmt}"
        return f"{url}?{urllib.parse.urlencode(query, doseq=True)}" if query else url

    def _call(self, resource, params=None, data=None, root=None):
        url = self.url(resource, params)
        body = None
        if data is not None:
            if self.jurisdiction_id:
                data = {"jurisdiction_id": self.jurisdiction_id, **data}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(url, data=body)  # noqa: S310 — http to the live server
        if self.host:
            request.add_header("Host", self.host)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            status, headers, raw = exc.code, dict(exc.headers), exc.read()
        self.last_headers, self.last_raw = headers, raw
        fmt = self.fmt if self.fmt in self.CONTENT_TYPES else "xml"
        content_type = headers.get("Content-Type", "")
        assert content_type.startswith(self.CONTENT_TYPES[fmt]), content_type
        assert "charset=utf-8" in content_type.lower()
        parsed, root_tag = self._parse(raw, fmt)
        if status != 200:
            self._check_errors(status, parsed, root_tag, raw)
        if root is not None and fmt == "xml":
            assert root_tag == root, root_tag
        return parsed

    @staticmethod
    def _parse(raw: bytes, fmt: str):
        if fmt == "json":
            return _normalise(json.loads(raw.decode("utf-8"))), None
        assert raw.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), raw[:60]
        root = ET.fromstring(raw)  # noqa: S314 — our own server's output
        return _from_xml(root), root.tag

    @staticmethod
    def _check_errors(status, parsed, root_tag, raw):
        assert root_tag in (None, "errors"), root_tag
        assert isinstance(parsed, list) and parsed, raw
        for error in parsed:
            assert set(error) == {"code", "description"}, error
            assert error["code"] and error["description"], error
        raise GeoReportError(status, parsed, raw)

    # -- the six methods and service discovery --------------------------------------------------
    def discovery(self):
        data = self._call("discovery", root="discovery")
        for key in ("changeset", "contact", "key_service", "endpoints"):
            assert data[key], key
        for endpoint in data["endpoints"]:
            assert set(endpoint) == {"specification", "url", "changeset", "type", "formats"}
            assert endpoint["type"] in ("production", "test")
        return data

    def services(self):
        services = self._call("services", root="services")
        for service in services:
            assert service["service_code"] and service["service_name"], service
            assert service["metadata"] in ("true", "false"), service
            assert service["type"] in ("realtime", "batch", "blackbox"), service
            for key in ("description", "keywords", "group"):
                assert key in service, key
        return services

    def definition(self, service_code):
        data = self._call(f"services/{service_code}", root="service_definition")
        assert data["service_code"] == service_code
        orders = []
        for attribute in data["attributes"] or []:
            assert attribute["variable"] in ("true", "false")
            assert attribute["datatype"] in (
                "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist",
            )  # fmt: skip
            assert attribute["required"] in ("true", "false")
            assert attribute["code"] and attribute["description"]
            orders.append(int(attribute["order"]))
            if attribute["datatype"].endswith("valuelist"):
                assert all(v["key"] and v["name"] for v in attribute["values"])
        assert orders == sorted(set(orders)) and all(o > 0 for o in orders)
        return data

    def create(self, **params):
        """POST Service Request: ``attributes`` as {code: value or [values]}."""
        attributes = params.pop("attributes", {})
        data = dict(params)
        for code, value in attributes.items():
            if isinstance(value, list):
                data[f"attribute[{code}][]"] = value
            else:
                data[f"attribute[{code}]"] = value
        [created] = self._call("requests", data=data, root="service_requests")
        assert ("service_request_id" in created) != ("token" in created), created
        return created

    def token(self, token):
        [item] = self._call(f"tokens/{urllib.parse.quote(token, safe='')}", root="service_requests")
        assert item["token"] == token and item["service_request_id"]
        return item["service_request_id"]

    def _check_request(self, item):
        for key in ("service_request_id", "status", "service_name", "service_code",
                    "requested_datetime", "updated_datetime"):  # fmt: skip
            assert item.get(key), (key, item)
        assert item["status"] in ("open", "closed")
        for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if item.get(key) is not None:
                assert W3.match(item[key]), (key, item[key])
        return item

    def get(self, service_request_id):
        [item] = self._call(f"requests/{service_request_id}", root="service_requests")
        return self._check_request(item)

    def requests(self, **filters):
        items = self._call("requests", params=filters, root="service_requests")
        return [self._check_request(item) for item in items]


# -- the world ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def open311_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def geo(world):
    """交通出行 is location-based (an Open311 service); the mailbox has extra fields. Another
    site has its own location-based mailbox."""
    cache.clear()
    roads = world.mailbox.categories.get(name="交通出行")
    roads.location_based = True
    roads.save()
    fields = [
        ("路段类型", FieldType.DROPDOWN, True, "主干道\n次干道\n小区道路"),
        ("问题类型", FieldType.CHECKBOXES, False, "坑洼,积水,井盖缺失"),
        ("影响车道数", FieldType.NUMBER, False, ""),
        ("发现日期", FieldType.DATE, False, ""),
        ("现场照片", FieldType.FILE, False, ""),
    ]
    for i, (label, kind, required, choices) in enumerate(fields):
        MailboxField.objects.create(page=world.mailbox, label=label, field_type=kind,
                                    required=required, choices=choices, sort_order=i)  # fmt: skip
    other_site, other_home, _ = make_site("other.example", 80, title="另一市人民政府",
                                          site_id_code="1399000002")  # fmt: skip
    channel = ChannelPageFactory(parent=other_home, title="互动交流", slug="hd",
                                 column_type=ColumnType.INTERACTION)  # fmt: skip
    other_box = make_mailbox(channel, "另一市信箱", MailboxKind.COMPLAINT, slug="box",
                             units=[world.other], categories=[("市容环境", world.other, [])])  # fmt: skip
    other_box.categories.update(location_based=True)
    client = Open311Client(name="城市随手拍", site=world.site)
    key = client.new_key()
    client.save()
    return {
        "roads": roads,
        "edu": world.mailbox.categories.get(name="教育"),
        "other_site": other_site,
        "other_category": other_box.categories.get(),
        "client": client,
        "key": key,
        "codes": {f.label: f.clean_name or str(f.pk) for f in world.mailbox.form_fields.all()},
    }


def endpoint(live_server) -> str:
    return f"{live_server.url}/open311/v2"


def report(geo, **overrides) -> dict:
    codes = geo["codes"]
    params = {
        "api_key": geo["key"],
        "service_code": str(geo["roads"].pk),
        "lat": "30.274084",
        "long": "120.155070",
        "address_string": "青山路与幸福路交叉口",
        "first_name": "秀英",
        "last_name": "李",
        "phone": WRITER_PHONE,
        "email": "xiuying@example.com",
        "description": "青山路与幸福路交叉口东侧有一个大坑，雨后积水，电动车经过很危险。",
        "media_url": "https://img.example.com/pothole.jpg",
        "attributes": {
            codes["路段类型"]: "主干道",
            codes["问题类型"]: ["坑洼", "积水"],
            codes["发现日期"]: "2026-11-20T08:30:00+08:00",
        },
    }
    params.update(overrides)
    return params


# -- the journey ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_services_definition_create_token_get_and_list(live_server, world, geo, fmt):
    api = GeoReportClient(endpoint(live_server), fmt, jurisdiction_id="testserver")

    discovery = api.discovery()
    [v2] = discovery["endpoints"]
    assert v2["specification"] == SPEC
    assert v2["url"] == endpoint(live_server)
    assert v2["formats"] == ["text/xml", "application/json"]

    services = api.services()
    roads = str(geo["roads"].pk)
    assert [s["service_code"] for s in services] == [roads]  # 教育 is not location-based
    [service] = services
    assert service["service_name"] == "交通出行"
    assert service["group"] == "市长信箱"
    assert service["metadata"] == "true"
    assert service["type"] == "realtime"

    definition = api.definition(roads)
    attributes = {a["description"].split("：")[0]: a for a in definition["attributes"]}
    assert {label: a["datatype"] for label, a in attributes.items()} == {
        "路段类型": "singlevaluelist",
        "问题类型": "multivaluelist",
        "影响车道数": "number",
        "发现日期": "datetime",
    }  # the attachment field cannot be sent through Open311
    assert attributes["路段类型"]["required"] == "true"
    assert [v["key"] for v in attributes["路段类型"]["values"]] == ["主干道", "次干道", "小区道路"]

    created = api.create(**report(geo))
    code = created["service_request_id"]
    assert re.match(r"^XJ\d{6}[2-9A-Z]{6}$", code)
    assert created["service_notice"]
    token = api.last_headers["X-Open311-Token"]
    assert api.token(token) == code

    letter = Letter.objects.get(tracking_code=code)
    assert letter.category == geo["roads"] and letter.site == world.site
    assert letter.status == Status.SUBMITTED
    assert letter.name == "李秀英" and letter.phone == WRITER_PHONE
    assert (
        letter.latitude == Decimal("30.274084") and letter.location_text == "青山路与幸福路交叉口"
    )
    assert letter.title.startswith("交通出行：青山路与幸福路交叉口东侧")
    assert not letter.wants_public  # no consent was asked for
    extra = json.loads(letter.extra_data)
    assert extra["路段类型"] == "主干道" and extra["问题类型"] == ["坑洼", "积水"]
    assert extra["发现日期"] == "2026-11-20"
    assert extra["图片或视频链接"] == "https://img.example.com/pothole.jpg"
    audit = AuditRecord.objects.get(action="open311.request_create")
    assert audit.object_id == str(letter.pk) and "城市随手拍" in audit.username

    item = api.get(code)
    assert item["status"] == "open" and item["status_notes"] == "待受理"
    assert item["service_code"] == roads and item["service_name"] == "交通出行"
    assert item["description"] is None and item["address"] is None  # not public
    assert (item["lat"], item["long"]) == ("30.274", "120.155")  # about 100 m

    # An XML client can post too, with only an address.
    # Only an address this time; no HTML or control characters get into the letter.
    other = api.create(
        **report(geo, lat="", long="", description="幸福路人行道<b>井盖</b>缺失。\x07")
    )
    other_letter = Letter.objects.get(tracking_code=other["service_request_id"])
    assert other_letter.latitude is None and other_letter.body == "幸福路人行道井盖缺失。"

    listed = [i["service_request_id"] for i in api.requests()]
    assert set(listed) == {code, other["service_request_id"]}
    assert [i["service_request_id"] for i in api.requests(service_request_id=code)] == [code]
    assert len(api.requests(service_code=roads, status="open")) == 2
    assert api.requests(status="closed") == []
    assert api.requests(service_code=str(geo["edu"].pk)) == []

    # A fixed past month: the range filter finds the letter dated then, the default does not.
    old = make_letter(world.mailbox, "submitted", staff=world.staff, category=geo["roads"],
                      data={"body": "去年三月的坑。", "phone": "13700001111"})  # fmt: skip
    Letter.objects.filter(pk=old.pk).update(
        submitted_at=timezone.make_aware(datetime(2025, 3, 3, 10, 0))
    )
    in_march = api.requests(start_date="2025-03-01T00:00:00+08:00", end_date="2025-03-31T00:00:00Z")
    assert [i["service_request_id"] for i in in_march] == [old.tracking_code]
    assert in_march[0]["requested_datetime"] == "2025-03-03T10:00:00+08:00"
    assert old.tracking_code not in {i["service_request_id"] for i in api.requests()}


# -- errors ---------------------------------------------------------------------------------------


def refused(call, *args, **kwargs) -> GeoReportError:
    with pytest.raises(GeoReportError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_follow_the_spec_in_both_formats(live_server, world, geo, fmt, settings):
    api = GeoReportClient(endpoint(live_server), fmt, jurisdiction_id="testserver")

    error = refused(api.create, **report(geo, api_key=""))
    assert error.status == 403 and "api_key" in error.errors[0]["description"]
    assert refused(api.create, **report(geo, api_key="o311_guessed")).status == 403

    error = refused(api.create, **report(geo, service_code="999999"))
    assert error.status == 404 and "999999" in error.errors[0]["description"]
    assert refused(api.create, **report(geo, service_code=str(geo["edu"].pk))).status == 404
    assert refused(api.definition, "999999").status == 404
    assert refused(api.get, "XJ000000AAAAAA").status == 404
    assert refused(api.token, "XJ000000AAAAAA:forged").status == 404

    error = refused(api.create, **report(geo, lat="", long="", address_string=""))
    assert error.status == 400 and "位置" in error.errors[0]["description"]
    error = refused(api.create, **report(geo, phone=""))
    assert error.status == 400 and "phone" in error.errors[0]["description"]
    # Several problems at once: all of them, each with a code and a description.
    error = refused(api.create, **report(geo, phone="", description="", attributes={}))
    assert error.status == 400 and len(error.errors) == 3
    assert any("路段类型" in e["description"] for e in error.errors)
    assert refused(api.requests, status="pending").status == 400
    assert refused(api.requests, start_date="yesterday").status == 400
    error = refused(
        api.requests, start_date="2025-01-01T00:00:00Z", end_date="2025-06-01T00:00:00Z"
    )
    assert error.status == 400 and "90" in error.errors[0]["description"]
    assert Letter.objects.count() == 0  # nothing was filed by a refused request

    nowhere = GeoReportClient(endpoint(live_server), fmt, jurisdiction_id="nowhere.example")
    for call in (nowhere.services, nowhere.requests, nowhere.discovery):
        error = refused(call)
        assert error.status == 404 and "nowhere.example" in error.errors[0]["description"]

    # The client's key is for testserver only.
    other = GeoReportClient(endpoint(live_server), fmt, jurisdiction_id="other.example")
    error = refused(other.create, **report(geo, service_code=str(geo["other_category"].pk)))
    assert error.status == 403

    # Revoked: refused with 403.
    Open311Client.objects.filter(pk=geo["client"].pk).update(active=False)
    assert refused(api.create, **report(geo)).status == 403
    Open311Client.objects.filter(pk=geo["client"].pk).update(active=True)

    # Rate limit per client; an identical retry is refused as a duplicate.
    settings.GOVPORTAL_OPEN311_CLIENT_LIMIT = 2
    api.create(**report(geo))
    error = refused(api.create, **report(geo))
    assert error.status == 400 and "重复" in error.errors[0]["description"]
    api.create(**report(geo, description="另一处：青山路北段路面塌陷。"))
    error = refused(api.create, **report(geo, description="第三处：幸福路南段坑洼。"))
    assert error.status == 429 and "频繁" in error.errors[0]["description"]
    assert api.last_headers["Retry-After"] == "3600"
    assert AuditRecord.objects.filter(action="open311.throttled").count() == 1
    assert Letter.objects.count() == 2

    # Unknown format: 404 with the spec's XML error body.
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{endpoint(live_server)}/services.yaml", timeout=30)  # noqa: S310
    assert caught.value.code == 404
    root = ET.fromstring(caught.value.read())  # noqa: S314 — our own server's output
    assert root.tag == "errors" and root.find("error/code").text == "404"
    assert caught.value.headers["Content-Type"].startswith("text/xml")


# -- privacy and scope ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_personal_data_in_any_list_or_get_response(live_server, world, geo):
    roads = geo["roads"]
    writer = {"name": WRITER_NAME, "phone": WRITER_PHONE, "email": "xiuying@example.com",
              "address": "示例市青山区幸福小区3栋501"}  # fmt: skip
    # 市教育局 leads (its staff are in the world's Staff); the category's default is 市交通局.
    public = make_letter(world.mailbox, "answered", staff=world.staff, category=roads, public=True,
                         lead=world.edu,
                         data=writer | {"body": "我家楼下路口红绿灯坏了，可打 13955556666 联系。",
                                        "location_text": "幸福路口", "latitude": Decimal("30.1234"),
                                        "longitude": Decimal("120.5678")})  # fmt: skip
    private = make_letter(world.mailbox, "dispatched", staff=world.staff, category=roads,
                          lead=world.edu,
                          data=writer | {"body": "不想公开的来信：幸福小区3栋门口的井盖坏了。",
                                         "wants_public": False, "location_text": "幸福小区3栋",
                                         "latitude": Decimal("30.123456"),
                                         "longitude": Decimal("120.654321")})  # fmt: skip
    rejected = make_letter(world.mailbox, "rejected", staff=world.staff, category=roads,
                           data=writer | {"body": "被驳回的来信。"})  # fmt: skip
    not_located = make_letter(world.mailbox, "submitted", staff=world.staff, category=geo["edu"],
                              data={"body": "教育类，非位置类来信。"})  # fmt: skip
    assert public.is_public and not private.is_public

    for fmt in ("json", "xml"):
        # No jurisdiction_id: the site of the host name the request is made to.
        api = GeoReportClient(endpoint(live_server), fmt, host="testserver")
        items = {i["service_request_id"]: i for i in api.requests()}
        raw = api.last_raw.decode()
        assert set(items) == {public.tracking_code, private.tracking_code}
        assert rejected.tracking_code not in raw and not_located.tracking_code not in raw
        for single in (public, private):
            assert api.get(single.tracking_code) == items[single.tracking_code]
            raw += api.last_raw.decode()
        for secret in (WRITER_NAME, "李**", WRITER_PHONE, "xiuying", "幸福小区3栋501",
                       "13955556666", "不想公开", "幸福小区3栋"):  # fmt: skip
            assert secret not in raw, (fmt, secret)

        shown = items[public.tracking_code]
        assert shown["status"] == "closed" and shown["status_notes"].startswith("您反映的问题")
        assert shown["description"] == "我家楼下路口红绿灯坏了，可打 139****6666 联系。"
        assert shown["address"] == "幸福路口"
        assert (shown["lat"], shown["long"]) == ("30.1234", "120.5678")
        assert shown["agency_responsible"] == "示例市教育局"  # the answering unit

        hidden = items[private.tracking_code]
        assert hidden["status"] == "open" and hidden["status_notes"] == "办理中"
        assert hidden["description"] is None and hidden["address"] is None
        assert (hidden["lat"], hidden["long"]) == ("30.123", "120.654")
        assert hidden["agency_responsible"] == "示例市教育局"  # the lead unit
        assert W3.match(hidden["expected_datetime"])

    other = GeoReportClient(endpoint(live_server), "json", jurisdiction_id="other.example")
    assert other.requests() == []
    assert refused(other.get, public.tracking_code).status == 404
    assert [s["service_code"] for s in other.services()] == [str(geo["other_category"].pk)]


# -- the admin for API clients --------------------------------------------------------------------


ADD_URL = "/admin/open311_clients/new/"
INDEX_URL = "/admin/open311_clients/"


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("op311", "op311@example.gov.cn", "x")


@pytest.mark.django_db
def test_operator_creates_a_client_and_sees_its_key_once(client, world, operator):
    client.force_login(operator)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, {"name": "城市随手拍", "site": world.site.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    key = re.search(r">(o311_[^<]+)</textarea>", html).group(1)
    assert "离开本页后将无法再次查看" in html

    created = Open311Client.objects.get()
    assert created.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert created.key_prefix == key[:12] and key not in str(vars(created))
    assert created.created_by == operator and created.site == world.site
    assert Open311Client.for_key(key) == created
    assert AuditRecord.objects.filter(action="open311.client_create").count() == 1

    listing = client.get(INDEX_URL).content.decode()
    assert "城市随手拍" in listing and key not in listing
    edit = client.get(f"{INDEX_URL}edit/{created.pk}/").content.decode()
    assert key not in edit

    # Revoke: untick 启用.
    response = client.post(f"{INDEX_URL}edit/{created.pk}/",
                           {"name": "城市随手拍", "site": world.site.pk})  # fmt: skip
    assert response.status_code == 302
    assert Open311Client.for_key(key) is None
    change = AuditRecord.objects.get(action="open311.client_change")
    assert change.before["启用"] is True and change.after["启用"] is False


@pytest.mark.django_db
def test_only_platform_operators_manage_clients(client, world):
    client.force_login(world.dispatcher)  # staff with admin access, not an operator
    assert client.get(ADD_URL).status_code in (302, 403)
    client.post(ADD_URL, {"name": "越权", "site": world.site.pk})
    assert not Open311Client.objects.exists()
    assert client.get(INDEX_URL).status_code in (302, 403)


@pytest.mark.browser
@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/ensure_browser.sh)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_operator_creates_a_client_in_the_browser(live_server, client, world, browser, viewport):
    """设置 → Open311 接入 → 添加: the key is on the answer page, selectable, accessible."""
    size = "phone" if viewport["width"] < 500 else "desktop"
    operator = get_user_model().objects.create_superuser("op311b", "op@example.gov.cn", "x")
    client.force_login(operator)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])  # fmt: skip
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server.url}{ADD_URL}")
    page.fill("#id_name", "城市随手拍")
    page.select_option("#id_site", str(world.site.pk))
    screenshot(page, f"open311-client-new-{size}")
    page.locator("form#w-editor-form button[type=submit]").first.click()
    page.wait_for_selector("#open311-key")
    key = page.input_value("#open311-key")
    assert Open311Client.for_key(key).name == "城市随手拍"
    assert_accessible(page, "open311 key page")
    screenshot(page, f"open311-client-key-{size}")
    page.click("text=返回客户端列表")
    page.wait_for_selector("text=城市随手拍")
    assert key not in page.content() and "启用" in page.inner_text("table")
    screenshot(page, f"open311-client-list-{size}")
    assert errors == []
    context.close()
