"""``rhetoric kwic | collocations | ngrams | bundles`` checked against lines and counts read off the tiny corpus
of conftest.py by hand (and G2 with SciPy); plus the format contract (CSV and JSON give the same table) and the
HTML page of ``kwic --html``.

Token positions of c_2024 (sentences between bars)::

    trade0 grew1 to2 $3 21.2(4) billion5 | trade6 and7 security8 matter9 | security10 security11 |
    the12 community13 with14 a15 shared16 future17
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import TINY_TEXTS, write_corpus
from rhetoric.cli import main


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
    return a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist()


def table_of(capsys, *argv) -> pd.DataFrame:
    """The command's table from --format csv, after checking that --format json gives the same table."""
    code, out, err = run(capsys, *argv, "--format", "csv")
    assert code == 0, err
    from_csv = pd.read_csv(io.StringIO(out), keep_default_na=False)
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    from_json = pd.DataFrame(json.loads(out), columns=from_csv.columns)
    assert len(from_csv) == len(from_json)
    for column in from_csv.columns:
        assert same_values(from_csv[column], from_json[column]), column
    return from_csv


def test_kwic_lines_by_hand(capsys, tiny_dir, tiny_docs):
    table = table_of(capsys, "kwic", "security", "--window", "2", "--corpus", str(tiny_dir))
    assert table[["doc_id", "token_start", "token_end"]].values.tolist() == [
        ["c_2024", 8, 9], ["c_2024", 10, 11], ["c_2024", 11, 12]]
    assert table[["left", "match", "right"]].values.tolist() == [
        ["Trade and", "security", "matter. Security"],
        ["security matter.", "Security", ", security! The"],
        ["matter. Security,", "security", "! The community"]]
    text = tiny_docs.set_index("doc_id").loc["c_2024", "text"]
    assert [text[s:e] for s, e in zip(table["start"], table["end"])] == ["security", "Security", "security"]
    code, out, _ = run(capsys, "kwic", "security", "--window", "2", "--corpus", str(tiny_dir))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[1].split() == ["c_2024", "security", "matter.", "[Security]", ",", "security!", "The"]


def test_kwic_sorted_by_the_words_to_the_right(capsys, tiny_dir):
    table = table_of(capsys, "kwic", "trade *", "--left", "1", "--right", "3", "--sort", "1R,2R",
                     "--corpus", str(tiny_dir))
    # the three hits in the texts that count; first word to the right: security < to < up
    assert table[["doc_id", "left", "match", "right"]].values.tolist() == [
        ["c_2024", "billion.", "Trade and", "security matter. Security"],
        ["c_2024", "", "Trade grew", "to $21.2"],
        ["a_official", "key.", "Trade is", "up"]]
    every = table_of(capsys, "kwic", "trade *", "--all-versions", "--corpus", str(tiny_dir))
    assert every["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024", "c_2024"]


def test_kwic_regex_in_sentences(capsys, tiny_dir):
    table = table_of(capsys, "kwic", "co.*", "--regex", "--sentence", "--corpus", str(tiny_dir))
    assert table["match"].tolist() == ["community", "cooperation", "community"]
    assert table[["left", "right"]].values.tolist() == [
        ["The", "with a shared future."], ["Win-win", "is key."], ["The", "with a shared future."]]
    hyphen = table_of(capsys, "kwic", "win win", "--corpus", str(tiny_dir))
    assert hyphen["match"].tolist() == ["Win-win"]
    strict = table_of(capsys, "kwic", "win win", "--strict-hyphens", "--corpus", str(tiny_dir))
    assert strict.empty


def test_kwic_html_page_is_escaped_under_a_strict_policy(capsys, tmp_path):
    texts = dict(TINY_TEXTS)
    texts["d_markup"] = ("2025-01", "", "", "late", "Trade <script>alert(1)</script> grew & <b>fell</b>.")
    folder = write_corpus(tmp_path / "markup", texts)
    page = tmp_path / "lines.html"
    code, out, err = run(capsys, "kwic", "trade", "--sentence", "--corpus", str(folder), "--html", str(page))
    assert code == 0 and err.splitlines()[0] == f"wrote {page} (4 lines)"
    assert len(out.splitlines()) == 4
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            "img-src 'self' data:; base-uri 'none'; form-action 'none'\">") in html
    assert html.count('<td class="match"') == 4
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html


def test_collocations_by_hand(capsys, tiny_dir):
    table = table_of(capsys, "collocations", "security", "--left", "2", "--right", "2", "--min-count", "1",
                     "--corpus", str(tiny_dir))
    # windows inside sentences: security8 -> trade6 and7 | matter9; security10 -> security11; security11 ->
    # security10; merged, 5 tokens (R1) in a corpus of N = 31 tokens
    assert dict(zip(table["collocate"], table["observed"])) == {"security": 2, "and": 1, "matter": 1, "trade": 1}
    freq = {"security": 3, "and": 1, "matter": 1, "trade": 3}
    for row in table.itertuples():
        o, c1 = row.observed, freq[row.collocate]
        assert row.collocate_freq == c1 and row.node_freq == 3
        assert row.expected == pytest.approx(5 * c1 / 31)
        g2, _, _, _ = stats.chi2_contingency([[o, 5 - o], [c1 - o, 31 - 5 - c1 + o]], correction=False,
                                             lambda_="log-likelihood")
        assert row.g2 == pytest.approx(g2)
        assert row.mi == pytest.approx(np.log2(o / (5 * c1 / 31)))
        assert row.log_dice == pytest.approx(14 + np.log2(2 * o / (3 + c1)))
    crossing = table_of(capsys, "collocations", "security", "--left", "2", "--right", "2", "--min-count", "1",
                        "--cross-sentences", "--corpus", str(tiny_dir))
    # windows over sentence ends, merged: tokens 6-13, where each node sits in another node's window
    assert dict(zip(crossing["collocate"], crossing["observed"])) == {
        "security": 3, "and": 1, "matter": 1, "trade": 1, "the": 1, "community": 1}
    assert crossing.set_index("collocate").loc["the", "expected"] == pytest.approx(8 * 2 / 31)


def test_ngrams_by_hand(capsys, tiny_dir):
    table = table_of(capsys, "ngrams", "-n", "2", "--corpus", str(tiny_dir))
    # bigrams inside sentences occurring twice (default --min-count 2): the words of "the community with a
    # shared future", in a_official and c_2024
    assert table[["ngram", "freq", "range"]].values.tolist() == [
        ["a shared", 2, 2], ["community with", 2, 2], ["shared future", 2, 2], ["the community", 2, 2],
        ["with a", 2, 2]]
    every = table_of(capsys, "ngrams", "-n", "2", "--all-versions", "--corpus", str(tiny_dir))
    assert dict(zip(every["ngram"], every["freq"]))["the community"] == 3
    assert dict(zip(every["ngram"], every["freq"]))["trade is"] == 2  # a_official and b_unofficial
    assert "security security" not in set(every["ngram"])  # once only


def test_bundles_by_hand(capsys, tiny_dir):
    table = table_of(capsys, "bundles", "--min-count", "2", "--min-range", "2", "--no-stop-words",
                     "--corpus", str(tiny_dir))
    assert table[["bundle", "n", "freq", "range"]].values.tolist() == [["the community with a shared future", 6, 2, 2]]
    # the 14 shorter sequences of its words (5 + 4 + 3 + 2) occur only inside it
    assert len(table["subsumes"].iloc[0].split("; ")) == 14
    short = table_of(capsys, "bundles", "--min-count", "2", "--min-range", "2", "--no-stop-words", "--no-maximal",
                     "--max-n", "3", "--corpus", str(tiny_dir))
    assert sorted(short["bundle"]) == sorted(["a shared future", "community with a", "the community with",
                                              "with a shared", "a shared", "community with", "shared future",
                                              "the community", "with a"])
    assert (short["freq"] == 2).all()


def test_kwic_lines_fit_100_columns_and_say_where_to_see_whole_contexts(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, err = run(capsys, "kwic", "billion", "--sentence")
    assert code == 0
    lines = out.splitlines()
    whole = table_of(capsys, "kwic", "billion", "--sentence")
    assert len(lines) == len(whole) and max(len(line) for line in lines) <= 100
    assert all("[billion]" in line.lower() for line in lines)
    assert "--format csv shows them whole" in err
    # the cut keeps the words next to the match: the last characters of the left context, the first of the right
    first = whole.iloc[0]
    left, right = lines[0].split("[")[0].rstrip(), lines[0].split("]", 1)[1].strip()
    assert first["left"].endswith(left.split("…")[-1].strip())
    assert first["right"].startswith(right.rstrip("…").strip())


def test_kwic_errors_exit_2(capsys, tiny_dir):
    code, out, err = run(capsys, "kwic", "(", "--regex", "--corpus", str(tiny_dir))
    assert code == 2 and out == "" and "is not a valid regular expression" in err and err.count("\n") == 1
    code, _, err = run(capsys, "kwic", "trade", "--sort", "X9", "--corpus", str(tiny_dir))
    assert code == 2 and "'X9' is not a sort level" in err and err.count("\n") == 1
    code, _, err = run(capsys, "bundles", "--min-n", "4", "--max-n", "3", "--corpus", str(tiny_dir))
    assert code == 2 and "max_n=3" in err and err.count("\n") == 1
