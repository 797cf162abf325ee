"""extract_cells on small hand-written SYNTHETIC inputs, one per layout of templates.md §8.

Labels come from the template specs; every number here is made up for the test.
"""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit import templates
from toolkit.tables.grid import html_tables

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.PerformanceWarning")

T3_COLS = ["natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
           "org_other", "total"]


def _t3_values(version: str) -> dict[str, list[int]]:
    """A consistent synthetic table 3 (I1, I2, I3 hold)."""
    rows = templates.get(version).table("t3").blocks[0].row_keys
    res = {r: [0] * 6 for r in rows}
    res["r_granted"] = [12, 3, 0, 0, 1, 0]
    res["r_partial"] = [4, 0, 0, 0, 0, 1]
    res["r_unable_not_held"] = [7, 2, 0, 0, 0, 0]
    res["r_deny_process"] = [2, 0, 0, 0, 0, 0]
    results = [r for r in rows if r not in ("new_received", "carried_over_from_prev", "r_total", "carried_to_next")]
    res["r_total"] = [sum(res[r][j] for r in results) for j in range(6)]
    res["carried_to_next"] = [1, 0, 0, 0, 0, 0]
    res["carried_over_from_prev"] = [2, 0, 0, 0, 0, 0]
    res["new_received"] = [res["r_total"][j] + res["carried_to_next"][j] - res["carried_over_from_prev"][j]
                           for j in range(6)]
    return {r: v + [sum(v)] for r, v in res.items()}


T4 = [1, 0, 2, 0, 3, 0, 1, 0, 1, 2, 0, 0, 0, 1, 1]


def _docs(text: str, **extra) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": "synthetic", "text": text, **extra}])


def _cells(text: str, **extra) -> pd.DataFrame:
    return tk.extract_cells(_docs(text, **extra), progress=False).set_index(["table", "row", "col"])


def _assert_t3(cells: pd.DataFrame, version: str) -> None:
    for row, vals in _t3_values(version).items():
        got = [cells.loc[("t3", row, c), "value"] for c in T3_COLS]
        assert got == vals, (row, got, vals)
        assert (cells.loc[("t3", row)]["status"] == "ok").all()


def _assert_t4(cells: pd.DataFrame) -> None:
    assert cells.loc["t4"]["value"].tolist() == T4


def _t3_labels(version: str) -> list[tuple[str, str]]:
    return [(r.key, r.label) for r in templates.get(version).table("t3").blocks[0].rows]


T4_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
             "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2


# ---- pipe-flattened, one cell per line (the seed's layout), 2019 template --------------------------
def test_pipe_one_cell_per_line_2019():
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项 | |||", "信息内容 |", "本年新制作数量 |", "本年新公开数量 |",
             "对外公开总数量 |", "规章 |", "1 |", "1 |", "5 |", "规范性文件 |", "3 |", "2 |", "40 |",
             "第二十条第(五)项 | |||", "信息内容 |", "上一年项目数量 |", "本年增/减 |", "处理决定数量 |",
             "行政许可 |", "30 |", "+1036 |", "17 |", "其他对外管理服务事项 |", "4 |", "-2 |", "0 |",
             "第二十条第(六)项 | |||", "信息内容 |", "上一年项目数量 |", "本年增/减 |", "处理决定数量 |",
             "行政处罚 |", "9 |", "0 |", "120 |", "行政强制 |", "1 |", "0 |", "2 |",
             "第二十条第(八)项 | |||", "信息内容 |", "上一年项目数量 |", "本年增/减 | |", "行政事业性收费 |", "/ |",
             "— | |", "第二十条第(九)项 | |||", "信息内容 |", "采购项目数量 |", "采购总金额 | |", "政府集中采购 |",
             "3 |", "251000元 |", "三、收到和处理政府信息公开申请情况", "申请人情况 | ||||||||", "自然人 |",
             "法人或其他组织 |", "总计 | |||||||", "商业企业 |", "科研机构 |", "社会公益组织 |", "法律服务机构 |",
             "其他 | |||||"]
    vals = _t3_values("2019")
    for key, label in _t3_labels("2019"):
        if key == "r_granted":
            lines.append("三、本年度办理结果 |")
        if key == "r_deny_state_secret":
            lines.append("(三)不予公开 |")
        lines.append(label.replace("（", "(").replace("）", ")") + " |")
        lines += [f"{v} |" for v in vals[key][:-1]] + [f"{vals[key][-1]} | ||"]
    lines += ["四、政府信息公开行政复议、行政诉讼情况"] + [f"{h} |" for h in T4_HEADER[:-1]] + [f"{T4_HEADER[-1]} | |||||"]
    lines += [f"{v} |" for v in T4] + ["五、存在的主要问题及改进情况", "(一)示例问题"]
    cells = _cells("\n".join(lines))
    assert set(cells["template"]) == {"2019"}
    _assert_t3(cells, "2019")
    _assert_t4(cells)
    t2 = cells.loc["t2"]
    assert t2.loc[("licensing", "delta_items"), "value"] == 1036 and t2.loc[("licensing", "delta_items"), "raw"] == "+1036"
    assert t2.loc[("other_admin_services", "delta_items"), "value"] == -2
    assert t2.loc[("normative_docs", "total_published"), "value"] == 40
    assert t2.loc[("fees", "prev_year_items"), "status"] == "blank" and t2.loc[("fees", "prev_year_items"), "raw"] == "/"
    assert t2.loc[("fees", "delta_items"), "status"] == "blank" and t2.loc[("fees", "delta_items"), "raw"] == "—"
    assert t2.loc[("central_procurement", "procurement_amount"), "value"] == 251000
    assert t2.loc[("central_procurement", "procurement_amount"), "raw"] == "251000元"


# ---- pipe-flattened, one row per line, vertical label fused with the first row, 2021 -------------
def test_pipe_one_row_per_line_2021():
    vals = _t3_values("2021")
    lines = ["第二十条第(一)项 |", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "规章 | 0 | 0 | 0 |",
             "行政规范性文件 | 6 | 1 | 58 |", "第二十条第(五)项 |", "信息内容 | 本年处理决定数量 |", "行政许可 | 812 |",
             "第二十条第(六)项 |", "信息内容 | 本年处理决定数量 |", "行政处罚 | 33 |", "行政强制 | |",
             "第二十条第(八)项 |", "信息内容 | 本年收费金额(单位:万元) |", "行政事业性收费 | 96.5 | |||",
             "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
             "自然人 | 法人或其他组织 | 总计 |", "商业 企业 | 科研 机构 | 社会公益组织 | 法律服务机构 | 其他 |"]
    for key, label in _t3_labels("2021"):
        prefix = {"r_granted": "三、本年度办理结果 | ", "r_deny_state_secret": "(三)不予公开 | ",
                  "r_unable_not_held": "(四)无法提供 | ", "r_noproc_petition": "(五)不予处理 | ",
                  "r_other_no_correction": "(六)其他处理 | "}.get(key, "")
        label = label.replace("、行政机关", ",行政机关").replace("“", '"').replace("”", '"')
        lines.append(prefix + label + " | " + " | ".join(map(str, vals[key])) + " | |||")
    lines += [" | ".join(T4_HEADER[:2]) + " |", " | ".join(T4_HEADER[2:9]) + " |", " | ".join(T4_HEADER[9:]) + " |",
              " | ".join(map(str, T4)) + " |"]
    cells = _cells("\n".join(lines))
    assert set(cells["template"]) == {"2021"}
    _assert_t3(cells, "2021")
    _assert_t4(cells)
    t2 = cells.loc["t2"]
    assert t2.loc[("normative_docs", "in_force"), "value"] == 58
    assert t2.loc[("coercion", "decisions"), "status"] == "blank"
    assert t2.loc[("fees", "fee_amount"), "value"] == 96.5


# ---- text one cell per line without pipes, half-width brackets, traditional characters ----------
def test_lines_without_pipes_traditional_input_is_normalized():
    vals = _t3_values("2019")
    lines = ["三、收到和處理政府信息公開申請情況", "自然人", "法人或其他組織", "總計"]
    for key, label in _t3_labels("2019"):
        lines.append(label.replace("（", "(").replace("）", ")"))
        lines += [str(v) for v in vals[key]]
    lines += ["本年新製作數量", "四、政府信息公開行政復議、行政訴訟情況", *T4_HEADER, *map(str, T4), "五、存在的主要問題"]
    import opencc

    text = opencc.OpenCC("s2t").convert("\n".join(lines))
    cells = _cells(text)
    assert set(cells["template"]) == {"2019"}
    _assert_t3(cells, "2019")
    _assert_t4(cells)


# ---- PDF text: wrapped labels, vertical label split char by char, page number in the table -------
def test_pdf_text_layout():
    v = _t3_values("2021")

    def row(key):
        return " ".join(map(str, v[key]))

    text = f"""三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，
等于第三项加第四项之和）
申请人情况
自然人
法人或其他组织
总计 商 业 企
业
科研机
构
其他
一、本年新收政府信息公开申请数量 {row('new_received')}
二、上年结转政府信息公开申请数量 {row('carried_over_from_prev')}
三、
本
年
度
（一）予以公开 {row('r_granted')}
（二）部分公开（区分处理的，只计这一情
形，不计其他情形）
{row('r_partial')}
（三）不
予公开
1.属于国家秘密 {row('r_deny_state_secret')}
2.其他法律行政法规禁止公开 {row('r_deny_other_law')}
3.危及“三安全一稳定” {row('r_deny_3s1w')}
4.保护第三方合法权益 {row('r_deny_third_party')}
5.属于三类内部事务信息 {row('r_deny_internal')}
6.属于四类过程性信息 {row('r_deny_process')}
7.属于行政执法案卷 {row('r_deny_case_file')}
8.属于行政查询事项 {row('r_deny_query')}
办
（四）无
1.本机关不掌握相关政府信息 {row('r_unable_not_held')}
- 5 -
法提供 2.没有现成信息需要另行制作 {row('r_unable_need_create')}
3.补正后申请内容仍不明确 {row('r_unable_unclear')}
理
（五）不
予处理
1.信访举报投诉类申请 {row('r_noproc_petition')}
2.重复申请 {row('r_noproc_repeat')}
3.要求提供公开出版物 {row('r_noproc_publication')}
4.无正当理由大量反复申请 {row('r_noproc_massive')}
5.要求行政机关确认或重新出 {row('r_noproc_confirm')}
具已获取信息
（六）其
他处理
1、申请人无正当理由逾期不补
正、行政机关不再处理其政府信
息公开申请
{row('r_other_no_correction')}
2、申请人逾期未按收费通知要
求缴纳费用、行政机关不再处理
其政府信息公开申请
{row('r_other_fee_unpaid')}
3、其他 {row('r_other_other')}
（七）总计 {row('r_total')}
四、结转下年度继续办理 {row('carried_to_next')}
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结 结 其 尚 总
果 果 他 未 计
维 纠 结 审
持 正 果 结
{' '.join(map(str, T4))}
五、存在的主要问题及改进情况
2024 年，示例文字 3 项。"""
    cells = _cells(text, year=2024)
    assert set(cells["template"]) == {"2021"}  # no table-2 labels: the report year decides
    _assert_t3(cells, "2021")
    _assert_t4(cells)


# ---- HTML: rowspan/colspan, header and value rows whose spans disagree --------------------------
def test_html_grid_span_mismatch_maps_by_order():
    html = """<table>
    <tr><td colspan="4">第二十条第（五）项</td></tr>
    <tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td><td>处理决定数量</td></tr>
    <tr><td>行政许可</td><td colspan="2">21</td><td>+3</td><td>&nbsp;</td></tr>
    <tr><td>其他对外管理服务事项</td><td>5</td><td colspan="2">-1</td><td>7</td></tr>
    </table><table>
    <tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
        <td colspan="7">申请人情况</td></tr>
    <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
    <tr><td><p>商业</p><p>企业</p></td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
    <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>4</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
    <tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
    <tr><td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>4</td><td>1</td><td></td><td></td><td></td><td></td><td>5</td></tr>
    </table><p>本年新制作数量</p>"""
    cells = _cells("", tables=html_tables(html))
    t2 = cells.loc["t2"]
    assert [t2.loc[("licensing", c), "value"] for c in ("prev_year_items", "delta_items")] == [21, 3]
    assert t2.loc[("licensing", "decisions"), "status"] == "blank"
    assert [t2.loc[("other_admin_services", c), "value"] for c in ("prev_year_items", "delta_items", "decisions")] \
        == [5, -1, 7]
    assert cells.loc[("t3", "new_received")]["value"].tolist() == [4, 1, 0, 0, 0, 0, 5]
    granted = cells.loc[("t3", "r_granted")]
    assert granted["status"].tolist() == ["ok", "ok", "blank", "blank", "blank", "blank", "ok"]
    assert cells.loc[("t3", "r_partial")]["status"].eq("missing").all()


# ---- crawler text: separators lost ----------------------------------------------------------------
def test_crawler_fused_runs_are_split_by_the_identities():
    text = ("本年制发件数 （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计"
            "一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000"
            "三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）500000 5"
            "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
            "3.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息1000001"
            "6.属于四类过程性信息00000007.属于行政执法案卷60000068.属于行政查询事项1000001"
            "（四）无法提供1.本机关不掌握相关政府信息2200003252.没有现成信息需要另行制作0000000"
            "3.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请0000000"
            "3.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000"
            "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请0000000"
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001"
            "（七）总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况"
            "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题")
    cells = _cells(text)
    assert cells.loc[("t3", "new_received")]["value"].tolist() == [64, 0, 0, 2, 0, 4, 70]
    assert cells.loc[("t3", "new_received", "total"), "raw"] == "640020470"
    # two readings satisfy I3 here; I1 and I2 across rows leave one
    assert cells.loc[("t3", "r_granted")]["value"].tolist() == [27, 0, 0, 2, 0, 1, 30]
    assert cells.loc[("t3", "r_unable_not_held")]["value"].tolist() == [22, 0, 0, 0, 0, 3, 25]
    assert cells.loc[("t3", "r_deny_other_law")]["value"].tolist() == [0] * 7  # '2.' belongs to the next label
    assert cells.loc["t4"]["value"].tolist() == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]
    assert (cells["status"] != "ambiguous").all()


def test_crawler_ambiguity_is_flagged_with_candidates_and_resolved_by_narrative():
    base = "规章000行政规范性文件2023第二十条第（五）项信息内容本年处理决定数量行政许可3 三、收到和处理"
    cells = _cells("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数" + base)
    nd = cells.loc[("t2", "normative_docs")]
    assert nd["status"].tolist() == ["ambiguous"] * 3
    assert nd["value"].isna().all()
    assert nd.loc["issued", "candidates"] == [2.0, 20.0] and nd.loc["in_force", "candidates"] == [3.0, 23.0]
    assert cells.loc[("t2", "licensing", "decisions"), "value"] == 3
    told = _cells("本年度制发的规范性文件20件。第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数" + base)
    assert told.loc[("t2", "normative_docs")]["value"].tolist() == [20, 2, 3]
    # a quoted number that matches no reading is not used
    wrong = _cells("制发规范性文件7件。第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数" + base)
    assert (wrong.loc[("t2", "normative_docs")]["status"] == "ambiguous").all()


def test_missing_cell_among_spaced_values_is_ambiguous_with_blank_candidate():
    text = "本年制发件数 一、本年新收政府信息公开申请数量 0 0 0 0 0 0 二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 （一）予以公开 （三）不予公开"
    c = _cells(text).loc[("t3", "new_received")]
    assert (c["status"] == "ambiguous").all()
    assert all(x == [0.0, None] for x in c["candidates"])


# ---- template detection and label variants --------------------------------------------------------
T3_MIN = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1 二、上年结转 0 0 0 0 0 0 0 （一）予以公开 1 0 0 0 0 0 1 （三）不予公开"


@pytest.mark.parametrize("text, year, expected", [
    ("第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 " + T3_MIN, 2020, "2021"),
    ("第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 " + T3_MIN, 2022, "2019"),
    ("第二十条第(九)项 政府集中采购 " + T3_MIN, None, "2019"),
    (T3_MIN + " （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理 0 0 0 0 0 0 0", 2020, "2021"),
    (T3_MIN, 2020, "2019"),
])
def test_template_from_labels_not_year(text, year, expected):
    cells = tk.extract_cells(_docs(text, year=year), progress=False)
    assert set(cells["template"]) == {expected}


def test_pre2019_report_gives_no_rows():
    text = "一、概述\n二、主动公开政府信息情况\n本年度主动公开政府信息1234条。\n三、依申请公开政府信息情况\n共受理申请5件。"
    assert tk.extract_cells(_docs(text, year=2013), progress=False).empty


def test_eight_column_variant_with_legal_subtotal():
    text = ("本年制发件数 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他 小计 总计\n"
            "一、本年新收政府信息公开申请数量 | 5 | 2 | 0 | 1 | 0 | 0 | 3 | 8 |\n"
            "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
            "（一）予以公开 | 5 | 2 | 0 | 1 | 0 | 0 | 3 | 8 |\n（三）不予公开\n")
    c = _cells(text)
    assert c.loc[("t3", "new_received")]["value"].tolist() == [5, 2, 0, 1, 0, 0, 8]


def test_wide_and_argument_errors():
    vals = _t3_values("2021")
    text = "本年制发件数\n" + "\n".join(f"{label} | " + " | ".join(map(str, vals[k])) + " |" for k, label in _t3_labels("2021"))
    cells = tk.extract_cells(_docs(text), progress=False)
    w = tk.wide(cells, "t3")
    assert w.shape == (25, 7) and w.loc["r_total"].tolist() == vals["r_total"]
    assert tk.wide(cells, "t4").isna().all().all()
    with pytest.raises(tk.ArgumentError):
        tk.wide(cells, "t9")
    with pytest.raises(tk.ArgumentError):
        tk.extract_cells(pd.DataFrame({"doc_id": ["x"]}))


def test_table4_wrapped_under_its_headers_and_label_wording_variants():
    text = """本年制发件数
一、本年度新收政府信息公开申请数量 1 0 0 0 0 0 1
二、上年度结转政府信息公开申请数量 0 0 0 0 0 0 0
（一）予以公开 1 0 0 0 0 0 1
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
行政复议
结果维持 结果纠正 其他结果 尚未审结 总计
1 0 0 0 1
行政诉讼
未经复议直接起诉 复议后起诉
结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计
0 2 0 0 2 0 0 0 1 1
五、存在的主要问题 2024年"""
    cells = _cells(text)
    assert cells.loc["t4"]["value"].tolist() == [1, 0, 0, 0, 1, 0, 2, 0, 0, 2, 0, 0, 0, 1, 1]
    assert cells.loc[("t3", "new_received")]["value"].tolist() == [1, 0, 0, 0, 0, 0, 1]
    assert cells.loc[("t3", "carried_to_next")]["status"].eq("ok").all()
    assert cells.loc[("t3", "r_total")]["status"].eq("missing").all()  # not taken from table 4's 总计


def test_running_page_header_with_a_year_inside_table3():
    text = """本年制发件数
一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119
二、上年结转政府信息公开申请数量 34 0 0 0 0 0 34
（一）予以公开 1288 21 0 0 50 3 1362
8.属于行政查询事项
- 4 -
示例市人民政府2024年政府信息公开工作年度报告
105 0 0 0 0 0 105
（四）无法提供"""
    cells = _cells(text)
    assert cells.loc[("t3", "r_deny_query")]["value"].tolist() == [105, 0, 0, 0, 0, 0, 105]


def test_table3_without_its_first_row_starts_at_its_header():
    text = """本年制发件数
三、收到和处理政府信息公开申请情况
申请人情况 自然人 法人或其他组织 总计
二、上年结转政府信息公开申请数量 34 0 0 0 0 0 34
（一）予以公开 1288 21 0 0 50 3 1362
（二）部分公开 1 0 0 0 0 0 1
1.属于国家秘密 2 0 0 0 0 0 2
2.其他法律行政法规禁止公开 30 1 0 0 0 0 31
五、存在的主要问题"""
    cells = _cells(text)
    assert cells.loc[("t3", "new_received")]["status"].eq("missing").all()
    # the specific label wins over the generic 其他 of row （六）3.其他
    assert cells.loc[("t3", "r_deny_other_law")]["value"].tolist() == [30, 1, 0, 0, 0, 0, 31]
    assert cells.loc[("t3", "r_other_other")]["status"].eq("missing").all()


def test_mixed_report_2019_table2_with_2021_subrows_is_not_read_as_one_row():
    rows = templates.get("2021").table("t3").blocks[0].rows
    text = ("第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 规章 0 0 0 规范性文件 1 1 1 "
            "第二十条第（九）项 采购总金额 政府集中采购 1 2\n"
            + "\n".join(f"{r.label} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" for r in rows))
    cells = _cells(text)
    assert set(cells["template"]) == {"2019"}  # table 2 prints the superseded format
    assert cells.loc[("t3", "r_other")]["status"].eq("missing").all()  # three sub-rows printed, not one
    assert cells.loc[("t3", "r_total")]["value"].tolist() == [1, 0, 0, 0, 0, 0, 1]
