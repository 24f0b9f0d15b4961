from django.apps import AppConfig


class PersonalConfig(AppConfig):
    """个人中心: my cases (registry of case types), 站内信 mailbox, tracking-code lookup."""

    name = "govportal.personal"
    verbose_name = "个人中心"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from govportal.audit.actions import register_action

        from . import signal_handlers

        for code, label in (
            ("personal.message_send", "站内信：发送"),
            ("personal.message_read", "站内信：标为已读"),
            ("personal.message_unread", "站内信：标为未读"),
            ("personal.message_delete", "站内信：删除"),
            ("personal.subscribe", "栏目订阅：订阅"),
            ("personal.unsubscribe", "栏目订阅：取消订阅"),
            ("personal.subscription_notice", "栏目订阅：发送更新通知"),
            ("personal.preferences", "个人中心：修改通知设置"),
            ("personal.track_throttled", "办件查询：查询过于频繁被拒绝"),
        ):
            register_action(code, label)
        signal_handlers.connect()
