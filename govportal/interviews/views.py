"""Public views (ask a question, the live stream) and the moderation console (访谈管理)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from govportal.personal import throttle
from govportal.sites.roles import site_collection_of

from . import services
from .forms import MessageForm, QuestionForm
from .models import InterviewPage, InterviewStatus, Question, QuestionStatus, SpeakerRole

ASK_LIMIT = 5  # questions per address …
ASK_WINDOW = 600  # … per ten minutes
POLL_SECONDS = 5


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# -- public ---------------------------------------------------------------------------------
def ask(request, page: InterviewPage):
    """POST a question; without JS the form posts here and comes back to the page."""
    if request.method != "POST":
        return redirect(page.get_url(request))
    form = QuestionForm(request.POST)
    error = None
    status = 400
    if form.is_bot:
        # Pretend it worked; nothing is stored.
        return _asked(request, page)
    if page.status != InterviewStatus.LIVE:
        error = "访谈不在直播中，暂不能提问。"
    elif form.is_valid():
        allowed, _first = throttle.hit("interview-ask", request, limit=ASK_LIMIT, window=ASK_WINDOW)
        if not allowed:
            error = "提问过于频繁，请10分钟后再试。您填写的内容已保留。"
            status = 429
        else:
            try:
                services.submit_question(
                    page,
                    form.cleaned_data["text"],
                    nickname=form.cleaned_data["nickname"],
                    user=request.user,
                    request=request,
                )
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                return _asked(request, page)
    else:
        error = "提交未成功，请按提示修改。"
    if error and not form.errors:
        form.is_valid()
        form.add_error(None, error)
    elif error and form.errors and error not in form.non_field_errors():
        form.add_error(None, error)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "errors": {k: [str(m) for m in v] for k, v in form.errors.items()},
            },
            status=status,
        )
    response = page.render(request, context_overrides={"form": form, "asked": False})
    response.status_code = status
    return response


def _asked(request, page):
    message = "提问已提交，经审核后显示，感谢您的参与。"
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    return redirect(page.get_url(request) + "?asked=1#ask")


def stream(request, page: InterviewPage):
    """JSON of what is new since ``?since=<seq>``; 304 when the client's ETag still holds."""
    try:
        since = max(0, int(request.GET.get("since", "0")))
    except ValueError:
        since = 0
    status = page.status
    cursor = services.public_cursor(page)
    etag = f'"iv{page.pk}-{since}-{cursor}-{status}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        items = services.public_stream(page, since) if cursor > since else []
        response = JsonResponse(
            {
                "status": status,
                "status_label": InterviewStatus(status).label,
                "cursor": cursor,
                "poll": POLL_SECONDS if status == InterviewStatus.LIVE else 0,
                "items": [
                    {
                        "key": item.key,
                        "kind": item.kind,
                        "seq": item.seq,
                        "answered": item.answered,
                        "summary": _announcement(item),
                        "html": render_to_string(
                            "interviews/_stream_item.html", {"item": item}, request=request
                        ),
                    }
                    for item in items
                ],
            }
        )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _announcement(item) -> str:
    if item.kind == "qa" and item.obj.answer:
        return f"{item.obj.guest_name}回答了网友提问"
    if item.kind == "message":
        return f"{item.obj.speaker}发布了新消息"
    return ""


# -- admin: the moderation console -----------------------------------------------------------
class ConsoleMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(page, InterviewPage):
            raise PermissionDenied
        if not services.can_open_console(request.user, page):
            raise PermissionDenied
        self.interview = page
        self.moderator = services.can_moderate(request.user, page)
        self.own_guest = services.guest_of(request.user, page)
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_page_title(self):
        return "访谈管理"

    def get_page_subtitle(self):
        return self.interview.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("interviews_admin:index"), "label": "在线访谈"},
            {"url": "", "label": self.interview.title},
        ]

    def speakers(self):
        guests = list(self.interview.guests.all())
        if self.moderator:
            return [("host", "主持人")] + [(f"guest-{g.pk}", f"嘉宾 {g.name}") for g in guests]
        return [(f"guest-{self.own_guest.pk}", f"嘉宾 {self.own_guest.name}")]

    def panel_context(self):
        questions = list(
            Question.objects.filter(interview=self.interview)
            .select_related("answered_by_guest", "duplicate_of")
            .order_by("created_at", "pk")
        )
        by_status = {s: [] for s in QuestionStatus.values}
        for q in questions:
            by_status[q.status].append(q)
        approved = by_status[QuestionStatus.APPROVED]
        return {
            "interview": self.interview,
            "moderator": self.moderator,
            "own_guest": self.own_guest,
            "guests": list(self.interview.guests.all()),
            "pending": by_status[QuestionStatus.PENDING],
            "to_answer": [q for q in approved if not q.answer],
            "answered": [q for q in approved if q.answer],
            "closed": by_status[QuestionStatus.REJECTED] + by_status[QuestionStatus.MERGED],
            "merge_targets": by_status[QuestionStatus.PENDING] + approved,
            "messages_posted": list(
                self.interview.messages.select_related("guest").order_by("-created_at")[:20]
            ),
            "revision": services.console_revision(self.interview),
        }


class ConsoleView(ConsoleMixin, TemplateView):
    template_name = "interviews/console.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.panel_context())
        context["status"] = self.interview.status
        context["message_form"] = kwargs.get("message_form") or MessageForm(
            speakers=self.speakers()
        )
        context["panel_url"] = reverse("interviews_admin:panel", args=(self.interview.pk,))
        context["public_url"] = self.interview.get_url(self.request)
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = {
            "approve": self._approve,
            "reject": self._reject,
            "merge": self._merge,
            "answer": self._answer,
            "post": self._post,
        }.get(action)
        if handler is None:
            messages.error(request, "无法识别的操作。")
            return self._back()
        try:
            return handler(request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return self._back()

    def _back(self):
        return redirect(reverse("interviews_admin:console", args=(self.interview.pk,)))

    def _question(self, request, name="question"):
        try:
            pk = int(request.POST.get(name, ""))
        except ValueError:
            raise ValidationError("请选择提问。") from None
        return get_object_or_404(Question, pk=pk, interview=self.interview)

    def _approve(self, request):
        question = services.approve(self._question(request), request.user, request)
        messages.success(request, f"已通过提问 #{question.pk}，已在访谈页面公开。")
        return self._back()

    def _reject(self, request):
        question = services.reject(
            self._question(request), request.user, request.POST.get("reason", ""), request
        )
        messages.success(request, f"提问 #{question.pk} 不予采用。")
        return self._back()

    def _merge(self, request):
        question = self._question(request)
        target = self._question(request, "target")
        services.merge(question, target, request.user, request)
        messages.success(request, f"提问 #{question.pk} 已合并到 #{target.pk}。")
        return self._back()

    def _answer(self, request):
        question = self._question(request)
        guest = None
        if request.POST.get("guest"):
            guest = self.interview.guests.filter(pk=request.POST["guest"]).first()
            if guest is None:
                raise ValidationError("所选嘉宾不属于本次访谈。")
        text = request.POST.get("answer", "")
        if not text.strip():
            raise ValidationError(f"请填写提问 #{question.pk} 的回答内容。")
        services.answer(question, request.user, text, guest=guest, request=request)
        messages.success(request, f"已回答提问 #{question.pk}，访谈页面将自动显示。")
        return self._back()

    def _post(self, request):
        form = MessageForm(request.POST, request.FILES, speakers=self.speakers())
        if not form.is_valid():
            messages.error(request, "消息未发布，请按提示修改。")
            return self.render_to_response(self.get_context_data(message_form=form))
        speaker = form.cleaned_data["speaker"]
        role, guest = SpeakerRole.HOST, None
        if speaker.startswith("guest-"):
            role = SpeakerRole.GUEST
            guest = self.interview.guests.filter(pk=speaker.removeprefix("guest-")).first()
        image = None
        upload = form.cleaned_data.get("image")
        if upload:
            site = self.interview.get_site()
            collection = (site_collection_of(site.root_page) if site else None) or (
                Collection.get_first_root_node()
            )
            image = get_image_model()(
                title=f"{self.interview.title}图片直播", file=upload, collection=collection
            )
            image.save()
        try:
            services.post_message(
                self.interview,
                request.user,
                form.cleaned_data["text"],
                role=role,
                guest=guest,
                image=image,
                image_alt=form.cleaned_data.get("image_alt", ""),
                request=request,
            )
        except ValidationError as exc:
            if image is not None:
                image.delete()
            form.add_error(None, "；".join(exc.messages))
            return self.render_to_response(self.get_context_data(message_form=form))
        messages.success(request, "消息已发布。")
        return self._back()


class ConsolePanelView(ConsoleMixin, View):
    """The console's lists as HTML, polled every few seconds; 304 while nothing changed."""

    def get(self, request, *args, **kwargs):
        revision = services.console_revision(self.interview)
        etag = f'"ivc{self.interview.pk}-{revision}-{self.interview.status}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            context = self.panel_context()
            context["request"] = request
            response = HttpResponse(
                render_to_string("interviews/_console_panel.html", context, request=request)
            )
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response


class InterviewIndexView(WagtailAdminTemplateMixin, TemplateView):
    """在线访谈: the interviews this person moderates or is a guest of."""

    template_name = "interviews/index.html"
    page_title = "在线访谈"
    header_icon = "group"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = []
        pages = InterviewPage.objects.order_by("-starts_at")
        guest_pages = set(
            InterviewPage.objects.filter(guests__user=user).values_list("pk", flat=True)
        )
        for page in pages.select_related("live_state"):
            if page.pk in guest_pages or services.can_moderate(user, page):
                pending = page.questions.filter(status=QuestionStatus.PENDING).count()
                rows.append({"page": page, "pending": pending, "guest": page.pk in guest_pages})
        return super().get_context_data(rows=rows, now=timezone.now(), **kwargs)
