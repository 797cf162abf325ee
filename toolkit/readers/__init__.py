"""File readers: bytes on disk -> raw text, page starts, tables and page hints.

One reader per format; :func:`read` picks it from the file extension: plain text, HTML,
PDF, DOCX, old binary Word 97-2003 ``.doc`` and WPS ``.wps`` (:mod:`.doc`, our own
piece-table reader) and RTF (:mod:`.rtf`, our own parser). A ``.doc``/``.wps``/``.rtf``
(or an OLE ``.docx``) that is really another format (a renamed DOCX, RTF, HTML/MHT web page,
PDF or Word 97 file) is recognised by its first bytes and read by the right reader, with
``hints["actual_format"]`` saying what it was. Readers never normalize (that is
:mod:`toolkit.normalize`'s job, done by :func:`toolkit.load_corpus`) and never touch the
network. A problem with a file raises :class:`ReadError` whose message names the problem
and, where possible, how to fix it; the corpus loader turns it into a row with
``status="error"``.

Examples
--------
>>> from toolkit.readers import read
>>> raw = read("corpora/seed_liubei_kjj_2020.txt")      # doctest: +SKIP
>>> raw.format, raw.encoding                             # doctest: +SKIP
('txt', 'utf-8')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RawDocument", "ReadError", "read", "read_bytes", "parse", "format_of", "FORMATS", "DOCUMENT_EXTENSIONS"]


class ReadError(Exception):
    """A file that cannot be read; the message is the ``error`` of its row."""


@dataclass
class RawDocument:
    """What a reader found in one file, before normalization.

    ``pages`` holds the raw text of each PDF page (``text`` is their join with a form
    feed); ``tables`` holds tables as lists of rows of ``{"text", "rowspan", "colspan"}``
    cells; ``hints`` holds metadata the file states outside its body text (HTML
    ``<title>`` and ``<meta>``, crawler header lines are found later in the text) and, for a
    file whose content is not what its extension says (a DOCX named ``.doc``),
    ``actual_format`` (``"docx"``, ``"rtf"``, ``"html"``, ``"mht"``, ``"pdf"`` or ``"doc"``).
    ``warning`` is a non-fatal problem that still makes the row an error (for example a
    truncated PDF whose first pages are readable: the text is kept). ``ocr`` is True when the text
    of at least one page was read by OCR (``ocr_pages`` lists them, 0-based).
    """

    format: str
    text: str
    encoding: str | None = None
    pages: list[str] | None = None
    tables: list | None = None
    hints: dict = field(default_factory=dict)
    warning: str | None = None
    ocr: bool = False
    ocr_pages: list[int] | None = None


# extension -> format name; "unknown" extensions get an error row
FORMATS = {".txt": "txt", ".text": "txt", ".htm": "html", ".html": "html", ".shtml": "html",
           ".xhtml": "html", ".mht": "mht", ".mhtml": "mht", ".pdf": "pdf", ".docx": "docx", ".doc": "doc",
           ".wps": "wps", ".rtf": "rtf"}
DOCUMENT_EXTENSIONS = frozenset(FORMATS)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def format_of(path: str | Path) -> str:
    """Format name from the extension (``"unknown"`` when it is not a document extension)."""
    return FORMATS.get(Path(path).suffix.lower(), "unknown")


def read(path: str | Path, *, ocr: bool = False) -> RawDocument:
    """Read one file with the reader of its format; raise :class:`ReadError` on a bad file.

    ``ocr=True`` reads PDF pages without a text layer with Tesseract (:mod:`.ocr`).
    """
    fmt = format_of(path)
    if fmt == "unknown":
        return parse(b"", fmt, suffix=Path(path).suffix)
    return parse(read_bytes(path), fmt, ocr=ocr)


def parse(data: bytes, fmt: str, *, suffix: str = "", ocr: bool = False) -> RawDocument:
    """Parse the bytes of a file of format ``fmt`` (see :data:`FORMATS`).

    ``ocr=True``: PDF pages without a text layer are read by Tesseract (``RawDocument.ocr`` is then True);
    pages with a text layer keep it.
    """
    if fmt == "unknown":
        raise ReadError(f"unknown document format {suffix!r}")
    if not data:
        raise ReadError("empty file (0 bytes)")
    if fmt == "txt":
        from .text import read_txt
        return read_txt(data)
    if fmt == "html":
        from .html import read_html
        return read_html(data)
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(data, ocr=ocr)
    if fmt in ("doc", "wps", "rtf", "mht"):
        from .doc import read_word
        return read_word(data, fmt, ocr=ocr)
    if data.startswith(_OLE_MAGIC):  # a .docx that is a Word 97 file, or an encrypted DOCX
        from .doc import read_word
        return read_word(data, fmt)
    from .docx import read_docx
    return read_docx(data)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file; :class:`ReadError` naming the problem when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except PermissionError as e:
        raise ReadError(f"permission denied: cannot read the file ({e.strerror}); check its permissions") from e
    except IsADirectoryError as e:
        raise ReadError("is a directory, not a file") from e
    except OSError as e:
        if e.errno == 40:  # ELOOP
            raise ReadError("symlink loop: too many levels of symbolic links") from e
        raise ReadError(f"cannot read the file: {e.strerror or e}") from e
    return data
