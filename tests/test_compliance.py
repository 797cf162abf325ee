"""The compliance scorecard on small constructed frames (no corpus needed)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.compliance import CRITERIA, DEFAULT_WEIGHTS


def _docs():
    return pd.DataFrame({
        "doc_id": ["a21", "a22", "b22", "c22", "x"],
        "agency": ["甲局", "甲局", "乙局", "丙局", "坏文件"],
        "year": pd.array([2021, 2022, 2022, 2022, None], dtype="Int64"),
        "published": ["2022-01-20", "2023-01-20", "2023-03-01", None, None],
        "status": ["ok", "ok", "ok", "ok", "error"],
    })


def _cells(doc_ids, tables=("t2", "t3", "t4")):
    return pd.DataFrame([{"doc_id": d, "table": t, "row": "r", "col": "c", "value": 1.0, "raw": "1", "status": "ok"}
                         for d in doc_ids for t in tables])


def _sections(doc_ids, secs=("s1", "s2", "s3", "s4", "s5", "s6")):
    return pd.DataFrame([{"doc_id": d, "section": s} for d in doc_ids for s in secs])


def _issues():
    return pd.DataFrame([
        {"doc_id": "b22", "check": "late-publication", "severity": "error"},
        {"doc_id": "b22", "check": "identity-i1", "severity": "error"},
        {"doc_id": "b22", "check": "identity-i3", "severity": "error"},
        {"doc_id": "a22", "check": "carry-over-i6", "severity": "warning"},
        {"doc_id": "a22", "check": "cross-year-h1", "severity": "info"},
        {"doc_id": "c22", "check": "superseded-template", "severity": "error"},
        {"doc_id": "c22", "check": "narrative-i7", "severity": "warning"},
        {"doc_id": "c22", "check": "unknown-publication-date", "severity": "info"},
    ])


def test_one_row_per_loaded_report_with_every_criterion():
    card = tk.compliance(_docs(), _cells(["a21", "a22", "b22", "c22"]), _issues(),
                         sections=_sections(["a21", "a22", "b22", "c22"]))
    assert sorted(card["doc_id"]) == ["a21", "a22", "b22", "c22"]  # the unreadable file is not scored
    for c in CRITERIA:
        assert c in card and f"{c}_issues" in card
    s = card.set_index("doc_id")
    assert s.loc["b22", "timeliness"] == 0 and s.loc["b22", "arithmetic"] == 0
    assert s.loc["b22", "arithmetic_issues"] == "identity-i1;identity-i3"
    assert s.loc["a22", "carry_over"] == 0 and "cross-year-h1" in s.loc["a22", "carry_over_issues"]
    assert s.loc["c22", "template"] == 0 and s.loc["c22", "narrative"] == 0
    assert np.isnan(s.loc["c22", "timeliness"])          # no date: cannot be judged
    assert np.isnan(s.loc["a21", "carry_over"])          # no previous report of the agency
    assert s.loc["a21", "carry_over"] != 0 and s.loc["a21", "score"] == 100.0
    assert s.loc["b22", "score"] < s.loc["a22", "score"] < 100
    assert list(card["score"]) == sorted(card["score"], reverse=True)
    assert (card["rank"].iloc[0] == 1) and card["n_errors"].sum() == 4


def test_score_is_the_weighted_mean_of_available_criteria():
    card = tk.compliance(_docs(), _cells(["a21", "a22", "b22", "c22"]), _issues(),
                         sections=_sections(["a21", "a22", "b22", "c22"]))
    row = card.set_index("doc_id").loc["b22"]
    w = pd.Series(DEFAULT_WEIGHTS)
    vals = row[list(CRITERIA)].astype(float)
    expected = 100 * (vals * w).sum() / w[vals.notna()].sum()
    assert row["score"] == pytest.approx(round(expected, 1))
    only_time = tk.compliance(_docs(), None, _issues(), weights={c: 0 for c in CRITERIA if c != "timeliness"})
    assert only_time.set_index("doc_id").loc["b22", "score"] == 0.0
    assert only_time.set_index("doc_id").loc["a22", "score"] == 100.0


def test_completeness_counts_sections_and_tables():
    secs = _sections(["a21"], ("s1", "s2", "s3", "s4", "s5"))
    card = tk.compliance(_docs().iloc[:1], _cells(["a21"], ("t2", "t3")), _issues().iloc[:0], sections=secs)
    r = card.iloc[0]
    assert r["completeness"] == pytest.approx(7 / 9) and r["missing_parts"] == "s6;t4"


def test_originality_from_template_share():
    share = pd.DataFrame({"doc_id": ["a21", "a22"], "share_other": [0.1, 0.0], "share_self": [0.0, 0.7]})
    card = tk.compliance(_docs(), None, _issues(), reuse=share).set_index("doc_id")
    assert card.loc["a21", "originality"] == pytest.approx(0.9)
    assert card.loc["a22", "originality"] == pytest.approx(0.3)
    assert np.isnan(card.loc["b22", "originality"])


def test_inputs_are_not_mutated_and_bad_arguments_are_named():
    docs, iss = _docs(), _issues()
    before = (docs.copy(), iss.copy())
    tk.compliance(docs, None, iss)
    pd.testing.assert_frame_equal(docs, before[0])
    pd.testing.assert_frame_equal(iss, before[1])
    with pytest.raises(tk.ArgumentError, match="weights"):
        tk.compliance(docs, None, iss, weights={"speed": 1})
    with pytest.raises(tk.ArgumentError, match="doc_id"):
        tk.compliance(pd.DataFrame({"x": [1]}), None, iss)


def test_works_on_a_minimal_frame_without_issues():
    card = tk.compliance(pd.DataFrame({"doc_id": ["a"], "text": ["…"]}), None, pd.DataFrame())
    assert len(card) == 1 and card["score"].iloc[0] == 100.0
