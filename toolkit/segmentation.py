"""Cutting a corpus into token codes: batches, workers, filters (the machinery of :func:`toolkit.tokenize`).

Texts are cut in batches of about ``_BATCH_CHARS`` characters. Each batch is segmented by an engine of
:mod:`toolkit.tokenizer` into int32 codes (4 bytes per token rather than one Python string), filtered
(stopwords, noise, minimum length, part of speech) in the worker that cut it, and the batches are merged
into one set of codes. With ``workers > 1`` the native engine runs batches in threads (it releases the
GIL); the Python-level engines run them in forked processes.
"""
from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from toolkit.progress import bar as make_bar
from toolkit.tokenizer import NativeEngine, get_engine, is_noise, stopwords

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
    with make_bar(total=len(runs), progress=progress, desc="tokenize", unit="batch") as bar:
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


