"""The benchmark (bench/benchmark.py): its synthetic corpora, the files it writes and where (no timed tests:
speed is measured by the benchmark itself, never asserted here; only shapes, types and sanity)."""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rhetoric.corpus import load_corpus, sentence_spans, tokenize, validate_corpus
from rhetoric.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]


def _load_benchmark():
    """bench/benchmark.py is a script outside the package: load it from its file (without writing bytecode)."""
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "bench" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module  # dataclasses look their module up
    saved, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = saved
    return module


bench = _load_benchmark()
NEW_TARGETS = (
    "tokenize (no cache) vs read + re.findall",
    "command line vs Python: bundles on a cached corpus",
    "rhetoric --help imports neither pandas nor scikit-learn",
    "rhetoric --help vs python -c 'import pandas'",
    "import rhetoric.stats.frequency",
    "import all analysis modules",
)
"""Rows issue 13 added to targets.csv."""


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory):
    return bench.synthetic_corpus(tmp_path_factory.mktemp("syn") / "corpus", n_words=12_000, doc_words=2_000,
                                  seed=7, progress=False)


# --------------------------------------------------------------------------- the synthetic corpus

def test_synthetic_corpus_is_a_valid_corpus(synthetic_dir):
    assert validate_corpus(synthetic_dir) == []
    docs = load_corpus(synthetic_dir)
    assert len(docs) == 6  # 12,000 words / 2,000 per document
    assert sorted(docs["year"].unique()) == [2022, 2023, 2024]
    assert (docs["year"].value_counts() == 2).all()  # years assigned in turn
    assert docs["author"].str.startswith("Speaker ").all()
    assert (docs["translation_group"] == docs["doc_id"]).all()  # no translations: counting once changes nothing
    assert (docs["date_precision"] == "day").all()
    assert (pd.to_datetime(docs["date"]).dt.year == docs["year"]).all()


def test_synthetic_corpus_has_about_the_requested_size(synthetic_dir):
    docs = load_corpus(synthetic_dir)
    words = sum(len(t.split()) for t in docs["raw_text"])
    # each document stops after the paragraph that reaches its length: a little over, never under
    assert 12_000 <= words <= 12_000 * 1.15


def test_synthetic_corpus_is_deterministic(tmp_path, synthetic_dir):
    again = bench.synthetic_corpus(tmp_path / "again", n_words=12_000, doc_words=2_000, seed=7, progress=False)
    other = bench.synthetic_corpus(tmp_path / "other", n_words=12_000, doc_words=2_000, seed=8, progress=False)
    assert (again / "corpus.csv").read_bytes() == (synthetic_dir / "corpus.csv").read_bytes()
    for path in sorted((synthetic_dir / "raw").glob("*.txt")):
        assert (again / "raw" / path.name).read_bytes() == path.read_bytes()
    assert (other / "corpus.csv").read_bytes() != (synthetic_dir / "corpus.csv").read_bytes()


def test_synthetic_corpus_resamples_the_source_sentences(tmp_path, project_docs):
    folder = bench.synthetic_corpus(tmp_path / "plain", n_words=6_000, doc_words=3_000, novel_rate=0.0,
                                    progress=False)
    source = set(tokenize(project_docs, cache=False).vocab)
    made = tokenize(load_corpus(folder), cache=False)
    assert set(made.vocab) <= source  # no invented words without novel_rate
    # every paragraph is made of whole source sentences
    sentences = {" ".join(text[a:b].split()) for text in project_docs["text"] for a, b in sentence_spans(text)}
    text = (folder / "raw" / "syn00000.txt").read_text(encoding="utf-8")
    for paragraph in text.strip().split("\n\n"):
        assert any(paragraph.startswith(s) for s in sentences)


def test_novel_words_make_the_vocabulary_grow(synthetic_dir, project_docs):
    source = set(tokenize(project_docs, cache=False).vocab)
    made = tokenize(load_corpus(synthetic_dir), cache=False)
    invented = set(made.vocab) - source
    assert len(invented) > 20
    # each new type is an invented word, alone or joined to a source word by a hyphen, full stop, comma or
    # apostrophe ("kalo-to-people": tokens join across those, see rhetoric.corpus.tokens)
    syllables = re.compile("(?:" + "|".join(bench._SYLLABLES) + ")+")
    assert all(any(syllables.fullmatch(part) for part in re.split(r"[-.,']", w)) for w in invented)


def test_pseudo_words_are_distinct():
    words = [bench._pseudo_word(r) for r in range(1, 5000)]
    assert len(set(words)) == len(words)
    assert bench._pseudo_word(1) == "loka"  # rank 1: syllable 1 ("lo"), padded with syllable 0 ("ka")
    assert bench._pseudo_word(16) == "kalo"  # base 16, least significant syllable first
    assert bench._pseudo_word(16 * 16 + 2) == "mikalo"  # digits 2, 0, 1


def test_synthetic_corpus_rejects_bad_options(tmp_path, synthetic_dir):
    with pytest.raises(ParameterError, match="not empty"):
        bench.synthetic_corpus(synthetic_dir, n_words=1000)
    with pytest.raises(ParameterError, match="n_words"):
        bench.synthetic_corpus(tmp_path / "x", n_words=0)
    with pytest.raises(ParameterError, match="novel_rate"):
        bench.synthetic_corpus(tmp_path / "y", novel_rate=1.5)


# --------------------------------------------------------------------------- copies of a corpus

def test_replicated_corpus(tmp_path, tiny_dir):
    folder = bench.replicated_corpus(tiny_dir, tmp_path / "x3", factor=3)
    assert validate_corpus(folder) == []
    docs = load_corpus(folder)
    assert len(docs) == 9
    assert {"a_official~2", "c_2024~3"} <= set(docs["doc_id"])
    # copies are separate texts: a_official and b_unofficial share a group in each copy only
    assert docs["translation_group"].nunique() == 6
    original = docs.set_index("doc_id")["raw_text"]
    assert original["a_official~3"] == original["a_official"]
    assert (folder / "copies" / "2" / "raw" / "c_2024.txt").is_file()


def test_copies_count_three_times_the_tokens(tmp_path, tiny_dir):
    folder = bench.replicated_corpus(tiny_dir, tmp_path / "x3", factor=3)
    tokens = tokenize(load_corpus(folder), cache=False)
    assert tokens.n_tokens == 3 * 44  # 13 + 13 + 18 tokens by hand (conftest), three times
    vocab = tokens.vocab[tokens.ids].tolist()
    assert vocab.count("trade") == 3 * 4  # "Trade" twice in c_2024, once in each of the other two


def test_a_size_above_16_is_copies_of_16x():
    assert bench._parse_sizes("1,4,16,256") == (1, 4, 16, 256)
    assert bench._parse_sizes([16, 32, 16]) == (16, 32)
    with pytest.raises(ParameterError, match="multiple of 16"):
        bench._parse_sizes("1,20")
    assert bench._parse_sizes("1,20", copies_of_16=False) == (1, 20)  # copies of --corpus: any size


def test_growth_rules():
    results = {1: {"made_as": "synthetic", "copy_of": None}, 4: {"made_as": "synthetic", "copy_of": None},
               16: {"made_as": "synthetic", "copy_of": None},
               256: {"made_as": "16 copies of the 16x corpus", "copy_of": 16}}
    pairs = [(small, large, limit) for small, large, limit, _ in bench._growth_pairs(results)]
    # synthetic 1x -> 16x: issue 8's 18x for 16x the words; 16x -> 256x copies: issue 13's linear 16x
    assert pairs == [(1, 16, 18.0), (16, 256, 16.0)]
    copies = {1: {"made_as": "the corpus folder", "copy_of": None}, 2: {"made_as": "2 copies", "copy_of": 1}}
    assert [(s, l, lim) for s, l, lim, _ in bench._growth_pairs(copies)] == [(1, 2, 2.0)]


# --------------------------------------------------------------------------- a whole run on the tiny corpus

@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    from conftest import TINY_TEXTS, write_corpus

    base = tmp_path_factory.mktemp("bench")
    corpus = write_corpus(base / "tiny", TINY_TEXTS)
    out = base / "out"
    results = bench.run_benchmark(corpus_dir=corpus, sizes="1,2", out_dir=out, repeat=1, project_targets=False,
                                  isolate=False, startup_runs=1, import_modules=["rhetoric.stats.frequency"],
                                  progress=False)
    return results, out


def test_run_benchmark_writes_the_files_with_their_columns(tiny_run):
    results, out = tiny_run
    assert isinstance(results, bench.BenchmarkResults)
    for name, columns in (("benchmark.csv", bench.BENCHMARK_COLUMNS), ("baselines.csv", bench.BASELINE_COLUMNS),
                          ("targets.csv", bench.TARGET_COLUMNS)):
        with open(out / name, newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == columns
    assert sorted(p.name for p in out.iterdir()) == sorted(bench.RESULT_FILES)
    readme = (out / "README.md").read_text(encoding="utf-8")
    for section in ("## Machine", "## Targets (issues 8 and 13)", "## Steps", "## Baselines", "## Imports"):
        assert section in readme
    assert "cores" in readme and "NumPy" in readme and "Load average" in readme
    source = results.info["source"]
    assert set(source) == {"commit", "uncommitted", "changed_during_run"}
    assert f"- Code: commit {source['commit'] or 'unknown'}" in readme


def test_benchmark_values_are_sane(tiny_run):
    results, out = tiny_run
    steps = pd.read_csv(out / "benchmark.csv", keep_default_na=False, na_values=[""])
    assert set(steps["size"]) == {1, 2}
    # the tiny corpus has 3 documents and 44 tokens (conftest); size 2 is two copies
    n_tokens = steps.groupby("size")["n_tokens"].first()
    assert n_tokens[1] == 44 and n_tokens[2] == 88
    timed = steps.dropna(subset=["seconds"])
    expected = list(bench.STEPS) + ["all analyses"] + ["baseline: " + b for _, _, b in bench.BASELINES]
    assert sorted(set(timed["step"])) == sorted(set(expected))  # every step ran: no module missing
    for step in expected:
        assert set(timed.loc[timed["step"] == step, "size"]) == {1, 2}, step
    assert (timed["seconds"] > 0).all() and (timed["cpu_seconds"] >= 0).all()
    assert (timed["peak_mb"] >= 0).all() and (timed["process_peak_mb"] >= timed["peak_mb"]).all()
    assert (timed.loc[timed["step"] != "all analyses", "runs"] == 1).all()  # repeat=1
    np.testing.assert_allclose(timed["tokens_per_s"], timed["n_tokens"] / timed["seconds"], rtol=1e-5)
    wide = timed.pivot(index="step", columns="size", values="seconds")
    growth = timed[timed["size"] == 2].set_index("step")["growth_vs_smallest"]
    np.testing.assert_allclose(growth.loc[wide.index], (wide[2] / wide[1]).loc[wide.index], rtol=1e-4)
    np.testing.assert_allclose(timed.loc[timed["size"] == 1, "growth_vs_smallest"], 1.0)
    # "all analyses" is the sum of the analyses that ran
    for size in (1, 2):
        here = timed[timed["size"] == size].set_index("step")["seconds"]
        assert here["all analyses"] == pytest.approx(here[list(bench.ANALYSES)].sum(), rel=1e-4)


def test_baselines_are_consistent(tiny_run):
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


def test_targets_have_the_new_rows_with_sane_types(tiny_run):
    results, out = tiny_run
    raw = pd.read_csv(out / "targets.csv", dtype=str, keep_default_na=False)
    assert all(v.isdigit() or v == "" for v in raw["n_words"])  # whole numbers stay whole
    assert set(raw["met"]) <= {"yes", "no", "n/a"}
    assert set(raw["rule"]) <= {"at most", "at least"}
    targets = pd.read_csv(out / "targets.csv", keep_default_na=False, na_values=[""]).set_index("target")
    assert pd.api.types.is_numeric_dtype(targets["limit"]) and pd.api.types.is_numeric_dtype(targets["measured"])
    assert results.targets["measured"].dtype == float and results.targets["size"].dtype == "Int64"
    for name in NEW_TARGETS:
        row = targets.loc[name]
        assert np.isfinite(row["measured"]) and row["measured"] >= 0, name
        assert row["met"] == ("yes" if row["measured"] <= row["limit"] else "no"), name
        assert "issue 13" in row["note"] or name.startswith("import "), name
    # values from the other tables, recomputed here
    steps = results.steps.set_index(["step", "size"])["seconds"]
    ratio = targets.loc["tokenize (no cache) vs read + re.findall"]
    assert ratio["size"] == 2  # the size closest to two million words
    assert ratio["measured"] == pytest.approx(steps[("tokenize (no cache)", 2)] / steps[("findall reference", 2)],
                                              rel=1e-4)
    cli = results.info["cli"]
    assert targets.loc["command line vs Python: bundles on a cached corpus", "measured"] == pytest.approx(
        cli["seconds"] - steps[("bundles 2-6", 2)], rel=1e-4, abs=1e-6)
    start = results.info["startup"]
    assert targets.loc["rhetoric --help imports neither pandas nor scikit-learn", "measured"] == 0
    assert "pandas" not in start["heavy"] and start["n_imported"] > 0
    assert targets.loc["rhetoric --help vs python -c 'import pandas'", "measured"] == pytest.approx(
        start["help_s"] / start["pandas_s"], rel=1e-4)
    imports = results.imports.set_index("module")
    assert list(imports.index) == ["rhetoric.stats.frequency", "all analysis modules"]
    assert "pandas" in imports.loc["rhetoric.stats.frequency", "heavy"]  # it computes with pandas
    assert (imports["process_s"] > imports["import_s"]).all()  # the process also starts an interpreter
    # growth from 1x to 2 copies: linear at most; whole-process memory under 4 GB
    growth = targets.loc["time growth 1x -> 2x: all analyses"]
    assert growth["limit"] == 2.0
    memory = targets.loc["peak memory at 2x (whole process, our steps)"]
    assert 0 < memory["measured"] < 4096
    assert targets.loc["make report (all notebooks, all figures)", "met"] == "n/a"


def test_issue_18_analyses_are_timed_and_held_to_linear_growth(tiny_run):
    """Lemmas, trends, diversity, readability, the collocation network and correspondence analysis run at every
    size, are left out of `all analyses` (issue 8's sum), and each has a growth target: at most linear for two
    copies of the corpus."""
    results, out = tiny_run
    assert set(bench.MEASURES) <= set(bench.STEPS) and not set(bench.MEASURES) & set(bench.ANALYSES)
    steps = pd.read_csv(out / "benchmark.csv", keep_default_na=False, na_values=[""])
    targets = pd.read_csv(out / "targets.csv", keep_default_na=False, na_values=[""]).set_index("target")
    for step in bench.MEASURES:
        rows = steps[steps["step"] == step].set_index("size")
        assert sorted(rows.index) == [1, 2] and (rows["seconds"] > 0).all(), step
        growth = targets.loc[f"time growth 1x -> 2x: {step}"]
        assert growth["limit"] == 2.0 and growth["rule"] == "at most"
        assert growth["measured"] == pytest.approx(rows.loc[2, "seconds"] / rows.loc[1, "seconds"], rel=1e-4)
    assert "Issue 18's analyses" in (out / "README.md").read_text(encoding="utf-8")


def test_the_command_line_ran_bundles_with_the_steps_parameters(tiny_run):
    results, _ = tiny_run
    cli = results.info["cli"]
    parameters = results.info["corpora"][2]["parameters"]
    # 2x the tiny corpus = 88 tokens: 20 per million rounds to 0, so the floor of 2; 6 documents, so range 5
    assert parameters["bundle_min_count"] == 2 and parameters["bundle_min_range"] == 5
    assert "--min-count 2 --min-range 5" in cli["command"]
    # a translated text counts once: of the 6 documents, a_official, c_2024 and their copies count (4), so no
    # bundle reaches a range of 5, from the command line or in Python
    assert cli["n_rows"] == 0 and cli["python_rows"] == 0


# --------------------------------------------------------------------------- one step per process

def test_per_step_mode_gives_each_step_its_memory_target(tmp_path, tiny_dir):
    results = bench.run_benchmark(corpus_dir=tiny_dir, sizes=(1, 2), out_dir=tmp_path / "out", repeat=1,
                                  baselines=False, per_step=True, project_targets=False, startup=False,
                                  cli_check=False, isolate=False, progress=False)
    steps = results.steps
    assert set(steps["step"]) == set(bench.STEPS) | {"all analyses"}
    assert results.info["corpora"][2]["per_step"]
    targets = results.targets.set_index("target")
    analyses = [s for s in bench.STEPS if s not in bench.PREPARATION]
    for step in analyses + ["tokenize (no cache)"]:
        row = targets.loc[f"peak memory at 2x, one step per process: {step}"]
        assert row["limit"] == 2560 and row["measured"] > 0 and row["met"] in ("yes", "no")
    warm = targets.loc["warm load at 2x: load_corpus + tokenize from the cache"]
    assert warm["limit"] == 1024 and warm["measured"] > 0
    assert not any(t.startswith("peak memory at 2x (whole process") for t in targets.index)


def test_a_step_stopped_at_the_memory_cap_is_reported(tmp_path, tiny_dir):
    def runner(spec, work, *, memory_cap_mb=None):
        if spec["steps"] == ["n-gram matrix 1-6"]:
            raise bench._Stopped(spec["label"], 7000.0, memory_cap_mb)
        return bench._in_process(spec, work)

    spec = {"repeat": 1, "budget": 1.0, "progress": False, "steps": list(bench.STEPS), "label": "1x",
            "corpus_dir": str(tiny_dir), "cache_dir": str(tmp_path / "cache"), "baselines": False}
    result = bench._per_step(spec, runner, tmp_path, 6144)
    stopped = [r for r in result["rows"] if r["step"] == "n-gram matrix 1-6"]
    assert len(stopped) == 1 and stopped[0]["seconds"] is None
    assert stopped[0]["process_peak_mb"] == 7000.0 and "above the cap of 6,144 MB" in stopped[0]["note"]
    assert len(result["rows"]) == len(bench.STEPS) and result["n_tokens"] == 44


def test_all_analyses_is_not_summed_without_one_of_them():
    rows = [{"step": s, "seconds": 1.0, "cpu_seconds": 1.0, "runs": 1, "peak_mb": 1.0, "process_peak_mb": 2.0,
             "note": ""} for s in bench.ANALYSES]
    results = {1: {"n_words": 10, "n_tokens": 10, "rows": rows},
               2: {"n_words": 20, "n_tokens": 20, "rows": rows[:-1] + [dict(rows[-1], seconds=None)]}}
    total = bench._steps_table(results).set_index(["step", "size"]).loc["all analyses"]
    assert total.loc[1, "seconds"] == len(bench.ANALYSES)  # seven analyses of 1 s each
    assert np.isnan(total.loc[2, "seconds"]) and total.loc[2, "note"] == "not summed: no time for formula counts"


def test_a_child_over_the_cap_is_stopped(tmp_path, tiny_dir):
    spec = {"repeat": 1, "budget": 1.0, "progress": False, "steps": ["load"], "label": "capped",
            "corpus_dir": str(tiny_dir), "cache_dir": str(tmp_path / "cache"), "baselines": False}
    with pytest.raises(bench._Stopped, match="above the cap of 1 MB"):
        bench._spawn(spec, tmp_path, memory_cap_mb=1)  # a Python process with pandas is far above 1 MB


# --------------------------------------------------------------------------- where it writes

def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")} if folder.exists() else {}


def test_nothing_outside_the_output_folder_is_written(tmp_path, tiny_dir, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the children's temporary files too
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    (out / "2m-words").mkdir(parents=True)
    (out / "2m-words" / "README.md").write_text("# an older run\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    watched = [tiny_dir, ROOT / "reports", ROOT / "data", ROOT / "bench"]
    before = [_tree(folder) for folder in watched]
    # the project corpus too: its token cache must go to the work folder, not data/interim/
    bench.run_benchmark(corpus_dir=tiny_dir, sizes=(1,), out_dir=out, repeat=1, baselines=False,
                        project_targets=True, startup=False, cli_check=True, startup_runs=1, progress=False)
    assert [_tree(folder) for folder in watched] == before
    assert not list(scratch.iterdir())  # the work folder (corpora, token caches, specs) is gone
    assert sorted(p.name for p in out.iterdir()) == sorted(["2m-words", "notes.txt", *bench.RESULT_FILES])
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (out / "2m-words" / "README.md").read_text(encoding="utf-8") == "# an older run\n"


def test_readme_links_other_runs(tiny_run, tmp_path):
    results, _ = tiny_run
    (tmp_path / "32m-words").mkdir()
    (tmp_path / "32m-words" / "README.md").write_text(
        "# Benchmark results\n\nMade by `python bench/benchmark.py --large` on 2026-01-02 03:04 UTC. Regenerate\n",
        encoding="utf-8")
    bench.write_results(results, tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert ("- [`32m-words/`](32m-words/README.md): `python bench/benchmark.py --large`, 2026-01-02 03:04 UTC"
            in readme)
    assert "| tokenize (no cache) vs read + re.findall |" in readme


def test_an_interrupted_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "benchmark.csv"
    path.write_text("old\n", encoding="utf-8")

    def half(handle):
        handle.write("new, half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bench._write_atomic(path, half)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["benchmark.csv"]


def test_bad_options_are_reported(tmp_path, capsys):
    assert bench.main(["--sizes", "one,four", "--out", str(tmp_path)]) == 2
    assert "sizes" in capsys.readouterr().err
    assert bench.main(["--large", "--sizes", "1", "--out", str(tmp_path)]) == 2
    assert "--large" in capsys.readouterr().err
    with pytest.raises(ParameterError, match="at least 1"):
        bench.run_benchmark(sizes=(0, 4), out_dir=tmp_path)
    with pytest.raises(ParameterError, match="no corpus.csv"):
        bench.run_benchmark(corpus_dir=tmp_path, out_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_import_times_name_the_libraries_a_module_loads():
    table = bench.import_times(["json"], runs=1)
    assert list(table["module"]) == ["json", "all analysis modules"]
    assert (table["heavy"] == "").all()  # json loads none of the slow libraries
    assert (table["import_s"] >= 0).all() and (table["process_s"] > 0).all()
    assert "rhetoric.stats.frequency" in bench.analysis_modules()
    assert all(m.startswith(("rhetoric.stats.", "rhetoric.formulas.")) for m in bench.analysis_modules())


def test_the_benchmark_runs_as_a_script():
    import subprocess

    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "benchmark.py"), "--help"], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert proc.returncode == 0 and "--large" in proc.stdout and "--sizes" in proc.stdout
