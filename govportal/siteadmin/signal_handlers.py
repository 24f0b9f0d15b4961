"""A channel delegation deleted with its channel, site or group is recorded (栏目授权撤销).

The group goes in the same cascade (``models.delete_with_group``); revoking through
``services.revoke_delegation`` records itself and is skipped here.
"""

from django.db.models.signals import pre_delete

from . import services
from .models import ChannelDelegation


def on_delegation_deleted(sender, instance, **kwargs) -> None:
    if getattr(instance, "_revoked", False):
        return
    services.delegation_removed(instance)


def register() -> None:
    pre_delete.connect(
        on_delegation_deleted, sender=ChannelDelegation, dispatch_uid="siteadmin-delegation-deleted"
    )
