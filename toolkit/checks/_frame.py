"""The issues frame: columns, severities and a small row builder shared by the check modules."""
from __future__ import annotations

import pandas as pd

ISSUE_COLUMNS = ["doc_id", "check", "table", "row", "col", "expected", "observed", "severity", "message", "cells",
                 "identity", "related_doc_id"]
SEVERITIES = ("error", "warning", "info")

# slug -> default severity (the catalogue is documented in toolkit/checks/__init__.py)
CATALOGUE = {
    "identity-i1": "error", "identity-i2": "error", "identity-i3": "error", "identity-i4": "error",
    "blank-total": "warning", "results-exceed-intake": "error", "negative-value": "error", "non-integer": "error",
    "blank-cells": "warning", "ambiguous-cells": "info", "missing-table": "error", "missing-row": "error",
    "duplicate-cell": "error", "unknown-cell": "info", "superseded-template": "error",
    "late-publication": "error", "unknown-publication-date": "info", "published-before-year-end": "warning",
    "empty-section-5": "warning", "narrative-i7": "warning", "carry-over-i6": "warning",
    "cross-year-h1": "info", "cross-year-h2": "info", "conflicting-copies": "warning",
    "ocr-text": "info",
}


def issue(doc_id, check, severity, message, *, table=None, row=None, col=None, expected=None, observed=None,
          cells=(), identity=None, related_doc_id=None) -> dict:
    """One finding as a dict with every column of :data:`ISSUE_COLUMNS`."""
    assert severity in SEVERITIES and check in CATALOGUE, (check, severity)
    return {"doc_id": doc_id, "check": check, "table": table, "row": row, "col": col, "expected": expected,
            "observed": observed, "severity": severity, "message": message, "cells": list(cells),
            "identity": identity, "related_doc_id": related_doc_id}


def to_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    return df.astype({"doc_id": object, "check": object, "severity": object, "message": object})


def num(x) -> str:
    """A number as printed in messages: 3 not 3.0."""
    if x is None or (isinstance(x, float) and x != x):
        return "blank"
    f = float(x)
    return str(int(f)) if f.is_integer() else f"{f:.10g}"


def cell_id(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"
