"""Plain text reader and the byte -> str decoding shared with the HTML reader.

Decoding order: a byte-order mark (UTF-8, UTF-16) wins; then strict UTF-8 (text in another
encoding is practically never valid UTF-8, and pages declaring the wrong charset are
common); then the declared charset (HTML ``<meta charset>``); then strict GBK / GB18030 (GB2312 is a subset),
with Big5 weighed against them when both decode (the reading made of more frequent
characters wins, see :func:`_arbitrate`); then
``charset-normalizer``'s best guess. Text with NUL bytes or many control characters is
refused as binary.
"""
from __future__ import annotations

import codecs
import functools
import re

from . import RawDocument, ReadError

_ALIASES = {"gb2312": "gbk", "gb_2312-80": "gbk", "x-gbk": "gbk", "cp936": "gbk", "euc-cn": "gbk",
            "utf8": "utf-8", "unicode": "utf-8", "big5-hkscs": "big5hkscs", "x-big5": "big5"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _canonical(enc: str | None) -> str | None:
    if not enc:
        return None
    enc = enc.strip().lower().replace("_", "-")
    enc = _ALIASES.get(enc, enc)
    try:
        return codecs.lookup(enc).name
    except LookupError:
        return None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`ReadError` for binary content.

    >>> decode_bytes("报告".encode("gbk"))
    ('报告', 'gbk')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:65536]
    if b"\x00" in head:
        raise ReadError("binary content, not text (NUL bytes): is the extension right?")
    # valid UTF-8 first: Chinese text in another encoding is practically never valid UTF-8,
    # while pages that declare gb2312 but are saved as UTF-8 (or the reverse) are common
    text, enc = _strict(data, "utf-8"), "utf-8"
    declared = _canonical(declared)
    if text is None and declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        text, enc = _strict(data, declared), declared
        if declared == "gbk" and text is None:
            text, enc = _strict(data, "gb18030"), "gb18030"
        if declared == "big5" and text is None:
            text, enc = _strict(data, "cp950"), "cp950"
    if text is None:
        gb = _strict(data, "gbk")
        enc = "gbk"
        if gb is None:
            gb, enc = _strict(data, "gb18030"), "gb18030"
        big5 = _strict(data, "big5")
        if gb is not None and big5 is not None:
            text, enc = _arbitrate(data, [(gb, enc), (big5, "big5")])
        elif gb is not None or big5 is not None:
            text, enc = (gb, enc) if gb is not None else (big5, "big5")
    if text is None:
        text, enc = _charset_normalizer(data)
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise ReadError(f"binary content, not text (control characters after decoding as {enc})")
    return text, enc


@functools.lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The 3,755 level-1 characters of GB2312 (the most frequent simplified characters)."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _commonness(text: str) -> float:
    from toolkit.normalize import to_simplified

    chars = [c for c in to_simplified(text[:20000]) if ord(c) > 0x2000]
    return sum(c in _common_chars() for c in chars) / len(chars) if chars else 0.0


def _arbitrate(data: bytes, options):
    """GBK vs Big5 when both decode strictly. The right reading is made of frequent characters
    (level 1 of GB2312, after conversion to simplified); a wrong one of rare characters and
    symbols. Ties go to GBK, the common case on mainland portals."""
    (gb, gb_enc), (big5, big5_enc) = options
    return (big5, big5_enc) if _commonness(big5) > _commonness(gb) else (gb, gb_enc)


def _charset_normalizer(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("undecodable text: no character encoding fits (binary file?)")
    return str(best), best.encoding


def read_txt(data: bytes) -> RawDocument:
    text, enc = decode_bytes(data)
    if not text.strip():
        raise ReadError("no text: the file holds only whitespace")
    return RawDocument(format="txt", text=text, encoding=enc)
