"""``rhetoric kwic | collocations | ngrams | bundles``: the CSV is exactly the function's table."""

from __future__ import annotations

import json

import pandas as pd

from rhetoric.bundles import lexical_bundles
from rhetoric.cli import main
from rhetoric.collocations import collocates, recurring_ngrams
from rhetoric.kwic import kwic


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_of(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")


def test_kwic_csv_equals_function(capsys, tiny_dir, tiny_docs, tiny_tokens):
    code, out, _ = run(capsys, "kwic", "trade *", "--corpus", str(tiny_dir), "--format", "csv",
                       "--left", "1", "--right", "3", "--sort", "1R,2R")
    assert code == 0
    assert out == csv_of(kwic(tiny_tokens, tiny_docs, "trade *", window=(1, 3), sort=["1R", "2R"]))
    code, out, _ = run(capsys, "kwic", "co.*", "--regex", "--sentence", "--corpus", str(tiny_dir), "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["match"] for r in records] == ["community", "cooperation", "community", "common", "cooperation",
                                             "community"]
    assert records[1]["right"] == "is key."


def test_kwic_table_and_html(capsys, tiny_dir, tmp_path):
    page = tmp_path / "lines.html"
    code, out, err = run(capsys, "kwic", "security", "--window", "2", "--corpus", str(tiny_dir),
                         "--html", str(page))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3 and "[Security]" in lines[1] and lines[1].rstrip().endswith(", security! The")
    assert "wrote" in err and page.exists()
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<td class="match"') == 3


def test_kwic_errors_exit_2(capsys, tiny_dir):
    code, _, err = run(capsys, "kwic", "(", "--regex", "--corpus", str(tiny_dir))
    assert code == 2 and "is not a valid regular expression" in err
    code, _, err = run(capsys, "kwic", "trade", "--sort", "X9", "--corpus", str(tiny_dir))
    assert code == 2 and "'X9' is not a sort level" in err


def test_collocations_csv_equals_function(capsys, tiny_dir, tiny_tokens):
    code, out, _ = run(capsys, "collocations", "security", "--left", "2", "--right", "2", "--min-freq", "1",
                       "--sort-by", "log_dice", "--corpus", str(tiny_dir), "--format", "csv")
    assert code == 0
    expected = collocates(tiny_tokens, "security", left=2, right=2, min_freq=1, sort_by="log_dice")
    assert out == csv_of(expected)
    code, out, _ = run(capsys, "collocations", "security", "--min-freq", "1", "--cross-sentences", "--top", "2",
                       "--corpus", str(tiny_dir), "--format", "csv")
    assert out == csv_of(collocates(tiny_tokens, "security", min_freq=1, within_sentence=False).head(2))


def test_ngrams_and_bundles_csv_equal_functions(capsys, tiny_dir, tiny_tokens):
    code, out, _ = run(capsys, "ngrams", "-n", "3", "--corpus", str(tiny_dir), "--format", "csv")
    assert code == 0 and out == csv_of(recurring_ngrams(tiny_tokens, n=3))
    code, out, _ = run(capsys, "ngrams", "--stopwords", "--sort-by", "g2", "--corpus", str(tiny_dir),
                       "--format", "csv")
    assert out == csv_of(recurring_ngrams(tiny_tokens, n=2, stop_words=True, sort_by="g2"))
    code, out, _ = run(capsys, "bundles", "--min-freq", "2", "--min-range", "2", "--corpus", str(tiny_dir),
                       "--format", "csv")
    assert code == 0 and out == csv_of(lexical_bundles(tiny_tokens, min_freq=2, min_range=2))
    code, out, _ = run(capsys, "bundles", "--min-freq", "2", "--no-maximal", "--stopwords", "none", "--max-n", "3",
                       "--corpus", str(tiny_dir), "--format", "csv")
    assert out == csv_of(lexical_bundles(tiny_tokens, min_freq=2, max_n=3, maximal=False, stop_words=None))
    code, _, err = run(capsys, "bundles", "--min-n", "4", "--max-n", "3", "--corpus", str(tiny_dir))
    assert code == 2 and "max_n=3 is smaller than min_n=4" in err
