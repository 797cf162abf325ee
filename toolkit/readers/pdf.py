"""PDF reader: the text layer of every page with pypdfium2, lines rebuilt from the glyph positions.

Why pypdfium2 and not pdfplumber: on ``huaian_city_2024.pdf`` (6 pages) pypdfium2 takes
about 2 ms a page and pdfplumber about 40 ms (``bench/bench_load.py --compare-pdf``).
pdfplumber's word-level geometry is not needed by the table parser, which works on lines.

Text comes in the page's content order (word processors write a table cell by cell: the
label cell, then each value cell), but the line breaks are ours: pdfium's own break
heuristic (``get_text_range``) splits the lines of PDFs exported by LibreOffice and Word
wherever a glyph is drawn as its own text object (``3.`` / ``危`` / ``及“`` / ``三`` on
separate lines although they share a line on the page) and joins a paragraph to the line
before it. Here two consecutive glyphs stay on one line when their boxes overlap
vertically by half a line and the second does not move back to the left; a horizontal gap
wider than a quarter of the line height (the next table cell) is a space; pdfium's
generated spaces are kept, its generated line breaks are not. Rotated pages keep pdfium's
text. A running header or footer (the title on every page) is kept on its first page only
(:func:`drop_running_lines`).

* A PDF whose pages hold (almost) no text is refused: ``no text layer (scanned?)``, saying that
  ``ocr=True`` reads it. With ``ocr=True`` each page with (almost) no text but an image is read by
  Tesseract (:mod:`toolkit.readers.ocr`); a missing ``tesseract`` or missing ``chi_sim`` data is an
  error naming the install, a page OCR fails on (timeout) keeps the other pages and flags the row.
* A password-protected PDF is refused: ``encrypted PDF (password required)``.
* A PDF pdfium cannot open is refused as ``corrupt PDF``; one that opens but lacks its
  ``%%EOF`` marker keeps the text of its readable pages and is flagged ``truncated PDF``.
"""
from __future__ import annotations

from . import RawDocument, ReadError

MIN_CHARS_PER_PAGE = 10  # fewer visible characters on average: treated as a scan
_SAME_LINE = 0.5  # vertical overlap (share of the smaller glyph box) of two glyphs on one line
_CELL_GAP = 0.25  # a horizontal gap wider than this share of the line height is a space


def page_lines(textpage) -> str:
    """The text of one page in content order, with line breaks and spaces from the glyph boxes.

    A glyph drawn after its right-hand neighbour on the same line (a quote mark or a character from
    a fallback font, written as a separate run) is put back at its place in the line, and the digits of
    a number wrapped inside a narrow table cell are joined to it (:func:`_wrapped`).
    """
    import bisect

    import pypdfium2.raw as pdfium_c

    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    rect = pdfium_c.FS_RECTF()
    lines: list[str] = []
    line: list[tuple[float, float, float, float, str, bool]] = []  # (left, right, bottom, top, char, space before)
    space = False
    wrap = None  # (left, right, bottom, top) of the digits of a number carried over from the lines below
    prev = None  # the last glyph of ``line``

    def flush():
        if not line:
            return
        parts = [line[0][4]]
        for (pl, pr, pb, pt, _, _), (left, right, bottom, top, ch, sp) in zip(line, line[1:]):
            gap, h = left - pr, max(top - bottom, pt - pb)
            if (sp and gap > 0.05 * h) or gap > _CELL_GAP * h:
                parts.append(" ")
            parts.append(ch)
        lines.append("".join(parts))
        line.clear()

    text = textpage.get_text_range(0, n) if n else ""
    direct = len(text) == n  # one UTF-16 unit per character (no character outside the BMP): index it
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    for i in range(n):
        if direct:
            ch = text[i]
            if ch == "\0" or "\ud800" <= ch <= "\udfff":
                continue
        else:
            u = pdfium_c.FPDFText_GetUnicode(tp, i)
            if u == 0 or u > 0x10FFFF or 0xD800 <= u <= 0xDFFF:
                continue
            ch = chr(u)
        if ch in "\r\n":
            if pdfium_c.FPDFText_IsGenerated(tp, i) != 1:
                flush()  # a break written in the file itself (rare): keep it
                space = False
            continue
        if ch.isspace():
            space = True
            continue
        if not get_box(tp, i, rect):
            continue
        left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
        g = (left, right, bottom, top, ch, space)
        space = False
        if line:
            pl, pr, pb, pt = prev[:4]
            height = top - bottom if top - bottom < pt - pb else pt - pb
            overlap = (top if top < pt else pt) - (bottom if bottom > pb else pb)
            if height > 0 and overlap >= _SAME_LINE * height:
                if left >= pl + 0.1 * (pr - pl) - 0.5:
                    line.append(g)
                    prev = g
                    wrap = None
                    continue
                if left >= line[0][0] - 0.5:  # drawn late, but inside this line
                    line.insert(bisect.bisect_right([x[0] for x in line], left), g[:5] + (False,))
                    prev = line[-1]
                    continue
            carried = _wrapped(line, g, wrap) if ch in _DIGITS else None
            if carried is not None:
                # a number wrapped inside its cell: its digits join the line, drawn where it ended
                prev = (pr, pr, pb, pt, ch, False)
                line.append(prev)
                wrap = carried
                continue
            flush()
        wrap = None
        line.append(g)
        prev = g
    flush()
    return "\n".join(lines)


_DIGITS = frozenset("0123456789")
_NUMBER = _DIGITS | {".", ","}  # a wrapped number may hold decimals or thousands separators


def _wrapped(line: list[tuple], g: tuple, wrap: tuple | None) -> tuple | None:
    """Whether digit ``g``, below the end of ``line``, continues the number that ends the line.

    A number too wide for its table cell wraps: ``1625`` / ``2`` is 16252 (in a very narrow cell, one
    digit a line). It does when the line ends with a run of digits and ``g`` starts the next line right
    below that run, inside its width (left, centred or right aligned), or follows or starts a line
    below the digits already carried over (``wrap``). Returns the box (left, right, bottom, top) of the
    carried digits' line with ``g``, or None.
    """
    left, right, bottom, top = g[:4]
    h = top - bottom
    if wrap is not None:
        wl, wr, wb, wt = wrap
        if min(top, wt) - max(bottom, wb) >= _SAME_LINE * h and -0.5 <= left - wr < _CELL_GAP * h:
            return wl, right, wb, wt
        run_left, run_right, run_bottom = wl, wr, wb
    else:
        k = len(line) - 1
        if line[k][4] not in _NUMBER:
            return None
        while (k > 0 and line[k - 1][4] in _NUMBER and not line[k][5]
               and line[k][0] - line[k - 1][1] < _CELL_GAP * h):
            k -= 1
        if line[k][4] not in _DIGITS:
            return None
        run_left, run_right, run_bottom = line[k][0], line[-1][1], min(x[2] for x in line[k:])
    below = run_bottom - 1.0 * h <= top <= run_bottom + 0.35 * h
    if below and run_left - 0.5 * (right - left) <= left <= run_right:
        return left, right, bottom, top
    return None


_RUN_MIN_CHARS = 4  # CJK characters or letters a running header or footer has at least (page numbers: normalize)


def drop_running_lines(pages: list[str]) -> list[str]:
    r"""Pages without the running header or footer repeated on each page after the first.

    A line among the first two (or among the last two) of a page, printed the same (digits aside)
    at that edge of at least half the pages, two at least, is the word processor's page header or
    footer (the report's title, the agency's name): it is kept on the first page it appears on
    (where it may be the title) and dropped from the others, where it would fall inside a table cut
    by the page break; so is the line after it (before it, at the bottom) when that line is the same
    on as many pages (a title wrapped over two lines). Lines with more than two numbers (table rows)
    are never taken for one, nor are lines holding only a page number
    (:func:`toolkit.normalize.strip_page_furniture` drops those).

    >>> drop_running_lines(["某局2024年度报告\n正文一", "某局2024年度报告\n表格 1 2", "某局2024年度报告\n结尾"])
    ['某局2024年度报告\n正文一', '表格 1 2', '结尾']
    >>> drop_running_lines(["某局2024年度工作\n报告\n正文", "某局2024年度工作\n报告\n表格 1 2"])
    ['某局2024年度工作\n报告\n正文', '表格 1 2']
    >>> p1, p2 = "一\n二\n三\n信息内容 数量", "信息内容 数量\n行政处罚 1\n四\n五"
    >>> drop_running_lines([p1, p2]) == [p1, p2]  # at the bottom of one page, the top of the next: kept
    True
    """
    import re
    import unicodedata

    if len(pages) < 2:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)))

    split = [p.split("\n") for p in pages]
    edges = []  # per page: (line index, key, edge) of its first two and last two non-empty lines
    seen: dict[tuple[str, str], set[int]] = {}
    for i, lines in enumerate(split):
        idx = [j for j, line in enumerate(lines) if line.strip()]
        marks = [(j, "top") for j in idx[:2]] + [(j, "bottom") for j in idx[-2:] if j not in idx[:2]]
        page_edges = []
        for j, edge in marks:
            k = key(lines[j])
            if sum(ch.isalpha() for ch in k) >= _RUN_MIN_CHARS and k.count("#") <= 2:
                page_edges.append((j, k, edge))
                seen.setdefault((k, edge), set()).add(i)
        edges.append(page_edges)
    need = max(2, (len(pages) + 1) // 2)
    running = {ke for ke, on in seen.items() if len(on) >= need}
    if not running:
        return pages
    # a running header of two lines (the title wrapped): the line next to a running line, on the
    # side away from the edge, that is the same on as many pages
    follow: dict[tuple[str, str, str], set[int]] = {}
    for i, (lines, page_edges) in enumerate(zip(split, edges)):
        idx = [j for j, line in enumerate(lines) if line.strip()]
        for j, k, edge in page_edges:
            if (k, edge) in running:
                at = idx.index(j) + (1 if edge == "top" else -1)
                if 0 <= at < len(idx):
                    k2 = key(lines[idx[at]])
                    if any(ch.isalpha() for ch in k2) and k2.count("#") <= 2:
                        follow.setdefault((k, edge, k2), set()).add(i)
    extra = {(k, edge): k2 for (k, edge, k2), on in follow.items() if len(on) >= need}
    out = []
    first: dict[tuple[str, str], int] = {}
    for i, (lines, page_edges) in enumerate(zip(split, edges)):
        idx = [j for j, line in enumerate(lines) if line.strip()]
        drop = set()
        for j, k, edge in page_edges:
            if (k, edge) in running and first.setdefault((k, edge), i) != i:
                drop.add(j)
                at = idx.index(j) + (1 if edge == "top" else -1)
                if (k, edge) in extra and 0 <= at < len(idx) and key(lines[idx[at]]) == extra[(k, edge)]:
                    drop.add(idx[at])
        out.append("\n".join(line for j, line in enumerate(lines) if j not in drop))
    return out


SCANNED = "no text layer (scanned?): pass ocr=True (CLI --ocr) to read it with Tesseract"


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None


def read_pdf(data: bytes, *, ocr: bool = False) -> RawDocument:
    """The pages of a PDF; with ``ocr=True`` pages without a text layer (but with an image) are read
    by Tesseract (:mod:`toolkit.readers.ocr`) and the others keep their text layer."""
    import pypdfium2 as pdfium

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ReadError("corrupt PDF: no %PDF header (not a PDF file?)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise ReadError("encrypted PDF (password required): decrypt it first, e.g. `qpdf --decrypt`") from e
        raise ReadError(f"corrupt PDF: pdfium cannot open it ({msg})") from e
    ocr_pages: list[int] = []
    failed: list[str] = []
    try:
        pages = []
        exe = None
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                if page.get_rotation() % 360:
                    text = textpage.get_text_range()
                else:
                    text = page_lines(textpage)
                if ocr and len("".join(text.split())) < MIN_CHARS_PER_PAGE and _has_image(page):
                    from .ocr import OcrPageError, ocr_page, tesseract_path

                    exe = exe or tesseract_path()  # ReadError naming the install when it is missing
                    try:
                        text = ocr_page(page, exe)
                        ocr_pages.append(i)
                    except OcrPageError as e:
                        failed.append(f"page {i + 1}: {e}")
                pages.append(text)
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as e:
        raise ReadError(f"corrupt PDF: page {len(pages) + 1} cannot be read ({e})") from e
    finally:
        pdf.close()
    if not pages:
        raise ReadError("corrupt PDF: no pages")
    pages = drop_running_lines(pages)
    visible = sum(len("".join(p.split())) for p in pages)
    if visible < MIN_CHARS_PER_PAGE * len(pages):
        if failed:
            raise ReadError(f"scanned PDF: OCR failed ({'; '.join(failed)})")
        if ocr_pages:
            raise ReadError("no text layer and OCR found (almost) no text: a blank or unreadable scan?")
        raise ReadError(SCANNED)
    warnings = []
    if failed:
        warnings.append(f"OCR failed on {len(failed)} page(s) ({'; '.join(failed)}); "
                        f"text of the other {len(pages) - len(failed)} page(s) kept")
    if b"%%EOF" not in data[-4096:]:
        warnings.append(f"truncated PDF: no %%EOF marker at the end; text of the {len(pages)} readable page(s) kept")
    warning = "; ".join(warnings) or None
    return RawDocument(format="pdf", text="\f".join(pages), pages=pages, warning=warning,
                       ocr=bool(ocr_pages), ocr_pages=ocr_pages or None)
