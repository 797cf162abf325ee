"""HTML reader (lxml): charset from BOM / ``<meta>`` / sniffing, chrome stripped, tables kept.

* No network and no external entities: lxml's HTML parser with ``no_network=True``;
  nothing referenced by the page (scripts, images, frames, links) is fetched or run.
* Removed: comments (including Word's ``<!--[if !supportLists]-->``), the downlevel-revealed
  Word markers ``<![if ...]>`` / ``<![endif]>`` (their content is kept), ``script``, ``style``,
  ``nav``, forms, frames, and small blocks whose class/id says navigation, menu,
  breadcrumb, share bar or footer.
* Text keeps block structure: one line per paragraph / ``<br>`` / list item; every table
  row becomes one line ``cell | cell | cell |`` and the table is also returned as
  rows of ``{"text", "rowspan", "colspan"}`` cells. Page-layout tables (holding other
  tables, or a cell of more than 500 characters, as on older portals) are not data:
  their cells are read as blocks and the data tables inside them are kept.
* Hints for metadata: ``<title>``, ``<h1>``, and the ``<meta>`` fields that Chinese
  government CMSs (TRS and others) emit: ``ArticleTitle``, ``PubDate``, ``ContentSource``,
  ``Url``/``og:url``.
"""
from __future__ import annotations

import re

from lxml import etree

from . import RawDocument, ReadError
from .text import decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WORD_MARKERS = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.I)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
              "embed", "svg", "canvas", "form", "select", "button", "input", "textarea", "nav",
              "head", "link", "meta", "img", "audio", "video", "map")
_CHROME = re.compile(r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|topbar|"
                     r"sidebar|share|toolbar|skip|banner|header-nav|position|location)(?:$|[\s_\-\d])", re.I)
_BLOCK = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 section article header footer aside blockquote "
                   "pre dd dt dl center address figure figcaption hr caption tbody thead tfoot main "
                   "o:p table tr td th".split())  # table parts: only layout tables are walked as blocks
_LAYOUT_CELL_CHARS = 500
_SPACE = re.compile(r"\s+")
# a line break of the HTML SOURCE between two Chinese characters is not a space on screen
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_NEWLINE = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n\s*(?=[{_CJK}])")


def _inline(s: str) -> str:
    """Text node -> inline text: source newlines are whitespace, not line breaks."""
    if "\n" not in s and "\r" not in s:
        return s
    return _CJK_NEWLINE.sub("", s).replace("\r", " ").replace("\n", " ")


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def _meta(root, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            key = (el.get("name") or el.get("property") or el.get("http-equiv") or "").lower()
            if key == name.lower() and (el.get("content") or "").strip():
                return el.get("content").strip()
    return None


def _cell_text(cell) -> str:
    for br in cell.iter("br"):
        br.tail = " " + (br.tail or "")
    return _SPACE.sub(" ", _inline("".join(cell.itertext()))).strip()


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, "1")), 1000))
    except ValueError:
        return 1


def _read_table(table) -> list[list[dict]]:
    rows = []
    for tr in table.iter("tr"):
        # rows of nested tables belong to the cell that holds them
        owner = next((a for a in tr.iterancestors("table")), None)
        if owner is not table:
            continue
        cells = [{"text": _cell_text(td), "rowspan": _span(td, "rowspan"), "colspan": _span(td, "colspan")}
                 for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    return rows


def _is_layout(table) -> bool:
    """A page-layout table (nested tables, or a cell holding a long text) is walked as blocks."""
    if table.find(".//table") is not None:
        return True
    return any(len("".join(td.itertext())) > _LAYOUT_CELL_CHARS for td in table.iter("td", "th"))


def _strip_chrome(body) -> None:
    for el in list(body.iter(*_DROP_TAGS)):
        parent = el.getparent()
        if parent is not None:
            _drop_keep_tail(el)
    for el in list(body.iter("div", "ul", "ol", "header", "footer", "aside", "span", "p", "table")):
        if el.getparent() is None:
            continue
        label = f"{el.get('class', '')} {el.get('id', '')}"
        if _CHROME.search(label) and el.find(".//table") is None and el.tag != "table":
            if len("".join(el.itertext())) < 400:
                _drop_keep_tail(el)


def _drop_keep_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _linearize(body) -> tuple[str, list]:
    out: list[str] = []
    tables: list = []
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "table" and not _is_layout(el):
                rows = _read_table(el)
                if rows:
                    tables.append(rows)
                    out.append("\n" + "\n".join(" | ".join(c["text"] for c in r) + " |" for r in rows) + "\n")
                walker.skip_subtree()  # its "end" event still comes and adds the tail
                continue
            if tag in _BLOCK:
                out.append("\n")
            if el.text:
                out.append(el.text if tag == "pre" else _inline(el.text))
        else:
            if tag in _BLOCK:
                out.append("\n")
            if el.tail and el is not body:
                out.append(_inline(el.tail))
    text = "".join(out)
    text = "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{2,}", "\n", text).strip(), tables


def read_html(data: bytes) -> RawDocument:
    text, enc = decode_bytes(data, declared=_declared_charset(data))
    text = _WORD_MARKERS.sub("", text)
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              no_network=True, recover=True, huge_tree=True)
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"unparseable HTML: {e}") from e
    if root is None:
        raise ReadError("no HTML content (the parser found no elements)")
    hints = {}
    title = _meta(root, "ArticleTitle", "og:title")
    if not title:
        t = root.find(".//title")
        title = _SPACE.sub(" ", "".join(t.itertext())).strip() if t is not None else None
    h1 = root.find(".//h1")
    hints["title"] = title or None
    hints["h1"] = _SPACE.sub(" ", "".join(h1.itertext())).strip() if h1 is not None else None
    hints["published"] = _meta(root, "PubDate", "publishdate", "pubdate", "article:published_time", "firstpublishedtime")
    hints["source_agency"] = _meta(root, "ContentSource", "source")
    hints["source"] = _meta(root, "Url", "og:url")
    body = root.find(".//body")
    body = root if body is None else body
    _strip_chrome(body)
    body_text, tables = _linearize(body)
    if not body_text:
        raise ReadError("no text in the HTML body (empty page, or content loaded by script?)")
    return RawDocument(format="html", text=body_text, encoding=enc, tables=tables or None, hints=hints)
