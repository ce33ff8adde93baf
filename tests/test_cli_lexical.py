"""The lexical subcommands write exactly the functions' tables."""

from __future__ import annotations

import json

import pytest

from rhetoric.cli import main
from rhetoric.dispersion import dispersion, dispersion_positions
from rhetoric.frequency import term_frequencies
from rhetoric.keyness import keyness, keyness_each_vs_rest
from rhetoric.keywords import tfidf_keywords
from rhetoric.similarity import document_similarity, similarity_pairs


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_of(frame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


@pytest.mark.parametrize("argv, make", [
    (["freq"], lambda t, d: term_frequencies(t, d)),
    (["freq", "--by", "period", "--ngram", "1-2", "--stopwords", "--top", "3"],
     lambda t, d: term_frequencies(t, d, by="period", ngram_range=(1, 2), stop_words=True, top=3)),
    (["freq", "--by", "corpus", "--min-count", "2"], lambda t, d: term_frequencies(t, d, by="corpus", min_count=2)),
    (["dispersion"], lambda t, d: dispersion(t)),
    (["dispersion", "trade", "shared future", "--parts", "4"],
     lambda t, d: dispersion(t, terms=["trade", "shared future"], parts=4)),
    (["dispersion", "--positions", "trade", "shared future"],
     lambda t, d: dispersion_positions(t, ["trade", "shared future"])),
    (["tfidf"], lambda t, d: tfidf_keywords(t, d)),
    (["tfidf", "--by", "period", "--top", "2", "--ngram", "1", "--no-stopwords"],
     lambda t, d: tfidf_keywords(t, d, by="period", top_n=2, ngram_range=(1, 1), stop_words=None)),
    (["keyness", "--by", "period", "--target", "late", "--min-freq", "1", "--correction", "holm"],
     lambda t, d: keyness(t, d, by="period", target="late", min_freq=1, correction="holm")),
    (["keyness", "--by", "period", "--target", "early", "--reference", "late", "--min-freq", "2"],
     lambda t, d: keyness(t, d, by="period", target="early", reference="late", min_freq=2)),
    (["keyness", "--by", "period", "--min-freq", "1"],
     lambda t, d: keyness_each_vs_rest(t, d, by="period", min_freq=1)),
    (["similarity", "--pairs"], lambda t, d: similarity_pairs(t, d)),
])
def test_csv_is_the_functions_table(capsys, tiny_dir, tiny_docs, tiny_tokens, argv, make):
    code, out, err = run(capsys, *argv, "--corpus", str(tiny_dir), "--format", "csv")
    assert code == 0, err
    expected = make(tiny_tokens, tiny_docs)
    assert len(expected) > 0
    assert out == csv_of(expected)


def test_similarity_square_csv(capsys, tiny_dir, tiny_docs, tiny_tokens):
    code, out, _ = run(capsys, "similarity", "--corpus", str(tiny_dir), "--format", "csv")
    assert code == 0
    square = document_similarity(tiny_tokens, tiny_docs)
    assert out == square.to_csv(lineterminator="\n")
    assert out.splitlines()[0] == "doc_id,a_official,b_unofficial,c_2024"


def test_top_options_cut_the_same_table(capsys, tiny_dir, tiny_docs, tiny_tokens):
    code, out, _ = run(capsys, "keyness", "--by", "period", "--target", "late", "--min-freq", "1", "--top", "2",
                       "--corpus", str(tiny_dir), "--format", "csv")
    assert code == 0
    assert out == csv_of(keyness(tiny_tokens, tiny_docs, by="period", target="late", min_freq=1).head(2))


def test_json_and_table_formats(capsys, tiny_dir):
    code, out, _ = run(capsys, "freq", "--by", "corpus", "--top", "1", "--corpus", str(tiny_dir), "--format", "json")
    assert code == 0
    # a_official + c_2024: security 3 and trade 3 tie; the term breaks the tie
    assert json.loads(out) == [{"group": "corpus", "term": "security", "count": 3,
                                "per_10k": pytest.approx(3 / 29 * 1e4), "range": 1}]
    code, out, _ = run(capsys, "tfidf", "--top", "1", "--corpus", str(tiny_dir))
    assert code == 0 and "security" in out and "rank" in out.splitlines()[0]


@pytest.mark.parametrize("argv, message", [
    (["keyness", "--by", "decade", "--target", "x"], "unknown grouping column 'decade'"),
    (["keyness", "--by", "period", "--target", "middle"], "values are: early, late"),
    (["keyness", "--by", "period", "--reference", "late"], "--reference needs --target"),
    (["freq", "--by", "decade"], "unknown grouping column 'decade'"),
    (["dispersion", "--positions"], "--positions needs at least one TERM"),
    (["dispersion", "--parts", "1000"], "parts=1000"),
])
def test_bad_input_exits_2_with_one_line(capsys, tiny_dir, argv, message):
    code, out, err = run(capsys, *argv, "--corpus", str(tiny_dir))
    assert code == 2
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_bad_ngram_is_an_argparse_error(capsys, tiny_dir):
    with pytest.raises(SystemExit) as exc:
        main(["freq", "--ngram", "3-1", "--corpus", str(tiny_dir)])
    assert exc.value.code == 2
    assert "1 <= MIN <= MAX" in capsys.readouterr().err
