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
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError
from toolkit.term_stats import count_terms, keyness  # noqa: F401  (public through toolkit.count_terms / toolkit.keyness)
from toolkit.tokenizer import Backend, NativeEngine, get_engine, is_noise, normalize_extra_terms, resolve_backend, stopwords

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


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def _progress_bar(total: int, progress: bool | None, desc: str):
    """A tqdm bar (a context manager with ``update``), or a silent stand-in; by default a
    bar is shown only when stderr is a terminal."""
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="batch")


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


class _Cut(NamedTuple):
    """Every token of a run of texts, as int32 codes into ``uniques``, before filtering.

    Codes rather than strings keep memory at 4 bytes per token (a province has ~10^8 tokens)."""

    codes: np.ndarray
    ends: np.ndarray  # end offset of each token in its text, int32
    counts: np.ndarray  # tokens per text, int64
    uniques: list[str]
    tag_codes: np.ndarray | None = None
    tag_uniques: list[str] | None = None


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, np.int32)


def _ends(codes: np.ndarray, counts: np.ndarray, uniques: list[str]) -> np.ndarray:
    """End offset of every token in its text, from the token lengths (texts are cut whole)."""
    lens_u = np.fromiter(map(len, uniques), np.int64, len(uniques))
    before = np.cumsum(lens_u[codes])  # characters up to the end of each token, over all texts
    first = np.cumsum(counts) - counts  # index of each text's first token
    start_of_text = np.where(first > 0, before[np.maximum(first - 1, 0)], 0)
    return (before - np.repeat(start_of_text, counts)).astype(np.int32)


def _cut(texts: list[str], backend: str, hmm: bool, extra, pos) -> _Cut:
    """Segment ``texts`` with the cached engine; the native engine codes tokens in C."""
    engine = get_engine(backend, extra)
    if isinstance(engine, NativeEngine):
        return _Cut(*engine.cut_codes(texts, hmm))
    words, tags = _Coder(), _Coder()
    parts: list[np.ndarray] = []
    tag_parts: list[np.ndarray] = []
    for text in texts:
        if pos is not None:
            pairs = engine.tag(text, hmm)
            parts.append(words.codes([w for w, _ in pairs]))
            tag_parts.append(tags.codes([p for _, p in pairs]))
        else:
            parts.append(words.codes(engine.cut(text, hmm)))
    codes = _concat(parts)
    counts = np.fromiter(map(len, parts), np.int64, len(parts))
    ends = _ends(codes, counts, words.uniques)
    if pos is None:
        return _Cut(codes, ends, counts, words.uniques)
    return _Cut(codes, ends, counts, words.uniques, _concat(tag_parts), tags.uniques)


class _Keep:
    """The token filter of one :func:`tokenize` call. Decisions are cached per distinct token,
    since batches share most of their vocabulary."""

    def __init__(self, pos, drop_stopwords: bool, extra_stopwords: frozenset[str], min_chars: int) -> None:
        self.pos = pos
        self.prefixes = None if pos is None else ((pos,) if isinstance(pos, str) else tuple(pos))
        self.drop_stopwords = drop_stopwords
        self.extra_stopwords = extra_stopwords
        self.min_chars = min_chars
        self.shipped = stopwords() if drop_stopwords else frozenset()
        self._cache: dict[str, bool] = {}

    def _rule(self, u: str) -> bool:
        return (
            len(u) >= self.min_chars and not u.isspace() and u not in self.extra_stopwords
            and (not self.drop_stopwords or (u not in self.shipped and not is_noise(u)))
        )

    def words(self, uniques: list[str]) -> np.ndarray:
        cache, rule = self._cache, self._rule
        return np.fromiter((cache[u] if u in cache else cache.setdefault(u, rule(u)) for u in uniques), bool, len(uniques))

    def tags(self, tag_uniques: list[str]) -> np.ndarray:
        return np.fromiter((t.startswith(self.prefixes) for t in tag_uniques), bool, len(tag_uniques))


class _Kept(NamedTuple):
    """The tokens of a run of texts that pass the filter, located in their texts."""

    unit: np.ndarray  # index of the text in the run, int32
    position: np.ndarray  # token index in its text, counting dropped tokens, int32
    end: np.ndarray  # end offset of the token in its text, int32
    codes: np.ndarray  # into uniques
    uniques: list[str]
    tag_codes: np.ndarray | None
    tag_uniques: list[str] | None
    n_tokens: int  # before filtering


def _filter(cut: _Cut, keep: _Keep) -> _Kept:
    mask = keep.words(cut.uniques)[cut.codes]
    if keep.pos is not None:
        mask &= keep.tags(cut.tag_uniques)[cut.tag_codes]
    kept = np.flatnonzero(mask)
    unit = np.repeat(np.arange(len(cut.counts), dtype=np.int32), cut.counts)[kept]
    first = (np.cumsum(cut.counts) - cut.counts)[unit]  # index of the first token of each kept token's text
    return _Kept(
        unit=unit,
        position=(kept - first).astype(np.int32),
        end=cut.ends[kept],
        codes=cut.codes[kept],
        uniques=cut.uniques,
        tag_codes=cut.tag_codes[kept] if keep.pos is not None else None,
        tag_uniques=cut.tag_uniques,
        n_tokens=len(cut.codes),
    )


def _cut_batch(texts: list[str], backend: str, hmm: bool, extra, keep: _Keep) -> _Kept:
    """Cut and filter one batch: only the kept tokens leave it, so memory peaks per batch."""
    return _filter(_cut(texts, backend, hmm, extra, keep.pos), keep)


def _merge(parts: list[_Kept | None], edges: list[int]) -> _Kept:
    """One :class:`_Kept` from the batches' (codes into one set of uniques; units counted from
    the first text). Each batch is released once copied, so memory peaks at the result plus
    one batch. ``parts`` is emptied."""
    if len(parts) == 1:
        return parts[0]
    n = sum(len(p.codes) for p in parts)
    word_map, uniques = _factorize([u for p in parts for u in p.uniques])
    has_tags = parts[0].tag_codes is not None
    tag_map, tag_uniques = _factorize([t for p in parts for t in p.tag_uniques]) if has_tags else (None, None)
    unit, position, end, codes = (np.empty(n, np.int32) for _ in range(4))
    tag_codes = np.empty(n, np.int32) if has_tags else None
    n_tokens = at = words_at = tags_at = 0
    for i, start in enumerate(edges[: len(parts)]):
        p, parts[i] = parts[i], None
        k = len(p.codes)
        unit[at : at + k] = p.unit + np.int32(start)
        position[at : at + k] = p.position
        end[at : at + k] = p.end
        codes[at : at + k] = word_map[words_at : words_at + len(p.uniques)][p.codes]
        words_at += len(p.uniques)
        if has_tags:
            tag_codes[at : at + k] = tag_map[tags_at : tags_at + len(p.tag_uniques)][p.tag_codes]
            tags_at += len(p.tag_uniques)
        n_tokens += p.n_tokens
        at += k
    return _Kept(unit, position, end, codes, uniques, tag_codes, tag_uniques, n_tokens)


_BATCH_CHARS = 4_000_000  # characters per batch: bounds the progress steps, the memory and the work of one worker


def _batch_edges(texts: list[str], workers: int) -> list[int]:
    """Edges of runs of texts of similar size: at most ``_BATCH_CHARS`` each, and at least
    ``workers`` runs when there are that many texts."""
    sizes = np.fromiter(map(len, texts), np.int64, len(texts))
    total = int(sizes.sum())
    n = max(-(-total // _BATCH_CHARS), workers, 1)
    n = min(n, len(texts)) if texts else 1
    bounds = np.searchsorted(np.cumsum(sizes), np.linspace(0, total, n + 1)[1:-1], side="right")
    return [0, *sorted(set(int(b) for b in bounds) - {0, len(texts)}), len(texts)]


def _cut_texts(texts: list[str], backend: str, hmm: bool, extra, keep: _Keep, workers: int, progress) -> _Kept:
    """Cut and filter ``texts`` in batches, then merge them. With ``workers > 1`` this thread
    does every ``workers``-th batch while ``workers - 1`` helpers do the others: threads for the
    native engine (it releases the GIL, and so do numpy's filters), forked processes for the
    Python-level engines."""
    get_engine(backend, extra)  # build once here: threads share it, forked processes inherit it
    edges = _batch_edges(texts, workers)
    runs = [texts[a:b] for a, b in zip(edges[:-1], edges[1:])]
    args = (backend, hmm, extra, keep)
    parts: list[_Kept | None] = [None] * len(runs)
    with _progress_bar(len(runs), progress, "tokenize") as bar:
        if workers == 1 or len(runs) == 1:
            for i, run in enumerate(runs):
                parts[i] = _cut_batch(run, *args)
                bar.update()
            return _merge(parts, edges)
        if backend == "native":
            pool = ThreadPoolExecutor(max_workers=workers - 1)
        else:
            import multiprocessing as mp

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=ctx)
        with pool:
            futures = {i: pool.submit(_cut_batch, runs[i], *args) for i in range(len(runs)) if i % workers}
            for i in range(0, len(runs), workers):
                parts[i] = _cut_batch(runs[i], *args)
                bar.update()
            for i, future in futures.items():
                parts[i] = future.result()
                bar.update()
    return _merge(parts, edges)


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
    units = _units(documents_or_sections, sections, arg="documents_or_sections")
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
