"""A tiny, real OpenID Connect provider for the tests (django-oauth-toolkit), run in a subprocess.

Not part of the product: ``serve.py`` starts it on a given port with its own SQLite file,
an RS256 key generated at start, test users and one confidential client that skips the
consent screen. See ``govportal/citizens/tests/test_oidc.py``.
"""
