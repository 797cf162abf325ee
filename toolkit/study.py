"""The main job: a whole study of a corpus written to a results folder.

:func:`study` loads a corpus, splits sections, extracts and checks the tables, counts terms and
keyness, measures text reuse and template share, scores compliance, draws the figures and writes

``DIR/``
    ``<frame>.parquet`` and ``<frame>.csv`` (UTF-8 with BOM, for Excel) for documents, sections,
    cells, issues, scorecard, term_counts, keyness, pairs, passages, template_share, clusters and
    families (copy families, :func:`toolkit.copy_families`), plus truth_recovery when the corpus ships a
    planted truth (``**/truth/findings.csv``, as :func:`toolkit.synth.make_corpus` writes);
    ``figures/*.png``; ``index.html`` (self-contained summary, images and a subset CJK font embedded,
    every finding linked to its evidence); ``run.json`` and ``run.log`` (toolkit version, parameters,
    timings, row counts, failed steps).

Steps (``toolkit.study_steps``): load, sections, tables, check, keywords, reuse, scorecard, truth,
figures. A failing step is logged and listed in ``run.json``; the others still run (``strict=True``
raises instead), and the command line exits with status 1.

The same steps are exposed one by one on the command line (``toolkit load|tables|check|...``).
"""
from __future__ import annotations

import json
import logging
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

FRAMES = ("documents", "sections", "cells", "issues", "scorecard", "term_counts", "keyness",
          "pairs", "passages", "template_share", "clusters", "families")


@dataclass
class StudyResult:
    """Frames, figures and files of a study (``frames[name]`` is a DataFrame)."""

    out: Path | None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Path] = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)   # step -> error, for steps that failed
    extra: dict = field(default_factory=dict)              # intermediate frames (e.g. term counts by year)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


# ---------------------------------------------------------------------------------------------
# writing frames
def _jsonable(v):
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def flat_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` where list/dict/array cells are JSON strings (for CSV and Parquet)."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            sample = out[c].dropna().head(50)
            if any(isinstance(v, (list, tuple, dict, np.ndarray)) for v in sample):
                out[c] = out[c].map(_jsonable)
    return out


def write_frame(df: pd.DataFrame, out: Path, name: str) -> list[Path]:
    """Write ``df`` as ``out/name.parquet`` and ``out/name.csv`` (UTF-8 with BOM); return the paths."""
    flat = flat_frame(df)
    for c in flat.columns:  # mixed-type object columns (e.g. expected: a number or a date) as strings
        if flat[c].dtype == object and flat[c].dropna().map(type).nunique() > 1:
            flat[c] = flat[c].map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    pq, csv = out / f"{name}.parquet", out / f"{name}.csv"
    try:
        flat.to_parquet(pq, index=False)
    except Exception as exc:  # mixed-type object columns: store them as strings
        logger.warning("parquet for %s needed string conversion (%s)", name, exc)
        conv = flat.copy()
        for c in conv.columns:
            if conv[c].dtype == object:
                conv[c] = conv[c].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        conv.to_parquet(pq, index=False)
    flat.to_csv(csv, index=False, encoding="utf-8-sig")
    return [pq, csv]


# ---------------------------------------------------------------------------------------------
def _keyness_groups(documents: pd.DataFrame) -> tuple[str, object, object] | None:
    """Choose a keyness comparison: the latest year vs the earlier ones, or districts vs departments."""
    if "year" in documents.columns:
        years = sorted(int(y) for y in documents["year"].dropna().unique())
        if len(years) >= 2:
            return ("year", years[-1], years[:-1])
    return None


def study(corpus: str | Path | pd.DataFrame, out: str | Path | None = None, *,
          sections: Sequence[str] = ("s1", "s5"), keyness_by: str = "year", reuse_threshold: float = 0.5,
          weights: dict | None = None, figures: bool = True, html: bool = True,
          workers: int = 1, progress: bool | None = None, seed: int = 0, strict: bool = False,
          ocr: bool = False) -> StudyResult:
    """Run a complete study of ``corpus`` and write it to ``out``.

    Parameters
    ----------
    corpus : path or DataFrame
        Folder (or file) of reports, or an already loaded documents frame.
    out : path, optional
        Results folder (created). ``None`` keeps everything in memory.
    sections : sequence of str
        Narrative sections used for keywords and reuse (default 总体情况 ``s1`` and 问题 ``s5``).
    keyness_by : {"year", "level"}
        Keyness compares the latest year with the earlier ones (``"year"``) or district
        governments with departments (``"level"``).
    reuse_threshold : float
        Minimum Jaccard similarity (or containment) of a section pair to be reported (see :func:`toolkit.reuse`).
    weights : dict, optional
        Weights of the compliance criteria (see :func:`toolkit.compliance`).
    figures, html : bool
        Draw the PNG figures / write ``index.html``.
    workers : int
        Processes for the steps that accept them.
    progress : bool, optional
        Progress bars (default: only on a terminal).
    seed : int
        Seed of the randomized steps (MinHash).
    strict : bool
        Raise at the first failing step. By default a failing step is logged (run.log), listed under
        ``failed_steps`` in run.json and ``result.failed``, and the study goes on with the other steps.
    ocr : bool
        Read scanned PDFs with Tesseract (see :func:`toolkit.load_corpus`).

    Returns
    -------
    StudyResult
        ``result.frames`` holds every frame, ``result.figures`` the PNG paths.

    Examples
    --------
    >>> res = study("corpora/", "results/", progress=False)  # doctest: +SKIP
    >>> res["scorecard"].head()  # doctest: +SKIP
    """
    from toolkit import __version__
    from toolkit.errors import check_choice

    check_choice("keyness_by", keyness_by, ("year", "level"))
    params = {"corpus": str(corpus) if not isinstance(corpus, pd.DataFrame) else "<DataFrame>",
              "out": None if out is None else str(out), "sections": list(sections), "keyness_by": keyness_by,
              "reuse_threshold": reuse_threshold, "weights": weights, "figures": figures, "html": html,
              "workers": workers, "seed": seed, "ocr": ocr}
    outp = Path(out) if out is not None else None
    handler = None
    if outp is not None:
        outp.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(outp / "run.log", mode="w", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.INFO)
        root = logging.getLogger("toolkit")
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
    res = StudyResult(out=outp, params=params)
    started = time.time()
    logger.info("gid-toolkit %s, python %s, parameters %s", __version__, sys.version.split()[0],
                json.dumps(params, ensure_ascii=False, default=str))
    try:
        from toolkit.study_steps import run_steps

        run_steps(res, corpus, sections=tuple(sections), keyness_by=keyness_by, reuse_threshold=reuse_threshold,
                  weights=weights, workers=workers, progress=progress, seed=seed, figures=figures, strict=strict,
                  ocr=ocr)
        res.timings["total"] = round(time.time() - started, 2)
        if outp is not None:
            for name, df in res.frames.items():
                write_frame(df, outp, name)
            run = {"toolkit_version": __version__, "python": sys.version.split()[0],
                   "platform": platform.platform(), "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
                   "params": params, "timings_s": res.timings,
                   "rows": {k: int(len(v)) for k, v in res.frames.items()},
                   "failed_steps": getattr(res, "failed", {}),
                   "truth": res.extra.get("truth"),
                   "figures": {k: str(p.relative_to(outp)) for k, p in res.figures.items()}}
            (outp / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
            if html:
                from toolkit.report_html import write_index

                write_index(res, outp / "index.html")
            logger.info("study written to %s in %.1f s", outp, res.timings["total"])
    finally:
        if handler is not None:
            logging.getLogger("toolkit").removeHandler(handler)
            handler.close()
    return res


__all__ = ["study", "StudyResult", "write_frame", "flat_frame", "FRAMES"]
