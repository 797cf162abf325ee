"""Word 97-2003 binary ``.doc`` (and ``.wps``) reader: text from the piece table, tables from the PAPX.

Our own extractor of the MS-DOC format; only :mod:`olefile` is used, to open the OLE compound
file. What is read:

* the **FIB** (start of the ``WordDocument`` stream): ``fEncrypted`` (an encrypted or
  XOR-obfuscated file is a :class:`ReadError`), ``fWhichTblStm`` (``0Table`` or ``1Table``),
  ``ccpText`` (length of the main text) and the offsets of the Clx and of the PAPX/CHPX bin tables;
* the **piece table** (Clx in the table stream): each piece is either compressed 8-bit text
  (cp1252) or UTF-16LE (all Chinese text); only the main document is read (CPs ``0..ccpText``),
  not footnotes, headers, footers, comments or text boxes (the DOCX reader skips them too);
* **paragraph properties** (PAPX FKPs, with ``sprmPHugePapx`` in the ``Data`` stream) of each
  paragraph, cell and row-end mark: ``sprmPFInTable``, ``sprmPFTtp``, ``sprmPItap`` tell cell and
  row ends; the row-end mark carries the row's ``sprmTDefTable`` (cell edges and merge flags),
  ``sprmTVertMerge`` and ``sprmTMerge``;
* **character properties** (CHPX FKPs) only to drop text deleted with tracked changes
  (``sprmCFRMarkDel``), which the DOCX reader does not read either.

Special characters: ``\\r`` ends a paragraph (one line, as in the DOCX reader); ``\\x07`` ends a
cell or a row; ``\\x13 code \\x14 result \\x15`` fields keep their result only; ``\\x0b`` (line
break) and ``\\x0c`` (page or section break) are line breaks; ``\\x1e`` (non-breaking hyphen) is
``-``; ``\\x1f`` (optional hyphen), object anchors ``\\x01``/``\\x08`` and footnote/comment
references are dropped; a tab is a space.

Tables follow the DOCX reader: each row is also one text line ``cell | cell | cell |`` and
``tables`` holds rows of ``{"text", "rowspan", "colspan"}`` cells. ``colspan`` comes from the
cell edges (``rgdxaCenter``) of all rows of the table (a merged cell spans the grid columns of
the other rows) or from old-style horizontal merges (``fFirstMerged``/``fMerged``, whose
merged cells are not repeated); ``rowspan`` from the vertical merge flags (continuation cells are
not repeated, as in HTML). Nested tables are read as text of the cell that holds them.

Files named ``.doc``/``.wps`` that are really something else (a DOCX, an RTF, an HTML or
MHT "web page", a PDF: all common on government sites) are recognised by their first bytes and
read by the right reader; ``hints["actual_format"]`` then says what the file was.

Not read: Word 6.0/95 and older files and the old Kingsoft WPS binary formats (a
:class:`ReadError` saying how to convert the file), fast-saved single-sprm piece properties
(``Prm0``; the Prc sprms of fast saves are read) and text boxes.
"""
from __future__ import annotations

import bisect
import io
import re
import struct

from . import RawDocument, ReadError
from ._wordtables import Builder

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MIN_NFIB = 0xC0  # Word 97 writes 0xC1, later versions more; Word 6.0/95 write 101-105
_OLD_IDENTS = (0xA5DC, 0xA5DB, 0xA59B, 0xA59C)  # FIB signatures of Word 6.0/95 and Word 1/2

# paragraph and table sprms (MS-DOC 2.6.2, 2.6.3)
_P_IN_TABLE, _P_TTP, _P_ITAP, _P_DTAP = 0x2416, 0x2417, 0x6649, 0x664A
_P_HUGE_PAPX = 0x6646
_P_CHG_TABS = 0xC615
_T_DEF_TABLE, _T_VERT_MERGE, _T_MERGE, _T_SPLIT = 0xD608, 0xD62B, 0x5624, 0x5625
_C_RMARK_DEL = 0x0800

_SPACE = re.compile(r"\s+")
_SPECIAL = re.compile("[\x00-\x1f]")


# --- sniffing: what is this file really? ---------------------------------------------------
def sniff(data: bytes) -> str:
    """The real format of a file from its first bytes.

    ``"ole"`` (an OLE compound file: Word 97-2003, WPS, Excel, ...), ``"zip"`` (DOCX and other
    OOXML/ODF packages), ``"rtf"``, ``"pdf"``, ``"mht"`` (a MIME "single file web page"),
    ``"html"``, ``"wordml"`` (Word 2003 XML) or ``"unknown"``.
    """
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    low = stripped.lower()
    if b"mime-version:" in low[:2048] and b"multipart/" in low:
        return "mht"
    if low.startswith(b"<"):
        if b"<w:worddocument" in low or b"schemas.microsoft.com/office/word/2003/wordml" in low:
            return "wordml"
        if b"<html" in low or b"<!doctype html" in low or b"<body" in low or b"<table" in low or b"<p" in low:
            return "html"
    return "unknown"


def _describe(kind: str) -> str:
    return {"zip": "a ZIP package (DOCX?)", "rtf": "an RTF file", "pdf": "a PDF", "mht": "an MHT web archive",
            "html": "an HTML page"}.get(kind, kind)


def _read_other(data: bytes, kind: str, fmt: str, ocr: bool = False) -> RawDocument:
    """A ``.doc``/``.wps`` file that is really a DOCX, RTF, PDF or web page: read it as what it is."""
    if kind == "wordml":
        raise ReadError(f"this .{fmt} file is a Word 2003 XML document, which is not supported: open it in "
                        "Word/WPS/LibreOffice and save it as .docx")
    try:
        if kind == "zip":
            from .docx import read_docx

            raw = read_docx(data)
        elif kind == "rtf":
            from .rtf import read_rtf

            raw = read_rtf(data)
        elif kind == "pdf":
            from .pdf import read_pdf

            raw = read_pdf(data, ocr=ocr)
        elif kind == "html":
            from .html import read_html

            raw = read_html(data)
        elif kind == "mht":
            raw = _read_mht(data, fmt)
        else:  # pragma: no cover - callers pass known kinds
            raise ReadError(f"unknown content in a .{fmt} file")
    except ReadError as e:
        raise ReadError(f"this .{fmt} file is really {_describe(kind)}, not a Word 97-2003 file, and it cannot "
                        f"be read: {e}") from e
    raw.hints["actual_format"] = kind if kind != "zip" else "docx"
    raw.format = fmt
    return raw


def _read_mht(data: bytes, fmt: str) -> RawDocument:
    import email
    import email.policy

    from .html import read_html

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
        if charset:
            try:
                payload = b"\xef\xbb\xbf" + payload.decode(charset, "replace").encode("utf-8")
            except LookupError:
                pass
        return read_html(payload)
    raise ReadError(f"this .{fmt} file is an MHT web archive without an HTML part; open it in a browser or "
                    "Word and save it as .docx or .html")


# --- little readers of the binary structures -------------------------------------------------
def _u16(b: bytes, o: int) -> int:
    return struct.unpack_from("<H", b, o)[0]


def _u32(b: bytes, o: int) -> int:
    return struct.unpack_from("<I", b, o)[0]


def _sprms(grpprl: bytes):
    """(sprm, operand bytes) of a grpprl (MS-DOC 2.2.5.1 Prl), stopping at a malformed end."""
    i, n = 0, len(grpprl)
    while i + 2 <= n:
        sprm = _u16(grpprl, i)
        i += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm == _T_DEF_TABLE:  # cb (2 bytes) counts the rest of the operand + 1
            if i + 2 > n:
                return
            size = _u16(grpprl, i) - 1
            i += 2
        elif sprm == _P_CHG_TABS and i < n and grpprl[i] == 255:  # PChgTabsOperand with cb = 255
            j = i + 1
            if j >= n:
                return
            j += 1 + grpprl[j] * 4
            if j >= n:
                return
            j += 1 + grpprl[j] * 3
            yield sprm, grpprl[i + 1:j]
            i = j
            continue
        else:
            if i >= n:
                return
            size = grpprl[i]
            i += 1
        if size < 0 or i + size > n:
            return
        yield sprm, grpprl[i:i + size]
        i += size


class _Para:
    """The table-related paragraph properties of one paragraph mark.

    Nested tables (depth > 1) end their cells and rows with ``\\r`` marks flagged
    sprmPFInnerTableCell / sprmPFInnerTtp; they are read as paragraphs of the outer cell, so
    only the depth matters here.
    """

    __slots__ = ("in_table", "ttp", "itap", "grpprl")

    def __init__(self, grpprl: bytes):
        self.in_table = self.ttp = False
        self.itap = None
        self.grpprl = grpprl
        for sprm, op in _sprms(grpprl):
            if not op:
                continue
            if sprm == _P_IN_TABLE:
                self.in_table = bool(op[0])
            elif sprm == _P_TTP:
                self.ttp = bool(op[0])
            elif sprm == _P_ITAP and len(op) >= 4:
                self.itap = struct.unpack_from("<i", op)[0]
            elif sprm == _P_DTAP and len(op) >= 4:
                self.itap = (self.itap or (1 if self.in_table else 0)) + struct.unpack_from("<i", op)[0]

    @property
    def depth(self) -> int:
        if self.itap is not None:
            return max(0, self.itap)
        return 1 if self.in_table else 0


def _row_layout(grpprl: bytes):
    """(cell edges, merge flags) of a table row from its row-end mark's sprms, or None.

    Each flag is ``(horizontal, vertical)``: horizontal 0 = not merged, 1 = first of merged
    cells, 2/3 = merged into the previous cell; vertical 0, 1 (continues the cell above) or 3
    (first of vertically merged cells).
    """
    edges: list[int] | None = None
    flags: list[list[int]] = []
    for sprm, op in _sprms(grpprl):
        if sprm == _T_DEF_TABLE and op:
            n = op[0]
            if len(op) < 1 + 2 * (n + 1):
                continue
            edges = list(struct.unpack_from(f"<{n + 1}h", op, 1))
            flags = []
            at = 1 + 2 * (n + 1)
            for k in range(n):
                if at + 2 <= len(op):
                    grf = _u16(op, at)
                    flags.append([grf & 3, (grf >> 5) & 3])
                else:
                    flags.append([0, 0])
                at += 20  # TC80: tcgrf, wWidth, four Brc80
        elif edges is None:
            continue
        elif sprm == _T_VERT_MERGE and len(op) >= 2 and op[0] < len(flags):
            flags[op[0]][1] = op[1]
        elif sprm == _T_MERGE and len(op) >= 2:
            first, lim = op[0], min(op[1], len(flags))
            for k in range(first, lim):
                flags[k][0] = 1 if k == first else 2
        elif sprm == _T_SPLIT and len(op) >= 2:
            for k in range(op[0], min(op[1], len(flags))):
                flags[k][0] = 0
    if edges is None:
        return None
    return edges, flags


# --- the document ---------------------------------------------------------------------------
class _Doc:
    def __init__(self, data: bytes, fmt: str):
        try:
            import olefile
        except ImportError as e:  # pragma: no cover - a dependency of the package
            raise ReadError("reading Word 97-2003 files needs the 'olefile' package: pip install olefile") from e

        self.fmt = fmt
        self.truncated = False
        sector = 1 << _u16(data, 30) if len(data) >= 32 and 7 <= _u16(data, 30) <= 16 else 512
        self.cut = ""  # what the size says about a truncated download
        if len(data) < 1536:
            self.cut = (f"; the file is only {len(data)} bytes (an OLE file has at least three 512-byte sectors): "
                        "it was probably cut off (an interrupted download?)")
        elif len(data) % sector:
            self.cut = (f"; the file is {len(data)} bytes, not a whole number of {sector}-byte sectors: it was "
                        "probably cut off (an interrupted download?)")
        try:
            ole = olefile.OleFileIO(io.BytesIO(data))
            streams = ["/".join(s) for s in ole.listdir()]
            has_word = ole.exists("WordDocument")
        except Exception as e:
            raise ReadError(f"corrupt or truncated .{fmt} file: the OLE container cannot be opened "
                            f"({type(e).__name__}: {e}){self.cut}") from e
        if not has_word:
            if self.cut:
                raise ReadError(f"corrupt or truncated .{fmt} file: no 'WordDocument' stream found{self.cut}")
            self._not_word(ole, streams)
        self.wd = self._stream(ole, "WordDocument")
        if len(self.wd) < 0x22:
            raise ReadError(f"corrupt or truncated .{fmt} file: the WordDocument stream is {len(self.wd)} bytes")
        ident, nfib = _u16(self.wd, 0), _u16(self.wd, 2)
        if ident not in (0xA5EC, *_OLD_IDENTS):
            raise ReadError(f"corrupt .{fmt} file: the WordDocument stream does not start with a Word FIB "
                            f"(wIdent=0x{ident:04X})")
        if ident in _OLD_IDENTS or nfib < _MIN_NFIB:
            raise ReadError(f"Word 6.0/95 or older .{fmt} file (nFib={nfib}) is not supported: open it in "
                            "Word/WPS/LibreOffice and save it as .docx")
        flags = _u16(self.wd, 0x0A)
        if flags & 0x0100:
            kind = "XOR-obfuscated" if flags & 0x8000 else "encrypted"
            raise ReadError(f"password-protected .{fmt} file ({kind}): its text cannot be read; open it with "
                            "the password in Word/WPS, remove the protection and save it again (or as .docx)")
        self.table_name = table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise ReadError(f"corrupt .{fmt} file: the FIB names a {table_name} stream that is missing "
                            f"(streams: {', '.join(streams)})")
        self.table = self._stream(ole, table_name)
        self.data = self._stream(ole, "Data") if ole.exists("Data") else b""
        ole.close()
        self._fib()

    def _not_word(self, ole, streams) -> None:
        fmt = self.fmt
        if "EncryptedPackage" in streams:
            raise ReadError(f"password-protected document (an encrypted DOCX in an OLE container) named .{fmt}: "
                            "open it with the password in Word/WPS, remove the protection and save it again")
        known = {"Workbook": "an Excel workbook", "Book": "an Excel 5/95 workbook",
                 "PowerPoint Document": "a PowerPoint presentation", "WksSSWorkBook": "a WPS spreadsheet",
                 "Contents": "an old Microsoft Works / Kingsoft document"}
        what = next((v for k, v in known.items() if k in streams), None)
        if fmt == "wps":
            raise ReadError("WPS file without a Word 97 'WordDocument' stream"
                            + (f" ({what})" if what else f" (OLE streams: {', '.join(streams[:8])})")
                            + ": open it in WPS Office or LibreOffice and save it as .docx")
        raise ReadError("not a Word document: an OLE file without a 'WordDocument' stream"
                        + (f" ({what})" if what else f" (streams: {', '.join(streams[:8])})")
                        + "; if it is a document, open it in Word/WPS/LibreOffice and save it as .docx")

    def _stream(self, ole, name: str) -> bytes:
        try:
            declared = ole.get_size(name)
            data = ole.openstream(name).read()
        except Exception as e:
            raise ReadError(f"corrupt or truncated .{self.fmt} file: cannot read its {name} stream "
                            f"({type(e).__name__}: {e}){self.cut}") from e
        if len(data) < declared:
            self.truncated = True
        return data

    def _fib(self) -> None:
        wd = self.wd
        try:
            csw = _u16(wd, 32)
            lw = 34 + 2 * csw
            cslw = _u16(wd, lw)
            self.ccp_text = struct.unpack_from("<i", wd, lw + 2 + 3 * 4)[0]
            blob = lw + 2 + 4 * cslw
            self.n_fclcb = _u16(wd, blob)
            self.fclcb_at = blob + 2
            if self.fclcb_at + 8 * self.n_fclcb > len(wd) or csw > 0x100 or cslw > 0x100:
                raise struct.error("FIB larger than the stream")
        except struct.error as e:
            raise ReadError(f"corrupt or truncated .{self.fmt} file: unreadable FIB ({e})") from e
        if self.ccp_text < 0:
            raise ReadError(f"corrupt .{self.fmt} file: negative text length in the FIB")

    def fclcb(self, index: int) -> tuple[int, int]:
        if index >= self.n_fclcb:
            return 0, 0
        return _u32(self.wd, self.fclcb_at + 8 * index), _u32(self.wd, self.fclcb_at + 8 * index + 4)

    # --- piece table -------------------------------------------------------------------
    def pieces(self) -> tuple[list, list[bytes]]:
        """[(cp_start, cp_end, fc, compressed, prm)] and the grpprls of the Clx Prcs."""
        fc, lcb = self.fclcb(33)  # fcClx
        if not lcb:
            raise ReadError(f"corrupt .{self.fmt} file: no piece table (Clx) in the FIB")
        clx = self.table[fc:fc + lcb]
        if len(clx) < lcb:
            raise ReadError(f"corrupt or truncated .{self.fmt} file: the piece table lies beyond the end of "
                            f"the {self.table_name} stream")
        prcs: list[bytes] = []
        i = 0
        while i < len(clx) and clx[i] == 0x01:  # Prc: clxt, cbGrpprl, grpprl
            if i + 3 > len(clx):
                break
            cb = struct.unpack_from("<h", clx, i + 1)[0]
            prcs.append(clx[i + 3:i + 3 + max(cb, 0)])
            i += 3 + max(cb, 0)
        if i + 5 > len(clx) or clx[i] != 0x02:
            raise ReadError(f"corrupt .{self.fmt} file: the Clx holds no piece table (Pcdt)")
        size = _u32(clx, i + 1)
        plc = clx[i + 5:i + 5 + size]
        n = (len(plc) - 4) // 12
        if n < 1:
            raise ReadError(f"corrupt .{self.fmt} file: empty piece table")
        cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
        out = []
        for k in range(n):
            at = 4 * (n + 1) + 8 * k
            fcc = _u32(plc, at + 2)
            prm = _u16(plc, at + 6)
            compressed = bool(fcc & 0x40000000)
            fc_ = fcc & 0x3FFFFFFF
            out.append((cps[k], cps[k + 1], fc_ // 2 if compressed else fc_, compressed, prm))
        return out, prcs

    def main_text(self, pieces, prcs: list[bytes]) -> tuple[str, list]:
        """Text of CPs 0..ccpText and the piece spans it used: (cp_start, cp_end, fc, compressed, grpprl).

        ``grpprl`` holds the sprms a piece's Prm applies to its text (a Prc of the Clx, written by
        fast saves); single-sprm Prm0 values are not read.
        """
        parts, spans, cp = [], [], 0
        limit = self.ccp_text
        for start, end, fc, compressed, prm in pieces:
            if start >= limit:
                break
            if end <= start:
                continue
            end = min(end, limit)
            count = end - start
            width = 1 if compressed else 2
            raw = self.wd[fc:fc + count * width]
            if len(raw) < count * width:
                if not parts:
                    raise ReadError(f"corrupt or truncated .{self.fmt} file: its text lies beyond the end of "
                                    "the WordDocument stream")
                self.truncated = True
                raw = raw[:len(raw) - len(raw) % width]
            text = raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace")
            if compressed and "\ufffd" in text:  # bytes cp1252 leaves undefined
                text = raw.decode("latin-1")
            parts.append(text)
            extra = prcs[prm >> 1] if prm & 1 and (prm >> 1) < len(prcs) else b""
            spans.append((cp, cp + len(text), fc, compressed, extra))
            cp += len(text)
            if len(raw) < count * width:
                break
        return "".join(parts), spans

    # --- formatted disk pages (FKPs) --------------------------------------------------
    def _bin_table(self, index: int) -> list[int]:
        fc, lcb = self.fclcb(index)
        plc = self.table[fc:fc + lcb]
        if lcb < 12 or len(plc) < lcb:
            return []
        n = (lcb - 4) // 8
        return [v & 0x3FFFFF for v in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1))]

    def _page(self, pn: int) -> bytes | None:
        page = self.wd[pn * 512:pn * 512 + 512]
        return page if len(page) == 512 else None

    def paragraph_runs(self) -> tuple[list[int], list[int], list[bytes]]:
        """PAPX runs as sorted (fc starts, fc ends, grpprls)."""
        runs = []
        for pn in self._bin_table(13):  # fcPlcfBtePapx
            page = self._page(pn)
            if page is None:
                continue
            crun = page[511]
            if 4 * (crun + 1) + 13 * crun > 511:
                continue
            rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for k in range(crun):
                boff = page[4 * (crun + 1) + 13 * k] * 2
                grpprl = b""
                if boff:
                    cb = page[boff]
                    if cb:
                        body = page[boff + 1:boff + 2 * cb]
                    else:
                        body = page[boff + 2:boff + 2 + 2 * page[boff + 1]]
                    grpprl = self._huge(body[2:])  # skip istd
                runs.append((rgfc[k], rgfc[k + 1], grpprl))
        runs.sort(key=lambda r: r[0])
        return [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]

    def _huge(self, grpprl: bytes) -> bytes:
        """A grpprl whose sprmPHugePapx points into the Data stream (wide table rows)."""
        if len(grpprl) >= 6 and _u16(grpprl, 0) == _P_HUGE_PAPX:
            at = _u32(grpprl, 2)
            if at + 2 <= len(self.data):
                cb = _u16(self.data, at)
                return self.data[at + 2:at + 2 + cb]
        return grpprl

    def deleted_fc_ranges(self) -> list[tuple[int, int]]:
        """FC ranges of text deleted with tracked changes (CHPX runs with sprmCFRMarkDel)."""
        out = []
        for pn in self._bin_table(12):  # fcPlcfBteChpx
            page = self._page(pn)
            if page is None:
                continue
            crun = page[511]
            if 4 * (crun + 1) + crun > 511:
                continue
            rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for k in range(crun):
                boff = page[4 * (crun + 1) + k] * 2
                if not boff:
                    continue
                grpprl = page[boff + 1:boff + 1 + page[boff]]
                if any(s == _C_RMARK_DEL and op and op[0] for s, op in _sprms(grpprl)):
                    out.append((rgfc[k], rgfc[k + 1]))
        return sorted(out)


def _drop_deleted(text: str, spans, deleted) -> str:
    """Blank out (as NUL) the characters whose FC lies in a deleted range; paragraph marks stay."""
    if not deleted:
        return text
    keep = bytearray(b"\x01") * len(text)
    for cp0, cp1, fc, compressed, _ in spans:
        width = 1 if compressed else 2
        fc_end = fc + (cp1 - cp0) * width
        for d0, d1 in deleted:
            lo, hi = max(d0, fc), min(d1, fc_end)
            if lo < hi:
                a = cp0 + (lo - fc) // width
                b = cp0 + (hi - fc + width - 1) // width
                keep[a:b] = b"\x00" * (b - a)
    if all(keep):
        return text
    # deleted characters become NULs, dropped by _walk: CPs stay where the properties say
    return "".join(ch if k or ch in "\r\x07" else "\x00" for ch, k in zip(text, keep))


class _Props:
    """Paragraph properties of a paragraph mark at a CP (through its FC)."""

    def __init__(self, doc: _Doc, spans):
        self.spans = spans
        self.cp_starts = [s[0] for s in spans]
        try:
            self.starts, self.ends, self.grpprls = doc.paragraph_runs()
        except (struct.error, IndexError):
            self.starts, self.ends, self.grpprls = [], [], []
        self.cache: dict[int, _Para] = {}

    @property
    def available(self) -> bool:
        return bool(self.starts)

    def at(self, cp: int) -> _Para | None:
        k = bisect.bisect_right(self.cp_starts, cp) - 1
        if k < 0:
            return None
        cp0, cp1, fc, compressed, extra = self.spans[k]
        fc += (cp - cp0) * (1 if compressed else 2)
        r = bisect.bisect_right(self.starts, fc) - 1
        if r < 0 or fc >= self.ends[r]:
            return _Para(extra) if extra else None
        key = (r, k) if extra else r
        para = self.cache.get(key)
        if para is None:
            para = self.cache[key] = _Para(self.grpprls[r] + extra)
        return para


# --- text and tables ---------------------------------------------------------------------
def _walk(text: str, props: _Props) -> Builder:
    """Fields, special characters, paragraphs, cells and rows of the main text."""
    out = Builder()
    buf: list[str] = []
    fields: list[bool] = []  # one entry per open field: True while in its code part
    hidden = False           # inside a field code: text dropped
    use_props = props.available
    last_mark = ""
    pos = 0
    for m in _SPECIAL.finditer(text):
        i = m.start()
        if i > pos and not hidden:
            buf.append(text[pos:i])
        pos = i + 1
        ch = text[i]
        if ch == "\x13":
            fields.append(True)
            hidden = True
        elif ch == "\x14":
            if fields:
                fields[-1] = False
            hidden = any(fields)
        elif ch == "\x15":
            if fields:
                fields.pop()
            hidden = any(fields)
        elif hidden:
            if ch not in "\r\x07":  # a paragraph inside a field code: drop its text, keep the break
                continue
            fields.clear()  # a field code never spans a paragraph mark in practice: recover
            hidden = False
        if ch in "\x13\x14\x15":
            continue
        if ch == "\t":
            buf.append(" ")
        elif ch in "\x0b\x0c":
            buf.append("\n")
        elif ch == "\x1e":
            buf.append("-")
        elif ch == "\r" or ch == "\x07":
            para_text = "".join(buf)
            buf = []
            para = props.at(i) if use_props else None
            if ch == "\r":
                if para is not None and para.depth >= 1:
                    out.in_cell(para_text)
                elif para is None and out.in_row and not use_props:
                    out.in_cell(para_text)
                else:
                    out.paragraph(para_text)
            elif para is not None and (para.in_table or para.depth >= 1 or para.ttp):
                if para.ttp:
                    out.end_row(_row_layout(para.grpprl))
                else:
                    out.end_cell(para_text)
            elif last_mark == "\x07" and not para_text:  # no properties: "\x07\x07" ends a row
                out.end_row(None)
            else:
                out.end_cell(para_text)
            last_mark = ch
        # other control characters (object anchors \x01 \x08, footnote \x02 and comment \x05
        # references, optional hyphen \x1f, ...) are dropped
    if pos < len(text) and not hidden:
        buf.append(text[pos:])
    rest = "".join(buf)
    if rest.strip():
        out.paragraph(rest)
    out.close_table()
    return out


def read_word(data: bytes, fmt: str, *, ocr: bool = False) -> RawDocument:
    """Read a ``.doc``, ``.wps``, ``.rtf`` or ``.mht`` file (``fmt`` from its extension) by what it really is.

    An OLE ``.docx`` (a renamed Word 97 file, or an encrypted DOCX) comes here too.
    ``hints["actual_format"]`` is set when the content is not what the extension says. ``ocr`` is passed
    to the PDF reader when the file is really a PDF.
    """
    kind = sniff(data)
    if kind == "rtf" and fmt == "rtf":
        from .rtf import read_rtf

        return read_rtf(data)
    if fmt == "mht":  # a "single file web page" (.mht/.mhtml): its HTML part; an .mht that is plain HTML is read as such
        if kind == "mht":
            return _read_mht(data, fmt)
        if kind in ("html", "unknown"):
            from .html import read_html

            return read_html(data)
    if kind == "ole":
        raw = _read_ole(data, fmt)
        if fmt not in ("doc", "wps"):
            raw.hints["actual_format"] = "doc"
        return raw
    if kind == "unknown":
        head = data[:16]
        if fmt == "rtf":
            from .rtf import read_rtf

            return read_rtf(data)  # its error says what an RTF file starts with
        if fmt == "wps":
            raise ReadError("not a WPS file in the Word 97 format (an old Kingsoft WPS binary file, or not "
                            f"a document: first bytes {head!r}): open it in WPS Office and save it as .docx")
        raise ReadError(f"not a Word 97-2003 .{fmt} file (no OLE signature; first bytes {head!r}): "
                        "open it in Word/WPS/LibreOffice and save it as .docx")
    return _read_other(data, kind, fmt, ocr)


def read_doc(data: bytes, fmt: str = "doc") -> RawDocument:
    """Read a Word 97-2003 ``.doc`` file (or a file named .doc that is a DOCX, RTF, web page or PDF)."""
    return read_word(data, fmt)


def read_wps(data: bytes) -> RawDocument:
    """Read a WPS Office ``.wps`` file; WPS Office usually writes them in the Word 97 OLE format."""
    return read_word(data, "wps")


def _read_ole(data: bytes, fmt: str) -> RawDocument:
    doc = _Doc(data, fmt)
    pieces, prcs = doc.pieces()
    text, spans = doc.main_text(pieces, prcs)
    try:
        text = _drop_deleted(text, spans, doc.deleted_fc_ranges())
    except (struct.error, IndexError):
        pass  # tracked deletions stay in the text; the rest is readable
    built = _walk(text, _Props(doc, spans))
    body = "\n".join(line.rstrip() for line in built.lines).strip()
    if not body:
        raise ReadError(f"no text in the .{fmt} document body")
    warning = None
    if doc.truncated:
        warning = (f"truncated .{fmt} file: its streams are shorter than declared, so the end of the text "
                   "may be missing")
    enc = "utf-16-le" if any(not p[3] for p in spans) else "cp1252"
    return RawDocument(format=fmt, text=body, encoding=enc, tables=built.tables or None, warning=warning)
