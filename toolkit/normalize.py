"""Text normalization: pure ``str -> str`` functions composed into :func:`normalize`.

Every report text goes through :func:`normalize` before anything else looks at it, and
template labels should go through it too before they are matched against a text
(``normalize("本年收费金额（单位：万元）")``). The steps, in order:

1. :func:`normalize_unicode` - NFKC, plus the *CJK Radicals Supplement* block
   (U+2E80..U+2EF3, which NFKC leaves alone) mapped to unified ideographs
   (``⺠ -> 民``, ``⻅ -> 见``); Kangxi radicals (U+2F00.., ``⼀ -> 一``) are handled by
   NFKC itself. Circled numbers (``①``) and ``…`` are kept as they are. Zero-width
   characters and soft hyphens are removed; line endings become ``\\n``.
2. :func:`strip_pinyin` - pinyin that mirror sites inject after a character,
   ``報(bào)告 -> 報告``; parentheses holding anything that is not a pinyin syllable
   (``(www.pingtan.gov.cn)``, ``(2021)``, ``(a)``) are kept.
3. :func:`to_simplified` - traditional -> simplified at CHARACTER level with OpenCC's
   ``TSCharacters`` dictionary only (no phrase dictionary, no regional vocabulary), so
   ``規範性文件 -> 规范性文件`` and never ``档案``; the vocabulary that Taiwan-style
   mirrors already swapped in label context (``规范性档案``) is mapped back to ``文件``.
   Characters that are also standard simplified characters keep their form (``著``,
   ``覆``, ``乾``, ``瞭``, ``藉``); the phrases where that is wrong in traditional text
   (``瞭解``, ``憑藉``) are fixed; other such phrases remain a known limit of a
   character-level conversion.
4. :func:`unify_punctuation` - the canonical forms:

   * parentheses are always FULL-WIDTH ``（ ）`` (the template form): ``(一) -> （一）``;
   * double quotes are Chinese curly quotes ``“ ”`` (straight ``"`` alternate open/close
     within a line; ``「」`` -> ``“”``, ``『』`` -> ``‘’``);
   * every other full-width ASCII form is HALF-width, as NFKC makes it: digits and
     letters, and ``，：；！？`` become ``, : ; ! ?``;
   * Chinese-only punctuation stays: ``、 。 《》 〔〕 【】 —— …``.
5. :func:`strip_page_furniture` - lines that are only a page number: ``- 4 -``,
   ``—4—``, ``第 4 页 共 9 页``, ``第4页``, ``共9页 第4页``.
6. :func:`normalize_whitespace` - runs of spaces/tabs become one space, lines are
   stripped, at most one blank line in a row; line structure is otherwise kept (table
   rows stay one per line).

:func:`detect_script` tells ``"simplified"`` from ``"traditional"`` text.

Examples
--------
>>> normalize("（一）規範性文件  報(bào)告\\r\\n- 4 -\\r\\n⼀、總體情況")
'（一）规范性文件 报告\\n一、总体情况'
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import sys
import tempfile
import unicodedata

__all__ = [
    "normalize",
    "normalize_unicode",
    "strip_pinyin",
    "to_simplified",
    "unify_punctuation",
    "strip_page_furniture",
    "normalize_whitespace",
    "detect_script",
]

log = logging.getLogger(__name__)

# --- 1. unicode ---------------------------------------------------------------------
# CJK Radicals Supplement -> unified ideographs (NFKC maps only U+2E9F and U+2EF3).
_RADICALS_SUPPLEMENT = dict(zip(
    "⺅⺆⺌⺍⺎⺏⺐⺑⺒⺓⺔⺕⺖⺗⺘⺙⺛⺜⺝⺞⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺶⺷⺸⺹⺺⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲",
    "亻冂小小尢尢尢尢巳幺彐彐忄心扌攵旡日月歹民氵氺灬爫爫丬牛犭王疋目示礻竹糸纟网罒羊羊羊耂肀月臼艹艹艹虎衤襾西见角角讠贝足车辶辶辶阝钅长镸长门阝雨青韦页风飞食飠饣首马骨鬼鱼鸟卤麦黄黾齐齐齿齿龙龙龟龟",
))
assert len(_RADICALS_SUPPLEMENT) == 97
_RADICALS_TABLE = str.maketrans(_RADICALS_SUPPLEMENT)
# kept through NFKC: circled numbers (NFKC would turn ① into a bare digit) and the ellipsis
_PROTECT = [chr(c) for c in [*range(0x2460, 0x2474), *range(0x24EA, 0x2500),
                             *range(0x3251, 0x3260), *range(0x32B1, 0x32C0), 0x2026]]
_PROTECT_IN = str.maketrans({c: chr(0xF0000 + i) for i, c in enumerate(_PROTECT)})
_PROTECT_OUT = str.maketrans({chr(0xF0000 + i): c for i, c in enumerate(_PROTECT)})
_INVISIBLE = str.maketrans({c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
_INVISIBLE_RX = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PROTECT_RX = re.compile("[\u2460-\u2473\u24ea-\u24ff\u3251-\u325f\u32b1-\u32bf\u2026]")
_RADICALS_RX = re.compile("[\u2e80-\u2eff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalize_unicode(text: str) -> str:
    """NFKC plus CJK radicals, invisible characters removed, ``\\n`` line endings.

    >>> normalize_unicode("⼀⺠１２Ａ\\r\\n")
    '一民12A\\n'
    """
    # str.translate is slow on long non-ASCII text: each step runs only when needed
    if _INVISIBLE_RX.search(text):
        text = text.translate(_INVISIBLE)
    text = _NEWLINES.sub("\n", text)
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        pass
    elif _PROTECT_RX.search(text):
        text = unicodedata.normalize("NFKC", text.translate(_PROTECT_IN)).translate(_PROTECT_OUT)
    else:
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_RADICALS_TABLE) if _RADICALS_RX.search(text) else text


# --- 2. pinyin ----------------------------------------------------------------------
_FINALS = ("a o e ai ei ao ou an en ang eng ong er i ia ie iao iu ian in iang ing iong "
           "u ua uo uai ui uan un uang ueng v ve van vn ue").split()
_INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split()
_SYLLABLES = frozenset(i + f for i in ["", *_INITIALS] for f in _FINALS)
_TONE_FREE = str.maketrans({"ü": "v", "ǖ": "v", "ǘ": "v", "ǚ": "v", "ǜ": "v"})
_PINYIN_RUN = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]\s*([a-zA-Zà-ɏǎǐǒǔǖǘǚǜ]{1,7})\s*[)）]")


def _is_pinyin(word: str) -> bool:
    if not word.islower() or (len(word) < 2 and word.isascii()):
        return False  # "(A)", "(a)": enumerations, not pinyin
    plain = unicodedata.normalize("NFD", word.translate(_TONE_FREE))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain in _SYLLABLES


def strip_pinyin(text: str) -> str:
    """Remove a pinyin syllable in parentheses that follows a Chinese character.

    >>> strip_pinyin("報(bào)告 文(wen)章 网站(www.pingtan.gov.cn) 附件(a)")
    '報告 文章 网站(www.pingtan.gov.cn) 附件(a)'
    """
    if "(" not in text and "（" not in text:
        return text
    return _PINYIN_RUN.sub(lambda m: "" if _is_pinyin(m.group(1)) else m.group(0), text)


# --- 3. traditional -> simplified ---------------------------------------------------
def _opencc_char_table(dictionary: str) -> dict[int, str]:
    """{code point: replacement} of one OpenCC character dictionary (one char -> one char)."""
    import opencc

    share = os.path.join(os.path.dirname(opencc.__file__), "clib", "share", "opencc")
    path = os.path.join(share, dictionary)
    cfg = {"name": dictionary, "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": path}},
           "conversion_chain": [{"dict": {"type": "ocd2", "file": path}}]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(cfg, fh)
    try:
        converter = opencc.OpenCC(fh.name)
        chars = [chr(i) for i in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00)]]
        out = converter.convert("\n".join(chars)).split("\n")
    finally:
        os.unlink(fh.name)
    if len(out) != len(chars):  # pragma: no cover - would mean a multi-char entry ate a separator
        raise RuntimeError(f"unexpected OpenCC output for {dictionary}")
    return {ord(a): b for a, b in zip(chars, out) if a != b and len(b) == 1}


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    table = _opencc_char_table("TSCharacters.ocd2")
    # characters that are standard in simplified text too, with their own meaning
    for keep in "乾":
        table.pop(ord(keep), None)
    return table


@functools.lru_cache(maxsize=1)
def _trad_rx() -> re.Pattern:
    return re.compile("[" + "".join(sorted(chr(c) for c in _t2s_table())) + "]")


@functools.lru_cache(maxsize=1)
def _simplified_only() -> frozenset[str]:
    return frozenset(chr(c) for c in _opencc_char_table("STCharacters.ocd2"))


@functools.lru_cache(maxsize=2)
def _delete_table(kind: str) -> dict[int, None]:
    chars = _t2s_table() if kind == "trad" else map(ord, _simplified_only())
    return dict.fromkeys(chars)


# Taiwan-style vocabulary that some mirrors swap in (文件 -> 檔案) before we see the text
_TW_VOCABULARY = re.compile(r"(规范性|公开|政策性|红头|其他)档案")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, one character at a time (OpenCC ``TSCharacters``).

    >>> to_simplified("規範性文件 總體情況 覆蓋 著力")
    '规范性文件 总体情况 覆盖 著力'
    >>> to_simplified("規範性檔案")
    '规范性文件'
    """
    if text.isascii() or not _trad_rx().search(text):
        return text
    out = text.translate(_t2s_table())
    if "档案" in out:
        out = _TW_VOCABULARY.sub(r"\1文件", out)
    if "瞭解" in out or "凭藉" in out:  # the character table keeps 瞭/藉, right in 瞭望/慰藉
        out = out.replace("瞭解", "了解").replace("凭藉", "凭借")
    return out


def detect_script(text: str) -> str:
    """``"traditional"`` when traditional-only characters outnumber simplified-only ones.

    >>> detect_script("政府信息公開工作年度報告"), detect_script("政府信息公开工作年度报告")
    ('traditional', 'simplified')
    """
    n_trad = len(text) - len(text.translate(_delete_table("trad")))
    n_simp = len(text) - len(text.translate(_delete_table("simp")))
    return "traditional" if n_trad > n_simp else "simplified"


# --- 4. punctuation -----------------------------------------------------------------
_PUNCT_TABLE = str.maketrans({"(": "（", ")": "）", "「": "“", "」": "”", "『": "‘", "』": "’",
                              "〝": "“", "〞": "”", "＂": '"'})
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')
_PUNCT_RX = re.compile('[()「」『』〝〞＂]')


def unify_punctuation(text: str) -> str:
    """Full-width parentheses, Chinese double quotes (see the module docstring).

    >>> unify_punctuation('(一)危及"三安全一稳定"「公开」')
    '（一）危及“三安全一稳定”“公开”'
    """
    if _PUNCT_RX.search(text):
        text = text.translate(_PUNCT_TABLE)
    if '"' in text:
        text = _STRAIGHT_QUOTES.sub(r"“\1”", text)
    return text


# --- 5. page furniture --------------------------------------------------------------
_FURNITURE = re.compile(
    r"^[ \t]*(?:"
    r"[-—–－~]{1,2}[ \t]*\d{1,4}[ \t]*[-—–－~]{1,2}"                 # - 4 -, —4—
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,，/、]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"  # 第 4 页 共 9 页
    r"|共[ \t]*\d{1,4}[ \t]*页[ \t]*[,，/、]?[ \t]*第[ \t]*\d{1,4}[ \t]*页"
    r"|[Pp]age[ \t]*\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?"
    r")[ \t]*(?:\n|\Z)", re.M)


def strip_page_furniture(text: str) -> str:
    """Drop lines that hold nothing but a page number.

    >>> strip_page_furniture("上文\\n- 4 -\\n第 4 页 共 9 页\\n下文 - 4 -")
    '上文\\n下文 - 4 -'
    """
    return _FURNITURE.sub("", text)


# --- 6. whitespace ------------------------------------------------------------------
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_EDGE_SPACES = re.compile(r" ?\n ?")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    """One space for runs of blanks, stripped lines, at most one blank line in a row.

    >>> normalize_whitespace("  a \\t b  \\n\\n\\n\\n c ")
    'a b\\n\\nc'
    """
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _EDGE_SPACES.sub("\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


# --- pipeline -----------------------------------------------------------------------
STEPS = (normalize_unicode, strip_pinyin, to_simplified, unify_punctuation,
         strip_page_furniture, normalize_whitespace)


def normalize(text: str) -> str:
    """Apply every step of this module, in order (see the module docstring).

    Parameters
    ----------
    text : str
        Raw text of a report, a line, or a template label.

    Returns
    -------
    str
        Simplified Chinese with canonical punctuation and whitespace. ``normalize`` is
        idempotent: ``normalize(normalize(t)) == normalize(t)``.

    Examples
    --------
    >>> normalize("三、本年度辦理結果 (一)予以公開\\n- 2 -\\n")
    '三、本年度办理结果 （一）予以公开'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() takes a str, got {type(text).__name__}")
    for step in STEPS:
        text = step(text)
    return text


# ``toolkit.normalize`` is both this module and the public function ``tk.normalize``: once the
# module is imported, Python binds the package attribute to the module, so the module is made
# callable and ``tk.normalize(text)`` works either way.
class _CallableModule(sys.modules[__name__].__class__):
    def __call__(self, text: str) -> str:
        return normalize(text)


sys.modules[__name__].__class__ = _CallableModule
