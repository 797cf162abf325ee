"""Unit tests of toolkit.check: every slug fires on a constructed case, and only there (synthetic numbers)."""
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import check
from toolkit.checks import ISSUE_COLUMNS, deadline
from toolkit.checks.deadlines import parse_date
from toolkit.checks.narrative import quotes
from toolkit.errors import ArgumentError
from toolkit.synth.tables import consistent_cells


def _set(cells, table, row, col, value, *, status="ok", raw=None, doc=None):
    out = cells.copy()
    m = (out["table"] == table) & (out["row"] == row) & (out["col"] == col)
    if doc is not None:
        m &= out["doc_id"] == doc
    assert m.sum() == 1
    out.loc[m, "value"] = value
    out.loc[m, "status"] = status
    out.loc[m, "raw"] = raw if raw is not None else ("" if pd.isna(value) else str(value))
    return out


def _get(cells, table, row, col):
    m = (cells["table"] == table) & (cells["row"] == row) & (cells["col"] == col)
    return float(cells.loc[m, "value"].iloc[0])


@pytest.fixture
def cells():
    return consistent_cells("2021", seed=21, scale=40, doc_id="r1")


def test_consistent_report_has_no_issue_and_the_frame_has_the_contract(cells):
    out = check(cells)
    assert out.empty and list(out.columns) == ISSUE_COLUMNS


def test_input_is_not_modified(cells):
    before = cells.copy()
    check(_set(cells, "t4", "cases", "rev_upheld", 99))
    pd.testing.assert_frame_equal(cells, before)


def test_i4_message_quotes_the_numbers(cells):
    bad = _set(cells, "t4", "cases", "lit_direct_total", _get(cells, "t4", "cases", "lit_direct_total") + 2)
    out = check(bad)
    assert out["check"].tolist() == ["identity-i4"]
    row = out.iloc[0]
    assert row["observed"] - row["expected"] == 2 and row["col"] == "lit_direct_total" and row["severity"] == "error"
    assert "尚未审结" in row["message"] or "outcome" in row["message"]
    assert "t4.cases.lit_direct_upheld" in row["cells"]


def test_i1_and_i3_from_one_cell(cells):
    bad = _set(cells, "t3", "carried_to_next", "org_commercial", _get(cells, "t3", "carried_to_next", "org_commercial") + 1)
    out = check(bad)
    assert sorted(out["check"]) == ["identity-i1", "identity-i3"]
    i1 = out[out["check"] == "identity-i1"].iloc[0]
    assert i1["col"] == "org_commercial" and i1["expected"] + 1 == i1["observed"]


def test_i2_from_a_result_row(cells):
    bad = _set(cells, "t3", "r_deny_query", "natural_person", _get(cells, "t3", "r_deny_query", "natural_person") + 3)
    assert sorted(check(bad)["check"]) == ["identity-i2", "identity-i3"]


def test_blank_total_is_apart_from_mismatch(cells):
    row = next(r for r in ("r_granted", "r_unable_not_held", "new_received")
               if _get(cells, "t3", r, "total") > 0)
    bad = _set(cells, "t3", row, "total", pd.NA, status="blank", raw="")
    for bz in (False, True):
        out = check(bad, blank_as_zero=bz)
        assert "identity-i3" not in set(out["check"]) and "identity-i2" not in set(out["check"])
        assert "identity-i1" not in set(out["check"])
        assert "blank-total" in set(out["check"]) and "blank-cells" in set(out["check"])
    bt = check(bad).query("check == 'blank-total'")
    assert (bt["severity"] == "warning").all() and bt["observed"].isna().all()


def test_blank_cells_count_like_the_public_tool(cells):
    zeros = cells[(cells["table"] == "t3") & (cells["value"] == 0)].head(3)
    bad = cells
    for (_, r) in zeros.iterrows():
        bad = _set(bad, "t3", r["row"], r["col"], pd.NA, status="blank", raw="/")
    out = check(bad)
    assert out["check"].tolist() == ["blank-cells"]
    assert out.iloc[0]["observed"] == 3 and "表三存在3个空白或'/'单元格" in out.iloc[0]["message"]
    # blank zeros: with blank_as_zero the identities are evaluated and hold
    assert check(bad, blank_as_zero=True)["check"].tolist() == ["blank-cells"]


def test_blank_as_zero_evaluates_equations_with_blank_parts(cells):
    r = cells[(cells["table"] == "t3") & (cells["value"] > 0) & (cells["row"] == "r_granted")
              & (cells["col"] == "natural_person")]
    bad = _set(cells, "t3", "r_granted", "natural_person", pd.NA, status="blank", raw="")
    assert not r.empty
    assert "identity-i2" not in set(check(bad)["check"])
    assert {"identity-i2", "identity-i3"} <= set(check(bad, blank_as_zero=True)["check"])


def test_negative_and_non_integer(cells):
    bad = _set(cells, "t4", "cases", "rev_other", -1)
    bad = _set(bad, "t3", "r_noproc_repeat", "org_other", 0.5)
    out = check(bad)
    assert {"negative-value", "non-integer"} <= set(out["check"])
    assert out.query("check == 'negative-value'")["severity"].tolist() == ["error"]
    # a negative 本年增/减 in the 2019 format is fine
    c19 = _set(consistent_cells("2019", seed=1), "t2", "licensing", "delta_items", -4)
    assert check(c19).empty


def test_results_exceed_intake(cells):
    bad = _set(cells, "t3", "r_total", "org_research", _get(cells, "t3", "new_received", "org_research")
               + _get(cells, "t3", "carried_over_from_prev", "org_research") + 1)
    assert "results-exceed-intake" in set(check(bad)["check"])


def test_missing_table_row_ambiguous_duplicate_unknown(cells):
    no_t4 = cells[cells["table"] != "t4"]
    assert check(no_t4)["check"].tolist() == ["missing-table"]
    no_row = cells[~((cells["table"] == "t3") & (cells["row"] == "r_deny_query"))]
    out = check(no_row)
    assert out["check"].tolist() == ["missing-row"] and out.iloc[0]["row"] == "r_deny_query"
    miss = cells.assign(status=cells["status"].where(cells["row"] != "r_partial", "missing"))
    assert check(miss)["check"].tolist() == ["missing-row"]
    amb = _set(cells, "t3", "r_granted", "total", pd.NA, status="ambiguous", raw="12 3")
    assert check(amb)["check"].tolist() == ["ambiguous-cells"]
    dup = pd.concat([cells, cells.iloc[[0]]], ignore_index=True)
    assert check(dup)["check"].tolist() == ["duplicate-cell"]
    extra = pd.concat([cells, cells.iloc[[20]].assign(col="org_subtotal")], ignore_index=True)
    assert check(extra)["check"].tolist() == ["unknown-cell"]


def test_documents_without_cells_miss_their_tables():
    docs = pd.DataFrame({"doc_id": ["x", "y"], "template": ["2021", "pre2019"], "year": [2022, 2015],
                         "published": ["2023-01-10", "2016-03-01"], "level": ["department", "department"]})
    empty = consistent_cells("2021", seed=0).iloc[:0]
    out = check(empty, docs)
    assert out.query("doc_id == 'x'")["check"].tolist() == ["missing-table"] * 3
    assert out.query("doc_id == 'y'").empty


@pytest.mark.parametrize("year,level,due", [
    (2021, "department", "2022-01-31"), (2021, "province", "2022-03-31"), (2019, "department", "2020-01-31"),
    (2019, "township", "2020-03-31"), (2018, "department", "2019-03-31"), (2010, "city", "2011-03-31"),
    (2023, None, "2024-03-31"), (2023, "other", "2024-03-31")])
def test_deadline_rules(year, level, due):
    assert deadline(year, level) == dt.date.fromisoformat(due)


@pytest.mark.parametrize("year,level,published,slug", [
    (2021, "department", "2022-01-31", None), (2021, "department", "2022-02-01", "late-publication"),
    (2021, "county", "2022-03-31", None), (2021, "county", "2022-04-01", "late-publication"),
    (2018, "department", "2019-03-31", None), (2018, "department", "2019-04-01", "late-publication"),
    (2019, "department", "2020-02-01", "late-publication"), (2020, "district", "2021年3月31日", None),
    (2021, "department", None, "unknown-publication-date"), (2021, "city", "2021-12-30", "published-before-year-end"),
])
def test_publication_boundaries(year, level, published, slug):
    doc_id = "d"
    docs = pd.DataFrame({"doc_id": [doc_id], "year": [year], "level": [level], "published": [published]})
    cells = consistent_cells("2021" if year >= 2021 else "2019", seed=0, doc_id=doc_id)
    if year < 2019:
        cells = cells.iloc[:0]
    got = [s for s in check(cells, docs)["check"] if s not in ("superseded-template",)]
    assert got == ([slug] if slug else [])
    if slug == "late-publication":
        row = check(cells, docs).query("check == 'late-publication'").iloc[0]
        assert row["expected"] == deadline(year, level).isoformat() and row["observed"] == published


def test_parse_date():
    assert parse_date("2022/1/5") == dt.date(2022, 1, 5)
    assert parse_date(None) is None and parse_date(float("nan")) is None and parse_date("2022-02-30") is None


def test_superseded_template():
    docs = pd.DataFrame({"doc_id": ["old", "new", "ok"], "year": [2022, 2020, 2021]})
    cells = pd.concat([consistent_cells("2019", seed=1, doc_id="old"), consistent_cells("2021", seed=1, doc_id="new"),
                       consistent_cells("2021", seed=2, doc_id="ok")])
    out = check(cells, docs).query("check == 'superseded-template'")
    assert dict(zip(out["doc_id"], out["severity"])) == {"old": "error", "new": "warning"}


def _retotal(cells):
    """Recompute the 总计 column of table 3 (I3) after editing applicant columns."""
    out = cells.copy()
    t3 = out[(out["table"] == "t3") & (out["col"] != "total")].groupby(["doc_id", "row"])["value"].sum()
    m = (out["table"] == "t3") & (out["col"] == "total")
    out.loc[m, "value"] = [t3[(d, r)] for d, r in zip(out.loc[m, "doc_id"], out.loc[m, "row"])]
    out.loc[m, "raw"] = out.loc[m, "value"].astype(int).astype(str)
    return out


def _pair():
    """Two consecutive reports of one agency whose carry-over (I6) and 现行有效 (H1) agree."""
    prev = consistent_cells("2021", seed=1, doc_id="a2021")
    cur = consistent_cells("2021", seed=2, doc_id="a2022")
    for c in ("natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
              "org_other"):
        k = _get(cur, "t3", "carried_over_from_prev", c)
        from_prev = _get(prev, "t3", "carried_over_from_prev", c)
        intake = _get(prev, "t3", "r_total", c) + k
        if from_prev > intake:
            from_prev = 0
            prev = _set(prev, "t3", "carried_over_from_prev", c, 0)
        prev = _set(prev, "t3", "carried_to_next", c, k)
        prev = _set(prev, "t3", "new_received", c, intake - from_prev)
    prev = _retotal(prev)
    for r in ("regulations", "normative_docs"):
        cur = _set(cur, "t2", r, "in_force", _get(prev, "t2", r, "in_force") + _get(cur, "t2", r, "issued")
                   - _get(cur, "t2", r, "repealed") + 100)  # + 100 keeps it non-negative
        prev = _set(prev, "t2", r, "in_force", _get(prev, "t2", r, "in_force") + 100)
    docs = pd.DataFrame({"doc_id": ["a2021", "a2022"], "agency": ["某局", "某局 "], "year": [2021, 2022],
                         "published": ["2022-01-20", "2023-01-20"], "level": ["department"] * 2})
    return pd.concat([prev, cur], ignore_index=True), docs


def test_carry_over_i6_and_h1():
    cells, docs = _pair()
    assert check(cells, docs).empty
    assert check(cells.assign(value=cells["value"]), docs.assign(agency=["某局", "另一局"])).empty
    bad = _set(cells, "t3", "carried_to_next", "natural_person", 0, doc="a2021")  # breaks I6 (and I1/I3 of a2021)
    bad = bad[bad["doc_id"] == "a2021"]
    cur = cells[cells["doc_id"] == "a2022"]
    if _get(cur, "t3", "carried_over_from_prev", "natural_person") == 0:
        pytest.skip("seed gives no carry-over in this column")
    out = check(pd.concat([bad, cur]), docs)
    i6 = out.query("check == 'carry-over-i6'")
    assert i6["col"].tolist() == ["natural_person"] and i6["related_doc_id"].tolist() == ["a2021"]
    assert i6["doc_id"].tolist() == ["a2022"] and i6["severity"].tolist() == ["warning"]
    drift = _set(cells, "t2", "normative_docs", "in_force", 5000, doc="a2022")
    h1 = check(drift, docs).query("check == 'cross-year-h1'")
    assert h1["row"].tolist() == ["normative_docs"] and h1["severity"].tolist() == ["info"]


def test_h2_for_the_2019_format():
    prev = consistent_cells("2019", seed=1, doc_id="p")
    cur = consistent_cells("2019", seed=2, doc_id="c")
    cur = _set(cur, "t2", "fees", "prev_year_items", _get(prev, "t2", "fees", "prev_year_items")
               + _get(prev, "t2", "fees", "delta_items") + 5)
    docs = pd.DataFrame({"doc_id": ["p", "c"], "agency": ["乙局", "乙局"], "year": [2019, 2020]})
    h2 = check(pd.concat([prev, cur]), docs).query("check == 'cross-year-h2' and row == 'fees'")
    assert len(h2) == 1 and h2.iloc[0]["observed"] - h2.iloc[0]["expected"] == 5


@pytest.mark.parametrize("text,qty,n", [
    ("2022年，全区收到政府信息公开申请75件，涉及自然人72件", "new_received", 75),
    ("本年度新收政府信息公开申请12件，上年结转2件，结转下年度继续办理3件。", "carried_to_next", 3),
    ("本年度新收政府信息公开申请12件，上年结转2件。", "carried_over_from_prev", 2),
    ("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", "lit_total", 7),
    ("被申请行政复议1起。", "rev_total", 1),
])
def test_narrative_quotes(text, qty, n):
    assert [x for x, _ in quotes(text)[qty]] == [n]


@pytest.mark.parametrize("text", [
    "一、本年新收政府信息公开申请数量 713000074二、上年结转政府信息公开申请数量 1000001",  # table text, no 件
    "较上年收到申请50件有所增加",  # a comparison, not this year's count
    "行政复议、行政诉讼各0件",  # one number for two quantities
    "四、结转下年度继续办理 | 1 | 0 | 0 |",
    "收到申请后，予以公开12件",
])
def test_narrative_ignores_unclear_patterns(text):
    assert all(not v for v in quotes(text).values())


def test_narrative_i7_against_the_table(cells):
    new = int(_get(cells, "t3", "new_received", "total"))
    prev = int(_get(cells, "t3", "carried_over_from_prev", "total"))
    rev = int(_get(cells, "t4", "cases", "rev_total"))
    good = f"本年新收政府信息公开申请{new}件。全年共收到政府信息公开申请{new + prev}件。行政复议{rev}件。"
    bad = f"本年新收政府信息公开申请{new + 1000}件。被申请行政复议{rev + 1}件。"
    docs = pd.DataFrame({"doc_id": ["r1"], "text": [good]})
    assert check(cells, docs).empty
    out = check(cells, docs.assign(text=bad))
    assert out["check"].tolist() == ["narrative-i7", "narrative-i7"]
    assert set(out["observed"]) == {new + 1000, rev + 1}
    assert all("“" in m for m in out["message"])


def _cn(n: int) -> str:
    """Write 0 <= n < 10**8 in Chinese numerals, the standard way (test-side writer)."""
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def below(m: int, lead: bool) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, m = divmod(m, unit)
            if d:
                if zero or (not lead and not out and unit < 1000):
                    out += "零"
                out += ("" if (unit == 10 and d == 1 and lead and not out) else digits[d]) + name
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below(low, True)
    return below(high, True) + "万" + (below(low, False) if low else "")


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_read_back(n):
    from toolkit.numerals import chinese_int

    assert chinese_int(_cn(n)) == n, _cn(n)


def test_narrative_i7_reads_chinese_numerals(cells):
    new = int(_get(cells, "t3", "new_received", "total"))
    rev = int(_get(cells, "t4", "cases", "rev_total"))
    docs = pd.DataFrame({"doc_id": ["r1"], "text": [f"本年新收政府信息公开申请{_cn(new)}件。行政复议{_cn(rev)}起。"]})
    assert check(cells, docs).empty
    out = check(cells, docs.assign(text=f"本年新收政府信息公开申请{_cn(new + 12)}件。"))
    assert out["check"].tolist() == ["narrative-i7"] and out["observed"].tolist() == [new + 12]


def test_empty_section_5_with_a_given_sections_frame(cells):
    docs = pd.DataFrame({"doc_id": ["r1"], "text": ["..."]})
    secs = pd.DataFrame({"doc_id": ["r1", "r1"], "section": ["s5", "s6"],
                         "heading": ["五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
                         "text": ["五、存在的主要问题及改进情况\n无。", "无"]})
    out = check(cells, docs, sections=secs)
    assert out["check"].tolist() == ["empty-section-5"]
    full = secs.assign(text=["五、存在的主要问题及改进情况\n一是公开不够及时。", "无"])
    assert check(cells, docs, sections=full).empty


def test_bad_arguments(cells):
    with pytest.raises(ArgumentError, match="value"):
        check(cells.drop(columns=["value"]))
    with pytest.raises(ArgumentError):
        check(cells, tolerance=-1)


def test_many_reports_and_documents_with_errors():
    cells = pd.concat([consistent_cells("2021", seed=s, doc_id=f"d{s}") for s in range(20)])
    docs = pd.DataFrame({"doc_id": [f"d{s}" for s in range(20)], "status": ["ok"] * 19 + ["error"],
                         "year": [2021] * 20, "published": ["2022-01-01"] * 20, "level": ["city"] * 20})
    assert check(cells, docs, progress=False).empty


def test_template_is_inferred_from_the_keys_when_absent():
    for version in ("2019", "2021"):
        bad = consistent_cells(version, seed=3).drop(columns=["template"])
        bad.loc[bad["col"] == "rev_total", "value"] += 1
        assert check(bad)["check"].tolist() == ["identity-i4"]


def test_catalogue_is_documented_and_complete():
    import re
    from pathlib import Path

    import toolkit.checks as checks
    from toolkit.checks import CATALOGUE

    documented = dict(re.findall(r"^([a-z0-9-]+)\s{2,}(error|warning|info)\s", checks.__doc__, flags=re.M))
    assert documented == CATALOGUE
    source = "".join(p.read_text() for p in Path(checks.__file__).parent.glob("*.py"))
    emitted = set(re.findall(r'issue\([^,]+, "([a-z0-9-]+)"', source)) | {"identity-i1", "identity-i2",
                                                                           "identity-i3", "identity-i4"}
    assert emitted == set(CATALOGUE)


def test_conflicting_copies_of_one_report():
    a = consistent_cells("2021", seed=4, doc_id="site_a")
    b = consistent_cells("2021", seed=4, doc_id="site_b")
    docs = pd.DataFrame({"doc_id": ["site_a", "site_b"], "agency": ["丙局", "丙局"], "year": [2021, 2021]})
    assert check(pd.concat([a, b]), docs).empty
    b2 = _set(b, "t4", "cases", "rev_upheld", _get(b, "t4", "cases", "rev_upheld") + 1)
    b2 = _set(b2, "t4", "cases", "rev_total", _get(b, "t4", "cases", "rev_total") + 1)
    out = check(pd.concat([a, b2]), docs)
    assert out["check"].tolist() == ["conflicting-copies"]
    assert out.iloc[0]["observed"] == 2 and out.iloc[0]["related_doc_id"] == "site_a"


def test_empty_section_5_through_toolkit_sections(cells):
    text = ("一、总体情况\n本机关（合成示例）推进公开。\n二、主动公开政府信息情况\n略\n三、收到和处理政府信息公开申请情况\n略\n"
            "四、政府信息公开行政复议、行政诉讼情况\n略\n五、存在的主要问题及改进情况\n{s5}\n六、其他需要报告的事项\n无。")
    docs = pd.DataFrame({"doc_id": ["r1"], "text": [text.format(s5="暂无。")]})
    assert check(cells, docs)["check"].tolist() == ["empty-section-5"]
    docs = docs.assign(text=[text.format(s5="一是公开的及时性不够。二是将完善审核流程。")])
    assert check(cells, docs).empty
