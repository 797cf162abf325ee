"""check() on real reports (read by path from ../shared; nothing copied): it must report exactly the identity
failures that the gold's own arithmetic shows, computed here independently with plain arithmetic."""
from pathlib import Path

import pandas as pd
import pytest

from toolkit import check, load_corpus
from toolkit.checks.narrative import quotes

APPLICANT = ["natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
             "org_other"]
COLS = APPLICANT + ["total"]


@pytest.fixture(scope="module")
def docs(real_dir):
    d = load_corpus(real_dir, progress=False)
    return d.assign(stem=d["file"].map(lambda f: Path(f).stem))


@pytest.fixture(scope="module")
def gold(gold_dir, docs):
    doc_of = dict(zip(docs["stem"], docs["doc_id"]))
    frames = []
    for f in sorted(gold_dir.glob("*.csv")):
        g = pd.read_csv(f, dtype={"raw": str, "template": str})
        g["doc_id"] = g.pop("doc").map(lambda s: doc_of.get(s, s))
        frames.append(g)
    cells = pd.concat(frames, ignore_index=True)
    cells["value"] = cells["value"].astype("Float64")
    return cells


def plain_failures(g: pd.DataFrame) -> set:
    """(identity, row, col) of every failing I1-I4 equation whose cells are all printed numbers."""
    ok = g[g["status"] == "ok"]
    v = {(t, r, c): float(x) for t, r, c, x in zip(ok["table"], ok["row"], ok["col"], ok["value"])}
    t3_rows = list(dict.fromkeys(g.loc[g["table"] == "t3", "row"]))
    results = [r for r in t3_rows if r.startswith("r_") and r != "r_total"]
    out = set()

    def fails(left, right):
        keys = left + right
        if not all(k in v for k in keys):
            return False
        return sum(v[k] for k in left) != sum(v[k] for k in right)

    for c in COLS:
        if fails([("t3", "new_received", c), ("t3", "carried_over_from_prev", c)],
                 [("t3", "r_total", c), ("t3", "carried_to_next", c)]):
            out.add(("I1", None, c))
        if fails([("t3", "r_total", c)], [("t3", r, c) for r in results]):
            out.add(("I2", "r_total", c))
    for r in t3_rows:
        if fails([("t3", r, "total")], [("t3", r, c) for c in APPLICANT]):
            out.add(("I3", r, "total"))
    for p in ("rev", "lit_direct", "lit_after_rev"):
        if fails([("t4", "cases", f"{p}_total")], [("t4", "cases", f"{p}_{k}") for k in
                                                   ("upheld", "corrected", "other", "pending")]):
            out.add(("I4", "cases", f"{p}_total"))
    return out


def found(issues: pd.DataFrame) -> set:
    ids = issues[issues["check"].str.startswith("identity-")]
    return {(i, None if pd.isna(r) else r, c) for i, r, c in zip(ids["identity"], ids["row"], ids["col"])}


def test_identity_findings_equal_the_gold_arithmetic(gold):
    issues = check(gold)
    n_fail = 0
    for doc_id, g in gold.groupby("doc_id"):
        expected = plain_failures(g)
        n_fail += len(expected)
        assert found(issues[issues["doc_id"] == doc_id]) == expected, doc_id
    assert n_fail > 0  # the gold contains at least one report that breaks its own identities
    # nothing else than identity failures and ambiguity notes on the gold
    assert set(issues["check"]) <= {"identity-i1", "identity-i2", "identity-i3", "identity-i4", "ambiguous-cells"}
    amb = issues[issues["check"] == "ambiguous-cells"]
    assert set(amb["doc_id"]) == set(gold.loc[gold["status"] == "ambiguous", "doc_id"])


def test_documents_checks_on_the_real_corpus(gold, docs):
    with_gold = docs[docs["doc_id"].isin(gold["doc_id"])]
    issues = check(gold, with_gold)
    # deadlines, recomputed here: departments 31 Jan from report year 2019, otherwise 31 Mar
    late = set()
    for r in with_gold.itertuples():
        if isinstance(r.published, str) and pd.notna(r.year):
            due = f"{int(r.year) + 1}-01-31" if (r.level == "department" and r.year >= 2019) else f"{int(r.year) + 1}-03-31"
            if r.published > due:
                late.add(r.doc_id)
    assert set(issues.loc[issues["check"] == "late-publication", "doc_id"]) == late
    unknown = set(with_gold.loc[with_gold["published"].isna(), "doc_id"])
    assert set(issues.loc[issues["check"] == "unknown-publication-date", "doc_id"]) == unknown
    # the manifest's templates match the report years
    assert not (issues["check"] == "superseded-template").any()
    # I6, recomputed: same agency, consecutive years, carried_over_from_prev(t) vs carried_to_next(t-1)
    ok = gold[gold["status"] == "ok"].set_index(["doc_id", "table", "row", "col"])["value"]
    meta = with_gold.dropna(subset=["agency"])
    expected_i6 = set()
    for cur in meta.itertuples():
        for prev in meta[(meta["agency"] == cur.agency) & (meta["year"] == cur.year - 1)].itertuples():
            for c in COLS:
                a = ok.get((cur.doc_id, "t3", "carried_over_from_prev", c))
                b = ok.get((prev.doc_id, "t3", "carried_to_next", c))
                if a is not None and b is not None and a != b:
                    expected_i6.add((cur.doc_id, prev.doc_id, c))
    i6 = issues[issues["check"] == "carry-over-i6"]
    assert set(zip(i6["doc_id"], i6["related_doc_id"], i6["col"])) == expected_i6
    # identity findings do not change when documents are given
    assert found(issues) == found(check(gold))


def test_narrative_numbers_agree_with_the_real_tables(gold, docs):
    """The real narratives quote their tables correctly; I7 must not cry wolf (and must have read quotes)."""
    with_gold = docs[docs["doc_id"].isin(gold["doc_id"])]
    n_quotes = sum(len(v) for t in with_gold["text"] for v in quotes(t).values())
    assert n_quotes >= 4
    issues = check(gold, with_gold)
    assert not (issues["check"] == "narrative-i7").any(), issues.loc[issues["check"] == "narrative-i7", "message"]


def test_extracted_cells_show_the_same_identity_failures(gold, docs):
    try:
        from toolkit.tables import extract_cells
    except ImportError:
        pytest.skip("toolkit.extract_cells is not available yet")
    with_gold = docs[docs["doc_id"].isin(gold["doc_id"])]
    cells = extract_cells(with_gold)
    issues = check(cells)
    for doc_id, g in gold.groupby("doc_id"):
        got = found(issues[issues["doc_id"] == doc_id])
        assert got == plain_failures(g), doc_id
