"""Passages two reports share: local alignment over characters, tolerant of small edits.

The texts are reduced to a *skeleton* (CJK characters, letters and digits; punctuation and spaces
dropped; every digit read as ``0`` so changed numbers still match) that keeps, for every skeleton
character, its offset in the original text. Two skeletons are compared by their exact common runs of
``k`` characters or more (rolling hashes, numpy); runs on nearby diagonals are chained across small
gaps (a dropped or inserted character, a changed phrase, a swapped name) into passages. Spans are
offsets into each document's ``text`` (or into the unit text when no offsets are known), so a passage
can be quoted. Candidate unit pairs come from winnowed k-gram fingerprints (an inverted index), or
from the pairs of :func:`toolkit.reuse`.

Public: :func:`shared_passages`. Helpers shared with :mod:`toolkit.reuse` and :mod:`toolkit.share`:
:func:`units`, :func:`skeleton`, :func:`mandated_mask`.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

from .errors import ArgumentError, check_choice

log = logging.getLogger(__name__)

# pre-2019 section kinds that play the role of the template's narrative sections
SECTION_ALIASES = {"s1": ("s1", "overview"), "s5": ("s5", "problems"), "s6": ("s6", "other")}
META = ("agency_id", "agency", "level", "year", "published", "region")
_P = np.uint64(1099511628211)


# ---------------------------------------------------------------- units
def units(data: pd.DataFrame, *, sections=("s1", "s5"), documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The texts to compare: one row per (document, section), with offsets and metadata.

    ``data`` is a sections frame (``doc_id, section, text`` and optionally ``start``) or a documents
    frame (``doc_id, text``). Documents are split with :func:`toolkit.sections` when ``sections`` is
    given; a document without any of the requested sections is kept whole (``section="document"``).
    ``sections=None`` keeps every section (or whole documents). Pre-2019 kinds count as their template
    equivalent (``overview`` for ``s1``, ``problems`` for ``s5``, ``other`` for ``s6``).

    Returns ``unit, doc_id, section, text, offset`` (offset of ``text`` in the document text, or 0)
    plus the metadata columns present (``agency_id, agency, level, year, published, region``).
    """
    if not isinstance(data, pd.DataFrame) or not {"doc_id", "text"} <= set(data.columns):
        raise ArgumentError("expected a documents or sections frame with columns 'doc_id' and 'text'; "
                            f"got {type(data).__name__} with {list(getattr(data, 'columns', []))}")
    meta_src = documents if documents is not None else (data if "section" not in data.columns else None)
    if "section" in data.columns:
        secs = data
    elif sections is None:
        secs = data.assign(section="document", start=0)
    else:
        try:
            from .sections import sections as split
            secs = split(data[["doc_id", "text", *[c for c in ("template",) if c in data.columns]]])
        except Exception as exc:  # a failing splitter must not stop a reuse measurement
            log.warning("toolkit.sections failed (%s); comparing whole documents", exc)
            secs = data.assign(section="document", start=0).iloc[:0]
        missing = set(data["doc_id"]) - set(secs.loc[secs["section"].isin(_aliases(sections)), "doc_id"])
        whole = data[data["doc_id"].isin(missing)].assign(section="document", start=0)
        secs = pd.concat([secs, whole[["doc_id", "section", "text", "start"]]], ignore_index=True)
    keep = secs if sections is None else secs[secs["section"].isin(_aliases(sections) | {"document"})]
    # texts stay Python objects (one copy; no conversion to an Arrow string column)
    out = pd.DataFrame({"doc_id": keep["doc_id"].astype(str).to_numpy(),
                        "section": keep["section"].astype(str).to_numpy(),
                        "text": pd.Series(keep["text"].fillna("").to_numpy(dtype=object), dtype=object),
                        "offset": (keep["start"].fillna(0).astype(int).to_numpy() if "start" in keep.columns
                                   else np.zeros(len(keep), dtype=int))})
    out = out[out["text"].str.len() > 0].reset_index(drop=True)
    out.insert(0, "unit", np.arange(len(out)))
    src = meta_src if meta_src is not None else data
    cols = [c for c in META if c in src.columns]
    if cols:
        meta = src.drop_duplicates("doc_id").set_index(src.drop_duplicates("doc_id")["doc_id"].astype(str))[cols]
        for c in cols:
            out[c] = out["doc_id"].map(meta[c])
    return out


def _aliases(sections) -> set[str]:
    if isinstance(sections, str):
        sections = (sections,)
    return {a for s in sections for a in SECTION_ALIASES.get(s, (s,))}


def agency_key(u: pd.DataFrame) -> pd.Series:
    """Who wrote each unit: ``agency_id``, else ``agency``, else the document itself."""
    for c in ("agency_id", "agency"):
        if c in u.columns:
            return u[c].where(u[c].notna(), u["doc_id"]).astype(str)
    return u["doc_id"].astype(str)


# ---------------------------------------------------------------- skeleton and hashing
def skeleton(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the characters that carry content, and their offsets in ``text``.

    CJK ideographs, letters and digits are kept (letters lower-cased, every digit read as ``0``);
    punctuation, spaces and symbols are dropped.

    >>> cps, pos = skeleton("共收到申请12件。")
    >>> "".join(map(chr, cps)), pos.tolist()
    ('共收到申请00件', [0, 1, 2, 3, 4, 5, 6, 7])
    """
    a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    digit = (a >= 48) & (a <= 57)
    upper = (a >= 65) & (a <= 90)
    lower = (a >= 97) & (a <= 122)
    cjk = ((a >= 0x3400) & (a <= 0x9FFF)) | ((a >= 0xF900) & (a <= 0xFAFF)) | (a >= 0x20000)
    keep = digit | upper | lower | cjk
    b = np.where(digit, 48, np.where(upper, a + 32, a))
    pos = np.flatnonzero(keep)
    return b[pos].astype(np.uint64), pos


def kgram_hashes(cps: np.ndarray, k: int) -> np.ndarray:
    """Rolling polynomial hashes (uint64) of every k-gram of a code point array."""
    n = len(cps) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            h = h * _P + cps[t:t + n] + np.uint64(1)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return h


def winnow(h: np.ndarray, w: int) -> np.ndarray:
    """Winnowing fingerprints: the minimum hash of every window of ``w`` k-grams (unique values)."""
    if len(h) <= w:
        return np.unique(h)
    win = np.lib.stride_tricks.sliding_window_view(h, w)
    return np.unique(win.min(axis=1))


# ---------------------------------------------------------------- mandated wording
@lru_cache(maxsize=4)
def _mandated_regex(path: str | None) -> re.Pattern | None:
    if path is None:
        raw = resources.files("toolkit").joinpath("data/mandated_phrases.txt").read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    parts = []
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pieces = ["".join(map(chr, skeleton(p)[0].astype(np.uint32))) for p in line.split("…")]
        parts.append(".{0,40}?".join(re.escape(p) for p in pieces if p))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in parts))


def mandated_mask(cps: np.ndarray, *, phrases: str | None = None) -> np.ndarray:
    """Boolean mask over skeleton characters that belong to mandated template wording.

    ``phrases`` is a path to a phrase file (format of ``toolkit/data/mandated_phrases.txt``); default the
    shipped list.
    """
    rx = _mandated_regex(phrases)
    mask = np.zeros(len(cps), dtype=bool)
    if rx is None or not len(cps):
        return mask
    s = "".join(map(chr, cps.astype(np.uint32)))
    for m in rx.finditer(s):
        mask[m.start():m.end()] = True
    return mask


# ---------------------------------------------------------------- alignment
def _segments(ha: np.ndarray, hb: np.ndarray, k: int, max_repeat: int) -> np.ndarray:
    """Maximal exact common runs as rows (i0, j0, length) in skeleton coordinates."""
    if not len(ha) or not len(hb):
        return np.zeros((0, 3), dtype=np.int64)
    order = np.argsort(hb, kind="stable")
    hbs = hb[order]
    lo = np.searchsorted(hbs, ha, "left")
    hi = np.searchsorted(hbs, ha, "right")
    cnt = hi - lo
    cnt[cnt > max_repeat] = 0
    total = int(cnt.sum())
    if not total:
        return np.zeros((0, 3), dtype=np.int64)
    i = np.repeat(np.arange(len(ha)), cnt)
    starts = np.repeat(lo, cnt)
    offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    j = order[starts + offs]
    d = j - i
    o = np.lexsort((i, d))
    i, d = i[o], d[o]
    brk = np.ones(len(i), dtype=bool)
    brk[1:] = (d[1:] != d[:-1]) | (i[1:] != i[:-1] + 1)
    first = np.flatnonzero(brk)
    last = np.append(first[1:], len(i)) - 1
    seg = np.stack([i[first], i[first] + d[first], i[last] - i[first] + k], axis=1)
    return seg[np.argsort(seg[:, 0], kind="stable")]


def _chain(seg: np.ndarray, *, max_gap: int, max_skew: int, k: int) -> list[list[int]]:
    """Greedy chaining of runs into passages [a0, a1, b0, b1, matched] (skeleton coordinates)."""
    chains: list[list[int]] = []
    for i0, j0, n in seg.tolist():
        best, best_gap = None, None
        for c in chains[-64:]:
            ga, gb = i0 - c[1], j0 - c[3]
            if -k < ga <= max_gap and -k < gb <= max_gap and abs(ga - gb) <= max_skew:
                g = max(ga, gb)
                if best is None or g < best_gap:
                    best, best_gap = c, g
        if best is None:
            chains.append([i0, i0 + n, j0, j0 + n, n, 1, n])
        else:
            ga, gb = i0 - best[1], j0 - best[3]
            best[4] += n - max(0, -ga, -gb)
            best[5] += 1
            best[6] = max(best[6], n)
            best[1] = max(best[1], i0 + n)
            best[3] = max(best[3], j0 + n)
    return chains


def align(text_a: str, text_b: str, *, min_chars: int = 30, k: int = 6, max_gap: int = 12, max_skew: int = 8,
          min_similarity: float = 0.8, anchor: int = 20, max_repeat: int = 20, prepared=None) -> list[dict]:
    """Passages shared by two texts, as dicts with spans into each text.

    Parameters
    ----------
    text_a, text_b : str
        The two texts.
    min_chars : int
        Minimum passage length in content characters (skeleton) on both sides.
    k : int
        Length of the exact seed runs (skeleton characters).
    max_gap, max_skew : int
        Largest unmatched stretch bridged inside a passage, and largest difference between the two
        sides' gaps (an inserted phrase or a longer name).
    min_similarity : float
        Share of the passage (content characters, longer side) covered by exact common runs.
    anchor : int
        A passage must contain one exact common run of at least this many content characters: two
        reports that merely follow the same sentence formula with different words have short runs only.

    Returns
    -------
    list of dict
        ``a_start, a_end, b_start, b_end, chars`` (skeleton characters matched), ``similarity``.

    Examples
    --------
    >>> a = "前言不同。我局扎实推进政务公开标准化规范化建设，全年发布信息1234条，其中政策文件56条。结尾甲。"
    >>> b = "另一开头。我委扎实推进政务公开标准化规范化建设，全年发布信息987条，其中政策文件77条。结尾乙。"
    >>> p = align(a, b, min_chars=20)
    >>> a[p[0]["a_start"]:p[0]["a_end"]]
    '扎实推进政务公开标准化规范化建设，全年发布信息1234条，其中政策文件56条。结尾'
    """
    if prepared is None:
        prepared = (_prep(text_a, k, anchor=anchor), _prep(text_b, k, anchor=anchor))
    (ca, pa, ha, ua), (cb, pb, hb, ub) = prepared
    # an anchor is a common run of `anchor` characters, i.e. a common anchor-gram: cheap test first
    if not len(ua) or not len(ub) or not len(np.intersect1d(ua, ub, assume_unique=True)):
        return []
    seg = _segments(ha, hb, k, max_repeat)
    out = []
    if not len(seg) or seg[:, 2].max() < anchor:   # no exact run long enough to anchor a passage
        return out
    for a0, a1, b0, b1, matched, runs, longest in _chain(seg, max_gap=max_gap, max_skew=max_skew, k=k):
        la, lb = a1 - a0, b1 - b0
        if min(la, lb) < min_chars or longest < anchor or matched < min_similarity * max(la, lb):
            continue
        out.append({"a_start": int(pa[a0]), "a_end": int(pa[a1 - 1]) + 1, "b_start": int(pb[b0]),
                    "b_end": int(pb[b1 - 1]) + 1, "a_sk": (a0, a1), "b_sk": (b0, b1), "chars": int(matched),
                    "runs": runs, "longest": longest,
                    "similarity": round(matched / max(la, lb), 4)})
    return out


def _prep(text: str, k: int, *, anchor: int = 20, barrier: np.ndarray | None = None, salt: int = 0):
    """Skeleton, offsets and k-gram hashes; ``barrier`` characters (mandated wording) never match."""
    cps, pos = skeleton(text)
    if barrier is not None and barrier.any():
        cps = cps.copy()
        idx = np.flatnonzero(barrier)
        cps[idx] = np.uint64(1 << 40) + np.uint64(salt) * np.uint64(1 << 20) + idx.astype(np.uint64)
    return cps, pos, kgram_hashes(cps, k), np.unique(kgram_hashes(cps, anchor))


# ---------------------------------------------------------------- candidates
def candidate_pairs(u: pd.DataFrame, *, k: int = 8, w: int = 6, min_shared: int = 2,
                    max_df: int | None = None, prepared=None) -> pd.DataFrame:
    """Unit pairs (different documents) sharing ``min_shared`` winnowed k-gram fingerprints or more.

    Any common run of ``w + k - 1`` skeleton characters yields a shared fingerprint. Fingerprints found
    in more than ``max_df`` units (default ``max(1000, 2% of units)``) are generic wording and are
    ignored for candidate generation (not for alignment). Returns ``unit_a, unit_b, shared``.
    """
    from scipy import sparse

    rows, cols = [], []
    for idx, text in enumerate(u["text"]):
        cps, _ = skeleton(text) if prepared is None else prepared[idx][:2]
        fp = winnow(kgram_hashes(cps, k), w)
        rows.append(np.full(len(fp), idx, dtype=np.int64))
        cols.append(fp)
    if not rows:
        return pd.DataFrame(columns=["unit_a", "unit_b", "shared"])
    r = np.concatenate(rows)
    codes, c = np.unique(np.concatenate(cols), return_inverse=True)
    m = sparse.csr_matrix((np.ones(len(r), dtype=np.int32), (r, c)), shape=(len(u), len(codes)))
    df = np.asarray(m.sum(axis=0)).ravel()
    max_df = max_df if max_df is not None else max(1000, int(0.02 * len(u)))
    m = m[:, np.flatnonzero((df >= 2) & (df <= max_df))]
    co = sparse.triu(m @ m.T, k=1).tocoo()
    keep = co.data >= min_shared
    out = pd.DataFrame({"unit_a": co.row[keep], "unit_b": co.col[keep], "shared": co.data[keep]})
    docs = u["doc_id"].to_numpy()
    return out[docs[out["unit_a"]] != docs[out["unit_b"]]].reset_index(drop=True)


# ---------------------------------------------------------------- public
PASSAGE_COLUMNS = ["doc_a", "doc_b", "section_a", "section_b", "a_start", "a_end", "b_start", "b_end",
                   "length_a", "length_b", "chars", "similarity", "runs", "longest", "mandated_share", "source", "text_a", "text_b",
                   "span_of"]


def shared_passages(data: pd.DataFrame, pairs: pd.DataFrame | None = None, *, sections=("s1", "s5"),
                    documents: pd.DataFrame | None = None, min_chars: int = 30, k: int = 6, max_gap: int = 12,
                    max_skew: int = 8, min_similarity: float = 0.8, anchor: int = 20,
                    mandated: Literal["exclude", "keep"] = "exclude", phrases: str | None = None,
                    progress: bool | None = None) -> pd.DataFrame:
    """The passages two reports share, with spans into each document's text so they can be quoted.

    Parameters
    ----------
    data : DataFrame
        Sections (``doc_id, section, text`` and ``start``, as from :func:`toolkit.sections`) or
        documents (``doc_id, text``; split into sections here).
    pairs : DataFrame, optional
        Document pairs to compare (``doc_a, doc_b``, e.g. from :func:`toolkit.reuse`). Default: every
        pair of units sharing winnowed fingerprints (finds passages down to about ``min_chars``).
    sections : tuple of str or None
        Sections compared (``None``: all, or whole documents).
    documents : DataFrame, optional
        Documents frame for metadata (``agency, year, published``) when ``data`` is a sections frame.
    min_chars : int
        Shortest passage reported, in content characters (punctuation and spaces not counted).
    k, max_gap, max_skew, min_similarity, anchor : int, int, int, float, int
        Alignment settings, see :func:`align`.
    mandated : {"exclude", "keep"}
        ``"exclude"``: the mandated template wording (``toolkit/data/mandated_phrases.txt`` or the file
        ``phrases``) never matches, so it is not reported and it splits passages; ``"keep"``: align it too
        (``mandated_share`` tells how much of each passage it is).
    progress : bool, optional
        Progress bar (default: only on a terminal).

    Returns
    -------
    DataFrame
        One row per passage: ``doc_a, doc_b, section_a, section_b, a_start, a_end, b_start, b_end``
        (offsets into the document ``text`` when sections carry ``start`` or documents were given,
        else into the section text, see ``span_of``), ``length_a, length_b, chars`` (content
        characters matched), ``similarity``, ``mandated_share``, ``source`` (the side published first,
        when dates or years tell), ``text_a, text_b`` (the passage as printed in each), ``span_of``,
        plus ``agency_a/_b, year_a/_b, published_a/_b`` when known.

    Examples
    --------
    >>> import pandas as pd
    >>> s = "我局扎实推进政务公开标准化规范化建设，全年发布信息1234条，其中政策文件56条，解读材料12篇。"
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["甲。" + s, "乙乙。" + s.replace("我局", "我委")]})
    >>> p = shared_passages(docs, sections=None)
    >>> p[["doc_a", "doc_b", "a_start", "b_start", "length_a"]].values.tolist()
    [['a', 'b', 4, 5, 46]]
    """
    check_choice("mandated", mandated, ("exclude", "keep"))
    u = units(data, sections=sections, documents=documents)
    span_of = "document" if ("start" in data.columns or "section" not in data.columns) else "section"
    masks = [mandated_mask(skeleton(t)[0], phrases=phrases) for t in u["text"]]
    prepared = [_prep(t, k, anchor=anchor, barrier=m if mandated == "exclude" else None, salt=i)
                for i, (t, m) in enumerate(zip(u["text"], masks))]
    if pairs is None:
        cand = candidate_pairs(u, prepared=prepared)
    else:
        for c in ("doc_a", "doc_b"):
            if c not in pairs.columns:
                raise ArgumentError(f"pairs needs columns 'doc_a' and 'doc_b'; it has {list(pairs.columns)}")
        dp = pairs[["doc_a", "doc_b"]].astype(str).drop_duplicates()
        by_doc = u.groupby("doc_id")["unit"].apply(list)
        rows = [(x, y) for a, b in dp.itertuples(index=False) if a in by_doc.index and b in by_doc.index
                for x in by_doc[a] for y in by_doc[b]]
        cand = pd.DataFrame(rows, columns=["unit_a", "unit_b"])
    out = []
    from tqdm.auto import tqdm
    show = progress if progress is not None else None
    it = tqdm(cand[["unit_a", "unit_b"]].itertuples(index=False), total=len(cand), desc="passages",
              unit="pair", disable=(not show) if show is not None else None)
    texts = u["text"].to_numpy()
    for ua, ub in it:
        for p in align(texts[ua], texts[ub], min_chars=min_chars, k=k, max_gap=max_gap, max_skew=max_skew,
                       min_similarity=min_similarity, anchor=anchor, prepared=(prepared[ua], prepared[ub])):
            a0, a1 = p["a_sk"]
            b0, b1 = p["b_sk"]
            ma, mb = int(masks[ua][a0:a1].sum()), int(masks[ub][b0:b1].sum())
            if mandated == "exclude" and min(a1 - a0 - ma, b1 - b0 - mb) < min_chars:
                continue
            out.append((ua, ub, p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["chars"],
                        p["similarity"], round(max(ma / (a1 - a0), mb / (b1 - b0)), 4), p["runs"],
                        p["longest"]))
    res = pd.DataFrame(out, columns=["ua", "ub", "la0", "la1", "lb0", "lb1", "chars", "similarity",
                                     "mandated_share", "runs", "longest"])
    return _finish(res, u, texts, span_of)


def _finish(res: pd.DataFrame, u: pd.DataFrame, texts, span_of: str) -> pd.DataFrame:
    meta = [c for c in ("agency", "year", "published") if c in u.columns]
    if not len(res):
        cols = PASSAGE_COLUMNS + [f"{c}_{s}" for c in meta for s in ("a", "b")]
        return pd.DataFrame(columns=cols)
    ua, ub = res["ua"].to_numpy(), res["ub"].to_numpy()
    off = u["offset"].to_numpy() if span_of == "document" else np.zeros(len(u), dtype=int)
    out = pd.DataFrame({
        "doc_a": u["doc_id"].to_numpy()[ua], "doc_b": u["doc_id"].to_numpy()[ub],
        "section_a": u["section"].to_numpy()[ua], "section_b": u["section"].to_numpy()[ub],
        "a_start": off[ua] + res["la0"].to_numpy(), "a_end": off[ua] + res["la1"].to_numpy(),
        "b_start": off[ub] + res["lb0"].to_numpy(), "b_end": off[ub] + res["lb1"].to_numpy(),
        "length_a": (res["la1"] - res["la0"]).to_numpy(), "length_b": (res["lb1"] - res["lb0"]).to_numpy(),
        "chars": res["chars"].to_numpy(), "similarity": res["similarity"].to_numpy(),
        "mandated_share": res["mandated_share"].to_numpy(),
        "runs": res["runs"].to_numpy(), "longest": res["longest"].to_numpy(),
    })
    out["source"] = _source(u, ua, ub)
    out["text_a"] = [texts[x][s:e] for x, s, e in zip(ua, res["la0"], res["la1"])]
    out["text_b"] = [texts[x][s:e] for x, s, e in zip(ub, res["lb0"], res["lb1"])]
    out["span_of"] = span_of
    for c in meta:
        out[f"{c}_a"] = u[c].to_numpy()[ua]
        out[f"{c}_b"] = u[c].to_numpy()[ub]
    return out.sort_values(["doc_a", "doc_b", "a_start"], kind="stable").reset_index(drop=True)


def publication_key(u: pd.DataFrame) -> pd.Series | None:
    """A sortable publication key per unit: ``published`` date, else report year; None when unknown."""
    key = pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]")
    if "published" in u.columns:
        key = pd.to_datetime(u["published"], errors="coerce")
    if "year" in u.columns:
        yr = pd.to_numeric(u["year"], errors="coerce")
        # a report for year Y is published in Y+1 (used only when the date is unknown)
        fallback = pd.to_datetime((yr + 1).astype("Int64").astype(str) + "-01-01", errors="coerce")
        key = key.fillna(fallback)
    return key


def _source(u: pd.DataFrame, ua, ub) -> np.ndarray:
    key = publication_key(u).to_numpy()
    ka, kb = key[ua], key[ub]
    docs = u["doc_id"].to_numpy()
    src = np.full(len(ua), None, dtype=object)
    ok = ~(pd.isna(ka) | pd.isna(kb))
    src[ok & (ka < kb)] = docs[ua][ok & (ka < kb)]
    src[ok & (kb < ka)] = docs[ub][ok & (kb < ka)]
    return src
