"""The benchmark: its synthetic corpora and the files it writes (no timed tests: only shapes and sanity)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from rhetoric import bench
from rhetoric.bench import (BASELINE_COLUMNS, BENCHMARK_COLUMNS, TARGET_COLUMNS, BenchmarkResults, _pseudo_word,
                            _write_atomic, replicated_corpus, run_benchmark, synthetic_corpus)
from rhetoric.cli import main
from rhetoric.corpus import load_corpus, validate_corpus
from rhetoric.errors import ParameterError
from rhetoric.tokens import tokenize


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory):
    return synthetic_corpus(tmp_path_factory.mktemp("syn") / "corpus", n_words=12_000, doc_words=2_000, seed=7)


def test_synthetic_corpus_is_a_valid_corpus(synthetic_dir):
    assert validate_corpus(synthetic_dir) == []
    docs = load_corpus(synthetic_dir)
    assert len(docs) == 6
    assert sorted(docs["year"].unique()) == [2022, 2023, 2024]
    assert (docs["year"].value_counts() == 2).all()  # years assigned in turn
    assert docs["author"].str.startswith("Speaker ").all()
    assert (docs["translation_group"] == docs["doc_id"]).all()
    assert (docs["date_precision"] == "day").all()
    assert (pd.to_datetime(docs["date"]).dt.year == docs["year"]).all()


def test_synthetic_corpus_has_about_the_requested_size(synthetic_dir):
    docs = load_corpus(synthetic_dir)
    words = sum(len(t.split()) for t in docs["raw_text"])
    # each document stops after the paragraph that reaches its length: a little over, never under
    assert 12_000 <= words <= 12_000 * 1.15


def test_synthetic_corpus_is_deterministic(tmp_path, synthetic_dir):
    again = synthetic_corpus(tmp_path / "again", n_words=12_000, doc_words=2_000, seed=7)
    other = synthetic_corpus(tmp_path / "other", n_words=12_000, doc_words=2_000, seed=8)
    assert (again / "corpus.csv").read_bytes() == (synthetic_dir / "corpus.csv").read_bytes()
    for path in sorted((synthetic_dir / "raw").glob("*.txt")):
        assert (again / "raw" / path.name).read_bytes() == path.read_bytes()
    assert (other / "corpus.csv").read_bytes() != (synthetic_dir / "corpus.csv").read_bytes()


def test_synthetic_corpus_resamples_the_source_sentences(tmp_path, project_docs):
    folder = synthetic_corpus(tmp_path / "plain", n_words=6_000, doc_words=3_000, novel_rate=0.0)
    source = set(tokenize(project_docs, cache=False).vocab)
    made = tokenize(load_corpus(folder), cache=False)
    assert set(made.vocab) <= source  # no invented words without novel_rate
    # every paragraph is made of whole source sentences
    sentences = {" ".join(s.split()) for text in project_docs["text"] for s in _split_sentences(text)}
    text = (folder / "raw" / "syn00000.txt").read_text(encoding="utf-8")
    for paragraph in text.strip().split("\n\n"):
        assert any(paragraph.startswith(s) for s in sentences)


def _split_sentences(text):
    from rhetoric.tokens import sentence_spans
    return [text[a:b] for a, b in sentence_spans(text)]


def test_novel_words_make_the_vocabulary_grow(synthetic_dir, project_docs):
    import re

    source = set(tokenize(project_docs, cache=False).vocab)
    made = tokenize(load_corpus(synthetic_dir), cache=False)
    invented = set(made.vocab) - source
    assert len(invented) > 20
    # each new type is an invented word, alone or inside a hyphenated compound ("kalo-to-people")
    syllables = re.compile("(?:" + "|".join(bench._SYLLABLES) + ")+")
    assert all(any(syllables.fullmatch(part) for part in w.split("-")) for w in invented)


def test_pseudo_words_are_distinct():
    words = [_pseudo_word(r) for r in range(1, 5000)]
    assert len(set(words)) == len(words)
    assert _pseudo_word(1) == "loka"  # rank 1: syllable 1 ("lo"), padded with syllable 0 ("ka")
    assert _pseudo_word(16) == "kalo"  # base 16, least significant syllable first
    assert _pseudo_word(16 * 16 + 2) == "mikalo"  # digits 2, 0, 1


def test_synthetic_corpus_rejects_bad_options(tmp_path, synthetic_dir):
    with pytest.raises(ParameterError, match="not empty"):
        synthetic_corpus(synthetic_dir, n_words=1000)
    with pytest.raises(ParameterError, match="n_words"):
        synthetic_corpus(tmp_path / "x", n_words=0)
    with pytest.raises(ParameterError, match="novel_rate"):
        synthetic_corpus(tmp_path / "y", novel_rate=1.5)


def test_replicated_corpus(tmp_path, tiny_dir):
    folder = replicated_corpus(tiny_dir, tmp_path / "x3", factor=3)
    assert validate_corpus(folder) == []
    docs = load_corpus(folder)
    assert len(docs) == 9
    assert {"a_official~2", "c_2024~3"} <= set(docs["doc_id"])
    # copies are separate texts: a_official and b_unofficial share a group in each copy only
    assert docs["translation_group"].nunique() == 6
    original = docs.set_index("doc_id")["raw_text"]
    assert original["a_official~3"] == original["a_official"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    from conftest import TINY_TEXTS, write_corpus

    base = tmp_path_factory.mktemp("bench")
    corpus = write_corpus(base / "tiny", TINY_TEXTS)
    out = base / "out"
    results = run_benchmark(corpus_dir=corpus, sizes="1,2", out_dir=out, repeat=1, project_targets=False,
                            isolate=False, progress=False)
    return results, out


def test_run_benchmark_writes_the_files_with_their_columns(tiny_run):
    results, out = tiny_run
    assert isinstance(results, BenchmarkResults)
    for name, columns in (("benchmark.csv", BENCHMARK_COLUMNS), ("baselines.csv", BASELINE_COLUMNS),
                          ("targets.csv", TARGET_COLUMNS)):
        with open(out / name, newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == columns
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "## Machine" in readme and "cores" in readme and "NumPy" in readme
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_benchmark_values_are_sane(tiny_run):
    results, out = tiny_run
    steps = pd.read_csv(out / "benchmark.csv")
    assert set(steps["size"]) == {1, 2}
    # the tiny corpus has 3 documents and 42 tokens (conftest); size 2 is two copies
    n_tokens = steps.groupby("size")["n_tokens"].first()
    assert n_tokens[1] == 42 and n_tokens[2] == 84
    timed = steps.dropna(subset=["seconds"])
    expected = list(bench.STEPS) + ["all analyses"] + ["baseline: " + b for _, _, b in bench.BASELINES]
    assert sorted(set(timed["step"])) == sorted(set(expected))  # every step ran: no module missing
    for step in expected:
        assert set(timed.loc[timed["step"] == step, "size"]) == {1, 2}, step
    assert (timed["seconds"] > 0).all() and (timed["cpu_seconds"] >= 0).all()
    assert (timed["peak_mb"] >= 0).all()
    np.testing.assert_allclose(timed["tokens_per_s"], timed["n_tokens"] / timed["seconds"], rtol=1e-5)
    wide = timed.pivot(index="step", columns="size", values="seconds")
    growth = timed[timed["size"] == 2].set_index("step")["growth_vs_1x"]
    np.testing.assert_allclose(growth.loc[wide.index], (wide[2] / wide[1]).loc[wide.index], rtol=1e-4)
    np.testing.assert_allclose(timed.loc[timed["size"] == 1, "growth_vs_1x"], 1.0)
    # "all analyses" is the sum of the analyses that ran
    for size in (1, 2):
        here = timed[timed["size"] == size].set_index("step")["seconds"]
        ran = [s for s in bench.ANALYSES if s in here.index]
        assert here["all analyses"] == pytest.approx(here[ran].sum(), rel=1e-4)


def test_baselines_and_targets_are_consistent(tiny_run):
    results, out = tiny_run
    base = pd.read_csv(out / "baselines.csv")
    assert len(base) == 2 * len(bench.BASELINES)
    both = base.dropna(subset=["ours_s", "baseline_s"])
    assert len(both) == len(base)
    np.testing.assert_allclose(both["speedup"], both["baseline_s"] / both["ours_s"], rtol=1e-4)
    steps = results.steps.set_index(["step", "size"])["cpu_seconds"]
    row = base.iloc[0]
    assert row["speedup_cpu"] == pytest.approx(steps[("baseline: " + row["baseline"], row["size"])]
                                               / steps[(bench.BASELINES[0][1], row["size"])], rel=1e-4)
    targets = pd.read_csv(out / "targets.csv", keep_default_na=False)
    assert all(str(v).isdigit() or v == "" for v in pd.read_csv(out / "targets.csv", dtype=str,
                                                                  keep_default_na=False)["n_words"])
    assert set(targets["met"]) <= {"yes", "no", "n/a"}
    growth = targets[targets["target"] == "time growth 1x -> 2x: all analyses"]
    assert float(growth["limit"].iloc[0]) == pytest.approx(18 / 16 * 2)
    memory = targets[targets["target"].str.startswith("peak memory")]
    assert 0 < float(memory["measured"].iloc[0]) < 4096


def test_each_size_runs_in_a_child_process(tmp_path, tiny_dir):
    results = run_benchmark(corpus_dir=tiny_dir, sizes=(1,), out_dir=tmp_path / "out", repeat=1,
                            baselines=False, project_targets=False, progress=False)
    steps = results.steps.set_index("step")
    assert steps.loc["load", "seconds"] > 0 and steps.loc["load", "n_tokens"] == 42
    assert not steps.index.str.startswith("baseline").any()
    assert results.baselines.empty
    corpus = results.info["corpora"][1]
    assert corpus["n_docs"] == 3 and corpus["ours_peak_mb"] > 10  # a Python process with pandas loaded


def test_readme_links_other_runs(tiny_run, tmp_path):
    results, _ = tiny_run
    (tmp_path / "2m-words").mkdir()
    (tmp_path / "2m-words" / "README.md").write_text("# other run\n", encoding="utf-8")
    bench.write_results(results, tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "[`2m-words/`](2m-words/README.md)" in readme
    assert "| load + tokenize (cached token store) vs bare re.findall |" in readme


def test_an_interrupted_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "benchmark.csv"
    path.write_text("old\n", encoding="utf-8")

    def half(handle):
        handle.write("new, half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _write_atomic(path, half)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["benchmark.csv"]


def test_bad_sizes_are_reported(tmp_path, capsys):
    assert main(["bench", "--sizes", "one,four", "--out", str(tmp_path)]) == 2
    assert "sizes" in capsys.readouterr().err
    with pytest.raises(ParameterError, match="at least 1"):
        run_benchmark(sizes=(0, 4), out_dir=tmp_path)
    assert not list(tmp_path.iterdir())
