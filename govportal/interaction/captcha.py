"""Human checks for writers who are not signed in, and the submission rate limits.

* The image CAPTCHA is django-simple-captcha (no outside service; the image has a 2× version
  and a “换一张” refresh) on :class:`~.forms.LetterForm`.
* The alternative in another modality (“看不清？改用短信验证码”): a one-time code sent to
  the writer's mobile by :mod:`govportal.citizens.codes`, which already stores codes as
  HMACs, limits attempts and throttles per number and per IP address.
* Every submission is counted per client address (:func:`govportal.personal.throttle.hit`):
  anonymous writers and signed-in citizens alike, with separate limits.
"""

from django.conf import settings

from govportal.citizens import codes
from govportal.citizens.models import Channel, Purpose
from govportal.personal.throttle import hit

#: The one-time-code purpose for verifying a writer's mobile; ``None`` until
#: ``govportal.citizens.models.Purpose`` has it (then the SMS alternative is offered).
SMS_PURPOSE = getattr(Purpose, "LETTER", None)

ANONYMOUS_LIMIT = (5, 3600)  # submissions per client address per hour, not signed in
SIGNED_IN_LIMIT = (20, 3600)


def sms_available() -> bool:
    return SMS_PURPOSE is not None


def submit_limit(anonymous: bool) -> tuple[int, int]:
    name = "ANONYMOUS" if anonymous else "SIGNED_IN"
    default = ANONYMOUS_LIMIT if anonymous else SIGNED_IN_LIMIT
    return (
        int(getattr(settings, f"GOVPORTAL_LETTER_{name}_LIMIT", default[0])),
        int(getattr(settings, f"GOVPORTAL_LETTER_{name}_WINDOW_SECONDS", default[1])),
    )


def allow_submission(request) -> bool:
    """Count one complete submission of this client; False once over the limit."""
    anonymous = not request.user.is_authenticated
    limit, window = submit_limit(anonymous)
    scope = "letter_submit_anon" if anonymous else "letter_submit_user"
    allowed, _ = hit(scope, request, limit=limit, window=window)
    return allowed


def send_code(request, mobile: str, *, site_name: str = "") -> codes.Issued:
    """Send a code to ``mobile``; raises :class:`codes.CodeError` (Chinese message)."""
    return codes.issue(SMS_PURPOSE, Channel.SMS, mobile, request=request, site_name=site_name)


def check_code(mobile: str, code: str) -> None:
    """Accept the code once or raise :class:`codes.CodeInvalid`."""
    codes.verify(SMS_PURPOSE, Channel.SMS, mobile, code)


def wait_seconds(mobile: str) -> int:
    return codes.seconds_until_resend(Channel.SMS, mobile) if mobile else 0
