"""Demo citizens (公众用户) for the embedded run; idempotent.

| sign in with | password | what it shows |
|---|---|---|
| ``citizen@example.com`` or ``13800138000`` | ``Demo@2026gov`` | both contacts verified, nickname 张市民 |
| ``13900139000`` | ``Demo@2026gov`` | registered by mobile only |

One-time codes for the demo go to ``var/mail/`` (e-mail) and ``var/sms.log`` (SMS).
"""

from django.utils import timezone

from . import services
from .models import Channel

DEMO_PASSWORD = "Demo@2026gov"  # noqa: S105 — documented demo login, embedded run only

DEMO_CITIZENS = [
    {"email": "citizen@example.com", "mobile": "13800138000", "display_name": "张市民",
     "real_name": "张三"},
    {"email": "", "mobile": "13900139000", "display_name": "", "real_name": ""},
]  # fmt: skip


def build_demo_citizens(stdout=None) -> list:
    users = []
    for spec in DEMO_CITIZENS:
        contact = (Channel.EMAIL, spec["email"]) if spec["email"] else (Channel.SMS, spec["mobile"])
        user = services.find_citizen(*contact)
        if user is None:
            user = services.register_citizen(
                email=spec["email"],
                mobile=spec["mobile"],
                password=DEMO_PASSWORD,
                display_name=spec["display_name"],
                via="email" if spec["email"] else "mobile",
            )
            if spec["real_name"]:
                profile = user.citizen_profile
                profile.real_name = spec["real_name"]
                profile.updated_at = timezone.now()
                profile.save(update_fields=["real_name", "updated_at"])
        users.append(user)
    if stdout is not None:
        stdout.write(
            "  公众用户: citizen@example.com / 13800138000 and 13900139000 "
            f"(password {DEMO_PASSWORD}) at /account/login/; codes in var/sms.log and var/mail/"
        )
    return users
