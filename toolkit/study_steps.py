"""The steps of :func:`toolkit.study`, one small function each (load → ... → scorecard → figures)."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def step_load(res, corpus, *, progress, workers, ocr=False, **_):
    import toolkit as tk

    if isinstance(corpus, pd.DataFrame):
        docs = corpus
    else:
        docs = tk.load_corpus(corpus, progress=progress, workers=workers, ocr=ocr)
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

    res.frames["cells"] = tk.extract_cells(_ok_docs(res), progress=progress)


def step_facts(res, **_):
    import toolkit as tk

    res.frames["facts"] = tk.facts(_ok_docs(res))


def step_check(res, *, progress, **_):
    import toolkit as tk

    res.frames["issues"] = tk.check(res.frames["cells"], _ok_docs(res), sections=res.frames["sections"],
                                    progress=progress)


def step_keywords(res, *, sections, keyness_by, progress, workers, **_):
    import toolkit as tk

    docs = _ok_docs(res)
    tokens = tk.tokenize(res.frames["sections"], sections=sections, min_chars=2, workers=workers, progress=progress)
    res.frames["term_counts"] = tk.count_terms(tokens, by="doc_id")
    res.extra["term_counts_year"] = tk.count_terms(tokens, by="year", documents=docs)
    key = pd.DataFrame()
    if keyness_by == "year":
        years = sorted(int(y) for y in docs["year"].dropna().unique()) if "year" in docs.columns else []
        if len(years) >= 2:
            key = tk.keyness(res.extra["term_counts_year"], target=years[-1], reference=years[:-1], by="year")
            key.attrs.update({"target": str(years[-1]), "reference": "–".join(map(str, (years[0], years[-2])))})
    else:
        counts = tk.count_terms(tokens, by="level", documents=docs)
        levels = set(counts["level"].dropna())
        if {"district", "department"} <= levels:
            key = tk.keyness(counts, target="district", reference="department", by="level")
            key.attrs.update({"target": "district", "reference": "department"})
    res.frames["keyness"] = key


def step_reuse(res, *, sections, reuse_threshold, seed, progress, **_):
    import toolkit as tk

    secs = res.frames["sections"]
    docs = _ok_docs(res)
    pairs = tk.reuse(secs, sections=sections, documents=docs, threshold=reuse_threshold, seed=seed)
    # every shared passage of 30+ characters (candidates from fingerprints, not only the similar pairs)
    passages = tk.shared_passages(secs, None, sections=sections, documents=docs, progress=progress)
    res.frames["pairs"] = pairs
    res.frames["passages"] = passages
    res.frames["template_share"] = tk.template_share(secs, sections=sections, documents=docs, passages=passages,
                                                     progress=progress)
    res.frames["clusters"] = tk.reuse_clusters(pairs)
    res.frames["families"] = tk.copy_families(passages)


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


def step_truth(res, *, corpus, **_):
    """When the corpus ships a planted truth (``**/truth/findings.csv``, as ``toolkit.synth`` writes), measure
    how much of it the study recovered: ``truth_recovery`` (one row per planted finding, ``found``) and a
    summary in ``res.extra["truth"]`` (recall, false findings on clean reports, copy families recovered)."""
    if isinstance(corpus, pd.DataFrame) or not Path(corpus).is_dir():
        return
    root = Path(corpus)
    docs = res.frames["documents"][["doc_id", "file"]]
    issues = res.frames.get("issues", pd.DataFrame(columns=["doc_id", "check", "severity"])).merge(docs, on="doc_id")
    found = set(zip(issues["file"], issues["check"]))
    rows, clean_files, families = [], set(), []
    for tf in sorted(root.glob("**/truth/findings.csv"))[:10]:
        prefix = tf.parent.parent.relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        t = pd.read_csv(tf)
        t["file"] = prefix + t["file"].astype(str)
        rows.append(t.assign(found=[(f, c) in found for f, c in zip(t["file"], t["check"])]))
        tdocs = pd.read_csv(tf.parent / "documents.csv")
        clean_files |= set(prefix + tdocs.loc[tdocs["clean"].astype(bool), "file"])
        cp = tf.parent / "copies.csv"
        if cp.is_file():
            c = pd.read_csv(cp)
            for _, g in c[c["kind"] == "family"].groupby("family"):
                families.append(set(prefix + g["source_file"]) | set(prefix + g["target_file"]))
    if not rows:
        return
    rec = pd.concat(rows, ignore_index=True)
    res.frames["truth_recovery"] = rec
    bad = issues[issues["file"].isin(clean_files) & issues["severity"].isin(["error", "warning"])]
    fam = res.frames.get("families", pd.DataFrame(columns=["family", "doc_id"])).merge(docs, on="doc_id")
    top = [set(g["file"]) for _, g in fam.groupby("family") if _ < len(families)]
    res.extra["truth"] = {"planted": int(len(rec)), "recovered": int(rec["found"].sum()),
                          "clean_reports": len(clean_files), "false_findings_on_clean": int(len(bad)),
                          "families_planted": len(families),
                          "families_in_top_clusters": sum(any(f <= m for m in top) for f in families)}
    logger.info("planted truth: %s", res.extra["truth"])


STEPS = [("load", step_load), ("sections", step_sections), ("tables", step_tables), ("facts", step_facts),
         ("check", step_check),
         ("keywords", step_keywords), ("reuse", step_reuse), ("scorecard", step_scorecard), ("truth", step_truth),
         ("figures", step_figures)]


def run_steps(res, corpus, *, figures: bool = True, progress=None, strict: bool = False, **kw) -> None:
    """Run every step in order, timing each, with a progress bar over the steps.

    A failing step (other than ``load``) is logged with its traceback and listed in ``res.failed``; the
    study goes on with what it has, unless ``strict=True``.
    """
    from toolkit.progress import bar as make_bar, shown

    show = shown(progress)
    steps = [s for s in STEPS if figures or s[0] != "figures"]
    bar = make_bar(steps, progress=show, desc="study", unit="step")
    for name, fn in bar:
        bar.set_postfix_str(name)
        t0 = time.time()
        try:
            fn(res, corpus=corpus, progress=show, **kw)
        except Exception as exc:
            if strict or name == "load":
                raise
            logger.exception("step %s failed: %s", name, exc)
            res.failed[name] = f"{type(exc).__name__}: {exc}"
            for frame in OUTPUTS.get(name, ()):
                res.frames.setdefault(frame, pd.DataFrame(columns=["doc_id"]))
        res.timings[name] = round(time.time() - t0, 2)
        logger.info("step %s done in %.2f s", name, res.timings[name])


OUTPUTS = {"sections": ("sections",), "tables": ("cells",), "facts": ("facts",), "check": ("issues",),
           "keywords": ("term_counts", "keyness"), "reuse": ("pairs", "passages", "template_share", "clusters", "families"),
           "scorecard": ("scorecard",)}
