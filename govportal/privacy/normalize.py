"""Canonical forms of personal data, so that equal values compare (and index) equal.

Full-width characters typed on Chinese keyboards become ASCII (NFKC), separators go.
"""

import re
import unicodedata

_PHONE_SEPARATORS = re.compile(r"[\s\-().·]")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(value: str | None) -> str:
    """Trimmed, single-spaced, case-folded text (names, addresses)."""
    if not value:
        return ""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip().casefold()


def normalize_phone(value: str | None) -> str:
    """Digits only, without the +86 / 0086 country code: ``+86 138-0013-8000`` → ``13800138000``.

    Landlines keep their area code: ``0571-8876 5678`` → ``057188765678``.
    """
    if not value:
        return ""
    text = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("861"):
        text = text[2:]
    return text


def normalize_id_card(value: str | None) -> str:
    """No spaces, upper-case check character: ``1101 0119 9003 0712 3x`` → ``…3X``."""
    if not value:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def normalize_email(value: str | None) -> str:
    if not value:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


NORMALIZERS = {
    "text": normalize_text,
    "phone": normalize_phone,
    "id_card": normalize_id_card,
    "email": normalize_email,
}
