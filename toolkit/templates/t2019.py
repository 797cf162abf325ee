"""The 2019 format (国办公开办函〔2019〕60号), used for the 2019 and 2020 reports (templates.md §2.1, §3.3, §4)."""
from __future__ import annotations

from .spec import Block, Column, Row, Table, Template

# ---- table 2: 主动公开政府信息情况 (five sub-blocks) ---------------------------------------------
_INFO = "信息内容"
PREV = Column("prev_year_items", "上一年项目数量", ("上一年项目数量", "上一年"))
DELTA = Column("delta_items", "本年增/减", ("本年增/减", "本年增减", "增/减", "增减"), numeric="signed")
DECISIONS = Column("decisions", "处理决定数量", ("处理决定数量", "处理决定"))

T2 = Table("t2", "二、主动公开政府信息情况", (
    Block("art20_1", "第二十条第（一）项",
          (Column("new_made", "本年新制作数量", ("本年新制作数量", "新制作")),
           Column("new_published", "本年新公开数量", ("本年新公开数量", "新公开")),
           Column("total_published", "对外公开总数量", ("对外公开总数量", "公开总数量"))),
          (Row("regulations", "规章", ("规章",)),
           Row("normative_docs", "规范性文件", ("规范性文件",)))),
    Block("art20_5", "第二十条第（五）项", (PREV, DELTA, DECISIONS),
          (Row("licensing", "行政许可", ("行政许可",)),
           Row("other_admin_services", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务")))),
    Block("art20_6", "第二十条第（六）项", (PREV, DELTA, DECISIONS),
          (Row("punishment", "行政处罚", ("行政处罚",)),
           Row("coercion", "行政强制", ("行政强制",)))),
    Block("art20_8", "第二十条第（八）项", (PREV, DELTA),
          (Row("fees", "行政事业性收费", ("行政事业性收费", "事业性收费")),)),
    Block("art20_9", "第二十条第（九）项",
          (Column("procurement_items", "采购项目数量", ("采购项目数量",)),
           Column("procurement_amount", "采购总金额", ("采购总金额",), unit="元或万元(见单元格)", numeric="float")),
          (Row("central_procurement", "政府集中采购", ("政府集中采购", "集中采购")),)),
))

# ---- table 3: 收到和处理政府信息公开申请情况 (identical columns in both formats) ----------------------
LEGAL = "法人或其他组织"
T3_COLUMNS = (
    Column("natural_person", "自然人", ("自然人",)),
    Column("org_commercial", "商业企业", ("商业企业",), parent=LEGAL),
    Column("org_research", "科研机构", ("科研机构",), parent=LEGAL),
    Column("org_public_welfare", "社会公益组织", ("社会公益组织",), parent=LEGAL),
    Column("org_legal_service", "法律服务机构", ("法律服务机构",), parent=LEGAL),
    Column("org_other", "其他", ("其他",), parent=LEGAL),
    Column("total", "总计", ("总计",)),
)

_DENY, _UNABLE, _NOPROC, _OTHER = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
_R = "results"
T3_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    Row("carried_over_from_prev", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    Row("r_granted", "（一）予以公开", ("予以公开",), group=_R),
    Row("r_partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), group=_R),
    Row("r_deny_state_secret", "1.属于国家秘密", ("国家秘密",), _DENY, _R),
    Row("r_deny_other_law", "2.其他法律行政法规禁止公开", ("禁止公开",), _DENY, _R),
    Row("r_deny_3s1w", "3.危及“三安全一稳定”", ("三安全一稳定", "三安全"), _DENY, _R),
    Row("r_deny_third_party", "4.保护第三方合法权益", ("第三方合法权益", "第三方"), _DENY, _R),
    Row("r_deny_internal", "5.属于三类内部事务信息", ("内部事务",), _DENY, _R),
    Row("r_deny_process", "6.属于四类过程性信息", ("过程性信息", "过程性"), _DENY, _R),
    Row("r_deny_case_file", "7.属于行政执法案卷", ("行政执法案卷", "执法案卷"), _DENY, _R),
    Row("r_deny_query", "8.属于行政查询事项", ("行政查询事项", "查询事项"), _DENY, _R),
    Row("r_unable_not_held", "1.本机关不掌握相关政府信息", ("不掌握",), _UNABLE, _R),
    Row("r_unable_need_create", "2.没有现成信息需要另行制作", ("另行制作", "没有现成信息"), _UNABLE, _R),
    Row("r_unable_unclear", "3.补正后申请内容仍不明确", ("仍不明确", "补正后"), _UNABLE, _R),
    Row("r_noproc_petition", "1.信访举报投诉类申请", ("信访举报投诉", "信访"), _NOPROC, _R),
    Row("r_noproc_repeat", "2.重复申请", ("重复申请",), _NOPROC, _R),
    Row("r_noproc_publication", "3.要求提供公开出版物", ("公开出版物",), _NOPROC, _R),
    Row("r_noproc_massive", "4.无正当理由大量反复申请", ("大量反复申请", "大量反复"), _NOPROC, _R),
    Row("r_noproc_confirm", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或重新出具"), _NOPROC, _R),
    Row("r_other", "（六）其他处理", ("其他处理",), None, _R),
    Row("r_total", "（七）总计", ("总计",)),
    Row("carried_to_next", "四、结转下年度继续办理", ("结转下年度", "结转下年")),
)

T3 = Table("t3", "三、收到和处理政府信息公开申请情况", (
    Block("requests", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", T3_COLUMNS, T3_ROWS),
))

# ---- table 4: 政府信息公开行政复议、行政诉讼情况 (identical in both formats) -------------------------
_OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
             ("pending", "尚未审结"), ("total", "总计"))
T4_COLUMNS = tuple(
    Column(f"{prefix}_{k}", label, (label,), parent=group)
    for prefix, group in (("rev", "行政复议"), ("lit_direct", "行政诉讼/未经复议直接起诉"),
                          ("lit_after_rev", "行政诉讼/复议后起诉"))
    for k, label in _OUTCOMES
)
T4 = Table("t4", "四、政府信息公开行政复议、行政诉讼情况", (
    Block("review_litigation", "行政复议 | 行政诉讼", T4_COLUMNS, (Row("cases", "件数", ()),)),
))

TEMPLATE = Template(
    version="2019",
    title="中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）",
    tables={"t2": T2, "t3": T3, "t4": T4},
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "第二十条第（九）项", "采购总金额"),
)
