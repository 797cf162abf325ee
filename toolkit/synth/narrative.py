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

The phrase banks are in :mod:`toolkit.synth.phrases`. Helpers: :func:`assemble` (whole documents with
document offsets) and, in :mod:`toolkit.synth.narrative_truth` (also importable from here),
:func:`expected_pairs` (every passage pair the truth implies), :func:`planted_share` (true template
share) and :func:`evaluate_passages` (recall and precision of :func:`toolkit.shared_passages`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError

from .narrative_truth import evaluate_passages, expected_pairs, planted_share  # noqa: F401  (public here too)
from .phrases import (CLAUSES, GOAL_NOUNS, GOAL_VERBS, MANDATED_S1, S1_SUBSECTIONS, S1_WEIGHTS, S5_PARTS,  # noqa: F401
                      SECTION_HEADINGS, SLOTS, _clause_template)

log = logging.getLogger(__name__)

SYNTHETIC_LABEL = "synthetic (toolkit.synth.narrative, own phrase banks)"

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
