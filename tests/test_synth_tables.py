"""The synthetic table generator, its perturbations and its layouts (numbers are synthetic)."""
import re

import pandas as pd
import pytest
from lxml import html as lhtml

from toolkit import templates
from toolkit.errors import ArgumentError
from toolkit.synth.layouts import grid
from toolkit.synth.tables import LAYOUTS, consistent_cells, perturb, render, to_documents, write_docx


def _pivot(cells, table):
    t = cells[cells["table"] == table]
    return {(r, c): v for r, c, v in zip(t["row"], t["col"], t["value"])}


def _plain_identity_failures(cells):
    """I1-I4 recomputed with plain arithmetic (not with Template.equations)."""
    t3, t4 = _pivot(cells, "t3"), _pivot(cells, "t4")
    version = cells["template"].iloc[0]
    rows = [r for r, _ in t3 if True]
    rows = list(dict.fromkeys(rows))
    cols = ["natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
            "org_other", "total"]
    results = [r for r in rows if r.startswith("r_") and r != "r_total"]
    assert len(results) == (19 if version == "2019" else 21)
    bad = set()
    for c in cols:
        if t3["new_received", c] + t3["carried_over_from_prev", c] != t3["r_total", c] + t3["carried_to_next", c]:
            bad.add(("I1", c))
        if sum(t3[r, c] for r in results) != t3["r_total", c]:
            bad.add(("I2", c))
    for r in rows:
        if sum(t3[r, c] for c in cols[:-1]) != t3[r, "total"]:
            bad.add(("I3", r))
    for p in ("rev", "lit_direct", "lit_after_rev"):
        if sum(t4["cases", f"{p}_{k}"] for k in ("upheld", "corrected", "other", "pending")) != t4["cases", f"{p}_total"]:
            bad.add(("I4", p))
    return bad


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(8))
def test_generated_tables_are_consistent(version, seed):
    cells = consistent_cells(version, seed=seed, scale=[0, 3, 30, 400][seed % 4])
    assert list(cells.columns) == ["doc_id", "template", "table", "row", "col", "value", "raw", "status",
                                   "candidates"]
    assert [tuple(k) for k in cells[["table", "row", "col"]].values] == templates.keys(version)
    assert _plain_identity_failures(cells) == set()
    t34 = cells[cells["table"].isin(["t3", "t4"])]["value"]
    assert (t34 >= 0).all() and (t34 == t34.round()).all()
    assert (cells["status"] == "ok").all()


def test_seeded_and_varied():
    a, b = consistent_cells("2021", seed=5), consistent_cells("2021", seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not consistent_cells("2021", seed=6)["value"].equals(a["value"])
    assert consistent_cells("2021", seed=0, scale=0)[lambda d: d.table == "t3"]["value"].sum() == 0


def test_2019_signed_deltas_and_amounts_are_plausible():
    cells = pd.concat([consistent_cells("2019", seed=s) for s in range(10)])
    delta = cells[cells["col"] == "delta_items"]
    assert (delta["value"] < 0).any() and delta["raw"].str.startswith("+").any()
    amount = cells[cells["col"] == "procurement_amount"]["value"]
    assert (amount > 0).all()


@pytest.mark.parametrize("identity", ["I1", "I2", "I3", "I4"])
def test_perturb_breaks_the_chosen_identity_and_lists_every_break(identity):
    cells = consistent_cells("2021", seed=3)
    p = perturb(cells, identity=identity, seed=11)
    assert len(p.changed) == 1
    assert identity in {i for i, _, _ in p.breaks}
    # the input is not modified and exactly one cell differs
    assert _plain_identity_failures(cells) == set()
    diff = (p.cells["value"] != cells["value"]).sum()
    assert diff == 1
    # the breaks it announces are those plain arithmetic finds
    found = _plain_identity_failures(p.cells)
    assert len(found) == len(p.breaks)


def test_perturb_blank_total_and_blank_cells():
    cells = consistent_cells("2019", seed=4, scale=60)
    p = perturb(cells, identity="I3", kind="blank_total", seed=1)
    (_, table, left), = p.blank_totals
    assert p.cells.set_index(["table", "row", "col"]).loc[(table, *left[0]), "status"] == "blank"
    q = perturb(cells, kind="blank_cells", seed=2)
    assert 1 <= q.notes["n_blank"] <= 3 and set(r[4] for r in q.changed) <= {"", "/"}
    with pytest.raises(ArgumentError):
        perturb(cells, identity="I1", kind="blank_total")
    with pytest.raises(ArgumentError):
        perturb(pd.concat([cells, consistent_cells("2019", seed=5)]), identity="I1")


def _numbers(text):
    return re.findall(r"[+-]?\d+(?:\.\d+)?", text)


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_prints_every_label_and_value(version, layout):
    cells = consistent_cells(version, seed=7)
    text = render(cells, layout=layout, seed=1)
    flat = re.sub(r"\s|<br/>", "", text).replace("(", "（").replace(")", "）")
    tpl = templates.get(version)
    for t in tpl.tables.values():
        for b in t.blocks:
            for r in b.rows:
                if r.key != "cases":
                    assert re.sub(r"\s", "", r.label) in flat, (layout, r.label)
    if layout not in ("crawler_fused",):
        nums = _numbers(re.sub(r"(?m)^- \d+ -$", "", text))
        for raw in cells["raw"]:
            assert raw in nums or raw.lstrip("+") in nums, (layout, raw)


def test_html_spans_match_the_official_template():
    for version, vertical_span in (("2019", 20), ("2021", 22)):
        page = lhtml.fromstring(render(consistent_cells(version, seed=1), layout="html"))
        tables = page.findall(".//table")
        assert len(tables) == 3
        tds = {td.text_content(): td for td in tables[1].iter("td")}
        assert int(tds["三、本年度办理结果"].get("rowspan")) == vertical_span
        assert int(tds["（三）不予公开"].get("rowspan")) == 8
        if version == "2021":
            assert int(tds["（六）其他处理"].get("rowspan")) == 3
            values = [td for td in tables[0].iter("td") if td.get("colspan") == "3"]
            assert len(values) == 7  # (五)(六)(八): 3 headers + 4 value cells
        else:
            assert tds["（六）其他处理"].get("colspan") == "2"


def test_pdf_text_has_vertical_label_and_page_number():
    text = render(consistent_cells("2021", seed=2), layout="pdf_text", seed=3)
    lines = text.splitlines()
    assert "三、" in lines and "本" in lines and "果" in lines
    assert any(re.fullmatch(r"- \d+ -", ln) for ln in lines)
    assert any(ln.startswith("（三）不 ") for ln in lines)


def test_docx_has_merged_cells(tmp_path):
    import docx

    path = write_docx(consistent_cells("2021", seed=1), tmp_path / "r.docx", narrative="一、总体情况\n合成")
    d = docx.Document(str(path))
    assert len(d.tables) == 3
    t3 = d.tables[1]
    assert t3.cell(5, 0).text == t3.cell(20, 0).text == "三、本年度办理结果"
    assert t3.cell(0, 0).text == t3.cell(2, 2).text  # header note spans 3x3


@pytest.mark.parametrize("layout", [*LAYOUTS, "docx"])
def test_to_documents(layout):
    cells = pd.concat([consistent_cells("2021", seed=1, doc_id="a"), consistent_cells("2019", seed=2, doc_id="b")])
    docs = to_documents(cells, layout=layout)
    assert docs["doc_id"].tolist() == ["a", "b"]
    assert docs["text"].str.contains("本年新收政府信息公开申请").all()
    assert docs["text"].str.contains("合成").all()
    if layout in ("html", "docx"):
        assert isinstance(docs["tables"].iloc[0], list) and len(docs["tables"].iloc[0]) == 3


def test_grid_rows_have_consistent_width():
    for version in ("2019", "2021"):
        g = grid(consistent_cells(version, seed=0))
        from toolkit.synth.table_files import _occupancy

        for key, width in (("t2", 4), ("t3", 10), ("t4", 15)):
            pos, w = _occupancy(g[key])
            assert w == width


def test_variants_and_traditional_script():
    from toolkit.normalize import normalize
    from toolkit.synth.layouts import vary_labels

    cells = consistent_cells("2021", seed=3)
    g = grid(cells)
    texts = set()
    for s in range(16):
        v = vary_labels(g, seed=s)
        assert [c["text"] for row in v["t3"] for c in row if c["kind"] == "value"] == \
            [c["text"] for row in g["t3"] for c in row if c["kind"] == "value"]
        texts.add(render(cells, layout="pipe_row_per_line", variants=True, seed=s))
    assert len(texts) > 4
    trad = render(cells, layout="pipe_row_per_line", script="traditional")
    assert "辦理結果" in trad and "办理结果" not in trad
    assert "三、本年度办理结果" in normalize(trad)


@pytest.mark.parametrize("layout,suffix", [("html", ".html"), ("docx", ".docx"), ("pdf_text", ".txt")])
def test_write_report(tmp_path, layout, suffix):
    from toolkit.synth.tables import write_report

    p = write_report(consistent_cells("2019", seed=1), tmp_path / "r", layout=layout, script="traditional")
    assert p.suffix == suffix and p.stat().st_size > 1000
