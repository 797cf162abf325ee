"""results/index.html renders in a real browser (headless Chromium): Chinese text and figures, not boxes."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from study_cache import study_dir

pytestmark = pytest.mark.slow

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium; .ci/run does it)")
def test_index_html_renders_to_a_nontrivial_screenshot(tmp_path):
    from PIL import Image

    shot = tmp_path / "index.png"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
           (study_dir() / "index.html").as_uri()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.is_file(), p.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 2000)
    colors = img.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 500, "a near-blank page"
    # the figures (colour bars) and the text are there: a good share of non-white pixels
    px = np.asarray(img.resize((128, 200)), dtype=int)
    assert (px.sum(axis=2) < 720).mean() > 0.05
    # keep a copy next to the results for a human look
    shutil.copy(shot, study_dir() / "screenshot.png")
