"""个人中心 views. Every page but the tracking lookup needs a signed-in user; every object
is looked up with ``recipient=request.user`` / ``user=request.user``, so another user's
message, attachment or subscription is a 404 and bulk actions ignore foreign ids.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from govportal.citizens.services import greeting_name
from govportal.privacy.masking import mask_email, mask_phone

from . import cases as case_registry
from . import services
from .forms import PreferencesForm, TrackingForm
from .models import Message, MessageAttachment, Subscription
from .throttle import hit

MESSAGES_PER_PAGE = 15
CASES_PER_PAGE = 20

MESSAGE_SORTS = {
    "-date": ("发送时间（从新到旧）", ["-created_at", "-id"]),
    "date": ("发送时间（从旧到新）", ["created_at", "id"]),
    "-important": ("重要的在前", ["-important", "-created_at", "-id"]),
    "important": ("普通的在前", ["important", "-created_at", "-id"]),
    "title": ("标题（升序）", ["title", "-created_at", "-id"]),
    "-title": ("标题（降序）", ["-title", "-created_at", "-id"]),
}
DEFAULT_SORT = "-date"
MESSAGE_FILTERS = {"": "全部", "unread": "未读", "read": "已读"}
CASE_STATES = {"": "全部", "open": "办理中", "closed": "已办结"}
EMPTY_CASES = "您还没有办件。提交政府信息公开申请、来信或办事申请后，可在这里查看进度。"


def login_url() -> str:
    try:
        return reverse("citizens:login")
    except NoReverseMatch:
        return getattr(settings, "GOVPORTAL_CITIZEN_LOGIN_URL", "/account/login/")


def account_url(name: str, fallback: str) -> str:
    try:
        return reverse(f"citizens:{name}")
    except NoReverseMatch:
        return fallback


def personal_login_required(view):
    """Signed-in users only; others go to the citizens' login page with ``?next=``.

    Responses are marked private: no shared cache may keep a personal page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-cache"
        return response

    return wrapper


def _render(request, template, nav, context=None):
    base = {
        "nav": nav,
        "unread_total": services.unread_count(request.user),
        "profile_url": account_url("profile", "/account/profile/"),
        "password_url": account_url("password", "/account/password/"),
        "delete_url": account_url("delete", "/account/delete/"),
    }
    base.update(context or {})
    return render(request, template, base)


@personal_login_required
def home(request):
    user = request.user
    all_cases = case_registry.cases_for(user)
    return _render(
        request,
        "personal/home.html",
        "home",
        {
            "greeting": greeting_name(user),
            "open_cases": sum(1 for c in all_cases if c.is_open),
            "recent_cases": all_cases[:5],
            "subscription_total": Subscription.objects.filter(user=user).count(),
            "recent_messages": list(Message.objects.filter(recipient=user)[:5]),
            "case_types": case_registry.case_types(),
            "empty_cases_text": EMPTY_CASES,
        },
    )


@personal_login_required
def case_list(request):
    kinds = case_registry.case_types()
    kind = request.GET.get("kind", "")
    if kind not in {k.key for k in kinds}:
        kind = ""
    state = request.GET.get("state", "")
    if state not in CASE_STATES:
        state = ""
    found = case_registry.cases_for(request.user, kind=kind, state=state)
    page_obj = Paginator(found, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        "personal/cases.html",
        "cases",
        {
            "case_types": kinds,
            "kind": kind,
            "state": state,
            "states": CASE_STATES,
            "page_obj": page_obj,
            "filtered": bool(kind or state),
            "empty_cases_text": EMPTY_CASES,
        },
    )


# -- 站内信 -----------------------------------------------------------------------------------


def _list_params(source) -> dict[str, str]:
    """The list state (sort, filter, page) kept across actions; unknown values are dropped."""
    params = {}
    sort = source.get("sort", "")
    if sort in MESSAGE_SORTS and sort != DEFAULT_SORT:
        params["sort"] = sort
    status = source.get("status", "")
    if status in MESSAGE_FILTERS and status:
        params["status"] = status
    page = source.get("page", "")
    if page.isdigit() and page != "1":
        params["page"] = page
    return params


def _list_url(params: dict[str, str]) -> str:
    url = reverse("personal:messages")
    return f"{url}?{urlencode(params)}" if params else url


@personal_login_required
def message_list(request):
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in MESSAGE_SORTS:
        sort = DEFAULT_SORT
    status = request.GET.get("status", "")
    if status not in MESSAGE_FILTERS:
        status = ""
    qs = Message.objects.filter(recipient=request.user).annotate(
        attachment_count=Count("attachments")
    )
    if status == "unread":
        qs = qs.unread()
    elif status == "read":
        qs = qs.read()
    qs = qs.order_by(*MESSAGE_SORTS[sort][1])
    page_obj = Paginator(qs, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    counts = Message.objects.filter(recipient=request.user).aggregate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True))
    )
    return _render(
        request,
        "personal/messages.html",
        "messages",
        {
            "page_obj": page_obj,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in MESSAGE_SORTS.items()],
            "status": status,
            "filters": [
                (
                    key,
                    label,
                    _list_url({**_list_params({"sort": sort}), **({"status": key} if key else {})}),
                )
                for key, label in MESSAGE_FILTERS.items()
            ],
            "counts": counts,
            "state_query": urlencode(_list_params(request.GET)),
        },
    )


@personal_login_required
def message_detail(request, pk):
    message = get_object_or_404(
        Message.objects.prefetch_related("attachments"), pk=pk, recipient=request.user
    )
    if message.read_at is None:
        services.mark_read(request.user, [message.pk])
        message.read_at = timezone.now()
    back = _list_url(_list_params(request.GET))
    return _render(
        request,
        "personal/message_detail.html",
        "messages",
        {"message": message, "back_url": back, "state_query": urlencode(_list_params(request.GET))},
    )


def _selected_ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("ids"):
        if value.isdigit() and len(value) < 19:
            ids.append(int(value))
    return ids[:500]


@require_POST
@personal_login_required
def message_action(request):
    action = request.POST.get("action", "")
    state = _list_params(QueryDict(request.POST.get("state", "")))
    back = _list_url(state)
    ids = _selected_ids(request)
    if action not in {"read", "unread", "delete"}:
        messages.error(request, "请选择要执行的操作。")
        return HttpResponseRedirect(back)
    if not ids:
        messages.error(request, "请先勾选要操作的站内信。")
        return HttpResponseRedirect(back)
    if action == "read":
        changed = services.mark_read(request.user, ids)
        messages.success(request, f"已将 {changed} 封站内信标为已读。")
    elif action == "unread":
        changed = services.mark_unread(request.user, ids)
        messages.success(request, f"已将 {changed} 封站内信标为未读。")
    else:
        own = list(Message.objects.filter(recipient=request.user, pk__in=ids))
        if not own:
            messages.error(request, "所选站内信不存在或已删除。")
            return HttpResponseRedirect(back)
        if request.POST.get("confirm") != "1":
            return _render(
                request,
                "personal/message_confirm_delete.html",
                "messages",
                {"selected": own, "state_query": urlencode(state), "back_url": back},
            )
        deleted = services.delete_messages(request.user, [m.pk for m in own])
        messages.success(request, f"已删除 {deleted} 封站内信。")
    return HttpResponseRedirect(back)


@personal_login_required
def attachment_download(request, pk, attachment_pk):
    attachment = get_object_or_404(
        MessageAttachment, pk=attachment_pk, message_id=pk, message__recipient=request.user
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("附件文件不存在") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.filename)


# -- 我的订阅 ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@personal_login_required
def subscription_list(request):
    if request.method == "POST":
        ids = _selected_ids(request)
        removed = services.unsubscribe(request.user, ids)
        if removed:
            messages.success(request, f"已取消 {removed} 个栏目的订阅。")
        else:
            messages.error(request, "请选择要取消订阅的栏目。")
        return redirect("personal:subscriptions")
    subs = list(
        Subscription.objects.filter(user=request.user)
        .select_related("channel")
        .order_by("-created_at", "-id")
    )
    for sub in subs:
        site = sub.channel.get_site()
        sub.site_name = site.site_name if site else ""
        sub.url = sub.channel.get_url(request=request) if sub.channel.live else ""
    return _render(request, "personal/subscriptions.html", "subscriptions", {"subscriptions": subs})


@require_http_methods(["GET", "POST"])
@personal_login_required
def subscribe(request, channel_id):
    from govportal.content.models import ChannelPage
    from govportal.core.visibility import public

    channel = get_object_or_404(public(ChannelPage.objects.live(), request).filter(pk=channel_id))
    channel_url = channel.get_url(request=request) or "/"
    existing = Subscription.objects.filter(user=request.user, channel=channel).first()
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            if existing is not None:
                services.unsubscribe(request.user, [existing.pk])
            messages.success(request, f"已取消订阅“{channel.title}”。")
            return HttpResponseRedirect(channel_url)
        try:
            _, created = services.subscribe(request.user, channel)
        except services.SubscriptionLimit:
            messages.error(
                request,
                f"最多可订阅 {services.MAX_SUBSCRIPTIONS} 个栏目，请先在“我的订阅”中取消不需要的订阅。",
            )
            return redirect("personal:subscriptions")
        if created:
            messages.success(
                request, f"已订阅“{channel.title}”。栏目有新信息时，我们会通过站内信通知您。"
            )
        else:
            messages.info(request, f"您已订阅过“{channel.title}”。")
        return HttpResponseRedirect(channel_url)
    site = channel.get_site()
    return _render(
        request,
        "personal/subscribe_confirm.html",
        "subscriptions",
        {
            "channel": channel,
            "channel_url": channel_url,
            "site_name": site.site_name if site else "",
            "subscribed": existing is not None,
        },
    )


# -- 账号设置 ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@personal_login_required
def account_settings(request):
    pref = services.preference_for(request.user)
    form = PreferencesForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, form.cleaned_data)
        messages.success(request, "通知设置已保存。")
        return redirect("personal:settings")
    mobile = services.contact_mobile(request.user)
    return _render(
        request,
        "personal/settings.html",
        "settings",
        {
            "form": form,
            "masked_email": mask_email(request.user.email),
            "masked_mobile": mask_phone(mobile),
        },
    )


# -- 办件查询 (no account needed) ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackingForm(request.POST or None)
    result = None
    not_found = False
    throttled = False
    status = 200
    if request.method == "POST":
        allowed, first_refusal = hit(
            "track",
            request,
            limit=settings.GOVPORTAL_TRACK_LIMIT,
            window=settings.GOVPORTAL_TRACK_WINDOW_SECONDS,
        )
        if not allowed:
            throttled = True
            status = 429
            if first_refusal:
                services.record_throttled(
                    "personal.track_throttled", limit=settings.GOVPORTAL_TRACK_LIMIT
                )
        elif form.is_valid():
            result = case_registry.lookup(
                form.cleaned_data["tracking_code"], form.cleaned_data["verification"]
            )
            not_found = result is None
    window_minutes = max(1, settings.GOVPORTAL_TRACK_WINDOW_SECONDS // 60)
    return render(
        request,
        "personal/track.html",
        {
            "form": form,
            "result": result,
            "not_found": not_found,
            "throttled": throttled,
            "window_text": f"{window_minutes // 60} 小时"
            if window_minutes % 60 == 0
            else f"{window_minutes} 分钟",
            "case_types": case_registry.case_types(),
        },
        status=status,
    )
