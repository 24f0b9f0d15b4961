"""The 组织机构 admin: listing, editor with superior-unit chooser, import and export."""

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from govportal.conftest import make_user
from govportal.organizations.demo import build_demo_organizations
from govportal.organizations.models import Organization

from .test_services import CITY, code, good_rows, row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db

INDEX = reverse("organizations:index")
ADD = reverse("organizations:add")
IMPORT = reverse("organizations:import")


def staff(username: str, *codenames: str):
    """A staff user who may enter the admin, with the given organizations permissions."""
    group = Group.objects.create(name=f"{username}-group")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="organizations", codename=codename)
        )
    return make_user(username, group)


@pytest.fixture
def demo():
    return build_demo_organizations()


def upload(name: str, data: bytes, **extra):
    return {"file": SimpleUploadedFile(name, data), **extra}


@pytest.mark.parametrize(
    "url",
    [
        INDEX,
        ADD,
        IMPORT,
        reverse("organizations:export", args=("csv",)),
    ],
)
def test_editor_without_permissions_is_refused(client, demo, url):
    editor = staff("editor")
    client.force_login(editor)
    response = client.get(url)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert "组织机构" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_editor_cannot_post_an_import(client, demo):
    client.force_login(staff("editor"))
    response = client.post(IMPORT, upload("orgs.csv", to_csv(good_rows())))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not Organization.objects.filter(name=CITY).exists()


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(INDEX)
    assert response.status_code == 302 and "/login/" in response.url


def test_viewer_may_list_and_export_but_not_import(client, demo):
    client.force_login(staff("viewer", "view_organization"))
    html = client.get(INDEX).content.decode()
    assert "示例市青山区人民政府" in html and ">导入<" not in html
    response = client.get(reverse("organizations:export", args=("xlsx",)))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert client.get(IMPORT).url == reverse("wagtailadmin_home")


def test_listing_shows_the_tree_and_searches_names_and_codes(client, superuser, demo):
    client.force_login(superuser)
    html = client.get(INDEX).content.decode()
    assert "\u3000└ 青山区教育局" in html  # indented under its district
    assert "示例市人民政府" in html and "导出 CSV" in html and "导出 XLSX" in html
    assert html.index("示例市青山区人民政府") < html.index("\u3000└ 滨河街道办事处")
    target = Organization.objects.get(name="云岭镇人民政府")
    html = client.get(INDEX, {"q": target.org_code}).content.decode()
    assert "云岭镇人民政府" in html and "滨河街道办事处" not in html
    html = client.get(INDEX, {"q": "滨河"}).content.decode()
    assert "滨河街道办事处" in html and "云岭镇人民政府" not in html


def form_data(**values):
    data = {
        "name": "",
        "short_name": "",
        "kind": "department",
        "credit_code": "",
        "org_code": "",
        "phone": "",
        "address": "",
        "postcode": "",
        "email": "",
        "website": "",
        "sort_order": "0",
        "is_active": "on",
        "parent": "",
    }
    data.update(values)
    return data


def test_create_under_a_parent_and_move_by_editing(client, superuser, demo):
    client.force_login(superuser)
    district = Organization.objects.get(name="示例市东湖区人民政府")
    response = client.post(
        ADD,
        form_data(name="东湖区司法局", parent=district.pk, org_code="12345678-8", sort_order="5"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organization.objects.get(name="东湖区司法局")
    assert created.org_code == "123456788"
    assert created.get_parent() == district
    assert district.get_children().first() == created  # sort order 5 comes first

    qingshan = Organization.objects.get(name="示例市青山区人民政府")
    edit = reverse("organizations:edit", args=(created.pk,))
    assert "东湖区司法局" not in [
        o.name for o in client.get(edit).context["form"].fields["parent"].queryset
    ]
    response = client.post(
        edit, form_data(name="东湖区司法局", parent=qingshan.pk, org_code="123456788")
    )
    assert response.status_code == 302
    moved = Organization.objects.get(pk=created.pk)
    assert moved.get_parent() == qingshan
    assert Organization.objects.get(pk=district.pk).get_children().count() == 2
    assert Organization.find_problems() == ([], [], [], [], [])


def test_editor_form_reports_code_and_sibling_errors(client, superuser, demo):
    client.force_login(superuser)
    root = Organization.objects.get(name="示例市人民政府")
    response = client.post(
        ADD, form_data(name="示例市教育局", parent=root.pk, credit_code="91350100M000100Y44")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码校验位错误" in html
    assert "同一上级单位下已有同名的组织机构" in html
    response = client.post(ADD, form_data(name="某局", parent=root.pk))
    assert "至少填写一项" in response.content.decode()


def test_a_unit_cannot_move_under_its_own_subunit(client, superuser, demo):
    client.force_login(superuser)
    district = Organization.objects.get(name="示例市青山区人民政府")
    child = Organization.objects.get(name="青山区教育局")
    response = client.post(
        reverse("organizations:edit", args=(district.pk,)),
        form_data(
            name=district.name, kind="district", parent=child.pk, credit_code=district.credit_code
        ),
    )
    assert response.status_code == 200
    assert Organization.objects.get(pk=district.pk).depth == 2


def test_upload_with_errors_shows_every_row_and_keeps_nothing(client, superuser, demo):
    client.force_login(superuser)
    rows = good_rows() + [
        row("坏码局", CITY, credit=code(40)[:-1] + ("1" if code(40)[-1] != "1" else "2")),
        row("孤儿局", "无此单位", credit=code(41)),
    ]
    response = client.post(IMPORT, upload("orgs.xlsx", to_xlsx(rows)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "有 2 处错误，未导入任何数据" in html
    assert "第 6 行" in html and "统一社会信用代码校验位错误" in html
    assert "第 7 行" in html and "上级单位“无此单位”不存在" in html
    assert not Organization.objects.filter(name=CITY).exists()


def test_upload_success_shows_counts(client, superuser, demo):
    client.force_login(superuser)
    response = client.post(IMPORT, upload("orgs.csv", to_csv(good_rows()), dry_run="on"))
    assert "检查通过（未保存）：将新增 4 个" in response.content.decode()
    assert not Organization.objects.filter(name=CITY).exists()
    response = client.post(IMPORT, upload("orgs.csv", to_csv(good_rows())))
    assert response.status_code == 200
    assert "导入成功：新增 4 个，更新 0 个" in response.content.decode()
    assert Organization.objects.get(name=CITY).get_descendant_count() == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("orgs.txt", b"x", "只能上传 .csv 或 .xlsx 文件"),
        ("orgs.csv", b"x" * (5 * 1024 * 1024 + 1), "文件不能超过 5 MB"),
    ],
)
def test_upload_limits(client, superuser, name, data, message):
    client.force_login(superuser)
    response = client.post(IMPORT, upload(name, data))
    assert message in response.content.decode()


def test_export_download_can_be_imported_again(client, superuser, demo):
    client.force_login(superuser)
    response = client.get(reverse("organizations:export", args=("csv",)))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.decode("utf-8-sig").splitlines()[0].startswith("全称,简称,类型,上级单位全称")
    response = client.post(IMPORT, upload("back.csv", body))
    assert "导入成功：新增 0 个，更新 0 个，13 个无变化" in response.content.decode()


def test_delete_is_refused_while_a_unit_has_subunits_or_sites(client, superuser, demo):
    from wagtail.models import Site

    from govportal.organizations.services import link_site

    client.force_login(superuser)
    district = Organization.objects.get(name="示例市东湖区人民政府")
    response = client.post(reverse("organizations:delete", args=(district.pk,)))
    assert response.status_code == 302
    assert Organization.objects.filter(pk=district.pk).exists()
    assert district.get_descendant_count() == 2

    leaf = Organization.objects.get(name="湖光街道办事处")
    link_site(Site.objects.get(is_default_site=True), leaf)
    client.post(reverse("organizations:delete", args=(leaf.pk,)))
    assert Organization.objects.filter(pk=leaf.pk).exists()

    other = Organization.objects.get(name="东湖区卫生健康局")
    assert client.get(reverse("organizations:delete", args=(other.pk,))).status_code == 200
    client.post(reverse("organizations:delete", args=(other.pk,)))
    assert not Organization.objects.filter(pk=other.pk).exists()
    assert Organization.objects.get(pk=district.pk).numchild == 1
    assert Organization.find_problems() == ([], [], [], [], [])
