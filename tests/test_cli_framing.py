"""``rhetoric frames`` and ``rhetoric claims`` checked against shares and figures counted by hand on a small
corpus, bootstrap intervals from a plain loop written here from the documented recipe, and the format contract
(CSV and JSON give the same table); the caveat goes to stderr.

By hand (lexicon below; paragraphs between bars)::

    k1 (2022)  Trade and security. | Stability and trade. | Culture.          trade 2, security 2, people 1; 7 tokens
    k2 (2022)  Trade grew 10 percent to $5 billion last year. | Security.     trade 1, security 1;          11 tokens
    k3 (2024)  People-to-people exchanges and culture. | Trade, trade. |
               Security matters. Trading partners.                           trade 3, security 1, people 2; 10 tokens
"""

from __future__ import annotations

import io
import json
import zlib

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from rhetoric.cli import COMMAND_MODULES, main

LEXICON = """\
frames:
  - id: trade
    label: Trade
    terms: [trade, trading partner*]
  - id: security
    label: Security
    terms: [security, stability]
  - id: people
    label: People
    terms: [people-to-people exchanges, culture]
"""
TEXTS = {
    "k1": ("2022-01-05", "", "", "early", "Trade and security.\n\nStability and trade.\n\nCulture."),
    "k2": ("2022-06-01", "", "", "early", "Trade grew 10 percent to $5 billion last year.\n\nSecurity."),
    "k3": ("2024-02-01", "", "", "late",
           "People-to-people exchanges and culture.\n\nTrade, trade.\n\nSecurity matters. Trading partners."),
}
PARAGRAPHS = {  # paragraph x frame (trade, security, people), in corpus order within each year
    2022: np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]),
    2024: np.array([[0, 0, 2], [2, 0, 0], [1, 1, 0]]),
}


@pytest.fixture
def folder(tmp_path):
    folder = write_corpus(tmp_path / "cli_frames", TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "frames.yml").write_text(LEXICON, encoding="utf-8")
    return folder


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def same_values(a: pd.Series, b: pd.Series) -> bool:
    """Whether two columns hold the same values: numbers within 1e-9 (JSON keeps 10 decimals), else text."""
    blank = lambda s: s.map(lambda v: None if v is None or v == "" or (isinstance(v, float) and np.isnan(v))  # noqa: E731
                            else v)
    a, b = blank(a), blank(b)
    na, nb = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    if (na.isna() == a.isna()).all() and (nb.isna() == b.isna()).all():
        return bool(np.allclose(na.to_numpy(float), nb.to_numpy(float), rtol=1e-9, equal_nan=True))
    strip = lambda s: s.fillna("").astype(str).str.replace(r"T00:00:00(\.000)?$", "", regex=True)  # noqa: E731
    return strip(a).tolist() == strip(b).tolist()


def table_of(capsys, *argv) -> tuple[pd.DataFrame, str]:
    """The command's table from --format csv (after checking --format json gives the same one) and its stderr."""
    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    from_csv = pd.read_csv(io.StringIO(out), keep_default_na=False)
    code, out, err_json = run(capsys, *argv, "--format", "json")
    assert code == 0, err_json
    from_json = pd.DataFrame(json.loads(out), columns=from_csv.columns)
    assert len(from_csv) == len(from_json) and err_json == err
    for column in from_csv.columns:
        assert same_values(from_csv[column], from_json[column]), column
    return from_csv, err


def loop_bootstrap(counts: np.ndarray, n_boot: int, seed: int, group) -> np.ndarray:
    """The documented bootstrap as a plain loop: one replicate at a time."""
    rng = np.random.default_rng([seed, zlib.crc32(str(group).encode("utf-8"))])
    n = counts.shape[0]
    reps = []
    for _ in range(n_boot):
        drawn = counts[np.floor(rng.random(n) * n).astype(int)].sum(axis=0)
        reps.append(drawn / drawn.sum() if drawn.sum() > 0 else np.full(counts.shape[1], np.nan))
    return np.array(reps)


def loop_interval(reps: np.ndarray, level: float = 0.95):
    kept = reps[~np.isnan(reps).any(axis=1)]
    return (np.percentile(kept, 100 * (1 - level) / 2, axis=0), np.percentile(kept, 100 * (1 + level) / 2, axis=0))


def test_framing_is_registered():
    assert "framing" in COMMAND_MODULES


def test_shares_per_document_by_hand(capsys, folder):
    table, err = table_of(capsys, "frames", "--corpus", str(folder))
    assert list(table.columns) == ["group", "frame", "label", "hits", "share", "per_10k", "n_units", "n_docs",
                                   "n_tokens"]
    assert table[["group", "frame", "hits"]].values.tolist() == [
        ["k1", "trade", 2], ["k1", "security", 2], ["k1", "people", 1],
        ["k2", "trade", 1], ["k2", "security", 1], ["k2", "people", 0],
        ["k3", "trade", 3], ["k3", "security", 1], ["k3", "people", 2]]
    np.testing.assert_allclose(table["share"], [2 / 5, 2 / 5, 1 / 5, 1 / 2, 1 / 2, 0, 3 / 6, 1 / 6, 2 / 6])
    assert table["n_tokens"].tolist() == [7] * 3 + [11] * 3 + [10] * 3
    assert table["n_units"].tolist() == [3] * 3 + [2] * 3 + [3] * 3
    np.testing.assert_allclose(table["per_10k"], [2e4 / 7, 2e4 / 7, 1e4 / 7, 1e4 / 11, 1e4 / 11, 0, 3e3, 1e3, 2e3])
    assert err == "note: Each document is its own group (3 documents); a document's shares describe that one text.\n"


def test_shares_per_year_and_paragraph(capsys, folder):
    table, err = table_of(capsys, "frames", "--unit", "year", "--corpus", str(folder))
    assert table["group"].tolist() == [2022] * 3 + [2024] * 3
    assert table["hits"].tolist() == [3, 3, 1, 3, 1, 2]
    np.testing.assert_allclose(table["share"], [3 / 7, 3 / 7, 1 / 7, 3 / 6, 1 / 6, 2 / 6])
    assert table[["n_units", "n_docs", "n_tokens"]].drop_duplicates().values.tolist() == [[5, 2, 18], [3, 1, 10]]
    assert "2022 rests on 2 documents (k1, k2)" in err and "2024 rests on 1 document (k3)" in err
    paragraphs, _ = table_of(capsys, "frames", "--unit", "paragraph", "--corpus", str(folder))
    assert paragraphs["group"].drop_duplicates().tolist() == ["k1:1", "k1:2", "k1:3", "k2:1", "k2:2", "k3:1", "k3:2",
                                                              "k3:3"]
    hits = paragraphs["hits"].to_numpy().reshape(-1, 3)
    np.testing.assert_array_equal(hits, np.vstack([PARAGRAPHS[2022], PARAGRAPHS[2024]]))


def test_intervals_equal_an_independent_loop(capsys, folder):
    table, err = table_of(capsys, "frames", "--by", "year", "--n-boot", "300", "--seed", "4", "--corpus", str(folder))
    assert list(table.columns) == ["group", "frame", "label", "hits", "share", "ci_low", "ci_high", "n_paragraphs",
                                   "n_docs", "seed", "n_boot", "level"]
    for year, counts in PARAGRAPHS.items():
        low, high = loop_interval(loop_bootstrap(counts, 300, 4, year))
        rows = table[table["group"] == year]
        np.testing.assert_allclose(rows["ci_low"], low, atol=1e-9)
        np.testing.assert_allclose(rows["ci_high"], high, atol=1e-9)
        np.testing.assert_allclose(rows["share"], counts.sum(0) / counts.sum())
    assert set(table["seed"]) == {4} and set(table["n_boot"]) == {300} and set(table["level"]) == {0.95}
    assert "2024 rests on 1 document (k3)" in err
    narrow, _ = table_of(capsys, "frames", "--by", "year", "--n-boot", "200", "--level", "0.5", "--corpus",
                         str(folder))
    low, high = loop_interval(loop_bootstrap(PARAGRAPHS[2022], 200, 20220913, 2022), level=0.5)
    np.testing.assert_allclose(narrow[narrow["group"] == 2022]["ci_low"], low, atol=1e-9)
    np.testing.assert_allclose(narrow[narrow["group"] == 2022]["ci_high"], high, atol=1e-9)


def test_shift_equals_an_independent_loop(capsys, folder):
    table, _ = table_of(capsys, "frames", "--shift", "2022", "2024", "--n-boot", "250", "--corpus", str(folder))
    np.testing.assert_allclose(table["share_from"], [3 / 7, 3 / 7, 1 / 7])
    np.testing.assert_allclose(table["diff"], [3 / 6 - 3 / 7, 1 / 6 - 3 / 7, 2 / 6 - 1 / 7])
    seed = 20220913  # the default, config.RANDOM_SEED
    diffs = loop_bootstrap(PARAGRAPHS[2024], 250, seed, 2024) - loop_bootstrap(PARAGRAPHS[2022], 250, seed, 2022)
    low, high = loop_interval(diffs)
    np.testing.assert_allclose(table["ci_low"], low, atol=1e-9)
    np.testing.assert_allclose(table["ci_high"], high, atol=1e-9)
    assert table[["n_docs_from", "n_docs_to", "n_paragraphs_from", "n_paragraphs_to"]].iloc[0].tolist() == [2, 1, 5, 3]


def test_hits_and_list(capsys, folder):
    hits, _ = table_of(capsys, "frames", "--hits", "--corpus", str(folder))
    assert hits[["doc_id", "frame", "match"]].values.tolist() == [
        ["k1", "trade", "Trade"], ["k1", "security", "security"], ["k1", "security", "Stability"],
        ["k1", "trade", "trade"], ["k1", "people", "Culture"], ["k2", "trade", "Trade"],
        ["k2", "security", "Security"], ["k3", "people", "People-to-people exchanges"], ["k3", "people", "culture"],
        ["k3", "trade", "Trade"], ["k3", "trade", "trade"], ["k3", "security", "Security"],
        ["k3", "trade", "Trading partners"]]
    assert hits.iloc[-1][["term", "start", "end"]].tolist() == ["trading partner*", 74, 90]
    listed, _ = table_of(capsys, "frames", "--list", "--corpus", str(folder))  # the folder's own lexicon
    assert listed[["frame_id", "n_terms"]].values.tolist() == [["trade", 2], ["security", 2], ["people", 2]]


def test_table_format_keeps_the_caveat_on_stderr(capsys, folder):
    code, out, err = run(capsys, "frames", "--corpus", str(folder), "--by", "year", "--n-boot", "100")
    assert code == 0
    assert out.splitlines()[0].split()[:6] == ["group", "frame", "label", "hits", "share", "ci_low"]
    assert len(out.splitlines()) == 1 + 6
    assert "rests on" not in out and "2022 rests on 2 documents (k1, k2)" in err


def test_frames_errors_exit_2(capsys, folder, tmp_path):
    code, out, err = run(capsys, "frames", "--corpus", str(folder), "--frames", str(tmp_path / "nope.yml"))
    assert code == 2 and out == "" and err.startswith("error: ") and "nope.yml: frame lexicon not found" in err
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--unit", "decade")
    assert code == 2 and "unknown grouping column 'decade'" in err and err.count("\n") == 1
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--by", "offsets")
    assert code == 2 and "unknown grouping column 'offsets'" in err and err.count("\n") == 1
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--shift", "2022", "2030")
    assert code == 2 and "to_group='2030' is not a group of 'year'; groups are: 2022, 2024" in err
    with pytest.raises(SystemExit):
        main(["frames", "--corpus", str(folder), "--unit", "year", "--by", "year"])


def test_claims_by_hand(capsys, folder):
    claims, _ = table_of(capsys, "claims", "--corpus", str(folder))
    assert claims[["doc_id", "text", "kind", "value", "unit", "measure", "period_covered"]].values.tolist() == [
        ["k2", "10 percent", "percent", 10.0, "percent", "bilateral trade growth", "last year"],
        ["k2", "$5 billion", "money", 5.0, "USD", "bilateral trade", "last year"]]
    assert claims["value_normalized"].tolist() == [10.0, 5e9]
    trade, _ = table_of(capsys, "claims", "--trade", "--corpus", str(folder))
    assert trade[["label", "period_year", "months", "growth_percent"]].values.tolist() == [
        ["2021: 5 billion USD (k2)", 2021.0, 12.0, 10.0]]


def test_claims_on_the_project_corpus(capsys):
    trade, _ = table_of(capsys, "claims", "--trade")
    # the bilateral trade figures read in the texts, in date order, the 2022 article counted once (Xinhua)
    assert trade[["doc_id", "value"]].values.tolist() == [["zhang2022_visit", 17.67], ["xi2022_xinhua", 25.0],
                                                          ["zhang2023_newyear", 36.87], ["cgtn2024_visit", 41.0]]
    every, _ = table_of(capsys, "claims", "--trade", "--all-versions")
    assert every["doc_id"].tolist().count("xi2022_unofficial") == 1 and len(every) == 5
