"""The site group of the submissions tests: sites A (甲区), B (市政府) and C (乙局).

B is owned by the city government; A by its district (with a street office below it);
C by a bureau under the city. An item of B shared "本单位及下级单位" is therefore shared
with A and C; an item of A shared that way is shared with A's unit only.
"""

from django.core.cache import cache
from django.db import transaction

import pytest

from govportal.conftest import build_site_group
from govportal.submissions.tests.conftest import World, build_world


@pytest.fixture(scope="module")
def _library_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(build_site_group())
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _library_world) -> World:
    return _library_world


@pytest.fixture
def page_cache(settings):
    """The anonymous whole-page cache switched on, as in production."""
    settings.GOVPORTAL_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
