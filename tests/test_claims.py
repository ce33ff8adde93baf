"""Numeric claims: every figure of the five texts, found by reading them, kept as literal rows.

The expected rows below were made by reading each text in ``data/raw/`` and
listing every quantitative claim (what it measures, its unit and the period it
covers), then checked against the extractor. Not claims, by the documented
rules: years and dates ("September 13, 2022", "in 1992", "(602-664)"), names
("COVID-19"), event ordinals ("20th National Congress", "22nd meeting", "3rd Belt
and Road Forum", "11th Meeting"), discourse ordinals ("First, ..."), "the two
countries", "three forces of evil", "ten thousand miles" (a proverb), "thousands
of years", "the first seven months" (a period, not a count).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ParameterError
from rhetoric.formulas.claims import CLAIM_COLUMNS, numeric_claims, parse_number_words, trade_figures

# (doc_id, text, kind, value, unit, measure, period_covered, qualifier), in document order
EXPECTED = [
    # zhang2022_visit
    ('zhang2022_visit', '30th anniversary', 'anniversary', 30, 'years', 'anniversary', '', ''),
    ('zhang2022_visit', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('zhang2022_visit', '30 years', 'duration', 30, 'years', 'golden years', '', ''),
    ('zhang2022_visit', '18.9 percent', 'percent', 18.9, 'percent', 'bilateral trade growth', 'the first seven months of this year', ''),
    ('zhang2022_visit', '$17.67 billion', 'money', 17.67, 'USD', 'bilateral trade', 'the first seven months of this year', ''),
    ('zhang2022_visit', '52 projects', 'count', 52, 'projects', 'joint projects', '', ''),
    ('zhang2022_visit', '$21.2 billion', 'money', 21.2, 'USD', 'investment', '', 'more than'),
    ('zhang2022_visit', '6,195 China-Europe freight trains', 'count', 6195, 'trains', 'freight trains', 'the first half of this year', 'record'),
    ('zhang2022_visit', 'five Confucius Institutes', 'count', 5, 'institutes', 'Confucius Institutes', '', ''),
    ('zhang2022_visit', '3,000 people', 'count', 3000, 'people', 'people', 'each year', 'over'),
    ('zhang2022_visit', '19 pairs of sister provinces and cities', 'count', 19, 'pairs', 'sister cities', '', ''),
    ('zhang2022_visit', '14 days', 'duration', 14, 'days', 'visa-free stay', '', 'up to'),
    # xi2022_unofficial
    ('xi2022_unofficial', '5 years', 'duration', 5, 'years', 'duration', '', ''),
    ('xi2022_unofficial', 'fourth time', 'ordinal', 4, 'visits', 'visits', '', ''),
    ('xi2022_unofficial', 'thousand-year', 'duration', 1000, 'years', 'history', '', ''),
    ('xi2022_unofficial', '30th anniversary', 'anniversary', 30, 'years', 'anniversary', '', ''),
    ('xi2022_unofficial', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_unofficial', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_unofficial', '$25 billion', 'money', 25, 'USD', 'bilateral trade', 'last year', ''),
    ('xi2022_unofficial', '52 joint projects', 'count', 52, 'projects', 'joint projects', '', ''),
    ('xi2022_unofficial', '21.2 billion US dollars', 'money', 21.2, 'USD', 'investment', '', 'more than'),
    ('xi2022_unofficial', '100 MW', 'count', 100, 'MW', 'power capacity', '', ''),
    ('xi2022_unofficial', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_unofficial', '5 automobile checkpoints', 'count', 5, 'crossings', 'border crossings', '', ''),
    ('xi2022_unofficial', '2 railway checkpoints', 'count', 2, 'crossings', 'border crossings', '', ''),
    ('xi2022_unofficial', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_unofficial', '5 Confucius Institutes', 'count', 5, 'institutes', 'Confucius Institutes', '', ''),
    ('xi2022_unofficial', '4 Chinese universities', 'count', 4, 'universities', 'universities', '', ''),
    ('xi2022_unofficial', '2 Chinese universities', 'count', 2, 'universities', 'universities', '', ''),
    ('xi2022_unofficial', '200,000 Chinese patients', 'count', 200000, 'patients', 'patients treated', '', ''),
    ('xi2022_unofficial', '24 years', 'duration', 24, 'years', 'duration', '', ''),
    ('xi2022_unofficial', '10 years', 'duration', 10, 'years', 'duration', '', ''),
    ('xi2022_unofficial', 'top 30', 'rank', 30, 'rank', 'development rank', '', ''),
    ('xi2022_unofficial', '30th anniversary', 'anniversary', 30, 'years', 'golden years', '', ''),
    # xi2022_xinhua
    ('xi2022_xinhua', 'five years', 'duration', 5, 'years', 'duration', '', ''),
    ('xi2022_xinhua', 'fourth visit', 'ordinal', 4, 'visits', 'visits', '', ''),
    ('xi2022_xinhua', '30th anniversary', 'anniversary', 30, 'years', 'anniversary', '', ''),
    ('xi2022_xinhua', 'three decades', 'duration', 3, 'years', 'years of relations', '', ''),
    ('xi2022_xinhua', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_xinhua', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_xinhua', 'US$25 billion', 'money', 25, 'USD', 'bilateral trade', 'last year', 'above'),
    ('xi2022_xinhua', '52 projects', 'count', 52, 'projects', 'joint projects', '', ''),
    ('xi2022_xinhua', 'US$21.2 billion', 'money', 21.2, 'USD', 'investment', '', 'more than'),
    ('xi2022_xinhua', '100-MW', 'count', 100, 'MW', 'power capacity', '', ''),
    ('xi2022_xinhua', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_xinhua', 'five road crossings', 'count', 5, 'crossings', 'border crossings', '', ''),
    ('xi2022_xinhua', 'two rail crossings', 'count', 2, 'crossings', 'border crossings', '', ''),
    ('xi2022_xinhua', '30 years', 'duration', 30, 'years', 'years of relations', '', ''),
    ('xi2022_xinhua', 'five Confucius Institutes', 'count', 5, 'institutes', 'Confucius Institutes', '', ''),
    ('xi2022_xinhua', 'four universities', 'count', 4, 'universities', 'universities', '', ''),
    ('xi2022_xinhua', 'two', 'count', 2, 'universities', 'universities', '', ''),
    ('xi2022_xinhua', '24 years', 'duration', 24, 'years', 'duration', '', ''),
    ('xi2022_xinhua', '200,000 Chinese patients', 'count', 200000, 'patients', 'patients treated', '', 'nearly'),
    ('xi2022_xinhua', 'tenth anniversary', 'anniversary', 10, 'years', 'anniversary', '', ''),
    ('xi2022_xinhua', 'top 30', 'rank', 30, 'rank', 'development rank', '', ''),
    ('xi2022_xinhua', 'thirty years', 'duration', 30, 'years', 'golden years', '', ''),
    # zhang2023_newyear
    ('zhang2023_newyear', '5.2%', 'percent', 5.2, 'percent', 'GDP growth', 'the first three quarters', ''),
    ('zhang2023_newyear', 'doubling', 'multiple', 2, 'times', 'GDP target', 'by 2029', ''),
    ('zhang2023_newyear', 'thirty years', 'duration', 30, 'years', 'golden years', '', ''),
    ('zhang2023_newyear', 'two official visits', 'count', 2, 'visits', 'visits', '', ''),
    ('zhang2023_newyear', '10th anniversary', 'anniversary', 10, 'years', 'anniversary', '', ''),
    ('zhang2023_newyear', '$36.87 billion', 'money', 36.87, 'USD', 'bilateral trade', 'the first eleven months', ''),
    ('zhang2023_newyear', '31.1%', 'percent', 31.1, 'percent', 'bilateral trade growth', 'the first eleven months', ''),
    ('zhang2023_newyear', 'fifth largest', 'rank', 5, 'rank', 'investment rank', '', ''),
    ('zhang2023_newyear', '75th anniversary', 'anniversary', 75, 'years', 'anniversary', '', ''),
    # cgtn2024_visit
    ('cgtn2024_visit', 'fifth visit', 'ordinal', 5, 'visits', 'visits', '', ''),
    ('cgtn2024_visit', 'second visit', 'ordinal', 2, 'visits', 'visits', '', ''),
    ('cgtn2024_visit', 'two years', 'duration', 2, 'years', 'duration', '', 'less than'),
    ('cgtn2024_visit', '32 years', 'duration', 32, 'years', 'years of relations', '', ''),
    ('cgtn2024_visit', 'three decades', 'duration', 3, 'years', 'years of relations', '', ''),
    ('cgtn2024_visit', '32 percent', 'percent', 32, 'percent', 'bilateral trade growth', '2023', ''),
    ('cgtn2024_visit', '$41 billion', 'money', 41, 'USD', 'bilateral trade', '2023', ''),
    ('cgtn2024_visit', 'doubling', 'multiple', 2, 'times', 'bilateral trade target', 'at an early date', ''),
]


@pytest.fixture(scope="module")
def project_claims(project_docs, project_tokens):
    return numeric_claims(project_tokens, project_docs)


def test_every_claim_of_the_five_texts(project_claims):
    assert list(project_claims.columns) == list(CLAIM_COLUMNS)
    found = [(r.doc_id, r.text, r.kind, r.value, r.unit, r.measure, r.period_covered, r.qualifier)
             for r in project_claims.itertuples()]
    assert len(found) == len(EXPECTED) == 73
    for got, want in zip(found, EXPECTED):
        assert got[:3] == want[:3] and got[4:] == want[4:], (got, want)
        assert got[3] == pytest.approx(want[3])


def test_claims_normalized_values_and_context(project_claims, project_docs):
    c = project_claims.set_index(["doc_id", "text"])
    row = c.loc[("zhang2022_visit", "$17.67 billion")]
    assert row["scale"] == "billion" and row["value_normalized"] == pytest.approx(17.67e9)
    assert row["date"] == "2022-09" and row["date_start"] == pd.Timestamp("2022-09-01")
    assert row["sentence"].startswith("Bilateral trade between China and Kazakhstan surged 18.9 percent")
    decades = c.loc[("xi2022_xinhua", "three decades")]
    assert decades["scale"] == "decade" and decades["value_normalized"] == 30
    texts = project_docs.set_index("doc_id")["text"]
    for r in project_claims.itertuples():  # offsets point at the claim in the cleaned text
        assert " ".join(texts[r.doc_id][r.start:r.end].split()) == r.text


def test_translations_report_the_same_figures(project_claims):
    money = project_claims[project_claims["kind"] == "money"]
    official = money[money["doc_id"] == "xi2022_xinhua"][["value", "unit", "measure"]].values.tolist()
    unofficial = money[money["doc_id"] == "xi2022_unofficial"][["value", "unit", "measure"]].values.tolist()
    assert official == unofficial == [[25.0, "USD", "bilateral trade"], [21.2, "USD", "investment"]]


def test_trade_figures_over_time(project_claims, project_docs):
    trade = trade_figures(project_claims, project_docs)
    assert trade["doc_id"].tolist() == ["zhang2022_visit", "xi2022_xinhua", "zhang2023_newyear", "cgtn2024_visit"]
    assert trade["value"].tolist() == [17.67, 25.0, 36.87, 41.0]
    assert trade["value_normalized"].tolist() == [17.67e9, 25e9, 36.87e9, 41e9]
    assert trade["period_year"].tolist() == [2022, 2021, 2023, 2023]
    assert trade["months"].tolist() == [7, 12, 11, 12]
    np.testing.assert_allclose(trade["growth_percent"], [18.9, np.nan, 31.1, 32.0])
    assert trade["label"].tolist() == [
        "2022, first 7 months: 17.67 billion USD (zhang2022_visit)", "2021: above 25 billion USD (xi2022_xinhua)",
        "2023, first 11 months: 36.87 billion USD (zhang2023_newyear)", "2023: 41 billion USD (cgtn2024_visit)"]
    # "above the US$25 billion mark": a lower bound, not exactly 25
    assert trade["qualifier"].tolist() == ["", "above", "", ""]
    assert trade["bound"].tolist() == ["exact", "lower", "exact", "exact"]
    every_version = trade_figures(project_claims, project_docs, all_versions=True)
    assert every_version["doc_id"].tolist().count("xi2022_unofficial") == 1 and len(every_version) == 5


SENTENCES = {
    "s1": ("2021-06", "", "", "p",
           "Trade grew 31.5 percent to $21.2 billion in the first seven months of this year. "
           "Investment rose 4.5% last year.\n\n"
           "On September 13, 2022, since 1992 and during COVID-19, the two countries met 3 times. "
           "There are 12 joint ventures and seven Confucius Institutes; nine have opened new classes.\n\n"
           "Exports reached RMB 3.5 billion in 2020, and 1,200 freight trains ran. "
           "The 20th Congress marked the 40th anniversary; the first project opened."),
}


def test_rules_on_made_up_sentences(tmp_path):
    docs = load_corpus(write_corpus(tmp_path / "claims", SENTENCES))
    claims = numeric_claims(tokenize(docs, cache=False), docs)
    got = [(r.text, r.kind, r.value, r.unit, r.scale, r.measure, r.period_covered) for r in claims.itertuples()]
    assert got == [
        ("31.5 percent", "percent", 31.5, "percent", "", "bilateral trade growth",
         "the first seven months of this year"),
        ("$21.2 billion", "money", 21.2, "USD", "billion", "bilateral trade", "the first seven months of this year"),
        ("4.5%", "percent", 4.5, "percent", "", "investment growth", "last year"),
        ("3 times", "count", 3.0, "times", "", "count", "since 1992"),
        ("12 joint ventures", "count", 12.0, "joint ventures", "", "count", ""),
        ("seven Confucius Institutes", "count", 7.0, "institutes", "", "Confucius Institutes", ""),
        ("nine", "count", 9.0, "institutes", "", "Confucius Institutes", ""),
        ("RMB 3.5 billion", "money", 3.5, "CNY", "billion", "bilateral trade", "2020"),
        ("1,200 freight trains", "count", 1200.0, "trains", "", "freight trains", "2020"),
        ("40th anniversary", "anniversary", 40.0, "years", "", "anniversary", ""),
    ]
    assert claims["value_normalized"].tolist()[:2] == [31.5, 21.2e9]
    assert claims["sentence_id"].tolist()[:3] == [0, 0, 1]
    assert set(claims["doc_id"]) == {"s1"} and (claims["date"] == "2021-06").all()


def test_trade_figures_on_another_corpus(tmp_path):
    texts = {"t1": ("2019-05", "", "", "p", "Bilateral trade reached $10.5 billion last year."),
             "t2": ("2020-12", "", "", "p", "In the first half of this year, two-way trade rose 12% to $6 billion.")}
    docs = load_corpus(write_corpus(tmp_path / "trade", texts))
    trade = trade_figures(numeric_claims(tokenize(docs, cache=False), docs), docs)
    assert trade[["doc_id", "value", "period_year", "months"]].values.tolist() == [["t1", 10.5, 2018.0, 12.0],
                                                                                   ["t2", 6.0, 2020.0, 6.0]]
    assert trade["growth_percent"].tolist()[1] == 12.0


@pytest.mark.parametrize("sentence, qualifier, bound", [
    ("Bilateral trade reached $9 billion last year.", "", "exact"),
    ("Bilateral trade exceeded $9 billion last year.", "exceeded", "lower"),
    ("Bilateral trade reached over $9 billion last year.", "over", "lower"),
    ("Bilateral trade reached more than $9 billion last year.", "more than", "lower"),
    ("Bilateral trade reached nearly $9 billion last year.", "nearly", "upper"),
    ("Bilateral trade reached about $9 billion last year.", "about", "approximate"),
])
def test_trade_figures_carry_the_qualifier_as_a_bound(tmp_path, sentence, qualifier, bound):
    docs = load_corpus(write_corpus(tmp_path / "q", {"q1": ("2019-05", "", "", "p", sentence)}))
    trade = trade_figures(numeric_claims(tokenize(docs, cache=False), docs), docs)
    assert trade[["qualifier", "bound"]].values.tolist() == [[qualifier, bound]]
    assert trade["label"].iloc[0] == f"2018: {qualifier + ' ' if qualifier else ''}9 billion USD (q1)"


@pytest.mark.parametrize("words, value", [("three", 3), ("a thousand", 1000), ("twenty-two", 22),
                                          ("two hundred", 200), ("ten thousand", 10_000), ("thirty", 30)])
def test_parse_number_words(words, value):
    assert parse_number_words(words) == value


def test_claims_errors():
    with pytest.raises(ParameterError, match="numeric_claims"):
        trade_figures(pd.DataFrame({"doc_id": []}))
