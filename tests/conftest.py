"""Shared fixtures. Real reports are read by path from ../shared/corpora/real (never copied)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new examples on a developer's machine, but CI runs a fixed, reproducible
# set (derandomize); a failure prints the blob to reproduce it.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parents[1]
REAL = (ROOT / ".." / "shared" / "corpora" / "real").resolve()
TEMPLATES = (ROOT / ".." / "shared" / "corpora" / "templates").resolve()
SEED = ROOT / "corpora" / "seed_liubei_kjj_2020.txt"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """Folder of real reports shared with CI; tests that need it skip when it is absent."""
    if not (REAL / "manifest.csv").exists():
        pytest.skip(f"real corpus not found at {REAL} (it sits beside the repository in CI)")
    return REAL


@pytest.fixture(scope="session")
def gold_dir(real_dir: Path) -> Path:
    return real_dir / "gold"


@pytest.fixture(scope="session")
def template_docx() -> Path:
    p = TEMPLATES / "template_2021.docx"
    if not p.exists():
        pytest.skip(f"official template not found at {p}")
    return p


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
