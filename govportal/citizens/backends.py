"""Passwordless sign-in (验证码登录) as an authentication backend.

Called through ``django.contrib.auth.authenticate(request, username=…, citizen_contact=…,
citizen_code=…)`` so that django-axes counts the failures and locks out like for passwords.
``username`` is the account the contact belongs to (or a stand-in for an unknown contact, see
``views.axes_username``); ``citizen_contact`` is ``(channel, normalised contact)``.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend

from . import codes, services
from .models import Purpose


class OneTimeCodeBackend(BaseBackend):
    def authenticate(self, request, username=None, citizen_contact=None, citizen_code=None):
        if citizen_contact is None or citizen_code is None or request is None:
            return None
        channel, value = citizen_contact
        try:
            # Counts a wrong try whether or not the account exists (a decoy code stands in).
            codes.verify(Purpose.LOGIN, channel, value, citizen_code)
        except codes.CodeInvalid as exc:
            request.citizen_code_error = exc.message
            return None
        user = services.find_citizen(channel, value)
        if user is None or user.get_username() != username or not user.is_active:
            request.citizen_code_error = "验证码不正确，请重新获取。"
            return None
        return user

    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
