"""Download report pages and files listed by URL into a corpus folder, politely and resumably.

>>> import toolkit.download as dl                                   # doctest: +SKIP
>>> log = dl.download(["https://www.example.gov.cn/2021nb.html"], "corpora/mycity")   # doctest: +SKIP

Each URL becomes one file in ``out_dir`` and one row of the returned log (never an exception for a
bad URL): ``url, file, status (ok/error/skipped), http_status, error, bytes, sha256, content_type,
fetched_at``. The log is also written to ``out_dir/download_log.csv``, and every downloaded file gets a
row in ``out_dir/manifest.csv`` (columns ``file, source``) so that :func:`toolkit.load_corpus` records
where each report came from. Files already present are skipped (resume after an interruption).
Only ``http``/``https`` URLs are fetched; nothing referenced by a downloaded page is followed.
"""
from __future__ import annotations

import csv
import hashlib
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from toolkit.errors import ArgumentError

log = logging.getLogger(__name__)

USER_AGENT = "gid-toolkit/0.1 (research; government information disclosure annual reports)"
_EXT_BY_TYPE = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
}
_KNOWN_EXT = {".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps", ".rtf"}
LOG_COLUMNS = ["url", "file", "status", "http_status", "error", "bytes", "sha256", "content_type", "fetched_at"]


def file_name(url: str, content_type: str | None = None) -> str:
    """A stable, readable file name for ``url``: last path part + a short hash of the whole URL.

    >>> file_name("http://a.gov.cn/x/t20210222_25.shtml")
    't20210222_25-99160fa7.shtml'
    """
    parts = urllib.parse.urlsplit(url)
    stem = Path(urllib.parse.unquote(parts.path)).name or "index"
    stem = re.sub(r"[^\w.\-]+", "_", stem)[:80]
    ext = Path(stem).suffix.lower()
    if ext not in _KNOWN_EXT:
        ext = _EXT_BY_TYPE.get((content_type or "").split(";")[0].strip().lower(), ".html")
        stem = stem + ext
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return f"{Path(stem).stem}-{digest}{ext}"


def download(urls, out_dir, *, delay: float = 1.0, timeout: float = 30.0, retries: int = 2,
             max_bytes: int = 100 * 2**20, user_agent: str = USER_AGENT, progress: bool | None = None) -> pd.DataFrame:
    """Fetch every URL of ``urls`` (a list, or a frame with a ``url`` column) into ``out_dir``.

    Parameters
    ----------
    urls : list of str or DataFrame
        The pages or files to fetch.
    out_dir : path
        The corpus folder (created if needed).
    delay : float
        Seconds to wait between two requests to the same host (be polite to government servers).
    timeout, retries : float, int
        Per request; a failed request (connection error, timeout, HTTP 5xx) is retried ``retries`` times.
    max_bytes : int
        Larger responses are not saved (status ``error``).

    Returns
    -------
    DataFrame with one row per URL: ``url, file, status, http_status, error, bytes, sha256, content_type,
    fetched_at``.
    """
    if isinstance(urls, pd.DataFrame):
        if "url" not in urls.columns:
            raise ArgumentError(f"urls frame needs a 'url' column; it has {list(urls.columns)}")
        urls = urls["url"].tolist()
    if isinstance(urls, str):
        urls = [urls]
    if delay < 0 or retries < 0:
        raise ArgumentError(f"delay and retries must be >= 0, got delay={delay}, retries={retries}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from toolkit.progress import bar

    last_hit: dict[str, float] = {}
    rows = []
    for url in bar(list(dict.fromkeys(urls)), progress=progress, desc="download", unit="url"):
        rows.append(_fetch_one(url, out, delay, timeout, retries, max_bytes, user_agent, last_hit))
    frame = pd.DataFrame(rows, columns=LOG_COLUMNS)
    frame.to_csv(out / "download_log.csv", index=False)
    _update_manifest(out / "manifest.csv", frame[frame.status == "ok"])
    return frame


def _fetch_one(url, out, delay, timeout, retries, max_bytes, user_agent, last_hit) -> dict:
    row = dict.fromkeys(LOG_COLUMNS)
    row["url"] = url
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        row.update(status="error", error=f"not an http(s) URL (scheme {scheme or 'missing'!r})")
        return row
    existing = [p for p in out.glob(f"*-{hashlib.sha1(url.encode()).hexdigest()[:8]}.*")]
    if existing:
        data = existing[0].read_bytes()
        row.update(status="skipped", file=existing[0].name, bytes=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), error="already downloaded")
        return row
    host = urllib.parse.urlsplit(url).netloc
    error = None
    for attempt in range(retries + 1):
        wait = last_hit.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        last_hit[host] = time.monotonic()
        try:
            req = urllib.request.Request(url, headers={"User-Agent": user_agent})
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                ctype = resp.headers.get("Content-Type", "")
                data = resp.read(max_bytes + 1)
                row.update(http_status=resp.status, content_type=ctype)
            if len(data) > max_bytes:
                row.update(status="error", error=f"response larger than max_bytes={max_bytes}")
                return row
            name = file_name(url, ctype)
            (out / name).write_bytes(data)
            row.update(status="ok", file=name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                       fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
            return row
        except urllib.error.HTTPError as e:
            row["http_status"] = e.code
            error = f"HTTP {e.code} {e.reason}"
            if e.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            error = f"{type(reason).__name__}: {reason}"
        log.info("attempt %d for %s failed: %s", attempt + 1, url, error)
    row.update(status="error", error=error)
    return row


def _update_manifest(path: Path, ok: pd.DataFrame) -> None:
    """Add ``file, source`` rows for new downloads to the corpus manifest, keeping existing rows."""
    if ok.empty:
        return
    existing = pd.read_csv(path, dtype=str) if path.exists() else pd.DataFrame(columns=["file", "source"])
    if "source" not in existing.columns:
        existing["source"] = pd.NA
    new = ok.rename(columns={"url": "source"})[["file", "source"]]
    new = new[~new["file"].isin(existing["file"])]
    merged = pd.concat([existing, new], ignore_index=True)
    merged.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
