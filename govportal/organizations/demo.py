"""The demo organisation tree of the fictional 示例市 (called by ``load_demo_data``).

Codes are fictional but valid: each organisation code is a deterministic 8-digit body
with its GB 11714 check character, and each credit code wraps it with the 机关 prefix
(登记管理部门 1 = 机构编制, 类别 1 = 机关) and a made-up division code.
"""

from django.db import transaction

from .codes import make_credit_code, make_org_code
from .models import Organization, OrganizationKind
from .services import link_site

__all__ = ["DEMO_TREE", "build_demo_organizations", "demo_codes", "link_site"]

# 示例市 uses the unassigned division 990100; its districts 990102 and 990103.
CITY_DIVISION = "990100"

K = OrganizationKind
# (full name, short name, kind, division code, children)
DEMO_TREE = (
    "示例市人民政府",
    "市政府",
    K.GOVERNMENT,
    CITY_DIVISION,
    [
        ("示例市发展和改革委员会", "市发展改革委", K.DEPARTMENT, CITY_DIVISION, []),
        ("示例市教育局", "市教育局", K.DEPARTMENT, CITY_DIVISION, []),
        ("示例市财政局", "市财政局", K.DEPARTMENT, CITY_DIVISION, []),
        ("示例市人力资源和社会保障局", "市人社局", K.DEPARTMENT, CITY_DIVISION, []),
        (
            "示例市青山区人民政府",
            "青山区政府",
            K.DISTRICT,
            "990102",
            [
                ("青山区教育局", "青山区教育局", K.DEPARTMENT, "990102", []),
                ("青山区民政局", "青山区民政局", K.DEPARTMENT, "990102", []),
                ("滨河街道办事处", "滨河街道", K.TOWN, "990102", []),
                ("云岭镇人民政府", "云岭镇", K.TOWN, "990102", []),
            ],
        ),
        (
            "示例市东湖区人民政府",
            "东湖区政府",
            K.DISTRICT,
            "990103",
            [
                ("东湖区卫生健康局", "东湖区卫健局", K.DEPARTMENT, "990103", []),
                ("湖光街道办事处", "湖光街道", K.TOWN, "990103", []),
            ],
        ),
    ],
)


def demo_codes(serial: int, division: str) -> tuple[str, str]:
    """(credit code, organisation code) for the ``serial``-th demo organisation."""
    org_code = make_org_code(f"9{serial:07d}")
    return make_credit_code("1", "1", division, org_code), org_code


def _ensure(name, short_name, kind, division, parent, serial, sort_order) -> Organization:
    if parent is not None:
        # Re-read: adding children changes the parent's row (numchild) behind our back.
        parent = Organization.objects.get(pk=parent.pk)
    siblings = parent.get_children() if parent else Organization.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing is not None:
        return existing
    credit_code, org_code = demo_codes(serial, division)
    org = Organization(
        name=name,
        short_name=short_name,
        kind=kind,
        credit_code=credit_code,
        org_code=org_code,
        phone=f"0999-{8000_0000 + serial}",
        address=f"示例市{'青山区' if division == '990102' else '东湖区' if division == '990103' else ''}政务路 {serial} 号",
        postcode=f"{division[:4]}{serial % 100:02d}",
        email=f"org{serial:03d}@example.gov.cn",
        website="",
        sort_order=sort_order,
    )
    if parent is None:
        return Organization.add_root(instance=org)
    return Organization.objects.get(pk=parent.pk).add_child(instance=org)


@transaction.atomic
def build_demo_organizations() -> Organization:
    """Create the demo tree (idempotent) and return its root, 示例市人民政府."""
    serial = 0

    def build(node, parent, sort_order):
        nonlocal serial
        name, short_name, kind, division, children = node
        serial += 1
        org = _ensure(name, short_name, kind, division, parent, serial, sort_order)
        for index, child in enumerate(children, start=1):
            build(child, org, index * 10)
        return org

    root = build(DEMO_TREE, None, 0)
    return Organization.objects.get(pk=root.pk)
