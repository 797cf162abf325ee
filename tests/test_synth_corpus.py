"""The synthetic corpus generator: files in every form, labelled synthetic, truth consistent with the checks."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

import toolkit as tk
from toolkit.synth.corpus import agencies, deadline

SMALL = dict(n_departments=4, n_districts=1, years=(2020, 2021, 2022), n_identity=4, n_blank_total=1, n_late=2,
             n_superseded=2, n_traditional=1, n_narrative=1, n_carry=1, n_gb18030=1, n_families=1, family_size=2)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    info = tk.synth.make_corpus(out, seed=7, progress=False, **SMALL)
    return out, info


def test_every_form_and_the_truth_files_are_written(small):
    out, info = small
    files = sorted(p.name for p in out.iterdir() if p.is_file())
    assert {"README.md", "manifest.csv"} <= set(files)
    assert {p.suffix for p in out.iterdir() if p.suffix} >= {".txt", ".html", ".pdf", ".docx", ".md", ".csv"}
    for name in ("documents", "cells", "findings", "copies", "template_share"):
        assert (out / "truth" / f"{name}.csv").is_file()
    man = pd.read_csv(out / "manifest.csv")
    assert list(man.columns) == ["file", "agency", "region", "level", "year", "synthetic"]
    assert len(man) == 5 * 3 and man["synthetic"].all() and man["agency"].str.startswith("合成市").all()
    assert "SYNTHETIC" in (out / "README.md").read_text(encoding="utf-8")
    assert "published" not in man.columns and "template" not in man.columns  # left for the toolkit to find


def test_reports_say_they_are_synthetic_and_load(small):
    out, info = small
    docs = tk.load_corpus(out, progress=False)
    assert (docs["status"] == "ok").all(), docs.loc[docs["status"] != "ok", ["file", "error"]]
    assert docs["text"].str.contains("synthetic").all()
    truth = info["documents"].set_index("file")
    got = docs.set_index("file")
    assert (got["published"] == truth.loc[got.index, "published"]).all()
    assert (got["script"] == truth.loc[got.index, "script"]).all()
    pdf = got[got["format"] == "pdf"]
    assert len(pdf) and pdf["text"].str.contains("总体情况").all()  # a real text layer with an embedded CJK font


def test_truth_cells_give_exactly_the_planted_findings(small):
    """toolkit.check on the TRUE cells (no parsing) finds every planted finding and nothing else."""
    out, info = small
    docs = tk.load_corpus(out, progress=False).assign(doc_id=lambda d: d["file"])
    cells = info["cells"].rename(columns={"file": "doc_id"})
    issues = tk.check(cells, docs)
    issues = issues[issues["severity"] != "info"]
    got = set(zip(issues["doc_id"], issues["check"]))
    want = set(zip(info["findings"]["file"], info["findings"]["check"]))
    assert got == want


def test_plan_dates_and_templates(small):
    out, info = small
    d = info["documents"]
    late = d[d["faults"].str.contains("late-publication")]
    assert len(late) == 2 and (late["published"] > late["deadline"]).all()
    clean = d[~d["faults"].str.contains("late-publication")]
    assert (clean["published"] <= clean["deadline"]).all()
    sup = d[d["faults"].str.contains("superseded-template")]
    assert len(sup) == 2 and (sup["year"] >= 2021).all() and (sup["template"] == "2019").all()
    assert deadline(2021, "department") == "2022-01-31" and deadline(2021, "district") == "2022-03-31"
    fam = info["copies"].query("kind == 'family'")
    assert fam["source_file"].notna().all() and fam["target_file"].notna().all()


def test_same_seed_same_bytes(tmp_path):
    kw = dict(SMALL, n_departments=2, n_districts=1, years=(2021,), n_identity=1, n_late=1, n_superseded=0,
              n_narrative=0, n_carry=0, n_blank_total=0)

    def digest(p):
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(p.rglob("*")) if f.is_file()}

    a = tk.synth.make_corpus(tmp_path / "a", seed=3, progress=False, **kw)
    tk.synth.make_corpus(tmp_path / "b", seed=3, progress=False, **kw)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    with pytest.raises(tk.ArgumentError, match="overwrite"):
        tk.synth.make_corpus(tmp_path / "a", seed=3, progress=False, **kw)
    assert len(a["manifest"]) == 3


def test_agencies_are_labelled():
    ag = agencies()
    assert len(ag) == 46 and ag["agency"].str.startswith("合成市").all()
    assert set(ag["level"]) == {"department", "district"}
    with pytest.raises(tk.ArgumentError):
        agencies(n_departments=99)


def test_bundled_corpus_matches_its_truth():
    from study_cache import TRUTH

    docs = pd.read_csv(TRUTH / "documents.csv")
    assert 130 <= len(docs) <= 150 and docs["synthetic"].all()
    assert set(docs["format"]) == {"txt", "html", "pdf", "docx"}
    assert (docs["script"] == "traditional").sum() >= 3
    root = TRUTH.parent
    assert all((root / f).is_file() for f in docs["file"])
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert size < 10e6, f"bundled synthetic corpus is {size / 1e6:.1f} MB"
