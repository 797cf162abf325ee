"""Units of the table reader: values, splits of fused runs, readings and identities, label folding."""
from __future__ import annotations

import pytest

from toolkit import templates
from toolkit.tables.detect import Folded, detect_template, fold
from toolkit.tables.evidence import narrative_facts
from toolkit.tables.fused import cells_of, cross_filter, read_row, row_check
from toolkit.tables.grid import linearize
from toolkit.tables.text import read_region
from toolkit.tables.values import parse_value, splits, tokenize


@pytest.mark.parametrize("raw, value, status", [
    ("0", 0.0, "ok"), ("+1036", 1036.0, "ok"), ("-8", -8.0, "ok"), ("96171.6", 96171.6, "ok"),
    ("251000元", 251000.0, "ok"), ("2笔", 2.0, "ok"), ("21150.00", 21150.0, "ok"), ("1,234", 1234.0, "ok"),
    ("", None, "blank"), ("/", None, "blank"), ("-", None, "blank"), ("—", None, "blank"), ("－", None, "blank"),
    ("行政许可", None, "invalid"), ("1 2", None, "invalid"),
])
def test_parse_value(raw, value, status):
    assert parse_value(raw) == (value, status)


def test_tokens_keep_sign_decimals_units_and_blank_marks():
    toks = tokenize("2笔 984361元 | / | +1 -8 1000/01")
    assert [t.text for t in toks] == ["2笔", "984361元", "/", "+1", "-8", "1000", "/", "01"]
    assert [t.kind for t in toks][:3] == ["num", "num", "blank"]
    assert toks[1].value == 984361 and toks[1].unit == "元"


def test_splits_have_no_leading_zeros_and_never_cut_decimals():
    (tok,) = tokenize("100153")
    readings = {tuple(p.text for p in r) for r in splits(tok, 3)}
    assert readings == {("10", "0", "153"), ("100", "1", "53"), ("100", "15", "3"), ("1001", "5", "3")}
    (tok,) = tokenize("13575.52元")
    assert [tuple(p.text for p in r) for r in splits(tok, 2)] == [
        ("1", "3575.52元"), ("13", "575.52元"), ("135", "75.52元"), ("1357", "5.52元")]
    assert splits(tokenize("00")[0], 1) == [] and len(splits(tokenize("00")[0], 1, strict=False)) == 1


def test_row_identity_picks_the_split():
    rr = read_row(tokenize("713000074"), 7, check=row_check("t3", 7))
    assert [[p.value for p in r] for r in rr.readings] == [[71, 3, 0, 0, 0, 0, 74]]
    rr = read_row(tokenize("10203120001200000"), 15, check=row_check("t4", 15))
    assert len(rr.readings) == 1 and [p.value for p in rr.readings[0]][:5] == [1, 0, 2, 0, 3]


def test_report_breaking_its_identity_keeps_what_it_prints():
    rr = read_row(tokenize("1 0 0 0 0 0 2"), 7, check=row_check("t3", 7))
    assert rr.how == "direct" and [p.value for p in rr.readings[0]] == [1, 0, 0, 0, 0, 0, 2]
    rr = read_row(tokenize("1000002"), 7, check=row_check("t3", 7))  # unique split, breaks I3
    assert [[p.value for p in r] for r in rr.readings] == [[1, 0, 0, 0, 0, 0, 2]]


def test_fewer_values_than_cells_places_blanks_where_the_identity_holds():
    rr = read_row(tokenize("5 4 0 1 0 10"), 7, check=row_check("t3", 7))
    cells = cells_of(rr, 7)
    assert [c.status for c in cells] == ["ambiguous"] * 7
    assert cells[-1].candidates == [10.0, None] and None in cells[0].candidates
    # a lost cell (spaces are printed, so not the split 1|3): the blank could be anywhere
    cells = cells_of(read_row(tokenize("13 1 0 0 0 1"), 7, check=row_check("t3", 7)), 7)
    assert [c.status for c in cells] == ["ambiguous"] * 7 and cells[0].candidates == [13.0, None]


def test_more_values_than_cells():
    rr = read_row(tokenize("1 0 0 0 0 0 1 9"), 7, check=row_check("t3", 7))
    assert [p.value for p in rr.readings[0]] == [1, 0, 0, 0, 0, 0, 1]
    cells = cells_of(read_row(tokenize("1 2 3 4"), 3), 3)
    assert [c.status for c in cells] == ["ambiguous"] * 3 and cells[0].candidates == [1.0, 2.0]


def test_cross_filter_uses_i1_and_i2():
    t21 = templates.get("2021")
    b3 = t21.table("t3").blocks[0]
    eqs = [e for e in t21.equations() if e.identity in ("I1", "I2")]
    zero = tuple(tokenize("0 0 0 0 0 0 0"))
    rows = {k: read_row(zero, 7).readings for k in b3.row_keys}
    rows["new_received"] = read_row(tokenize("2 0 0 0 0 0 2"), 7).readings
    rows["r_total"] = read_row(tokenize("2 0 0 0 0 0 2"), 7).readings
    two = read_row(tokenize("2000002"), 7).readings + read_row(tokenize("0 0 0 0 0 0 0"), 7).readings
    rows["r_granted"] = two
    out = cross_filter(rows, b3.col_keys, eqs)
    assert [[p.value for p in r] for r in out["r_granted"]] == [[2, 0, 0, 0, 0, 0, 2]]
    assert out["new_received"] == rows["new_received"]


def test_folding_ignores_brackets_quotes_spaces_and_line_breaks():
    assert fold("3.危及\"三安全一稳定\"") == fold("3、危及“三安全一稳定”") == "3危及三安全一稳定"
    f = Folded("（三）不\n予公开 | 1.属于")
    p = f.find("不予公开")
    assert f.text[slice(*f.span(p, 4))] == "不\n予公开"


def test_detect_template_from_labels():
    assert detect_template("本年新制作数量 本年新公开数量", year=2023) == "2019"
    assert detect_template("本年制发件数 现行有效件数", year=2019) == "2021"
    assert detect_template("一、概述 二、主动公开政府信息情况", year=2012) is None


def test_read_region_pipes_and_plain():
    toks, explicit, _ = read_region(" | 0 | | 5 |\n")
    assert explicit and [t.text for t in toks] == ["0", "", "5"]
    toks, explicit, _ = read_region("（区分处理的，只计这一情\n形，不计其他情形）\n447 7 0 0 0 0 454\n（三）不\n予公开\n1.属于")
    assert not explicit and [t.text for t in toks] == ["447", "7", "0", "0", "0", "0", "454"]
    toks, _, _ = read_region("00000002.其他法律行政法规")
    assert [t.text for t in toks] == ["0000000"]


def test_narrative_facts():
    f = narrative_facts("2021年发布规范性文件20份。全年收到政府信息公开申请23件。", "2021")
    assert f[("t2", "normative_docs", "issued")] == [20.0]
    assert f[("t3", "new_received", "total")] == [23.0]
    assert narrative_facts("政策、规范性文件类信息68条", "2019") == {}


def test_linearize_grid():
    grid = [[[{"text": "行政许可", "rowspan": 1, "colspan": 1}, {"text": "1|2", "rowspan": 1, "colspan": 3}]]]
    assert linearize(grid) == "行政许可 | 1 2 |"


def test_narrative_facts_for_regulations_and_sums_are_skipped():
    f = narrative_facts("本年度制定规章2部，废止规范性文件3件。", "2021")
    assert f[("t2", "regulations", "issued")] == [2.0] and f[("t2", "normative_docs", "repealed")] == [3.0]
    assert narrative_facts("制发政府规章和规范性文件共4件", "2021") == {}


def test_long_fused_run_is_split_where_i3_holds():
    rr = read_row(tokenize("300153006143119"), 7, check=row_check("t3", 7))
    assert [[p.value for p in r] for r in rr.readings] == [[3001, 53, 0, 0, 61, 4, 3119]]


def test_spaced_table_reads_a_short_row_as_lost_cells_not_a_split():
    toks = tokenize("2 0 0 1 1 26")
    fused = read_row(toks, 7, check=row_check("t3", 7))
    assert [[p.value for p in r] for r in fused.readings] == [[2, 0, 0, 1, 1, 2, 6]]  # the split satisfies I3
    spaced = cells_of(read_row(toks, 7, check=row_check("t3", 7), spaced=True), 7)
    assert all(c.status == "ambiguous" for c in spaced) and spaced[-1].candidates == [26.0, None]
