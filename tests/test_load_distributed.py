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
