"""征集调查 in the admin: the results URLs and a “调查结果” button on survey pages."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.widgets import Button

from . import services, urls
from .models import SurveyPage


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [path("surveys/", include(urls, namespace="surveys"))]


def _results_button(page, user, priority):
    if page.specific_class is not SurveyPage or not services.may_manage(user, page):
        return
    yield Button(
        "调查结果",
        reverse("surveys:results", args=(page.pk,)),
        icon_name="table",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield from _results_button(page, user, 35)


@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, view_name, next_url=None):
    yield from _results_button(page, user, 35)
