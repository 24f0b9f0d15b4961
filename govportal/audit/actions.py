"""The registry of audited actions: a dotted code and its Chinese label (操作类型).

Apps add their own actions at import time (``apps.py`` ``ready()``)::

    from govportal.audit.actions import register_action
    register_action("letter.accept", "来信：受理")

A code without a label is still recorded; it is shown as the code itself.
"""

ACTIONS: dict[str, str] = {
    # 登录
    "auth.login": "登录成功",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账号锁定（连续登录失败）",
    "auth.logout": "退出登录",
    # 账号与权限
    "account.create": "新建账号",
    "account.delete": "删除账号",
    "account.flags": "账号状态或管理员标志变更",
    "perm.group_membership": "用户所属角色（组）变更",
    "perm.group_permissions": "角色（组）权限变更",
    "perm.group_delete": "删除角色（组）",
    "perm.page_grant": "授予栏目/页面权限",
    "perm.page_revoke": "撤销栏目/页面权限",
    "perm.collection_grant": "授予资源集权限",
    "perm.collection_revoke": "撤销资源集权限",
    "perm.site_grant": "授予站点设置权限",
    "perm.site_revoke": "撤销站点设置权限",
    # 发布
    "page.publish": "发布页面",
    "page.unpublish": "撤下页面",
    "page.delete": "删除页面",
    # 信息报送
    "submission.submit": "信息报送：报送",
    "submission.adopt": "信息报送：采用",
    "submission.decline": "信息报送：未采用",
    "submission.withdraw": "信息报送：撤回",
    # 导出
    "export.organizations": "导出组织机构",
    "export.submission_stats": "导出信息报送统计",
    # 审计本身
    "audit.export": "导出审计日志",
    "audit.verify": "校验审计链",
    "audit.prune": "清理过期审计记录",
    "audit.access_denied": "无权访问审计日志",
}


def register_action(code: str, label: str) -> None:
    """Add (or relabel) an action code; codes are ``<domain>.<verb>``."""
    if "." not in code or len(code) > 64:
        raise ValueError(f"audit action codes look like 'domain.verb' (≤ 64 chars): {code!r}")
    ACTIONS[code] = label


def label_for(code: str) -> str:
    return ACTIONS.get(code, code)


def choices() -> list[tuple[str, str]]:
    return sorted(ACTIONS.items())
