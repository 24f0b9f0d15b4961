"""Signals of citizen accounts for other apps (个人中心, case types …).

``citizen_account_deleted`` — sent when a citizen deletes their account (注销账号), inside the
deletion's transaction and *before* the ``User`` row is deleted, with ``user`` (still in the
database) and ``request`` (or None). Receivers delete what must go at once (mailbox messages,
subscriptions, saved drafts) and detach what public bodies must keep (依申请公开 and letter
files: set the account to NULL and keep only masked personal data). A receiver that raises
aborts the deletion. Rows left with ``on_delete=CASCADE`` to the user are deleted with it::

    from govportal.citizens.signals import citizen_account_deleted

    @receiver(citizen_account_deleted)
    def detach_letters(sender, user, request=None, **kwargs):
        Letter.objects.filter(author=user).update(author=None)
"""

from django.dispatch import Signal

citizen_account_deleted = Signal()
