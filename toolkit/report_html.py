"""The self-contained ``index.html`` of a study: summary, figures (base64 PNG), tables, evidence.

Every finding links to its evidence: an anchor ``#doc-<doc_id>`` per report with its metadata, its
findings, the table cells involved (value and raw string as printed) and text excerpts (the quoted
number for I7, the 发布日期 line for lateness, the passages shared with other reports).
"""
from __future__ import annotations

import base64
import html
import json
import logging
import re
import time
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

CSS = """
body{font-family:"GID Noto Sans CJK SC","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei",
"PingFang SC",sans-serif;margin:0 auto;max-width:1180px;padding:0 18px 40px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-top:18px}h2{border-bottom:2px solid #2e86c1;padding-bottom:3px;margin-top:30px}
h3{margin:18px 0 6px}table{border-collapse:collapse;font-size:.86em;margin:6px 0 12px}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}th{background:#eef3f8;text-align:left}
.num{text-align:right}.sev-error{color:#c0392b;font-weight:bold}.sev-warning{color:#d35400}.sev-info{color:#7f8c8d}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{background:#f4f8fb;border:1px solid #d6e4f0;border-radius:6px;
padding:8px 14px;min-width:120px}.card b{display:block;font-size:1.5em}figure{margin:10px 0 18px}
figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.85em;color:#555}
.doc{border:1px solid #ddd;border-radius:6px;padding:6px 12px;margin:10px 0}.doc:target{border-color:#c0392b;
box-shadow:0 0 6px #e6b0aa}.excerpt{background:#fbfaf3;border-left:3px solid #d4ac0d;padding:4px 8px;
white-space:pre-wrap;font-size:.88em}mark{background:#f9e79f}nav a{margin-right:12px}.muted{color:#777;font-size:.85em}
"""


def _e(x) -> str:
    if x is None or (isinstance(x, float) and x != x) or x is pd.NA:
        return ""
    try:
        if pd.isna(x):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(x, float):
        return f"{x:g}" if abs(x) >= 1 or x == 0 else f"{x:.3f}"
    return html.escape(str(x))


def _anchor(doc_id) -> str:
    return "doc-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(doc_id))


_LABELS: dict = {}  # doc_id -> short label (the file name), filled by render_index


def _doc_link(doc_id, label=None) -> str:
    label = label if label is not None else _LABELS.get(doc_id, doc_id)
    return f'<a href="#{_anchor(doc_id)}" title="{_e(doc_id)}">{_e(label)}</a>'


def _table(df: pd.DataFrame, *, links: dict | None = None, max_rows: int = 200, numeric=()) -> str:
    """An HTML table of ``df``; ``links`` maps a column to a function value -> html."""
    links = links or {}
    if not len(df):
        return '<p class="muted">(none)</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = []
    for rec in df.head(max_rows).itertuples(index=False):
        tds = []
        for c, v in zip(df.columns, rec):
            cls = ' class="num"' if c in numeric else ""
            cls = f' class="sev-{_e(v)}"' if c == "severity" else cls
            tds.append(f"<td{cls}>{links[c](v) if c in links and _e(v) else _e(v)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    more = f'<p class="muted">{len(df) - max_rows} more rows in the CSV/Parquet files.</p>' if len(df) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _figure(path: Path, caption: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img alt="{_e(caption)}" src="data:image/png;base64,{data}"/>'
            f"<figcaption>{_e(caption)}</figcaption></figure>")


FIGURE_CAPTIONS = {
    "corpus_overview": "Reports per report year and input format",
    "issues_by_check": "Reports with each finding (red: error, orange: warning, grey: info)",
    "scores": "Compliance score distribution by level, and the mean score of each criterion",
    "top_terms": "Most frequent terms in 总体情况 and 存在的主要问题及改进情况",
    "keyness": "Key terms of the latest report year against the earlier years (log ratio, significant terms)",
    "term_trends": "Share of the key terms in each report year",
    "similarity_heatmap": "TF-IDF cosine similarity of the narrative sections (most connected reports)",
    "agency_network": "Agencies linked by shared passages of 100+ characters (edge width: characters)",
    "share_distribution": "Template share: narrative found in other agencies' reports / own earlier reports",
    "template_share": "Share of each report's narrative found in other agencies' earlier reports / its own earlier reports",
}


def _excerpt(text: str, needle: str | None, *, width: int = 60) -> str:
    if not isinstance(text, str) or not text:
        return ""
    i = text.find(needle) if needle else -1
    if i < 0:
        return _e(text[: 2 * width]) + "…"
    a, b = max(0, i - width), min(len(text), i + len(needle) + width)
    return ("…" if a else "") + _e(text[a:i]) + f"<mark>{_e(needle)}</mark>" + _e(text[i + len(needle):b]) + "…"


def _quoted(message: str) -> str | None:
    m = re.search(r"“([^”]+)”", message or "")
    return m.group(1) if m else None


def _cells_of(issue_row, cells_idx: dict) -> list[tuple]:
    ids = issue_row.get("cells")
    if isinstance(ids, str):
        try:
            ids = json.loads(ids)
        except ValueError:
            ids = [ids]
    out = []
    for cid in list(ids) if ids is not None and not isinstance(ids, float) else []:
        parts = str(cid).split(".")
        if len(parts) == 3:
            rec = cells_idx.get((issue_row["doc_id"], *parts))
            out.append((cid, *(rec if rec else ("", "", "not found"))))
    return out


def _evidence(res) -> str:
    f = res.frames
    docs = f["documents"]
    issues = f.get("issues", pd.DataFrame(columns=["doc_id"]))
    cells = f.get("cells", pd.DataFrame(columns=["doc_id", "table", "row", "col", "value", "raw", "status"]))
    cells_idx = {(d, t, r, c): (v, raw, s) for d, t, r, c, v, raw, s in
                 zip(cells["doc_id"], cells["table"], cells["row"], cells["col"], cells["value"], cells["raw"],
                     cells["status"])}
    passages = f.get("passages", pd.DataFrame())
    card = f.get("scorecard", pd.DataFrame(columns=["doc_id"])).set_index("doc_id") if len(f.get("scorecard", [])) else None
    by_doc = {d: g for d, g in issues.groupby("doc_id")} if len(issues) else {}
    pas_by_doc: dict = {}
    if len(passages) and {"doc_a", "doc_b"} <= set(passages.columns):
        for r in passages.to_dict("records"):
            pas_by_doc.setdefault(r["doc_a"], []).append((r, "a"))
            pas_by_doc.setdefault(r["doc_b"], []).append((r, "b"))
    out = []
    for d in docs.to_dict("records"):
        doc_id = d["doc_id"]
        meta = " · ".join(_e(x) for x in (d.get("file"), d.get("agency"), d.get("level"), d.get("year"),
                                           d.get("format"), d.get("script")) if _e(x))
        head = (f'<div class="doc" id="{_anchor(doc_id)}"><h3>{_e(d.get("title") or d.get("file"))}</h3>'
                f'<p class="muted">doc_id {_e(doc_id)} · {meta} · published {_e(d.get("published")) or "unknown"}'
                f' · template {_e(d.get("template"))}</p>')
        body = []
        if d.get("status") == "error":
            body.append(f'<p class="sev-error">Not loaded: {_e(d.get("error"))}</p>')
        if card is not None and doc_id in card.index:
            c = card.loc[doc_id]
            body.append(f"<p>Compliance score <b>{_e(c['score'])}</b> (rank {_e(c['rank'])}); missing parts: "
                        f"{_e(c.get('missing_parts')) or 'none'}</p>")
        g = by_doc.get(doc_id)
        text = d.get("text") or ""
        if g is not None:
            rows = []
            for r in g.to_dict("records"):
                ev = []
                for cid, v, raw, s in _cells_of(r, cells_idx):
                    plain = s == "ok" and _e(raw) == _e(v)
                    ev.append(f"{_e(cid)} = <b>{_e(v) or '∅'}</b>" + ("" if plain else f" (printed “{_e(raw)}”, {_e(s)})"))
                q = _quoted(r.get("message", ""))
                if r["check"] in ("late-publication", "published-before-year-end"):
                    q = "发布日期" if "发布日期" in text else (d.get("published") or None)
                snippet = _excerpt(text, q) if q and q in text else ""
                rows.append(f'<tr><td class="sev-{_e(r["severity"])}">{_e(r["severity"])}</td><td>{_e(r["check"])}'
                            f'</td><td>{_e(r.get("message"))}</td><td>{"; ".join(ev)}'
                            f'{"<div class=excerpt>" + snippet + "</div>" if snippet else ""}</td></tr>')
            body.append("<table><tr><th>severity</th><th>check</th><th>message</th><th>evidence (cells, text)"
                        "</th></tr>" + "".join(rows) + "</table>")
        for r, side in pas_by_doc.get(doc_id, [])[:6]:
            other = r["doc_b"] if side == "a" else r["doc_a"]
            ptxt = r.get("text") or r.get(f"text_{side}") or ""
            body.append(f'<p>Shares a passage ({_e(r.get("length") or len(ptxt))} chars) with '
                        f'{_doc_link(other)}:</p><div class="excerpt">{_e(str(ptxt)[:300])}</div>')
        if g is None and not pas_by_doc.get(doc_id):
            body.append('<p class="muted">No findings.</p>')
        out.append(head + "".join(body) + "</div>")
    return "".join(out)


def render_index(res) -> str:
    """The HTML text of a study's ``index.html``."""
    from toolkit import __version__

    f = res.frames
    docs = f["documents"]
    if "file" in docs.columns:
        _LABELS.clear()
        _LABELS.update({d: Path(str(fl)).name for d, fl in zip(docs["doc_id"], docs["file"])})
    ok = docs[docs["status"].eq("ok")] if "status" in docs.columns else docs
    issues = f.get("issues", pd.DataFrame(columns=["doc_id", "check", "severity"]))
    card = f.get("scorecard", pd.DataFrame())
    pairs, clusters = f.get("pairs", pd.DataFrame()), f.get("clusters", pd.DataFrame())
    n_sev = issues["severity"].value_counts() if len(issues) else pd.Series(dtype=int)
    synthetic = (int(docs["synthetic"].astype(str).str.lower().isin(["true", "1", "yes"]).sum())
                 if "synthetic" in docs.columns else None)
    cards = [("files", len(docs)), ("loaded", len(ok)), ("not loaded", len(docs) - len(ok)),
             ("agencies", ok["agency"].nunique() if "agency" in ok.columns else ""),
             ("years", ", ".join(map(str, sorted(ok["year"].dropna().astype(int).unique()))) if "year" in ok.columns else ""),
             ("table cells", len(f.get("cells", []))), ("figures stated in text", len(f.get("facts", []))),
             ("errors", int(n_sev.get("error", 0))),
             ("warnings", int(n_sev.get("warning", 0))), ("reuse pairs", len(pairs)),
             ("mean score", f"{card['score'].mean():.1f}" if len(card) else "")]
    parts = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>GID study: {_e(res.params.get('corpus'))}"
             f"</title><style>{CSS}</style></head><body>",
             f"<h1>政府信息公开工作年度报告 · study of <code>{_e(res.params.get('corpus'))}</code></h1>",
             f"<p class='muted'>gid-toolkit {__version__} · {time.strftime('%Y-%m-%d %H:%M')} · "
             f"{res.timings.get('total', 0):.1f} s · parameters in run.json</p>",
             "<nav><a href='#summary'>Summary</a><a href='#figures'>Figures</a><a href='#findings'>Findings</a>"
             "<a href='#scorecard'>Scorecard</a><a href='#reuse'>Reuse</a><a href='#keywords'>Keywords</a>"
             "<a href='#evidence'>Evidence per report</a></nav>"]
    if synthetic:
        parts.append(f"<p><b>{synthetic} of the {len(docs)} files are SYNTHETIC</b> (合成市, generated by "
                     "toolkit.synth); their planted truth is in corpora/synthetic/truth/.</p>")
    parts.append("<h2 id='summary'>Summary</h2><div class='cards'>" +
                 "".join(f"<div class='card'><b>{_e(v)}</b>{_e(k)}</div>" for k, v in cards) + "</div>")
    if len(ok):
        tab = pd.crosstab(ok["year"].astype("Int64").astype(str), ok["format"]).reset_index()
        parts.append("<h3>Reports by year and format</h3>" + _table(tab))
    parts.append("<h2 id='figures'>Figures</h2>")
    for name, path in res.figures.items():
        parts.append(_figure(path, FIGURE_CAPTIONS.get(name, name.replace("_", " "))))
    tr = getattr(res, "extra", {}).get("truth")
    if tr:
        parts.append("<h3>Planted truth recovered (synthetic corpus)</h3><p>"
                     f"{tr['recovered']} of {tr['planted']} planted findings found; "
                     f"{tr['false_findings_on_clean']} errors or warnings on the {tr['clean_reports']} clean synthetic "
                     f"reports; {tr['families_in_top_clusters']} of {tr['families_planted']} planted copy families "
                     "are among the top copy families. Details: truth_recovery.csv.</p>")
        rec = f.get("truth_recovery", pd.DataFrame())
        if len(rec) and (~rec["found"]).any():
            parts.append(_table(rec[~rec["found"]][["file", "check", "table", "row", "col", "note"]]))
    parts.append("<h2 id='findings'>Findings</h2>")
    if len(issues):
        summ = (issues.groupby(["check", "severity"]).agg(findings=("doc_id", "size"), reports=("doc_id", "nunique"))
                .reset_index())
        summ = (summ.assign(_o=summ["severity"].map({"error": 0, "warning": 1, "info": 2}).fillna(3))
                .sort_values(["_o", "reports"], ascending=[True, False]).drop(columns="_o"))
        parts.append(_table(summ, numeric=("findings", "reports")))
        show = issues[issues["severity"].isin(["error", "warning"])]
        cols = [c for c in ("doc_id", "severity", "check", "table", "row", "col", "expected", "observed", "message")
                if c in show.columns]
        sev_order = show["severity"].map({"error": 0, "warning": 1}).fillna(2)
        show = show.assign(_o=sev_order).sort_values(["_o", "check", "doc_id"])[cols]
        parts.append("<h3>Errors and warnings (click a report for its evidence)</h3>" +
                     _table(show, links={"doc_id": _doc_link}, max_rows=400))
    else:
        parts.append("<p>No findings.</p>")
    parts.append("<h2 id='scorecard'>Compliance scorecard</h2><p>One row per report; criteria scored 0-1 "
                 "(empty = cannot be judged), overall score = weighted mean × 100 (weights "
                 f"{_e(json.dumps(card.attrs.get('weights', {}), ensure_ascii=False))}). See toolkit.compliance.</p>")
    if len(card):
        from toolkit.compliance import CRITERIA

        cols = [c for c in ("doc_id", "agency", "year", "score", "rank", *CRITERIA, "missing_parts") if c in card.columns]
        parts.append("<h3>Lowest scores</h3>" + _table(card.sort_values("score").head(25)[cols],
                                                           links={"doc_id": _doc_link}))
        parts.append("<h3>Highest scores</h3>" + _table(card.head(10)[cols], links={"doc_id": _doc_link}))
    parts.append("<h2 id='reuse'>Text reuse</h2>")
    fam = f.get("families", pd.DataFrame())
    if len(fam):
        rows = []
        for fid, g in list(fam.groupby("family"))[:12]:
            links = ", ".join(_doc_link(d) for d in g["doc_id"])
            rows.append(f"<tr><td>{fid}</td><td class='num'>{len(g)}</td><td>{_doc_link(g['source'].iloc[0])}</td>"
                        f"<td>{links}</td><td><div class='excerpt'>{_e(str(g['text'].iloc[0])[:160])}…</div></td></tr>")
        parts.append("<h3>Copy families: the same passage printed by several reports</h3><table><tr><th>family</th>"
                     "<th>reports</th><th>first published</th><th>reports</th><th>passage</th></tr>"
                     + "".join(rows) + "</table>")
    if len(clusters):
        parts.append("<h3>Clusters of reports sharing text</h3>" + _table(clusters.head(30), max_rows=30))
    if len(pairs):
        pc = [c for c in pairs.columns if c not in ("text",)][:10]
        links = {c: _doc_link for c in ("doc_a", "doc_b") if c in pairs.columns}
        parts.append("<h3>Most similar pairs</h3>" + _table(pairs[pc].head(40), links=links, max_rows=40))
    else:
        parts.append("<p>No reuse pairs above the threshold.</p>")
    key = f.get("keyness", pd.DataFrame())
    parts.append("<h2 id='keywords'>Keywords</h2>")
    if len(key):
        kc = [c for c in ("term", "n_target", "n_reference", "log_ratio", "g2", "p_adj") if c in key.columns]
        parts.append(f"<p>Target {_e(key.attrs.get('target'))} vs reference {_e(key.attrs.get('reference'))}.</p>"
                     + _table(key[kc].head(30), numeric=kc[1:]))
    parts.append("<h2 id='evidence'>Evidence per report</h2>" + _evidence(res))
    parts.append("</body></html>")
    return "\n".join(parts)


def font_face(chars: set[str]) -> str:
    """A CSS ``@font-face`` embedding Noto Sans CJK SC, subset to ``chars``, as base64 (``""`` if impossible).

    Browsers on machines without a CJK font would show empty boxes; the subset (a few hundred KB for a
    study page) makes the page render Chinese anywhere, offline.
    """
    import io

    try:
        import noto_cjk_sans_otc
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(str(noto_cjk_sans_otc.FONT_PATH), fontNumber=2)  # 2 = Noto Sans CJK SC in the collection
        opts = subset.Options()
        opts.layout_features, opts.hinting, opts.notdef_outline = [], False, True
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=sorted({ord(c) for c in chars if ord(c) > 32}))
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    except Exception as exc:  # no font package or fontTools: the page still works with system fonts
        logger.warning("CJK font not embedded in index.html (%s); browsers need a system CJK font", exc)
        return ""
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'GID Noto Sans CJK SC';src:url(data:font/otf;base64,{data}) format('opentype')}}"


def write_index(res, path: str | Path, *, embed_font: bool = True) -> Path:
    """Write the study's self-contained ``index.html`` to ``path`` (with a subset CJK font embedded)."""
    page = render_index(res)
    if embed_font:
        text_only = re.sub(r"data:[a-z/+-]+;base64,[A-Za-z0-9+/=]+", "", page)
        face = font_face(set(text_only))
        if face:
            page = page.replace("<style>", f"<style>{face}\n", 1)
    p = Path(path)
    p.write_text(page, encoding="utf-8")
    return p
