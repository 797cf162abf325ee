"""facts(): figures stated in report text, with concepts, ranks and offsets."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit.errors import ArgumentError
from toolkit.facts import CONCEPTS, FACT_COLUMNS


def _facts(text: str) -> pd.DataFrame:
    return tk.facts(pd.DataFrame({"doc_id": ["d"], "text": [text]}))


# our own sentences, in the manner of pre-2019 reports
@pytest.mark.parametrize("sentence, concept, value, unit", [
    ("全年共收到政府信息公开申请15件。", "requests_received", 15, "件"),
    ("2012年全县共收到有关政府信息公开的申请21条，", "requests_received", 21, "条"),
    ("其中网上申请数3条。", "requests_received", 3, "条"),
    ("对依申请公开的答复总数18条。", "requests_answered", 18, "条"),
    ("对申请人的申请，同意公开答复数12条。", "requests_granted", 12, "条"),
    ("对申请人的申请，同意部分公开9件。", "requests_partly", 9, "件"),
    ("本年度答复申请时不予公开3件。", "requests_refused", 3, "件"),
    ("上年度结转申请4件。", "requests_carried_over", 4, "件"),
    ("因政府信息公开引起的行政复议案件2件。", "admin_review", 2, "件"),
    ("提起行政诉讼1起。", "litigation", 1, "起"),
    ("收到举报投诉5件。", "complaints", 5, "件"),
    ("全年收取检索费、复制费共计120.5元。", "fees", 120.5, "元"),
    ("接受群众咨询320人次。", "consultations", 320, "人次"),
    ("全年发布政策解读材料36篇。", "interpretations", 36, "篇"),
    ("召开新闻发布会8场。", "press_conferences", 8, "场"),
    ("政府信息公开专栏访问量达19363人次。", "site_visits", 19363, "人次"),
    ("组织业务培训6次。", "training", 6, "次"),
    ("全年主动公开政府信息1853条。", "proactive_items", 1853, "条"),
    ("全年共收到政府信息公开申请十二件。", "requests_received", 12, "件"),
    ("刊出政务公开栏12期。", None, 12, "期"),
])
def test_sentence_gives_its_fact(sentence, concept, value, unit):
    f = _facts(sentence)
    assert len(f) == 1, f
    row = f.iloc[0]
    assert (row["concept"], row["value"], row["unit"], row["rank"]) == (concept, value, unit, 1)
    assert sentence[row["start"]:row["end"]] == row["raw"]


@pytest.mark.parametrize("prose", [
    "我们从以下三个方面开展工作。",  # numerals in prose
    "做到办结一件申请、解决一个问题。",  # a noun follows the unit: not a count
    "根据《条例》第十三条规定。",  # an ordinal
    "主动公开政府信息情况 第二 十条第（一）项",  # an ordinal broken by a space
    "2012年1月1日至2012年12月31日。",  # dates
    "联系电话：0591-12345678。",
])
def test_prose_gives_no_fact(prose):
    assert _facts(prose).empty


def test_ranks_count_mentions_of_a_concept_in_text_order():
    f = _facts("全县共收到有关政府信息公开的申请7条，其中网上申请数3条，信函申请数4条。行政复议1件。")
    rr = f[f["concept"] == "requests_received"]
    assert rr["rank"].tolist() == [1, 2, 3] and rr["value"].tolist() == [7, 3, 4]
    assert f.loc[f["concept"] == "admin_review", "rank"].tolist() == [1]
    assert list(f.columns) == FACT_COLUMNS


def test_facts_are_labelled_with_their_section_and_read_from_a_sections_filter():
    text = ("前言：本年度主动公开政府信息5条。\n一、概述\n全年主动公开政府信息30条。\n"
            "二、依申请公开政府信息情况\n全年共收到政府信息公开申请12件。\n")
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    f = tk.facts(docs)
    assert f["section"].tolist() == [None, "s1", "s3"]
    assert all(text[s:e] == r for s, e, r in zip(f["start"], f["end"], f["raw"]))
    only = tk.facts(docs, sections="s3")
    assert only["value"].tolist() == [12] and text[only["start"].iloc[0]:only["end"].iloc[0]] == "12件"


@given(st.sampled_from(["全年共收到政府信息公开申请", "行政复议案件", "召开新闻发布会", "组织业务培训"]),
       st.integers(min_value=0, max_value=10**7), st.sampled_from(["。", "，", "；", ""]))
def test_any_printed_number_is_read_as_printed(label, n, end):
    unit = {"召开新闻发布会": "场", "组织业务培训": "次"}.get(label, "件")
    f = _facts(f"本年度{label}{n}{unit}{end}")
    assert f["value"].tolist() == [n] and f["raw"].tolist() == [f"{n}{unit}"] and f["concept"].iloc[0] in CONCEPTS


def test_bad_input_names_the_problem():
    with pytest.raises(ArgumentError, match="text"):
        tk.facts(pd.DataFrame({"doc_id": ["a"]}))


def test_real_reports_narrative_facts_agree_with_the_gold_tables(real_dir, gold_dir):
    """On the 2019+ real reports, the first 'requests received' figure of the text is the table's
    new_received total (or new + carried over), and the first 行政复议 figure is its rev_total."""
    docs = tk.load_corpus(real_dir, progress=False)
    f = tk.facts(docs)
    f["stem"] = f["doc_id"].str.rsplit("-", n=1).str[0]
    gold = pd.concat([pd.read_csv(p) for p in sorted(gold_dir.glob("*.csv"))])

    def cell(doc, table, row, col):
        v = gold[(gold["doc"] == doc) & (gold["table"] == table) & (gold["row"] == row) & (gold["col"] == col)]["value"]
        return float(v.iloc[0]) if len(v) and pd.notna(v.iloc[0]) else 0.0

    checked = 0
    for (stem, concept), g in f[f["rank"] == 1].groupby(["stem", "concept"]):
        if stem not in set(gold["doc"]):
            continue
        new, prev = cell(stem, "t3", "new_received", "total"), cell(stem, "t3", "carried_over_from_prev", "total")
        if concept == "requests_received":
            assert g["value"].iloc[0] in (new, new + prev), (stem, g["context"].iloc[0])
            checked += 1
        elif concept == "admin_review":
            assert g["value"].iloc[0] == cell(stem, "t4", "cases", "rev_total"), (stem, g["context"].iloc[0])
            checked += 1
    assert checked >= 8
    # and the pre-2019 county report of 2013 states its figures in sentences only
    ptx = f[(f["stem"] == "pingtan_ptx_2013") & (f["rank"] == 1)].set_index("concept")["value"]
    assert ptx["requests_received"] == 7 and ptx["requests_answered"] == 3 and ptx["site_visits"] == 19363
