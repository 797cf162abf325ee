"""RTF reader: our own small RTF parser (groups, control words, destinations, tables).

* Text: ``\\uN`` Unicode characters (negative N and surrogate pairs included) whose
  ``\\ucN`` fallback characters are skipped; ``\\'hh`` bytes and 8-bit literal bytes decoded
  with the code page of the current font (``\\fcharset``/``\\cpg`` in the font table: 134 is
  GBK, 136 Big5, 128 Shift-JIS, ...) or else of the document (``\\ansicpg936`` -> GBK
  (read as GB18030, its superset), ``\\ansicpg950`` -> Big5 (cp950), default cp1252).
* Skipped destinations: every ``{\\* ...}`` group and the font, colour, style, list and
  revision tables, ``\\info``, pictures, objects, shapes, field instructions (field results
  are kept), headers, footers, footnotes and comments (the DOCX reader skips them too).
* Text deleted with tracked changes (``\\deleted``) is dropped, as the DOCX reader drops it.
* ``\\par`` and ``\\sect`` end a paragraph (one line); ``\\line``, ``\\page`` are line breaks
  inside it; ``\\tab`` is a space; ``\\~`` a no-break space, ``\\_`` a hyphen, ``\\-`` dropped.
* Tables: ``\\trowd`` starts a row definition (``\\trleft``, ``\\cellx`` edges, ``\\clvmgf``/
  ``\\clvmrg`` vertical and ``\\clmgf``/``\\clmrg`` horizontal merges), ``\\cell`` ends a cell,
  ``\\row`` a row; each row is one line ``cell | cell | cell |`` and ``tables`` holds rows of
  ``{"text", "rowspan", "colspan"}`` cells as in the DOCX reader. Nested tables
  (``\\nestcell``/``\\nestrow``, RTF 1.6+) are read as text of the outer cell.
"""
from __future__ import annotations

import codecs
import re

from . import RawDocument, ReadError
from ._wordtables import VM_MERGE, VM_RESTART, Builder

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)",
                    re.S)
_SKIP_SCAN = re.compile(rb"\\bin(-?\d{1,10}) ?|\\.|[{}]", re.S)

# destinations whose text is not body text
_SKIP = frozenset("""fonttbl colortbl stylesheet info pict object objdata objclass objname result shp shpinst
shprslt nonshppict do header headerl headerr headerf footer footerl footerr footerf footnote annotation
atnid atnauthor atrfstart atrfend fldinst themedata colorschememapping datastore latentstyles listtable
listoverridetable revtbl rsidtbl generator xmlnstbl filetbl pgdsctbl mmathPr pn xe tc txe private
userprops docvar template ftnsep ftnsepc ftncn aftnsep aftnsepc aftncn macpict pngblip jpegblip
wmetafile emfblip blipuid listpicture fchars lchars protusertbl bkmkstart bkmkend
title subject author operator keywords comment doccomm hlinkbase""".split())
_SYMBOLS = {"emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
            "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": "\u2003",
            "enspace": "\u2002", "qmspace": "\u2005", "zwj": "\u200d", "zwnj": "\u200c",
            "ltrmark": "", "rtlmark": "", "tab": " ", "line": "\n", "page": "\n", "column": "\n"}
_CONTROL_SYMBOLS = {"~": "\xa0", "_": "-", "-": "", ":": "", "|": ""}
# \fcharset -> code page (0 ANSI and 1 DEFAULT use the document's \ansicpg)
_CHARSETS = {2: 1252, 77: 10000, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254,
             163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 255: 437}


def codec_of(codepage: int | None) -> str | None:
    """Python codec for a Windows code page number (None when unknown)."""
    if codepage is None:
        return None
    name = {936: "gb18030", 950: "cp950", 10000: "mac_roman", 65001: "utf-8"}.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class _State:
    """Group state (saved at "{", restored at "}"); skipped destinations are jumped over."""

    __slots__ = ("uc", "font", "intbl", "itap", "dest", "deleted")

    def __init__(self):
        self.deleted = False  # text deleted with tracked changes (\deleted): dropped
        self.uc = 1         # fallback characters after \uN
        self.font = None    # current \f number (None: \deff)
        self.intbl = False  # paragraph in a table
        self.itap = 0       # table depth (\itap)
        self.dest = ""      # "fonttbl" while reading the font table

    def copy(self) -> "_State":
        s = _State.__new__(_State)
        s.uc, s.font, s.intbl, s.itap, s.dest, s.deleted = (self.uc, self.font, self.intbl, self.itap, self.dest,
                                                             self.deleted)
        return s


class _Parser:
    def __init__(self, data: bytes):
        self.data = data
        self.ansi = "cp1252"
        self.deff = None
        self.fonts: dict[int, str] = {}
        self.font_no: int | None = None  # font being defined in the font table
        self.out = Builder()
        self.para: list[str] = []        # decoded text of the open paragraph
        self.pending = bytearray()       # undecoded code-page bytes
        self.pending_codec: str | None = None
        self.decoded: dict[str, int] = {}  # codec -> non-ASCII bytes it decoded
        self.skip_fallback = 0
        # row definition: left edge, [(right edge, [horizontal, vertical])], merge flags of the next \cellx
        self.row_left = 0
        self.row_cells: list = []
        self.next_flags = [0, 0]

    # --- text ---------------------------------------------------------------------------
    def _codec(self, st: _State) -> str:
        font = st.font if st.font is not None else self.deff
        return self.fonts.get(font) or self.ansi

    def _flush(self) -> None:
        if self.pending:
            codec = self.pending_codec or self.ansi
            raw = bytes(self.pending)
            self.para.append(raw.decode(codec, "replace"))
            high = sum(b >= 0x80 for b in raw)
            if high:
                self.decoded[codec] = self.decoded.get(codec, 0) + high
            self.pending.clear()

    def _bytes(self, b: bytes, st: _State) -> None:
        if st.deleted:
            return
        codec = self._codec(st)
        if codec != self.pending_codec:
            self._flush()
            self.pending_codec = codec
        self.pending += b

    def _text(self, s: str) -> None:
        self._flush()
        self.para.append(s)

    def _take_para(self) -> str:
        self._flush()
        text = "".join(self.para)
        self.para = []
        if any("\ud800" <= c <= "\udfff" for c in text):  # pair \uN surrogates, drop lone ones
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return text

    # --- structure ----------------------------------------------------------------------
    def _par(self, st: _State) -> None:
        text = self._take_para()
        if st.intbl or st.itap >= 1:
            self.out.in_cell(text)
        else:
            self.out.paragraph(text)

    def _cell(self) -> None:
        self.out.end_cell(self._take_para())

    def _row(self) -> None:
        text = self._take_para()
        if text.strip():
            self.out.in_cell(text)
        if self.row_cells:
            edges = [self.row_left] + [right for right, _ in self.row_cells]
            flags = [list(f) for _, f in self.row_cells]
            self.out.end_row((edges, flags))
        else:
            self.out.end_row(None)

    # --- the token loop ------------------------------------------------------------------
    def _skip_group(self, pos: int) -> int:
        """Position after the end of the group that is open at ``pos`` (binary data and escapes skipped)."""
        data, depth = self.data, 1
        while True:
            m = _SKIP_SCAN.search(data, pos)
            if m is None:
                return len(data)
            pos = m.end()
            tok = m.group(0)
            if m.group(1) is not None:
                pos += max(int(m.group(1)), 0)
            elif tok == b"{":
                depth += 1
            elif tok == b"}":
                depth -= 1
                if depth == 0:
                    return pos

    def run(self) -> Builder:
        data = self.data
        st = _State()
        stack: list[_State] = []
        pos, n = 0, len(data)
        match = _TOKEN.match
        while pos < n:
            m = match(data, pos)
            if m is None:  # a lone backslash at the end
                break
            pos = m.end()
            word, arg, hexbyte, symbol, brace, text = m.groups()
            if text is not None:
                if st.dest == "fonttbl":
                    continue
                if self.skip_fallback:
                    k = min(self.skip_fallback, len(text))
                    self.skip_fallback -= k
                    text = text[k:]
                    if not text:
                        continue
                self._bytes(text, st)
            elif hexbyte is not None:
                if st.dest == "fonttbl":
                    continue
                if self.skip_fallback:
                    self.skip_fallback -= 1
                    continue
                self._bytes(bytes([int(hexbyte, 16)]), st)
            elif brace is not None:
                self.skip_fallback = 0
                if brace == b"{":
                    stack.append(st)
                    st = st.copy()
                else:
                    if not stack:  # an unbalanced "}"
                        break
                    if st.dest == "fonttbl" and stack[-1].dest != "fonttbl":
                        self.font_no = None
                    st = stack.pop()
                    if not stack:  # end of the document group: anything after it is not RTF
                        break
            elif symbol is not None:
                self.skip_fallback = 0
                if symbol == b"*":  # {\* ...}: a destination we need not understand
                    if len(stack) >= 2:  # never the document group itself
                        pos = self._skip_group(pos)
                        st = stack.pop()
                    continue
                if symbol in (b"\n", b"\r"):
                    if st.dest != "fonttbl":
                        self._par(st)
                    continue
                if st.dest == "fonttbl":
                    continue
                if symbol in b"\\{}":  # escaped bytes: may be the trail byte of a GBK/Big5 character
                    self._bytes(symbol, st)
                    continue
                s = _CONTROL_SYMBOLS.get(symbol.decode("latin-1"))
                if s and not st.deleted:
                    self._text(s)
            elif word is not None:
                pos, st = self._word(word.decode("ascii"), arg, st, stack, pos)
            # else: a line break of the RTF source, not text
        self._flush()
        rest = self._take_para()
        if rest.strip():
            if self.out.in_row:
                self.out.end_cell(rest)
            else:
                self.out.paragraph(rest)
        self.out.close_table()
        return self.out

    def _word(self, w: str, arg: bytes | None, st: _State, stack: list, pos: int):
        num = int(arg) if arg is not None else None
        if w == "bin":  # binary data: skip its bytes
            return pos + max(num or 0, 0), st
        if w == "u":
            if st.dest == "fonttbl" or num is None:
                return pos, st
            if not st.deleted:
                self._text(chr(num & 0xFFFF))
            self.skip_fallback = st.uc
            return pos, st
        self.skip_fallback = 0
        if w == "fonttbl":
            st.dest = "fonttbl"
            return pos, st
        if w in _SKIP:
            if len(stack) >= 2:  # drop the rest of this group (never the document group itself)
                pos = self._skip_group(pos)
                st = stack.pop()
            return pos, st
        if st.dest == "fonttbl":
            if w == "f" and num is not None:
                self.font_no = num
            elif w == "fcharset" and self.font_no is not None:
                cs = _CHARSETS.get(num)
                codec = codec_of(cs) if cs else None
                if codec:
                    self.fonts[self.font_no] = codec
            elif w == "cpg" and self.font_no is not None:
                codec = codec_of(num)
                if codec:
                    self.fonts[self.font_no] = codec
            return pos, st
        if w == "par" or w == "sect":
            self._par(st)
        elif w == "cell":
            self._cell()
        elif w == "row":
            self._row()
        elif w in ("nestcell", "nestrow"):
            self._text(" ")
        elif w in _SYMBOLS:
            if not st.deleted:
                self._text(_SYMBOLS[w])
        elif w == "f":
            st.font = num
        elif w == "plain":
            st.font = None
            st.deleted = False
        elif w == "deleted":
            st.deleted = num != 0
        elif w == "uc":
            st.uc = max(num or 0, 0)
        elif w == "intbl":
            st.intbl = True
        elif w == "itap":
            st.itap = num or 0
        elif w == "pard":
            st.intbl = False
            st.itap = 0
        elif w == "trowd":
            self.row_left, self.row_cells, self.next_flags = 0, [], [0, 0]
        elif w == "trleft":
            self.row_left = num or 0
        elif w == "cellx":
            self.row_cells.append((num or 0, self.next_flags))
            self.next_flags = [0, 0]
        elif w == "clvmgf":
            self.next_flags[1] = VM_RESTART
        elif w == "clvmrg":
            self.next_flags[1] = VM_MERGE
        elif w == "clmgf":
            self.next_flags[0] = 1
        elif w == "clmrg":
            self.next_flags[0] = 2
        elif w == "ansicpg":
            self.ansi = codec_of(num) or self.ansi
        elif w == "mac":
            self.ansi = "mac_roman"
        elif w == "pc":
            self.ansi = "cp437"
        elif w == "pca":
            self.ansi = "cp850"
        elif w == "deff":
            self.deff = num
        return pos, st


def read_rtf(data: bytes) -> RawDocument:
    """Read an RTF file (see the module docstring)."""
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if not start.startswith(b"{\\rtf"):
        raise ReadError(f"not an RTF file: it does not start with '{{\\rtf' (first bytes {data[:16]!r}); "
                        "if it is a Word file named .rtf, rename it to .doc or .docx")
    parser = _Parser(data[data.index(b"{\\rtf"):])
    built = parser.run()
    text = "\n".join(line.rstrip() for line in built.lines).strip()
    if not text:
        raise ReadError("no text in the RTF body")
    # the code page that decoded most 8-bit text, else the declared one (the text was all \uN)
    enc = max(parser.decoded, key=parser.decoded.get) if parser.decoded else parser.ansi
    return RawDocument(format="rtf", text=text, encoding=enc, tables=built.tables or None)
