"""Word 97-2003 .doc, WPS .wps and RTF readers.

Fixtures: tests/data/word97/ holds LibreOffice conversions of two SYNTHETIC DOCX reports of
corpora/synthetic/ (see its README). Their text and tables must be what the DOCX reader reads
from the source DOCX. Edge cases are built here: a minimal Word 97 file writer (OLE compound
file + FIB + piece table + PAPX/CHPX pages) makes .doc files with fields, special characters,
compressed pieces, merged and nested tables, tracked deletions; RTF is written by hand.
"""
from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.normalize import normalize
from toolkit.readers import ReadError, parse, read
from toolkit.readers.rtf import read_rtf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "word97"
SYNTH = ROOT / "corpora" / "synthetic"
STEMS = ["hc_gxj_2020", "hc_fgw_2021"]  # 2019 and 2021 templates


# --- fixtures converted by LibreOffice ---------------------------------------------------------
@pytest.fixture(scope="module")
def docx_raw():
    return {stem: read(SYNTH / f"{stem}.docx") for stem in STEMS}


@pytest.mark.parametrize("ext", ["doc", "rtf"])
@pytest.mark.parametrize("stem", STEMS)
def test_fixture_text_and_tables_equal_the_docx_reader(stem, ext, docx_raw):
    raw = read(DATA / f"{stem}.{ext}")
    want = docx_raw[stem]
    assert raw.format == ext and raw.warning is None and not raw.hints
    # The converted files give exactly the DOCX reader's lines: one per paragraph (empty ones
    # included), one "cell | cell |" line per table row, cells with the same spans. So there is no
    # whitespace or line difference to explain, before or after normalize().
    assert normalize(raw.text) == normalize(want.text)
    assert raw.text == want.text
    assert raw.tables == want.tables
    spans = [(c["rowspan"], c["colspan"]) for t in raw.tables for r in t for c in r]
    assert any(rs > 1 for rs, _ in spans) and any(cs > 1 for _, cs in spans)  # merged cells are there


@pytest.mark.parametrize("ext", ["doc", "rtf"])
def test_features_fixture_equals_the_docx_reader(ext):
    """Header/footer (not read), fields, breaks, tracked changes, block merges, a nested table."""
    raw, want = read(DATA / f"features.{ext}"), read(DATA / "features.docx")
    assert raw.text == want.text and raw.tables == want.tables
    assert "见门户网站，第1页。" in raw.text and "本年度收到新申请12件。" in raw.text and "页眉" not in raw.text
    assert cells(raw.tables[0]) == [
        [("纵向合并", 2, 1), ("横向合并", 1, 3)], [("r1c1", 1, 1), ("r1c2", 1, 1), ("r1c3", 1, 1)],
        [("r2c0", 1, 1), ("块合并", 2, 2), ("r2c3", 1, 1)], [("r3c0", 1, 1), ("r3c3 内00 内01 内10 内11", 1, 1)]]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The fixtures and their source DOCX loaded by load_corpus, and their table cells."""
    root = tmp_path_factory.mktemp("w97")
    for stem in STEMS:
        for ext in ("doc", "rtf"):
            shutil.copy(DATA / f"{stem}.{ext}", root / f"{stem}.{ext}")
        shutil.copy(SYNTH / f"{stem}.docx", root / f"{stem}.docx")
    docs = tk.load_corpus(root, manifest=False, progress=False)
    cells = tk.extract_cells(docs, progress=False)
    return docs, cells


def test_load_corpus_reads_doc_and_rtf_end_to_end(loaded):
    docs, _ = loaded
    assert len(docs) == 6 and (docs["status"] == "ok").all(), docs[["file", "error"]]
    truth = pd.read_csv(SYNTH / "truth" / "documents.csv", dtype=str).set_index("doc_key")
    secs = tk.sections(docs)
    for stem in STEMS:
        rows = docs[docs["name"] == stem].set_index("format")
        assert sorted(rows.index) == ["doc", "docx", "rtf"]
        for col in ("text", "tables", "agency", "year", "published", "template", "title", "signed", "script"):
            assert rows.loc["doc", col] == rows.loc["docx", col] == rows.loc["rtf", col], col
        t = truth.loc[stem]
        assert rows.loc["doc", "agency"] == t["agency"] and str(rows.loc["doc", "year"]) == t["year"]
        assert rows.loc["doc", "published"] == t["published"] and rows.loc["doc", "template"] == t["template"]
        by_format = {}
        for fmt in ("doc", "rtf", "docx"):
            s = secs[secs["doc_id"] == rows.loc[fmt, "doc_id"]]
            by_format[fmt] = list(zip(s["section"], s["text"]))
        assert by_format["doc"] == by_format["docx"] == by_format["rtf"] and len(by_format["doc"]) >= 6


def test_table_cells_equal_the_docx_and_the_truth(loaded):
    docs, cells = loaded
    truth = pd.read_csv(SYNTH / "truth" / "cells.csv", dtype={"raw": str})
    key = ["table", "row", "col"]
    for stem in STEMS:
        ids = docs[docs["name"] == stem].set_index("format")["doc_id"]
        got = {fmt: cells[cells["doc_id"] == ids[fmt]].drop(columns="doc_id").sort_values(key)
               .reset_index(drop=True) for fmt in ("doc", "rtf", "docx")}
        assert len(got["docx"]) > 50
        pd.testing.assert_frame_equal(got["doc"], got["docx"])
        pd.testing.assert_frame_equal(got["rtf"], got["docx"])
        want = truth[truth["file"] == f"{stem}.docx"].set_index(key)["value"]
        mine = got["doc"].set_index(key)["value"].astype("float64")
        assert set(want.index) <= set(mine.index)
        pd.testing.assert_series_equal(mine.reindex(want.index), want, check_names=False)


def test_loader_folder_with_doc_rtf_and_a_corrupt_doc(tmp_path):
    shutil.copy(DATA / "hc_fgw_2021.doc", tmp_path / "a.doc")
    shutil.copy(DATA / "hc_gxj_2020.rtf", tmp_path / "b.rtf")
    good = (DATA / "hc_fgw_2021.doc").read_bytes()
    (tmp_path / "c.doc").write_bytes(good[:20000])  # an interrupted download
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False).set_index("file")
    assert len(docs) == 3 and list(docs["status"]) == ["ok", "ok", "error"]
    assert docs.loc["a.doc", "year"] == 2021 and docs.loc["b.rtf", "year"] == 2020
    err = docs.loc["c.doc", "error"]
    assert "corrupt or truncated .doc file" in err and "cut off" in err and docs.loc["c.doc", "format"] == "doc"


# --- a minimal Word 97 writer for edge cases ---------------------------------------------------
ENDCHAIN, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def make_ole(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) holding ``streams`` (each padded to 4096
    bytes so no mini stream is needed)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    streams = {n: s.ljust(4096, b"\0") for n, s in streams.items()}
    blobs = {n: s + b"\0" * (-len(s) % 512) for n, s in streams.items()}
    n_dir = -(-(len(names) + 1) * 128 // 512)
    n_data = n_dir + sum(len(b) // 512 for b in blobs.values())
    n_fat = 1
    while n_fat * 128 < n_fat + n_data:
        n_fat += 1
    fat = [FATSECT] * n_fat
    dir_start = len(fat)
    fat += [dir_start + i + 1 for i in range(n_dir - 1)] + [ENDCHAIN]
    starts = {}
    for n in names:
        k = len(blobs[n]) // 512
        starts[n] = len(fat)
        fat += [len(fat) + i + 1 for i in range(k - 1)] + [ENDCHAIN]
    fat += [FREE] * (n_fat * 128 - len(fat))

    def entry(name, kind, child=FREE, left=FREE, right=FREE, start=ENDCHAIN, size=0):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, left, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    # the directory tree: the root holds the first name, each name holds the next as its right sibling
    entries = [entry("Root Entry", 5, child=1)]
    for i, n in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREE
        entries.append(entry(n, 2, right=right, start=starts[n], size=len(streams[n])))
    directory = b"".join(entries).ljust(n_dir * 512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, n_fat, dir_start, 0, 4096,
                            ENDCHAIN, 0, ENDCHAIN, 0)
              + struct.pack("<109I", *(list(range(n_fat)) + [FREE] * (109 - n_fat))))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + b"".join(blobs[n] for n in names)


def sprm(code: int, op: bytes) -> bytes:
    spra = code >> 13
    if spra == 6:
        return struct.pack("<HB", code, len(op)) + op
    return struct.pack("<H", code) + op


IN_TABLE = sprm(0x2416, b"\1")
TTP = IN_TABLE + sprm(0x2417, b"\1")


def itap(n: int) -> bytes:
    return IN_TABLE + sprm(0x6649, struct.pack("<i", n))


def tdef(edges: list[int], flags: list[tuple[int, int]] | None = None) -> bytes:
    """sprmTDefTable: cell edges and (horizontal, vertical) merge flags per cell."""
    flags = flags or [(0, 0)] * (len(edges) - 1)
    body = bytes([len(edges) - 1]) + struct.pack(f"<{len(edges)}h", *edges)
    body += b"".join(struct.pack("<HH16x", h | (v << 5), 0) for h, v in flags)
    return struct.pack("<HH", 0xD608, len(body) + 1) + body


def papx_page(runs: list[tuple[int, int, bytes]]) -> bytes:
    """A PAPX FKP: runs of (fc start, fc end, grpprl)."""
    page = bytearray(512)
    crun = len(runs)
    struct.pack_into(f"<{crun + 1}I", page, 0, *[r[0] for r in runs], runs[-1][1])
    at = 510
    for k, (_, _, grpprl) in enumerate(runs):
        body = b"\0\0" + grpprl  # istd 0
        blob = bytes([(len(body) + 1) // 2]) + body if len(body) % 2 else bytes([0, len(body) // 2]) + body
        at = (at - len(blob)) & ~1
        assert at > 4 * (crun + 1) + 13 * crun, "too many paragraphs for one test page"
        page[at:at + len(blob)] = blob
        page[4 * (crun + 1) + 13 * k] = at // 2
    page[511] = crun
    return bytes(page)


def make_doc(pieces: list[tuple[str, bool]], paras: dict[int, bytes] | None = None, *,
             deleted: tuple[int, int] | None = None, flags: int = 0x0200, nfib: int = 0xC1,
             huge: dict[int, bytes] | None = None) -> bytes:
    """A Word 97 file whose main text is ``pieces`` [(text, compressed)].

    ``paras`` maps the index of a paragraph mark (``\\r`` or ``\\x07``, counted over the whole text)
    to its grpprl; ``huge`` does the same but stores the grpprl in the Data stream
    (sprmPHugePapx); ``deleted`` = (start, end) CPs of text marked deleted (sprmCFRMarkDel).
    """
    paras, huge = paras or {}, huge or {}
    wd = bytearray(1024)  # FIB, then text
    pcd, cps, marks, cp = [], [0], [], 0
    for text, compressed in pieces:
        fc = len(wd)
        wd += text.encode("cp1252") if compressed else text.encode("utf-16-le")
        width = 1 if compressed else 2
        pcd.append(struct.pack("<HIH", 0, (fc * 2) | 0x40000000 if compressed else fc, 0))
        for i, ch in enumerate(text):
            if ch in "\r\x07":
                marks.append((fc + i * width, width))
        cp += len(text)
        cps.append(cp)
    data_stream = bytearray(b"\0" * 16)
    runs = []
    for k, (fc, width) in enumerate(marks):
        grpprl = paras.get(k, b"")
        if k in huge:
            grpprl = sprm(0x6646, struct.pack("<I", len(data_stream)))
            data_stream += struct.pack("<H", len(huge[k])) + huge[k]
        runs.append((fc, fc + width, grpprl))
    wd += b"\0" * (-len(wd) % 512)
    pages, fcs = [], []
    for i in range(0, len(runs), 8):
        chunk = runs[i:i + 8]
        pages.append(len(wd) // 512)
        fcs.append(chunk[0][0])
        wd += papx_page(chunk)
    fcs.append(runs[-1][1])
    chpx_pn = None
    if deleted:  # one CHPX page: runs before, inside (sprmCFRMarkDel) and after the deleted CPs
        assert len(pieces) == 1 and not pieces[0][1], "deleted text only in a one-piece unicode text here"
        page = bytearray(512)
        struct.pack_into("<4I", page, 0, 1024, 1024 + 2 * deleted[0], 1024 + 2 * deleted[1], 1024 + 2 * cp)
        page[16:19] = bytes([0, 250, 0])
        grpprl = sprm(0x0800, b"\1")
        page[500] = len(grpprl)
        page[501:501 + len(grpprl)] = grpprl
        page[511] = 3
        chpx_pn = len(wd) // 512
        wd += bytes(page)
    table = bytearray(b"\0" * 8)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcd)
    fc_clx = len(table)
    table += b"\x02" + struct.pack("<I", len(plc)) + plc
    fc_papx = len(table)
    table += struct.pack(f"<{len(fcs)}I", *fcs) + struct.pack(f"<{len(pages)}I", *pages)
    lcb_papx = len(table) - fc_papx
    fc_chpx = len(table)
    if chpx_pn is not None:
        table += struct.pack("<3I", 1024, 1024 + 2 * cp, chpx_pn)
    lcb_chpx = len(table) - fc_chpx
    fib = bytearray(1024)
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, nfib, 0, 0x0804, 0, flags)
    struct.pack_into("<H", fib, 32, 14)
    lw = 34 + 28
    struct.pack_into("<H", fib, lw, 22)
    struct.pack_into("<i", fib, lw + 2 + 12, cp)  # ccpText
    blob = lw + 2 + 88
    struct.pack_into("<H", fib, blob, 93)
    for index, fc, lcb in ((33, fc_clx, 5 + len(plc)),
                           (13, fc_papx, lcb_papx), (12, fc_chpx, lcb_chpx)):
        struct.pack_into("<II", fib, blob + 2 + 8 * index, fc, lcb)
    wd[:1024] = fib
    streams = {"WordDocument": bytes(wd), "1Table" if flags & 0x0200 else "0Table": bytes(table)}
    if len(data_stream) > 16:
        streams["Data"] = bytes(data_stream)
    return make_ole(streams)


def doc_text(data: bytes, fmt: str = "doc"):
    return parse(data, fmt)


# --- .doc edge cases ---------------------------------------------------------------------------
def test_doc_fields_and_special_characters():
    text = ("一、总体情况\r"
            "见\x13 HYPERLINK \"http://example.invalid\" \x14门户网站\x15，共\x13 = 2 + 3 \x145\x15条。\r"
            "嵌套\x13 IF \x13 PAGE \x141\x15 = 1 \"是\" \x14是\x15，无结果\x13 TC \"目录项\" \x15的域。\r"
            "第一行\x0b第二行\t制表\x1e连字\x1f号\x01\x08\x02。\x0c分节后\r")
    raw = doc_text(make_doc([(text, False)]))
    assert raw.text.split("\n") == ["一、总体情况", "见门户网站，共5条。", "嵌套是，无结果的域。",
                                    "第一行", "第二行 制表-连字号。", "分节后"]
    assert raw.tables is None and raw.encoding == "utf-16-le" and raw.format == "doc"


def test_doc_compressed_cp1252_and_unicode_pieces():
    raw = doc_text(make_doc([("Report 2021 – café ", True), ("报告\r", False), ("end\r", True)]))
    assert raw.text == "Report 2021 – café 报告\nend"


def test_doc_tracked_deletion_is_dropped():
    text = "本年度收到申请12件。\r"
    raw = doc_text(make_doc([(text, False)], deleted=(5, 7)))  # "申请" deleted with tracked changes
    assert raw.text == "本年度收到12件。"


def cells(rows):
    return [[(c["text"], c["rowspan"], c["colspan"]) for c in r] for r in rows]


def table_doc(rows: list[list[str]], layouts: list[bytes], *, huge: bool = False) -> bytes:
    """Paragraph before, a table (cells end with \\x07, each row with a row-end mark), paragraph after."""
    text, paras, k = "前文\r", {}, 1
    for cells_, layout in zip(rows, layouts):
        for c in cells_:
            text += c + "\x07"
            paras[k] = IN_TABLE
            k += 1
        text += "\x07"
        paras[k] = TTP + layout
        k += 1
    text += "后文\r"
    if huge:
        big = {i: g for i, g in paras.items() if g.startswith(TTP)}
        return make_doc([(text, False)], {i: g for i, g in paras.items() if i not in big}, huge=big)
    return make_doc([(text, False)], paras)


def test_doc_table_with_vertical_and_column_spans():
    # row 1: a cell over two rows, a cell over two columns; row 2: the continuation, two cells
    rows = [["信息内容", "本年制发件数"], ["", "新", "旧"], ["规章", "1", "2"]]
    layouts = [tdef([0, 2000, 6000], [(0, 3), (0, 0)]),
               tdef([0, 2000, 4000, 6000], [(0, 1), (0, 0), (0, 0)]),
               tdef([0, 2000, 4000, 6000])]
    raw = doc_text(table_doc(rows, layouts))
    assert cells(raw.tables[0]) == [[("信息内容", 2, 1), ("本年制发件数", 1, 2)], [("新", 1, 1), ("旧", 1, 1)],
                                    [("规章", 1, 1), ("1", 1, 1), ("2", 1, 1)]]
    assert raw.text.split("\n") == ["前文", "信息内容 | 本年制发件数 |", "新 | 旧 |", "规章 | 1 | 2 |", "后文"]


def test_doc_vertical_merge_sprm_old_horizontal_merge_and_huge_papx():
    # sprmTVertMerge instead of TC flags; fFirstMerged/fMerged cells (Word 97's horizontal merge);
    # the row properties stored in the Data stream (sprmPHugePapx), as Word does for wide rows
    vmerge = lambda itc, flag: sprm(0xD62B, bytes([itc, flag]))  # noqa: E731
    rows = [["第二十条第（一）项", "", ""], ["信息内容", "本年新制作数量", "本年新公开数量"],
            ["规章", "3", "4"], ["", "5", "6"]]
    layouts = [tdef([0, 2000, 4000, 6000], [(1, 0), (2, 0), (2, 0)]), tdef([0, 2000, 4000, 6000]),
               tdef([0, 2000, 4000, 6000]) + vmerge(0, 3), tdef([0, 2000, 4000, 6000]) + vmerge(0, 1)]
    for huge in (False, True):
        raw = doc_text(table_doc(rows, layouts, huge=huge))
        assert cells(raw.tables[0]) == [
            [("第二十条第（一）项", 1, 3)], [("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 1)],
            [("规章", 2, 1), ("3", 1, 1), ("4", 1, 1)], [("5", 1, 1), ("6", 1, 1)]], huge


def test_doc_nested_table_is_text_of_its_cell_and_multi_paragraph_cells():
    inner_cell = itap(2) + sprm(0x244B, b"\1")
    inner_row = itap(2) + sprm(0x244B, b"\1") + sprm(0x244C, b"\1")
    text = "外\x07第一段\r第二段\x07内1\r内2\r\r\x07\x07后\r"
    paras = {0: IN_TABLE, 1: IN_TABLE, 2: IN_TABLE, 3: inner_cell, 4: inner_cell, 5: inner_row, 6: IN_TABLE,
             7: TTP + tdef([0, 1000, 2000, 3000])}
    raw = doc_text(make_doc([(text, False)], paras))
    assert cells(raw.tables[0]) == [[("外", 1, 1), ("第一段 第二段", 1, 1), ("内1 内2", 1, 1)]]
    assert raw.text == "外 | 第一段 第二段 | 内1 内2 |\n后"


def test_doc_without_paragraph_properties_still_reads_rows():
    # no PAPX pages at all (a damaged file): "\x07\x07" (cell end + row end) still ends a row
    raw = doc_text(make_doc([("表\r规章\x071\x07\x07行政许可\x072\x07\x07后\r", False)]))
    assert raw.text.split("\n") == ["表", "规章 | 1 |", "行政许可 | 2 |", "后"]


@pytest.mark.parametrize("flags, word", [(0x0200 | 0x0100, "encrypted"), (0x0200 | 0x0100 | 0x8000, "XOR")])
def test_doc_encrypted_is_a_clear_error(flags, word):
    with pytest.raises(ReadError, match=f"password-protected .doc file \\({word}"):
        doc_text(make_doc([("机密\r", False)], flags=flags))


def test_doc_encrypted_flag_in_a_real_conversion():
    import io

    import olefile

    data = bytearray((DATA / "hc_fgw_2021.doc").read_bytes())
    fib = olefile.OleFileIO(io.BytesIO(bytes(data))).openstream("WordDocument").read(32)
    at = data.index(fib)  # the FIB at the start of the WordDocument stream
    data[at + 0x0B] |= 0x01  # fEncrypted: bit 8 of the little-endian flags word at 0x0A
    with pytest.raises(ReadError, match="password-protected"):
        doc_text(bytes(data))


def test_doc_word95_and_zero_table_stream():
    with pytest.raises(ReadError, match="Word 6.0/95"):
        doc_text(make_doc([("旧格式\r", False)], nfib=0x68))
    data = bytearray(make_doc([("旧格式\r", False)]))
    at = data.index(b"\xec\xa5\xc1\x00")  # the FIB written by make_doc
    data[at:at + 4] = b"\xdc\xa5\x65\x00"  # Word 6.0's signature and nFib
    with pytest.raises(ReadError, match="Word 6.0/95 or older .doc file \\(nFib=101\\)"):
        doc_text(bytes(data))
    assert doc_text(make_doc([("0Table\r", False)], flags=0)).text == "0Table"  # fWhichTblStm = 0


@pytest.mark.parametrize("cut", [100, 1024, 20000, 70000, 76000])
def test_doc_truncated_is_a_clear_error(cut):
    data = (DATA / "hc_fgw_2021.doc").read_bytes()
    with pytest.raises(ReadError, match="corrupt or truncated .doc file"):
        doc_text(data[:cut])


def test_ole_file_that_is_not_a_word_document():
    xls = make_ole({"Workbook": b"\x09\x08" + b"\0" * 100})
    with pytest.raises(ReadError, match="Excel workbook"):
        doc_text(xls)
    with pytest.raises(ReadError, match="WPS file without a Word 97"):
        doc_text(xls, "wps")
    with pytest.raises(ReadError, match="encrypted DOCX"):
        doc_text(make_ole({"EncryptionInfo": b"\4\0", "EncryptedPackage": b"\0" * 64}), "docx")


def test_wps_in_word97_format_and_old_kingsoft_wps():
    raw = doc_text((DATA / "hc_fgw_2021.doc").read_bytes(), "wps")
    assert raw.format == "wps" and "二、主动公开政府信息情况" in raw.text and len(raw.tables) == 3
    with pytest.raises(ReadError, match="Kingsoft WPS"):
        doc_text(b"\x00\x01WPS binary" + bytes(200), "wps")


MHT = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n"
       b"------=_NextPart_01\r\nContent-Location: file:///C:/x.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n"
       b"Content-Type: text/html; charset=\"gb2312\"\r\n\r\n<html><body><p>"
       + "".join(f"={b:02X}" for b in "示例局2021年报告".encode("gbk")).encode() +
       b"</p></body></html>\r\n------=_NextPart_01--\r\n")


@pytest.mark.parametrize("make, actual", [
    (lambda: (SYNTH / "hc_fgw_2021.docx").read_bytes(), "docx"),
    (lambda: "<html><head><meta charset='gbk'></head><body><p>示例局2021年报告</p></body></html>".encode("gbk"),
     "html"),
    (lambda: b"{\\rtf1\\ansi\\ansicpg936 \\'ca\\'be\\'c0\\'fd\\'be\\'d6 2021\\par}", "rtf"),
    (lambda: MHT, "mht"),
])
def test_renamed_files_named_doc_are_read_by_their_real_format(make, actual):
    raw = doc_text(make())
    assert raw.format == "doc" and raw.hints["actual_format"] == actual and raw.warning is None
    assert "示例局" in raw.text or "合成市" in raw.text


def test_mht_web_archives_are_read_by_extension(tmp_path):
    from toolkit.readers import read

    (tmp_path / "r.mht").write_bytes(MHT)
    (tmp_path / "p.mhtml").write_bytes("<html><body><p>示例局2021年报告</p></body></html>".encode("utf-8"))
    (tmp_path / "empty.mht").write_bytes(MHT.split(b"Content-Location")[0] + b"------=_NextPart_01--\r\n")
    assert "示例局2021年报告" in read(tmp_path / "r.mht").text
    assert "示例局2021年报告" in read(tmp_path / "p.mhtml").text
    with pytest.raises(ReadError, match="without an HTML part"):
        read(tmp_path / "empty.mht")


def test_word97_files_named_docx_or_rtf():
    data = (DATA / "hc_gxj_2020.doc").read_bytes()
    for fmt in ("docx", "rtf"):
        raw = doc_text(data, fmt)
        assert raw.hints["actual_format"] == "doc" and len(raw.tables) == 3


def test_unknown_content_named_doc():
    with pytest.raises(ReadError, match="not a Word 97-2003 .doc file .*save it as .docx"):
        doc_text(b"just some text, not a document")
    with pytest.raises(ReadError, match="Word 2003 XML"):
        doc_text(b'<?xml version="1.0"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/'
                 b'wordml"><w:body/></w:wordDocument>')


# --- RTF ---------------------------------------------------------------------------------------
def rtf(body: str, header: str = r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}") -> bytes:
    """An RTF document in code page 936; Chinese written as raw GBK bytes (as some writers do)."""
    return (header + body + "}").encode("gbk")


def test_rtf_unicode_with_uc_fallbacks_and_surrogates():
    body = (r"\uc1\u31034?\u24320?\u23616?{\uc2\u20844\'b9\'ab\u24320\'bf\'aa}\u-3913?"
            r"\u55360\'3f\u56320\'3f\par")
    raw = read_rtf(rtf(body))
    assert raw.text == "示开局公开\uf0b7𠀀"


def test_rtf_gbk_and_big5_bytes():
    gbk = "".join(f"\\'{b:02x}" for b in "合成局政府信息公开".encode("gbk"))
    assert read_rtf(rtf(gbk + r"\par")).text == "合成局政府信息公开"
    assert read_rtf(rtf(gbk)).encoding == "gb18030"
    # \ansicpg950: Big5, trail bytes written as plain ASCII ("\'abH" is 信) or escaped ("\'b6\}" is 開)
    word = "信息公開功能"
    big5 = "".join(chr(b) if 0x20 < b < 0x7F and chr(b) not in "\\{}" else f"\\{chr(b)}" if b < 0x7F
                   else f"\\'{b:02x}" for b in word.encode("big5"))
    assert "\\'abH" in big5 and "\\}" in big5 and "\\\\" in big5
    assert read_rtf(("{\\rtf1\\ansi\\ansicpg950 " + big5 + "\\par}").encode("ascii")).text == word
    # no \ansicpg (cp1252) but a GB2312 font (\fcharset134): the font decides
    font = r"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times;}{\f1\fnil\fcharset134 SimSun;}}caf\'e9 {\f1 " + gbk + r"}\par}"
    assert read_rtf(font.encode("latin-1")).text == "café 合成局政府信息公开"


def test_rtf_destinations_are_skipped_and_fields_keep_their_result():
    body = (r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}}{\info{\title 旧标题}{\author x}}"
            r"{\*\generator Writer}{\header 页眉文字\par}{\footer 第1页\par}"
            r"{\*\bkmkstart a}{\pict\pngblip 89504e470d0a}{\object{\*\objdata 0102}{\result 对象}}"
            r"标题\par 见{\field{\*\fldinst HYPERLINK http://x}{\fldrslt 门户网站}}。\line 第二行\tab 制表"
            r"\~空\_连\-字 \{括号\} \\ {\pict\bin4 }}}}}\par"
            r"{\footnote 脚注\par}结尾\par")
    raw = read_rtf(rtf(body))
    assert raw.text.split("\n") == ["标题", "见门户网站。", "第二行 制表\xa0空-连字 {括号} \\", "结尾"]


def test_rtf_table_with_spans_and_nested_cells():
    row_def1 = r"\trowd\trleft0\clvmgf\cellx2000\cellx6000"
    row_def2 = r"\trowd\trleft0\clvmrg\cellx2000\cellx4000\cellx6000"
    row_def3 = r"\trowd\trleft0\cellx2000\cellx4000\cellx6000"
    body = (r"前文\par" + row_def1 + r"\pard\intbl 信息内容\cell 本年制发件数\cell\row"
            + row_def2 + r"\pard\intbl\cell 新\cell 旧\cell\row"
            + row_def3 + r"\pard\intbl 规章\cell 1\par 2\cell {\pard\intbl\itap2 甲\nestcell 乙\nestcell"
            r"{\*\nesttableprops\trowd\cellx500\cellx900\nestrow}}\pard\intbl\cell\row"
            r"\pard 后文\par")
    raw = read_rtf(rtf(body))
    assert cells(raw.tables[0]) == [[("信息内容", 2, 1), ("本年制发件数", 1, 2)], [("新", 1, 1), ("旧", 1, 1)],
                                    [("规章", 1, 1), ("1 2", 1, 1), ("甲 乙", 1, 1)]]
    assert raw.text.split("\n") == ["前文", "信息内容 | 本年制发件数 |", "新 | 旧 |", "规章 | 1 2 | 甲 乙 |", "后文"]


def test_rtf_old_style_horizontal_merge_and_rows_without_definitions():
    body = (r"\trowd\clmgf\cellx2000\clmrg\cellx4000\cellx6000\intbl 合并\cell\cell 单\cell\row"
            r"\trowd\cellx2000\cellx4000\cellx6000\intbl a\cell b\cell c\cell\row\pard end\par")
    raw = read_rtf(rtf(body))
    assert cells(raw.tables[0]) == [[("合并", 1, 2), ("单", 1, 1)], [("a", 1, 1), ("b", 1, 1), ("c", 1, 1)]]


def test_rtf_tracked_deletion_is_dropped():
    body = r"本年度收到{\deleted\revauthdel1 旧申请\u30003?}{\revised 新申请}12件。\par"
    assert read_rtf(rtf(body)).text == "本年度收到新申请12件。"


def test_rtf_errors():
    with pytest.raises(ReadError, match="not an RTF file"):
        doc_text(b"plain text named rtf", "rtf")
    with pytest.raises(ReadError, match="no text in the RTF body"):
        read_rtf(rtf(r"{\fonttbl{\f1 Arial;}}{\*\generator x}"))
    # unbalanced and truncated RTF still gives what it holds
    assert read_rtf(rtf(r"开头\par 未完")[:-1]).text == "开头\n未完"


def test_fixture_readers_are_fast():
    import time

    data = {ext: (DATA / f"hc_fgw_2021.{ext}").read_bytes() for ext in ("doc", "rtf")}
    for ext, b in data.items():
        t = time.perf_counter()
        parse(b, ext)
        assert time.perf_counter() - t < 1.0, ext


def test_renamed_file_that_is_broken_says_what_it_really_is():
    with pytest.raises(ReadError, match="this .doc file is really a PDF, not a Word 97-2003 file.*corrupt PDF"):
        doc_text(b"%PDF-1.4\n" + bytes(300))
