"""Admin sign-in form: Wagtail's, with a translated password label."""

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form leaves the password label to the field name ("Password"),
    which no catalogue translates; Django's own label is translated in every language."""

    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"placeholder": gettext_lazy("Enter password")}),
        strip=False,
    )
