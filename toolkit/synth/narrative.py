"""SYNTHETIC narrative sections with planted copied passages (for tests, benchmarks and the study corpus).

Everything here is generated from the toolkit's own phrase banks (no text from real reports) and is
labelled synthetic. :func:`generate` writes sections ``s1`` (总体情况), ``s5`` (存在的主要问题及改进情况)
and a short ``s6`` (其他需要报告的事项) for every (agency, year), then plants copies between them:

* **families**: one source report (the earliest published) and ``family_size`` other agencies of the
  same year that each copy the same long passage from it (a district's model text);
* **pairs**: one agency copies a passage of 30..400 characters from another agency of the same year;
* **self copies**: an agency copies passages of its own previous year's report into this year's.

Copies carry light edits, recorded in the truth frame: ``name`` (the source agency's name and
self-reference replaced by the target's), ``number`` (numbers redrawn, years shifted), ``phrase``
(one phrase replaced by another of the same kind), ``insert`` / ``drop`` (a character added or dropped).
The mandated template wording (the opening paragraph of ``s1``) is written into every report and
listed in the truth frame with ``kind="mandated"``.

Original (non-planted) sentences are a lead, sometimes the agency, and 2-3 clauses of the topic drawn
from the banks. They are redrawn until no two reports share a run of ``unique_chars`` characters or
more within a line by accident (digits masked), so the planted truth is the complete truth for
passages of 30+ characters (constant sub-headings aside). This is best effort: on large corpora a few
sentences cannot be made distinct after 80 draws and are kept (counted in ``_CLASHES``, logged at
DEBUG); at 180 reports about 1% of sentences.

Helpers: :func:`expected_pairs` (every passage pair the truth implies), :func:`planted_share` (true
template share), :func:`assemble` (whole documents with document offsets) and
:func:`evaluate_passages` (recall and precision of :func:`toolkit.shared_passages`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError

log = logging.getLogger(__name__)

SYNTHETIC_LABEL = "synthetic (toolkit.synth.narrative, own phrase banks)"

# ---------------------------------------------------------------- phrase banks (our own wording)
SLOTS: dict[str, list[str]] = {
    "lead": ["", "今年以来，", "本年度，", "报告期内，", "一年来，", "全年", "年内，", "同时，", "此外，", "另外，"],
    "V": ["扎实推进", "持续深化", "全面加强", "稳步推进", "着力抓好", "认真做好", "切实加强", "不断完善",
          "积极推进", "统筹推进", "大力推进", "深入推进", "扎实做好", "持续优化", "全力抓好", "有序推进",
          "进一步做好", "认真落实", "着力强化", "系统推进"],
    "AREA": ["财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "乡村振兴", "营商环境", "生态环境保护",
             "安全生产", "食品药品监管", "医疗卫生", "教育招生", "住房保障", "就业创业", "社会救助", "征地补偿",
             "价格收费", "行政执法", "疫情防控", "民生实事", "养老服务", "交通运输", "农业农村", "市场监管",
             "税费优惠", "产业扶持", "招商引资", "文化旅游", "城市管理", "水利建设", "自然资源", "审计结果",
             "国有资产", "政府采购", "减税降费", "公共法律服务", "退役军人服务", "应急管理", "统计数据",
             "人事任免", "科技创新"],
    "KIND": ["政策文件", "规划计划", "工作动态", "通知公告", "人事信息", "财政资金信息", "执法信息", "解读材料",
             "办事指南", "统计数据", "公示公告", "新闻稿件", "会议信息", "审批结果", "采购信息", "建议提案答复"],
    "CH": ["门户网站", "政务新媒体", "政府公报", "政务服务大厅", "信息公开专栏", "微信公众号", "政务微博",
           "新闻发布会", "公开查阅点", "档案馆", "便民服务中心", "融媒体中心", "移动客户端", "短视频平台", "公开栏"],
    "MEAS": ["建立健全", "细化完善", "修订印发", "动态调整", "梳理编制", "对照更新", "逐项核对", "集中清理",
             "重新制定", "补充完善"],
    "DOC": ["政府信息公开指南", "主动公开基本目录", "信息发布审核制度", "依申请公开办理规程", "政务公开工作规则",
            "政策解读工作办法", "保密审查制度", "公开工作考核细则", "公开事项标准目录", "会商研判机制",
            "工作责任清单", "公开属性认定机制", "舆情回应预案", "信息发布三审制度"],
    "GOAL": ["提升公开质量", "增强公开实效", "提高办理效率", "方便群众查阅", "回应社会关切", "优化营商环境",
             "提升政府公信力", "促进依法行政", "推动政策落地见效", "提高群众满意度", "保障公众知情权",
             "强化社会监督", "服务基层治理", "提升服务效能"],
    "ADV": ["及时", "准确", "全面", "规范", "主动", "有序", "集中", "分类", "动态", "依法"],
    "PEOPLE": ["人民群众", "社会公众", "市场主体", "企业群众", "办事群众", "申请人", "基层群众", "服务对象"],
    "FORM": ["图片图表", "动漫视频", "在线访谈", "专家解读", "政策问答", "简明问答", "一图读懂", "音视频",
             "案例解读", "新闻通气会"],
    "pub": ["发布", "公开", "推送", "更新", "刊发", "转载"],
    "via": ["依托", "通过", "利用", "借助"],
    "SUBJ": ["部分栏目", "个别科室", "基层单位", "网站专栏", "部分信息", "个别业务股室", "少数工作人员",
             "部分解读材料", "部分公开目录", "新媒体账号", "下属单位", "乡镇站点", "部分办事指南", "个别答复文书",
             "专题页面", "数据发布"],
    "PROB": ["更新不够及时", "内容不够全面", "形式较为单一", "规范性有待加强", "针对性不强", "时效性不足",
             "覆盖面不够广", "标准化程度不高", "互动性较弱", "专业能力有待提升", "审核把关不够严格",
             "分类不够清晰", "可读性不强", "更新频率偏低", "检索不够便捷", "深度不够", "衔接不够顺畅",
             "解读不够通俗", "留言回复偏慢", "格式不够统一"],
    "ORD": ["一是", "二是", "三是", "四是"],
    "NEXT": ["下一步，", "2下一年，", "今后，", "新的一年，", "针对上述问题，", "为此，"],
    "FIX": ["加强业务培训", "完善考核评估", "强化督促检查", "优化栏目设置", "丰富解读形式", "规范答复文书",
            "健全协调机制", "加大公开力度", "推进平台整合", "拓宽参与渠道", "压实工作责任", "完善审核流程",
            "建立台账管理", "开展交叉检查", "推行清单管理", "引入第三方评估", "加强队伍建设", "完善更新机制",
            "细化操作规程", "强化源头管理"],
    "FEE": ["未收取信息处理费", "未向申请人收取任何费用", "未发生信息处理费收取情况", "无信息处理费收费情况"],
    "MANAGE": ["公文公开属性", "政策文件清理", "信息发布审核", "依申请公开登记", "档案归集", "政策性文件备案"],
}

# narrative sentences are a lead, the agency (sometimes) and 2-3 clauses of the topic
CLAUSES: dict[str, list[str]] = {
    "active": ["{V}{AREA}{INFO}公开", "{via}{CH}{ADV}{pub}{KIND}{n3}条", "{pub}{KIND}{n2}条、{KIND}{n2}条",
               "围绕{AREA}和{AREA}{ADV}{pub}{KIND}", "采用{FORM}等形式解读{AREA}政策{n2}篇", "在{CH}开设{AREA}专栏",
               "{MEAS}{DOC}", "{GOAL}", "回应{PEOPLE}对{AREA}的关切"],
    "request": ["{recv}{AREA}方面{APP}{n2}件", "{cmp}{chg}{n2}件", "{resp}", "对涉及{AREA}的{n2}件申请{ADV}{reply}",
                "{MEAS}{DOC}", "规范{STEP}和{reply}环节", "告知{PEOPLE}就{AREA}事项补正{n2}次", "{GOAL}",
                "通过{CH}接收{PEOPLE}申请{n2}件"],
    "manage": ["{V}{MANAGE}工作", "{MEAS}{DOC}", "清理{AREA}{KIND}{n2}件", "对{KIND}开展{ADV}审查",
               "审核{AREA}信息{n3}条", "{GOAL}", "{ADV}认定{KIND}公开属性"],
    "platform": ["{V}{CH}建设", "优化{CH}{FUNC}功能", "整合{AREA}栏目{n2}个", "推动{CH}与{CH}融合",
                 "回复{PEOPLE}留言{n3}条", "{ADV}{pub}{KIND}{n3}条", "{GOAL}"],
    "oversight": ["将{AREA}{INFO}公开纳入{EVAL}", "围绕{AREA}组织{TRAIN}{n2}场", "培训{STAFF}和{STAFF}{n3}人次",
                  "{MEAS}{DOC}", "开展{AREA}{CHECK}{n2}次", "邀请{PEOPLE}参与{AREA}工作评议",
                  "整改{SUBJ}{PROB}问题{n2}个", "{GOAL}"],
    "problem": ["{SUBJ}{PROB}", "{AREA}信息公开{PROB}", "{CH}{PROB}", "{KIND}{PROB}", "与{PEOPLE}对{AREA}的期待还有差距"],
    "improve": ["{FIX}", "{MEAS}{DOC}", "{V}{CH}建设", "{V}{AREA}信息公开", "定期组织{PEOPLE}就{AREA}座谈{n2}次", "{GOAL}",
                "针对{AREA}{KIND}{FIX}", "把{DOC}落实情况纳入{TRAIN}内容"],
    "other": ["{FEE}", "{HANDLE}{REP}{n2}件", "{HANDLE}{REP2}{n2}件", "{RESULT}", "{V}年度政务公开工作要点",
              "在{AREA}领域开展创新试点", "依托{CH}推出{FORM}{n2}期", "{MEAS}{DOC}", "{GOAL}"],
}


def _clause_template(topic: str, rng) -> str:
    """A sentence pattern: lead, sometimes the agency, then 2-3 distinct clauses of ``topic``."""
    pool = CLAUSES[topic]
    n = int(rng.integers(2, 4)) if topic not in ("problem", "improve") else 2
    picks = [pool[i] for i in rng.choice(len(pool), size=min(n, len(pool)), replace=False)]
    if topic in ("problem", "improve"):
        return "{ORD}" + "，".join(picks) + "；"
    head = "{lead}" + ("{self}" if rng.random() < 0.5 else "")
    return head + "，".join(picks) + "。"


EXTRA_SLOTS = {
    "INFO": ["信息", "领域信息", "政策信息", "相关信息", "数据"],
    "EVAL": ["年度考核", "绩效考评", "目标管理", "督查督办", "效能评估", "年度述职"],
    "CHECK": ["专项检查", "随机抽查", "交叉检查", "明察暗访", "集中督查", "专项评估"],
    "FUNC": ["检索", "互动", "留言", "导航", "无障碍", "订阅", "评价"],
    "recv": ["共收到", "共受理", "累计收到", "共接收", "新收"],
    "chg": ["增加", "减少", "增长", "下降"],
    "resp": ["均已按时答复", "全部在法定期限内办结", "均依法作出答复", "无逾期答复情况", "答复率达100%"],
    "reply": ["答复", "办结", "作出答复", "送达答复书"],
    "APP": ["政府信息公开申请", "信息公开申请", "公开申请", "依申请公开事项", "各类申请"],
    "cmp": ["较上年", "比上年", "同比", "与上年相比"],
    "STEP": ["登记", "审核", "会商", "补正", "征求意见", "归档"],
    "TRAIN": ["业务培训", "专题培训", "集中学习", "线上培训", "业务轮训", "以会代训", "专题讲座"],
    "STAFF": ["工作人员", "信息员", "业务骨干", "联络员", "股室负责人", "新入职人员"],
    "HANDLE": ["办理", "承办", "牵头办理", "会同办理", "协办"],
    "REP": ["人大代表建议", "人大代表议案", "人大建议", "代表建议"],
    "REP2": ["政协提案", "政协委员提案", "政协委员建议", "提案"],
    "RESULT": ["办理结果已公开", "答复全文已在门户网站公开", "满意率达100%", "均按期办结并公开", "办复率100%"],
}
SLOTS.update(EXTRA_SLOTS)
SLOTS["NEXT"] = [s for s in SLOTS["NEXT"] if not s[0].isdigit()]

GOAL_VERBS = ["提升", "提高", "增强", "不断提升", "有效提升", "进一步提高", "切实增强", "持续提升"]
GOAL_NOUNS = ["公开质量", "公开实效", "办理效率", "群众满意度", "政府公信力", "服务效能", "工作透明度",
              "政策知晓度", "公众参与度", "回应实效", "工作规范化水平", "社会认可度", "信息利用率"]
S1_SUBSECTIONS = [("（一）主动公开", "active"), ("（二）依申请公开", "request"), ("（三）政府信息管理", "manage"),
                  ("（四）平台建设", "platform"), ("（五）监督保障", "oversight")]
S1_WEIGHTS = {"active": 0.3, "request": 0.2, "manage": 0.15, "platform": 0.2, "oversight": 0.15}
S5_PARTS = [("（一）存在的主要问题", "problem"), ("（二）改进情况", "improve")]

MANDATED_S1 = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency}编制。"
               "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
               "如对本报告有任何疑问，请与{agency}联系。")
SECTION_HEADINGS = {"s1": "一、总体情况", "s2": "二、主动公开政府信息情况",
                    "s3": "三、收到和处理政府信息公开申请情况", "s4": "四、政府信息公开行政复议、行政诉讼情况",
                    "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}

_CLASHES = [0]  # sentences that could not be drawn distinct (diagnostics)
_PH = re.compile(r"\{(\w+)\}")
_NUMERIC = {"n2": (10, 99), "n3": (100, 999), "n4": (1000, 9999), "pct": (90, 100)}


def self_reference(agency: str, level: str | None = None) -> str:
    """How a report refers to its own agency: 我局, 我委, 我办, 我区 ... (synthetic convention)."""
    for suffix, ref in (("局", "我局"), ("委员会", "我委"), ("委", "我委"), ("办公室", "我办"), ("办", "我办"),
                        ("中心", "我中心"), ("院", "我院")):
        if agency.endswith(suffix):
            return ref
    for suffix, ref in (("县人民政府", "我县"), ("区人民政府", "我区"), ("市人民政府", "我市"),
                        ("镇人民政府", "我镇"), ("乡人民政府", "我乡"), ("街道办事处", "我街道")):
        if agency.endswith(suffix):
            return ref
    return "本机关"


# ---------------------------------------------------------------- token model
@dataclass
class Sentence:
    """A sentence as tokens ``(kind, text)``; kind is a slot name, 'lit', 'num', 'agency' or 'self'."""
    tokens: list[tuple[str, str]]
    planted: int | None = None          # index into the plant list when this sentence is a copy
    used: bool = False                  # already used as the source of a copy

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.tokens)


@dataclass
class Doc:
    agency_id: str
    agency: str
    level: str
    year: int
    published: str
    sections: dict[str, list] = field(default_factory=dict)  # section -> list of str (heading) | Sentence


def _fill(template: str, rng, ctx: dict) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    for m in _PH.finditer(template):
        if m.start() > pos:
            tokens.append(("lit", template[pos:m.start()]))
        name = m.group(1)
        if name in _NUMERIC:
            lo, hi = _NUMERIC[name]
            v = int(rng.integers(lo, hi + 1))
            tokens.append(("num", f"{v}%" if name == "pct" else str(v)))
        elif name == "year":
            tokens.append(("num", str(ctx["year"])))
        elif name == "GOAL" and rng.random() < 0.75:
            v = GOAL_VERBS[int(rng.integers(len(GOAL_VERBS)))] + GOAL_NOUNS[int(rng.integers(len(GOAL_NOUNS)))]
            tokens.append((name, v))
        elif name in ("agency", "self"):
            tokens.append((name, ctx[name]))
        else:
            taken = {t for k, t in tokens if k == name}
            opts = [o for o in SLOTS[name] if o not in taken] or SLOTS[name]
            tokens.append((name, opts[int(rng.integers(len(opts)))]))
        pos = m.end()
    if pos < len(template):
        tokens.append(("lit", template[pos:]))
    return tokens


def _mask(text: str) -> str:
    return re.sub(r"\d", "0", text)


class _Uniq:
    """Registry of k-grams (digits masked) of original sentences, to keep originals distinct across docs."""

    def __init__(self, k: int):
        self.k = k
        self.seen: dict[str, str] = {}

    def grams(self, text):
        """k-grams within a line (runs across a heading line are template structure, not text)."""
        out = set()
        for t in _mask(text).split("\n"):
            out.update(t[i:i + self.k] for i in range(len(t) - self.k + 1))
        return out

    def clash(self, text, doc_key):
        return any(self.seen.get(g, doc_key) != doc_key for g in self.grams(text))

    def add(self, text, doc_key):
        for g in self.grams(text):
            self.seen.setdefault(g, doc_key)



def _sentence(topic, rng, ctx, uniq, doc_key, *, tail="", ordinal=None, lookahead="", tries=80):
    """Draw a sentence of ``topic`` whose text (joined to the preceding ``tail``) is new across agencies."""
    for _ in range(tries):
        s = Sentence(_fill(_clause_template(topic, rng), rng, ctx))
        if ordinal is not None and s.tokens and s.tokens[0][0] == "ORD":
            s.tokens[0] = ("ORD", ordinal)
        if uniq is None or not (uniq.clash(tail + s.text + lookahead, doc_key)):
            break
    else:
        log.debug("could not draw a distinct sentence for %s after %d tries", doc_key, tries)
        _CLASHES[0] += 1
    if uniq is not None:
        uniq.add(tail + s.text + lookahead, doc_key)
    return s


# ---------------------------------------------------------------- edits
_INSERT_CHARS = "的和及等并了也"
_EDIT_KINDS = ("name", "number", "phrase", "insert", "drop")


def _edit_copy(sents: list[Sentence], rng, *, src: Doc, tgt: Doc, edit_rate: float) -> tuple[list[Sentence], list[str]]:
    """Copy source sentences into the target with light edits; return the copies and the edit kinds applied."""
    toks = [[list(t) for t in s.tokens] for s in sents]
    kinds: list[str] = []
    # names: a copy into another agency's report names the target agency
    if src.agency_id != tgt.agency_id:
        ctx = {"agency": tgt.agency, "self": self_reference(tgt.agency, tgt.level)}
        changed = False
        for s in toks:
            for t in s:
                if t[0] in ctx and t[1] != ctx[t[0]]:
                    t[1] = ctx[t[0]]
                    changed = True
        if changed:
            kinds.append("name")
    # years follow the target report; other numbers are redrawn with probability edit_rate
    redraw = rng.random() < edit_rate
    changed = False
    for s in toks:
        for t in s:
            if t[0] != "num":
                continue
            if t[1] == str(src.year) and src.year != tgt.year:
                t[1], changed = str(tgt.year), True
            elif redraw and t[1] != str(src.year):
                digits = len(t[1].rstrip("%"))
                new = str(int(rng.integers(10 ** (digits - 1), 10 ** digits)))
                new = new + ("%" if t[1].endswith("%") else "")
                if new != t[1]:
                    t[1], changed = new, True
    if changed:
        kinds.append("number")
    # small character edits and phrase swaps
    for kind in ("phrase", "insert", "drop"):
        if rng.random() >= edit_rate / 2:
            continue
        flat = [t for s in toks for t in s]
        if kind == "phrase":
            cand = [t for t in flat if t[0] in SLOTS and t[0] not in ("ORD", "lead") and len(SLOTS[t[0]]) > 1]
            if cand:
                t = cand[int(rng.integers(len(cand)))]
                t[1] = [o for o in SLOTS[t[0]] if o != t[1]][int(rng.integers(len(SLOTS[t[0]]) - 1))]
                kinds.append(kind)
        else:
            cand = [t for t in flat if t[0] == "lit" and len(t[1]) >= 3]
            if cand:
                t = cand[int(rng.integers(len(cand)))]
                i = int(rng.integers(1, len(t[1]) - 1))
                c = _INSERT_CHARS[int(rng.integers(len(_INSERT_CHARS)))]
                t[1] = t[1][:i] + c + t[1][i:] if kind == "insert" else t[1][:i] + t[1][i + 1:]
                kinds.append(kind)
    return [Sentence([tuple(t) for t in s]) for s in toks], kinds


# ---------------------------------------------------------------- generator
def _build_originals(doc: Doc, rng, uniq, section_chars: dict) -> None:
    ctx = {"agency": doc.agency, "self": self_reference(doc.agency, doc.level), "year": doc.year}
    key = f"{doc.agency_id}_{doc.year}"
    k = uniq.k - 1 if uniq is not None else 0

    def grow(items, topic, lookahead=""):
        tail = _render(items)[0][-k:] if (k and items) else ""
        ords = ["一是", "二是", "三是", "四是", "五是", "六是"]
        run = 0
        for it in reversed(items):
            if isinstance(it, str):
                break
            run += 1
        s = _sentence(topic, rng, ctx, uniq, key, tail=tail, ordinal=ords[min(run, 5)], lookahead=lookahead)
        items.append(s)
        return len(s.text)

    s1: list = [Sentence(_fill(MANDATED_S1, rng, ctx), planted=-1)]
    for heading, topic in S1_SUBSECTIONS:
        per = max(40, int(section_chars.get("s1", 2000) * S1_WEIGHTS[topic]))
        s1.append(heading)
        n = 0
        while n < per:
            n += grow(s1, topic)
    doc.sections["s1"] = s1
    s5: list = []
    per = max(40, section_chars.get("s5", 500) // len(S5_PARTS))
    for heading, topic in S5_PARTS:
        s5.append(heading)
        n = j = 0
        while n < per and j < 5:
            n += grow(s5, topic)
            j += 1
    doc.sections["s5"] = s5
    s6: list = []
    n = 0
    while n < section_chars.get("s6", 100):
        n += grow(s6, "other")
    doc.sections["s6"] = s6


def _pick_run(doc: Doc, section: str, rng, lo: int, hi: int) -> list[int] | None:
    """Indices of a run of unused original sentences of lo..hi characters (or one sentence when short)."""
    items = doc.sections[section]
    target = int(rng.integers(lo, hi + 1))
    starts = [i for i, s in enumerate(items) if isinstance(s, Sentence) and s.planted is None and not s.used]
    rng.shuffle(starts)
    for i in starts:
        run, n, j = [], 0, i
        while j < len(items) and isinstance(items[j], Sentence) and items[j].planted is None and not items[j].used:
            run.append(j)
            n += len(items[j].text)
            if n >= target:
                break
            j += 1
        if n >= min(lo, target) and n <= hi + 80:
            return run
    return None


def _insert_at(doc: Doc, section: str, copies: list[Sentence], rng) -> None:
    items = doc.sections[section]
    ok = []
    for i in range(1, len(items) + 1):
        prev = items[i - 1]
        nxt = items[i] if i < len(items) else None
        if isinstance(prev, Sentence) and (prev.planted is not None or prev.used):
            continue
        if isinstance(nxt, Sentence) and nxt.planted is not None:
            continue
        if prev == items[0] and section == "s1":   # never inside the mandated opening
            continue
        ok.append(i)
    i = ok[int(rng.integers(len(ok)))] if ok else len(items)
    items[i:i] = copies


def generate(agencies: pd.DataFrame, years, *, seed: int, n_families: int = 3, family_size: int = 4,
             pair_rate: float = 0.3, self_copy_rate: float = 0.5, edit_rate: float = 0.6,
             section_chars: dict | None = None, unique_chars: int = 16) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate SYNTHETIC narrative sections with planted copied passages and their ground truth.

    Parameters
    ----------
    agencies : DataFrame
        One row per agency with ``agency_id`` and ``agency`` (name, e.g. ``"某某市财政局"``); ``level``
        optional. Every agency gets a report for every year.
    years : list of int
        Report years. Self copies go from year ``y-1`` to ``y`` when both are present.
    seed : int
        Seed of every random choice (same seed, same output).
    n_families : int
        Copy families: a source report and ``family_size`` other agencies of the same year copying one
        passage of 150..450 characters of it (a model text).
    family_size : int
        Number of copying agencies per family (capped by the number of agencies minus one).
    pair_rate : float
        Expected number of one-to-one copies (30..400 characters, same year) per report.
    self_copy_rate : float
        Share of reports (with a previous year) that copy 1..3 passages (80..500 characters) of the
        agency's previous report.
    edit_rate : float
        Probability of light edits in a copy (numbers redrawn; a phrase swapped, a character inserted
        or dropped each with probability ``edit_rate/2``). Agency names are always swapped in copies
        between agencies, years always follow the target report.
    section_chars : dict, optional
        Approximate characters of original text per section, default ``{"s1": 2000, "s5": 500, "s6": 100}``.
    unique_chars : int
        Original sentences of two different agencies never share a run of this many characters
        (digits masked), so planted passages are the only shared passages of that length.

    Returns
    -------
    texts : DataFrame
        ``doc_id, agency_id, agency, level, year, published, section, heading, text, synthetic`` (one row per
        report section ``s1``, ``s5``, ``s6``); ``doc_id`` is ``"{agency_id}_{year}"``.
    truth : DataFrame
        One row per planted passage: ``passage_id, kind`` (``family``/``pair``/``self``/``mandated``),
        ``family, section, source_doc, target_doc, source_agency_id, target_agency_id, source_year,
        target_year, source_start, source_end, target_start, target_end`` (offsets into the section
        ``text``; source columns are empty for ``mandated``), ``length`` (target characters),
        ``source_length, edits`` (comma-separated edit kinds), ``text`` (the target passage).
        Family members share the copied passage with each other too (see :func:`expected_pairs`).

    Examples
    --------
    >>> import pandas as pd
    >>> ag = pd.DataFrame({"agency_id": ["a", "b", "c"], "agency": ["甲市财政局", "甲市教育局", "甲市人民政府"]})
    >>> texts, truth = generate(ag, [2020, 2021], seed=1, n_families=1, family_size=2)
    >>> sorted(texts.section.unique())
    ['s1', 's5', 's6']
    """
    for col in ("agency_id", "agency"):
        if col not in agencies.columns:
            raise ArgumentError(f"agencies needs a column {col!r}; it has {list(agencies.columns)}")
    years = sorted(int(y) for y in years)
    if not years:
        raise ArgumentError("years must list at least one report year")
    section_chars = {"s1": 2000, "s5": 500, "s6": 100, **(section_chars or {})}
    rng = np.random.default_rng(seed)
    uniq = _Uniq(unique_chars) if unique_chars else None
    ag = agencies.reset_index(drop=True)
    docs: dict[tuple[str, int], Doc] = {}
    for y in years:
        for _, r in ag.iterrows():
            day = int(rng.integers(0, 85))
            pub = (pd.Timestamp(f"{y + 1}-01-05") + pd.Timedelta(days=day)).strftime("%Y-%m-%d")
            d = Doc(str(r["agency_id"]), str(r["agency"]), str(r.get("level", "") or ""), y, pub)
            _build_originals(d, rng, uniq, section_chars)
            docs[(d.agency_id, y)] = d
    ids = list(ag["agency_id"].astype(str))
    plants: list[dict] = []

    def plant(kind, src, tgt, section, lo, hi, family=None, run=None):
        run = run if run is not None else _pick_run(src, section, rng, lo, hi)
        if not run:
            return None
        for i in run:
            src.sections[section][i].used = True
        copies, kinds = _edit_copy([src.sections[section][i] for i in run], rng, src=src, tgt=tgt,
                                   edit_rate=edit_rate)
        pid = len(plants)
        for c in copies:
            c.planted = pid
        plants.append({"kind": kind, "family": family, "section": section, "src": src, "tgt": tgt,
                       "sources": [src.sections[section][i] for i in run], "copies": copies,
                       "edits": ",".join(kinds)})
        _insert_at(tgt, section, copies, rng)
        return run

    # publication order within a year: sources are always published before their copies
    rank = {y: {a: i for i, a in enumerate(rng.permutation(ids))} for y in years}
    for y in years:
        dates = sorted(docs[(a, y)].published for a in ids)
        for a in ids:
            docs[(a, y)].published = dates[rank[y][a]]

    for f in range(n_families):
        if len(ids) < 2:
            break
        y = years[int(rng.integers(len(years)))]
        chosen = sorted(rng.choice(ids, size=min(len(ids), family_size + 1), replace=False),
                        key=lambda a: rank[y][a])
        src = docs[(chosen[0], y)]
        section = "s1" if rng.random() < 0.7 else "s5"
        run = _pick_run(src, section, rng, 150, 450 if section == "s1" else 300)
        if not run:
            continue
        for t in chosen[1:]:
            plant("family", src, docs[(t, y)], section, 0, 0, family=f, run=list(run))
    n_docs = len(docs)
    n_pairs = int(rng.poisson(pair_rate * n_docs)) if len(ids) > 1 else 0
    for _ in range(n_pairs):
        y = years[int(rng.integers(len(years)))]
        a, b = sorted(rng.choice(ids, size=2, replace=False), key=lambda a: rank[y][a])
        section = "s1" if rng.random() < 0.6 else "s5"
        plant("pair", docs[(a, y)], docs[(b, y)], section, 30, 400)
    for y0, y1 in zip(years, years[1:]):
        if y1 != y0 + 1:
            continue
        for a in ids:
            if rng.random() >= self_copy_rate:
                continue
            for _ in range(int(rng.integers(1, 4))):
                section = "s1" if rng.random() < 0.7 else "s5"
                plant("self", docs[(a, y0)], docs[(a, y1)], section, 80, 500)
    return _finalize(docs, plants)


def _render(items: list) -> tuple[str, list[tuple[int, int]]]:
    """Section text and the span of every item (headings on their own line, sentences run together)."""
    out, spans, pos = [], [], 0
    for k, it in enumerate(items):
        if isinstance(it, str):
            piece = ("\n" if k else "") + it + "\n"
            spans.append((pos + (1 if k else 0), pos + len(piece) - 1))
        else:
            piece = it.text
            spans.append((pos, pos + len(piece)))
        out.append(piece)
        pos += len(piece)
    return "".join(out), spans


def _finalize(docs: dict, plants: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rendered = {}
    rows = []
    for (aid, y), d in docs.items():
        for sec in ("s1", "s5", "s6"):
            text, spans = _render(d.sections[sec])
            rendered[(aid, y, sec)] = (text, spans)
            rows.append({"doc_id": f"{aid}_{y}", "agency_id": aid, "agency": d.agency, "level": d.level,
                         "year": y, "published": d.published, "section": sec,
                         "heading": SECTION_HEADINGS[sec], "text": text, "synthetic": True})
    texts = pd.DataFrame(rows)
    truth = []
    for pid, p in enumerate(plants):
        src, tgt, sec = p["src"], p["tgt"], p["section"]
        stext, sspans = rendered[(src.agency_id, src.year, sec)]
        ttext, tspans = rendered[(tgt.agency_id, tgt.year, sec)]
        titems = tgt.sections[sec]
        tidx = [i for i, it in enumerate(titems) if isinstance(it, Sentence) and it.planted == pid]
        ids = {id(x) for x in p["sources"]}
        sidx = [i for i, it in enumerate(src.sections[sec]) if id(it) in ids]
        s0, s1 = sspans[sidx[0]][0], sspans[sidx[-1]][1]
        t0, t1 = tspans[tidx[0]][0], tspans[tidx[-1]][1]
        truth.append({"kind": p["kind"], "family": p["family"], "section": sec,
                      "source_doc": f"{src.agency_id}_{src.year}", "target_doc": f"{tgt.agency_id}_{tgt.year}",
                      "source_agency_id": src.agency_id, "target_agency_id": tgt.agency_id,
                      "source_year": src.year, "target_year": tgt.year,
                      "source_start": s0, "source_end": s1, "target_start": t0, "target_end": t1,
                      "length": t1 - t0, "source_length": s1 - s0, "edits": p["edits"],
                      "text": ttext[t0:t1]})
    for (aid, y), d in docs.items():
        text, spans = rendered[(aid, y, "s1")]
        m = [i for i, it in enumerate(d.sections["s1"]) if isinstance(it, Sentence) and it.planted == -1]
        for i in m:
            truth.append({"kind": "mandated", "family": None, "section": "s1", "source_doc": None,
                          "target_doc": f"{aid}_{y}", "source_agency_id": None, "target_agency_id": aid,
                          "source_year": None, "target_year": y, "source_start": None, "source_end": None,
                          "target_start": spans[i][0], "target_end": spans[i][1],
                          "length": spans[i][1] - spans[i][0], "source_length": None, "edits": "",
                          "text": text[spans[i][0]:spans[i][1]]})
    truth = pd.DataFrame(truth)
    truth.insert(0, "passage_id", range(len(truth)))
    for c in ("family", "source_year", "source_start", "source_end", "source_length"):
        truth[c] = truth[c].astype("Int64")
    return texts, truth


def expected_pairs(truth: pd.DataFrame, *, min_chars: int = 0) -> pd.DataFrame:
    """Every (doc_a, doc_b) passage the truth implies: planted copies plus family members among themselves.

    Returns ``section, doc_a, doc_b, a_start, a_end, b_start, b_end, length, kind, passage_id`` with offsets
    into the section texts (``doc_a`` is the source, or the earlier member of a family). Mandated wording
    is left out.

    Examples
    --------
    >>> import pandas as pd
    >>> ag = pd.DataFrame({"agency_id": ["a", "b", "c"], "agency": ["甲市财政局", "甲市教育局", "甲市人民政府"]})
    >>> _, truth = generate(ag, [2021], seed=2, n_families=1, family_size=2, pair_rate=0)
    >>> len(expected_pairs(truth))   # source->b, source->c, b<->c
    3
    """
    t = truth[truth["kind"] != "mandated"]
    rows = [{"section": r.section, "doc_a": r.source_doc, "doc_b": r.target_doc,
             "a_start": int(r.source_start), "a_end": int(r.source_end), "b_start": int(r.target_start),
             "b_end": int(r.target_end), "length": int(min(r.length, r.source_length)), "kind": r.kind,
             "passage_id": r.passage_id} for r in t.itertuples()]
    fam = t[t["kind"] == "family"]
    for _, g in fam.groupby(["family", "source_doc"]):
        g = g.sort_values("target_doc").to_dict("records")
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                a, b = g[i], g[j]
                rows.append({"section": a["section"], "doc_a": a["target_doc"], "doc_b": b["target_doc"],
                             "a_start": int(a["target_start"]), "a_end": int(a["target_end"]),
                             "b_start": int(b["target_start"]), "b_end": int(b["target_end"]),
                             "length": int(min(a["length"], b["length"])), "kind": "family_member",
                             "passage_id": a["passage_id"]})
    out = pd.DataFrame(rows, columns=["section", "doc_a", "doc_b", "a_start", "a_end", "b_start", "b_end",
                                      "length", "kind", "passage_id"])
    return out[out["length"] >= min_chars].reset_index(drop=True)


def planted_share(texts: pd.DataFrame, truth: pd.DataFrame, *, sections=("s1", "s5")) -> pd.DataFrame:
    """The true template share of every report: characters shared with another agency / copied from itself.

    ``share_other`` counts characters of the report's narrative (``sections``, mandated wording excluded)
    that lie in a passage shared with another agency's report (as source or as copy); ``share_self`` counts
    characters copied from the agency's own earlier report. Returns ``doc_id, narrative_chars, other_chars,
    self_chars, share_other, share_self``.
    """
    sec = texts[texts["section"].isin(sections)]
    masks = {(r.doc_id, r.section): np.zeros(len(r.text), dtype=np.int8) for r in sec.itertuples()}
    for r in truth.itertuples():
        if r.section not in sections:
            continue
        if r.kind == "mandated":
            masks[(r.target_doc, r.section)][r.target_start:r.target_end] = -1
    for r in truth[truth["kind"] != "mandated"].itertuples():
        if r.section not in sections:
            continue
        bit = 2 if r.kind == "self" else 1
        m = masks[(r.target_doc, r.section)][r.target_start:r.target_end]
        m[(m >= 0)] |= bit
        if r.kind != "self":
            m = masks[(r.source_doc, r.section)][r.source_start:r.source_end]
            m[(m >= 0)] |= bit
    rows = {}
    for (doc, _s), m in masks.items():
        d = rows.setdefault(doc, [0, 0, 0])
        d[0] += int((m >= 0).sum())
        d[1] += int(((m > 0) & (m & 1 > 0)).sum())
        d[2] += int(((m > 0) & (m & 2 > 0)).sum())
    out = pd.DataFrame([(k, *v) for k, v in rows.items()],
                       columns=["doc_id", "narrative_chars", "other_chars", "self_chars"])
    out["share_other"] = out["other_chars"] / out["narrative_chars"].clip(lower=1)
    out["share_self"] = out["self_chars"] / out["narrative_chars"].clip(lower=1)
    return out


def assemble(texts: pd.DataFrame, truth: pd.DataFrame | None = None, *, fill: dict | None = None):
    """Join the sections into whole SYNTHETIC reports (a documents frame) and move spans to document offsets.

    Parameters
    ----------
    texts, truth : DataFrame
        The output of :func:`generate`.
    fill : dict, optional
        Text for sections not generated here (``s2``..``s4``), keyed by section; default a one-line note.

    Returns
    -------
    documents : DataFrame
        ``doc_id, agency_id, agency, level, year, published, title, text, synthetic``.
    sections : DataFrame
        ``doc_id, section, heading, text, start, end`` (offsets of the section text in ``documents.text``).
    truth_doc : DataFrame or None
        ``truth`` with ``source_start/_end`` and ``target_start/_end`` moved to document offsets.
    """
    fill = {"s2": "（统计表略，synthetic）", "s3": "（统计表略，synthetic）", "s4": "（统计表略，synthetic）",
            **(fill or {})}
    docs, secs, offset = [], [], {}
    for doc_id, g in texts.groupby("doc_id", sort=False):
        by = dict(zip(g["section"], g["text"]))
        first = g.iloc[0]
        title = f"{first.agency}{first.year}年政府信息公开工作年度报告"
        parts, pos = [title + "\n"], len(title) + 1
        for s in ("s1", "s2", "s3", "s4", "s5", "s6"):
            body = by.get(s, fill.get(s))
            if body is None:
                continue
            head = SECTION_HEADINGS[s] + "\n"
            parts.append(head)
            pos += len(head)
            secs.append({"doc_id": doc_id, "section": s, "heading": SECTION_HEADINGS[s], "text": body,
                         "start": pos, "end": pos + len(body)})
            offset[(doc_id, s)] = pos
            parts.append(body + "\n")
            pos += len(body) + 1
        docs.append({"doc_id": doc_id, "agency_id": first.agency_id, "agency": first.agency,
                     "level": first.level, "year": int(first.year), "published": first.published,
                     "title": title, "text": "".join(parts), "synthetic": True})
    truth_doc = None
    if truth is not None:
        truth_doc = truth.copy()
        for side in ("source", "target"):
            off = [offset.get((d, s)) if isinstance(d, str) else None
                   for d, s in zip(truth[f"{side}_doc"], truth["section"])]
            off = pd.array(off, dtype="Int64")
            truth_doc[f"{side}_start"] = truth[f"{side}_start"].astype("Int64") + off
            truth_doc[f"{side}_end"] = truth[f"{side}_end"].astype("Int64") + off
    return pd.DataFrame(docs), pd.DataFrame(secs), truth_doc


def _content_len(text: str) -> int:
    return len(re.findall(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]", text))


def evaluate_passages(found: pd.DataFrame, truth_doc: pd.DataFrame, *, min_chars: int = 30,
                      min_overlap: float = 0.5) -> dict:
    """Passage-level recall and precision of ``found`` (from :func:`toolkit.shared_passages`) against the truth.

    ``truth_doc`` is the truth with document offsets (third output of :func:`assemble`). A planted passage
    of ``min_chars`` content characters or more is recalled when passages found for the same two reports
    cover at least ``min_overlap`` of it; a found passage is correct when at least ``min_overlap`` of it
    lies in planted passages (any length) of the same two reports. Returns ``recall, precision,
    n_truth, n_found, missed`` (frame of missed truth) and ``false`` (frame of wrong passages).
    """
    exp = expected_pairs(truth_doc)
    exp["content"] = [_content_len(t) for t in _expected_texts(truth_doc, exp)]

    def key(a, b):
        return (a, b) if a <= b else (b, a)

    by_pair: dict = {}
    for r in found.itertuples():
        by_pair.setdefault(key(r.doc_a, r.doc_b), []).append(r)
    hits = []
    for e in exp.itertuples():
        cover = 0
        for f in by_pair.get(key(e.doc_a, e.doc_b), []):
            s, t = (f.a_start, f.a_end) if f.doc_a == e.doc_a else (f.b_start, f.b_end)
            cover += max(0, min(t, e.a_end) - max(s, e.a_start))
        hits.append(cover >= min_overlap * (e.a_end - e.a_start))
    exp["hit"] = hits
    big = exp[exp["content"] >= min_chars]
    exp_by_pair: dict = {}
    for e in exp.itertuples():
        exp_by_pair.setdefault(key(e.doc_a, e.doc_b), []).append(e)
    ok = []
    for f in found.itertuples():
        cover = 0
        for e in exp_by_pair.get(key(f.doc_a, f.doc_b), []):
            s, t = (f.a_start, f.a_end) if f.doc_a == e.doc_a else (f.b_start, f.b_end)
            cover += max(0, min(t, e.a_end) - max(s, e.a_start))
        ok.append(cover >= min_overlap * (f.a_end - f.a_start))
    ok = np.asarray(ok, dtype=bool)
    return {"recall": float(big["hit"].mean()) if len(big) else float("nan"),
            "precision": float(ok.mean()) if len(ok) else float("nan"),
            "n_truth": int(len(big)), "n_found": int(len(found)),
            "missed": big[~big["hit"]], "false": found[~ok] if len(found) else found}


def _expected_texts(truth_doc, exp):
    t = truth_doc.set_index("passage_id")["text"]
    return [t[p] for p in exp["passage_id"]]
