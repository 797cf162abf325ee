"""Label-anchored reading of the three tables from text, whatever the layout.

One reader serves every text layout of templates.md §8: pipe-flattened text (one cell or one
row per line, and the grids of HTML/DOCX tables linearized the same way), text with one cell
per line and no pipes, PDF text (wrapped labels, vertical labels split into characters, page
numbers inside tables) and crawler text whose cell separators were lost.

Rows are found by their label anchors, in template order, on the folded text
(:class:`toolkit.tables.detect.Folded`). A row's values are the printed tokens between the end
of its anchor and the next row's label: with pipes, one cell per pipe-separated piece (empty
pieces are blank cells); without pipes, the first group of numbers after the label (the
enumerator of the next label, ``2.`` in ``00000002.其他法律``, and annotations in brackets are
not values). Numbers are never counted across rows.

>>> from toolkit import templates
>>> t = templates.get("2021").table("t2")
>>> rows = locate_table(Folded("第二十条第（五）项 信息内容 本年处理决定数量 行政许可 12"), t)
>>> rows["licensing"].tokens[0].text
'12'
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .detect import Folded, fold
from .values import BLANK_MARKS, Token, is_value_text, tokenize

_CN = "一二三四五六七八九十"
_FURNITURE = re.compile(r"(?m)^[ \t]*(?:[-—–－~]{1,2}[ \t]*\d{1,4}[ \t]*[-—–－~]{1,2}|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*共[ \t]*\d{1,4}[ \t]*页)?)[ \t]*$")
_ANNOTATION = re.compile(r"[（(][^（）()\d|]{0,80}[）)]")
_ENUMERATOR = re.compile(r"\d[.．、](?=\s*[\u4e00-\u9fff“”\"]|\s*$)")
_NEXT_SECTION = re.compile(r"(?<![\u4e00-\u9fff])五\s*[、.，]\s*[\u4e00-\u9fff]")
_GAP_JUNK = re.compile(r"[^\s|\u3400-\u9fff\uf900-\ufaff]")
_DATE_AFTER = re.compile(r"[ \t]?([年月日])")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WINDOW = 700  # folded characters searched for the next row label
_LABEL_GAP = 40  # folded label characters allowed between a label's anchor and its first value

# table-4 header characters: a number group preceded only by these starts the values
_T4_HEADER = set("行政复议诉讼结果维持纠正其他尚未审总计经直接起后件数量")


@dataclass
class RowText:
    """The tokens read for one row, where they were found, and whether the row's cells were explicit."""

    key: str
    start: int  # text offsets of the anchor
    end: int
    tokens: list[Token] = field(default_factory=list)
    explicit: bool = False  # pipe-separated cells (blank cells are visible)
    run: str = ""


def caption_anchors(block_key: str) -> tuple[str, ...]:
    n = int(block_key.rsplit("_", 1)[1])
    return (f"第二十条第{_CN[n - 1]}项", f"第二十条第{n}项", f"二十条第{_CN[n - 1]}项")


# label beginnings that survive a PDF line wrap inside the label (values printed mid-label)
EXTRA_ANCHORS = {
    "new_received": ("本年度新收", "新收政府信息公开申请"),
    "carried_over_from_prev": ("上年度结转", "上一年度结转", "上一年结转"),
    "carried_to_next": ("结转下一年", "结转至下年", "转入下年"),
    "r_total": ("七合计",),
    "r_deny_other_law": ("其他法律行政法规",),
    "r_unable_not_held": ("本机关不掌握",),
    "r_unable_need_create": ("没有现成信息",),
    "r_unable_unclear": ("补正后申请",),
    "r_noproc_publication": ("要求提供公开",),
    "r_noproc_massive": ("无正当理由大量",),
    "r_noproc_confirm": ("要求行政机关确认", "确认或重新出"),
    "r_other_no_correction": ("无正当理由逾期", "逾期不补"),
    "r_other_fee_unpaid": ("逾期未按收费", "未按收费通知", "不缴费", "未缴费"),
}


@functools.lru_cache(maxsize=512)
def row_anchors(row) -> tuple[str, ...]:
    anchors = tuple(fold(a) for a in (*row.anchors, *EXTRA_ANCHORS.get(row.key, ()))) or (fold(row.label),)
    return tuple(a for a in anchors if a)


def _find_any(f: Folded, anchors, start: int, end: int) -> tuple[int, int]:
    """Earliest (position, length) of any anchor in ``f.s[start:end]``; (-1, 0) if none."""
    best = (-1, 0)
    for a in anchors:
        p = f.find(a, start, end)
        if p >= 0 and (best[0] < 0 or p < best[0] or (p == best[0] and len(a) > best[1])):
            best = (p, len(a))
    return best


def _occurrences(f: Folded, anchors, start: int, end: int, cap: int = 60) -> list[tuple[int, int]]:
    """Sorted (position, length) of every anchor occurrence in ``f.s[start:end]`` (the longest at a position)."""
    occ: dict[int, int] = {}
    for a in anchors:
        p = f.find(a, start, end)
        k = 0
        while p >= 0 and k < cap:
            occ[p] = max(occ.get(p, 0), len(a))
            p = f.find(a, p + 1, end)
            k += 1
    return sorted(occ.items())


def _sequential(f: Folded, rows, start: int, end: int) -> dict[str, tuple[int, int]]:
    """Folded (position, length) of each row's anchor: the most rows matched in template order.

    A dynamic programme over the rows keeps, for each number of rows matched so far, the
    earliest end position; a row is matched at its first anchor occurrence after that position
    (within a window that grows with the rows skipped), or left out. So a generic anchor (其他)
    printed early inside a split vertical label cannot push a specific row out of the table.
    """
    end = min(end, start + _WINDOW * (len(rows) + 2))
    occs = [_occurrences(f, row_anchors(r), start, end) for r in rows]
    # states: (end position, score, assignment) on the Pareto front; score = rows matched, then the
    # length of the anchors matched (a specific label beats a generic word such as 其他)
    states: list[tuple[int, int, tuple]] = [(start, 0, ())]
    for i, r in enumerate(rows):
        new = list(states)
        for pos, cnt, asg in states:
            gap = _WINDOW * (i - asg[-1][0]) if asg else _WINDOW * (i + 2)
            for p, n in occs[i]:
                if p >= pos:
                    if p - pos <= gap:
                        new.append((p + n, cnt + 1000 + n, asg + ((i, p, n),)))
                    break
        new.sort(key=lambda s: (s[0], -s[1]))
        front: list[tuple[int, int, tuple]] = []
        for st in new:
            if not front or st[1] > front[-1][1]:
                front.append(st)
        states = front
    best = max(states, key=lambda s: (s[1], -s[0]))
    return {rows[i].key: (p, n) for i, p, n in best[2]}


# ---- values between two labels ---------------------------------------------------------------
def _clean(region: str) -> str:
    region = _FURNITURE.sub(" ", region)
    return _ENUMERATOR.sub(" ", region)


def _is_date(text: str, t: Token) -> bool:
    """``2024年`` or ``12月``/``31日`` on the same line: a date (running page header), not a cell."""
    m = _DATE_AFTER.match(text, t.end)
    if m is None or t.kind != "num" or t.frac or t.unit:
        return False
    return len(t.digits) == 4 if m.group(1) == "年" else len(t.digits) <= 2


def _first_group(text: str, *, max_gap: int = _LABEL_GAP) -> tuple[list[Token], str]:
    """The first group of numbers in ``text`` (label characters allowed before it, not inside it)."""
    text = _ANNOTATION.sub(" ", text)
    # dates in running page headers (2024年…年度报告) are not cells
    toks = [t for t in tokenize(text) if not _is_date(text, t)]
    if not toks:
        return [], ""
    if len(fold(text[:toks[0].start])) > max_gap:
        return [], ""
    group = [toks[0]]
    for t in toks[1:]:
        gap = text[group[-1].end:t.start]
        cjk = _CJK.findall(gap)
        if cjk and (len(cjk) > 2 or not gap[:1].isspace() or not gap[-1:].isspace()):
            break
        if _GAP_JUNK.search(gap):  # letters, brackets, punctuation: not between two cells of a row
            break
        group.append(t)
    run = re.sub(r"\s+", " ", text[group[0].start:group[-1].end]).strip()
    gaps = [text[a.end:b.start] for a, b in zip(group, group[1:])]
    if len(group) > 2 and all("\n" in g for g in gaps):  # one value per line: an empty line is a blank cell
        lead = re.search(r"\s*$", text[:group[0].start]).group(0)
        trail = re.match(r"\s*", text[group[-1].end:]).group(0)
        out = [Token("", "blank")] * max(0, lead.count("\n") - 1) + [group[0]]
        for g, t in zip(gaps, group[1:]):
            out += [Token("", "blank")] * (g.count("\n") - 1)
            out.append(t)
        group = out + [Token("", "blank")] * max(0, trail.count("\n") - 1)
    return group, run


def _piece_tokens(piece: str) -> tuple[list[Token], bool]:
    """Tokens of one pipe-separated piece and whether the piece ends the row (label text in it)."""
    s = piece.strip()
    if s.isdigit() and s.isascii():
        return [Token(s, "num", "", s, "", "", 0, len(s))], False
    s = _ENUMERATOR.sub(" ", s).strip()
    if s in BLANK_MARKS:
        return [Token(s, "blank")], False
    if is_value_text(s):
        return tokenize(s)[:1] or [Token(s, "blank")], False
    m = _CJK.search(s)
    if m is None:
        toks = tokenize(s)
        return toks, not toks
    return (tokenize(s[:m.start()]) if m.start() else []), True


def _collect(pieces: list[str], *, skip_labels: bool = True) -> list[Token]:
    """Cells of consecutive pipe pieces up to the next label; the last piece counts only if it has a value.

    In one-cell-per-line text (most values start their own line) the empty pieces that share a
    line with the previous cell are colspan padding (``0 | ||``) and are dropped.
    """
    cells: list[tuple[Token, bool]] = []
    last = len(pieces) - 1
    for i, piece in enumerate(pieces):
        if i == last and not piece.strip():
            break
        toks, stop = _piece_tokens(piece)
        if i == last and stop and not toks:
            break
        nl = "\n" in piece[:len(piece) - len(piece.lstrip())] or "\n" in piece and not piece.strip()
        if stop:
            cells.extend((t, nl) for t in toks)
            if toks or cells or not skip_labels:
                break
            continue  # label text before the first value (the rest of this row's label)
        cells.extend((t, nl) for t in toks)
    filled = [(t, nl) for t, nl in cells if not (t.kind == "blank" and not t.text)]
    if len(filled) >= 2 and sum(nl for _, nl in filled) >= 0.8 * len(filled):
        cells = [(t, nl) for t, nl in cells if nl or t.kind != "blank" or t.text]
    return [t for t, _ in cells]


def _pipe_cells(region: str) -> tuple[list[Token], str]:
    pieces = _FURNITURE.sub(" ", region).split("|")
    first, *rest = pieces
    cells: list[Token] = []
    if tokenize(first) and not _CJK.search(first):
        cells.extend(tokenize(first))
    cells += _collect(rest)
    return cells, " | ".join(c.text for c in cells)


def fit_cells(cells: list[Token], n: int) -> list[Token]:
    """Explicit cells to ``n``: drop empty padding pieces (colspans, trailing pipes) when needed."""
    if len(cells) <= n:
        return cells
    filled = [c for c in cells if not (c.kind == "blank" and c.text == "")]
    if len(filled) >= n:
        return filled
    return cells[:n]


def read_region(region: str) -> tuple[list[Token], bool, str]:
    """Tokens of one row's value region: ``(tokens, explicit, run)``."""
    if "|" in region:
        cells, run = _pipe_cells(region)
        if cells:
            return cells, True, run
    toks, run = _first_group(_clean(region))
    return toks, False, run


# ---- labels cut in two by their values ------------------------------------------------------
_DIGIT = re.compile(r"\d")
_ORDINAL = re.compile(r"^(?:\d+|[一二三四五六七八九十]{1,2}(?=[\u4e00-\u9fff]{2}))")
_SPLIT_GAP = 80  # folded characters between the two parts of a cut label
# between the parts: one run of values (with the page number), then at most a few characters of the
# group cell cut by the same break (（五 ... ）不予处理)
_SPLIT_BETWEEN = re.compile(r"\d+\D{0,12}")


@functools.lru_cache(maxsize=512)
def split_labels(row) -> tuple[str, ...]:
    """Folded forms of a row's label searched for when it is cut in two: the label, then its anchors."""
    whole = fold(re.sub(r"[（(][^（）()]*[）)]$", "", row.label))
    core = _ORDINAL.sub("", whole)
    out = []
    for a in (core, *sorted(row_anchors(row), key=len, reverse=True)):
        if len(a) >= 3 and not _DIGIT.search(a) and a not in out:
            out.append(a)
    if len(core) < 3 and _DIGIT.match(whole) and len(whole) >= 3:  # 3.其他: with its item number
        out.append(whole)
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _group_chars(parent: str | None) -> frozenset[str]:
    """Characters of the label cells beside a table-3 row: its group (（三）不予公开) and 三、本年度办理结果."""
    return frozenset(fold(f"{parent or ''}三、本年度办理结果（一）（二）"))


def _interleaved(seg: str, pos: int, tail: str, other: frozenset[str], chunk: int = 4, total: int = 12) -> int:
    """End of ``tail`` read from ``seg[pos:]`` with pieces of the next label column between its characters.

    Text laid out line by line (a PDF converted row by row) prints the label cells of one table row side
    by side: ``（三 1.属 0 0 0 …`` / ``）不 于国`` / ``予公 家秘`` / ``开 密``. After the values, the rest
    of the row's label (``于国家秘密``) comes with pieces (``不``, ``予公``, ``开``) of the group label, made
    of ``other`` characters: at most ``chunk`` at a time, ``total`` in all. Returns -1 if it is not there.
    """
    skipped = 0
    for c in tail:
        run = 0
        while pos < len(seg) and seg[pos] != c:
            if seg[pos] not in other or run >= chunk or skipped >= total:
                return -1
            pos += 1
            run += 1
            skipped += 1
        if pos >= len(seg):
            return -1
        pos += 1
    return pos


def find_split(f: Folded, row, start: int, end: int) -> tuple[int, int]:
    """(position, length) in ``f.s[start:end]`` of the row's label printed in two parts around its values.

    A row that a page break cuts in two (each cell keeps part of its text on each page), read cell
    by cell, prints part of its label, its values, the rest of the label: ``5.属于三`` /
    ``0 0 0 0 0 0 0`` / ``类内部事务信息``, folded ``属于三0000000类内部事务信息``. The part
    between may also hold the cut label of the row's group cell (``（五`` ... ``）不予处理``).
    Returns (-1, 0) when no such print is found.
    """
    seg = f.s[start:end]
    if not _DIGIT.search(seg):
        return -1, 0
    for label in split_labels(row):
        for k in range(len(label) - 1, 0, -1):
            head, tail = label[:k], label[k:]
            i = seg.find(head)
            while i >= 0:
                j = i + k
                if seg[j:j + 1].isdigit():  # the values follow the first part
                    t = seg.find(tail, j + 1, j + _SPLIT_GAP + len(tail))
                    if t >= 0 and _SPLIT_BETWEEN.fullmatch(seg, j, t):
                        return start + i, t + len(tail) - i
                    e = _interleaved(seg, _DIGITS_RUN.match(seg, j).end(), tail, _group_chars(row.parent))
                    if e >= 0:
                        return start + i, e - i
                i = seg.find(head, i + 1)
    return -1, 0


# ---- tables --------------------------------------------------------------------------------
def locate_table(f: Folded, table, *, start: int = 0, end: int | None = None) -> dict[str, RowText]:
    """Rows of ``table`` (a :class:`toolkit.templates.Table`) found in ``f`` between folded ``start:end``."""
    end = len(f.s) if end is None else end
    if table.key == "t4":
        return _locate_t4(f, table, start, end)
    plan: list[dict[str, tuple[int, int]]] = []  # rows found, per block
    cur = start
    for block in table.blocks:
        bstart = cur
        if table.key == "t2":
            p, n = _find_any(f, caption_anchors(block.key), cur, min(end, cur + 4 * _WINDOW))
            if p >= 0:
                bstart = p + n
        found = _sequential(f, block.rows, bstart, end)
        plan.append(found)
        if found:
            last = max(found.values())
            cur = last[0] + last[1]
    rows = _read_rows(f, table, plan, end)
    for _ in range(3):  # a row given its values may leave the row before it without any: look again
        if not _split_rows(f, table, plan, rows, start, end):
            break
        rows = _read_rows(f, table, plan, end)
    return rows


def _read_rows(f: Folded, table, plan, end: int) -> dict[str, RowText]:
    """Each found row's tokens: the values between its anchor and the next row's label."""
    rows: dict[str, RowText] = {}
    hits = sorted(((p, n, key) for found in plan for key, (p, n) in found.items()))
    for i, (p, n, key) in enumerate(hits):
        a, b = f.span(p, n)
        if i + 1 < len(hits):
            stop = f.idx[hits[i + 1][0]]
            # a caption between this row and the next closes the block
            cap = _next_caption(f, p + n, hits[i + 1][0]) if table.key == "t2" else -1
            if cap >= 0:
                stop = f.idx[cap]
        else:
            stop_f = end if end < len(f.s) else min(len(f.s), p + n + _WINDOW)
            stop = f.idx[stop_f] if stop_f < len(f.s) else len(f.text)
        toks, explicit, run = [], False, ""
        if _DIGIT.search(f.s, p, p + n):  # a label cut in two by its values (find_split)
            toks, explicit, run = read_region(f.text[a:b])
        if not toks:
            toks, explicit, run = read_region(f.text[b:stop])
        rows[key] = RowText(key, a, b, toks, explicit, run)
    return rows


def _whole(f: Folded, row, hit: tuple[int, int]) -> bool:
    """Whether the label characters that come before the anchor found at ``hit`` are printed right before it."""
    labels = split_labels(row)
    p, n = hit
    if not labels:
        return True
    k = labels[0].find(f.s[p:p + n])
    if k <= 0:
        return True
    return f.s[max(0, p - k):p] == labels[0][:k]


_ROW_ORDINAL = re.compile(r"^\s*(\d{1,2})\s*[.．、]")


def find_enumerated(f: Folded, row, start: int, hit: tuple[int, int]) -> tuple[int, int]:
    """(position, length) of a row's values printed between its item number and its label.

    A page break right after the item number leaves ``7.`` and the values on one page and the label
    on the next: ``7. 3 0 0 0 0 0 3`` / (the table header repeated) / ``属于行政执法案卷``. The values
    are the numbers after the row's own item number, before its anchor ``hit`` (folded position and
    length), with nothing between them and the anchor but the label's first characters. Returns
    (-1, 0) when the text is not printed so.
    """
    m = _ROW_ORDINAL.match(row.label)
    p, n = hit
    if m is None or start >= p:
        return -1, 0
    a, b = f.idx[start], f.idx[p]
    found = list(re.finditer(rf"(?<![\d.]){m.group(1)}\s*[.．、]\s+(?=\d)", f.text[a:b]))
    if not found:
        return -1, 0
    q = f.at(a + found[-1].end())
    run = _DIGITS_RUN.match(f.s, q, p)
    if run is None or _DIGIT.search(f.s, run.end(), p):
        return -1, 0
    labels = split_labels(row)
    if not labels or f.s[run.end():p] not in labels[0]:
        return -1, 0
    return q, p + n - q


_DIGITS_RUN = re.compile(r"\d+")


def _split_rows(f: Folded, table, plan, rows: dict[str, RowText], start: int, end: int) -> bool:
    """Rows not found, or found without values, whose label a page break cut around the values.

    Searched between the anchors of the found rows before and after (:func:`find_split`); only in
    text without cell separators (pipes show every cell).
    """
    changed = False
    prev_end = start
    if any(rt.explicit for rt in rows.values()):
        return False
    for b, (block, found) in enumerate(zip(table.blocks, plan)):
        keys = [r.key for r in block.rows]
        # where the block ends: the first row found in a later block, else the table's end
        later = [p for fd in plan[b + 1:] for p, _ in fd.values()]
        block_end = min(later) if later else min(end, prev_end + 2 * _WINDOW)
        for i, r in enumerate(block.rows):
            hit = found.get(r.key)
            if hit is not None and rows.get(r.key) is not None and rows[r.key].tokens and _whole(f, r, hit):
                prev_end = hit[0] + hit[1]
                continue
            nxt = [found[k][0] for k in keys[i + 1:] if k in found] or [block_end]
            if hit is None and prev_end >= nxt[0]:
                continue
            # the label's second part may run past the anchor found in it
            lo, hi = prev_end, nxt[0] if hit is None else max(nxt[0], hit[0] + hit[1])
            q, m = find_split(f, r, lo, hi)
            if q >= 0 and hit is not None and rows[r.key].tokens and not q < hit[0] < q + m:
                q = -1  # a row with values keeps them unless its own label is cut around others
            if q < 0 and hit is not None and not rows[r.key].tokens:
                q, m = find_enumerated(f, r, lo, hit)
            if q >= 0 and (q, m) != hit:
                found[r.key] = (q, m)
                changed = True
                prev_end = q + m
            elif hit is not None:
                prev_end = hit[0] + hit[1]
    return changed


def _next_caption(f: Folded, start: int, end: int) -> int:
    p = f.find("第二十条", start, end)
    if p < 0:
        p = f.find("二十条第", start, end)
    return p


def _locate_t4(f: Folded, table, start: int, end: int) -> dict[str, RowText]:
    end = min(end, start + 3 * _WINDOW)  # table 4 follows table 3
    p = f.find("行政复议", start, end)
    if p < 0:
        p = f.find("行政诉讼", start, end)
    if p < 0:
        return {}
    a = f.idx[p]
    # the table ends at the next section heading (五、) or after a generous window
    stop_f = min(end, p + 6 * _WINDOW)
    stop = f.idx[stop_f] if stop_f < len(f.s) else len(f.text)
    region = f.text[a:stop]
    m = _NEXT_SECTION.search(region)
    if m:
        region = region[:m.start()]
    key = table.blocks[0].rows[0].key
    if "|" in region:
        toks, run = _t4_pipe(region)
        if toks is not None:
            return {key: RowText(key, a, a, toks, True, run)}
    region = _clean(region)
    toks = tokenize(region)
    for i, t in enumerate(toks):
        before = fold(region[toks[i - 1].end if i else 0:t.start])
        if before and set(before[-4:]) <= _T4_HEADER:
            rest = region[t.start:]
            group, run = _first_group(rest, max_gap=0)
            # a table-4 row wrapped under its headers (复议 | 诉讼): later groups after header words only;
            # and digits of numbers wrapped in their cells printed after the headers repeated on the
            # next page (fifteen values that break I4, then a few more)
            pos = group[-1].end if group else 0
            while group and (sum(x.max_parts for x in group) < 15 or _t4_breaks(group)):
                more = tokenize(rest, 0)
                nxt = next((x for x in more if x.start >= pos), None)
                gap = fold(rest[pos:nxt.start]) if nxt else ""
                if nxt is None or not gap or not set(gap) <= _T4_HEADER:
                    break
                g2, r2 = _first_group(rest[nxt.start:], max_gap=0)
                if not g2:
                    break
                group += [x._replace(start=x.start + nxt.start, end=x.end + nxt.start) for x in g2]
                run = f"{run} {r2}"
                pos = group[-1].end
            return {key: RowText(key, a, a, group, False, run)}
    return {key: RowText(key, a, a, [], False, "")}


def _t4_breaks(group: list[Token]) -> bool:
    """Fifteen plain numbers that break I4 (the start of a row whose wrapped digits come later)."""
    from .fused import strict_check
    from .values import Part

    if len(group) != 15 or any(t.kind != "num" for t in group):
        return False
    return not strict_check("t4", 15)(tuple(Part(t.text, t.value) for t in group))


def _t4_pipe(region: str) -> tuple[list[Token] | None, str]:
    """Cells after the last table-4 header piece (pipe layouts and linearized grids)."""
    pieces = _FURNITURE.sub(" ", region).split("|")
    header_end = None
    for i, piece in enumerate(pieces):
        s = fold(piece)
        if not s:
            continue
        if _CJK.search(piece):
            if set(s) - set("0123456789") <= _T4_HEADER:
                header_end = i
                continue
            if header_end is None:
                continue
        break
    if header_end is None:
        return None, ""
    cells = _collect(pieces[header_end + 1:], skip_labels=False)
    while len(cells) > 15 and cells[-1].kind == "blank" and not cells[-1].text:
        cells.pop()
    return cells, " | ".join(c.text for c in cells)
