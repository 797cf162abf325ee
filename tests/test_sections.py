"""sections(): real reports (every complete 2019/2021 report has s1..s5) and synthetic layouts."""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import ArgumentError
from toolkit.sections import find_sections, sections


@pytest.fixture(scope="module")
def real_docs(real_dir):
    return tk.load_corpus(real_dir, progress=False)  # with the manifest: template/complete columns


@pytest.fixture(scope="module")
def real_sections(real_docs):
    return sections(real_docs)


def test_s1_to_s5_in_every_complete_template_report(real_docs, real_sections):
    complete = real_docs[(real_docs["complete"] == "yes") & real_docs["template"].isin(["2019", "2021"])]
    assert len(complete) >= 14
    for doc_id in complete["doc_id"]:
        found = real_sections.loc[real_sections["doc_id"] == doc_id, "section"].tolist()
        assert found[:5] == ["s1", "s2", "s3", "s4", "s5"], (doc_id, found)


def test_seed_has_no_s6(real_docs, real_sections):
    seed = real_docs.loc[real_docs["name"] == "seed_liubei_kjj_2020", "doc_id"].item()
    assert real_sections.loc[real_sections["doc_id"] == seed, "section"].tolist() == ["s1", "s2", "s3", "s4", "s5"]


def test_offsets_point_into_text(real_docs, real_sections):
    text = real_docs.set_index("doc_id")["text"]
    for r in real_sections.itertuples():
        assert text[r.doc_id][r.start:r.end] == r.text
        assert r.text.startswith(r.heading)
    # sections of a document do not overlap and are in order
    for _, g in real_sections.groupby("doc_id"):
        assert (g["start"].iloc[1:].to_numpy() == g["end"].iloc[:-1].to_numpy()).all()


def test_pre2019_real_reports_are_classified(real_docs, real_sections):
    old = real_docs.loc[real_docs["template"] == "pre2019", "doc_id"]
    kinds = real_sections[real_sections["doc_id"].isin(old)]
    for doc_id in old:
        got = kinds.loc[kinds["doc_id"] == doc_id, "section"].tolist()
        assert got[:2] == ["overview", "proactive"], got
    assert {"requests", "problems", "fees", "review_litigation"} <= set(kinds["section"])


# synthetic texts below are written for these tests
INLINE = ("示例局2021年度报告(合成) 本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
          "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况和其他需要报告的事项等六个部分。"
          "一、总体情况2021年,本局做了合成的工作。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数"
          "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量000二、上年结转政府信息公开申请数量000"
          "三、本年度办理结果（一）予以公开000四、结转下年度继续办理000"
          "四、政府信息公开行政复议、行政诉讼情况 0 0 0 五、存在的主要问题及改进情况 合成问题。六、其他需要报告的事项 无。")


def test_one_line_crawler_text_with_listing_intro():
    secs = find_sections(tk.normalize(INLINE), "2021")
    assert [s["section"] for s in secs] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    text = tk.normalize(INLINE)
    assert secs[0]["start"] == text.index("一、总体情况2021")          # not the intro listing
    assert secs[0]["heading"] == "一、总体情况"
    assert secs[3]["heading"] == "四、政府信息公开行政复议、行政诉讼情况"  # not 四、结转下年度继续办理
    assert secs[2]["heading"] == "三、收到和处理政府信息公开申请情况"


@pytest.mark.parametrize("heading, key", [
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "s4"),
    ("四、政府信息公开行政法复议、行政诉讼情况", "s4"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "s5"),
    ("五、存在的主要问题及改进措施", "s5"),
    ("一、概述", "s1"),
])
def test_heading_variants(heading, key):
    others = {"s1": "一、总体情况", "s2": "二、主动公开政府信息情况", "s3": "三、收到和处理政府信息公开申请情况",
              "s4": "四、政府信息公开行政复议、行政诉讼情况", "s5": "五、存在的主要问题及改进情况",
              "s6": "六、其他需要报告的事项"}
    others[key] = heading
    text = "\n".join(f"{h}\n合成正文。" for h in others.values())
    secs = find_sections(text, "2019")
    assert [s["section"] for s in secs] == list(others)
    assert secs[list(others).index(key)]["heading"] == heading


def test_traditional_headings_after_normalize():
    text = tk.normalize("一、總體情況\n略\n二、主動公開政府信息情況\n略\n三、收到和處理政府信息公開申請情況\n略")
    assert [s["section"] for s in find_sections(text, "2019")] == ["s1", "s2", "s3"]


@pytest.mark.parametrize("heading, kind", [
    ("一、概述", "overview"), ("二、主动公开政府信息情况", "proactive"),
    ("三、依申请公开政府信息和不予公开政府信息的情况", "requests"), ("四、政府信息公开的收费及减免情况", "fees"),
    ("五、因政府信息公开申请提起行政复议、行政诉讼的情况", "review_litigation"), ("六、咨询处理情况", "consultation"),
    ("七、机构建设和保障经费情况", "organization"), ("八、存在的主要问题和改进措施", "problems"),
    ("九、其他需要报告的事项", "other"), ("十、政府信息公开情况统计表", "statistics"),
])
def test_pre2019_kinds(heading, kind):
    headings = ["一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息和不予公开政府信息的情况",
                "四、政府信息公开的收费及减免情况", "五、因政府信息公开申请提起行政复议、行政诉讼的情况",
                "六、咨询处理情况", "七、机构建设和保障经费情况", "八、存在的主要问题和改进措施",
                "九、其他需要报告的事项", "十、政府信息公开情况统计表"]
    text = "\n".join(f"{h}\n合成正文,其中一是、二是不算标题。" for h in headings)
    secs = {s["heading"]: s["section"] for s in find_sections(text, "pre2019")}
    assert secs[heading] == kind and len(secs) == 10


def test_minimal_frame_and_missing_sections():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
                         "text": ["一、总体情况\n略\n二、主动公开政府信息情况\n略\n三、收到和处理政府信息公开申请情况\n略",
                                  "没有任何标题的合成文本", ""]})
    out = sections(docs)
    assert list(out.columns) == ["doc_id", "section", "heading", "text", "start", "end"]
    assert out["doc_id"].tolist() == ["a", "a", "a"] and out["section"].tolist() == ["s1", "s2", "s3"]
    assert docs.columns.tolist() == ["doc_id", "text"]  # input untouched


def test_sections_needs_doc_id_and_text():
    with pytest.raises(ArgumentError, match="doc_id"):
        sections(pd.DataFrame({"text": ["x"]}))


def test_part_numbered_headings():
    text = "第一部分 总体情况\n略\n第二部分 主动公开政府信息情况\n略\n第三部分 收到和处理政府信息公开申请情况\n略"
    secs = find_sections(text, "2021")
    assert [(s["section"], s["heading"]) for s in secs] == [
        ("s1", "第一部分 总体情况"), ("s2", "第二部分 主动公开政府信息情况"), ("s3", "第三部分 收到和处理政府信息公开申请情况")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_HEADS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
          "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


@settings(max_examples=150, deadline=None)
@given(keep=st.lists(st.booleans(), min_size=6, max_size=6),
       bodies=st.lists(st.text(alphabet="合成正文一二三、。,0123 \n|", max_size=40), min_size=7, max_size=7),
       sep=st.sampled_from(["\n", "", " "]))
def test_sections_property(keep, bodies, sep):
    """Offsets slice the text, sections are ordered and contiguous, the last one ends the text."""
    parts = [bodies[0]]
    for k, (h, body) in enumerate(zip(_HEADS, bodies[1:])):
        if keep[k]:
            parts.append(sep + h + sep + body)
    text = "".join(parts)
    secs = find_sections(text, "2021")
    assert all(s["section"] in {"s1", "s2", "s3", "s4", "s5", "s6"} for s in secs)
    assert [s["start"] for s in secs] == sorted(s["start"] for s in secs)
    for a, b in zip(secs, secs[1:]):
        assert a["end"] == b["start"]
    if secs:
        assert secs[-1]["end"] == len(text)
        assert all(text[s["start"]:s["end"]].startswith(s["heading"]) for s in secs)
    # every kept heading is found when it stands on a line of its own
    if sep == "\n":
        wanted = [f"s{k + 1}" for k in range(6) if keep[k]]
        assert [s["section"] for s in secs] == wanted


def test_listing_with_ordinals_is_not_headings():
    text = ("本报告包括一、总体情况、二、主动公开政府信息情况、三、收到和处理政府信息公开申请情况等部分。"
            "一、总体情况 正文。二、主动公开政府信息情况 表。三、收到和处理政府信息公开申请情况 表。"
            "四、政府信息公开行政复议、行政诉讼情况 表。五、存在的主要问题及改进情况 六、其他需要报告的事项 无。")
    secs = find_sections(text, "2021")
    assert [s["section"] for s in secs] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert secs[0]["start"] == text.index("一、总体情况 正文")
    assert secs[4]["end"] == secs[5]["start"]  # an empty 五 in one-line text is still a section
