from django.conf import settings

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds the claims the test gave for the signed-in user (e-mail, phone, name …)."""

    def get_additional_claims(self, request):
        return dict(settings.OIDC_TEST_CLAIMS.get(request.user.get_username(), {}))
