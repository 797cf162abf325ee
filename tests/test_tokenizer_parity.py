"""Parity of the segmentation backends with jieba, on every real report in ../shared and on
generated text.

With HMM off, jieba (the reference), our C cutter (``native``, the default) and jieba-rs
(``rjieba``) must give identical tokens once all carry our lexicon. With HMM on, rjieba may
differ from jieba; the agreement is measured and reported (share of jieba's token spans
that rjieba reproduces).
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.tokenizer import get_engine, native_available, resolve_backend


@pytest.fixture(scope="module")
def real_docs(real_dir) -> pd.DataFrame:
    """Every real report (txt, HTML, PDF, excerpts), loaded and normalized by the loader."""
    docs = tk.load_corpus(real_dir, progress=False)
    docs = docs[docs["status"] == "ok"].reset_index(drop=True)
    assert len(docs) >= 24 and "pdf" in set(docs["format"]), "expected the shared real reports, PDF included"
    frame = pd.DataFrame({"doc_id": docs["doc_id"].tolist(), "text": docs["text"].tolist()})
    frame.attrs["paths"] = docs["path"].tolist()
    return frame


def test_default_backend_is_the_native_cutter_when_it_can_serve_the_call():
    assert native_available(), "the C extension toolkit._segment is not built: run `pip install -e .`"
    assert resolve_backend("auto") == "native"
    assert resolve_backend("auto", hmm=True) == "native"  # jieba's HMM too
    assert resolve_backend("auto", pos="n") == "rjieba"  # but no part-of-speech tags


@pytest.mark.parametrize("backend", ["native", "rjieba"])
def test_identical_tokens_with_hmm_off(real_docs, backend):
    jb, other = get_engine("jieba"), get_engine(backend)
    differing = [d for d, text in zip(real_docs["doc_id"], real_docs["text"]) if jb.cut(text, False) != other.cut(text, False)]
    assert not differing, f"{backend} disagrees with jieba (HMM off) on {differing}"
    # the readers' raw text too, before normalization: full-width forms, odd spaces, \r\n
    from toolkit.readers import read

    raw = [read(p).text for p in real_docs.attrs["paths"]]
    assert [jb.cut(t, False) for t in raw] == [other.cut(t, False) for t in raw]
    # and through the public function, with its filtering and offsets
    ref = tk.tokenize(real_docs, backend="jieba", drop_stopwords=False)
    pd.testing.assert_frame_equal(tk.tokenize(real_docs, backend=backend, drop_stopwords=False), ref)
    assert len(ref) > 40_000


# characters that exercise every branch of jieba's cut: dictionary words and their prefixes,
# han characters at and past the block limit U+9FD5, ASCII letters/digits (joined when cut
# one by one), the other block characters + # & . _ % -, whitespace incl. \r\n and
# U+3000, punctuation, astral characters
_PIECES = st.sampled_from([
    "依申请公开", "政府信息公开", "政府信息", "公开", "申请", "三安全一稳定", "行政复议", "中华人民共和国", "中华",
    "的", "年", "月", "日", "件", "局", "区", "鿕", "鿖", "龥", "〇", "𠀀", "a", "B", "z", "0", "7", "2020", "iPhone",
    "+", "#", "&", ".", "_", "%", "-", " ", "\t", "\n", "\r", "\r\n", "\u3000", "\xa0", "，", "。", "|", "（", "）",
    "、", "：", "“", "”", "①", "Ⅱ", "ｅ", "é",
])


# single characters that form no dictionary word, so that runs of them go through jieba's HMM
_OOV = st.sampled_from(["璐", "琰", "祎", "昊", "炜", "婕", "淼", "鑫", "垚", "犇", "骉", "赟", "喆", "翀", "彧", "晟"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, _OOV), max_size=40).map("".join), st.booleans())
def test_native_cuts_generated_text_as_jieba_does(text, hmm):
    assert get_engine("native").cut(text, hmm) == get_engine("jieba").cut(text, hmm)


def test_native_is_jieba_with_the_hmm_on_for_every_real_report(real_docs):
    """rjieba differs from jieba once the HMM is on (reported above); the native cutter does not."""
    jb, nat = get_engine("jieba"), get_engine("native")
    differing = [d for d, text in zip(real_docs["doc_id"], real_docs["text"]) if jb.cut(text, True) != nat.cut(text, True)]
    assert not differing, f"native disagrees with jieba (HMM on) on {differing}"
    ref = tk.tokenize(real_docs, backend="jieba", hmm=True, drop_stopwords=False)
    pd.testing.assert_frame_equal(tk.tokenize(real_docs, hmm=True, drop_stopwords=False), ref)


def test_native_cuts_with_extra_terms_as_jieba_does():
    text = "推行接诉即办和一网通办，接诉即办率100%。"
    extra = [("接诉即办", 3000, "nz"), "一网通办"]
    cut = get_engine("native", extra).cut(text, False)
    assert cut == get_engine("jieba", extra).cut(text, False)
    assert "接诉即办" in cut and "一网通办" in cut
    assert "接诉即办" not in get_engine("native").cut(text, False)


def _spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def test_agreement_with_hmm_on_is_reported(real_docs, record_property, capsys):
    jb, rj = get_engine("jieba"), get_engine("rjieba")
    same = total = identical_docs = 0
    for text in real_docs["text"]:
        a, b = jb.cut(text, True), rj.cut(text, True)
        identical_docs += a == b
        sa, sb = _spans(a), _spans(b)
        same += len(sa & sb)
        total += len(sa)
    agreement = same / total
    record_property("hmm_token_agreement", agreement)
    with capsys.disabled():
        print(f"\nHMM on: {agreement:.4%} of jieba's {total} token spans reproduced by rjieba; "
              f"{identical_docs}/{len(real_docs)} documents identical")
    assert agreement > 0.95


def test_identical_pos_tags_with_hmm_off(real_docs):
    jb, rj = get_engine("jieba"), get_engine("rjieba")
    differing = [d for d, text in zip(real_docs["doc_id"], real_docs["text"]) if jb.tag(text, False) != rj.tag(text, False)]
    assert not differing, f"part-of-speech tags disagree on {differing}"


def test_rjieba_rebuilt_from_jiebas_dict_file_cuts_the_same(seed_path):
    """The documented fallback (jieba-rs built from jieba's dict.txt word by word) matches the bundled one."""
    from toolkit.tokenizer import RjiebaEngine, _jieba_dict_path, lexicon

    text = tk.normalize(seed_path.read_text(encoding="utf-8"))
    rebuilt = RjiebaEngine(lexicon(), dict_file=_jieba_dict_path())
    assert rebuilt.cut(text, False) == get_engine("rjieba").cut(text, False) == get_engine("jieba").cut(text, False)


def test_without_the_c_extension_auto_falls_back_to_rjieba(monkeypatch):
    import toolkit.tokenizer as tz

    monkeypatch.setattr(tz, "native_available", lambda: False)
    assert tz.resolve_backend("auto") == "rjieba"
    with pytest.raises(tk.ArgumentError, match="C extension"):
        tz.resolve_backend("native")
