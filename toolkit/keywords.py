"""Keywords: segmentation into tokens, term counts with tf-idf, keyness statistics, concordances.

The data path::

    toks   = tk.tokenize(secs, sections=("s1", "s5"))       # doc_id, section, position, term, start, end
    counts = tk.count_terms(toks, by="year", documents=docs) # year, term, n, tf, df, idf, tf_idf
    keys   = tk.keyness(counts, target=2024, reference=2019) # G², chi² (Yates), log ratio, p, p_adj
    ctx    = tk.kwic(docs, "依申请公开", window=20)           # left | term | right, offsets into text

Segmentation uses the engines of :mod:`toolkit.tokenizer` (jieba or jieba-rs, both with the
shipped domain lexicon ``toolkit/data/lexicon.tsv``). Input text is the normalized
(simplified) ``text`` of the documents, so traditional-character reports count the same.
"""
from __future__ import annotations

import logging
import math
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError, check_choice
from toolkit.tokenizer import Backend, get_engine, is_noise, normalize_extra_terms, resolve_backend, stopwords

logger = logging.getLogger(__name__)

Correction = Literal["fdr_bh", "bonferroni"]
_STAT_COLUMNS = {"term", "n", "tf", "df", "idf", "tf_idf"}


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


def _keep(uniques: list[str], drop_stopwords: bool, extra_stopwords: frozenset[str]) -> np.ndarray:
    shipped = stopwords() if drop_stopwords else frozenset()
    return np.fromiter(
        (
            bool(u) and not u.isspace() and u not in extra_stopwords
            and (not drop_stopwords or (u not in shipped and not is_noise(u)))
            for u in uniques
        ),
        bool,
        len(uniques),
    )


def _cut_chunk(texts: list[str], backend: str, hmm: bool, extra, pos, drop_stopwords: bool,
               extra_stopwords: frozenset[str], progress=False) -> _Chunk:
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
    mask = _keep(uniques, drop_stopwords, extra_stopwords)[codes]
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
        ``hmm=False`` about 20x faster; ``"auto"`` uses rjieba when installed.
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
    args = (name, hmm, extra, pos, drop_stopwords, frozenset(extra_stopwords or ()))
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


# --------------------------------------------------------------------------- counting
def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns back to plain values (small result frames read better)."""
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(frame[col].cat.categories.dtype)
    return frame


def count_terms(tokens: pd.DataFrame, *, by: str | Iterable[str] = "doc_id", documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count terms per group, with tf, df, idf and tf-idf (tidy, one row per group x term).

    Parameters
    ----------
    tokens : DataFrame
        Output of :func:`tokenize` (needs ``term`` and the ``by`` columns).
    by : str or list of str
        Grouping columns: ``"doc_id"`` (default), ``"section"``, ``["doc_id", "section"]``, or
        document metadata such as ``"year"``, ``"level"``, ``"province"``.
    documents : DataFrame, optional
        Where to find ``by`` columns that ``tokens`` lacks (joined on ``doc_id``).

    Returns
    -------
    DataFrame
        ``*by, term, n, tf, df, idf, tf_idf`` sorted by group then ``n`` descending, where
        ``n`` = occurrences in the group, ``tf = n / tokens in the group``, ``df`` = number
        of groups containing the term, ``idf = ln(N / df)`` with ``N`` the number of groups
        (a term present in every group has idf 0), ``tf_idf = tf * idf``.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["政策解读", "行政复议", "政策解读"]})
    >>> tk.count_terms(toks)[["doc_id", "term", "n", "idf"]].values.tolist()  # doctest: +ELLIPSIS
    [['a', '政策解读', 1, 0.0], ['a', '行政复议', 1, 0.69...], ['b', '政策解读', 1, 0.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ArgumentError("by must name at least one column, e.g. by='doc_id'")
    if "term" not in tokens.columns:
        raise ArgumentError("tokens lacks column 'term'; pass the output of toolkit.tokenize")
    missing = [c for c in by if c not in tokens.columns]
    frame = tokens[[c for c in dict.fromkeys([*by, "term", "doc_id"]) if c in tokens.columns]]
    if missing:
        if documents is None or "doc_id" not in tokens.columns:
            raise ArgumentError(f"by={by}: tokens has no column(s) {missing}; pass documents= with doc_id and {missing}")
        lacking = [c for c in ["doc_id", *missing] if c not in documents.columns]
        if lacking:
            raise ArgumentError(f"documents lacks column(s) {lacking} needed for by={by}")
        meta = documents[["doc_id", *missing]].drop_duplicates("doc_id")
        meta = meta.assign(doc_id=meta["doc_id"].astype(object))
        frame = frame.assign(doc_id=frame["doc_id"].astype(object)).merge(meta, on="doc_id", how="left")
    counts = frame.groupby([*by, "term"], observed=True, sort=False, dropna=False).size().rename("n").reset_index()
    counts = _plain(counts)
    n_groups = len(counts[by].drop_duplicates())
    totals = counts.groupby(by, sort=False, dropna=False)["n"].transform("sum")
    counts["tf"] = counts["n"] / totals
    counts["df"] = counts.groupby("term", sort=False)["n"].transform("size").astype(np.int64)
    counts["idf"] = np.log(n_groups / counts["df"])
    counts["tf_idf"] = counts["tf"] * counts["idf"]
    counts["n"] = counts["n"].astype(np.int64)
    order = counts.sort_values([*by, "n", "term"], ascending=[*([True] * len(by)), False, True], kind="stable")
    return order.reset_index(drop=True)


# ---------------------------------------------------------------------------- keyness
def _select(term_counts: pd.DataFrame, spec, by: str | None, name: str) -> np.ndarray:
    """Boolean row mask of ``term_counts`` for a target/reference specification."""
    if callable(spec):
        spec = spec(term_counts)
    if isinstance(spec, (pd.Series, np.ndarray)) and np.asarray(spec).dtype == bool:
        mask = np.asarray(spec, dtype=bool)
        if len(mask) != len(term_counts):
            raise ArgumentError(f"{name}: a boolean mask must have one value per row of term_counts ({len(term_counts)})")
        return mask
    if isinstance(spec, Mapping):
        mask = np.ones(len(term_counts), dtype=bool)
        for col, value in spec.items():
            if col not in term_counts.columns:
                raise ArgumentError(f"{name}: term_counts has no column {col!r}")
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            mask &= term_counts[col].isin(values).to_numpy()
        return mask
    groups = [c for c in term_counts.columns if c not in _STAT_COLUMNS]
    col = by or (groups[0] if len(groups) == 1 else None)
    if col is None:
        raise ArgumentError(f"{name}={spec!r}: term_counts has group columns {groups}; say which one with by=, or pass a dict")
    if col not in term_counts.columns:
        raise ArgumentError(f"by={col!r} is not a column of term_counts (columns: {list(term_counts.columns)})")
    values = list(spec) if isinstance(spec, (list, tuple, set, frozenset)) else [spec]
    mask = term_counts[col].isin(values).to_numpy()
    if not mask.any():
        raise ArgumentError(f"{name}={spec!r} matches no row of column {col!r}; values are e.g. {term_counts[col].unique()[:5].tolist()}")
    return mask


def _adjust(p: np.ndarray, correction) -> np.ndarray:
    m = len(p)
    if correction is None or m == 0:
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(1.0, p * m)
    order = np.argsort(p, kind="stable")  # Benjamini-Hochberg step-up
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(1.0, ranked)
    return out


def keyness(
    term_counts: pd.DataFrame,
    *,
    target,
    reference=None,
    by: str | None = None,
    min_freq: int = 5,
    correction: Correction | None = "fdr_bh",
) -> pd.DataFrame:
    """Keyness of every term in a target part of the corpus against a reference part.

    For each term a 2x2 table (term / other tokens x target / reference) gives the
    log-likelihood G² (Dunning 1993, all four cells), Pearson's chi² with Yates' continuity
    correction, their p-values (chi² with 1 degree of freedom), the log ratio effect size
    (Hardie 2014: ``log2`` of the ratio of relative frequencies, a zero count counted as 0.5)
    and the p-value of G² adjusted for the number of terms tested.

    Parameters
    ----------
    term_counts : DataFrame
        Output of :func:`count_terms` (group columns, ``term``, ``n``).
    target, reference
        Which rows form each side, in one of these forms:

        - a value or list of values of the group column: ``target=2024, reference=2019``
          with ``count_terms(..., by="year")`` (name the column with ``by=`` when there are
          several group columns);
        - a dict ``{column: value or list}``: ``target={"level": "county", "year": 2024}``;
        - a boolean mask over the rows of ``term_counts``, or a function returning one:
          ``target=lambda c: c["doc_id"].str.startswith("pingtan")``.

        ``reference=None`` (default) means every row not in the target (the rest of the corpus).
    by : str, optional
        Group column that values of ``target``/``reference`` refer to.
    min_freq : int
        Keep terms with at least this many occurrences in target and reference together.
    correction : {"fdr_bh", "bonferroni", None}
        Multiple-comparison correction for ``p_adj`` (Benjamini-Hochberg false discovery
        rate, Bonferroni, or none), over the terms kept by ``min_freq``.

    Returns
    -------
    DataFrame
        ``term, n_target, n_reference, rate_target, rate_reference`` (per 10,000 tokens),
        ``g2, p_g2, chi2_yates, p_chi2, log_ratio, p_adj, keyness`` where ``keyness`` is G²
        signed by the direction (positive: more frequent in the target). Sorted by
        ``keyness`` descending: the target's key terms first, the reference's last.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> counts = pd.DataFrame({"year": [2019, 2019, 2024, 2024], "term": ["政策解读", "行政复议"] * 2,
    ...                        "n": [10, 90, 40, 60]})
    >>> tk.keyness(counts, target=2024, reference=2019, min_freq=1)["term"].tolist()
    ['政策解读', '行政复议']
    """
    check_choice("correction", correction, ("fdr_bh", "bonferroni", None))
    for col in ("term", "n"):
        if col not in term_counts.columns:
            raise ArgumentError(f"term_counts lacks column {col!r}; pass the output of toolkit.count_terms")
    in_target = _select(term_counts, target, by, "target")
    in_reference = ~in_target if reference is None else _select(term_counts, reference, by, "reference")
    if (in_target & in_reference).any():
        raise ArgumentError("target and reference overlap; a row can be on one side only")
    n = term_counts["n"].to_numpy(dtype=float)
    terms = term_counts["term"].astype(object)
    a = pd.Series(n[in_target]).groupby(terms[in_target].to_numpy()).sum()
    b = pd.Series(n[in_reference]).groupby(terms[in_reference].to_numpy()).sum()
    table = pd.concat([a.rename("n_target"), b.rename("n_reference")], axis=1).fillna(0.0)
    t1, t2 = float(n[in_target].sum()), float(n[in_reference].sum())
    if t1 == 0 or t2 == 0:
        raise ArgumentError("target or reference has no tokens; check the selection")
    table = table[(table["n_target"] + table["n_reference"]) >= min_freq]
    stats = _keyness_stats(table["n_target"].to_numpy(), table["n_reference"].to_numpy(), t1, t2)
    out = pd.DataFrame({"term": table.index.astype(object), **{k: table[k].to_numpy().astype(np.int64) for k in table}})
    out["rate_target"] = out["n_target"] / t1 * 1e4
    out["rate_reference"] = out["n_reference"] / t2 * 1e4
    for key, value in stats.items():
        out[key] = value
    out["p_adj"] = _adjust(out["p_g2"].to_numpy(), correction)
    out["keyness"] = np.sign(out["log_ratio"]) * out["g2"]
    return out.sort_values(["keyness", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _keyness_stats(a: np.ndarray, b: np.ndarray, t1: float, t2: float) -> dict[str, np.ndarray]:
    """G², chi² (Yates), p-values and log ratio for counts ``a`` (target) and ``b`` (reference)."""
    a, b = a.astype(float), b.astype(float)
    c, d = t1 - a, t2 - b
    total = t1 + t2
    observed = np.stack([a, b, c, d])
    expected = np.stack([t1 * (a + b), t2 * (a + b), t1 * (c + d), t2 * (c + d)]) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * cells.sum(axis=0)
        diff = np.maximum(np.abs(a * d - b * c) - total / 2, 0.0)
        chi = total * diff**2 / ((a + b) * (c + d) * t1 * t2)
    g2 = np.maximum(g2, 0.0)
    chi = np.nan_to_num(chi)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / t1) / (np.where(b > 0, b, 0.5) / t2))
    return {"g2": g2, "p_g2": _chi2_sf_1dof(g2), "chi2_yates": chi, "p_chi2": _chi2_sf_1dof(chi), "log_ratio": log_ratio}


def _chi2_sf_1dof(x: np.ndarray) -> np.ndarray:
    """Upper tail of the chi² distribution with one degree of freedom: ``erfc(sqrt(x / 2))``."""
    return np.array([math.erfc(math.sqrt(v / 2)) for v in x.tolist()], dtype=float)


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
