"""One study of the bundled corpus shared by the test modules (and by pytest-xdist workers).

The results folder lives in the temp directory under a key made of the toolkit's source files and the
corpus files, so a run is reused until the code or the corpus changes; a file lock makes parallel
workers wait for the first one instead of running the study twice.
"""
from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora"
TRUTH = CORPUS / "synthetic" / "truth"


def _key() -> str:
    h = hashlib.sha256()
    for base, pattern in ((ROOT / "toolkit", "**/*"), (CORPUS, "**/*")):
        for p in sorted(base.glob(pattern)):
            if p.is_file() and "__pycache__" not in p.parts:
                st = p.stat()
                h.update(f"{p.relative_to(ROOT)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def study_dir() -> Path:
    """Path of a complete results folder of ``toolkit.study(corpora/)``, computed at most once per code+corpus."""
    from toolkit.study import study

    out = Path(tempfile.gettempdir()) / f"gid-toolkit-study-{_key()}"
    with open(str(out) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "run.json").exists():
            tmp = out.with_name(out.name + ".partial")
            shutil.rmtree(tmp, ignore_errors=True)
            study(CORPUS, tmp, progress=False)
            tmp.rename(out)
    return out


@lru_cache(maxsize=None)
def frame(name: str) -> pd.DataFrame:
    """A frame of the shared study, read back from its Parquet file."""
    return pd.read_parquet(study_dir() / f"{name}.parquet")


@lru_cache(maxsize=None)
def truth(name: str) -> pd.DataFrame:
    """A ground-truth table of the bundled synthetic corpus (``truth/<name>.csv``)."""
    return pd.read_csv(TRUTH / f"{name}.csv")
