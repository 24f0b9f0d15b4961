"""Colour themes (配色主题): read from portal.css, the one place they are defined.

``:root`` holds the default palette (政务蓝); each ``.theme-<name>`` block overrides some
custom properties. The admin's swatches and the contrast test both read the stylesheet,
so a theme cannot drift from what visitors see.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from govportal.sites.models import SiteTheme

CSS_PATH = Path(settings.BASE_DIR) / "govportal" / "static" / "css" / "portal.css"

_BLOCK = re.compile(r"(?P<selector>[^{}]+)\{(?P<body>[^{}]*)\}")
_VAR = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)

# (foreground, background) custom properties of text the public templates draw on
# each other; every theme must give each pair ≥ 4.5:1 (WCAG 2.1 AA, GB/T 37668).
TEXT_PAIRS = [
    ("--c-text", "--c-bg"),
    ("--c-text", "--c-card"),
    ("--c-muted", "--c-bg"),
    ("--c-muted", "--c-card"),
    ("--c-primary", "--c-card"),  # links, card and column titles
    ("--c-primary", "--c-bg"),
    ("--c-primary", "--c-tint"),  # tags, sidebar hover
    ("--c-accent", "--c-card"),  # top headline, link hover
    ("--c-accent", "--c-tint"),  # the active sidebar channel
    ("--c-on-primary", "--c-primary"),  # buttons, banner, sidebar title
    ("--c-on-primary", "--c-primary-dark"),
    ("--c-on-primary", "--c-primary-deep"),  # main navigation
    ("--c-on-primary", "--c-banner-light"),  # the lightest stop of the banner gradient
    ("--c-on-primary", "--c-accent"),  # active navigation item, search button
    ("--c-on-primary", "--c-accent-dark"),
    ("--c-on-dark", "--c-group-bg"),  # site-group navigation
    ("--c-on-dark", "--c-footer-bg"),  # footer
]


def _hex_to_rgb(value: str) -> tuple[int, int, int]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        raise ValueError(f"not a hex colour: #{value}")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def relative_luminance(color: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _hex_to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def parse_custom_properties(css: str) -> dict[str, dict[str, str]]:
    """{selector: {--name: value}} for every rule that sets custom properties."""
    css = _COMMENT.sub("", css)
    rules: dict[str, dict[str, str]] = {}
    for match in _BLOCK.finditer(css):
        variables = dict(_VAR.findall(match.group("body")))
        if variables:
            for selector in match.group("selector").split(","):
                rules.setdefault(selector.strip(), {}).update(
                    {k: v.strip() for k, v in variables.items()}
                )
    return rules


def palettes(css: str) -> dict[str, dict[str, str]]:
    """Each theme's full set of custom properties: ``:root`` plus its overrides."""
    rules = parse_custom_properties(css)
    base = rules.get(":root", {})
    return {theme: {**base, **rules.get(f".theme-{theme}", {})} for theme in SiteTheme.values}


@lru_cache(maxsize=1)
def theme_palettes() -> dict[str, dict[str, str]]:
    return palettes(CSS_PATH.read_text(encoding="utf-8"))


def swatches() -> dict[str, list[str]]:
    """The colours shown beside each theme in the admin form."""
    names = ("--c-primary", "--c-primary-deep", "--c-accent", "--c-footer-bg")
    return {theme: [p.get(n, "#fff") for n in names] for theme, p in theme_palettes().items()}
