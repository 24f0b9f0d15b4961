"""Attachment text (附件全文): the words of PDF, Word, Excel and text files, for the index.

:func:`extract_text` reads one file by its name's extension; :func:`document_text` reads a
Wagtail document, caches the result by the file's hash and never raises (a file that
cannot be read is logged and indexed by its title only).

Limits keep one bad upload from stalling the indexer: files above
``GOVPORTAL_SEARCH_MAX_FILE_MB`` (default 50) are skipped, PDFs are read up to
:data:`MAX_PAGES` pages, text stops at :data:`MAX_CHARS` characters, and reading stops
(between pages, sheets or rows) once :data:`TIME_LIMIT` seconds have passed.

Legacy Word (.doc) needs ``antiword`` or ``catdoc`` on the PATH; without them a .doc is
indexed by its title and a note is logged.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000
MAX_PAGES = 500
MAX_ROWS = 50_000  # per workbook
TIME_LIMIT = 30.0  # seconds per file
CACHE_SECONDS = 30 * 24 * 3600

#: Extensions read by :func:`extract_text` (lower case, no dot).
SUPPORTED = frozenset({"pdf", "docx", "xlsx", "xlsm", "xls", "doc", "txt", "csv", "md"})


class ExtractionError(Exception):
    """The file could not be read (damaged, encrypted, wrong type, converter failed)."""


def max_file_bytes() -> int:
    return int(getattr(settings, "GOVPORTAL_SEARCH_MAX_FILE_MB", 50)) * 1024 * 1024


def extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


class _Budget:
    """Collects text pieces up to ``max_chars`` and ``time_limit`` seconds."""

    def __init__(self, max_chars: int, time_limit: float):
        self.max_chars = max_chars
        self.deadline = time.monotonic() + time_limit
        self.parts: list[str] = []
        self.size = 0

    @property
    def exhausted(self) -> bool:
        return self.size >= self.max_chars or time.monotonic() > self.deadline

    def add(self, text: str) -> None:
        text = (text or "").strip()
        if not text or self.size >= self.max_chars:
            return
        text = text[: self.max_chars - self.size]
        self.parts.append(text)
        self.size += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)


def _pdf(data: bytes, budget: _Budget, max_pages: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")  # owner-password-only PDFs open with an empty user password
        except Exception as exc:  # noqa: BLE001 — any pypdf failure means "cannot read"
            raise ExtractionError("encrypted PDF") from exc
    for number, page in enumerate(reader.pages):
        if number >= max_pages or budget.exhausted:
            break
        budget.add(page.extract_text() or "")


def _docx_blocks(document) -> Iterator[str]:
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " ".join(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                yield paragraph.text


def _docx(data: bytes, budget: _Budget) -> None:
    import docx

    for text in _docx_blocks(docx.Document(io.BytesIO(data))):
        if budget.exhausted:
            break
        budget.add(text)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx(data: bytes, budget: _Budget) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = 0
        for sheet in workbook.worksheets:
            budget.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > MAX_ROWS or budget.exhausted:
                    return
                budget.add(" ".join(t for t in map(_cell_text, row) if t))
    finally:
        workbook.close()


def _xls(data: bytes, budget: _Budget) -> None:
    import xlrd

    workbook = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        rows = 0
        for index in range(workbook.nsheets):
            sheet = workbook.sheet_by_index(index)
            budget.add(sheet.name)
            for r in range(sheet.nrows):
                rows += 1
                if rows > MAX_ROWS or budget.exhausted:
                    return
                budget.add(" ".join(t for t in map(_cell_text, sheet.row_values(r)) if t))
    finally:
        workbook.release_resources()


def decode_text(data: bytes, *, complete: bool = True) -> str:
    """Plain text in UTF-8 (with or without BOM), else GB18030 (GBK files of Windows).

    ``complete=False``: ``data`` is the head of a longer file, so a character cut at the
    end is dropped rather than taken for a wrong encoding."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def doc_converter() -> list[str] | None:
    """The command line that turns a .doc into text on this machine (``None``: none)."""
    for name, args in (("antiword", ["-w", "0"]), ("catdoc", ["-w"])):
        path = shutil.which(name)
        if path:
            return [path, *args]
    return None


def _doc(data: bytes, budget: _Budget, time_limit: float) -> None:
    command = doc_converter()
    if command is None:
        logger.info("search: no antiword/catdoc on PATH, a .doc file is indexed by title only")
        return
    with tempfile.NamedTemporaryFile(suffix=".doc") as handle:
        handle.write(data)
        handle.flush()
        try:
            done = subprocess.run(  # noqa: S603 — fixed argv from shutil.which, no shell
                [*command, handle.name], capture_output=True, timeout=time_limit, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ExtractionError("converter timed out") from exc
    if done.returncode != 0:
        raise ExtractionError(done.stderr.decode("utf-8", "replace")[:200] or "converter failed")
    budget.add(decode_text(done.stdout))


def extract_text(
    data: bytes,
    filename: str,
    *,
    max_chars: int = MAX_CHARS,
    max_pages: int = MAX_PAGES,
    time_limit: float = TIME_LIMIT,
) -> str:
    """The text of the file ``data`` named ``filename`` ("" for unsupported types).

    Raises :class:`ExtractionError` when a supported file cannot be read."""
    kind = extension(filename)
    if kind not in SUPPORTED:
        return ""
    budget = _Budget(max_chars, time_limit)
    try:
        if kind == "pdf":
            _pdf(data, budget, max_pages)
        elif kind == "docx":
            _docx(data, budget)
        elif kind in ("xlsx", "xlsm"):
            _xlsx(data, budget)
        elif kind == "xls":
            _xls(data, budget)
        elif kind == "doc":
            _doc(data, budget, time_limit)
        else:
            head = data[: max_chars * 4]
            budget.add(decode_text(head, complete=len(head) == len(data)))
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 — parsers raise anything on a damaged file
        raise ExtractionError(f"{type(exc).__name__}: {exc}") from exc
    return budget.text()[:max_chars]


def _cache_key(document) -> str:
    """The document and its file's version (the admin sets ``file_hash``; code that saves a
    new file may not, but the stored name or size changes with it)."""
    version = f"{document.file_hash}:{document.file.name}:{document.file_size or ''}"
    digest = hashlib.sha1(version.encode(), usedforsecurity=False).hexdigest()
    return f"govsearch:text:{document.pk}:{digest}"


def document_text(document) -> str:
    """The text of a Wagtail document, "" when it has none or cannot be read (logged).

    Cached by the document's file version, so re-indexing the pages that link it does not
    read the file again; replacing the file changes the hash."""
    if not document.file or extension(document.filename) not in SUPPORTED:
        return ""
    key = _cache_key(document)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        size = document.file.size
        if size > max_file_bytes():
            logger.info("search: %s is %s bytes, indexed by title only", document.filename, size)
            text = ""
        else:
            with document.file.open("rb") as handle:
                data = handle.read()
            text = extract_text(data, document.filename)
    except ExtractionError as exc:  # the file itself is bad: remember, do not retry
        logger.warning("search: cannot read document %s (%s): %s", document.pk, document, exc)
        text = ""
    except (OSError, ValueError) as exc:  # storage trouble: maybe transient, not cached
        logger.warning("search: cannot open document %s (%s): %s", document.pk, document, exc)
        return ""
    cache.set(key, text, CACHE_SECONDS)
    return text
