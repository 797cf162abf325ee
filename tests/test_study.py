"""The main job on the bundled corpus: outputs are complete and the planted truth is recovered."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from study_cache import frame, study_dir, truth
from toolkit.study import FRAMES

pytestmark = pytest.mark.slow

RECOVERED = ("identity-i1", "identity-i2", "identity-i3", "identity-i4", "late-publication",
             "superseded-template", "blank-total", "narrative-i7", "carry-over-i6")


def _issues_by_file() -> pd.DataFrame:
    docs = frame("documents")[["doc_id", "file"]]
    return frame("issues").merge(docs, on="doc_id", how="left")


def _truth_docs() -> pd.DataFrame:
    t = truth("documents").copy()
    t["file"] = "synthetic/" + t["file"]
    return t


def test_study_writes_every_frame_figure_and_log():
    out = study_dir()
    for name in FRAMES:
        assert (out / f"{name}.parquet").is_file(), name
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv must be UTF-8 with BOM for Excel"
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["toolkit_version"] and run["params"]["corpus"].endswith("corpora")
    assert run["failed_steps"] == {}, run["failed_steps"]
    assert set(run["timings_s"]) >= {"load", "tables", "check", "keywords", "reuse", "scorecard", "total"}
    figs = sorted((out / "figures").glob("*.png"))
    assert len(figs) >= 5 and all(p.stat().st_size > 5000 for p in figs)
    assert "step check done" in (out / "run.log").read_text(encoding="utf-8")
    # the study reports its own recovery of the planted truth (also shown in index.html)
    tr = run["truth"]
    assert tr["recovered"] == tr["planted"] > 30 and tr["false_findings_on_clean"] == 0
    assert tr["families_in_top_clusters"] == tr["families_planted"] > 0
    assert (out / "truth_recovery.csv").is_file()


def test_index_html_is_self_contained_and_links_findings_to_evidence():
    page = (study_dir() / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 5
    assert "@font-face" in page  # Chinese renders without a system CJK font
    assert "<img src=\"http" not in page and "<script src" not in page
    issues = frame("issues")
    err = issues[issues["severity"] == "error"].iloc[0]
    anchor = "doc-" + "".join(c if c.isalnum() or c in "_-" else "_" for c in str(err["doc_id"]))
    assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page


def test_every_synthetic_report_loads_with_the_true_metadata():
    docs = frame("documents").merge(_truth_docs(), on="file", suffixes=("", "_true"))
    assert len(docs) == len(truth("documents"))
    assert (docs["status"] == "ok").all()
    assert (docs["year"].astype(int) == docs["year_true"]).all()
    assert (docs["published"] == docs["published_true"]).all(), "发布日期 header lines must give `published`"
    assert (docs["script"] == docs["script_true"]).all()
    assert docs["synthetic"].astype(str).str.lower().eq("true").all()


def test_study_recovers_every_planted_finding():
    found = _issues_by_file()
    got = set(zip(found["file"], found["check"]))
    want = truth("findings")
    want = want[want["check"].isin(RECOVERED)]
    missed = [(f, c) for f, c in zip("synthetic/" + want["file"], want["check"]) if (f, c) not in got]
    assert not missed, f"planted findings not found: {missed}"
    # the cell a broken identity points at is among the cells reported for that file and check
    ident = want[want["check"].str.startswith("identity-")]
    for r in ident.itertuples():
        f = found[(found["file"] == "synthetic/" + r.file) & (found["check"] == r.check)]
        assert len(f), r


def test_no_false_findings_on_synthetic_reports():
    """Clean synthetic reports get no error or warning; faulty ones only the planted kinds."""
    found = _issues_by_file()
    found = found[found["file"].str.startswith("synthetic/") & found["severity"].isin(["error", "warning"])]
    want = truth("findings")
    planted = set(zip("synthetic/" + want["file"], want["check"]))
    extra = found[[(f, c) not in planted for f, c in zip(found["file"], found["check"])]]
    assert extra.empty, "findings that were not planted:\n" + extra[["file", "check", "message"]].head(20).to_string()


def test_scorecard_traces_scores_to_issues():
    card = frame("scorecard")
    assert card["doc_id"].is_unique and card["score"].between(0, 100).all()
    late = set("synthetic/" + truth("findings").query("check == 'late-publication'")["file"])
    rows = card[card["file"].isin(late)]
    assert len(rows) == len(late)
    assert (rows["timeliness"] == 0).all() and rows["timeliness_issues"].str.contains("late-publication").all()
    clean = set(_truth_docs().query("clean")["file"])
    c = card[card["file"].isin(clean)]
    assert (c["timeliness"] == 1).all() and (c["template"] == 1).all() and (c["arithmetic"] == 1).all()
    assert c["score"].mean() > rows["score"].mean()


def test_planted_copy_families_are_the_top_reuse_clusters():
    copies = truth("copies")
    fam = copies[copies["kind"] == "family"]
    planted = sorted((set("synthetic/" + g["target_file"]) | set("synthetic/" + g["source_file"])
                      for _, g in fam.groupby("family")), key=sorted)
    assert planted, "the bundled corpus plants copy families"
    docs = frame("documents")[["doc_id", "file"]]
    families = frame("families").merge(docs, on="doc_id", how="left")
    members = families.groupby("family")["file"].apply(set)
    top = sorted((members[i] for i in range(len(planted))), key=sorted)
    assert top == planted, f"top clusters {top} are not the planted families {planted}"
    # the reuse pairs / passages behind them are in the outputs too
    assert len(frame("passages")) and len(frame("pairs")) and len(frame("clusters"))


def test_a_failing_step_is_recorded_and_the_study_goes_on(tmp_path, monkeypatch):
    import toolkit as tk
    from toolkit import study_steps

    docs = tk.load_corpus(study_steps.__file__.replace("toolkit/study_steps.py", "corpora/seed_liubei_kjj_2020.txt"),
                          progress=False)

    def boom(res, **kw):
        raise RuntimeError("tokenizer exploded")

    steps = [(n, boom if n == "keywords" else f) for n, f in study_steps.STEPS]
    monkeypatch.setattr(study_steps, "STEPS", steps)
    res = tk.study(docs, tmp_path / "out", progress=False)
    assert res.failed == {"keywords": "RuntimeError: tokenizer exploded"}
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["failed_steps"] == res.failed and (tmp_path / "out" / "index.html").is_file()
    assert len(res["cells"]) and len(res["scorecard"]) == 1
    with pytest.raises(RuntimeError, match="exploded"):
        tk.study(docs, tmp_path / "strict", progress=False, strict=True)


def test_a_corpus_of_unreadable_files_still_gives_a_complete_results_folder(tmp_path):
    import toolkit as tk

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    res = tk.study(corpus, tmp_path / "out", progress=False, strict=True)  # no step may fail
    assert res.failed == {} and len(res["documents"]) == 2 and res["documents"]["status"].eq("error").all()
    assert len(res["pairs"]) == 0 and (tmp_path / "out" / "index.html").is_file()
