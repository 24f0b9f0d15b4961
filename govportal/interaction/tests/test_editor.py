"""The mailbox in the page editor: categories with their dispatch units save with the page."""

import pytest

from govportal.conftest import edit_form_data, edit_url
from govportal.interaction.models import LetterCategory, MailboxPage


@pytest.mark.django_db
def test_categories_and_their_assisting_units_save_from_the_editor(client, world, superuser):
    client.force_login(superuser)
    url = edit_url(world.mailbox)
    data = edit_form_data(client, url)
    assert data["categories-TOTAL_FORMS"] == "2"
    # Change the first category's assisting units and add a third category.
    data.setlist("categories-0-assist_units", [str(world.city.pk), str(world.roads.pk)])
    data["categories-TOTAL_FORMS"] = "3"
    data.update({
        "categories-2-name": "城市管理", "categories-2-lead_unit": str(world.roads.pk),
        "categories-2-answer_workdays": "5", "categories-2-ORDER": "3",
        "categories-2-id": "", "categories-2-DELETE": "",
    })  # fmt: skip
    data.setlist("categories-2-assist_units", [str(world.edu.pk)])
    data.setlist("categories-1-assist_units", [])  # a multi-select with nothing chosen
    data["action-publish"] = "publish"
    response = client.post(url, dict(data.lists()))  # every value of multi-value fields
    assert response.status_code == 302, response.content.decode()[:2000]
    mailbox = MailboxPage.objects.get(pk=world.mailbox.pk)
    categories = {c.name: c for c in LetterCategory.objects.filter(page=mailbox)}
    assert set(categories["教育"].assist_units.values_list("pk", flat=True)) == {
        world.city.pk, world.roads.pk,
    }  # fmt: skip
    assert not categories["交通出行"].assist_units.exists()
    new = categories["城市管理"]
    assert new.lead_unit == world.roads and new.workdays() == 5
    assert list(new.assist_units.values_list("pk", flat=True)) == [world.edu.pk]


@pytest.mark.django_db
def test_the_channel_lists_its_mailboxes_and_the_mailbox_opens_its_form(client, world):
    channel = world.mailbox.get_parent()
    page = client.get(channel.url).content.decode()
    link = world.mailbox.relative_url(world.site)
    assert f'href="{link}">{world.mailbox.title}<' in page
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == f"/letters/mailbox/{world.mailbox.pk}/"
    assert client.get(response.url).status_code == 200
