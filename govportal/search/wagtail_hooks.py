"""站内搜索 menu in the admin: 自定义词典, 同义词, 置顶结果, 热词管理 (model permissions),
the 热门搜索 / 无结果搜索 reports and 索引状态 (see ``admin_views`` for who sees what)."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from govportal.audit.actions import register_action

from . import admin_views, urls
from .forms import DictionaryWordForm, HotSearchRuleForm, PromotionForm, SynonymGroupForm
from .models import DictionaryWord, HotSearchRule, Promotion, SynonymGroup

for _code, _label in admin_views.ACTIONS.items():
    register_action(_code, _label)


def _audited(prefix: str) -> dict:
    return {
        "add_view_class": type(
            "CreateView", (admin_views.AuditedCreateView,), {"audit_action": prefix}
        ),
        "edit_view_class": type(
            "EditView", (admin_views.AuditedEditView,), {"audit_action": prefix}
        ),
        "delete_view_class": type(
            "DeleteView", (admin_views.AuditedDeleteView,), {"audit_action": prefix}
        ),
    }


class SiteColumn(Column):
    """The rule's site, or 全部网站 for a rule without one (it applies to every site)."""

    def get_value(self, instance):
        return instance.site or "全部网站"


class EnabledColumn(Column):
    """启用 / 停用 as words (Wagtail's boolean icon is titled "True"/"False" in English)."""

    def get_value(self, instance):
        return "启用" if instance.enabled else "停用"


ENABLED = EnabledColumn("enabled", label="状态", sort_key="enabled")
SITE = SiteColumn("site", label="网站", sort_key="site")


class SearchViewSet(ModelViewSet):
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None  # plain database filtering: these tables are small
    form_class = None

    def get_form_class(self, for_update=False):
        return self.form_class


class DictionaryWordViewSet(SearchViewSet):
    model = DictionaryWord
    name = "govsearch_dictionary"
    url_prefix = "search-tools/dictionary"
    icon = "doc-full"
    menu_label = "自定义词典"
    form_class = DictionaryWordForm
    list_display = ["word", ENABLED, "weight", "note", "created_by", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["word", "note"]
    ordering = ["word"]
    list_per_page = 50
    locals().update(_audited("search.dictionary"))


class SynonymGroupViewSet(SearchViewSet):
    model = SynonymGroup
    name = "govsearch_synonyms"
    url_prefix = "search-tools/synonyms"
    icon = "resubmit"
    menu_label = "同义词"
    form_class = SynonymGroupForm
    list_display = ["words", ENABLED, "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["words"]
    ordering = ["pk"]
    list_per_page = 50
    locals().update(_audited("search.synonym"))


class PromotionViewSet(SearchViewSet):
    model = Promotion
    name = "govsearch_promotions"
    url_prefix = "search-tools/promotions"
    icon = "pick"
    menu_label = "置顶结果"
    form_class = PromotionForm
    list_display = ["query", "title", SITE, "page", "external_url", "starts_at", "ends_at"]
    list_filter = ["site"]
    search_fields = ["query", "title"]
    ordering = ["query", "sort_order", "pk"]
    list_per_page = 50
    locals().update(_audited("search.promotion"))


class HotSearchRuleViewSet(SearchViewSet):
    model = HotSearchRule
    name = "govsearch_hotrules"
    url_prefix = "search-tools/hot-rules"
    icon = "tag"
    menu_label = "热词管理"
    form_class = HotSearchRuleForm
    list_display = ["word", "action", SITE, "sort_order", ENABLED, "note", "created_by"]
    list_filter = ["action", "enabled", "site"]
    search_fields = ["word", "note"]
    ordering = ["action", "sort_order", "pk"]
    list_per_page = 50
    locals().update(_audited("search.hotrule"))


dictionary_viewset = DictionaryWordViewSet()
synonym_viewset = SynonymGroupViewSet()
promotion_viewset = PromotionViewSet()
hotrule_viewset = HotSearchRuleViewSet()
VIEWSETS = [dictionary_viewset, synonym_viewset, promotion_viewset, hotrule_viewset]


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return VIEWSETS


class ModelMenuItem(MenuItem):
    def __init__(self, viewset, order):
        self.viewset = viewset
        super().__init__(
            viewset.menu_label,
            reverse_lazy(f"{viewset.name}:index"),
            name=viewset.name,
            icon_name=viewset.icon,
            order=order,
        )

    def is_shown(self, request):
        return self.viewset.permission_policy.user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        )


class CheckedMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return self.check(request.user)


def _menu_items():
    return [
        ModelMenuItem(dictionary_viewset, 100),
        ModelMenuItem(synonym_viewset, 200),
        ModelMenuItem(promotion_viewset, 300),
        CheckedMenuItem(
            "热门搜索", reverse_lazy("govsearch_admin:hot"), name="govsearch-hot",
            icon_name="order", order=400, check=admin_views.can_view_reports,
        ),
        ModelMenuItem(hotrule_viewset, 450),
        CheckedMenuItem(
            "无结果搜索", reverse_lazy("govsearch_admin:zero"), name="govsearch-zero",
            icon_name="warning", order=500, check=admin_views.can_view_reports,
        ),
        CheckedMenuItem(
            "索引状态", reverse_lazy("govsearch_admin:status"), name="govsearch-status",
            icon_name="cogs", order=600, check=admin_views.can_view_index_status,
        ),
    ]  # fmt: skip


class SearchMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return any(item.is_shown(request) for item in self.menu.menu_items_for_request(request))


@hooks.register("register_admin_menu_item")
def register_search_menu():
    return SearchMenuItem(
        "站内搜索", Menu(items=_menu_items()), name="govsearch", icon_name="search", order=850
    )


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [path("search-tools/", include(urls, namespace="govsearch_admin"))]


@hooks.register("register_permissions")
def register_search_permissions():
    """The reports' and the index panel's permissions, grantable to groups in the admin."""
    return Permission.objects.filter(
        content_type__app_label="govsearch",
        codename__in=["view_querystat", "view_searchdocument"],
    )
