"""Other host names (别名) redirect to the site's own host name, path and query kept."""

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from govportal.content.factories import make_site
from govportal.provisioning.middleware import alias_table, forget_aliases
from govportal.sites.models import SiteProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_aliases(db):
    site, home, profile = make_site(hostname="www.alias-test.example", port=8080)
    profile.host_aliases = "alias-test.example\nOld.Alias-Test.example"
    profile.save()
    return site


def test_an_alias_redirects_permanently_to_the_primary_host(client, site_with_aliases):
    response = client.get("/notices/?page=2", HTTP_HOST="alias-test.example")
    assert response.status_code == 301
    assert response["Location"] == "http://www.alias-test.example:8080/notices/?page=2"
    # Case and port of the alias do not matter.
    response = client.get("/", HTTP_HOST="old.alias-test.example:8000")
    assert response["Location"] == "http://www.alias-test.example:8080/"


def test_the_primary_host_and_unknown_hosts_are_served_as_before(client, site_with_aliases):
    assert client.get("/", HTTP_HOST="www.alias-test.example:8080").status_code == 200
    assert client.get("/", HTTP_HOST="elsewhere.example").status_code != 301


def test_changing_a_profile_updates_the_table(site_with_aliases):
    assert "alias-test.example" in alias_table()
    profile = SiteProfile.objects.get(site=site_with_aliases)
    profile.host_aliases = ""
    profile.save()
    assert alias_table() == {}


def test_another_sites_host_name_is_never_treated_as_an_alias(client, site_with_aliases):
    make_site(hostname="victim.example", site_id_code="1399000088")
    profile = SiteProfile.objects.get(site=site_with_aliases)
    SiteProfile.objects.filter(pk=profile.pk).update(host_aliases="victim.example")  # no clean()
    forget_aliases()
    assert "victim.example" not in alias_table()
    assert client.get("/", HTTP_HOST="victim.example").status_code == 200


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("victim.example", "already used by a site"),
        ("www.alias-test.example", "already used by a site"),
        ("bad_host.example", "not a valid host name"),
    ],
)
def test_the_profile_form_refuses_aliases_of_other_sites(site_with_aliases, aliases, message):
    make_site(hostname="victim.example", site_id_code="1399000088")
    profile = SiteProfile.objects.get(site=site_with_aliases)
    profile.host_aliases = aliases
    with translation.override("en"), pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert any(message in m for m in error.value.message_dict["host_aliases"])
