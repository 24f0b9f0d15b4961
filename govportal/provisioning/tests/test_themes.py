"""Colour themes: every text/background pair stays WCAG 2.1 AA; modes still win."""

import pytest

from govportal.conftest import public_get
from govportal.content.factories import make_site
from govportal.core.models import PlatformSettings
from govportal.provisioning import themes
from govportal.sites.models import SiteTheme

CSS = themes.CSS_PATH.read_text(encoding="utf-8")
PALETTES = themes.palettes(CSS)


def test_contrast_ratio_matches_known_values():
    assert themes.contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert themes.contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    assert themes.contrast_ratio("#1b4f9c", "#fff") == pytest.approx(7.94, abs=0.01)


def test_every_theme_is_defined_in_the_stylesheet():
    rules = themes.parse_custom_properties(CSS)
    for theme in SiteTheme.values:
        if theme != SiteTheme.BLUE:  # the default palette is :root itself
            assert f".theme-{theme}" in rules, theme


@pytest.mark.parametrize("theme", SiteTheme.values)
@pytest.mark.parametrize(("foreground", "background"), themes.TEXT_PAIRS)
def test_every_theme_keeps_aa_contrast(theme, foreground, background):
    palette = PALETTES[theme]
    ratio = themes.contrast_ratio(palette[foreground], palette[background])
    assert ratio >= 4.5, f"{theme}: {foreground} on {background} is {ratio:.2f}:1"


def test_high_contrast_mode_resets_every_colour_a_theme_changes():
    rules = themes.parse_custom_properties(CSS)
    reset = rules["html.contrast-mode body"]
    root = rules[":root"]
    for theme in SiteTheme.values:
        for name in rules.get(f".theme-{theme}", {}):
            assert reset.get(name) == root[name], (theme, name)


def test_mourning_mode_greys_the_whole_page_whatever_the_theme():
    rules = CSS.replace(" ", "")
    assert "html.mourning{filter:grayscale(100%);}" in rules


def test_swatches_come_from_the_stylesheet():
    swatches = themes.swatches()
    assert swatches["blue"][0] == "#1b4f9c"
    assert swatches["red"][0] == PALETTES["red"]["--c-primary"]
    assert len({colors[0] for colors in swatches.values()}) == len(SiteTheme.values)


@pytest.mark.django_db
@pytest.mark.parametrize("theme", SiteTheme.values)
def test_public_pages_carry_the_sites_theme(client, theme):
    _site, home, _profile = make_site(hostname="theme.example.test", theme=theme)
    html = public_get(client, home).content.decode()
    assert f'<body class="theme-{theme} page-home">' in html


@pytest.mark.django_db
def test_mourning_mode_still_applies_on_a_themed_site(client):
    _site, home, _profile = make_site(hostname="theme.example.test", theme=SiteTheme.RED)
    settings = PlatformSettings.load()
    settings.mourning_mode = True
    settings.save()
    html = public_get(client, home).content.decode()
    assert 'class="mourning"' in html and "theme-red" in html
