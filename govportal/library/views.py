"""Admin views of the 统一信息资源库: the library list, an item, 入库, upload, push, place,
the push inbox and its decisions.

Each view checks permissions before showing anything (hiding what the user cannot do);
the services check them again when acting.
"""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry, Page, Site

from govportal.content.models import ArticlePage
from govportal.core.errors import error_text
from govportal.organizations.models import Organization
from govportal.siteadmin import access

from . import services
from .forms import (
    SORT_FIELDS,
    AddArticleForm,
    DeclineForm,
    ExistingMediaForm,
    FilterForm,
    PlaceForm,
    PushForm,
    UploadForm,
)
from .models import LibraryItem, LibraryPush, LibraryReferencePage, PushStatus

PER_PAGE = 25


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "folder-open-inverse"
    intro = ""  # the explanation above a form (library/form.html)
    submit_label = ""

    def get_intro(self) -> str:
        return self.intro

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=self.get_intro(), submit_label=self.submit_label, **kwargs
        )

    def dispatch(self, request, *args, **kwargs):
        if not services.can_use_library(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("library:index"), "label": "统一信息资源库"},
            {"url": "", "label": self.get_page_title()},
        ]


class ItemMixin:
    """Loads the item; only users it is visible to get further."""

    def dispatch(self, request, pk, *args, **kwargs):
        if not services.can_use_library(request.user):
            raise PermissionDenied
        self.item = get_object_or_404(
            services.visible_items(request.user).select_related(
                "article", "source_site", "organization", "document", "image", "created_by"
            ),
            pk=pk,
        )
        return super().dispatch(request, pk, *args, **kwargs)

    def get_page_subtitle(self):
        return self.item.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)

    def to_item(self):
        return redirect("library:detail", self.item.pk)


class IndexView(AdminView, TemplateView):
    """资源库: the items visible to the user, filtered and sorted, with their reuse count."""

    template_name = "library/index.html"
    page_title = "统一信息资源库"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "统一信息资源库"}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = services.visible_items(user)
        organizations = Organization.objects.filter(
            pk__in=visible.exclude(organization=None).values("organization")
        ).order_by("path")
        form = FilterForm(self.request.GET or None, organizations=organizations)
        items = services.with_reuse_count(visible).select_related(
            "source_site", "organization", "article"
        )
        sort = "-time"
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                items = items.filter(title__icontains=data["q"])
            if data["kind"]:
                items = items.filter(kind=data["kind"])
            if data["organization"]:
                items = items.filter(organization__path__startswith=data["organization"].path)
            if data["status"]:
                items = items.filter(status=data["status"])
            tz = timezone.get_current_timezone()
            if data["date_from"]:
                items = items.filter(
                    original_time__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz)
                )
            if data["date_to"]:
                items = items.filter(
                    original_time__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz)
                )
            sort = data["sort"] or sort
        items = items.order_by(*SORT_FIELDS[sort])
        page = Paginator(items, PER_PAGE).get_page(self.request.GET.get("p"))
        for item in page:
            item.user_can_manage = services.can_manage(user, item)
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(
            form=form,
            items=page,
            query=query.urlencode(),
            total=visible.count(),
            **kwargs,
        )


class DetailView(ItemMixin, AdminView, TemplateView):
    """One item: what it is, where it appears, its pushes and its history."""

    template_name = "library/detail.html"
    page_title = "资源详情"

    def get_context_data(self, **kwargs):
        user = self.request.user
        item = self.item
        sites = {site.pk: site for site in Site.objects.select_related("root_page")}
        roots = {pk: site.root_page.path for pk, site in sites.items()}
        references = list(
            LibraryReferencePage.objects.filter(item=item)
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth", "live", "withdrawn_by_source")
        )
        parents = {
            p.path: p
            for p in Page.objects.filter(
                path__in={r.path[: -Page.steplen] for r in references}
            ).only("id", "title", "path", "depth", "url_path")
        }
        handled = {s.pk for s in access.handled_sites(user)}
        for ref in references:
            ref.site = sites.get(access.site_for_path(ref.path, roots))
            ref.channel = parents.get(ref.path[: -Page.steplen])
            ref.user_can_edit = user.is_superuser or (
                ref.site is not None and ref.site.pk in handled
            )
        pushes = item.pushes.select_related(
            "target_site", "pushed_by", "decided_by", "reference_page"
        )
        history = (
            ModelLogEntry.objects.for_instance(item)
            .select_related("user")
            .order_by("-timestamp")[:50]
        )
        can_manage = services.can_manage(user, item)
        return super().get_context_data(
            references=references,
            live_count=sum(1 for r in references if r.live),
            pushes=pushes,
            history=history,
            can_manage=can_manage,
            can_place=item.is_available and bool(services.placeable_sites(user, item)),
            **kwargs,
        )


class AddArticleView(AdminView, FormView):
    """入库: a live article of the user's site goes into the library."""

    template_name = "library/form.html"
    form_class = AddArticleForm
    page_title = "加入资源库"
    submit_label = "加入资源库"

    def dispatch(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id).specific
        if type(page) is not ArticlePage or not services.can_add_article(request.user, page):
            raise PermissionDenied
        self.article = page
        existing = LibraryItem.objects.filter(article=page).first()
        if existing is not None:
            messages.info(request, "该文章已在资源库中。")
            return redirect("library:detail", existing.pk)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.article.title

    def get_intro(self) -> str:
        return (
            f"“{self.article.title}”加入资源库后，其他站点可以引用或接收推送，"
            "各站显示的内容始终与原文一致：修改原文后各处同步更新，撤下原文后各处同时撤下。"
        )

    def form_valid(self, form):
        try:
            item = services.add_article(self.article, self.request.user, form.cleaned_data["scope"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已将“{item.title}”加入资源库。")
        return redirect("library:detail", item.pk)


class UploadView(AdminView, FormView):
    """入库: upload a document, image or video for one of the user's sites."""

    template_name = "library/form.html"
    form_class = UploadForm
    page_title = "上传资源"
    intro = "上传的文档、图片和视频存入资源库，由各站点引用到自己的栏目中。"
    submit_label = "上传并入库"

    def get_form_kwargs(self):
        site_ids = [s.pk for s in access.handled_sites(self.request.user)]
        return {
            **super().get_form_kwargs(),
            "sites": Site.objects.filter(pk__in=site_ids).order_by("-is_default_site", "site_name"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(multipart=True, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.upload(
                self.request.user,
                data["site"],
                title=data["title"],
                file=data["upload"],
                kind=data["kind"],
                description=data["description"],
                scope=data["scope"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已将“{item.title}”上传到资源库。")
        return redirect("library:detail", item.pk)


class AddExistingMediaView(AdminView, FormView):
    """入库: a document, video or image already stored on one of the user's sites."""

    template_name = "library/form.html"
    form_class = ExistingMediaForm
    page_title = "本站文件入库"
    intro = (
        "从本站点已上传的文档、视频和图片中选择一项放入资源库，文件本身不复制："
        "在本站修改标题或删除文件后，各站点的引用随之更新或下线。只能选择本站点的文件。"
    )
    submit_label = "加入资源库"

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "documents": services.own_documents(user),
            "images": services.own_images(user),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.add_existing_media(
                self.request.user,
                document=data["document"],
                image=data["image"],
                description=data["description"],
                scope=data["scope"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已将“{item.title}”加入资源库。")
        return redirect("library:detail", item.pk)


class PushView(ItemMixin, AdminView, FormView):
    """推送: offer the item to other sites."""

    template_name = "library/form.html"
    form_class = PushForm
    page_title = "推送资源"
    intro = "接收站点的编辑在“推送收件箱”中决定放到哪个栏目，或拒绝。"
    submit_label = "推送"

    def get_form_kwargs(self):
        item = self.item
        if not services.can_manage(self.request.user, item):
            raise PermissionDenied
        pending = item.pushes.filter(status=PushStatus.PENDING).values("target_site")
        candidates = [
            s.pk
            for s in Site.objects.exclude(pk=item.source_site_id).exclude(pk__in=pending)
            if services.shared_with_site(item, s)
        ]
        sites = Site.objects.filter(pk__in=candidates).order_by("-is_default_site", "site_name")
        return {**super().get_form_kwargs(), "sites": sites}

    def form_valid(self, form):
        done, errors = [], []
        for site in form.cleaned_data["target_sites"]:
            try:
                services.push(self.item, self.request.user, site, form.cleaned_data["note"])
                done.append(site.site_name)
            except ValidationError as exc:
                errors.append(error_text(exc))
        if errors:
            for error in errors:
                form.add_error(None, error)
            if not done:
                return self.form_invalid(form)
            messages.warning(self.request, "；".join(errors))
        messages.success(self.request, f"已推送到{'、'.join(done)}。")
        return self.to_item()


class PlaceView(ItemMixin, AdminView, FormView):
    """引用: place the item in a channel of one of the user's sites."""

    template_name = "library/form.html"
    form_class = PlaceForm
    page_title = "引用到本站栏目"
    intro = (
        "引用不复制内容：本站栏目中显示的是资源库中的原文，注明来源站点和原发布时间，"
        "原文修改或撤下时自动同步。有发布权限时立即发布，否则进入本站审核流程。"
    )
    submit_label = "引用"

    def get_form_kwargs(self):
        sites = services.placeable_sites(self.request.user, self.item)
        if not sites:
            raise PermissionDenied
        return {
            **super().get_form_kwargs(),
            "channels": services.placeable_channels(self.request.user, self.item),
            "sites": sites,
        }

    def form_valid(self, form):
        channel = form.cleaned_data["channel"]
        try:
            page = services.place(self.item, self.request.user, channel)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        state = "已发布" if page.live else "已提交审核"
        messages.success(self.request, f"已引用到“{channel.title}”（{state}）。")
        return self.to_item()


class WithdrawView(ItemMixin, View):
    def post(self, request, pk):
        try:
            services.withdraw(self.item, request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已撤回该资源，所有引用页已同时下线。")
        return self.to_item()


class RestoreView(ItemMixin, View):
    def post(self, request, pk):
        try:
            services.restore(self.item, request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已恢复该资源，随之下线的引用页已重新上线。")
        return self.to_item()


class InboxView(AdminView, TemplateView):
    """推送收件箱: pushes to the sites where the user may add pages."""

    template_name = "library/inbox.html"
    page_title = "推送收件箱"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("library:index"), "label": "统一信息资源库"},
            {"url": "", "label": "推送收件箱"},
        ]

    def get_context_data(self, **kwargs):
        sites = access.handled_sites(self.request.user)
        site_ids = [s.pk for s in sites]
        status = self.request.GET.get("status", PushStatus.PENDING)
        pushes = LibraryPush.objects.filter(target_site_id__in=site_ids).select_related(
            "item__source_site", "item__organization", "target_site", "pushed_by", "decided_by"
        )
        if status in PushStatus.values:
            pushes = pushes.filter(status=status)
        else:
            status = ""
        page = Paginator(pushes, PER_PAGE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            items=page,
            status=status,
            status_choices=[("", "全部")] + list(PushStatus.choices),
            pending_count=LibraryPush.objects.filter(
                target_site_id__in=site_ids, status=PushStatus.PENDING
            ).count(),
            **kwargs,
        )


class PushDecisionMixin:
    def dispatch(self, request, pk):
        if not services.can_use_library(request.user):
            raise PermissionDenied
        self.push = get_object_or_404(
            LibraryPush.objects.select_related(
                "item__source_site", "item__organization", "item__article", "target_site__root_page"
            ),
            pk=pk,
        )
        if not services.can_decide(request.user, self.push):
            raise PermissionDenied
        self.item = self.push.item
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.item.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, push=self.push, **kwargs)


class PushPlaceView(PushDecisionMixin, AdminView, FormView):
    template_name = "library/form.html"
    form_class = PlaceForm
    page_title = "采用推送"
    submit_label = "采用"

    def get_form_kwargs(self):
        site = self.push.target_site
        return {
            **super().get_form_kwargs(),
            "channels": services.placeable_channels(self.request.user, self.item, site),
            "sites": [site],
        }

    def get_intro(self) -> str:
        return (
            f"将这条资源放到{self.push.target_site.site_name}的栏目中（不复制内容，随原文同步）。"
        )

    def form_valid(self, form):
        channel = form.cleaned_data["channel"]
        try:
            page = services.place_push(self.push, self.request.user, channel)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        state = "已发布" if page.live else "已提交审核"
        messages.success(
            self.request, f"已采用“{self.item.title}”，放到“{channel.title}”（{state}）。"
        )
        return redirect("library:inbox")


class PushDeclineView(PushDecisionMixin, AdminView, FormView):
    template_name = "library/form.html"
    form_class = DeclineForm
    page_title = "拒绝推送"
    submit_label = "拒绝"

    def form_valid(self, form):
        try:
            services.decline_push(self.push, self.request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已拒绝“{self.item.title}”。")
        return redirect("library:inbox")
