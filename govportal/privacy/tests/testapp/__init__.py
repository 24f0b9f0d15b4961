"""Models with encrypted fields that exist only in the test settings (like wagtail.test.testapp).

Installed by ``govportal/settings/test.py`` with its own migration, so pytest-django creates
the tables like any other and ``rotate_field_keys`` finds the models through the app registry.
"""
