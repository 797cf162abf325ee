"""Keywords: segmentation into tokens, term counts with tf-idf, keyness statistics, concordances.

The data path::

    toks   = tk.tokenize(secs, sections=("s1", "s5"))       # doc_id, section, position, term, start, end
    counts = tk.count_terms(toks, by="year", documents=docs) # year, term, n, tf, df, idf, tf_idf
    keys   = tk.keyness(counts, target=2024, reference=2019) # G², chi² (Yates), log ratio, p, p_adj
    ctx    = tk.kwic(docs, "依申请公开", window=20)           # left | term | right, offsets into text

Counting and keyness live in :mod:`toolkit.term_stats`. Segmentation uses the engines of :mod:`toolkit.tokenizer` (jieba or jieba-rs, both with the
shipped domain lexicon ``toolkit/data/lexicon.tsv``). Input text is the normalized
(simplified) ``text`` of the documents, so traditional-character reports count the same.
"""
from __future__ import annotations

import logging
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError
from toolkit.term_stats import count_terms, keyness  # noqa: F401  (public through toolkit.count_terms / toolkit.keyness)
from toolkit.tokenizer import Backend, get_engine, is_noise, normalize_extra_terms, resolve_backend, stopwords

logger = logging.getLogger(__name__)



# ----------------------------------------------------------------------------- units
def _section_filter(sections) -> tuple[str, ...] | None:
    if sections is None:
        return None
    if isinstance(sections, str):
        return (sections,)
    return tuple(sections)


def _units(frame: pd.DataFrame, sections, *, arg: str = "documents") -> "_Units":
    """The texts of ``frame`` (documents or sections), filtered to ``sections``."""
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"{arg} must be a DataFrame with columns doc_id and text, got {type(frame).__name__}")
    missing = [c for c in ("doc_id", "text") if c not in frame.columns]
    if missing:
        raise ArgumentError(
            f"{arg} lacks column(s) {missing}; give a documents frame (doc_id, text) "
            "or a sections frame (doc_id, section, text)"
        )
    wanted = _section_filter(sections)
    if "section" not in frame.columns and wanted is not None:
        from toolkit import sections as split_sections  # lazy: only when a section filter asks for it

        frame = split_sections(frame)
    n = len(frame)
    doc_id = frame["doc_id"].to_numpy(dtype=object)
    texts = frame["text"].to_numpy(dtype=object)
    if "section" in frame.columns:
        section = frame["section"].to_numpy(dtype=object)
        base = frame["start"].fillna(0).to_numpy(dtype=np.int64) if "start" in frame.columns else np.zeros(n, np.int64)
        if wanted is not None:
            keep = np.isin(section, np.asarray(wanted, dtype=object))
            doc_id, texts, section, base = doc_id[keep], texts[keep], section[keep], base[keep]
    else:
        section = np.full(n, None, dtype=object)
        base = np.zeros(n, np.int64)
    text = [t if isinstance(t, str) else "" for t in texts]
    return _Units(doc_id, section, text, base)


class _Units(NamedTuple):
    """Texts to work on; ``base`` is the offset of each text in its document's ``text``."""

    doc_id: np.ndarray
    section: np.ndarray
    text: list[str]
    base: np.ndarray


def _progress(iterable, *, total: int, progress: bool | None, desc: str):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="text")


# ------------------------------------------------------------------------- segmentation
class _Coder:
    """Integer codes for strings in first-seen order; a dict is the fastest hasher here."""

    def __init__(self) -> None:
        self.index: defaultdict[str, int] = defaultdict()
        self.index.default_factory = self.index.__len__  # a new value gets the next code

    def codes(self, values: list[str]) -> np.ndarray:
        return np.fromiter(map(self.index.__getitem__, values), np.int32, len(values))

    @property
    def uniques(self) -> list[str]:
        return list(self.index)


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    coder = _Coder()
    return coder.codes(values), coder.uniques


class _Chunk(NamedTuple):
    """Kept tokens of a run of texts, with codes into this chunk's own ``uniques``."""

    unit: np.ndarray  # index of the text in the chunk
    position: np.ndarray  # token index in its text, counting dropped tokens
    end: np.ndarray  # end offset of the token in its text
    codes: np.ndarray
    uniques: list[str]
    tag_codes: np.ndarray | None
    tag_uniques: list[str] | None
    n_tokens: int  # before filtering


def _keep(uniques: list[str], drop_stopwords: bool, extra_stopwords: frozenset[str], min_chars: int = 1) -> np.ndarray:
    shipped = stopwords() if drop_stopwords else frozenset()
    return np.fromiter(
        (
            len(u) >= min_chars and not u.isspace() and u not in extra_stopwords
            and (not drop_stopwords or (u not in shipped and not is_noise(u)))
            for u in uniques
        ),
        bool,
        len(uniques),
    )


def _cut_chunk(texts: list[str], backend: str, hmm: bool, extra, pos, drop_stopwords: bool,
               extra_stopwords: frozenset[str], min_chars: int = 1, progress=False) -> _Chunk:
    """Segment and filter ``texts``. Each text's tokens become int32 codes at once, so memory
    holds 4 bytes per token rather than the token strings (a province has ~10^8 tokens)."""
    engine = get_engine(backend, extra)
    words, tags = _Coder(), _Coder()
    parts: list[np.ndarray] = []
    tag_parts: list[np.ndarray] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    cut, tag = engine.cut, engine.tag
    for i, text in enumerate(_progress(texts, total=len(texts), progress=progress, desc="tokenize")):
        if pos is not None:
            pairs = tag(text, hmm)
            parts.append(words.codes([w for w, _ in pairs]))
            tag_parts.append(tags.codes([p for _, p in pairs]))
        else:
            parts.append(words.codes(cut(text, hmm)))
        counts[i] = len(parts[-1])
    codes = np.concatenate(parts) if parts else np.empty(0, np.int32)
    uniques = words.uniques
    mask = _keep(uniques, drop_stopwords, extra_stopwords, min_chars)[codes]
    if pos is not None:
        tag_codes = np.concatenate(tag_parts) if tag_parts else np.empty(0, np.int32)
        mask &= _pos_keep(tags.uniques, pos)[tag_codes]
    kept = np.flatnonzero(mask)
    lens_u = np.fromiter((len(u) for u in uniques), np.int64, len(uniques))
    before = np.cumsum(lens_u[codes])  # characters up to the end of each token, over all texts
    first_tok = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    unit = np.repeat(np.arange(len(texts), dtype=np.int32), counts)[kept]
    first = first_tok[unit]
    chars_before_text = np.where(first > 0, before[np.maximum(first - 1, 0)], 0)
    return _Chunk(
        unit=unit,
        position=(kept - first).astype(np.int32),
        end=(before[kept] - chars_before_text).astype(np.int32),
        codes=codes[kept],
        uniques=uniques,
        tag_codes=tag_codes[kept] if pos is not None else None,
        tag_uniques=tags.uniques if pos is not None else None,
        n_tokens=len(codes),
    )


def _merge_codes(code_parts: list[np.ndarray], unique_parts: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    mapping, uniques = _factorize([u for part in unique_parts for u in part])
    out, offset = [], 0
    for codes, part in zip(code_parts, unique_parts):
        out.append(mapping[offset : offset + len(part)][codes] if len(part) else codes)
        offset += len(part)
    return (np.concatenate(out) if out else np.empty(0, np.int32)), uniques


def _cut_parallel(texts: list[str], workers: int, progress, *args) -> _Chunk:
    """Split texts in ``workers`` runs of similar size; this process cuts the first while
    ``workers - 1`` forked processes cut and filter the others; then the chunks are merged."""
    get_engine(args[0], args[2])  # build once here: forked workers inherit it
    n_chunks = min(len(texts), workers)
    sizes = np.fromiter((len(t) for t in texts), np.int64, len(texts))
    bounds = np.searchsorted(np.cumsum(sizes), np.linspace(0, sizes.sum(), n_chunks + 1)[1:-1], side="right")
    edges = [0, *sorted(set(int(b) for b in bounds) - {0, len(texts)}), len(texts)]
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=max(1, len(edges) - 2), mp_context=ctx) as pool:
        futures = [pool.submit(_cut_chunk, texts[a:b], *args) for a, b in zip(edges[1:-1], edges[2:])]
        parts = [_cut_chunk(texts[edges[0] : edges[1]], *args)]
        parts += [f.result() for f in _progress(futures, total=len(futures), progress=progress, desc="tokenize")]
    codes, uniques = _merge_codes([p.codes for p in parts], [p.uniques for p in parts])
    tag_codes, tag_uniques = (None, None)
    if parts[0].tag_codes is not None:
        tag_codes, tag_uniques = _merge_codes([p.tag_codes for p in parts], [p.tag_uniques for p in parts])
    return _Chunk(
        unit=np.concatenate([p.unit + start for p, start in zip(parts, edges[:-1])]),
        position=np.concatenate([p.position for p in parts]),
        end=np.concatenate([p.end for p in parts]),
        codes=codes,
        uniques=uniques,
        tag_codes=tag_codes,
        tag_uniques=tag_uniques,
        n_tokens=sum(p.n_tokens for p in parts),
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pos_keep(tag_uniques: list[str], pos) -> np.ndarray:
    prefixes = (pos,) if isinstance(pos, str) else tuple(pos)
    return np.fromiter((t.startswith(prefixes) for t in tag_uniques), bool, len(tag_uniques))


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
    backend : {"auto", "jieba", "rjieba"}
        ``"jieba"`` is the reference; ``"rjieba"`` (jieba-rs) cuts the same tokens with
        ``hmm=False`` (engine ~24x faster than ``jieba.lcut``, this function ~14-16x end to end,
        see ``bench/bench_tokenize.py``); ``"auto"`` uses rjieba when installed.
    hmm : bool
        jieba's HMM guessing of words outside the dictionary. Off by default: with it off both
        backends agree token for token, and the counts depend on the dictionary only.
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
        Processes to use (``-1``: all cores). Output is identical to ``workers=1``.
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
    units = _units(documents_or_sections, sections, arg="documents_or_sections")
    name = resolve_backend(backend)
    extra = normalize_extra_terms(extra_terms)
    if isinstance(extra_stopwords, str):
        raise ArgumentError("extra_stopwords must be a list of words, e.g. ['我局'], not a single string")
    if not isinstance(workers, int) or workers == 0 or workers < -1:
        raise ArgumentError(f"workers={workers!r} is not allowed; use a positive int or -1 for all cores")
    workers = _cores() if workers == -1 else workers
    texts = units.text
    if not isinstance(min_chars, int) or min_chars < 1:
        raise ArgumentError(f"min_chars={min_chars!r} is not allowed; use an int >= 1")
    args = (name, hmm, extra, pos, drop_stopwords, frozenset(extra_stopwords or ()), min_chars)
    if workers > 1 and len(texts) > 1:
        chunk = _cut_parallel(texts, workers, progress, *args)
    else:
        chunk = _cut_chunk(texts, *args, progress=progress)
    lens_u = np.fromiter((len(u) for u in chunk.uniques), np.int32, len(chunk.uniques))
    end = chunk.end + units.base[chunk.unit].astype(np.int32)
    out = pd.DataFrame(
        {
            "doc_id": _categorical(*_codes_for(units.doc_id, chunk.unit)),
            "section": _categorical(*_codes_for(units.section, chunk.unit)),
            "position": chunk.position,
            "term": _categorical(*_used(chunk.codes, chunk.uniques)),
            "start": end - lens_u[chunk.codes],
            "end": end,
        }
    )
    if pos is not None:
        out["pos"] = _categorical(*_used(chunk.tag_codes, chunk.tag_uniques))
    logger.debug("tokenize: %d texts, %d tokens, %d kept (backend=%s)", len(texts), chunk.n_tokens, len(out), name)
    return out


def _categorical(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def _codes_for(labels: np.ndarray, unit_idx: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Categorical codes of ``labels[unit_idx]`` (missing labels get code -1)."""
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    return codes[unit_idx], pd.Index(uniques, dtype=object)


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
    units = _units(documents, sections)
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
