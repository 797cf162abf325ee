"""load_corpus(client=...) on a real Dask LocalCluster with two worker processes."""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(tmp_path):
    distributed = pytest.importorskip("distributed")
    for i in range(12):
        (tmp_path / f"r{i:02d}.txt").write_text(
            f"示例局{2010 + i}年度政府信息公开工作年度报告（合成）\n一、总体情况\n合成正文{i}。\n", encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    serial = tk.load_corpus(tmp_path, manifest=False, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = tk.load_corpus(tmp_path, manifest=False, progress=False, client=client)
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    pd.testing.assert_frame_equal(serial, remote)
    assert remote.set_index("file").loc["bad.pdf", "status"] == "error"


@pytest.mark.slow
def test_dask_ocr_option_reaches_the_workers(tmp_path):
    """ocr=True travels with the tasks: a scanned page is read by Tesseract on a worker."""
    distributed = pytest.importorskip("distributed")
    from test_ocr import _MISSING, SYNTH, REPORT, scan

    if _MISSING is not None:
        pytest.skip(f"Tesseract with chi_sim is needed: {_MISSING}")
    scan(SYNTH / REPORT, tmp_path / "scan.pdf", pages=[0])
    (tmp_path / "r.txt").write_text("示例局2020年度政府信息公开工作年度报告（合成）\n", encoding="utf-8")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        off = tk.load_corpus(tmp_path, manifest=False, progress=False, client=client).set_index("file")
        on = tk.load_corpus(tmp_path, manifest=False, progress=False, client=client, ocr=True).set_index("file")
    assert off.loc["scan.pdf", "status"] == "error" and not off["ocr"].any()
    assert on.loc["scan.pdf", "status"] == "ok" and bool(on.loc["scan.pdf", "ocr"]) is True
    assert not on.loc["r.txt", "ocr"] and "政府信息公开" in on.loc["scan.pdf", "text"]
