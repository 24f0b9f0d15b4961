"""重复来信检查: letters that look like one already open in the same mailbox.

Chinese has no spaces to split words on, so text is compared as sets of character bigrams
(the same idea as Plone's CJK splitter): punctuation and spaces are dropped, ASCII words and
numbers are kept whole and lower-cased. Two letters are similar when the Jaccard overlap of
their bigram sets reaches :data:`THRESHOLD`, or when the same writer (same phone, found by its
blind index, nothing decrypted) writes about an overlapping subject again.

:func:`similar_open_letters` serves both sides: the form warns the writer before a second
letter about the same thing ("您反映的问题可能已有人反映"), and staff see the list on the letter
to merge duplicates.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

#: Bigram overlap from which two letters count as the same matter.
THRESHOLD = 0.45
#: A lower overlap is enough when the same writer wrote both.
SAME_WRITER_THRESHOLD = 0.2
#: Only letters received this many days back are compared.
WINDOW_DAYS = 90
#: At most this many candidates are compared (newest first).
MAX_CANDIDATES = 500

_ASCII_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> set[str]:
    """Character bigrams of the CJK runs plus whole ASCII words/numbers of ``text``."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    result = set(_ASCII_WORD.findall(text))
    run: list[str] = []

    def flush():
        if len(run) == 1:
            result.add(run[0])
        result.update(a + b for a, b in zip(run, run[1:], strict=False))
        run.clear()

    for char in text:
        if unicodedata.category(char).startswith("L") and not char.isascii():
            run.append(char)
        else:
            flush()
    flush()
    return result


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two token sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Match:
    letter: object
    score: float
    same_writer: bool


def letter_tokens(title: str, body: str) -> set[str]:
    # The title says what the matter is: count it twice by tagging its bigrams.
    title_tokens = tokens(title)
    return tokens(body) | title_tokens | {f"t:{t}" for t in title_tokens}


def similar_open_letters(mailbox, title: str, body: str, *, phone: str = "", exclude=None,
                         limit: int = 5) -> list[Match]:  # fmt: skip
    """Open letters of ``mailbox`` from the last :data:`WINDOW_DAYS` days similar to this
    text, most similar first (at most ``limit``)."""
    from govportal.privacy.fields import lookup

    from .models import Letter

    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    candidates = Letter.objects.open().filter(mailbox=mailbox, submitted_at__gte=since)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    same_writer_ids = set()
    if phone:
        same_writer_ids = set(lookup(candidates, "phone", phone).values_list("pk", flat=True))
    mine = letter_tokens(title, body)
    matches = []
    rows = candidates.only("pk", "tracking_code", "title", "body", "submitted_at", "status")
    for letter in rows.order_by("-submitted_at")[:MAX_CANDIDATES]:
        score = similarity(mine, letter_tokens(letter.title, letter.body))
        same = letter.pk in same_writer_ids
        if score >= THRESHOLD or (same and score >= SAME_WRITER_THRESHOLD):
            matches.append(Match(letter, round(score, 3), same))
    matches.sort(key=lambda m: (m.same_writer, m.score), reverse=True)
    return matches[:limit]
