"""WSGI entry point for gunicorn (``govportal.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
application = get_wsgi_application()
