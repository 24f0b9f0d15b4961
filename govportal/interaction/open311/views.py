"""Open311 GeoReport v2 endpoints (thin: parameters in, :mod:`.services` does the work).

Every URL ends in ``.xml`` or ``.json``; another format is a 404 with an XML error body
(XML is the spec's required format). Errors follow the spec: 404 for what does not exist,
403 for a missing or invalid ``api_key``, 400 for anything else that cannot be done, and
429 when a client submits too often.
"""

from functools import wraps

from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import services
from .formats import FORMATS, XML, Open311Error, error_response, respond

TOKEN_HEADER = "X-Open311-Token"  # noqa: S105 — a header name


def open311_view(*methods):
    """Check the format and the method; turn refusals into the spec's error body."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, fmt, **kwargs):
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return error_response(
                    XML, [Open311Error(404, f"不支持的格式“{fmt}”，请使用 xml 或 json。")]
                )
            allowed_methods = (*methods, "HEAD") if "GET" in methods else methods
            if request.method not in allowed_methods:
                allowed = ", ".join(methods)
                return error_response(
                    fmt,
                    [Open311Error(405, f"该地址只接受 {allowed} 请求。")],
                    headers={"Allow": allowed},
                )
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, [exc])
            except services.OpenErrors as exc:
                return error_response(fmt, exc.errors)

        return wrapper

    return decorate


def _param(request, name: str) -> str:
    return request.POST.get(name) or request.GET.get(name) or ""


def _site(request):
    return services.jurisdiction(request, _param(request, "jurisdiction_id"))


@open311_view("GET")
def discovery(request, fmt):
    return respond(fmt, "discovery", services.discovery_data(request, _site(request)))


@open311_view("GET")
def service_list(request, fmt):
    data = [services.service_data(c) for c in services.service_categories(_site(request))]
    return respond(fmt, "services", data)


@open311_view("GET")
def service_definition(request, service_code, fmt):
    category = services.category_for(_site(request), service_code)
    return respond(fmt, "service_definition", services.definition_data(category))


@csrf_exempt
@never_cache
@open311_view("GET", "POST")
def requests(request, fmt):
    site = _site(request)
    if request.method != "POST":
        letters = services.find_requests(site, request.GET)
        return respond(fmt, "service_requests", [services.request_data(x) for x in letters])
    client = services.authenticate(_param(request, "api_key"), site)
    category = services.category_for(site, request.POST.get("service_code", ""))
    letter = services.create_request(site, client, category, request.POST)
    data = [{
        "service_request_id": letter.tracking_code,
        "service_notice": services.service_notice(category),
        "account_id": None,
    }]  # fmt: skip
    return respond(
        fmt, "service_requests", data, headers={TOKEN_HEADER: services.token_for(letter)}
    )


@open311_view("GET")
def service_request(request, service_request_id, fmt):
    letter = (
        services.request_queryset(_site(request)).filter(tracking_code=service_request_id).first()
    )
    if letter is None:
        raise Open311Error(404, f"service_request_id“{service_request_id}”不存在。")
    return respond(fmt, "service_requests", [services.request_data(letter)])


@open311_view("GET")
def token(request, token, fmt):
    letter = services.letter_for_token(_site(request), token)
    return respond(
        fmt, "service_requests", [{"service_request_id": letter.tracking_code, "token": token}]
    )
