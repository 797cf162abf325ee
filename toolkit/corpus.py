"""``load_corpus``: a folder (or one file) of reports -> the ``documents`` frame, nothing lost.

One row per file with a document extension (``.txt .htm .html .shtml .pdf .doc .docx .wps
.rtf``), found recursively (symlinked folders are followed once; loops are cut). A file
that cannot be read is a row with ``status="error"`` and the reason in ``error``; other
files (README, images, ``manifest.csv``) are only counted in the log.

Columns (the documents contract, then extras): ``doc_id, path, file, format, sha256, size,
status, error, encoding, script, agency, region, province, city, county, adcode, level,
year, published, template, title, text, text_original, pages, tables`` and ``name`` (file
stem, the key of the gold files), ``signed`` (date under the closing signature),
``source`` (URL stated by the page or crawler header), ``ocr`` (True when some page's text was read
by OCR: ``load_corpus(..., ocr=True)``; False for every other row). With a manifest, the manifest's
values win and the inferred ones stay in ``inferred_<field>`` columns.

Examples
--------
>>> import toolkit as tk
>>> docs = tk.load_corpus("corpora/", progress=False)           # doctest: +SKIP
>>> docs[["doc_id", "format", "status", "year", "template"]]     # doctest: +SKIP
"""
from __future__ import annotations

import errno
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from .errors import ArgumentError, CorpusError
from .metadata import infer_metadata
from .normalize import detect_script, normalize
from .progress import bar, shown
from .readers import DOCUMENT_EXTENSIONS, ReadError, format_of, parse, read_bytes

__all__ = ["load_corpus", "load_file", "COLUMNS", "MANIFEST_FIELDS"]

log = logging.getLogger(__name__)

COLUMNS = ["doc_id", "path", "file", "format", "sha256", "size", "status", "error", "encoding", "script",
           "agency", "region", "province", "city", "county", "adcode", "level", "year", "published",
           "template", "title", "text", "text_original", "pages", "tables", "name", "signed", "source", "ocr"]
# manifest columns that override inferred metadata
MANIFEST_FIELDS = ["agency", "region", "province", "city", "county", "adcode", "level", "year", "published",
                   "template", "title", "script", "source"]
DEFAULT_MAX_SIZE = 200 * 1024 * 1024
_SCRIPT_SAMPLE = 100_000


# --- one file ---------------------------------------------------------------------------
def _doc_id(file: str, sha256: str | None) -> str:
    stem = re.sub(r"[^\w\-]+", "_", Path(file).stem).strip("_")[:60] or "doc"
    digest = hashlib.sha256(f"{file}\0{sha256 or ''}".encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}"


_NUMERIC_CELL = re.compile(r"[\d.,+\- ]*")


@functools.lru_cache(maxsize=65536)
def _normalize_cell(text: str) -> str:
    """normalize() for table cells: labels repeat across reports (cached), numbers skip it."""
    if _NUMERIC_CELL.fullmatch(text):
        return text.strip()
    return normalize(text)


def _error(row: dict, reason: str) -> dict:
    row.update(status="error", error=reason)
    return row


def load_file(path: str, file: str, *, max_size: int = DEFAULT_MAX_SIZE, ocr: bool = False) -> dict:
    """Read, normalize and describe one file: one row of the documents frame (a dict).

    Never raises for a problem with the file itself; the row then has ``status="error"``. ``ocr=True``
    reads PDF pages without a text layer with Tesseract (the row's ``ocr`` is then True).

    >>> row = load_file("corpora/seed_liubei_kjj_2020.txt", "seed_liubei_kjj_2020.txt")  # doctest: +SKIP
    >>> row["status"], row["script"], row["year"]                                        # doctest: +SKIP
    ('ok', 'traditional', 2020)
    """
    fmt = format_of(path)
    row = dict.fromkeys(COLUMNS)
    row.update(path=path, file=file, format=fmt, name=Path(file).stem, status="ok", ocr=False)
    row["doc_id"] = _doc_id(file, None)
    try:
        try:
            size = os.stat(path).st_size
        except OSError as e:
            if e.errno == errno.ELOOP:
                return _error(row, "symlink loop: too many levels of symbolic links")
            if e.errno == errno.ENOENT:
                return _error(row, "broken symlink: its target does not exist")
            return _error(row, f"cannot stat the file: {e.strerror or e}")
        row["size"] = size
        if size > max_size:
            return _error(row, f"file too large ({size / 2**20:.1f} MB > max_size={max_size / 2**20:.0f} MB); "
                               f"pass a larger max_size= to load it")
        data = read_bytes(path)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        row["doc_id"] = _doc_id(file, row["sha256"])
        raw = parse(data, fmt, suffix=Path(path).suffix, ocr=ocr)
    except ReadError as e:
        return _error(row, str(e))
    except Exception as e:  # a reader bug must not stop a corpus load
        log.debug("reader crashed on %s", path, exc_info=True)
        return _error(row, f"reader failed: {type(e).__name__}: {e}")
    row["encoding"] = raw.encoding
    row["ocr"] = bool(raw.ocr)
    row["text_original"] = raw.text
    if raw.pages is not None:
        starts, parts, at = [], [], 0
        for page in raw.pages:
            page_text = normalize(page)
            starts.append(at)
            parts.append(page_text)
            at += len(page_text) + 1
        row["text"], row["pages"] = "\n".join(parts), starts
    else:
        row["text"] = normalize(raw.text)
    if raw.tables is not None:
        row["tables"] = [[[{**c, "text": _normalize_cell(c["text"])} for c in r] for r in t] for t in raw.tables]
    row["script"] = detect_script(raw.text[:_SCRIPT_SAMPLE])
    try:
        hints = {k: normalize(v) if isinstance(v, str) else v for k, v in raw.hints.items()}
        row.update(infer_metadata(row["text"], hints))
    except Exception as e:  # pragma: no cover - inference bugs must not lose the text
        log.warning("metadata inference failed on %s: %s", path, e)
    if raw.warning:
        _error(row, raw.warning)
    return row


def _load_batch(items: list[tuple[str, str]], max_size: int, ocr: bool = False) -> list[dict]:
    return [load_file(p, f, max_size=max_size, ocr=ocr) for p, f in items]


# --- discovery ---------------------------------------------------------------------------
def _discover(root: Path) -> tuple[list[tuple[str, str]], list[dict], int]:
    """(document files as (abs path, relative file), error rows for unreadable folders, n other files)."""
    files, problems, others = [], [], 0
    seen_dirs: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen_dirs:
            log.warning("symlink loop or repeated folder skipped: %s -> %s", folder, real)
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            rel = os.path.relpath(folder, root)
            log.warning("cannot list folder %s: %s", folder, e.strerror or e)
            row = dict.fromkeys(COLUMNS)
            row.update(doc_id=_doc_id(rel, None), path=str(folder), file=rel, format="directory",
                       name=Path(rel).name, status="error",
                       error=f"unreadable folder: {e.strerror or e}; its files could not be listed")
            problems.append(row)
            continue
        for entry in entries:
            if entry.name.startswith("."):  # .git, .ipynb_checkpoints, editor files
                others += 1
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(Path(entry.path))
            elif os.path.splitext(entry.name)[1].lower() in DOCUMENT_EXTENSIONS:
                files.append((os.path.abspath(entry.path), os.path.relpath(entry.path, root)))
            else:
                others += 1
    files.sort(key=lambda t: t[1])
    return files, problems, others


# --- manifest -----------------------------------------------------------------------------
def _read_manifest(path: Path) -> pd.DataFrame:
    try:
        man = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as e:
        raise CorpusError(f"cannot read manifest {path}: {e}; it must be a UTF-8 CSV with a 'file' column") from e
    if "file" not in man.columns:
        raise CorpusError(f"manifest {path} has no 'file' column (columns: {list(man.columns)}); "
                          "add one with each document's path relative to the corpus folder")
    man["file"] = man["file"].str.strip().str.replace("\\", "/", regex=False).str.removeprefix("./")
    dup = man["file"][man["file"].duplicated()]
    if len(dup):
        raise CorpusError(f"manifest {path} lists files more than once: {sorted(set(dup))[:5]}")
    return man


def _apply_manifest(docs: pd.DataFrame, man: pd.DataFrame, *, whole_folder: bool = True) -> pd.DataFrame:
    docs = docs.copy()
    key = docs["file"].str.replace("\\", "/", regex=False)
    man = man.set_index("file")
    missing = sorted(set(man.index) - set(key))
    if missing and whole_folder:  # loading one file of a corpus: the other rows are expected
        log.warning("%d manifest rows match no loaded file, e.g. %s", len(missing), missing[:3])
    for col in man.columns:
        values = key.map(man[col])
        given = values.notna() & (values.str.strip() != "")
        if col in MANIFEST_FIELDS:
            docs[f"inferred_{col}"] = docs[col]
            if col == "year":
                new = pd.to_numeric(values.where(given), errors="coerce").astype("Int64")
                docs[col] = new.where(given, docs[col]).astype("Int64")
            else:
                docs[col] = values.where(given, docs[col])
        else:
            name = col if col not in docs.columns else f"manifest_{col}"
            docs[name] = values.where(given)
    for col in docs.columns:  # missing values are None in object columns, as without a manifest
        if docs[col].dtype == object:
            docs[col] = docs[col].astype(object).where(docs[col].notna(), None)
    return docs


# --- public API ---------------------------------------------------------------------------
def load_corpus(path, *, manifest=None, progress=None, workers: int = 1, client=None,
                max_size: int = DEFAULT_MAX_SIZE, ocr: bool = False) -> pd.DataFrame:
    """Load a folder of reports (or one file) into the ``documents`` frame.

    Parameters
    ----------
    path : str or Path
        A folder, searched recursively, or a single document file.
    manifest : None, False, str or Path
        ``None`` (default): use ``manifest.csv`` in the corpus folder if there is one;
        ``False``: infer everything; a path: that CSV. A manifest has a ``file`` column
        (path relative to the corpus folder) and any of ``agency, region, province, city,
        county, adcode, level, year, published, template, title, script, source``; its
        non-empty values replace the inferred ones, which stay in ``inferred_<field>``.
        Other manifest columns are added as they are (``manifest_<col>`` on a clash).
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal.
    workers : int
        Processes reading files in parallel (1 = in this process).
    client : dask.distributed.Client, optional
        Run the per-file work on this Dask cluster instead (``workers`` is then ignored).
    max_size : int
        Files larger than this many bytes become error rows instead of being read.
    ocr : bool
        Read the pages of scanned PDFs (no text layer) with the Tesseract program (``chi_sim``; Debian:
        ``apt-get install tesseract-ocr tesseract-ocr-chi-sim``), at about 2 s a page; pages with a text
        layer keep it. Default False: a scanned PDF is an error row saying so. The ``ocr`` column is True
        for the rows whose text was (partly) read by OCR; ``toolkit.check`` flags them (``ocr-text``).
        With ``workers`` or ``client`` each worker runs Tesseract, so it must be installed there.

    Returns
    -------
    pandas.DataFrame
        One row per document file; see the module docstring for the columns.

    Examples
    --------
    >>> docs = load_corpus("corpora/seed_liubei_kjj_2020.txt", progress=False)  # doctest: +SKIP
    >>> docs.loc[0, ["script", "year", "template"]].tolist()                    # doctest: +SKIP
    ['traditional', 2020, '2019']
    """
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ArgumentError(f"workers={workers!r} is not allowed; use an int >= 1")
    if not (manifest is None or manifest is False or isinstance(manifest, (str, os.PathLike))):
        raise ArgumentError(f"manifest={manifest!r} is not allowed; use None (auto), False (off) or a CSV path")
    root = Path(path).expanduser()
    if not os.path.lexists(root):
        raise CorpusError(f"corpus path not found: {root} (give a folder of reports or one report file)")
    if root.is_dir():
        items, problems, others = _discover(root)
        folder = root
    else:
        folder = root.parent
        items, problems, others = [(os.path.abspath(root), root.name)], [], 0
    log.info("%d document files under %s (%d other files skipped)", len(items), root, others)
    show = shown(progress)
    if client is not None:
        rows = _run_dask(items, client, max_size, show, ocr)
    elif workers > 1 and len(items) > 1:
        rows = _run_processes(items, workers, max_size, show, ocr)
    else:
        rows = [load_file(p, f, max_size=max_size, ocr=ocr) for p, f in _progress(items, show)]
    docs = pd.DataFrame(rows + problems, columns=COLUMNS)
    docs["year"] = pd.array(docs["year"], dtype="Int64")
    docs["size"] = pd.array(docs["size"], dtype="Int64")
    docs["ocr"] = docs["ocr"].eq(True)  # folder error rows have None: False
    n_err = int((docs["status"] == "error").sum())
    if n_err:
        log.warning("%d of %d files could not be loaded; see the 'error' column", n_err, len(docs))
    if manifest is None:
        auto = folder / "manifest.csv"
        manifest = auto if auto.is_file() else False
    if manifest is not False:
        docs = _apply_manifest(docs, _read_manifest(Path(manifest)), whole_folder=root.is_dir())
    return docs


def _progress(items, show, total=None):
    return bar(items, total=total, progress=show, desc="loading", unit="file")


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _run_processes(items, workers, max_size, show, ocr=False) -> list[dict]:
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    batches = _chunks(items, max(1, min(64, len(items) // (workers * 8) or 1)))
    rows: list[dict] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        bar = _progress(None, show, total=len(items))
        for batch in pool.map(_load_batch, batches, [max_size] * len(batches), [ocr] * len(batches)):
            rows.extend(batch)
            bar.update(len(batch))
        bar.close()
    return rows


def _run_dask(items, client, max_size, show, ocr=False) -> list[dict]:
    from distributed import as_completed

    batches = _chunks(items, max(1, min(64, len(items) // 32 or 1)))
    futures = client.map(_load_batch, batches, max_size=max_size, ocr=ocr, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    results: list = [None] * len(futures)
    bar = _progress(None, show, total=len(items))
    for fut in as_completed(futures):
        batch = fut.result()
        results[index[fut.key]] = batch
        bar.update(len(batch))
    bar.close()
    return [row for batch in results for row in batch]
