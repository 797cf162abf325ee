"""The command line, run as a user would (subprocesses)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seed_liubei_kjj_2020.txt"


def run(*args, cwd=None, ok=True):
    p = subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                       cwd=cwd or ROOT, timeout=600)
    if ok:
        assert p.returncode == 0, p.stderr[-3000:]
    return p


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "synthetic"
    p = run("synth", out, "--seed", "5", "--departments", "5", "--districts", "1", "--no-progress")
    assert "synthetic corpus: 18 reports" in p.stdout
    return out


def test_help_and_version():
    p = run("--help")
    for cmd in ("study", "load", "tables", "facts", "check", "keywords", "reuse", "synth"):
        assert cmd in p.stdout
    assert "gid-toolkit" in run("--version").stdout


def test_bad_arguments_exit_2(tmp_path):
    assert run("nonsense", ok=False).returncode == 2
    p = run("load", tmp_path / "does-not-exist", ok=False)
    assert p.returncode == 2 and "error" in p.stderr.lower()


def test_load_tables_check_on_the_seed(tmp_path):
    run("load", SEED, "--out", tmp_path / "docs.csv", "--no-progress")
    docs = pd.read_csv(tmp_path / "docs.csv", encoding="utf-8-sig")
    assert len(docs) == 1 and docs["status"].iloc[0] == "ok"
    assert (tmp_path / "docs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    run("tables", SEED, "--out", tmp_path / "cells.parquet", "--no-progress")
    cells = pd.read_parquet(tmp_path / "cells.parquet")
    assert set(cells["table"]) == {"t2", "t3", "t4"}
    run("check", SEED, "--out", tmp_path / "issues.csv", "--no-progress")
    assert "check" in pd.read_csv(tmp_path / "issues.csv", encoding="utf-8-sig").columns
    p = run("check", SEED, "--no-progress")  # no --out: a summary on stdout
    assert "issues:" in p.stdout
    run("facts", ROOT / "corpora" / "synthetic", "--out", tmp_path / "facts.csv", "--no-progress")
    facts = pd.read_csv(tmp_path / "facts.csv", encoding="utf-8-sig")
    assert {"concept", "label", "value", "unit", "raw", "context"} <= set(facts.columns) and len(facts) > 0


def test_keywords_and_reuse(tmp_path):
    corpus = ROOT / "corpora" / "synthetic"
    run("keywords", corpus, "--by", "year", "--out", tmp_path / "terms.csv", "--no-progress")
    terms = pd.read_csv(tmp_path / "terms.csv", encoding="utf-8-sig")
    assert {"year", "term", "n"} <= set(terms.columns) and terms["year"].nunique() == 3
    run("keywords", corpus, "--by", "year", "--out", tmp_path / "terms_jieba.csv", "--no-progress",
        "--backend", "jieba", "--workers", "2")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "terms_jieba.csv", encoding="utf-8-sig"), terms)
    run("reuse", corpus, "--out", tmp_path / "pairs.csv", "--passages", tmp_path / "passages.csv", "--no-progress")
    assert len(pd.read_csv(tmp_path / "pairs.csv", encoding="utf-8-sig")) > 0
    assert len(pd.read_csv(tmp_path / "passages.csv", encoding="utf-8-sig")) > 0


@pytest.mark.slow
def test_study_command_writes_a_results_folder(small_corpus, tmp_path):
    out = tmp_path / "results"
    p = run("study", small_corpus, "--out", out, "--no-progress", "--weights", "timeliness=40", "--keyness-by", "level")
    assert "index.html" in p.stdout
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_json["params"]["weights"] == {"timeliness": 40.0}
    assert run_json["failed_steps"] == {}
    for name in ("documents", "cells", "issues", "scorecard", "pairs"):
        assert (out / f"{name}.csv").is_file() and (out / f"{name}.parquet").is_file()
    assert (out / "index.html").stat().st_size > 50_000


def test_python_dash_m_and_console_script_agree():
    exe = Path(sys.executable).with_name("toolkit")
    if not exe.exists():
        pytest.skip("console script not installed (pip install -e .)")
    p = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout == run("--version").stdout
