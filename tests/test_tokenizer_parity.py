"""Parity of the two segmentation backends on every real report in ../shared.

With HMM off, jieba (the reference) and jieba-rs (``rjieba``, the default backend) must
give identical tokens once both carry our lexicon. With HMM on they may differ; the
agreement is measured and reported (share of jieba's token spans that rjieba reproduces).
"""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.tokenizer import get_engine, resolve_backend


def _real_texts(real_dir) -> dict[str, str]:
    try:
        from toolkit.normalize import normalize
    except ImportError:  # pragma: no cover
        normalize = str
    files = sorted(p for p in real_dir.rglob("*") if p.suffix in {".txt", ".html"} and "gold" not in p.parts)
    return {str(p.relative_to(real_dir)): normalize(p.read_text(encoding="utf-8", errors="replace")) for p in files}


@pytest.fixture(scope="module")
def real_docs(real_dir) -> pd.DataFrame:
    texts = _real_texts(real_dir)
    assert len(texts) >= 20, "expected the shared real reports"
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})


def test_default_backend_is_rjieba():
    assert resolve_backend("auto") == "rjieba"


def test_identical_tokens_with_hmm_off(real_docs):
    jb, rj = get_engine("jieba"), get_engine("rjieba")
    differing = [d for d, text in zip(real_docs["doc_id"], real_docs["text"]) if jb.cut(text, False) != rj.cut(text, False)]
    assert not differing, f"backends disagree with HMM off on {differing}"
    # and through the public function, with its filtering and offsets
    ref = tk.tokenize(real_docs, backend="jieba", drop_stopwords=False)
    pd.testing.assert_frame_equal(tk.tokenize(real_docs, backend="rjieba", drop_stopwords=False), ref)
    assert len(ref) > 50_000


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
