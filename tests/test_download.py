"""The downloader against a real HTTP server on localhost (no other network)."""
import http.server
import threading
import time

import pandas as pd
import pytest

from toolkit.download import download, file_name

PAGES = {
    "/nb/2021.html": ("text/html; charset=utf-8", "<html><body><h1>（合成）某局2021年政府信息公开工作年度报告</h1></body></html>".encode()),
    "/nb/2021.pdf": ("application/pdf", b"%PDF-1.4 synthetic"),
    "/nb/report": ("text/plain; charset=utf-8", "合成文本".encode()),
}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: list[tuple[str, float]] = []

    def do_GET(self):  # noqa: N802
        Handler.hits.append((self.path, time.monotonic()))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/nb/2021.html")
            self.end_headers()
            return
        if self.path == "/flaky":
            self.send_response(503)
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path not in PAGES:
            self.send_response(404)
            self.end_headers()
            return
        ctype, body = PAGES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    Handler.hits = []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_download_saves_files_logs_every_url_and_writes_a_manifest(server, tmp_path):
    urls = [f"{server}/nb/2021.html", f"{server}/nb/2021.pdf", f"{server}/nb/report", f"{server}/missing",
            f"{server}/moved", "file:///etc/passwd"]
    log = download(urls, tmp_path, delay=0, retries=0)
    assert list(log.url) == urls
    st = dict(zip(log.url, log.status))
    assert st[f"{server}/nb/2021.html"] == st[f"{server}/nb/2021.pdf"] == st[f"{server}/moved"] == "ok"
    assert st[f"{server}/missing"] == "error" and "404" in log.set_index("url").loc[f"{server}/missing", "error"]
    assert "not an http(s) URL" in log.set_index("url").loc["file:///etc/passwd", "error"]
    by = log.set_index("url")
    assert by.loc[f"{server}/nb/report", "file"].endswith(".txt")  # extension from the content type
    assert (tmp_path / by.loc[f"{server}/nb/2021.pdf", "file"]).read_bytes() == PAGES["/nb/2021.pdf"][1]
    man = pd.read_csv(tmp_path / "manifest.csv")
    assert set(man.source) == {f"{server}/nb/2021.html", f"{server}/nb/2021.pdf", f"{server}/nb/report", f"{server}/moved"}
    assert (tmp_path / "download_log.csv").exists()


def test_download_resumes_and_is_polite(server, tmp_path):
    urls = [f"{server}/nb/2021.html", f"{server}/nb/2021.pdf"]
    download(urls[:1], tmp_path, delay=0)
    log = download(urls, tmp_path, delay=0.3)
    assert list(log.status) == ["skipped", "ok"]
    assert [p for p, _ in Handler.hits] == ["/nb/2021.html", "/nb/2021.pdf"]
    download([f"{server}/nb/report", f"{server}/missing"], tmp_path, delay=0.3, retries=0)
    t = [t for _, t in Handler.hits[-2:]]
    assert t[1] - t[0] >= 0.29


def test_retries_on_server_errors_and_times_out(server, tmp_path):
    log = download([f"{server}/flaky", f"{server}/slow"], tmp_path, delay=0, retries=2, timeout=0.5)
    assert [p for p, _ in Handler.hits].count("/flaky") == 3
    assert list(log.status) == ["error", "error"]
    assert "503" in log.error[0] and "timed out" in log.error[1].lower()


def test_file_names_are_stable_and_safe():
    a = file_name("http://x.gov.cn/a/b/../年报 2021.htm?x=1")
    assert a == file_name("http://x.gov.cn/a/b/../年报 2021.htm?x=1") and "/" not in a and a.endswith(".htm")


def test_download_command(server, tmp_path):
    import subprocess
    import sys

    urls = tmp_path / "urls.txt"
    urls.write_text(f"# two reports\n{server}/nb/2021.html\n{server}/nb/2021.pdf\n", encoding="utf-8")
    out = tmp_path / "corpus"
    r = subprocess.run([sys.executable, "-m", "toolkit", "download", str(urls), str(out), "--delay", "0",
                        "--no-progress"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "2 ok" in r.stdout
    assert len(pd.read_csv(out / "manifest.csv")) == 2
