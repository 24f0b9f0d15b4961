"""Background work of 依申请公开 (django-tasks; the test settings run it at once)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def email_answer(request_id: int) -> bool:
    """E-mail the 答复书 and 答复附件 to an applicant who chose 电子邮件 as the way to get it."""
    from .services import send_answer_email

    return send_answer_email(request_id)
