"""Keywords: segmentation into tokens, term counts with tf-idf, keyness statistics, concordances.

The data path::

    toks   = tk.tokenize(secs, sections=("s1", "s5"))       # doc_id, section, position, term, start, end
    counts = tk.count_terms(toks, by="year", documents=docs) # year, term, n, tf, df, idf, tf_idf
    keys   = tk.keyness(counts, target=2024, reference=2019) # G², chi² (Yates), log ratio, p, p_adj
    ctx    = tk.kwic(docs, "依申请公开", window=20)           # left | term | right, offsets into text

Counting and keyness live in :mod:`toolkit.term_stats`; cutting a corpus in batches and workers in
:mod:`toolkit.segmentation`, with the engines of :mod:`toolkit.tokenizer` (native, jieba-rs or jieba, all
with the shipped domain lexicon ``toolkit/data/lexicon.tsv``). Input text is the normalized (simplified)
``text`` of the documents, so traditional-character reports count the same.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError
from toolkit.term_stats import count_terms, keyness  # noqa: F401  (public through toolkit.count_terms / toolkit.keyness)
from toolkit.segmentation import _cut_texts, _Keep
from toolkit.units import text_units
from toolkit.tokenizer import Backend, normalize_extra_terms, resolve_backend

logger = logging.getLogger(__name__)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def tokenize(
    documents_or_sections: pd.DataFrame,
    *,
    sections: str | Iterable[str] | None = None,
    backend: Backend = "auto",
    hmm: bool = False,
    extra_terms: Iterable | None = None,
    extra_stopwords: Iterable[str] | None = None,
    pos: str | Iterable[str] | None = None,
    drop_stopwords: bool = True,
    min_chars: int = 1,
    workers: int = 1,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Segment documents or sections into a tidy frame of tokens.

    Parameters
    ----------
    documents_or_sections : DataFrame
        A documents frame (``doc_id, text``) or a sections frame (``doc_id, section, text``
        and, if present, ``start``, the offset of the section in the document's text).
    sections : str or list of str, optional
        Keep only these sections, e.g. ``("s1", "s5")`` (总体情况 and 存在的主要问题及改进情况).
        With a documents frame, the documents are split first with :func:`toolkit.sections`.
    backend : {"auto", "native", "rjieba", "jieba"}
        ``"jieba"`` is the reference. ``"native"`` (this project's C extension running jieba's
        algorithm, HMM included, over the same dictionary) gives jieba's tokens with the HMM off
        and on; ``"rjieba"`` (jieba-rs) gives them with the HMM off (98.7% of spans with it on).
        The parity tests check this on every real report. ``"auto"`` takes the fastest that can
        serve the call: ``native`` (~40-60x ``jieba.lcut`` end to end here, see
        ``bench/bench_tokenize.py``), or ``rjieba`` when ``pos`` is given (native has no tags).
    hmm : bool
        jieba's HMM guessing of words outside the dictionary. Off by default: the counts then
        depend on the dictionary only.
    extra_terms : list, optional
        More dictionary words for this call: strings, or ``(term, freq)`` / ``(term, freq, pos)``.
    extra_stopwords : list of str, optional
        More words to drop (always dropped, even with ``drop_stopwords=False``).
    pos : str or list of str, optional
        Keep only tokens whose jieba part-of-speech tag starts with one of these prefixes
        (``"n"`` keeps n, nr, ns, nt, nz, ...; ``"vn"`` keeps verbal nouns). Adds a ``pos`` column.
    drop_stopwords : bool
        Drop the shipped stopwords (``toolkit/data/stopwords.tsv``) and tokens without a letter
        (punctuation, numbers such as ``2020`` or ``35%``). Whitespace is always dropped.
    min_chars : int
        Drop tokens shorter than this (``2`` drops single characters such as 局, 等, 对).
    workers : int
        Parallel workers (``-1``: all cores): threads for the native backend (it releases
        the GIL), forked processes for the others. Output is identical to ``workers=1``.
    progress : bool, optional
        tqdm progress bar; default: only when stderr is a terminal.

    Returns
    -------
    DataFrame
        ``doc_id, section, position, term, start, end`` (``+ pos``), one row per kept token in
        text order. ``position`` is the token's index in its text counting dropped tokens too
        (so gaps mark removed words); ``start``/``end`` are character offsets into the document's
        ``text`` (into the section text when the sections frame has no ``start``); all three int32. ``doc_id``,
        ``section`` and ``term`` are categorical; ``section`` is missing for whole documents.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["本机关依申请公开政府信息12件。"]})
    >>> tk.tokenize(docs)["term"].tolist()
    ['依申请公开', '政府信息']
    """
    units = text_units(documents_or_sections, sections, arg="documents_or_sections")
    name = resolve_backend(backend, hmm=hmm, pos=pos)
    extra = normalize_extra_terms(extra_terms)
    if isinstance(extra_stopwords, str):
        raise ArgumentError("extra_stopwords must be a list of words, e.g. ['我局'], not a single string")
    if not isinstance(workers, int) or workers == 0 or workers < -1:
        raise ArgumentError(f"workers={workers!r} is not allowed; use a positive int or -1 for all cores")
    workers = _cores() if workers == -1 else workers
    if not isinstance(min_chars, int) or min_chars < 1:
        raise ArgumentError(f"min_chars={min_chars!r} is not allowed; use an int >= 1")
    keep = _Keep(pos, drop_stopwords, frozenset(extra_stopwords or ()), min_chars)
    kept = _cut_texts(units.text, name, hmm, extra, keep, workers, progress)
    lens_u = np.fromiter(map(len, kept.uniques), np.int32, len(kept.uniques))
    end = kept.end + units.base[kept.unit].astype(np.int32)
    out = pd.DataFrame(
        {
            "doc_id": _categorical(*_codes_for(units.doc_id, kept.unit)),
            "section": _categorical(*_codes_for(units.section, kept.unit)),
            "position": kept.position,
            "term": _categorical(*_used(kept.codes, kept.uniques)),
            "start": end - lens_u[kept.codes],
            "end": end,
        }
    )
    if pos is not None:
        out["pos"] = _categorical(*_used(kept.tag_codes, kept.tag_uniques))
    logger.debug("tokenize: %d texts, %d tokens, %d kept (backend=%s)", len(units.text), kept.n_tokens, len(out), name)
    return out


def _categorical(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def _codes_for(labels: np.ndarray, unit_idx: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Categorical codes of ``labels[unit_idx]`` (missing labels get code -1)."""
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    return codes.astype(np.int32)[unit_idx], pd.Index(uniques, dtype=object)


def _used(codes: np.ndarray, uniques: list[str]) -> tuple[np.ndarray, pd.Index]:
    """Codes and categories restricted to the categories actually used."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(uniques)))
    remap = np.full(len(uniques), -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    return remap[codes], pd.Index(np.asarray(uniques, dtype=object)[used], dtype=object)


# ------------------------------------------------------------------------------- kwic
def kwic(
    documents: pd.DataFrame,
    term: str | Iterable[str],
    *,
    window: int = 20,
    sections: str | Iterable[str] | None = None,
    regex: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` with ``window`` characters on each side.

    Parameters
    ----------
    documents : DataFrame
        Documents (``doc_id, text``) or sections (``doc_id, section, text[, start]``).
    term : str or list of str
        What to find (plain text; a list finds any of them, longest first). With
        ``regex=True``, a regular expression.
    window : int
        Characters of context on each side (contexts stop at the edge of the text or section).
    sections : str or list of str, optional
        Search only these sections (a documents frame is split with :func:`toolkit.sections`).

    Returns
    -------
    DataFrame
        ``doc_id, section, start, end, left, term, right``; ``start``/``end`` are offsets of
        the match in the document's ``text`` (``text[start:end] == term``). Line breaks in
        ``left``/``right`` are shown as spaces.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["全年收到依申请公开12件"]})
    >>> tk.kwic(docs, "依申请公开", window=4)[["left", "term", "right"]].values.tolist()
    [['全年收到', '依申请公开', '12件']]
    """
    if not isinstance(window, int) or window < 0:
        raise ArgumentError(f"window={window!r} must be a non-negative int (characters on each side)")
    if isinstance(term, str):
        pattern = term if regex else re.escape(term)
    else:
        items = sorted(set(term), key=len, reverse=True)
        if not items:
            raise ArgumentError("term must be a non-empty string or list of strings")
        pattern = "|".join(items if regex else map(re.escape, items))
    if not pattern:
        raise ArgumentError("term must not be empty")
    compiled = re.compile(pattern)
    units = text_units(documents, sections)
    rows = []
    for doc_id, section, text, base in zip(units.doc_id, units.section, units.text, units.base.tolist()):
        for m in compiled.finditer(text):
            s, e = m.span()
            if s == e:
                continue
            rows.append(
                (doc_id, section, base + s, base + e,
                 text[max(0, s - window) : s].replace("\n", " "), m.group(), text[e : e + window].replace("\n", " "))
            )
    columns = ["doc_id", "section", "start", "end", "left", "term", "right"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"start": np.int64, "end": np.int64})
