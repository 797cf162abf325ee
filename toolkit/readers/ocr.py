"""Opt-in OCR of PDF pages without a text layer: pypdfium2 renders, the Tesseract program reads.

Used by :func:`toolkit.readers.pdf.read_pdf` when ``ocr=True`` (``tk.load_corpus(..., ocr=True)``,
CLI ``--ocr``) for the pages that hold (almost) no text but an image: a page is rendered at
:data:`DPI` dpi in grayscale and given to ``tesseract - stdout -l chi_sim --psm 6 tsv`` on its
standard input (no temporary file, no Python binding: the Debian packages ``tesseract-ocr`` and
``tesseract-ocr-chi-sim`` are all it needs). Tesseract runs with ``OMP_THREAD_LIMIT=1``: on this
project's 2-core machine its OpenMP threads made a page take 10 s instead of 1.7 s.

Lines are rebuilt from Tesseract's word boxes as :func:`toolkit.readers.pdf.page_lines` rebuilds them
from glyph boxes: two words are joined by a space when the gap between them is wider than a quarter
of the line height (a table cell), else written together (Chinese has no spaces). Tesseract reads a
row of single-spaced numbers (``13 2 0 0 1 0 16``) as one word (``132001016``); such a word is split
again where the ink of the page image has a gap as wide as a space (:func:`_split_digits`), when the
ink columns and the characters read agree one to one. What OCR reads is recorded as read: numbers are
never corrected (``toolkit.check`` flags each OCR'd report with ``ocr-text``).

A page that Tesseract cannot read within :data:`TIMEOUT` seconds, or that it fails on, raises
:class:`OcrPageError`; the PDF reader keeps the other pages and makes the row an error that says so.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess

from . import ReadError

TESSERACT = "tesseract"  # the program's name (or a path); tests point it elsewhere
LANG = "chi_sim"
PSM = 6  # one uniform block of text; --psm 4 gave the same cells on the scanned synthetic reports (bench_ocr)
DPI = 300
TIMEOUT = 120.0  # seconds for one page
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
_CJK_GAP = 1.0  # two CJK words further apart than a line height are two cells
_DIGIT_GAP = 0.45  # ... or than this share of the median digit width, between the digits of a number row
_CELL_GAP = 0.25  # as in toolkit.readers.pdf: a gap wider than this share of the line height is a space


_TRAILING_NUMBER = re.compile(r"[0-9](?:[0-9.,]*[0-9])?$")  # a list marker "3." is not one


_DIGITS = frozenset("0123456789")


class OcrPageError(Exception):
    """One page could not be read by Tesseract (timeout, crash); the message says which and why."""


def tesseract_path() -> str:
    """The Tesseract program with the ``chi_sim`` data, or :class:`ReadError` saying how to install it."""
    exe = shutil.which(TESSERACT)
    if exe is None:
        raise ReadError(f"scanned PDF (no text layer) and OCR is not available: the Tesseract program "
                        f"{TESSERACT!r} was not found; install it with `{INSTALL}`")
    if LANG not in _languages(exe):
        raise ReadError(f"scanned PDF (no text layer) and OCR is not available: Tesseract ({exe}) has no "
                        f"{LANG!r} (simplified Chinese) data; install it with `{INSTALL}`")
    return exe


@functools.lru_cache(maxsize=8)
def _languages(exe: str) -> frozenset[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def ocr_page(page, exe: str, *, dpi: int = DPI, psm: int | None = None, timeout: float | None = None) -> str:
    """The text of one pypdfium2 page read by Tesseract, lines rebuilt from the word boxes."""
    import numpy as np

    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PPM")  # PGM: the fastest format to write and for leptonica to read
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    timeout = TIMEOUT if timeout is None else timeout
    cmd = [exe, "-", "stdout", "-l", LANG, "--psm", str(PSM if psm is None else psm), "tsv"]
    try:
        out = subprocess.run(cmd, input=buf.getvalue(), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        raise OcrPageError(f"Tesseract did not finish within {timeout:g} s") from e
    except OSError as e:
        raise OcrPageError(f"Tesseract could not be run ({e})") from e
    if out.returncode != 0:
        err = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrPageError(f"Tesseract failed (exit {out.returncode}: {err[-1] if err else 'no message'})")
    ink = np.asarray(image) < 128
    return tsv_lines(out.stdout.decode("utf-8", "replace"), ink)


def tsv_lines(tsv: str, ink=None) -> str:
    """Text lines from Tesseract's TSV output (one word a row with its box), as described above."""
    lines: dict[tuple, list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        left, top, width, height = (int(x) for x in f[6:10])
        lines.setdefault((f[2], f[3], f[4]), []).append((left, top, width, height, f[11].strip()))
    out = []
    for words in lines.values():
        h = max(w[3] for w in words) or 1
        band = (min(w[1] for w in words), max(w[1] + w[3] for w in words))
        parts: list[str] = []
        prev_right = None
        for left, top, width, height, text in words:
            lead = None  # whether the ink shows a space-wide gap before a number that starts the word
            if ink is not None:
                text, lead = _split_digits(ink, left, width, band, text, h)
            if prev_right is not None:
                gap = left - prev_right
                cjk = _is_cjk(parts[-1][-1]) and _is_cjk(text[0])
                if lead is True or (lead is None and gap > (_CJK_GAP if cjk else _CELL_GAP) * h):
                    parts.append(" ")
            parts.append(text)
            prev_right = left + width
        out.append("".join(parts))
    return "\n".join(out)


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


def _split_digits(ink, left: int, width: int, band: tuple[int, int], text: str, line_h: int) -> tuple[str, bool | None]:
    """``text`` with spaces where the ink of the number that ends it has space-wide gaps.

    The ink of the line (``band``: its top and bottom) under the word's box, widened to the left by a
    line height (Tesseract's word boxes can miss a first digit), is cut into runs of columns holding ink.
    The ``k`` characters of the number at the end of the word (digits, ``.`` and ``,``) are taken to be
    the last ``k`` runs (digits do not touch at this resolution) when each is narrower than a CJK
    character; a gap between two of them wider than a quarter of the line height or 0.45 of the median
    digit width (a space is about half a digit wide; digits of one number are 1-5 px apart at 300 dpi)
    is a space, and so is such a gap before the number. Returns the text and, for a word that is only a number, whether the
    ink shows a space before it (None: unknown, or not such a word). Otherwise the word is kept as read.
    """
    m = _TRAILING_NUMBER.search(text)
    if m is None or len(text) == 1:
        return text, None
    digits = m.group()
    x0 = max(0, left - line_h) if m.start() == 0 else max(0, left)
    box = ink[max(0, band[0]):band[1], x0:left + width]
    if box.size == 0:
        return text, None
    cols = box.any(axis=0).tolist()
    runs: list[list[int]] = []  # [start, end) of the ink runs
    for x, on in enumerate(cols):
        if on:
            if runs and runs[-1][1] == x:
                runs[-1][1] = x + 1
            else:
                runs.append([x, x + 1])
    k = len(digits)
    if len(runs) < k or any(e - s > 0.8 * line_h for s, e in runs[-k:]):
        return text, None
    num = runs[-k:]
    widths = sorted(e - s for (s, e), ch in zip(num, digits) if ch in "0123456789")
    space = min(_CELL_GAP * line_h, _DIGIT_GAP * widths[len(widths) // 2]) if widths else _CELL_GAP * line_h
    parts = [digits[0]]
    for (_, end), (start, _), prev, ch in zip(num, num[1:], digits, digits[1:]):
        if start - end > space and prev in _DIGITS and ch in _DIGITS:  # never around "." or ","
            parts.append(" ")
        parts.append(ch)
    before = num[0][0] - runs[-k - 1][1] > space if len(runs) > k else None
    prefix = text[:m.start()]
    if prefix:
        return prefix + (" " if before else "") + "".join(parts), None
    return "".join(parts), before
