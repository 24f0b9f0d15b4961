"""设置 → Open311 接入: API clients of the Open311 endpoints, for platform operators only.

Creating a client shows its key once, on the page that answers the form (never stored,
never redirected through a message); the database keeps only its digest. Unticking 启用
revokes it. Every create, change and delete is audited.
"""

from django.db import transaction
from django.http import HttpResponse
from django.template import engines

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from govportal.audit.services import record
from govportal.core.wagtail_hooks import PlatformOperatorPolicy, ValueColumn

from ..models import Open311Client

register_permission_policy(Open311Client, PlatformOperatorPolicy(Open311Client))

KEY_PAGE = engines["django"].from_string("""{% extends "wagtailadmin/generic/base.html" %}
{% block main_content %}
<section aria-labelledby="open311-key-heading" class="w-mt-8">
  <h2 id="open311-key-heading" class="w-h2">已创建接入客户端“{{ client.name }}”</h2>
  <p class="help-block help-warning" role="alert">
    请立即复制并妥善保存下面的 api_key。离开本页后将无法再次查看；遗失时请吊销并新建客户端。
  </p>
  <p><label for="open311-key" class="w-field__label">api_key</label></p>
  <p><textarea id="open311-key" readonly rows="2" spellcheck="false" onfocus="this.select()"
               style="font-family: monospace; word-break: break-all">{{ key }}</textarea></p>
  <p>限定网站：{% if client.site %}{{ client.site }}{% else %}站群内所有网站{% endif %}</p>
  <p><a class="button" href="{{ index_url }}">返回客户端列表</a></p>
</section>
{% endblock %}
""")


def _snapshot(client) -> dict:
    return {
        "名称": client.name,
        "密钥前缀": client.key_prefix,
        "限定网站": str(client.site) if client.site_id else "全部网站",
        "启用": client.active,
    }


class ClientCreateForm(WagtailAdminModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "site"]


class ClientEditForm(WagtailAdminModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "site", "active"]


class ClientCreateView(generic.CreateView):
    def save_instance(self):
        client = self.form.save(commit=False)
        client.created_by = self.request.user
        self.key = client.new_key()
        client.save()
        record("open311.client_create", request=self.request, obj=client, after=_snapshot(client))
        return client

    def save_action(self):
        """The key, once: rendered here, not redirected (nothing keeps it afterwards)."""
        context = {
            "client": self.object,
            "key": self.key,
            "page_title": "Open311 接入客户端",
            "header_title": "Open311 接入客户端",
            "header_icon": "key",
            "index_url": self.get_success_url(),
        }
        response = HttpResponse(KEY_PAGE.render(context, self.request))
        response["Cache-Control"] = "no-store"
        return response


class ClientEditView(generic.EditView):
    def get_object(self, queryset=None):
        client = super().get_object(queryset)
        self.audit_before = _snapshot(client)
        return client

    def save_instance(self):
        client = self.form.save()
        after = _snapshot(client)
        if after != self.audit_before:
            record("open311.client_change", request=self.request, obj=client,
                   before=self.audit_before, after=after)  # fmt: skip
        return client


class ClientDeleteView(generic.DeleteView):
    def delete_action(self):
        with transaction.atomic():
            record("open311.client_delete", request=self.request, obj=self.object,
                   before=_snapshot(self.object))  # fmt: skip
            self.object.delete()


class Open311ClientViewSet(ModelViewSet):
    model = Open311Client
    name = "open311_clients"
    icon = "key"
    menu_label = "Open311 接入"
    add_to_settings_menu = True
    menu_order = 910
    add_view_class = ClientCreateView
    edit_view_class = ClientEditView
    delete_view_class = ClientDeleteView
    list_display = [
        "name",
        "key_prefix",
        "site",
        ValueColumn("state", "状态", lambda c: "启用" if c.active else "已吊销"),
        "created_by",
        "created_at",
        "last_used_at",
    ]
    list_filter = ["active"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return ClientEditForm if for_update else ClientCreateForm


@hooks.register("register_admin_viewset")
def register_open311_viewset():
    return Open311ClientViewSet()
