"""Levels of the formula lexicon: counts at each formula's own level and rolled up to its broader ones.

Every expected number is counted by reading the texts below (written for this test) or taken from the hand
counts of the five texts (test_formulas.HAND_COUNTS) and added up along the broader links written out here,
not computed with the functions tested.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_corpus
from test_formulas import DOC_ORDER, HAND_COUNTS

from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ParameterError
from rhetoric.formulas.counts import (
    first_last_appearance,
    formula_counts,
    formula_hits,
    formula_matrix,
    formula_timeline,
    rolled_up_hits,
)
from rhetoric.formulas.lexicon import formula_levels, load_formula_lexicon

TEXTS = {
    # doc_id: (date, translation_group, translation, period, text)
    "bri": ("2023-10", "", "", "late",
            "Both sides will promote high-quality Belt and Road cooperation. The Belt and Road links them."),
    "family": ("2023-05", "", "", "late",
               "They build a China-Central Asia community with a shared future. China and Kazakhstan build the "
               "China-Kazakhstan community with a shared future. All build a community with a shared future "
               "for mankind. 双方构建中哈命运共同体。"),
    "ladder": ("2022-01", "", "", "early",
               "From strategic partners to a comprehensive strategic partnership, and on to a permanent "
               "comprehensive strategic partnership."),
    "none": ("2022-02", "", "", "early", "Trade grew."),
}
"""By hand, at the own level:
bri     high_quality_belt_and_road 1 ("high-quality Belt and Road cooperation"), belt_and_road 1
family  china_central_asia_community 1, china_kazakhstan_community 2 (the English and 中哈命运共同体),
        community_shared_future 1 ("... for mankind")
ladder  strategic_partnership 1 ("strategic partners"), comprehensive_strategic_partnership 1,
        permanent_comprehensive_strategic_partnership 1
none    nothing
"""
BROADER = {  # the lexicon's broader links used here, written out
    "high_quality_belt_and_road": "belt_and_road",
    "china_central_asia_community": "community_shared_future",
    "china_kazakhstan_community": "bilateral_community",
    "bilateral_community": "community_shared_future",
    "comprehensive_strategic_partnership": "strategic_partnership",
    "permanent_comprehensive_strategic_partnership": "comprehensive_strategic_partnership",
}
OWN = {
    "bri": {"high_quality_belt_and_road": 1, "belt_and_road": 1},
    "family": {"china_central_asia_community": 1, "china_kazakhstan_community": 2, "community_shared_future": 1},
    "ladder": {"strategic_partnership": 1, "comprehensive_strategic_partnership": 1,
               "permanent_comprehensive_strategic_partnership": 1},
    "none": {},
}
ROLLED = {  # own + every narrower formula below, added by hand
    "bri": {"high_quality_belt_and_road": 1, "belt_and_road": 1 + 1},
    "family": {"china_central_asia_community": 1, "china_kazakhstan_community": 2, "bilateral_community": 2,
               "community_shared_future": 1 + 1 + 2},
    "ladder": {"permanent_comprehensive_strategic_partnership": 1, "comprehensive_strategic_partnership": 1 + 1,
               "strategic_partnership": 1 + 1 + 1},
    "none": {},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    docs = load_corpus(write_corpus(tmp_path_factory.mktemp("levels"), TEXTS))
    tokens = tokenize(docs, cache=False)
    return docs, tokens, formula_hits(tokens, docs)


def _nonzero(table: pd.DataFrame) -> dict:
    return {g: {f: c for gg, f, c in zip(table["group"], table["formula_id"], table["count"]) if gg == g and c}
            for g in dict.fromkeys(table["group"])}


def test_the_lexicon_links_are_those_written_here():
    levels = formula_levels(load_formula_lexicon()).set_index("formula_id")
    for narrow, broad in BROADER.items():
        assert levels.loc[narrow, "broader"] == broad
    assert levels.loc["belt_and_road", "broader"] == "" and levels.loc["belt_and_road", "depth"] == 0
    assert levels.loc["china_kazakhstan_community", "ancestors"] == ("bilateral_community", "community_shared_future")
    assert levels.loc["permanent_comprehensive_strategic_partnership", "family"] == "strategic_partnership"


def test_own_and_rolled_up_counts_by_hand(corpus):
    docs, tokens, hits = corpus
    own = formula_counts(tokens, docs, hits=hits)
    assert own.attrs["level"] == "own"
    assert _nonzero(own) == OWN
    rolled = formula_counts(tokens, docs, hits=hits, level="rolled_up")
    assert list(rolled.columns) == list(own.columns)
    assert _nonzero(rolled) == ROLLED
    # the example: one "high-quality Belt and Road cooperation" and one "Belt and Road": 1 + 1, and 2
    assert OWN["bri"] == {"high_quality_belt_and_road": 1, "belt_and_road": 1}
    assert ROLLED["bri"]["belt_and_road"] == 2
    # per 10,000 tokens at each level: "bri" has 15 tokens (both sides will promote high-quality belt and road
    # cooperation = 9 | the belt and road links them = 6)
    row = rolled.set_index(["group", "formula_id"]).loc[("bri", "belt_and_road")]
    assert (row["n_tokens"], row["per_10k"]) == (15, pytest.approx(2 * 10_000 / 15))


def test_both_levels_in_one_table(corpus):
    docs, tokens, hits = corpus
    both = formula_counts(tokens, docs, hits=hits, by="period", level="both")
    assert list(both.columns) == ["group", "formula_id", "level", "count", "per_10k", "n_docs", "n_tokens"]
    assert both["level"].tolist()[:4] == ["own", "rolled_up", "own", "rolled_up"]  # each formula's two rows together
    rows = both.set_index(["group", "formula_id", "level"])["count"]
    # period "late" = bri + family, "early" = ladder + none
    assert rows[("late", "belt_and_road", "own")] == 1 and rows[("late", "belt_and_road", "rolled_up")] == 2
    assert rows[("late", "community_shared_future", "own")] == 1
    assert rows[("late", "community_shared_future", "rolled_up")] == 4
    assert rows[("early", "strategic_partnership", "rolled_up")] == 3
    assert both.set_index(["group", "formula_id", "level"]).loc[("early", "strategic_partnership", "own"),
                                                                 "n_docs"] == 2
    with pytest.raises(ParameterError, match="level='narrow'"):
        formula_counts(tokens, docs, hits=hits, level="narrow")


def test_rolled_up_hits_matrix_and_first_appearance(corpus):
    docs, tokens, hits = corpus
    lexicon = load_formula_lexicon()
    ck = hits[hits["formula_id"] == "china_kazakhstan_community"]
    up = rolled_up_hits(ck, lexicon)
    assert up["formula_id"].tolist() == ["china_kazakhstan_community", "bilateral_community",
                                         "community_shared_future"] * 2
    assert up["own_formula_id"].tolist() == ["china_kazakhstan_community"] * 6
    assert up["depth_up"].tolist() == [0, 1, 2, 0, 1, 2]
    matrix = formula_matrix(tokens, docs, hits=hits, level="rolled_up")
    assert matrix.loc["family", "community_shared_future"] == 4 and matrix.loc["bri", "belt_and_road"] == 2
    assert matrix.loc["none"].sum() == 0
    first = first_last_appearance(tokens, docs, hits=hits, level="rolled_up").set_index("formula_id")
    # strategic_partnership (any rung): only in "ladder"; belt_and_road: only in "bri"
    assert first.loc["strategic_partnership", ["first_doc", "n_docs"]].tolist() == ["ladder", 1]
    assert first.loc["bilateral_community", ["first_doc", "n_docs"]].tolist() == ["family", 1]
    own = first_last_appearance(tokens, docs, hits=hits).set_index("formula_id")
    assert own.loc["bilateral_community", "n_docs"] == 0  # no bilateral community other than China-Kazakhstan


def test_timeline_at_both_levels(corpus):
    docs, tokens, hits = corpus
    table = formula_timeline(tokens, docs, hits=hits, level="both")
    # documents by date: ladder (2022-01), none (2022-02), family (2023-05), bri (2023-10)
    assert table["doc_id"].drop_duplicates().tolist() == ["ladder", "none", "family", "bri"]
    row = table.set_index(["doc_id", "formula_id", "level"])
    assert row.loc[("family", "community_shared_future", "rolled_up"), "count"] == 4
    assert row.loc[("none", "belt_and_road", "own"), "count"] == 0  # zeros kept for formulas found somewhere
    assert "golden_thirty_years" not in set(table["formula_id"])    # found nowhere: left out


def test_the_five_texts_rolled_up_from_the_hand_counts(project_docs, project_tokens):
    """Rolled up = the hand counts of test_formulas.py added up along the broader links (every link of the
    lexicon, written out here)."""
    links = dict(BROADER, **{
        "sco_community": "community_shared_future", "health_community": "community_shared_future",
        "global_development_community": "community_shared_future",
        "all_weather_partnership": "comprehensive_strategic_partnership",
        "head_of_state_guidance": "head_of_state_diplomacy", "thematic_silk_road": "belt_and_road",
        "global_development_initiative": "three_global_initiatives",
        "global_security_initiative": "three_global_initiatives",
        "global_civilization_initiative": "three_global_initiatives"})
    lexicon = load_formula_lexicon()
    assert dict(formula_levels(lexicon).query("broader != ''")[["formula_id", "broader"]].values) == links
    expected = {}
    for doc in DOC_ORDER:
        counts: dict[str, int] = {}
        for fid, n in HAND_COUNTS[doc].items():
            at = fid
            while at:
                counts[at] = counts.get(at, 0) + n
                at = links.get(at)
        expected[doc] = counts
    rolled = formula_counts(project_tokens, project_docs, all_versions=True, level="rolled_up")
    assert _nonzero(rolled) == expected
    # for example: zhang2023 has 2 global + 1 China-Kazakhstan communities; three initiatives in one sentence
    assert expected["zhang2023_newyear"]["community_shared_future"] == 3
    assert expected["zhang2023_newyear"]["three_global_initiatives"] == 3
    assert expected["zhang2023_newyear"]["belt_and_road"] == 3 + 4
