"""Admin views of 站点人员与权限: people and their roles, channel delegations.

Every view resolves the site from the URL and answers 403 unless the user manages it
(:func:`access.can_manage_site`); people and delegations are looked up *within* that site
(404 otherwise). The services check the same again when acting.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from govportal.core.errors import error_text

from . import access, services
from .forms import (
    DelegationEditForm,
    DelegationForm,
    ExistingUserForm,
    NewStaffForm,
    PasswordResetForm,
    RolesForm,
    SearchForm,
)
from .models import ChannelDelegation

PER_PAGE = 30


def forbidden(request, message: str = ""):
    """403 without a word about the site asked for."""
    return TemplateResponse(request, "siteadmin/forbidden.html", {"message": message}, status=403)


class AdminView(WagtailAdminTemplateMixin):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("siteadmin:index"), "label": "站点人员与权限"}]
        site = getattr(self, "site", None)
        if site is not None:
            items.append(
                {"url": reverse("siteadmin:staff", args=(site.pk,)), "label": site.site_name}
            )
        return self.breadcrumbs_items + items + [{"url": "", "label": self.get_page_title()}]


class SiteView(AdminView):
    """Loads the site from the URL; only its managers get further."""

    def dispatch(self, request, site_id, *args, **kwargs):
        site = Site.objects.select_related("root_page").filter(pk=site_id).first()
        if not access.can_manage_site(request.user, site):
            return forbidden(request)
        self.site = site
        try:
            return super().dispatch(request, *args, site_id=site_id, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    def get_page_subtitle(self):
        return self.site.site_name

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.site, **kwargs)

    def staff_url(self):
        return reverse("siteadmin:staff", args=(self.site.pk,))


class PersonMixin:
    """A person of this site (someone holding one of its roles), else 404."""

    def load_person(self, user_id):
        person = access.site_people(self.site).filter(pk=user_id).first()
        if person is None:
            raise Http404
        return person


class IndexView(AdminView, TemplateView):
    """Pick one of my sites (only mine)."""

    template_name = "siteadmin/index.html"
    page_title = "站点人员与权限"

    def dispatch(self, request, *args, **kwargs):
        self.sites = access.managed_sites(request.user)
        if not self.sites:
            return forbidden(request)
        if len(self.sites) == 1:
            return redirect("siteadmin:staff", self.sites[0].pk)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(sites=self.sites, **kwargs)


class StaffView(SiteView, TemplateView):
    """The site's people and their roles on this site, searchable and paginated."""

    template_name = "siteadmin/staff.html"
    page_title = "人员与角色"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        groups = access.site_groups(self.site)
        people = (
            access.site_people(self.site)
            .prefetch_related(
                Prefetch("groups", queryset=groups.order_by("pk"), to_attr="site_groups")
            )
            .order_by("username")
        )
        if query:
            people = people.filter(
                Q(username__icontains=query)
                | Q(display_name__icontains=query)
                | Q(email__icontains=query)
                | Q(mobile__icontains=query)
            )
        page = Paginator(people, PER_PAGE).get_page(self.request.GET.get("p"))
        labels = services.role_labels(self.site)
        order = {pk: i for i, pk in enumerate(labels)}
        for person in page:
            person.roles = [
                labels.get(g.pk, g.name)
                for g in sorted(person.site_groups, key=lambda g: order.get(g.pk, len(order)))
            ]
        return super().get_context_data(
            people=page,
            search_form=form,
            query=query,
            can_switch=len(access.managed_sites(self.request.user)) > 1,
            history=services.site_log_entries(self.site)[:10],
            **kwargs,
        )


class NewStaffView(SiteView, FormView):
    template_name = "siteadmin/form.html"
    page_title = "新建人员账号"
    form_class = NewStaffForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.create_staff_user(
                self.site,
                self.request.user,
                username=data["username"],
                password=data["password1"],
                groups=data["roles"],
                display_name=data["display_name"],
                email=data["email"],
                mobile=data["mobile"],
                organization=data["organization"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已新建账号“{user.username}”并授予本站点角色。")
        return redirect(self.staff_url())


class AddExistingView(SiteView, FormView):
    template_name = "siteadmin/form.html"
    page_title = "添加已有用户"
    form_class = ExistingUserForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def form_valid(self, form):
        try:
            user = services.add_existing_user(
                self.site,
                self.request.user,
                form.cleaned_data["username"],
                form.cleaned_data["roles"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已将“{user}”添加为本站点人员。")
        return redirect(self.staff_url())


class PersonView(SiteView, PersonMixin, FormView):
    """Change a person's roles on this site; remove them; (de)activate a one-site account."""

    template_name = "siteadmin/person.html"
    page_title = "人员角色"
    form_class = RolesForm

    def get_person(self):
        if not hasattr(self, "person"):
            self.person = self.load_person(self.kwargs["user_id"])
        return self.person

    def get_page_subtitle(self):
        return str(self.get_person())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_initial(self):
        return {"roles": [g.pk for g in services.person_groups(self.site, self.get_person())]}

    def get_context_data(self, **kwargs):
        person = self.get_person()
        return super().get_context_data(
            person=person,
            only_here=services.only_on_site(self.site, person),
            is_self=person.pk == self.request.user.pk,
            can_reset_password=services.can_reset_password(self.site, self.request.user, person),
            **kwargs,
        )

    def form_valid(self, form):
        person = self.get_person()
        try:
            services.set_roles(self.site, self.request.user, person, form.cleaned_data["roles"])
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已更新“{person}”在本站点的角色。")
        return redirect(self.staff_url())


class ConfirmView(TemplateView):
    """A GET confirmation page for a POST that takes something away (like Wagtail's delete
    confirmations): what will happen, a confirm button and a way back. No JavaScript.

    Subclasses name ``template_name`` again: the admin mixins before this one set their own.
    """

    template_name = "siteadmin/confirm.html"
    confirm_label = "确认"

    def confirmation(self) -> dict:
        """``summary``, ``losses`` (what is taken away, one line each), ``notes``."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.confirmation(),
            confirm_label=self.confirm_label,
            cancel_url=self.cancel_url(),
            **kwargs,
        )


class PersonActionView(SiteView, PersonMixin, ConfirmView):
    """Remove from this site, deactivate, activate: GET asks, POST does it."""

    template_name = ConfirmView.template_name
    ACTIONS = {
        "remove": ("移出本站点", "确认移出"),
        "deactivate": ("停用账号", "确认停用"),
        "activate": ("启用账号", "确认启用"),
    }

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("action") not in self.ACTIONS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.ACTIONS[self.kwargs["action"]][0]

    def get_page_subtitle(self):
        return str(self.person)

    def cancel_url(self):
        return reverse("siteadmin:person", args=(self.site.pk, self.person.pk))

    def refusal(self) -> str:
        """Why the action cannot be done (shown instead of the confirmation), or ""."""
        person, user, action = self.person, self.request.user, self.kwargs["action"]
        if action == "remove" and person.pk == user.pk and not access.is_platform_operator(user):
            return "不能把自己移出本站点。"
        if action != "remove":
            if person.pk == user.pk:
                return "不能停用或启用自己的账号。"
            if not services.only_on_site(self.site, person):
                return "该用户还在其他站点任职，只能由平台管理员停用或启用。"
        return ""

    def confirmation(self) -> dict:
        person, site, action = self.person, self.site, self.kwargs["action"]
        name = f"{person}（{person.username}）"
        if action == "remove":
            roles = services.labels_of(site, services.person_groups(site, person))
            notes = ["其在其他站点的角色不受影响；此人已编辑、发布的信息保留。"]
            if any(role.startswith("栏目授权：") for role in roles):
                notes.append("此人将同时退出上列栏目授权，不能再维护这些栏目。")
            return {
                "summary": f"确定要将 {name} 移出{site.site_name}吗？此人将失去在本站点的以下角色及其权限：",
                "losses": roles,
                "notes": notes,
            }
        if action == "deactivate":
            return {
                "summary": f"确定要停用 {name} 的账号吗？停用后此人不能再登录本平台。",
                "losses": [],
                "notes": ["在本站点的角色保留，可随时重新启用。"],
            }
        return {
            "summary": f"确定要启用 {name} 的账号吗？启用后此人可按原有角色登录。",
            "losses": [],
            "notes": [],
        }

    def get(self, request, site_id, user_id, action):
        self.person = self.load_person(user_id)
        if reason := self.refusal():
            messages.error(request, reason)
            return redirect(self.cancel_url())
        self.confirm_label = self.ACTIONS[action][1]
        return super().get(request, site_id=site_id, user_id=user_id, action=action)

    def post(self, request, site_id, user_id, action):
        person = self.load_person(user_id)
        try:
            if action == "remove":
                services.remove_from_site(self.site, request.user, person)
                messages.success(request, f"已将“{person}”移出本站点（其在其他站点的角色不变）。")
            elif action == "deactivate":
                services.set_active(self.site, request.user, person, False)
                messages.success(request, f"已停用“{person}”的账号。")
            else:
                services.set_active(self.site, request.user, person, True)
                messages.success(request, f"已启用“{person}”的账号。")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("siteadmin:person", self.site.pk, person.pk)
        return redirect(self.staff_url())


class PasswordResetView(SiteView, PersonMixin, FormView):
    """重置密码 for a one-site account of this site: typed twice, never shown again."""

    template_name = "siteadmin/form.html"
    page_title = "重置密码"
    form_class = PasswordResetForm

    def get(self, request, *args, **kwargs):
        return self.refuse_or(super().get, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_or(super().post, request, *args, **kwargs)

    def refuse_or(self, handler, request, *args, **kwargs):
        self.person = self.load_person(self.kwargs["user_id"])
        if not services.can_reset_password(self.site, request.user, self.person):
            return forbidden(request, "只能为仅在本站点任职的其他人员重置密码。")
        return handler(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.person)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=f"为 {self.person}（{self.person.username}）设置新密码。设置后此人已登录的会话"
            "立即失效，须用新密码重新登录；本页不会再显示这个密码。",
            submit_label="重置密码",
            back_url=reverse("siteadmin:person", args=(self.site.pk, self.person.pk)),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.reset_password(
                self.site, self.request.user, self.person, form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已重置“{self.person}”的密码，请告知本人登录后自行修改。")
        return redirect("siteadmin:person", self.site.pk, self.person.pk)


# -- channel delegation ------------------------------------------------------------------


class DelegationListView(SiteView, TemplateView):
    template_name = "siteadmin/delegations.html"
    page_title = "栏目授权"

    def get_context_data(self, **kwargs):
        delegations = (
            ChannelDelegation.objects.filter(site=self.site)
            .select_related("channel", "organization", "created_by", "group")
            .prefetch_related("group__user_set")
            .order_by("channel__path", "pk")
        )
        return super().get_context_data(delegations=delegations, **kwargs)


class DelegationCreateView(SiteView, FormView):
    template_name = "siteadmin/form.html"
    page_title = "新建栏目授权"
    form_class = DelegationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro="被授权人员只能在所选栏目及其下级栏目中新建和修改信息，发布仍须经过本站点的审核流程；"
            "可使用本站点的图片和文档。",
            no_organizations=not services.organizations_for(self.site).exists(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            delegation = services.create_delegation(
                self.site,
                self.request.user,
                data["channel"],
                data["organization"],
                members=data["members"],
                usernames=data["usernames"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已将栏目“{delegation.channel.title}”授权给{delegation.organization.name}。",
        )
        return redirect("siteadmin:delegations", self.site.pk)


class DelegationMixin:
    def load_delegation(self, pk):
        return get_object_or_404(
            ChannelDelegation.objects.select_related("channel", "organization", "group", "site"),
            pk=pk,
            site=self.site,
        )


class DelegationEditView(SiteView, DelegationMixin, FormView):
    """Change the unit and the people of a delegation (its channel stays)."""

    template_name = "siteadmin/delegation_edit.html"
    page_title = "修改栏目授权"
    form_class = DelegationEditForm

    def get_delegation(self):
        if not hasattr(self, "delegation"):
            self.delegation = self.load_delegation(self.kwargs["pk"])
        return self.delegation

    def get_page_subtitle(self):
        return f"{self.get_delegation().channel.title} → {self.get_delegation().organization.name}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.site}

    def get_initial(self):
        delegation = self.get_delegation()
        return {
            "organization": delegation.organization_id,
            "members": list(delegation.group.user_set.values_list("pk", flat=True)),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(delegation=self.get_delegation(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.update_delegation(
                self.get_delegation(),
                self.request.user,
                organization=data["organization"],
                members=data["members"],
                usernames=data["usernames"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已更新栏目“{self.get_delegation().channel.title}”的授权。")
        return redirect("siteadmin:delegations", self.site.pk)


class DelegationRevokeView(SiteView, DelegationMixin, ConfirmView):
    """撤销授权: GET asks (who loses what), POST revokes."""

    template_name = ConfirmView.template_name
    page_title = "撤销栏目授权"
    confirm_label = "确认撤销"

    def get_page_subtitle(self):
        return str(self.delegation)

    def cancel_url(self):
        return reverse("siteadmin:delegations", args=(self.site.pk,))

    def confirmation(self) -> dict:
        delegation = self.delegation
        members = [
            f"{u.display_name or u.username}（{u.username}）"
            for u in delegation.group.user_set.order_by("username")
        ]
        return {
            "summary": (
                f"确定要撤销栏目“{delegation.channel.title}”对{delegation.organization.name}的授权吗？"
                "以下人员将不能再在该栏目及其下级栏目中新建和修改信息，也不能再使用本站点的图片和文档"
                "（除非另有本站点角色）："
            ),
            "losses": members or ["（目前没有授权人员）"],
            "notes": [
                f"授权用户组“{delegation.group.name}”将被删除。已提交或发布的信息保留。",
            ],
        }

    def get(self, request, site_id, pk):
        self.delegation = self.load_delegation(pk)
        return super().get(request, site_id=site_id, pk=pk)

    def post(self, request, site_id, pk):
        delegation = self.load_delegation(pk)
        title, org = delegation.channel.title, delegation.organization.name
        services.revoke_delegation(delegation, request.user)
        messages.success(request, f"已撤销栏目“{title}”对{org}的授权。")
        return redirect("siteadmin:delegations", self.site.pk)
