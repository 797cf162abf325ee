"""The 2021 format (国办公开办函〔2021〕30号), used from the 2021 reports on, as an explicit diff of 2019.

Changes (templates.md §2.3, §3.4): table 2 is rebuilt (（一） new columns and 行政规范性文件; （五）（六） one
column 本年处理决定数量; （八） becomes 本年收费金额 in 万元; （九） 政府集中采购 dropped); table 3's single
（六）其他处理 row becomes three sub-rows. Table 4 is unchanged.
"""
from __future__ import annotations

from dataclasses import replace

from . import t2019
from .spec import Block, Column, Row, Table, derive, replace_rows

DECISIONS = Column("decisions", "本年处理决定数量", ("本年处理决定数量", "处理决定数量", "处理决定"))

T2 = Table("t2", "二、主动公开政府信息情况", (
    Block("art20_1", "第二十条第（一）项",
          (Column("issued", "本年制发件数", ("本年制发件数", "制发件数")),
           Column("repealed", "本年废止件数", ("本年废止件数", "废止件数")),
           Column("in_force", "现行有效件数", ("现行有效件数", "现行有效"))),
          (Row("regulations", "规章", ("规章",)),
           Row("normative_docs", "行政规范性文件", ("行政规范性文件", "规范性文件")))),
    Block("art20_5", "第二十条第（五）项", (DECISIONS,),
          (Row("licensing", "行政许可", ("行政许可",)),)),
    Block("art20_6", "第二十条第（六）项", (DECISIONS,),
          (Row("punishment", "行政处罚", ("行政处罚",)),
           Row("coercion", "行政强制", ("行政强制",)))),
    Block("art20_8", "第二十条第（八）项",
          (Column("fee_amount", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额"), unit="万元", numeric="float"),),
          (Row("fees", "行政事业性收费", ("行政事业性收费", "事业性收费")),)),
))

_OTHER = "（六）其他处理"
_OTHER_ROWS = (
    Row("r_other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("逾期不补正", "不补正"), _OTHER, "results"),
    Row("r_other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("缴纳费用", "收费通知"), _OTHER, "results"),
    Row("r_other_other", "3.其他", ("其他",), _OTHER, "results"),
)
(_B3,) = t2019.T3.blocks
T3 = replace(t2019.T3, blocks=(replace_rows(_B3, "r_other", _OTHER_ROWS),))

TEMPLATE = derive(
    t2019.TEMPLATE,
    version="2021",
    title="中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
    tables={"t2": T2, "t3": T3},
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正"),
)
