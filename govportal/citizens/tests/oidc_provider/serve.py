"""Start the test OIDC provider: ``python -m govportal.citizens.tests.oidc_provider.serve``.

Environment: ``OIDC_PROVIDER_DB`` (SQLite file), ``OIDC_PROVIDER_PORT``,
``OIDC_PROVIDER_CLIENT`` (JSON: client_id, client_secret, redirect_uri),
``OIDC_PROVIDER_USERS`` (JSON list: username, password), ``OIDC_PROVIDER_CLAIMS``
(JSON: username → claims). Serves until killed.
"""

import json
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "govportal.citizens.tests.oidc_provider.settings"


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    for spec in json.loads(os.environ.get("OIDC_PROVIDER_USERS", "[]")):
        if not User.objects.filter(username=spec["username"]).exists():
            User.objects.create_user(spec["username"], password=spec["password"])
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application = get_application_model()
    Application.objects.filter(client_id=client["client_id"]).delete()
    Application.objects.create(
        name="govportal",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    run("127.0.0.1", int(os.environ["OIDC_PROVIDER_PORT"]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
