"""Channel tree templates (栏目模板) for new sites.

Each template is the channel tree of a typical Chinese government site of its kind,
with the ColumnType of every channel (the inspection rules differ per type). A new
site starts with one of them; editors then rename, add or hide channels as usual.
"""

from dataclasses import dataclass, field

from govportal.content.models import ColumnType
from govportal.sites.models import SiteKind

SERVICE_PLATFORM_URL = "https://zwfw.example.gov.cn/"


@dataclass(frozen=True)
class ChannelNode:
    """One channel (栏目) of a template: like ``content.demo.ChannelSpec``, without article weights."""

    title: str
    slug: str
    column_type: str = ColumnType.NEWS
    home: bool = False  # a block on the home page
    children: tuple["ChannelNode", ...] = ()
    link: str = ""  # an external-link channel (外链栏目) when set
    menu: bool = True  # in the main navigation (top level only)


@dataclass(frozen=True)
class ChannelTemplate:
    key: str
    label: str
    description: str
    kind: str  # the site kind it suits (preselected in the form)
    channels: tuple[ChannelNode, ...] = field(default_factory=tuple)

    def walk(self):
        """(depth, node) for every channel, parents first, depth 1 at the top."""

        def visit(nodes, depth):
            for node in nodes:
                yield depth, node
                yield from visit(node.children, depth + 1)

        yield from visit(self.channels, 1)

    @property
    def channel_count(self) -> int:
        return sum(1 for _ in self.walk())


C = ChannelNode
T = ColumnType

DISCLOSURE = C("政务公开", "disclosure", T.DISCLOSURE, children=(
    C("政府信息公开指南", "guide", T.DISCLOSURE),
    C("政府信息公开制度", "rules", T.DISCLOSURE),
    C("法定主动公开内容", "proactive", T.DISCLOSURE),
    C("政府信息公开年报", "annual-reports", T.DISCLOSURE),
))  # fmt: skip

DEPARTMENT = ChannelTemplate(
    key="department",
    label="部门网站",
    description="市、区县政府工作部门的网站：工作动态、通知公告、政策文件与解读、政务公开、办事服务、互动交流、机构概况。",
    kind=SiteKind.DEPARTMENT,
    channels=(
        C("工作动态", "news", T.NEWS, home=True),
        C("通知公告", "notices", T.NOTICE, home=True),
        C("政策文件", "policies", T.POLICY, home=True),
        C("政策解读", "interpretations", T.INTERPRETATION, home=True),
        DISCLOSURE,
        C("办事服务", "services", T.SERVICE, link=SERVICE_PLATFORM_URL),
        C("互动交流", "interaction", T.INTERACTION, children=(
            C("征集调查", "surveys", T.INTERACTION),
            C("回应关切", "responses", T.INTERACTION),
        )),
        C("机构概况", "about", T.OVERVIEW, children=(
            C("机构职能", "functions", T.OVERVIEW),
            C("领导信息", "leaders", T.OVERVIEW),
            C("内设机构", "units", T.OVERVIEW),
        )),
    ),
)  # fmt: skip

DISTRICT = ChannelTemplate(
    key="district",
    label="区县网站",
    description="区县人民政府门户网站：要闻动态（本区要闻、部门动态、街镇动态）、通知公告、政策文件与解读、政务公开、办事服务、互动交流、走进本区。",
    kind=SiteKind.DISTRICT,
    channels=(
        C("要闻动态", "news", T.NEWS, home=True, children=(
            C("本区要闻", "local-news", T.NEWS, home=True),
            C("部门动态", "dept-news", T.NEWS, home=True),
            C("街镇动态", "town-news", T.NEWS),
        )),
        C("通知公告", "notices", T.NOTICE, home=True),
        C("政策文件", "policies", T.POLICY, children=(
            C("区政府文件", "gov-docs", T.POLICY, home=True),
            C("区政府办公室文件", "office-docs", T.POLICY),
        )),
        C("政策解读", "interpretations", T.INTERPRETATION, home=True),
        C("政务公开", "disclosure", T.DISCLOSURE, children=(
            *DISCLOSURE.children,
            C("财政资金", "finance", T.DISCLOSURE),
            C("重大项目", "projects", T.DISCLOSURE),
        )),
        C("办事服务", "services", T.SERVICE, link=SERVICE_PLATFORM_URL),
        C("互动交流", "interaction", T.INTERACTION, children=(
            C("征集调查", "surveys", T.INTERACTION),
            C("在线访谈", "interviews", T.INTERACTION),
        )),
        C("走进本区", "about", T.OVERVIEW, children=(
            C("区情概况", "overview", T.OVERVIEW),
            C("领导信息", "leaders", T.OVERVIEW),
        )),
    ),
)  # fmt: skip

TOWN = ChannelTemplate(
    key="town",
    label="乡镇街道网站",
    description="乡镇人民政府、街道办事处的网站：工作动态、通知公告、政策文件、政务公开（含村居务公开）、便民服务、互动交流、辖区概况。",
    kind=SiteKind.TOWN,
    channels=(
        C("工作动态", "news", T.NEWS, home=True),
        C("通知公告", "notices", T.NOTICE, home=True),
        C("政策文件", "policies", T.POLICY, home=True),
        C("政务公开", "disclosure", T.DISCLOSURE, children=(
            C("政府信息公开指南", "guide", T.DISCLOSURE),
            C("财政信息", "finance", T.DISCLOSURE),
            C("村（居）务公开", "village-affairs", T.DISCLOSURE),
        )),
        C("便民服务", "services", T.SERVICE, home=True),
        C("互动交流", "interaction", T.INTERACTION),
        C("辖区概况", "about", T.OVERVIEW),
    ),
)  # fmt: skip

MINIMAL = ChannelTemplate(
    key="minimal",
    label="专题网站（精简）",
    description="专题网站或新建网站的最小栏目：工作动态、通知公告、政策文件、政务公开。其余栏目由站点管理员按需添加。",
    kind=SiteKind.SPECIAL,
    channels=(
        C("工作动态", "news", T.NEWS, home=True),
        C("通知公告", "notices", T.NOTICE, home=True),
        C("政策文件", "policies", T.POLICY, home=True),
        C("政务公开", "disclosure", T.DISCLOSURE),
    ),
)  # fmt: skip

TEMPLATES: dict[str, ChannelTemplate] = {t.key: t for t in (DEPARTMENT, DISTRICT, TOWN, MINIMAL)}


def get_template(key: str) -> ChannelTemplate | None:
    return TEMPLATES.get(key)
