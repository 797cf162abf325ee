"""Bad input: every case gives a row with status=error and a reason naming the problem, or a
correct load, and never disturbs the other files of the corpus. Inputs are generated here."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import toolkit as tk

GOOD = "示例局2021年度政府信息公开工作年度报告（合成）\n一、总体情况\n2021年,本局主动公开信息12条。\n"


def cjk_font() -> str:
    import noto_cjk_sans_otc

    return os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc")


def make_pdf(path: Path, pages: list[str], *, user_password: str | None = None, image_only=False) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=cjk_font(), collection_font_number=2)
    pdf.set_font("noto", size=11)
    for text in pages:
        pdf.add_page()
        if image_only:
            pdf.rect(20, 20, 150, 200, style="F")  # drawn, no text: what a scan looks like
        else:
            pdf.multi_cell(0, 7, text)
    if user_password:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.output(str(path))
    return path


def load_one(tmp_path: Path, name: str, data: bytes | None = None, **kw):
    """Write one bad file beside a good one; load; return the bad file's row (good one must be ok)."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    if data is not None:
        (tmp_path / name).write_bytes(data)
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False, **kw)
    good = docs[docs["file"] == "good.txt"].iloc[0]
    assert good["status"] == "ok" and good["year"] == 2021 and good["template"] == "unknown"
    return docs[docs["file"] == name].iloc[0]


def test_empty_file(tmp_path):
    row = load_one(tmp_path, "empty.txt", b"")
    assert row["status"] == "error" and "empty file" in row["error"]


def test_whitespace_only_file(tmp_path):
    row = load_one(tmp_path, "blank.txt", b"  \n\r\n\t ")
    assert row["status"] == "error" and "no text" in row["error"]


def test_binary_junk_named_txt(tmp_path):
    row = load_one(tmp_path, "junk.txt", os.urandom(4096))
    assert row["status"] == "error" and "binary" in row["error"]


def test_binary_junk_named_html_and_docx(tmp_path):
    (tmp_path / "junk.docx").write_bytes(os.urandom(2048))
    row = load_one(tmp_path, "junk.html", os.urandom(4096))
    assert row["status"] == "error" and "binary" in row["error"]
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False)
    docx_row = docs[docs["file"] == "junk.docx"].iloc[0]
    assert docx_row["status"] == "error" and "corrupt DOCX" in docx_row["error"]


def test_truncated_pdf(tmp_path):
    full = make_pdf(tmp_path / "full.pdf", [GOOD * 5] * 4).read_bytes()
    (tmp_path / "full.pdf").unlink()
    row = load_one(tmp_path, "truncated.pdf", full[: len(full) * 2 // 3])
    assert row["status"] == "error"
    assert "truncated PDF" in row["error"] or "corrupt PDF" in row["error"]


def test_corrupt_pdf(tmp_path):
    row = load_one(tmp_path, "corrupt.pdf", b"%PDF-1.7\n" + os.urandom(3000))
    assert row["status"] == "error" and "corrupt PDF" in row["error"]


def test_not_a_pdf(tmp_path):
    row = load_one(tmp_path, "fake.pdf", b"<html>this is not a pdf</html>")
    assert row["status"] == "error" and "corrupt PDF" in row["error"] and "%PDF" in row["error"]


def test_encrypted_pdf(tmp_path):
    make_pdf(tmp_path / "locked.pdf", [GOOD], user_password="secret")
    row = load_one(tmp_path, "locked.pdf")
    assert row["status"] == "error" and "encrypted PDF" in row["error"]


def test_scanned_pdf(tmp_path):
    make_pdf(tmp_path / "scan.pdf", ["", ""], image_only=True)
    row = load_one(tmp_path, "scan.pdf")
    assert row["status"] == "error" and row["error"].startswith("no text layer (scanned?)")
    assert "ocr=True" in row["error"] and "--ocr" in row["error"] and "Tesseract" in row["error"]


def test_gbk_html_without_charset(tmp_path):
    html = f"<html><head><title>示例局2021年度政府信息公开工作年度报告</title></head><body><p>{GOOD}</p></body></html>"
    row = load_one(tmp_path, "page.html", html.encode("gbk"))
    assert row["status"] == "ok" and row["encoding"] == "gbk"
    assert "主动公开信息12条" in row["text"] and row["agency"] == "示例局" and row["year"] == 2021


def test_utf8_bom(tmp_path):
    row = load_one(tmp_path, "bom.txt", b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert row["status"] == "ok" and row["encoding"] == "utf-8-sig"
    assert row["text"].startswith("示例局") and row["title"].startswith("示例局2021年度")


def test_mixed_line_endings(tmp_path):
    data = "第一行合成文本\r\n第二行\r第三行\n第四行\r\n".encode("utf-8")
    row = load_one(tmp_path, "mixed.txt", data)
    assert row["status"] == "ok" and "\r" not in row["text"]
    assert row["text"].split("\n") == ["第一行合成文本", "第二行", "第三行", "第四行"]
    assert "\r" in row["text_original"]  # the original is kept as it was


@pytest.mark.slow
def test_50_mb_file(tmp_path):
    line = "合成测试文本:本年度主动公开信息12条,规章 | 0 | 0 | 0 |\n"
    data = (GOOD + line * (50 * 2**20 // len(line.encode()))).encode("utf-8")
    assert len(data) >= 50 * 2**20 * 0.99
    (tmp_path / "big.txt").write_bytes(data)
    start = time.perf_counter()
    row = load_one(tmp_path, "big.txt")
    assert time.perf_counter() - start < 60
    assert row["status"] == "ok" and row["size"] == len(data) and len(row["text"]) > 10_000_000
    # with a lower limit it is refused with the reason and the fix
    row = load_one(tmp_path, "big.txt", max_size=10 * 2**20)
    assert row["status"] == "error" and "too large" in row["error"] and "max_size" in row["error"]


@pytest.mark.slow
def test_directory_with_10000_files(tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(10_000):
        (corpus / f"r{i:05d}.txt").write_text(f"合成报告{i}号\n2021年,本局主动公开信息{i}条。\n", encoding="utf-8")
    (corpus / "notes.md").write_text("not a document")
    start = time.perf_counter()
    docs = tk.load_corpus(corpus, manifest=False, progress=False, workers=2)
    elapsed = time.perf_counter() - start
    assert len(docs) == 10_000 and (docs["status"] == "ok").all()
    assert docs["doc_id"].is_unique and docs["file"].tolist() == sorted(docs["file"])
    assert elapsed < 30, f"{elapsed:.1f} s"


def test_symlink_loops(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "self.html").symlink_to(tmp_path / "self.html")
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "inner.txt").write_text(GOOD, encoding="utf-8")
    (sub / "up").symlink_to(tmp_path, target_is_directory=True)  # a folder loop
    row = load_one(tmp_path, "a.txt")
    assert row["status"] == "error" and "symlink loop" in row["error"]
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False)
    assert sorted(docs["file"]) == ["a.txt", "b.txt", "dangling.pdf", "good.txt", "self.html", "sub/inner.txt"]
    by = docs.set_index("file")
    assert "symlink loop" in by.loc["self.html", "error"]
    assert "broken symlink" in by.loc["dangling.pdf", "error"]
    assert by.loc["sub/inner.txt", "status"] == "ok"


def _unreadable_corpus() -> Path:
    root = Path(tempfile.mkdtemp(prefix="gid-perm-", dir="/tmp"))
    root.chmod(0o755)
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "locked.txt").write_text(GOOD, encoding="utf-8")
    (root / "locked.txt").chmod(0o000)
    (root / "closed").mkdir()
    (root / "closed" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (root / "closed").chmod(0o000)
    for p in (root / "good.txt",):
        p.chmod(0o644)
    return root


def test_unreadable_permissions():
    """A file and a folder without read permission. Root reads everything, so as root the
    load runs in a subprocess without the capabilities that let root ignore permissions
    (``setpriv`` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH): a real permission check
    by the kernel, not a mock."""
    root = _unreadable_corpus()
    try:
        code = ("import json, toolkit as tk; d = tk.load_corpus(%r, manifest=False, progress=False); "
                "print(json.dumps(d[['file', 'format', 'status', 'error']].to_dict('records')))" % str(root))
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if not setpriv:
                pytest.skip("running as root without `setpriv` (util-linux) to drop the DAC capabilities")
            drop = "-dac_override,-dac_read_search"
            proc = subprocess.run([setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", sys.executable,
                                   "-c", code], capture_output=True, text=True, timeout=120)
            assert proc.returncode == 0, proc.stderr[-2000:]
            rows = {r["file"]: r for r in json.loads(proc.stdout.strip().splitlines()[-1])}
        else:
            d = tk.load_corpus(root, manifest=False, progress=False)
            rows = {r["file"]: r for r in d[["file", "format", "status", "error"]].to_dict("records")}
        assert rows["good.txt"]["status"] == "ok"
        assert rows["locked.txt"]["status"] == "error" and "permission denied" in rows["locked.txt"]["error"]
        assert rows["closed"]["status"] == "error" and rows["closed"]["format"] == "directory"
        assert "unreadable folder" in rows["closed"]["error"]
    finally:
        (root / "closed").chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("name, reason", [
    ("old.doc", "not a Word 97-2003 .doc file"), ("office.wps", "not a WPS file"), ("rich.rtf", "not an RTF file")])
def test_word_formats_with_junk_are_error_rows(tmp_path, name, reason):
    row = load_one(tmp_path, name, b"\xd0\xcf\x11\xe0 not really a document")
    assert row["status"] == "error" and reason in row["error"]


@pytest.mark.parametrize("name", ["old.doc", "office.wps", "rich.rtf", "new.docx"])
def test_corrupt_ole_files_are_error_rows(tmp_path, name):
    """The full OLE signature and random bytes: the reason says the container is corrupt or truncated."""
    row = load_one(tmp_path, name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000))
    assert row["status"] == "error" and "corrupt or truncated" in row["error"]


def test_every_bad_file_in_one_corpus(tmp_path):
    """All at once: one row per document file, the good one intact, non-documents not rows."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.txt").write_bytes(os.urandom(1024))
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(500))
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "image.png").write_bytes(os.urandom(100))
    (tmp_path / "README.md").write_text("not a document")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False, workers=2)
    assert sorted(docs["file"]) == ["corrupt.pdf", "empty.txt", "good.txt", "junk.txt", "loop.txt"]
    assert docs.set_index("file")["status"].to_dict() == {
        "corrupt.pdf": "error", "empty.txt": "error", "good.txt": "ok", "junk.txt": "error", "loop.txt": "error"}
    assert docs.loc[docs["status"] == "error", "error"].str.len().gt(5).all()


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from toolkit.corpus import load_file  # noqa: E402


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000),
                      st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td rowspan=x>"]).flatmap(
                          lambda head: st.binary(max_size=500).map(lambda tail: head + tail))),
       ext=st.sampled_from([".txt", ".html", ".pdf", ".docx"]))
def test_fuzz_never_raises(tmp_path, data, ext):
    """Whatever the bytes, a row comes back, ok or with a reason."""
    p = tmp_path / f"fuzz{ext}"
    p.write_bytes(data)
    row = load_file(str(p), p.name)
    assert row["status"] in ("ok", "error")
    assert (row["status"] == "ok") == (row["error"] is None)
    if row["status"] == "ok":
        assert isinstance(row["text"], str) and row["text"] == row["text"].strip()
