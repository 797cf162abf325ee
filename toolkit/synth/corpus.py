"""A SYNTHETIC city's annual reports in every input form, with the ground truth beside them.

:func:`make_corpus` writes the reports of 合成市 ("synthetic city": ~40 departments and 6 district
governments, report years 2020-2022) as pipe-flattened text, HTML pages with tables, PDFs with a text
layer (Noto Sans CJK embedded) and Word files; a few in traditional characters and a few in GB18030.
Numbers come from :mod:`toolkit.synth.tables` (identities I1-I4 hold, carry-over I6 holds between
consecutive years), narratives from :mod:`toolkit.synth.narrative` (our own phrase banks, with planted
copy families). Then it plants known faults: broken identities, late publication, the superseded
template, narrative numbers that contradict the table, broken carry-over.

Layout of ``out_dir``::

    README.md               what this is (SYNTHETIC), how it was made, the seed
    manifest.csv            what a collector knows: file, agency, region, level, year, synthetic
    <agency_id>_<year>.<ext>  the reports (txt, html, pdf, docx)
    truth/documents.csv     every report's true metadata and planted faults
    truth/cells.csv         the table cells as printed (keys of templates.md §10)
    truth/findings.csv      planted findings: file, check, table, row, col, expected, observed
    truth/copies.csv        planted copied passages (section offsets) and copy families
    truth/template_share.csv  true share of narrative shared with other agencies / own earlier reports

Every name says 合成 (synthetic), every file carries a line saying it is synthetic.
"""
from __future__ import annotations

import logging
import random
import re
import shutil
from pathlib import Path

import pandas as pd

from toolkit.errors import ArgumentError

logger = logging.getLogger(__name__)

CITY = "合成市"  # "synthetic city": not a real place
REGION = "合成省合成市（synthetic）"
SYNTHETIC_NOTE = "说明：本报告为合成数据（synthetic），由 toolkit.synth 生成，仅供方法测试，不代表任何真实机关。"

DEPARTMENTS = [
    ("fgw", "发展和改革委员会"), ("jyj", "教育局"), ("kjj", "科学技术局"), ("gxj", "工业和信息化局"),
    ("mzj", "民政局"), ("sfj", "司法局"), ("czj", "财政局"), ("rsj", "人力资源和社会保障局"),
    ("zrj", "自然资源和规划局"), ("sthj", "生态环境局"), ("zjj", "住房和城乡建设局"), ("jtj", "交通运输局"),
    ("slj", "水利局"), ("nyj", "农业农村局"), ("swj", "商务局"), ("wlj", "文化广电旅游局"),
    ("wjw", "卫生健康委员会"), ("tyj", "退役军人事务局"), ("yjj", "应急管理局"), ("sjj", "审计局"),
    ("gzw", "国有资产监督管理委员会"), ("scj", "市场监督管理局"), ("tjj", "统计局"), ("ybj", "医疗保障局"),
    ("jrb", "金融工作办公室"), ("xfj", "信访局"), ("cgj", "城市管理局"), ("lyj", "林业局"),
    ("tyjj", "体育局"), ("mzzj", "民族宗教事务局"), ("xzfw", "行政审批服务局"), ("gaj", "公安局"),
    ("sjzx", "大数据中心"), ("rfb", "人民防空办公室"), ("dag", "档案局"), ("qxj", "气象局"),
    ("gjj", "住房公积金管理中心"), ("lsj", "粮食和物资储备局"), ("jgsw", "机关事务管理局"), ("zfb", "人民政府办公室"),
]
DISTRICTS = [("dhq", "东湖区"), ("xsq", "西山区"), ("nlq", "南岭区"), ("btq", "北塘区"), ("zjq", "中江区"),
             ("xgq", "新港区")]
YEARS = (2020, 2021, 2022)
FORMAT_SHARES = {"txt": 0.40, "html": 0.25, "pdf": 0.20, "docx": 0.15}
# a quoted number of requests received (本年新收…申请N件, 共收到…申请N件, 通过…接收…申请N件)
_REQ = re.compile(r"(本年(?:度)?新收|新收到|共收到|收到|接收|受理)([^。；;，,！!？?\d|\n]{0,30}?)申请(?:数量)?"
                  r"(?:共计|合计|总计|累计|共|为|达)?(\d+)件")


def agencies(n_departments: int = 40, n_districts: int = 6) -> pd.DataFrame:
    """The synthetic agencies: ``agency_id, agency, level`` (departments, then district governments)."""
    if not 1 <= n_departments <= len(DEPARTMENTS) or not 0 <= n_districts <= len(DISTRICTS):
        raise ArgumentError(f"n_departments must be 1..{len(DEPARTMENTS)} and n_districts 0..{len(DISTRICTS)}")
    rows = [(f"hc_{k}", f"{CITY}{name}", "department") for k, name in DEPARTMENTS[:n_departments]]
    rows += [(f"hc_{k}", f"{CITY}{name}人民政府", "district") for k, name in DISTRICTS[:n_districts]]
    return pd.DataFrame(rows, columns=["agency_id", "agency", "level"])


def deadline(year: int, level: str) -> str:
    """Publication deadline of a report as ``YYYY-MM-DD``: the rule of :func:`toolkit.checks.deadline`."""
    from toolkit.checks import deadline as legal_deadline

    return legal_deadline(year, level).isoformat()


# ---- planning -------------------------------------------------------------------------------------
def _plan(docs: pd.DataFrame, copy_truth: pd.DataFrame, rng: random.Random, *, n_identity: int, n_blank_total: int,
          n_late: int, n_superseded: int, n_traditional: int, n_narrative: int, n_carry: int,
          n_gb18030: int) -> pd.DataFrame:
    docs = docs.copy()
    n = len(docs)
    fmts = [f for f, s in FORMAT_SHARES.items() for _ in range(round(s * n))]
    fmts = (fmts + ["txt"] * n)[:n]
    rng.shuffle(fmts)
    docs["format"] = fmts
    docs["template"] = docs["year"].map(lambda y: "2019" if y < 2021 else "2021")
    docs["expected_template"] = docs["template"]
    docs["faults"] = [[] for _ in range(n)]
    sources = set(copy_truth.loc[copy_truth["kind"].isin(["family", "pair"]), "source_doc"])
    taken: set[int] = set()

    def pick(k, cond=lambda r: True, exclusive=True):
        cand = [i for i in docs.index if cond(docs.loc[i]) and (not exclusive or i not in taken)]
        rng.shuffle(cand)
        chosen = cand[:k]
        if exclusive:
            taken.update(chosen)
        return chosen

    for i in pick(n_superseded, lambda r: r.year >= 2021):
        docs.at[i, "template"] = "2019"
        docs.at[i, "faults"].append("superseded-template")
    idents = ["I1", "I2", "I3", "I4"]
    for j, i in enumerate(pick(n_identity)):
        docs.at[i, "faults"].append(f"identity-{idents[j % 4].lower()}")
    for i in pick(n_blank_total, lambda r: r.format != "pdf"):  # a blank cell leaves no trace in PDF text
        docs.at[i, "faults"].append("blank-total")
    for i in pick(n_late, lambda r: r.doc_key not in sources):
        docs.at[i, "faults"].append("late-publication")
    for i in pick(n_narrative):
        docs.at[i, "faults"].append("narrative-i7")
    for i in pick(n_carry, lambda r: r.year > min(YEARS)):
        docs.at[i, "faults"].append("carry-over-i6")
    docs["script"] = "simplified"
    for i in pick(n_traditional, lambda r: r.format in ("txt", "html"), exclusive=False):
        docs.at[i, "script"] = "traditional"
    docs["encoding"] = "utf-8"
    for i in pick(n_gb18030, lambda r: r.format in ("txt", "html") and r.script == "simplified", exclusive=False):
        docs.at[i, "encoding"] = "gb18030"
    layouts = []
    for r in docs.itertuples():
        layouts.append({"txt": rng.choice(["pipe_row_per_line", "pipe_cell_per_line"]), "html": "html",
                        "pdf": "pdf_text", "docx": "docx"}[r.format])
    docs["layout"] = layouts
    return docs


def _dates(docs: pd.DataFrame, narrative_pub: dict, rng: random.Random) -> pd.Series:
    """On-time dates in January keeping the narrative's order (sources first); late ones after the deadline."""
    out = {}
    for y, g in docs.groupby("year"):
        order = sorted(g.index, key=lambda i: (narrative_pub[g.loc[i, "doc_key"]], g.loc[i, "doc_key"]))
        for rank, i in enumerate(order):
            day = 4 + int(round(rank * 25 / max(1, len(order) - 1)))
            out[i] = f"{y + 1}-01-{day:02d}"
        for i in g.index:
            if "late-publication" in g.loc[i, "faults"]:
                dl = pd.Timestamp(deadline(int(y), g.loc[i, "level"]))
                out[i] = (dl + pd.Timedelta(days=rng.randint(3, 60))).strftime("%Y-%m-%d")
    return pd.Series(out).reindex(docs.index)


# ---- tables ---------------------------------------------------------------------------------------
def _set(cells: pd.DataFrame, table: str, row: str, col: str, value: float) -> None:
    m = (cells["table"] == table) & (cells["row"] == row) & (cells["col"] == col)
    cells.loc[m, "value"] = float(value)
    cells.loc[m, "raw"] = str(int(value)) if float(value).is_integer() else f"{value:g}"


def _get(cells: pd.DataFrame, table: str, row: str, col: str) -> float:
    m = (cells["table"] == table) & (cells["row"] == row) & (cells["col"] == col)
    v = cells.loc[m, "value"]
    return float(v.iloc[0]) if len(v) and pd.notna(v.iloc[0]) else 0.0


_APPLICANT = ("natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
              "org_other")


def _chain_carry_over(cells: pd.DataFrame, prev: pd.DataFrame) -> None:
    """Make carried_over_from_prev equal last year's carried_to_next (I6), keeping I1-I3 (in place)."""
    for c in _APPLICANT:
        from_prev = _get(prev, "t3", "carried_to_next", c)
        r_total = _get(cells, "t3", "r_total", c)
        to_next = _get(cells, "t3", "carried_to_next", c)
        new = r_total + to_next - from_prev
        if new < 0:  # more carried in than handled: grant the rest this year
            for row in ("r_granted", "r_total"):
                _set(cells, "t3", row, c, _get(cells, "t3", row, c) - new)
            new = 0
        _set(cells, "t3", "carried_over_from_prev", c, from_prev)
        _set(cells, "t3", "new_received", c, new)
    t3 = cells[cells["table"] == "t3"]
    for row in t3["row"].unique():
        _set(cells, "t3", row, "total", sum(_get(cells, "t3", row, c) for c in _APPLICANT))
    # heuristic H2 (2019 format): items last year = last year's items + last year's change
    if "prev_year_items" in set(prev["col"]) and "prev_year_items" in set(cells["col"]):
        for row in cells.loc[cells["col"] == "prev_year_items", "row"].unique():
            v = _get(prev, "t2", row, "prev_year_items") + _get(prev, "t2", row, "delta_items")
            if v >= 0:
                _set(cells, "t2", row, "prev_year_items", v)
    # heuristic H1 (2021 format): in force = last year's in force + issued - repealed
    if {"in_force"} <= set(prev["col"]) and {"in_force"} <= set(cells["col"]):
        for row in ("regulations", "normative_docs"):
            v = _get(prev, "t2", row, "in_force") + _get(cells, "t2", row, "issued") - _get(cells, "t2", row, "repealed")
            if v >= 0:
                _set(cells, "t2", row, "in_force", v)


def _make_cells(docs: pd.DataFrame, rng: random.Random, seed: int) -> tuple[dict, list[dict]]:
    from toolkit.synth.tables import consistent_cells, perturb

    cells: dict[str, pd.DataFrame] = {}
    findings: list[dict] = []
    by_key = {(r.agency_id, r.year): r for r in docs.itertuples()}
    for r in sorted(docs.itertuples(), key=lambda r: (r.year, r.agency_id)):
        scale = rng.choice([0, 4, 8, 15, 30, 60, 120]) if r.level == "department" else rng.choice([60, 150, 300])
        faults = r.faults
        if any(f.startswith("identity") or f in ("blank-total", "carry-over-i6", "narrative-i7") for f in faults):
            scale = max(scale, 30)
        c = consistent_cells(r.template, seed=seed * 1000 + r.Index, scale=scale, doc_id=r.file)
        prev = by_key.get((r.agency_id, r.year - 1))
        if prev is not None:
            _chain_carry_over(c, cells[prev.file])
        if "carry-over-i6" in faults:
            col = max(_APPLICANT, key=lambda k: _get(c, "t3", "new_received", k))
            k = min(int(_get(c, "t3", "new_received", col)), rng.randint(2, 6))
            if k <= 0:
                raise RuntimeError("carry-over fault needs new requests")
            for row, d in (("carried_over_from_prev", k), ("new_received", -k)):
                for cc in (col, "total"):
                    _set(c, "t3", row, cc, _get(c, "t3", row, cc) + d)
            for cc in (col, "total"):
                exp = _get(cells[prev.file], "t3", "carried_to_next", cc)
                findings.append(dict(file=r.file, check="carry-over-i6", table="t3", row="carried_over_from_prev",
                                     col=cc, expected=exp, observed=exp + k, severity="warning",
                                     note=f"carried over {exp + k:g}, but last year's report carried {exp:g}"))
        for f in faults:
            if f.startswith("identity-"):
                ident = f.split("-")[1].upper()
                p = perturb(c, identity=ident, kind="arithmetic", seed=seed + r.Index)
                c = p.cells
                (table, row, col, old, new), = p.changed
                nxt = by_key.get((r.agency_id, r.year + 1))
                if (table, row) == ("t3", "carried_to_next") and nxt is not None:
                    # next year's report carries the printed cells over: its 总计 differs from this 总计 (I6)
                    nxt.faults.append("carry-over-i6")
                    findings.append(dict(file=nxt.file, check="carry-over-i6", table="t3",
                                         row="carried_over_from_prev", col="total", expected=None, observed=None,
                                         severity="warning", note=f"consequence of {r.file}: {row}/{col} {old} -> {new}"))
                if (table, row) == ("t3", "carried_over_from_prev") and prev is not None:  # I6 breaks too
                    exp = _get(cells[prev.file], "t3", "carried_to_next", col)
                    findings.append(dict(file=r.file, check="carry-over-i6", table="t3", row=row, col=col,
                                         expected=exp, observed=float(new), severity="warning",
                                         note=f"planted: {table}/{row}/{col} changed {old} -> {new}"))
                for b_ident, b_table, left in p.breaks:
                    (lrow, lcol), *_ = left
                    findings.append(dict(file=r.file, check=f"identity-{b_ident.lower()}", table=b_table, row=lrow,
                                         col=lcol, expected=None, observed=None, severity="error",
                                         note=f"planted: {table}/{row}/{col} changed {old} -> {new}"))
            elif f == "blank-total":
                p = perturb(c, identity=rng.choice(["I3", "I4"]), kind="blank_total", seed=seed + r.Index)
                c = p.cells
                for table, row, col, old, new in p.changed:
                    findings.append(dict(file=r.file, check="blank-total", table=table, row=row, col=col,
                                         expected=float(old), observed=None, severity="warning",
                                         note=f"planted: total {old} printed as {new!r}"))
                    if table in ("t3", "t4"):  # a blank or '/' cell in 表三/表四 is a finding of its own
                        findings.append(dict(file=r.file, check="blank-cells", table=table, row=None, col=None,
                                             expected=None, observed=None, severity="warning",
                                             note=f"planted: {table}/{row}/{col} printed as {new!r}"))
        cells[r.file] = c
    return cells, findings


# ---- narrative --------------------------------------------------------------------------------------
def _shift(truth: pd.DataFrame, doc: str, section: str, pos: int, delta: int) -> None:
    """Move every passage offset after ``pos`` in (doc, section) by ``delta`` (in place)."""
    for side in ("target", "source"):
        m = (truth[f"{side}_doc"] == doc) & (truth["section"] == section)
        for col in (f"{side}_start", f"{side}_end"):
            mm = m & truth[col].notna() & (truth[col] > pos)
            truth.loc[mm, col] = truth.loc[mm, col] + delta


def _align_numbers(texts: pd.DataFrame, truth: pd.DataFrame, docs: pd.DataFrame, cells: dict,
                   rng: random.Random) -> list[dict]:
    """Numbers of requests quoted in 一、总体情况 = the table's 本年新收 total (I7); plant the mismatches."""
    findings = []
    for idx in texts.index[texts["section"] == "s1"]:
        key = texts.at[idx, "doc_id"]
        r = docs.loc[docs["doc_key"] == key].iloc[0]
        n = int(_get(cells[r.file], "t3", "new_received", "total"))
        text = texts.at[idx, "text"]
        planted = "narrative-i7" in r.faults
        if planted and not _REQ.search(text):  # give it a sentence to contradict the table
            add = f"全年共收到政府信息公开申请{n}件。"
            text = text.rstrip("\n") + add + ("\n" if text.endswith("\n") else "")
        prev = int(_get(cells[r.file], "t3", "carried_over_from_prev", "total"))
        bump = rng.choice([b for b in range(3, 10) if b != prev])  # n + prev is also accepted as a reading
        out, pos_shift = [], 0
        last = 0
        for k, m in enumerate(_REQ.finditer(text)):
            want = n + bump if planted else n
            if planted and k == 0:
                findings.append(dict(file=r.file, check="narrative-i7", table="t3", row="new_received",
                                     col="total", expected=float(n), observed=float(want), severity="warning",
                                     note=f"planted: 一、总体情况 says {m.group(0)[:-len(m.group(3)) - 1]}{want}件"))
            start = m.start(3) + pos_shift
            delta = len(str(want)) - len(m.group(3))
            out.append(text[last:m.start(3)] + str(want))
            last = m.end(3)
            if delta:
                _shift(truth, key, "s1", start, delta)
            pos_shift += delta
        out.append(text[last:])
        texts.at[idx, "text"] = "".join(out)
    # refresh the passage texts from the final section texts
    sec = {(d, s): t for d, s, t in zip(texts["doc_id"], texts["section"], texts["text"])}
    truth["text"] = [sec[(d, s)][int(a):int(b)] for d, s, a, b in
                     zip(truth["target_doc"], truth["section"], truth["target_start"], truth["target_end"])]
    truth["length"] = (truth["target_end"] - truth["target_start"]).astype(int)
    truth["source_length"] = (truth["source_end"] - truth["source_start"]).astype("Int64")
    return findings


# ---- the corpus -------------------------------------------------------------------------------------
README = """# 合成市 (synthetic city): a SYNTHETIC corpus of annual reports

**Everything in this folder is synthetic.** 合成市 ("synthetic city") does not exist; the agencies, texts and
numbers were generated by `toolkit.synth.make_corpus(seed={seed})` from the toolkit's own phrase banks and
random tables. Nothing here is taken from a real report. Regenerate it with

    toolkit synth corpora/synthetic --seed {seed} --overwrite --combine-parent

Contents: {n_docs} reports of {n_agencies} agencies ({n_dept} departments, {n_dist} district governments) for the
report years {years} (2020 with the 2019 template, later years with the 2021 template), as
{formats}. {n_trad} are in traditional characters, {n_gbk} are encoded in GBK.

Planted faults (the ground truth in `truth/`):

{faults}

Copied narrative (from `toolkit.synth.narrative`): {n_fam} copy families (one model text copied by several
agencies of the same year), {n_pair} one-to-one copies and {n_self} copies of an agency's own previous report,
with light edits (names swapped, numbers changed, phrases replaced, characters inserted or dropped).

Files in `truth/`: `documents.csv` (true metadata and planted faults per file), `cells.csv` (every table cell
as printed, keys of templates.md §10), `findings.csv` (planted findings: file, check, table, row, col,
expected, observed), `copies.csv` (planted copied passages, offsets into the section texts, with
`source_file`/`target_file`), `template_share.csv` (true share of each report's narrative shared with other
agencies / copied from its own earlier report). `manifest.csv` holds only what a collector would know
(file, agency, region, level, year, synthetic); publication dates and templates are left for the toolkit to find.
"""


def make_corpus(out_dir: str | Path, *, seed: int = 20240101, n_departments: int = 40, n_districts: int = 6,
                years=YEARS, n_identity: int = 8, n_blank_total: int = 2, n_late: int = 8, n_superseded: int = 5,
                n_traditional: int = 5, n_narrative: int = 3, n_carry: int = 2, n_gb18030: int = 4,
                n_families: int = 4, family_size: int = 4, overwrite: bool = False,
                progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """Generate the SYNTHETIC corpus of 合成市 with its ground truth into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Output folder (created). Must be empty or absent unless ``overwrite=True``.
    seed : int
        Seed of every random choice: the same seed gives the same files.
    n_departments, n_districts : int
        Agencies (at most 40 departments and 6 district governments).
    years : sequence of int
        Report years (2019/2020 use the 2019 template, later years the 2021 template).
    n_identity, n_blank_total, n_late, n_superseded, n_narrative, n_carry : int
        Reports with a planted fault of each kind: a broken identity (I1-I4 in turn), a blank total, a
        publication after the deadline, the superseded template, a narrative number contradicting the
        table (I7), a carry-over differing from the previous report (I6). Each report has at most one.
    n_traditional, n_gb18030 : int
        Text/HTML reports written in traditional characters / encoded in GBK.
    n_families, family_size : int
        Copy families of the narrative generator.
    overwrite : bool
        Replace an existing corpus in ``out_dir``.
    progress : bool, optional
        Progress bar while writing (default: only on a terminal).

    Returns
    -------
    dict of DataFrame
        ``manifest``, ``documents``, ``cells``, ``findings``, ``copies``, ``template_share`` (also written).

    Examples
    --------
    >>> info = make_corpus("/tmp/synthetic_demo", seed=1, n_departments=4, n_districts=1,
    ...                    overwrite=True, progress=False)  # doctest: +SKIP
    >>> sorted(info)  # doctest: +SKIP
    ['cells', 'copies', 'documents', 'findings', 'manifest', 'template_share']
    """
    from toolkit.progress import bar

    from toolkit.synth import narrative
    from toolkit.synth.writers import WRITERS, Report

    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise ArgumentError(f"out_dir={str(out)!r} is not empty; pass overwrite=True to replace it")
        for p in out.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    rng = random.Random(seed)
    ag = agencies(n_departments, n_districts)
    years = sorted(int(y) for y in years)
    texts, copy_truth = narrative.generate(ag, years, seed=seed, n_families=n_families, family_size=family_size)
    docs = pd.DataFrame([(a.agency_id, a.agency, a.level, y) for y in years for a in ag.itertuples()],
                        columns=["agency_id", "agency", "level", "year"])
    docs["doc_key"] = docs["agency_id"] + "_" + docs["year"].astype(str)
    docs = _plan(docs, copy_truth, rng, n_identity=n_identity, n_blank_total=n_blank_total, n_late=n_late,
                 n_superseded=n_superseded, n_traditional=n_traditional, n_narrative=n_narrative, n_carry=n_carry,
                 n_gb18030=n_gb18030)
    docs["file"] = docs["doc_key"] + "." + docs["format"]
    pub = dict(zip(texts["doc_id"], texts["published"]))
    docs["published"] = _dates(docs, pub, rng)
    docs["deadline"] = [deadline(y, lv) for y, lv in zip(docs["year"], docs["level"])]
    cells, findings = _make_cells(docs, rng, seed)
    findings += _align_numbers(texts, copy_truth, docs, cells, rng)
    for r in docs.itertuples():
        if "late-publication" in r.faults:
            findings.append(dict(file=r.file, check="late-publication", table=None, row=None, col=None,
                                 expected=r.deadline, observed=r.published, severity="error",
                                 note=f"published {r.published}, deadline {r.deadline}"))
        if "superseded-template" in r.faults:
            findings.append(dict(file=r.file, check="superseded-template", table=None, row=None, col=None,
                                 expected=r.expected_template, observed=r.template, severity="warning",
                                 note=f"a {r.year} report printed in the 2019 format"))
    sec = {(d, s): t for d, s, t in zip(texts["doc_id"], texts["section"], texts["text"])}
    for r in bar(list(docs.itertuples()), progress=progress, desc="synthetic reports"):
        title = f"{r.agency}{r.year}年政府信息公开工作年度报告"
        y, m, d = (int(x) for x in r.published.split("-"))
        rep = Report(title=title,
                     header=[f"标题：{title}", f"发布日期：{r.published}", f"来源：{CITY}人民政府门户网站（synthetic）",
                             SYNTHETIC_NOTE],
                     s1=sec[(r.doc_key, "s1")], s5=sec[(r.doc_key, "s5")], s6=sec[(r.doc_key, "s6")],
                     signature=[r.agency, f"{y}年{m}月{d}日"], cells=cells[r.file], layout=r.layout,
                     script=r.script, encoding=r.encoding, seed=seed + r.Index)
        WRITERS[r.format](rep, out / r.file)

    # ---- truth ----
    docs["faults"] = docs["faults"].map(lambda f: ";".join(f))
    docs["clean"] = docs["faults"].eq("")
    docs["region"] = REGION
    docs["synthetic"] = True
    manifest = docs[["file", "agency", "region", "level", "year", "synthetic"]].copy()
    manifest.to_csv(out / "manifest.csv", index=False)
    truth_docs = docs[["file", "doc_key", "agency_id", "agency", "region", "level", "year", "published", "deadline",
                       "template", "expected_template", "format", "layout", "script", "encoding", "faults", "clean",
                       "synthetic"]]
    truth_docs.to_csv(out / "truth" / "documents.csv", index=False)
    all_cells = pd.concat(cells.values(), ignore_index=True).rename(columns={"doc_id": "file"})
    all_cells = all_cells.drop(columns=["candidates"], errors="ignore")
    all_cells.to_csv(out / "truth" / "cells.csv", index=False)
    fnd = pd.DataFrame(findings, columns=["file", "check", "table", "row", "col", "expected", "observed",
                                          "severity", "note"])
    fnd.to_csv(out / "truth" / "findings.csv", index=False)
    key2file = dict(zip(docs["doc_key"], docs["file"]))
    copies = copy_truth.copy()
    copies.insert(1, "source_file", copies["source_doc"].map(key2file))
    copies.insert(2, "target_file", copies["target_doc"].map(key2file))
    copies.to_csv(out / "truth" / "copies.csv", index=False)
    share = narrative.planted_share(texts, copy_truth)
    share.insert(0, "file", share["doc_id"].map(key2file))
    share.to_csv(out / "truth" / "template_share.csv", index=False)
    kinds = copies["kind"].value_counts()
    fault_lines = "\n".join(f"- `{k}`: {v} report(s)" for k, v in
                            pd.Series([f for fs in docs["faults"] for f in fs.split(";") if f]).value_counts().items())
    (out / "README.md").write_text(README.format(
        seed=seed, n_docs=len(docs), n_agencies=len(ag), n_dept=int((ag.level == "department").sum()),
        n_dist=int((ag.level == "district").sum()), years=", ".join(map(str, years)),
        formats=", ".join(f"{v} {k}" for k, v in docs["format"].value_counts().items()),
        n_trad=int((docs.script == "traditional").sum()), n_gbk=int((docs.encoding != "utf-8").sum()),
        faults=fault_lines, n_fam=int(copies.loc[copies.kind == "family", "family"].nunique()),
        n_pair=int(kinds.get("pair", 0)), n_self=int(kinds.get("self", 0))), encoding="utf-8")
    logger.info("synthetic corpus: %d reports -> %s", len(docs), out)
    return {"manifest": manifest, "documents": truth_docs, "cells": all_cells, "findings": fnd, "copies": copies,
            "template_share": share}


def combine_manifests(root: str | Path) -> pd.DataFrame:
    """Write ``root/manifest.csv`` from the ``manifest.csv`` of each sub-folder (paths made relative to root).

    ``toolkit.load_corpus(root)`` reads only the manifest at the root of a corpus; this keeps the bundled
    corpus (``corpora/``: the seed at the top, ``synthetic/`` below) described by one manifest. Files at the
    top level without a row keep their inferred metadata (and ``synthetic`` False).
    """
    root = Path(root)
    frames = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        m = sub / "manifest.csv"
        if m.is_file():
            df = pd.read_csv(m, dtype={"year": "Int64"})
            df["file"] = sub.name + "/" + df["file"].astype(str)
            frames.append(df)
    man = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["file"])
    man.to_csv(root / "manifest.csv", index=False)
    return man


__all__ = ["make_corpus", "combine_manifests", "agencies", "deadline", "CITY", "YEARS"]
