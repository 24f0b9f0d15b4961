"""GeoReport v2 wire formats: XML (required by the spec) and JSON (its Spark-convention
mapping), w3 datetimes, and the error body (``<errors><error><code/><description/>``).

A response is built as plain Python data: a dict is an element with children, a list is a
wrapper element whose items are named by :data:`ITEM_TAGS` (``services`` → ``service`` …),
``None`` is an empty element (JSON ``null``), booleans are ``true``/``false``. In JSON a
wrapper element is the array itself, so ``<services><service/>…</services>`` is ``[{…}]``.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, time
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
MIME_TYPES = ["text/xml", "application/json"]

#: Wrapper element → the name of each item inside it.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}

_W3 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$"
)


# Characters XML 1.0 cannot carry at all (a pasted control character must not break the feed).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3_datetime(value) -> str | None:
    """``2026-11-21T10:05:00+08:00``: local time with its offset, to the second; a date
    (a due date) means the end of that day."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time(23, 59, 59)))
    return timezone.localtime(value).isoformat(timespec="seconds")


def parse_w3(text: str) -> datetime:
    """A w3 datetime (a date alone means its local midnight); raises ``ValueError``."""
    text = (text or "").strip().replace(" ", "+")  # an unescaped "+" arrives as a space
    match = _W3.match(text)
    if not match:
        raise ValueError(text)
    if match.group(4) is None:
        return timezone.make_aware(datetime.fromisoformat(text[:10]))
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(text)
    return parsed


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3_datetime(value)
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        text = _text(value)
        if text:
            element.text = text


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return w3_datetime(value)
    raise TypeError(type(value).__name__)


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=_json_default).encode()


def respond(fmt: str, root: str, data, *, status: int = 200, headers=None) -> HttpResponse:
    """``data`` under the XML element ``root`` (JSON: ``data`` itself)."""
    body = to_json(data) if fmt == JSON else to_xml(root, data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class Open311Error(Exception):
    """A refused request: HTTP ``status`` and the spec's ``errors`` body (Chinese text)."""

    def __init__(self, status: int, description: str, code=None, headers=None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.code = code if code is not None else status
        self.headers = headers or {}


def error_response(fmt: str, errors: list[Open311Error], *, headers=None) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else XML
    status = errors[0].status
    data = [{"code": e.code, "description": e.description} for e in errors]
    headers = {**errors[0].headers, **(headers or {})}
    return respond(fmt, "errors", data, status=status, headers=headers)
