"""站群管理 in the admin: every site of the group, and 新建网站 in one form.

Only platform operators (集约化平台管理员) may see these pages; anyone else who reaches
them gets 403.
"""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Site, WorkflowPage

from govportal.content.models import ArticlePage
from govportal.siteadmin.access import is_platform_operator
from govportal.sites.models import SiteProfile, SiteTheme

from . import services, themes
from .forms import ProvisionSiteForm
from .templates import TEMPLATES


class OperatorView(WagtailAdminTemplateMixin):
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not is_platform_operator(request.user):
            context = {"page_title": "无权访问", "header_icon": "warning"}
            return TemplateResponse(request, "provisioning/forbidden.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("provisioning:index"), "label": "站群管理"}]
        if self.get_page_title() != "站群管理":
            items.append({"url": "", "label": self.get_page_title()})
        return self.breadcrumbs_items + items


def _site_rows():
    theme_labels = dict(SiteTheme.choices)
    swatches = themes.swatches()
    profiles = {p.site_id: p for p in SiteProfile.objects.all()}
    sites = list(
        Site.objects.select_related("root_page", "organization_link__organization").order_by(
            "hostname", "port"
        )
    )
    roots = {site.root_page_id: site.root_page for site in sites}
    page_counts: dict[int, tuple[int, int]] = {}
    for root_id, root in roots.items():
        under = Page.objects.filter(path__startswith=root.path)
        page_counts[root_id] = (
            under.count(),
            ArticlePage.objects.filter(path__startswith=root.path).count(),
        )
    admin_groups = {p.site_id: f"{p.short_name}·站点管理员" for p in profiles.values()}
    members = {
        group.name: [u.get_username() for u in group.user_set.order_by("username")]
        for group in Group.objects.filter(name__in=admin_groups.values()).prefetch_related(
            "user_set"
        )
    }
    rows = []
    for site in sites:
        profile = profiles.get(site.pk)
        link = getattr(site, "organization_link", None)
        pages, articles = page_counts.get(site.root_page_id, (0, 0))
        rows.append(
            {
                "site": site,
                "profile": profile,
                "name": profile.display_name if profile else site.site_name or site.hostname,
                "hosts": [f"{site.hostname}:{site.port}", *(profile.alias_list if profile else [])],
                "code": profile.site_id_code if profile else "",
                "organization": link.organization if link else None,
                "theme": theme_labels.get(profile.theme, "") if profile else "",
                "theme_key": profile.theme if profile else "",
                "theme_color": swatches.get(profile.theme, [""])[0] if profile else "",
                "pages": pages,
                "articles": articles,
                "admins": members.get(admin_groups.get(site.pk, ""), []),
                "front_url": site.root_url + "/",
            }
        )
    rows.sort(key=lambda r: (r["profile"].sort_order if r["profile"] else 999, r["site"].pk))
    return rows


class SiteListView(OperatorView, TemplateView):
    template_name = "provisioning/index.html"
    page_title = "站群管理"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=_site_rows(), **kwargs)


class ProvisionSiteView(OperatorView, FormView):
    template_name = "provisioning/new.html"
    form_class = ProvisionSiteForm
    page_title = "新建网站"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        swatches = themes.swatches()
        context["theme_options"] = [(r, swatches[r.data["value"]]) for r in form["theme"]]
        context["template_options"] = [(r, TEMPLATES[r.data["value"]]) for r in form["template"]]
        return context

    def form_valid(self, form):
        try:
            result = services.provision_site(**form.service_arguments(), user=self.request.user)
        except ValidationError as exc:
            for field, messages_ in exc.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"网站“{result.profile.site_name}”已开通")
        return redirect("provisioning:created", site_id=result.site.pk)


class CreatedView(OperatorView, TemplateView):
    template_name = "provisioning/created.html"
    page_title = "网站已开通"

    def get_context_data(self, **kwargs):
        site = get_object_or_404(
            Site.objects.select_related("root_page"), pk=self.kwargs["site_id"]
        )
        profile = SiteProfile.objects.filter(site=site).first()
        row = next(r for r in _site_rows() if r["site"].pk == site.pk)
        root = site.root_page
        channels = [
            (page.depth - root.depth - 1, page)
            for page in Page.objects.descendant_of(root)
            .not_type(ArticlePage)
            .specific()
            .order_by("path")
        ]
        return super().get_context_data(
            site=site,
            profile=profile,
            row=row,
            channels=channels,
            front_url=site.root_url + "/",
            explore_url=reverse("wagtailadmin_explore", args=(site.root_page_id,)),
            settings_url=reverse(
                "wagtailsettings:edit",
                args=(SiteProfile._meta.app_label, SiteProfile._meta.model_name, site.pk),
            ),
            missing=profile.missing_footer_fields if profile else [],
            workflows=[wp.workflow.name for wp in WorkflowPage.objects.filter(page=root)],
            **kwargs,
        )
