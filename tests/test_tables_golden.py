"""Golden test: table cells of every real report with a gold file, read through toolkit.load_corpus.

The gold records what each document prints (templates.md §10): every ``ok`` cell must be equal,
every ``blank`` cell blank, every ``ambiguous`` cell flagged ambiguous with the gold's candidate
readings (listed in its ``note``) among ours.
"""
from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk


@pytest.fixture(scope="module")
def parsed(real_dir):
    docs = tk.load_corpus(real_dir, progress=False)
    cells = tk.extract_cells(docs, progress=False)
    stem = {r.doc_id: Path(str(r.path)).stem for r in docs.itertuples()}
    return docs, cells.assign(doc=cells["doc_id"].map(stem))


def _gold_files(gold_dir: Path) -> list[Path]:
    return sorted(gold_dir.glob("*.csv"))


def _note_candidates(note: str) -> list[float | None]:
    m = re.search(r"candidates for this cell: ([^;]+)", note or "")
    assert m, f"gold note without candidates: {note!r}"
    out = []
    for x in m.group(1).split(","):
        x = x.strip()
        out.append(None if x == "blank" else float(re.sub(r"[^\d.+-]", "", x)))
    return out


def test_every_gold_cell(parsed, gold_dir):
    _, cells = parsed
    files = _gold_files(gold_dir)
    assert len(files) >= 14
    failures = []
    for f in files:
        gold = pd.read_csv(f, dtype={"raw": str})
        got = cells[cells["doc"] == f.stem].set_index(["table", "row", "col"])
        assert not got.empty, f"no cells for {f.stem}"
        assert set(got["template"]) == set(gold["template"].astype(str)), f.stem
        for g in gold.itertuples():
            c = got.loc[(g.table, g.row, g.col)]
            if g.status == "ok":
                good = c.status == "ok" and not pd.isna(c.value) and math.isclose(float(c.value), float(g.value),
                                                                                 abs_tol=1e-6)
            elif g.status == "blank":
                good = c.status == "blank" and pd.isna(c.value)
            elif g.status == "ambiguous":
                want = _note_candidates(g.note)
                have = c.candidates if isinstance(c.candidates, list) else []
                good = c.status == "ambiguous" and all(
                    any((w is None and h is None) or (w is not None and h is not None and math.isclose(w, h))
                        for h in have) for w in want)
            else:
                continue
            if not good:
                failures.append((f.stem, g.table, g.row, g.col, g.status, g.value, c.status, c.value))
    assert not failures, failures[:10]


def test_crawler_text_and_page_html_give_the_same_cells(parsed):
    _, cells = parsed
    a = cells[cells["doc"] == "pingtan_syq_2022"].set_index(["table", "row", "col"])
    b = cells[cells["doc"] == "pingtan_syq_2022_page"].set_index(["table", "row", "col"])
    assert len(a) == len(b) == 200
    pd.testing.assert_series_equal(a["value"], b["value"].reindex(a.index), check_names=False)
    assert (a["status"] == b["status"].reindex(a.index)).all()


def test_reports_before_2019_give_no_cells(parsed):
    docs, cells = parsed
    old = docs[docs["year"] < 2019]["doc_id"]
    assert len(old) >= 5
    assert not cells["doc_id"].isin(old).any()


def test_ambiguous_cells_are_never_guessed(parsed):
    _, cells = parsed
    amb = cells[cells["status"] == "ambiguous"]
    assert len(amb) > 0
    assert amb["value"].isna().all()
    assert amb["candidates"].map(lambda c: isinstance(c, list) and len(c) >= 2).all()


def test_wide_gives_the_table_as_printed(parsed):
    _, cells = parsed
    doc = cells.loc[cells["doc"] == "huaian_city_2024", "doc_id"].iloc[0]
    w = tk.wide(cells, "t3", doc_id=doc)
    assert list(w.columns) == ["natural_person", "org_commercial", "org_research", "org_public_welfare",
                               "org_legal_service", "org_other", "total"]
    assert w.index[0] == "new_received" and w.index[-1] == "carried_to_next" and len(w) == 25
    # the printed identities hold on this report: I3 on every row
    assert (w.iloc[:, :6].sum(axis=1) == w["total"]).all()


def test_official_empty_template_is_all_blank(template_docx, tmp_path):
    shutil.copy(template_docx, tmp_path / "template_2021.docx")  # a temporary copy, never in the repository
    docs = tk.load_corpus(tmp_path, progress=False, manifest=False)
    cells = tk.extract_cells(docs, progress=False)
    assert len(cells) == len(tk.templates.keys("2021"))
    assert set(cells["template"]) == {"2021"}
    assert (cells["status"] == "blank").all(), cells[cells["status"] != "blank"].head()
    assert cells["value"].isna().all()


def test_official_empty_template_through_python_docx(template_docx):
    from toolkit.tables.grid import docx_tables

    docs = pd.DataFrame({"doc_id": ["template"], "text": [""], "tables": [docx_tables(template_docx)]})
    cells = tk.extract_cells(docs, progress=False)
    assert set(cells["template"]) == {"2021"} and (cells["status"] == "blank").all() and len(cells) == 200
