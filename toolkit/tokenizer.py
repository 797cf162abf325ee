"""Segmentation engines: jieba (reference), our C cutter and jieba-rs, all with the domain lexicon.

This module is the machinery behind :func:`toolkit.tokenize`; it is named ``tokenizer``
(not ``tokenize``) so that the submodule never shadows the public function
``toolkit.tokenize``.

Three backends give the same tokens for the same dictionary with HMM off:

``jieba``
    A *private* ``jieba.Tokenizer`` (the global ``jieba.dt`` is never touched), loaded
    with jieba's own ``dict.txt`` plus our lexicon through ``Tokenizer.add_word``.
``rjieba``
    jieba-rs through the ``rjieba`` package. ``rjieba.Jieba()`` takes no dictionary
    file (its only constructors are ``Jieba()``, which embeds the same ``dict.txt`` as
    jieba 0.42, and ``Jieba.empty()``), so our lexicon is loaded word by word with
    ``Jieba.add_word(word, freq, tag)``, the same call and the same frequencies as for
    jieba. The parity test (``tests/test_tokenizer_parity.py``) checks on every real
    report that both backends then cut identically with HMM off. Should a future jieba
    ship a different ``dict.txt``, ``_rjieba_from_dict_file`` rebuilds jieba-rs from it
    (``Jieba.empty()`` + one ``add_word`` per line, about 0.6 s).
``native``
    ``toolkit._segment``, a small C extension of this project (``toolkit/_segment.c``) that
    runs jieba's algorithm (maximum-probability route through the dictionary DAG, and with
    ``hmm=True`` jieba's own HMM tables for runs of single characters) over the *very
    dictionary* of the private jieba engine (its ``FREQ`` and ``total`` are handed over, so
    lexicon and extra terms are the same by construction). It returns integer token codes
    instead of one Python string per token, and releases the GIL, so threads cut in
    parallel. It does not tag parts of speech. Unlike rjieba, it gives jieba's tokens with
    the HMM on too.

``backend="auto"`` picks the fastest backend that passes parity for the request:
``native`` unless part-of-speech tags are asked for (~40-60x ``jieba.lcut`` here), else
``rjieba`` (~24x), else ``jieba``.
Engines are cached per process and per set of extra terms (building one costs ~0.1 s
for rjieba, ~0.5-1 s for jieba and jieba + 0.05 s for native).
"""
from __future__ import annotations

import csv
import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Literal

import numpy as np

from toolkit.errors import ArgumentError, check_choice

logger = logging.getLogger(__name__)

Backend = Literal["auto", "native", "rjieba", "jieba"]
BACKENDS = ("auto", "native", "rjieba", "jieba")
DEFAULT_TERM_FREQ = 3000  # jieba weight of a lexicon term: high enough to stay whole in context

# a token is "noise" when it has no letter (CJK counts as a letter): punctuation, numbers, spaces
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Term:
    """One dictionary entry: ``term``, jieba weight ``freq``, part of speech ``pos``."""

    term: str
    freq: int = DEFAULT_TERM_FREQ
    pos: str | None = None


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files("toolkit.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@functools.lru_cache(maxsize=1)
def lexicon() -> tuple[Term, ...]:
    """The shipped domain lexicon (``toolkit/data/lexicon.tsv``) as :class:`Term` entries.

    Examples
    --------
    >>> any(t.term == "依申请公开" for t in lexicon())
    True
    """
    return tuple(Term(r["term"], int(r["freq"] or DEFAULT_TERM_FREQ), r["pos"] or None) for r in _read_tsv("lexicon.tsv"))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The shipped stopwords (``toolkit/data/stopwords.tsv``; column ``source`` says why).

    Examples
    --------
    >>> "的" in stopwords()
    True
    """
    return frozenset(r["term"] for r in _read_tsv("stopwords.tsv"))


def native_available() -> bool:
    """True when the C extension ``toolkit._segment`` is built (``pip install -e .`` compiles it)."""
    try:
        from toolkit import _segment  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_backend(backend: str, *, hmm: bool = False, pos=None) -> str:
    """The backend to use: ``"auto"`` maps to the fastest installed one that passes parity
    for this request (``native`` when no ``pos`` filter is asked, else ``rjieba``, else
    ``jieba``); an explicit backend is checked against the request."""
    check_choice("backend", backend, BACKENDS)
    if backend == "native":
        if pos is not None:
            raise ArgumentError(
                "backend='native' does not tag parts of speech; use backend='auto' (or 'rjieba'/'jieba') for pos=..."
            )
        if not native_available():
            raise ArgumentError("backend='native' needs the C extension toolkit._segment: reinstall with `pip install -e .` "
                                "on a machine with a C compiler, or use backend='rjieba'")
        return backend
    if backend != "auto":
        return backend
    if pos is None and native_available():
        return "native"
    try:
        import rjieba  # noqa: F401
    except ImportError:  # pragma: no cover - rjieba is a dependency
        logger.info("rjieba not installed; using the jieba backend")
        return "jieba"
    return "rjieba"


def normalize_extra_terms(extra_terms) -> tuple[Term, ...]:
    """Turn user terms (strings, ``(term, freq)``/``(term, freq, pos)`` tuples or :class:`Term`) into Terms."""
    if extra_terms is None:
        return ()
    if isinstance(extra_terms, str):
        raise ArgumentError("extra_terms must be a list of terms, e.g. extra_terms=['接诉即办'], not a single string")
    out = []
    for item in extra_terms:
        if isinstance(item, Term):
            out.append(item)
        elif isinstance(item, str):
            out.append(Term(item))
        elif isinstance(item, (tuple, list)) and 1 <= len(item) <= 3 and isinstance(item[0], str):
            freq = int(item[1]) if len(item) > 1 and item[1] is not None else DEFAULT_TERM_FREQ
            out.append(Term(item[0], freq, item[2] if len(item) > 2 else None))
        else:
            raise ArgumentError(f"extra_terms: cannot use {item!r}; give a string or a (term, freq, pos) tuple")
    for t in out:
        if not t.term or any(ch.isspace() for ch in t.term):
            raise ArgumentError(f"extra_terms: {t.term!r} is empty or contains whitespace, which jieba cannot match")
    return tuple(sorted(set(out), key=lambda t: (t.term, t.freq, t.pos or "")))


class Engine:
    """A loaded segmenter: ``cut(text, hmm)`` -> list of str, ``tag(text, hmm)`` -> list of (word, pos).

    Tags are made the same across backends: our lexicon's tag wins for its terms (jieba-rs
    keeps the old tag of a word that its dictionary already had), and digit runs are ``m``
    (jieba's ``posseg`` calls them ``eng``).
    """

    backend: str
    _tags: dict[str, str]

    def _fix_tags(self, pairs) -> list[tuple[str, str]]:
        tags = self._tags
        return [(w, tags.get(w) or ("m" if f == "eng" and w.isdigit() else f)) for w, f in pairs]

    def cut(self, text: str, hmm: bool) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:  # pragma: no cover - interface
        raise NotImplementedError


class JiebaEngine(Engine):
    backend = "jieba"

    def __init__(self, terms: Iterable[Term]):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tk = jieba.Tokenizer()  # private instance; jieba.dt is never used
        self._tk.initialize()
        terms = list(terms)
        self._tags = {t.term: t.pos for t in terms if t.pos}
        for t in terms:
            self._tk.add_word(t.term, t.freq, t.pos)
        self._pos = None

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tk.lcut(text, HMM=hmm)

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        if self._pos is None:
            import jieba.posseg

            self._pos = jieba.posseg.POSTokenizer(self._tk)
        return self._fix_tags((p.word, p.flag) for p in self._pos.lcut(text, HMM=hmm))


class RjiebaEngine(Engine):
    backend = "rjieba"

    def __init__(self, terms: Iterable[Term], dict_file: str | Path | None = None):
        import rjieba

        self._jb = rjieba.Jieba() if dict_file is None else _rjieba_from_dict_file(dict_file)
        terms = list(terms)
        self._tags = {t.term: t.pos for t in terms if t.pos}
        for t in terms:  # same calls and weights as the jieba engine
            self._jb.add_word(t.term, t.freq, t.pos)
        self._cut = self._jb.cut
        self._tag = self._jb.tag

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._cut(text, hmm)

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        return self._fix_tags(self._tag(text, hmm))


class NativeEngine(Engine):
    """jieba's HMM-off cut in C (``toolkit._segment``) over the dictionary of a jieba engine."""

    backend = "native"

    def __init__(self, reference: JiebaEngine):
        from jieba import finalseg

        from toolkit._segment import Segmenter

        freq = reference._tk.FREQ
        self._seg = Segmenter(list(freq), list(freq.values()), reference._tk.total)
        # jieba's HMM for words outside the dictionary: its own tables, states B M E S
        states, low = "BMES", finalseg.MIN_FLOAT
        chars = sorted(set().union(*(finalseg.emit_P[y] for y in states)))
        self._seg.set_hmm([finalseg.start_P.get(y, low) for y in states],
                          [[finalseg.trans_P.get(a, {}).get(b, low) for b in states] for a in states],
                          chars, [[finalseg.emit_P[y].get(c, low) for y in states] for c in chars])
        self._tags = reference._tags

    def cut_codes(self, texts: list[str], hmm: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        """All tokens of ``texts``: codes (int32, into ``uniques``), end offsets in their text
        (int32), tokens per text (int64), and the uniques."""
        codes, ends, counts, uniques = self._seg.cut_codes(texts, hmm)
        return np.frombuffer(codes, np.int32), np.frombuffer(ends, np.int32), np.frombuffer(counts, np.int64), uniques

    def cut(self, text: str, hmm: bool) -> list[str]:
        codes, _, _, uniques = self.cut_codes([text], hmm)
        return [uniques[c] for c in codes]

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        raise ArgumentError("the native backend does not tag parts of speech; use backend='rjieba' or 'jieba'")


def _jieba_dict_path() -> Path:
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


def _rjieba_from_dict_file(path: str | Path):
    """Build a jieba-rs segmenter from a jieba-format dictionary file (word freq [tag] per line)."""
    import rjieba

    jb = rjieba.Jieba.empty()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                jb.add_word(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)
    return jb


_ENGINES: dict[tuple[str, tuple[Term, ...]], Engine] = {}


def get_engine(backend: str = "auto", extra_terms=None) -> Engine:
    """The cached engine for ``backend`` with the shipped lexicon plus ``extra_terms``.

    Examples
    --------
    >>> get_engine("jieba").cut("依申请公开", False)  # doctest: +SKIP
    ['依申请公开']
    """
    name = resolve_backend(backend)
    extra = normalize_extra_terms(extra_terms)
    key = (name, extra)
    engine = _ENGINES.get(key)
    if engine is None:
        terms = [*lexicon(), *extra]
        if name == "native":
            engine = NativeEngine(get_engine("jieba", extra))
        else:
            engine = JiebaEngine(terms) if name == "jieba" else RjiebaEngine(terms)
        _ENGINES[key] = engine
        logger.debug("built %s engine with %d lexicon terms", name, len(terms))
    return engine


def is_noise(term: str) -> bool:
    """True for tokens without any letter: whitespace, punctuation, numbers such as ``2020`` or ``3.5%``."""
    return _HAS_LETTER.search(term) is None
