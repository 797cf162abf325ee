"""The issues frame: columns, severities and a small row builder shared by the check modules."""
from __future__ import annotations

import pandas as pd

ISSUE_COLUMNS = ["doc_id", "check", "table", "row", "col", "expected", "observed", "severity", "message", "cells",
                 "identity", "related_doc_id"]
SEVERITIES = ("error", "warning", "info")


def issue(doc_id, check, severity, message, *, table=None, row=None, col=None, expected=None, observed=None,
          cells=(), identity=None, related_doc_id=None) -> dict:
    """One finding as a dict with every column of :data:`ISSUE_COLUMNS`."""
    assert severity in SEVERITIES, severity
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
