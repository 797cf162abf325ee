"""Readings of a row whose cell boundaries may be lost, and their resolution by the identities.

A row's printed tokens (:mod:`toolkit.tables.values`) are read as exactly ``n`` cells:

* as many tokens as cells: one reading;
* fewer tokens than cells but enough digits: every split of the runs (crawler text,
  ``640020470`` -> 64|0|0|2|0|4|70 among others);
* fewer digits than cells: the tokens as printed with blank cells inserted wherever they
  could be (the text does not show which cell is empty).

Readings are then filtered, each step only when it leaves at least one reading (a report that
breaks its own identities keeps what it prints): the row's own identity (I3 for table 3, I4 for
table 4), the identities across rows (I1, I2, :func:`cross_filter`), and numbers quoted in the
narrative (:mod:`toolkit.tables.evidence`). A cell whose value differs between the remaining
readings is ``ambiguous`` with the candidate values; it is never guessed.

A blank cell may also vanish from the text (fused crawler runs, PDF rows): a run whose readings
all break the row identity also gets readings with one blank cell (:func:`vanished`), kept as
candidates only when the identities across rows allow them; in those identities, as in
:func:`toolkit.check`, an equation with a blank cell cannot be checked.

>>> from toolkit.tables.values import tokenize
>>> rs = readings(tokenize("640020470"), 7, check=row_check("t3", 7))
>>> [[p.value for p in r] for r in rs]
[[64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0]]
"""
from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .values import Part, Token, splits

log = logging.getLogger(__name__)

Reading = tuple[Part, ...]
LIMIT = 200_000  # readings enumerated per row before giving up (the row is then ambiguous)


def _num(p: Part) -> float:
    return 0.0 if p.value is None else p.value


def row_check(table: str, n: int) -> Callable[[Reading], bool] | None:
    """The identity inside one printed row: I3 (7 cells) for table 3, I4 (15 cells) for table 4."""
    if table == "t3" and n == 7:
        return lambda r: _holds(r, 0, 6)
    if table == "t4" and n == 15:
        return lambda r: _holds(r, 0, 4) and _holds(r, 5, 9) and _holds(r, 10, 14)
    return None


def strict_check(table: str, n: int) -> Callable[[Reading], bool]:
    """The row identity with blank cells read as 0 (a blank total never holds); always true for other rows."""
    def ok(r: Reading, a: int, total: int) -> bool:
        return r[total].value is not None and abs(sum(_num(p) for p in r[a:total]) - r[total].value) < 1e-6

    if table == "t3" and n == 7:
        return lambda r: ok(r, 0, 6)
    if table == "t4" and n == 15:
        return lambda r: ok(r, 0, 4) and ok(r, 5, 9) and ok(r, 10, 14)
    return lambda r: True


def _holds(r: Reading, a: int, total: int) -> bool:
    """``r[total] == sum(r[a:total])``; an equation with a blank cell cannot be checked (it holds)."""
    if any(p.value is None for p in r[a:total + 1]):
        return True
    return abs(sum(p.value for p in r[a:total]) - r[total].value) < 1e-6


@dataclass
class RowReadings:
    """The readings of one row and how they were obtained (for the log and the tests)."""

    readings: list[Reading]
    how: str  # direct | split | blanks | empty | overflow | wrapped | too-many
    run: str = ""  # the printed run (raw) when the cells are not one token each
    notes: list[str] = field(default_factory=list)
    # readings with vanished blank cells that satisfy the row identity, for a run whose only full
    # readings break it: weighed against the identities across rows (:func:`with_vanished_blanks`)
    alt: list[Reading] = field(default_factory=list)


def _dfs_splits(tokens: Sequence[Token], n: int, strict: bool, limit: int) -> list[Reading] | None:
    suffix_max = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        suffix_max[i] = suffix_max[i + 1] + tokens[i].max_parts
    out: list[Reading] = []
    cache: dict[tuple[int, int], list[Reading]] = {}

    def options(i: int, k: int) -> list[Reading]:
        key = (i, k)
        if key not in cache:
            cache[key] = splits(tokens[i], k, strict=strict)
        return cache[key]

    def rec(i: int, count: int, acc: tuple) -> bool:
        if i == len(tokens):
            if count == n:
                out.append(acc)
                return len(out) <= limit
            return True
        rest_min = len(tokens) - i - 1
        for k in range(1, tokens[i].max_parts + 1):
            if count + k + rest_min > n:
                break
            if count + k + suffix_max[i + 1] < n:
                continue
            for sp in options(i, k):
                if not rec(i + 1, count + k, acc + sp):
                    return False
        return True

    return out if rec(0, 0, ()) else None


def _dfs_sum_splits(tokens: Sequence[Token], n: int, limit: int) -> list[Reading] | None:
    """Splits of ``tokens`` into ``n`` non-negative cells whose last equals the sum of the others.

    Built from the right: the total is fixed first, so partial sums above it are cut early.
    """
    if any(t.kind == "blank" or t.sign == "-" for t in tokens):
        return None
    out: list[Reading] = []
    suffix_min = list(range(len(tokens), -1, -1))  # tokens[:i] need at least i cells

    def rec(i: int, count: int, acc: tuple, total: float | None, partial: float) -> bool:
        # tokens[:i] remain to be read into n - count cells
        if i == 0:
            if count == n and total is not None and abs(partial - total) < 1e-6:
                out.append(acc)
            return len(out) <= limit
        tok = tokens[i - 1]
        for k in range(1, tok.max_parts + 1):
            if count + k + (i - 1) > n:
                break
            if count + k + sum(t.max_parts for t in tokens[:i - 1]) < n:
                continue
            for sp in splits(tok, k):
                new_total, new_partial, parts = total, partial, sp
                if total is None:
                    new_total = sp[-1].value
                    parts = sp[:-1]
                s_ = new_partial + sum(p.value for p in parts)
                if s_ > new_total + 1e-6:
                    continue
                if not rec(i - 1, count + k, sp + acc, new_total, s_):
                    return False
        return True

    del suffix_min
    return out if rec(len(tokens), 0, (), None, 0.0) else None


def readings(tokens: Sequence[Token], n: int, *, check: Callable[[Reading], bool] | None = None,
             limit: int = LIMIT) -> list[Reading]:
    """Readings of ``tokens`` as ``n`` cells that pass ``check`` (all of them if none passes)."""
    return read_row(tokens, n, check=check, limit=limit).readings


def read_row(tokens: Sequence[Token], n: int, *, check: Callable[[Reading], bool] | None = None,
             limit: int = LIMIT, spaced: bool = False) -> RowReadings:
    """Like :func:`readings`, with the way the row was read.

    ``spaced=True`` says the other rows of the table print one token per cell: a short row then
    lost cells (blanks) rather than separators, and its printed numbers are not split.
    """
    if not tokens:
        return RowReadings([tuple(Part("", None) for _ in range(n))], "empty")
    run = " ".join(t.text for t in tokens)
    if len(tokens) == n:
        return RowReadings([tuple(Part(t.text, t.value) for t in tokens)], "direct")
    if len(tokens) > n:  # more values than cells: the first n if they satisfy the row identity
        first = tuple(Part(t.text, t.value) for t in tokens[:n])
        if check is not None and check(first):
            return RowReadings([first], "direct", run, [f"{len(tokens) - n} extra value(s) after the row ignored"])
        wrapped = wrapped_readings(tokens, n, check) if check is not None else []
        if wrapped:
            return RowReadings(wrapped, "wrapped", run, ["numbers wrapped in their cells, the rest printed after the row"])
        lastn = tuple(Part(t.text, t.value) for t in tokens[-n:])
        return RowReadings([first, lastn], "overflow", run, ["more values than cells"])
    maxp = sum(t.max_parts for t in tokens)
    split_rs: list[Reading] = []
    atomic = all(t.kind == "blank" or len(t.digits) == 1 or t.digits[0] != "0" for t in tokens)
    if spaced and atomic:
        maxp = len(tokens)  # only blank cells can fill the row
    if maxp >= n:
        out = _dfs_splits(tokens, n, True, limit)
        if out is not None and not out:
            out = _dfs_splits(tokens, n, False, limit)
        if out is None and n == 7 and check is not None:  # long table-3 run: only the splits where I3 holds
            out = _dfs_sum_splits(tokens, n, limit)
            if out is not None and not out:
                out = None
        if out is None:
            log.info("more than %d readings of run %r as %d cells; left ambiguous", limit, run, n)
            return RowReadings([], "too-many", run)
        split_rs = out
        if check is None:
            return RowReadings(out, "split", run)
        kept = [r for r in out if check(r)]
        if kept:
            rr = RowReadings(kept, "split", run)
            if len(kept) < len(out):
                rr.notes.append(f"{len(kept)} of {len(out)} readings satisfy the row identity")
            return rr
    # fewer printed values than cells (or no split satisfies the row identity): blank cells somewhere.
    # A single run long enough for the row keeps its split (nothing shows a lost cell); otherwise the
    # readings with the fewest lost cells that satisfy the row identity.
    blank_rs = _with_blanks(tokens, n, len(tokens), limit)
    if check is not None and not (split_rs and len(tokens) == 1):
        for m in range(min(maxp, n - 1), len(tokens) - 1, -1):
            kept = [r for r in (blank_rs if m == len(tokens) else _with_blanks(tokens, n, m, limit)) if check(r)]
            if len(kept) > limit:
                return RowReadings([], "too-many", run)
            if kept:
                return RowReadings(kept, "blanks", run, ["blank cells placed where the row identity holds"])
    if split_rs:
        if len(tokens) == 1 and check is not None:
            rr = RowReadings(split_rs, "split", run, ["no reading satisfies the row identity"])
            rr.alt = vanished(tokens, n, check, limit=limit)
            if rr.alt:
                rr.notes.append(f"{len(rr.alt)} reading(s) with a vanished blank cell satisfy it")
            return rr
        if len(tokens) > 1:  # separators are printed, so a cell may have vanished instead: keep both views
            return RowReadings(split_rs + blank_rs, "split", run,
                               ["no reading satisfies the row identity; split or lost cell"])
        return RowReadings(split_rs, "split", run, ["no reading satisfies the row identity"])
    return RowReadings(blank_rs, "blanks", run)


def wrapped_readings(tokens: Sequence[Token], n: int, check: Callable[[Reading], bool], *,
                     max_wrapped: int = 5) -> list[Reading]:
    """Readings of ``n`` values followed by the last digits of some of them, where the row identity holds.

    A number too wide for its table cell wraps inside the cell; when a page break cuts the row, the
    wrapped digits are printed on the next page, after the row's first lines: ``2 1 0 0 1 0 2`` /
    ``2 4`` is 22|1|0|0|1|0|24. The extra tokens are appended, in order, to that many of the first
    ``n`` (never to a ``0``); only the readings that satisfy ``check`` are returned.

    >>> from toolkit.tables.values import tokenize
    >>> [[p.value for p in r] for r in wrapped_readings(tokenize("2 1 0 0 1 0 2 2 4"), 7, row_check("t3", 7))]
    [[22.0, 1.0, 0.0, 0.0, 1.0, 0.0, 24.0]]
    """
    head, tail = tokens[:n], tokens[n:]
    k = len(tail)
    if not 0 < k <= min(max_wrapped, n - 1):
        return []
    plain = all(t.kind == "num" and not t.frac and not t.unit for t in (*head, *tail))
    if not plain or any(t.sign for t in tail):
        return []
    heads = [i for i, t in enumerate(head) if t.digits[0] != "0"]
    out = []
    for cells in itertools.combinations(heads, k):
        parts = [Part(t.text, t.value) for t in head]
        for i, c in zip(cells, tail):
            text = head[i].sign + head[i].digits + c.digits
            parts[i] = Part(text, float(text))
        r = tuple(parts)
        if check(r):
            out.append(r)
    return out


def vanished(tokens: Sequence[Token], n: int, check: Callable[[Reading], bool], *, limit: int = LIMIT,
             max_bases: int = 5_000) -> list[Reading]:
    """Readings of a fused run as ``n - 1`` numbers and one blank cell that pass ``check``.

    Empty when the run has too many splits to enumerate cheaply (``max_bases``).
    """
    m = n - 1
    digits = sum(t.max_parts for t in tokens)
    if digits < m or math.comb(max(digits - 1, 0), m - len(tokens)) > max_bases:
        return []
    return [r for r in _with_blanks(tokens, n, m, limit) if check(r)]


def with_vanished_blanks(rr: RowReadings) -> list[Reading]:
    """The row's readings followed by its readings with a vanished blank cell (no duplicates)."""
    seen = {tuple(p.value for p in r) for r in rr.readings}
    out = list(rr.readings)
    for r in rr.alt:
        key = tuple(p.value for p in r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _with_blanks(tokens: Sequence[Token], n: int, m: int, limit: int) -> list[Reading]:
    """Readings of ``tokens`` as ``m`` numbers with ``n - m`` blank cells inserted anywhere."""
    if m == len(tokens):
        bases = [tuple(Part(t.text, t.value) for t in tokens)]
    else:
        bases = _dfs_splits(tokens, m, True, limit) or []
    out: list[Reading] = []
    blank = Part("", None)
    for base in bases:
        for pos in itertools.combinations(range(n), n - m):
            it = iter(base)
            out.append(tuple(blank if i in pos else next(it) for i in range(n)))
            if len(out) > limit:
                return out
    return out


# ---- identities across rows ---------------------------------------------------------------
def cross_filter(rows: dict[str, list[Reading]], cols: Sequence[str], equations, *,
                 max_states: int = 200_000) -> dict[str, list[Reading]]:
    """Keep, in each row with several readings, those that can satisfy the equations jointly.

    ``rows`` maps row keys to readings over ``cols``; ``equations`` are
    :class:`toolkit.templates.Equation` over (row, col). Equations touching a row that is not in
    ``rows`` are skipped; equations that no combination satisfies (the report breaks them) are
    dropped. Returns a new dict; rows left unchanged when nothing can be decided.
    """
    col_ix = {c: i for i, c in enumerate(cols)}
    eqs = [e for e in equations
           if all(r in rows and c in col_ix for r, c in e.cells)
           and any(len(rows[r]) > 1 for r, _ in e.cells)]
    if not eqs:
        return dict(rows)
    # per row: list of (eq index, sign, col index)
    terms: dict[str, list[tuple[int, int, int]]] = {}
    for k, e in enumerate(eqs):
        for r, c in e.left:
            terms.setdefault(r, []).append((k, 1, col_ix[c]))
        for r, c in e.right:
            terms.setdefault(r, []).append((k, -1, col_ix[c]))

    def vec(r: str, reading: Reading) -> tuple[float, ...]:
        v = [0.0] * len(eqs)
        for k, sgn, ci in terms.get(r, ()):
            v[k] += sgn * _num(reading[ci])
        return tuple(v)

    const = [0.0] * len(eqs)
    amb: list[str] = []
    for r in terms:
        if len(rows[r]) == 1:
            for k, x in enumerate(vec(r, rows[r][0])):
                const[k] += x
        else:
            amb.append(r)
    contrib = {r: [vec(r, rd) for rd in rows[r]] for r in amb}

    def solve(dims: list[int]) -> list[list[bool]] | None:
        """For each ambiguous row, which readings are part of a solution over ``dims``."""
        def proj(v):
            return tuple(round(v[d], 6) for d in dims)

        fwd = [{proj(const)}]
        for r in amb:
            nxt = {tuple(a + b for a, b in zip(s, proj(c))) for s in fwd[-1] for c in contrib[r]}
            if len(nxt) > max_states:
                return None
            fwd.append(nxt)
        zero = tuple(0.0 for _ in dims)
        if zero not in fwd[-1]:
            return []
        bwd = [set() for _ in range(len(amb) + 1)]
        bwd[-1] = {zero}
        for i in range(len(amb) - 1, -1, -1):
            bwd[i] = {tuple(round(a + b, 6) for a, b in zip(t, proj(c))) for t in bwd[i + 1] for c in contrib[amb[i]]}
        keep = []
        for i, r in enumerate(amb):
            need = bwd[i + 1]
            keep.append([any(tuple(round(-(a + b), 6) + 0.0 for a, b in zip(s, proj(c))) in need
                             for s in fwd[i]) for c in contrib[r]])
        return keep

    dims = list(range(len(eqs)))
    keep = _solve_with_blanks(rows, amb, eqs, terms, solve, contrib)
    if keep is None:
        keep = solve(dims)
    if keep == []:  # some equations cannot hold: keep those that can, one by one
        dims = [d for d in dims if solve([d]) not in ([], None)]
        keep = solve(dims) if dims else None
    if not keep:
        return dict(rows)
    out = dict(rows)
    for r, mask in zip(amb, keep):
        kept = [rd for rd, m in zip(rows[r], mask) if m]
        if kept:
            out[r] = kept
    return out


def _wild(rows, r: str, reading: Reading, terms) -> frozenset[int]:
    """Equations that a blank cell of ``reading`` leaves unverifiable (as the checks do)."""
    return frozenset(k for k, _, ci in terms.get(r, ()) if reading[ci].value is None)


def _solve_with_blanks(rows, amb, eqs, terms, solve, contrib, max_combos: int = 64):
    """Readings that satisfy every equation they can be checked on, or None when no combination does.

    An equation with a blank cell cannot be checked (the checks skip it): a reading that places a
    vanished blank in a total is not refuted by that total's equations. The readings of each
    ambiguous row are grouped by the equations their blanks leave open; every combination of
    groups is solved on the remaining equations (at most ``max_combos`` combinations).
    """
    fixed_wild = frozenset().union(*(_wild(rows, r, rows[r][0], terms) for r in terms if len(rows[r]) == 1))
    groups = []
    n_combos = 1
    for r in amb:
        g: dict[frozenset[int], list[int]] = {}
        for i, rd in enumerate(rows[r]):
            g.setdefault(_wild(rows, r, rd, terms), []).append(i)
        groups.append(list(g.items()))
        n_combos *= len(g)
    if n_combos == 1 and not fixed_wild:
        return None  # no blank anywhere: the plain solution
    if n_combos > max_combos:
        return None
    keep = [[False] * len(rows[r]) for r in amb]
    found = False
    for combo in itertools.product(*groups):
        wild = fixed_wild.union(*(m for m, _ in combo))
        dims = [d for d in range(len(eqs)) if d not in wild]
        saved = {r: contrib[r] for r in amb}
        try:
            for r, (_, ix) in zip(amb, combo):
                contrib[r] = [saved[r][i] for i in ix]
            sub = solve(dims) if dims else [[True] * len(ix) for _, ix in combo]
        finally:
            contrib.update(saved)
        if not sub:
            continue
        found = True
        for row_keep, mask, (_, ix) in zip(keep, sub, combo):
            for m, i in zip(mask, ix):
                row_keep[i] = row_keep[i] or m
    return keep if found else None


def cross_consistent(rows: dict[str, list[Reading]], cols: Sequence[str], equations, *,
                     max_states: int = 200_000) -> bool | None:
    """True when some combination of the rows' readings satisfies every equation it can check.

    An equation with a blank cell is not checked (as in :func:`toolkit.check`); equations touching
    a row not in ``rows`` are skipped. None when there are too many combinations to tell.
    """
    col_ix = {c: i for i, c in enumerate(cols)}
    eqs = [e for e in equations if all(r in rows and c in col_ix for r, c in e.cells)]
    if not eqs:
        return True
    terms: dict[str, list[tuple[int, int, int]]] = {}
    for k, e in enumerate(eqs):
        for sgn, side in ((1, e.left), (-1, e.right)):
            for r, c in side:
                terms.setdefault(r, []).append((k, sgn, col_ix[c]))

    def vec(r: str, reading: Reading) -> tuple:
        v: list = [0.0] * len(eqs)
        for k, sgn, ci in terms[r]:
            if v[k] is not None:
                v[k] = None if reading[ci].value is None else round(v[k] + sgn * reading[ci].value, 6)
        return tuple(v)

    def add(a: tuple, b: tuple) -> tuple:
        return tuple(None if x is None or y is None else round(x + y, 6) for x, y in zip(a, b))

    states = {tuple([0.0] * len(eqs))}
    for r in sorted(terms, key=lambda r: len(rows[r])):
        vs = {vec(r, rd) for rd in rows[r]}
        states = {add(s, v) for s in states for v in vs}
        if len(states) > max_states:
            return None
    return any(all(x is None or abs(x) < 1e-6 for x in s) for s in states)


# ---- cells from readings --------------------------------------------------------------------
@dataclass
class Cell:
    value: float | None
    raw: str | None
    status: str
    candidates: list | None = None


def cells_of(rr: RowReadings, n: int) -> list[Cell]:
    """One :class:`Cell` per column from the row's remaining readings."""
    rs = rr.readings
    if not rs:  # overflow or too many readings: nothing can be said cell by cell
        return [Cell(None, rr.run, "ambiguous", []) for _ in range(n)]
    out = []
    for j in range(n):
        vals = {p.value for p in (r[j] for r in rs)}
        if len(vals) == 1:
            p = rs[0][j]
            raw = rr.run if rr.how in ("split", "blanks", "overflow") else p.text
            out.append(Cell(p.value, raw, "blank" if p.value is None else "ok"))
        else:
            cands = sorted(vals, key=lambda v: (v is None, v if v is not None else 0))
            out.append(Cell(None, rr.run, "ambiguous", cands))
    return out
