"""The steps of :func:`toolkit.study`, one small function each (load → ... → scorecard → figures)."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def _progress(progress: bool | None) -> bool:
    import sys

    return sys.stderr.isatty() if progress is None else bool(progress)


def step_load(res, corpus, *, progress, workers, **_):
    import toolkit as tk

    if isinstance(corpus, pd.DataFrame):
        docs = corpus
    else:
        docs = tk.load_corpus(corpus, progress=progress)
    res.frames["documents"] = docs
    ok = docs[docs["status"].eq("ok")] if "status" in docs.columns else docs
    logger.info("loaded %d files (%d ok)", len(docs), len(ok))


def _ok_docs(res) -> pd.DataFrame:
    docs = res.frames["documents"]
    return docs[docs["status"].eq("ok")].reset_index(drop=True) if "status" in docs.columns else docs


def step_sections(res, **_):
    import toolkit as tk

    res.frames["sections"] = tk.sections(_ok_docs(res))


def step_tables(res, *, progress, **_):
    import toolkit as tk

    res.frames["cells"] = tk.extract_cells(_ok_docs(res))


def step_check(res, **_):
    import toolkit as tk

    res.frames["issues"] = tk.check(res.frames["cells"], _ok_docs(res))


def step_keywords(res, *, sections, keyness_by, progress, **_):
    import toolkit as tk

    docs = _ok_docs(res)
    secs = res.frames["sections"]
    tokens = tk.tokenize(secs, sections=sections)
    counts = tk.count_terms(tokens, by="doc_id")
    res.frames["term_counts"] = counts
    # keyness: target vs reference groups, counted by group
    meta = docs[["doc_id", "year", "level"]].copy() if {"year", "level"} <= set(docs.columns) else None
    key = pd.DataFrame()
    if meta is not None:
        tok = tokens.merge(meta, on="doc_id", how="left")
        if keyness_by == "year" and tok["year"].notna().any():
            latest = int(tok["year"].max())
            tok["group"] = tok["year"].map(lambda y: str(latest) if y == latest else f"<{latest}")
            target, reference = str(latest), f"<{latest}"
        else:
            tok["group"] = tok["level"].map(lambda v: "district" if v in ("district", "county", "city") else "department")
            target, reference = "district", "department"
        if tok["group"].nunique() == 2:
            gcounts = tk.count_terms(tok, by="group")
            key = tk.keyness(gcounts, target=target, reference=reference)
            key.attrs.update({"target": target, "reference": reference})
    res.frames["keyness"] = key
    res.extra = getattr(res, "extra", {})
    res.extra["tokens"] = tokens


def step_reuse(res, *, sections, reuse_threshold, seed, progress, **_):
    import toolkit as tk

    secs = res.frames["sections"]
    docs = _ok_docs(res)
    pairs = tk.reuse(secs, sections=sections)
    res.frames["pairs"] = pairs
    res.frames["passages"] = tk.shared_passages(secs, pairs)
    res.frames["template_share"] = tk.template_share(secs, documents=docs)
    res.frames["clusters"] = tk.reuse_clusters(pairs)


def step_scorecard(res, *, weights, **_):
    import toolkit as tk

    res.frames["scorecard"] = tk.compliance(res.frames["documents"], res.frames["cells"], res.frames["issues"],
                                            reuse=res.frames.get("template_share"), sections=res.frames["sections"],
                                            weights=weights)


def step_figures(res, **_):
    if res.out is None:
        return
    from toolkit.study_figures import draw_all

    res.figures.update(draw_all(res, res.out / "figures"))


STEPS = [("load", step_load), ("sections", step_sections), ("tables", step_tables), ("check", step_check),
         ("keywords", step_keywords), ("reuse", step_reuse), ("scorecard", step_scorecard),
         ("figures", step_figures)]


def run_steps(res, corpus, *, figures: bool = True, progress=None, **kw) -> None:
    """Run every step in order, timing each, with a progress bar over the steps."""
    from tqdm.auto import tqdm

    show = _progress(progress)
    steps = [s for s in STEPS if figures or s[0] != "figures"]
    bar = tqdm(steps, desc="study", unit="step", disable=not show)
    for name, fn in bar:
        bar.set_postfix_str(name)
        t0 = time.time()
        fn(res, corpus=corpus, progress=show, **kw)
        res.timings[name] = round(time.time() - t0, 2)
        logger.info("step %s done in %.2f s", name, res.timings[name])
