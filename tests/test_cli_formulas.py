"""``rhetoric formulas / candidates / align / renderings`` write exactly the functions' tables."""

from __future__ import annotations

import json

import pytest

from conftest import write_corpus
from rhetoric.cli import main
from rhetoric.corpus import load_corpus
from rhetoric.formulas import (candidate_formulas, first_last_appearance, formula_counts, formula_hits,
                               formula_matrix, variant_counts)
from rhetoric.lexicon import load_formula_lexicon
from rhetoric.tokens import tokenize
from rhetoric.translation import align_paragraphs, rendering_table


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_of(frame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


@pytest.fixture(scope="module")
def project():
    docs = load_corpus()
    return docs, tokenize(docs, cache=False)


@pytest.mark.parametrize("argv, make", [
    (["formulas"], lambda t, d: formula_counts(t, d)),
    (["formulas", "--variants"], lambda t, d: variant_counts(t, d)),
    (["formulas", "--by", "year"], lambda t, d: formula_counts(t, d, by="year")),
    (["formulas", "--by", "period", "--prefer", "unofficial"],
     lambda t, d: formula_counts(t, d, by="period", prefer="unofficial")),
    (["formulas", "--hits"], lambda t, d: formula_hits(t, d)),
    (["formulas", "--first-last"], lambda t, d: first_last_appearance(t, d)),
    (["formulas", "--matrix"], lambda t, d: formula_matrix(t, d).reset_index()),
    (["formulas", "--list"], lambda t, d: load_formula_lexicon()),
    (["align"], lambda t, d: align_paragraphs(t, d)),
    (["align", "--group", "xi2022_article", "--min-cosine", "0.2"],
     lambda t, d: align_paragraphs(t, d, "xi2022_article", min_cosine=0.2)),
    (["renderings"], lambda t, d: rendering_table(t, d)),
])
def test_csv_is_the_functions_table(capsys, project, argv, make):
    docs, tokens = project
    code, out, err = run(capsys, *argv, "--format", "csv", "--quiet")
    assert code == 0, err
    assert out == csv_of(make(tokens, docs))


def test_candidates_csv(capsys, project):
    docs, tokens = project
    code, out, err = run(capsys, "candidates", "--top", "5", "--min-authors", "2", "--format", "csv")
    assert code == 0, err
    assert out == csv_of(candidate_formulas(tokens, docs, top=5, min_authors=2))
    assert out.count("\n") == 6


def test_table_and_json_output(capsys):
    code, out, _ = run(capsys, "formulas", "--variants")
    assert code == 0
    assert out.splitlines()[0].split() == ["doc_id", "formula_id", "variant", "count"]
    code, out, _ = run(capsys, "renderings", "--format", "json")
    records = json.loads(out)
    row = next(r for r in records if r["formula_id"] == "community_shared_future")
    assert (row["rendering_a"], row["rendering_b"]) == ("community with a shared future",
                                                       "community of common destiny")


def test_another_corpus_folder_with_its_own_lexicon(capsys, tmp_path):
    folder = write_corpus(tmp_path / "mine", {
        "en": ("2020-01-01", "g", "official", "p", "A community with a shared future.\n\nTrade grows."),
        "ru": ("2020-01-01", "g", "unofficial", "p", "A community of common destiny.\n\nTrade grows."),
    })
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "formulas.yml").write_text(
        "formulas:\n  - id: csf\n    label: community with a shared future\n    variants:\n"
        "      - community with a shared future\n      - community of common destiny\n", encoding="utf-8")
    code, out, err = run(capsys, "formulas", "--corpus", str(folder), "--format", "csv")
    assert code == 0, err
    # en: 8 tokens (a community with a shared future trade grows), ru: 7
    assert out.splitlines() == ["doc_id,formula_id,count,per_10k", "en,csf,1,1250.0", f"ru,csf,1,{1e4 / 7}"]
    code, out, err = run(capsys, "renderings", "--corpus", str(folder), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1] == ("g,en,ru,csf,community with a shared future,community with a shared future,"
                                   "community of common destiny,1,1,1,"
                                   "community with a shared future <-> community of common destiny")


@pytest.mark.parametrize("argv, message", [
    (["formulas", "--by", "decade"], "unknown grouping column 'decade'"),
    (["align", "--group", "nope"], "group='nope' is not a translation group"),
    (["renderings", "--group", "nope"], "group='nope' is not a translation group"),
    (["candidates", "--min-n", "4", "--max-n", "2"], "max_n=2 is smaller than min_n=4"),
])
def test_bad_options_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_lexicon_names_file_line_and_formula(capsys, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("formulas:\n  - id: a\n    label: A\n    variants:\n      - '/(a|aa)+b/'\n", encoding="utf-8")
    code, _, err = run(capsys, "formulas", "--lexicon", str(bad))
    assert code == 2
    assert f"{bad}:5: formula 'a' variant 1 pattern '/(a|aa)+b/'" in err
    assert "backtrack catastrophically" in err and "Traceback" not in err


def test_argument_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["candidates", "--window", "-1"])
    assert info.value.code == 2
    assert "must be at least 0" in capsys.readouterr().err
