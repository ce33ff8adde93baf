"""``rhetoric lemmas | trends | diversity | readability | network | ca`` checked against values counted by hand on
small corpora written here (or in conftest.py), and Greenacre's smoke data written as a corpus against the R
package ca; plus the one-line errors.
"""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus
from rhetoric.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_of(capsys, *argv) -> tuple[pd.DataFrame, str]:
    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), keep_default_na=False), err


def corpus(tmp_path, name: str, texts: dict) -> str:
    """A corpus folder of ``{doc_id: text}`` (one period, no translations)."""
    return str(write_corpus(tmp_path / name, {d: ("2024-01-01", d, "", "p", t) for d, t in texts.items()}))


def test_the_commands_are_listed(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("lemmas", "trends", "diversity", "readability", "network", "ca"):
        assert re.search(rf"^\s+{command}\s", out, re.M), command


def test_lemmas(capsys, tmp_path):
    folder = corpus(tmp_path, "lem", {"a": "They cooperated. We cooperate. The countries cooperate with a country."})
    table, _ = table_of(capsys, "lemmas", "--corpus", folder, "--no-stop-words")
    cooperate = table[table["lemma"] == "cooperate"]
    assert cooperate[["form", "count", "lemma_count"]].values.tolist() == [["cooperate", 2, 3], ["cooperated", 1, 3]]
    assert table.iloc[0]["lemma"] == "cooperate"  # 3, the most frequent lemma
    content, _ = table_of(capsys, "lemmas", "--corpus", folder, "--top-n", "2")
    assert content["lemma"].tolist() == ["cooperate", "cooperate"]  # stop words left out by default


def test_trends(capsys, tiny_dir):
    table, _ = table_of(capsys, "trends", "trade", "security", "--corpus", str(tiny_dir), "--by", "period")
    # conftest: early = a_official (13 tokens, trade once), late = c_2024 (18 tokens, trade twice, security 3x)
    assert table[["term", "group", "count", "n_tokens", "range", "n_docs"]].values.tolist() == [
        ["trade", "early", 1, 13, 1, 1], ["trade", "late", 2, 18, 1, 1],
        ["security", "early", 0, 13, 0, 1], ["security", "late", 3, 18, 1, 1]]
    assert table["per_10k"].tolist() == pytest.approx([10_000 / 13, 20_000 / 18, 0, 30_000 / 18])
    per_doc, _ = table_of(capsys, "trends", "trade", "--corpus", str(tiny_dir), "--by", "doc_id", "--all-versions")
    assert per_doc["group"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    assert per_doc["count"].tolist() == [1, 1, 2]


def test_diversity(capsys, tiny_dir):
    table, _ = table_of(capsys, "diversity", "--corpus", str(tiny_dir), "--window", "5", "--all-versions")
    c = table.set_index("doc_id").loc["c_2024"]
    assert (c["n_words"], c["n_types"]) == (16, 13)  # $ and 21.2 are not words; trade, security repeat
    assert c["ttr"] == pytest.approx(13 / 16)
    words = "trade grew to billion trade and security matter security security the community with a shared future"
    windows = [words.split()[i:i + 5] for i in range(12)]
    assert c["mattr"] == pytest.approx(sum(len(set(w)) / 5 for w in windows) / 12)
    with pytest.raises(SystemExit) as stop:
        main(["diversity", "--corpus", str(tiny_dir), "--threshold", "1"])
    assert stop.value.code == 2 and "argument --threshold: 1 is out of range" in capsys.readouterr().err


def test_readability(capsys, tmp_path):
    text = ("The ministers signed a railway plan. Leaders discussed energy security and regional development. "
            "Two countries trade grain by river.")
    table, _ = table_of(capsys, "readability", "--corpus", corpus(tmp_path, "read", {"hand": text}))
    row = table.iloc[0]
    # by hand (tests/test_readability.py): 19 words, 3 sentences, 36 syllables, 5 words of 3+ syllables
    assert (row["n_words"], row["n_sentences"], row["n_syllables"], row["n_complex"]) == (19, 3, 36, 5)
    assert row["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 19 / 3 - 84.6 * 36 / 19)
    assert row["smog"] == pytest.approx(1.043 * math.sqrt(30 * 5 / 3) + 3.1291)


def test_network(capsys, tmp_path):
    folder = corpus(tmp_path, "pies", {"pies": "Apple pie. Apple tart. Apple pie. Pie crust. Tart crust."})
    table, _ = table_of(capsys, "network", "apple", "--corpus", folder, "--left", "1", "--right", "1",
                        "--min-count", "1", "--no-stop-words")
    assert table[["source", "target", "level", "observed"]].values.tolist() == [
        ["apple", "pie", 1, 2], ["apple", "tart", 1, 1], ["pie", "crust", 2, 1], ["tart", "crust", 2, 1]]
    # logDice = 14 + log2(2 O / (f(x) + f(y))): apple 3, pie 3, tart 2, crust 2
    assert table["log_dice"].tolist() == pytest.approx([14 + math.log2(4 / 6), 14 + math.log2(2 / 5),
                                                        14 + math.log2(2 / 5), 14 + math.log2(2 / 4)])
    one, _ = table_of(capsys, "network", "apple", "--corpus", folder, "--left", "1", "--right", "1",
                      "--min-count", "1", "--no-stop-words", "--depth", "1", "--top-n", "1")
    assert one[["source", "target"]].values.tolist() == [["apple", "pie"]]


def test_ca_on_the_smoke_data_written_as_a_corpus(capsys, tmp_path):
    """Greenacre's smoke table as five documents whose words are the four smoking levels: the command's
    coordinates are those of the R package ca (principal = standard coordinate x sqrt(principal inertia))."""
    smoke = {"SM": (4, 2, 3, 2), "JM": (4, 3, 7, 4), "SE": (25, 10, 12, 4), "JE": (18, 24, 33, 13),
             "SC": (10, 6, 7, 2)}
    levels = ("none", "light", "medium", "heavy")
    texts = {group: " ".join(f"{' '.join([level] * n)}." for level, n in zip(levels, row))
             for group, row in smoke.items()}
    folder = corpus(tmp_path, "smoke", texts)
    table, err = table_of(capsys, "ca", *levels, "--corpus", folder)
    assert "axis 1 87.8%, axis 2 11.8%, axis 3 0.5%" in err
    rows = table[table["kind"] == "row"].set_index("label")
    assert sorted(rows.index) == sorted(smoke)  # documents in corpus order (same date: by doc_id)
    rows = rows.reindex(list(smoke))
    assert rows["count"].tolist() == [11, 18, 51, 88, 25]
    standard = np.array([-0.240539, 0.947105, -1.391973, 0.851989, -0.735456])  # ca: rows, dimension 1
    principal = rows["dim_1"].to_numpy() / math.sqrt(0.07475910589)
    sign = np.sign(principal[2]) * np.sign(standard[2])
    np.testing.assert_allclose(principal, sign * standard, atol=5e-6)
    cols = table[table["kind"] == "column"].set_index("label")
    assert cols.index.tolist() == list(levels) and cols["count"].tolist() == [61, 45, 62, 25]


def test_ca_options_and_errors(capsys, tiny_dir):
    table, _ = table_of(capsys, "ca", "--corpus", str(tiny_dir), "--all-versions", "--min-count", "1",
                        "--n-terms", "6", "--top-n", "4")
    assert len(table) == 4 and (table["kind"] == "row").sum() == 3
    code, out, err = run(capsys, "ca", "--corpus", str(tiny_dir), "--by", "corpus")
    assert code == 2 and out == "" and err.count("\n") == 1 and "at least 2 rows" in err
    code, _, err = run(capsys, "trends", "trade", "--corpus", str(tiny_dir), "--by", "decade")
    assert code == 2 and "unknown grouping column 'decade'" in err


def test_the_lemmas_option_counts_lemmas_in_any_analysis(capsys, tmp_path):
    folder = corpus(tmp_path, "lemopt", {"a": "He visited Astana. She visits Almaty. They will visit. A visit."})
    forms, _ = table_of(capsys, "freq", "--corpus", folder, "--no-stop-words", "--by", "corpus")
    lemmas, _ = table_of(capsys, "freq", "--corpus", folder, "--no-stop-words", "--by", "corpus", "--lemmas")
    assert dict(zip(forms["term"], forms["count"]))["visit"] == 2  # "visit" twice as a form ...
    counted = dict(zip(lemmas["term"], lemmas["count"]))
    assert counted["visit"] == 4 and "visited" not in counted and "visits" not in counted  # ... four times as a lemma
    assert counted["astana"] == 1
