"""One document's tables: template detection, rows, readings, identities, evidence -> cells."""
from __future__ import annotations

import functools
import re
import logging
from dataclasses import dataclass

from toolkit import templates

from .detect import Folded, detect_template, fold
from .evidence import narrative_facts
from .fused import (Cell, RowReadings, cells_of, cross_consistent, cross_filter, read_row, row_check, strict_check, vanished,
                    with_vanished_blanks)
from .text import RowText, _find_any, caption_anchors, fit_cells, locate_table, row_anchors, _sequential

log = logging.getLogger(__name__)

_T3_HEADS = ("收到和处理政府信息公开申请", "本列数据的勾稽关系", "申请人情况")
_T2_HEADS = ("主动公开政府信息情况",)


@dataclass
class DocTables:
    template: str | None
    rows: dict[tuple[str, str], RowReadings]  # (table, row) -> readings
    found: dict[tuple[str, str], RowText]


def _t3_first_row(f: Folded, block) -> int:
    """Folded position of table 3's first row: the 本年新收 occurrence followed by most row labels."""
    first = row_anchors(block.rows[0])
    best, best_score = -1, 0
    pos = 0
    while True:
        p, n = _find_any(f, first, pos, len(f.s))
        if p < 0:
            break
        found = _sequential(f, block.rows, p, len(f.s))
        score = len(found) if block.rows[0].key in found else 0
        if score >= best_score and score >= 3:  # ties: the later one (narrative mentions come first)
            best, best_score = p, score
        pos = p + n
    if best < 0:  # first row not printed (or not recognised): start at the table's header instead
        pos = 0
        while True:
            p, n = _find_any(f, _T3_HEADS, pos, len(f.s))
            if p < 0:
                break
            score = len(_sequential(f, block.rows, p, len(f.s)))
            if score >= max(best_score, 5):
                best, best_score = p, score
            pos = p + n
    return best


# table 3's header as repeated at the top of each page (Word's 重复标题行), folded, longest first
_T3_HEADER_WORDS = tuple(sorted({fold(w) for w in (
    "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "本列数据的勾稽关系为", "本列数据的勾稽关系",
    "第一项加第二项之和", "等于第三项加第四项之和", "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构",
    "社会公益组织", "法律服务机构", "其他", "总计", "小计", "法人或其他组织小计")}, key=len, reverse=True))
_T3_REPEAT = ("本列数据的勾稽关系", "申请人情况", "自然人法人或其他组织", "商业企业科研机构")


def mask_repeated_header(f: Folded, start: int, end: int) -> Folded | None:
    """``f`` with table 3's header blanked where a page break repeats it inside the table (``start:end``).

    Word and WPS repeat a table's header rows at the top of every page it runs over; read cell by
    cell, the repeat lands between two rows, or inside a row that the page break cuts in two. Its
    words (总计, 其他 ...) are also row anchors, so it is replaced by spaces (text offsets are kept).
    Returns None when there is no repeat.
    """
    h0, _ = _find_any(f, _T3_REPEAT, max(0, start - 400), start)
    first = f.s[h0:start] if h0 >= 0 else ""  # the header as printed above the first row
    spans = []
    pos = start
    while True:
        q, n = _find_any(f, _T3_REPEAT, pos, end)
        if q < 0:
            break
        # a repeat is drawn like the first header: blank what matches it around the trigger word (a
        # running-header filter may have taken its first lines), then header words after it
        lo, r = q, q + n
        o = first.find(f.s[q:q + n])
        if o >= 0:
            while lo > pos and o - (q - lo) > 0 and f.s[lo - 1] == first[o - (q - lo) - 1]:
                lo -= 1
            while r < end and o + (r - q) < len(first) and f.s[r] == first[o + (r - q)]:
                r += 1
        while r < end:
            w = next((w for w in _T3_HEADER_WORDS if f.s.startswith(w, r)), None)
            if w is None:
                break
            r += len(w)
        spans.append((lo, r))
        pos = max(r, q + 1)
    if not spans:
        return None
    chars = list(f.text)
    for q, r in spans:
        a, b = f.idx[q], f.idx[r - 1] + 1
        # with the brackets and punctuation around it on the same lines: （本列数据…之和）
        while a > 0 and chars[a - 1] not in "\n\f" and not _KEPT.match(chars[a - 1]):
            a -= 1
        while b < len(chars) and chars[b] not in "\n\f" and not _KEPT.match(chars[b]):
            b += 1
        for i in range(a, b):
            if chars[i] not in "\n\f":
                chars[i] = " "
    return Folded("".join(chars))


_KEPT = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _subtotal_position(header: str) -> int | None:
    """Index of an extra 法人或其他组织小计 column in an 8-number table-3 row, from the header."""
    if "小计" not in header:
        return None
    return 1 if header.find("小计") < max(header.find("商业企业"), header.find("商业")) else 6


def _drop_subtotal(tokens, pos: int | None):
    vals = [t.value for t in tokens]
    if any(v is None for v in vals):
        return tokens[:pos] + tokens[pos + 1:] if pos is not None else tokens
    orgs_ok = {p: abs(vals[p] - sum(vals[q] for q in range(8) if q not in (0, p, 7))) < 1e-6 for p in (1, 6)}
    if pos is None:
        pos = next((p for p in (6, 1) if orgs_ok[p]), None)
        if pos is None:
            return tokens
    return tokens[:pos] + tokens[pos + 1:]


def _read_text(f: Folded, tpl) -> dict[str, dict[str, RowText]]:
    """Rows of each table found in one folded text."""
    t3 = tpl.table("t3")
    b3 = t3.blocks[0]
    out: dict[str, dict[str, RowText]] = {"t2": {}, "t3": {}, "t4": {}}
    p3 = _t3_first_row(f, b3)
    if p3 >= 0:
        p4, _ = _find_any(f, ("行政复议", "行政诉讼"), p3, len(f.s))
        masked = mask_repeated_header(f, p3, p4 if p4 >= 0 else len(f.s))
        if masked is not None:  # positions before p3 are unchanged
            f = masked
    # table 2: from its first caption (or heading) up to table 3's header
    limit2 = p3 if p3 >= 0 else len(f.s)
    p2, _ = _find_any(f, caption_anchors(tpl.table("t2").blocks[0].key), 0, limit2)
    if p2 < 0:  # no （一） caption: the first caption of a later block, else the heading
        p2, _ = _find_any(f, [a for b in tpl.table("t2").blocks for a in caption_anchors(b.key)], 0, limit2)
    if p2 < 0:
        p2, _ = _find_any(f, _T2_HEADS, 0, limit2)
    if p2 >= 0:
        end2 = limit2
        if p3 >= 0:
            h, _ = _find_any(f, _T3_HEADS, p2, p3)
            end2 = h if h >= 0 else p3
        out["t2"] = locate_table(f, tpl.table("t2"), start=p2, end=end2)
    if p3 >= 0:
        p4, _ = _find_any(f, ("行政复议", "行政诉讼"), p3, len(f.s))  # table 3 ends where table 4 starts
        out["t3"] = locate_table(f, t3, start=p3, end=p4 if p4 >= 0 else None)
        other = out["t3"].get("r_other")
        if other is not None:  # 2019 rows over a table printing the 2021 sub-rows of （六）: not one cell
            after = fold(f.text[other.end:other.end + 400])
            if any(k in after[:120] for k in ("不补正", "缴纳费用", "收费通知")):
                del out["t3"]["r_other"]
        last = max(out["t3"].values(), key=lambda r: r.end) if out["t3"] else None
        start4 = f.at(last.end) if last else p3
        out["t4"] = locate_table(f, tpl.table("t4"), start=start4)
        out["_t3_header"] = f.s[max(0, p3 - 300):p3]  # type: ignore[assignment]
    return out


def extract_document(text: str, *, tables=None, year=None, template=None, narrative: str | None = None) -> DocTables:
    """Read the three tables of one document (see :func:`toolkit.tables.extract_cells`)."""
    from .grid import linearize

    texts = []
    if tables:
        grid_text = linearize(tables)
        if grid_text.strip():
            texts.append(Folded(grid_text))
    texts.append(Folded(text or ""))
    allfold = "".join(t.s for t in texts)
    version = detect_template(allfold, year=year, hint=template)
    if version is None:
        return DocTables(None, {}, {})
    tpl = templates.get(version)
    found: dict[str, dict[str, RowText]] = {}
    header = ""
    for f in texts:
        if all(found.get(tk) for tk in ("t2", "t3", "t4")):
            break
        got = _read_text(f, tpl)
        for tk in ("t2", "t3", "t4"):
            if tk not in found and got.get(tk):
                found[tk] = got[tk]
                if tk == "t3":
                    header = got.get("_t3_header", "")
    rows: dict[tuple[str, str], RowReadings] = {}
    flat: dict[tuple[str, str], RowText] = {}
    sub_pos = _subtotal_position(header)
    t3_rows = [rt for rt in found.get("t3", {}).values() if rt.tokens and not rt.explicit]
    spaced = len(t3_rows) >= 5 and sum(len(rt.tokens) in (7, 8) for rt in t3_rows) >= 0.8 * len(t3_rows)
    for tk in ("t2", "t3", "t4"):
        table = tpl.table(tk)
        for block in table.blocks:
            n = len(block.columns)
            for r in block.rows:
                rt = found.get(tk, {}).get(r.key)
                if rt is None:
                    continue
                toks = list(rt.tokens)
                if tk == "t3" and n == 7 and rt.explicit and len(toks) > 8:
                    filled = [t for t in toks if t.kind != "blank" or t.text]
                    if len(filled) == 8 and sub_pos is not None:
                        toks = filled
                if tk == "t3" and len(toks) == 8 and n == 7:
                    toks = _drop_subtotal(toks, sub_pos)
                if rt.explicit:
                    toks = fit_cells(toks, n)
                rr = read_row(toks, n, check=row_check(tk, n), spaced=spaced and tk == "t3")
                if rr.how in ("split", "blanks"):
                    rr.run = rt.run or rr.run
                rows[(tk, r.key)] = rr
                flat[(tk, r.key)] = rt
    _resolve(rows, tpl, narrative if narrative is not None else text, flat=flat)
    return DocTables(version, rows, flat)


@functools.lru_cache(maxsize=4)
def _cross_equations(version: str) -> tuple:
    return tuple(e for e in templates.get(version).equations() if e.table == "t3" and e.identity in ("I1", "I2"))


def _cross(rows, tpl) -> bool:
    b3 = tpl.table("t3").blocks[0]
    t3 = {k: rr.readings for (t, k), rr in rows.items() if t == "t3" and rr.readings}
    if not any(len(v) > 1 for v in t3.values()):
        return False
    eqs = _cross_equations(tpl.version)
    new = cross_filter(t3, b3.col_keys, eqs)
    changed = False
    for k, v in new.items():
        if len(v) < len(t3[k]):
            rows[("t3", k)].readings = v
            rows[("t3", k)].notes.append("fixed by I1+I2")
            changed = True
    return changed


def _rescue(rows, flat, tpl) -> bool:
    """Fused table-3 runs read in full although a blank cell vanished from them.

    A row whose full readings break I3 (``alt`` from :func:`read_row`), and, when no combination of
    readings satisfies I1 and I2 (blank cells unverifiable), every fused row whose readings fill
    all cells, also gets its readings with one vanished blank cell; the rows where these let I1
    and I2 hold keep them as candidates (the row turns ambiguous unless the identities across rows
    decide). A report that stays inconsistent keeps what it prints: its mismatches are reported.
    """
    b3 = tpl.table("t3").blocks[0]
    t3 = {k: rr.readings for (t, k), rr in rows.items() if t == "t3" and rr.readings}
    eqs = _cross_equations(tpl.version)
    fused = [k for k in t3 if rows[("t3", k)].alt
             or (rows[("t3", k)].how == "split" and ("t3", k) in flat and not flat[("t3", k)].explicit)]
    if len(t3) < 2 or not fused:
        return False
    broken = None
    check = row_check("t3", len(b3.columns))
    rescued = {}
    for k in fused:
        readings, rt, rr = t3[k], flat[("t3", k)], rows[("t3", k)]
        alt = rr.alt  # the row's full readings break I3
        if not alt:
            if broken is None:
                broken = cross_consistent(t3, b3.col_keys, eqs) is False
            if broken:
                alt = vanished(rt.tokens, len(b3.columns), check)
        if alt and cross_consistent({**t3, k: readings + alt}, b3.col_keys, eqs):
            rescued[k] = alt
    for k, alt in rescued.items():
        rr = rows[("t3", k)]
        rr.alt = alt
        rr.readings = with_vanished_blanks(rr)
        rr.alt = []
        rr.notes.append("a vanished blank cell lets I1+I2 hold")
    return bool(rescued)


def _resolve(rows, tpl, narrative: str, *, flat=None) -> None:
    for (tk, _), rr in rows.items():  # table 4: a fused run whose readings all break I4 may have lost a blank
        if rr.alt and tk != "t3":
            # no identity across rows to weigh them: only a vanished empty cell that I4 confirms (read as 0)
            rr.alt = [r for r in rr.alt if strict_check(tk, len(r))(r)]
            if rr.alt:
                rr.readings = with_vanished_blanks(rr)
                rr.notes.append("a vanished blank cell is possible")
            rr.alt = []
    if flat is not None:
        _rescue(rows, flat, tpl)
    _cross(rows, tpl)
    if not any(len(rr.readings) > 1 for rr in rows.values()):
        return
    facts = narrative_facts(narrative or "", tpl.version)
    changed = False
    for (tk, rk, ck), values in facts.items():
        rr = rows.get((tk, rk))
        if rr is None or len(rr.readings) <= 1:
            continue
        block = tpl.table(tk).block_of(rk)
        j = block.col_keys.index(ck)
        for v in values:
            kept = [r for r in rr.readings if r[j].value is not None and abs(r[j].value - v) < 1e-6]
            if kept and len(kept) < len(rr.readings):
                rr.readings = kept
                rr.notes.append(f"narrative evidence {ck}={v:g}")
                changed = changed or tk == "t3"
    if changed:
        _cross(rows, tpl)


def document_cells(doc: DocTables) -> list[tuple[str, str, str, Cell]]:
    """(table, row, col, Cell) for every cell of the detected template, in printed order."""
    if doc.template is None:
        return []
    tpl = templates.get(doc.template)
    out = []
    for tk, table in tpl.tables.items():
        for block in table.blocks:
            n = len(block.columns)
            for r in block.rows:
                rr = doc.rows.get((tk, r.key))
                cells = cells_of(rr, n) if rr is not None else [Cell(None, None, "missing") for _ in range(n)]
                for c, cell in zip(block.col_keys, cells):
                    out.append((tk, r.key, c, cell))
    return out
