"""``rhetoric freq | dispersion | tfidf | keyness | similarity`` checked against values counted by hand on the
tiny corpus of conftest.py, or computed here with SciPy and scikit-learn from the texts; plus the format
contract (CSV and JSON give the same table).

The tiny corpus counts a translated text once: a_official (13 tokens) and c_2024 (18 tokens), 31 in all;
b_unofficial is the other version of a_official and comes in with --all-versions (44 tokens)::

    a_official: the community with a shared future | win-win cooperation is key | trade is up
    c_2024    : trade grew to $ 21.2 billion | trade and security matter | security security |
                the community with a shared future
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from rhetoric.cli import main
from rhetoric.counts import stop_word_list

TOKENS = {
    "a_official": "the community with a shared future win-win cooperation is key trade is up".split(),
    "b_unofficial": "the community of common destiny mutually beneficial cooperation is key trade is up".split(),
    "c_2024": "trade grew to $ 21.2 billion trade and security matter security security the community with a "
              "shared future".split(),
}


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


def test_tokens_by_hand_are_the_corpus(tiny_tokens):
    assert {d: tiny_tokens.vocab[tiny_tokens.ids[a:b]].tolist() for d, a, b in
            zip(tiny_tokens.doc_ids, tiny_tokens.bounds[:-1], tiny_tokens.bounds[1:])} == TOKENS


def test_freq_over_the_corpus(capsys, tiny_dir):
    table = table_of(capsys, "freq", "--by", "corpus", "--corpus", str(tiny_dir))
    assert list(table.columns) == ["group", "term", "count", "per_10k", "range", "n_docs"]
    words = TOKENS["a_official"] + TOKENS["c_2024"]
    expected = pd.Series(words).value_counts()
    assert dict(zip(table["term"], table["count"])) == expected.to_dict()  # 20 types
    rows = table.set_index("term")
    assert rows.loc["security", "count"] == 3 and rows.loc["security", "range"] == 1
    assert rows.loc["trade", "count"] == 3 and rows.loc["trade", "range"] == 2
    assert rows.loc["trade", "per_10k"] == pytest.approx(3 * 10_000 / 31)
    assert (table["n_docs"] == 2).all() and (table["group"] == "corpus").all()
    # ties in count are broken by the term
    assert table["term"].tolist()[:2] == ["security", "trade"]


def test_freq_of_every_version_and_of_chosen_terms(capsys, tiny_dir):
    table = table_of(capsys, "freq", "--by", "corpus", "--all-versions", "--top-n", "3", "--corpus", str(tiny_dir))
    # is: 2 + 2, trade: 1 + 1 + 2, then community and security with 3 (the term breaks the tie); 44 tokens
    assert table[["term", "count"]].values.tolist() == [["is", 4], ["trade", 4], ["community", 3]]
    assert table["per_10k"].tolist() == pytest.approx([4e4 / 44, 4e4 / 44, 3e4 / 44])
    table = table_of(capsys, "freq", "trade", "shared future", "win win", "--corpus", str(tiny_dir))
    # per document, by count then term; "win win" is win-win (hyphens are loose); a count of 0 is not listed
    assert table[["group", "term", "count"]].values.tolist() == [
        ["a_official", "shared future", 1], ["a_official", "trade", 1], ["a_official", "win win", 1],
        ["c_2024", "trade", 2], ["c_2024", "shared future", 1]]
    assert table["per_10k"].tolist() == pytest.approx([1e4 / 13] * 3 + [2e4 / 18, 1e4 / 18])


def test_freq_and_dispersion_follow_the_pattern_rules(capsys, tiny_dir):
    loose = table_of(capsys, "freq", "win win", "--by", "corpus", "--corpus", str(tiny_dir))
    assert loose[["term", "count"]].values.tolist() == [["win win", 1]]
    strict = table_of(capsys, "freq", "win win", "--strict-hyphens", "--by", "corpus", "--corpus", str(tiny_dir))
    assert strict.empty  # "Win-win" is one token: not "win" then "win"
    regex = table_of(capsys, "freq", "sec.*", "--regex", "--by", "corpus", "--corpus", str(tiny_dir))
    assert regex[["term", "count"]].values.tolist() == [["sec.*", 3]]
    exact = table_of(capsys, "dispersion", "Security", "--case-sensitive", "--corpus", str(tiny_dir))
    assert exact[["term", "freq"]].values.tolist() == [["Security", 1]]  # "Security, security!"


def test_freq_bigrams_by_period_without_stop_words(capsys, tiny_dir):
    table = table_of(capsys, "freq", "--by", "period", "--ngram-range", "2", "--stop-words", "--all-versions",
                     "--corpus", str(tiny_dir))
    stop = stop_word_list()
    expected = {}
    for doc, period in (("a_official", "early"), ("b_unofficial", "early"), ("c_2024", "late")):
        # bigrams inside sentences, neither word at an end a stop word
        sentences = {"a_official": [0, 6, 10, 13], "b_unofficial": [0, 5, 10, 13], "c_2024": [0, 6, 10, 12, 18]}
        cuts = sentences[doc]
        for s, e in zip(cuts[:-1], cuts[1:]):
            words = TOKENS[doc][s:e]
            for w1, w2 in zip(words[:-1], words[1:]):
                if w1 not in stop and w2 not in stop:
                    expected[(period, f"{w1} {w2}")] = expected.get((period, f"{w1} {w2}"), 0) + 1
    assert dict(zip(zip(table["group"], table["term"]), table["count"])) == expected
    assert expected[("late", "security security")] == 1 and ("early", "cooperation is") not in expected


def test_dispersion_by_hand(capsys, tiny_dir):
    table = table_of(capsys, "dispersion", "trade", "security", "--corpus", str(tiny_dir))
    rows = table.set_index("term")
    s = np.array([13, 18]) / 31  # part sizes: a_official, c_2024
    for term, counts in (("trade", np.array([1, 2])), ("security", np.array([0, 3]))):
        v = counts / counts.sum()
        dp = 0.5 * np.abs(v - s).sum()                       # Gries (2008)
        rates = counts / np.array([13, 18])
        d = 1 - (rates.std() / rates.mean()) / np.sqrt(2 - 1)  # Juilland's D, population sd
        assert rows.loc[term, "freq"] == counts.sum()
        assert rows.loc[term, "range"] == (counts > 0).sum()
        assert rows.loc[term, "dp"] == pytest.approx(dp)
        assert rows.loc[term, "dp_norm"] == pytest.approx(dp / (1 - s.min()))
        assert rows.loc[term, "juilland_d"] == pytest.approx(d)
    assert rows.loc["trade", "dp"] == pytest.approx(8 / 93)  # |1/3 - 13/31|
    positions = table_of(capsys, "dispersion", "--positions", "security", "--corpus", str(tiny_dir))
    assert positions[["doc_id", "term", "position"]].values.tolist() == [
        ["c_2024", "security", 8], ["c_2024", "security", 10], ["c_2024", "security", 11]]


def sklearn_tfidf(texts: list[str]):
    """TF-IDF rows (smoothed IDF, L2) of texts, with a plain word regex and the project's stop words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stop_word_list()
    vectorizer = TfidfVectorizer(analyzer=lambda t: [w for w in re.findall(r"\w+(?:[-.]\w+)*", t.lower())
                                                     if w not in stop])
    return vectorizer.fit_transform(texts), vectorizer.get_feature_names_out()


def test_tfidf_equals_scikit_learn_on_the_texts(capsys, tiny_dir, tiny_docs):
    table = table_of(capsys, "tfidf", "--ngram-range", "1", "--top-n", "2", "--corpus", str(tiny_dir))
    texts = dict(zip(tiny_docs["doc_id"], tiny_docs["text"]))
    matrix, names = sklearn_tfidf([texts["a_official"], texts["c_2024"]])
    for row, doc_id in enumerate(["a_official", "c_2024"]):
        weights = dict(zip(names, matrix[row].toarray().ravel()))
        mine = table[table["group"] == doc_id]
        assert mine["rank"].tolist() == [1, 2]
        for term, value in zip(mine["term"], mine["tfidf"]):
            assert value == pytest.approx(weights[term])
        assert mine["tfidf"].iloc[0] == pytest.approx(max(weights.values()))
    c = table[table["group"] == "c_2024"]
    assert c["term"].tolist() == ["security", "trade"] and c["count"].tolist() == [3, 2]


def test_keyness_equals_scipy(capsys, tiny_dir):
    table = table_of(capsys, "keyness", "--by", "period", "--target", "late", "--min-count", "1",
                     "--corpus", str(tiny_dir))
    stop = stop_word_list()
    late, early = TOKENS["c_2024"], TOKENS["a_official"]
    terms = sorted({w for w in late + early if w not in stop})
    assert sorted(table["term"]) == terms
    first = table.iloc[0]
    assert first["term"] == "security"
    a, b, c, d = 3, 0, len(late), len(early)
    assert (first["freq_target"], first["freq_reference"], first["size_target"], first["size_reference"]) == \
        (a, b, c, d)
    g2, p, _, _ = stats.chi2_contingency([[a, b], [c - a, d - b]], correction=False, lambda_="log-likelihood")
    assert first["g2"] == pytest.approx(g2)
    assert first["p_value"] == pytest.approx(p)
    assert first["p_adjusted"] == pytest.approx(min(1.0, len(terms) * p))  # Holm: the smallest p times m
    assert first["log_ratio"] == pytest.approx(np.log2((3 / 18) / (0.5 / 13)))  # a zero count counts 0.5
    trade = table.set_index("term").loc["trade"]
    g2, _, _, _ = stats.chi2_contingency([[2, 1], [16, 12]], correction=False, lambda_="log-likelihood")
    assert trade["g2"] == pytest.approx(g2)  # more in the target than expected: positive
    cooperation = table.set_index("term").loc["cooperation"]
    g2, _, _, _ = stats.chi2_contingency([[0, 1], [18, 12]], correction=False, lambda_="log-likelihood")
    assert cooperation["g2"] == pytest.approx(-g2)  # less than expected: signed negative


def test_keyness_of_each_group_and_top_n(capsys, tiny_dir):
    table = table_of(capsys, "keyness", "--by", "period", "--min-count", "1", "--top-n", "1",
                     "--corpus", str(tiny_dir))
    assert table["group"].tolist() == ["early", "late"]
    assert table["term"].iloc[1] == "security"


def test_similarity_equals_scikit_learn(capsys, tiny_dir, tiny_docs):
    texts = dict(zip(tiny_docs["doc_id"], tiny_docs["text"]))
    matrix, _ = sklearn_tfidf([texts["a_official"], texts["c_2024"]])
    cosine = float((matrix[0] @ matrix[1].T).toarray()[0, 0])
    pairs = table_of(capsys, "similarity", "--pairs", "--corpus", str(tiny_dir))
    assert pairs[["doc_a", "doc_b"]].values.tolist() == [["a_official", "c_2024"]]
    assert pairs["cosine"].iloc[0] == pytest.approx(cosine)
    square = table_of(capsys, "similarity", "--corpus", str(tiny_dir))
    assert square.columns.tolist() == ["doc_id", "a_official", "c_2024"]
    np.testing.assert_allclose(square.set_index("doc_id").to_numpy(float), [[1.0, cosine], [cosine, 1.0]])
    every = table_of(capsys, "similarity", "--pairs", "--all-versions", "--corpus", str(tiny_dir))
    assert len(every) == 3  # three documents, three pairs


def test_table_format_has_the_columns_as_header(capsys, tiny_dir):
    code, out, _ = run(capsys, "freq", "--by", "corpus", "--top-n", "1", "--corpus", str(tiny_dir))
    assert code == 0
    assert out.splitlines()[0].split() == ["group", "term", "count", "per_10k", "range", "n_docs"]
    assert out.splitlines()[1].split()[:3] == ["corpus", "security", "3"]


def test_keyness_table_fits_100_columns_and_names_what_it_leaves_out(capsys, monkeypatch):
    """On the project corpus the keyness table has 13 columns; the table format keeps the ones a reader needs,
    within 100 characters, with the interval in one column, and says on stderr how to see the rest."""
    monkeypatch.delenv("COLUMNS", raising=False)
    code, out, err = run(capsys, "keyness", "--by", "year", "--target", "2024", "--reference", "2022",
                         "--top-n", "8")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].split() == ["term", "freq_target", "freq_reference", "size_target", "g2", "p_adjusted",
                                "log_ratio", "log_ratio_ci"]
    csv = table_of(capsys, "keyness", "--by", "year", "--target", "2024", "--reference", "2022", "--top-n", "8")
    xi = csv.set_index("term").loc["xi"]
    row = next(line.split() for line in lines if line.startswith("xi "))
    # numbers rounded to 4 significant digits; the interval as the CSV gives it, to 2 decimals
    assert row[:4] == ["xi", str(int(xi["freq_target"])), str(int(xi["freq_reference"])), str(int(xi["size_target"]))]
    assert float(row[4]) == pytest.approx(xi["g2"], rel=1e-3)
    assert row[-3:] == [f"{xi['log_ratio_ci_low']:.2f}", "to", f"{xi['log_ratio_ci_high']:.2f}"]
    assert "left out to fit 100 characters: size_reference, range_target, range_reference, p_value" in err
    assert "--format csv" in err
    monkeypatch.setenv("COLUMNS", "160")                             # a wider terminal shows more
    code, out, err = run(capsys, "keyness", "--by", "year", "--target", "2024", "--reference", "2022",
                         "--top-n", "8")
    assert "p_value" in out.splitlines()[0] and max(len(line) for line in out.splitlines()) <= 160


def test_every_table_of_the_project_fits_100_columns(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    for argv in (["corpus"], ["claims"], ["claims", "--trade"], ["renderings"], ["candidates"],
                 ["frames", "--shift", "2022", "2024"], ["collocations", "trade"], ["bundles"],
                 ["keyness", "--by", "year", "--top-n", "3"], ["freq", "--top-n", "3"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, (argv, err)
        assert max(len(line) for line in out.splitlines()) <= 100, argv


def test_table_cells_are_rounded_blank_when_missing_and_hashes_short():
    from rhetoric.cli.output import format_table

    table = pd.DataFrame({"doc_id": ["a", "b"], "year": [2022.0, np.nan], "share": [0.123456, 1 / 3],
                          "sha256": ["0" * 64, "f" * 64]})
    text, hidden = format_table(table, width=100)
    assert hidden == []
    assert text.splitlines() == ["doc_id  year   share  sha256",
                                 "a       2022  0.1235  000000000000…",
                                 "b             0.3333  ffffffffffff…"]
    assert format_table(table, width=20) == ("doc_id  year   share\na       2022  0.1235\nb             0.3333",
                                             ["sha256"])


@pytest.mark.parametrize("argv, message", [
    (["keyness", "--by", "decade", "--target", "x"], "unknown grouping column 'decade'"),
    (["keyness", "--by", "period", "--target", "middle"], "values are: early, late"),
    (["keyness", "--by", "period", "--reference", "late"], "--reference needs --target"),
    (["freq", "--by", "decade"], "unknown grouping column 'decade'"),
    (["freq", "--by", "text"], "unknown grouping column 'text'"),
    (["freq", "--by", "offsets"], "unknown grouping column 'offsets'"),
    (["tfidf", "--by", "raw_text"], "unknown grouping column 'raw_text'"),
    (["dispersion", "--positions"], "--positions needs at least one TERM"),
    (["dispersion", "--parts", "1000"], "parts=1000"),
])
def test_bad_input_exits_2_with_one_line(capsys, tiny_dir, argv, message):
    code, out, err = run(capsys, *argv, "--corpus", str(tiny_dir))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_ngram_range_is_an_argument_error(capsys, tiny_dir):
    with pytest.raises(SystemExit) as exc:
        main(["freq", "--ngram-range", "3-1", "--corpus", str(tiny_dir)])
    assert exc.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == ("rhetoric freq: error: argument --ngram-range: '3-1': the longest n, 1, is below the shortest, "
                    "3; write N or MIN-MAX with MIN <= MAX <= 12, e.g. 2 or 1-3")
