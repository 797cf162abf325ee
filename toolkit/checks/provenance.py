"""Where a report's text came from: ``ocr-text`` for the reports read by OCR (``load_corpus(ocr=True)``)."""
from __future__ import annotations

from ._frame import issue

OCR_MESSAGE = "text and numbers read by OCR: verify against the page images"


def ocr_text(doc: dict) -> list[dict]:
    """One ``ocr-text`` info finding when the document's text (some page of it) was read by OCR."""
    flag = doc.get("ocr")
    if flag is True or (type(flag).__name__ == "bool_" and bool(flag)):  # Python or numpy True only
        return [issue(doc["doc_id"], "ocr-text", "info", OCR_MESSAGE)]
    return []
