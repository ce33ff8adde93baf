"""Frame lexicon, frame hits, shares, bootstrap intervals and shifts.

The tiny corpus below is made so that every share can be counted by hand; the
bootstrap is checked against a plain loop written here from the documented
recipe (one generator per group, ``default_rng([seed, crc32(str(group))])``).
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from rhetoric import config
from rhetoric.corpus import load_corpus
from rhetoric.errors import LexiconError, ParameterError
from rhetoric.corpus import tokenize
from rhetoric.formulas.framing import (frame_definitions, frame_hits, frame_share_intervals, frame_shares,
                                       frame_shift, group_rng, load_frame_lexicon)
from rhetoric.formulas.lexicon import sequence_key
from rhetoric.patterns import find, pattern_sequences

LEXICON = """\
name: tiny frames
frames:
  - id: history
    label: History
    description: the past
    source: made up for the tests
    terms:
      - silk road
  - id: economy
    label: Economy
    terms:
      - trade
      - economic
  - id: connectivity
    label: Connectivity
    terms:
      - silk road economic belt
  - id: security
    label: Security
    terms:
      - security
"""
FRAMES = ["history", "economy", "connectivity", "security"]

TEXTS = {
    # doc_id: (date, translation_group, translation, period, text)
    "a2022": ("2022-03-01", "g", "official", "early",
              "Trade and trade. Security.\n\nThe Silk Road Economic Belt."),
    "u2022": ("2022-03-02", "g", "unofficial", "early",
              "Trade. Trade. Trade."),
    "c2022": ("2022-05-01", "", "", "early",
              "History: the silk road."),
    "d2024": ("2024-07-04", "", "", "late",
              "Security and security.\n\nTrade.\n\nNothing here."),
}
"""By hand (lexicon above; "The Silk Road Economic Belt" is one connectivity hit, not history + economy):

a2022 p1 "Trade and trade. Security."       economy 2, security 1        4 tokens
a2022 p2 "The Silk Road Economic Belt."      connectivity 1               5 tokens
u2022 p1 "Trade. Trade. Trade."              economy 3 (unofficial: set aside by default)
c2022 p1 "History: the silk road."           history 1                    4 tokens
d2024 p1 "Security and security."            security 2                   3 tokens
d2024 p2 "Trade."                            economy 1                    1 token
d2024 p3 "Nothing here."                     -                            2 tokens

2022 (a2022 + c2022): history 1, economy 2, connectivity 1, security 1 -> 5 hits, 13 tokens, 3 paragraphs
2024 (d2024):         economy 1, security 2                            -> 3 hits,  6 tokens, 3 paragraphs
"""
PARAGRAPH_COUNTS = {  # paragraph x frame (FRAMES order), in corpus order within each year
    2022: np.array([[0, 2, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0]]),
    2024: np.array([[0, 0, 0, 2], [0, 1, 0, 0], [0, 0, 0, 0]]),
}


@pytest.fixture
def tiny(tmp_path):
    folder = write_corpus(tmp_path / "frames_corpus", TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "frames.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False), folder / "lexicons" / "frames.yml"


def loop_bootstrap(counts: np.ndarray, n_boot: int, seed: int, group) -> np.ndarray:
    """The documented bootstrap as a plain loop: one replicate at a time."""
    rng = np.random.default_rng([seed, zlib.crc32(str(group).encode("utf-8"))])
    n = counts.shape[0]
    reps = []
    for _ in range(n_boot):
        idx = np.floor(rng.random(n) * n).astype(int)
        drawn = counts[idx].sum(axis=0)
        reps.append(drawn / drawn.sum() if drawn.sum() > 0 else np.full(counts.shape[1], np.nan))
    return np.array(reps)


def loop_interval(reps: np.ndarray, level: float = 0.95):
    kept = reps[~np.isnan(reps).any(axis=1)]
    return (np.percentile(kept, 100 * (1 - level) / 2, axis=0), np.percentile(kept, 100 * (1 + level) / 2, axis=0))


# --------------------------------------------------------------------------- lexicon

def test_project_lexicon_has_the_nine_frames_documented():
    lexicon = load_frame_lexicon()
    defs = frame_definitions()
    assert list(defs["frame_id"]) == ["history", "friendship", "economy", "connectivity", "security", "people",
                                      "multilateral", "development", "green_tech"]
    assert (defs["description"].str.len() > 40).all() and (defs["source"].str.len() > 40).all()
    assert list(lexicon.columns[:4]) == ["frame_id", "label", "term", "pattern"]
    assert defs["n_terms"].sum() == len(lexicon)
    assert lexicon.attrs["path"] == str(config.FRAME_LEXICON)


def test_project_lexicon_terms_belong_to_one_frame_only(project_tokens):
    lexicon = load_frame_lexicon()
    owner = {}
    for frame_id, pattern in zip(lexicon["frame_id"], lexicon["pattern"]):
        for sequence in pattern_sequences(pattern):
            key = sequence_key(sequence)  # hyphens are loose: win-win is win win
            assert owner.setdefault(key, frame_id) == frame_id, (key, frame_id, owner[key])
    # and in the texts: no stretch is matched in full by the terms of two different frames
    spans = {}
    for frame_id, terms in lexicon.groupby("frame_id", sort=False):
        hits = find(project_tokens, terms[["pattern"]].reset_index(drop=True), overlapping=False)
        for key in zip(hits["doc_id"], hits["token_start"], hits["token_end"]):
            assert spans.setdefault(key, frame_id) == frame_id, (key, frame_id, spans[key])


def test_lexicon_refuses_a_term_in_two_frames(tmp_path):
    path = tmp_path / "frames.yml"
    path.write_text(LEXICON.replace("      - security\n", "      - security\n      - (trade|commerce)\n"))
    with pytest.raises(LexiconError) as err:
        load_frame_lexicon(path)
    message = str(err.value)
    assert f"{path}:22" in message and "'security'" in message and "'economy'" in message and "line 12" in message


@pytest.mark.parametrize("text, expected", [
    (LEXICON.replace("      - economic\n", "      - (economic\n"), [":13", "frame 'economy'", "(economic"]),
    (LEXICON.replace("    terms:\n      - security\n", ""), [":18", "frame 'security'", "no 'terms'"]),
    (LEXICON.replace("id: security", "id: history"), [":18", "'history' is used twice", "line 3"]),
    (LEXICON.replace("id: security", "id: Security Frame"), [":18", "id must be"]),
    (LEXICON.replace("    label: Economy\n", "    label: Economy\n    term: x\n"), [":11", "unknown key 'term'"]),
    (LEXICON.replace("      - trade\n", "      - ''\n"), [":12", "frame 'economy'", "term 1"]),
    ("frames: [\n", ["not valid YAML"]),
    ("- just a list\n", [":1", "'frames:'"]),
])
def test_lexicon_errors_name_file_line_and_frame(tmp_path, text, expected):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_frame_lexicon(path)
    assert str(path) in str(err.value)
    for part in expected:
        assert part in str(err.value)


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(LexiconError, match="frame lexicon not found"):
        load_frame_lexicon(tmp_path / "none.yml")


# --------------------------------------------------------------------------- hits

def test_multiword_terms_win_and_nothing_is_counted_twice(tiny):
    docs, tokens, _ = tiny
    hits = frame_hits(tokens, docs)
    a = hits[hits["doc_id"] == "a2022"]
    assert list(zip(a["frame"], a["match"])) == [("economy", "Trade"), ("economy", "trade"),
                                                 ("security", "Security"),
                                                 ("connectivity", "Silk Road Economic Belt")]
    c = hits[hits["doc_id"] == "c2022"]
    assert list(zip(c["frame"], c["match"])) == [("history", "silk road")]
    # every token is covered at most once
    for doc_id, group in hits.groupby("doc_id"):
        covered = np.concatenate([np.arange(s, e) for s, e in zip(group["token_start"], group["token_end"])])
        assert len(covered) == len(set(covered))


def test_project_hits_multiword_formulas_are_single_hits(project_tokens, project_docs):
    hits = frame_hits(project_tokens, project_docs)
    found = {(d, m.lower()): f for d, m, f in zip(hits["doc_id"], hits["match"], hits["frame"])}
    assert found[("xi2022_xinhua", "silk road economic belt")] == "connectivity"
    assert found[("xi2022_unofficial", "economic belt of the silk road")] == "connectivity"
    assert found[("xi2022_xinhua", "permanent comprehensive strategic partnership")] == "friendship"
    assert found[("xi2022_xinhua", "common, comprehensive, cooperative and sustainable security")] == "security"
    assert found[("cgtn2024_visit", "people-to-people exchanges")] == "people"
    assert found[("cgtn2024_visit", "trading partner")] == "economy"
    assert found[("xi2022_xinhua", "community with a shared future")] == "multilateral"
    # the words inside those phrases are not counted again on their own
    xinhua = hits[hits["doc_id"] == "xi2022_xinhua"]
    belt = xinhua[xinhua["match"].str.lower() == "silk road economic belt"].iloc[0]
    inside = xinhua[(xinhua["token_start"] >= belt["token_start"]) & (xinhua["token_end"] <= belt["token_end"])]
    assert len(inside) == 1


# --------------------------------------------------------------------------- shares

def test_shares_by_year_by_hand(tiny):
    docs, tokens, _ = tiny
    shares = frame_shares(tokens, docs, unit="year")
    assert list(shares.columns) == ["group", "frame", "label", "hits", "share", "per_10k", "n_units", "n_docs",
                                    "n_tokens"]
    assert shares["group"].tolist() == [2022] * 4 + [2024] * 4
    assert shares["frame"].tolist() == FRAMES * 2
    assert shares["hits"].tolist() == [1, 2, 1, 1, 0, 1, 0, 2]
    np.testing.assert_allclose(shares["share"], [1 / 5, 2 / 5, 1 / 5, 1 / 5, 0, 1 / 3, 0, 2 / 3])
    np.testing.assert_allclose(shares["per_10k"], [1e4 / 13, 2e4 / 13, 1e4 / 13, 1e4 / 13, 0, 1e4 / 6, 0, 2e4 / 6])
    assert shares["n_units"].tolist() == [3] * 4 + [3] * 4
    assert shares["n_docs"].tolist() == [2] * 4 + [1] * 4
    assert shares["n_tokens"].tolist() == [13] * 4 + [6] * 4
    caveat = shares.attrs["caveat"]
    assert "2022 rests on 2 documents (a2022, c2022)" in caveat and "2024 rests on 1 document (d2024)" in caveat
    assert "u2022" in caveat  # the translation set aside is named


def test_shares_keep_every_version_when_asked(tiny):
    docs, tokens, _ = tiny
    shares = frame_shares(tokens, docs, unit="year", all_versions=True)
    y2022 = shares[shares["group"] == 2022]
    assert y2022["hits"].tolist() == [1, 5, 1, 1]
    np.testing.assert_allclose(y2022["share"], [1 / 8, 5 / 8, 1 / 8, 1 / 8])
    assert y2022["n_docs"].iloc[0] == 3


def test_shares_per_document_and_paragraph(tiny):
    docs, tokens, _ = tiny
    by_doc = frame_shares(tokens, docs)
    assert by_doc["group"].unique().tolist() == ["a2022", "c2022", "d2024"]
    a = by_doc[by_doc["group"] == "a2022"]
    np.testing.assert_allclose(a["share"], [0, 2 / 4, 1 / 4, 1 / 4])
    assert a["n_units"].iloc[0] == 2 and a["n_docs"].iloc[0] == 1
    by_para = frame_shares(tokens, docs, unit="paragraph")
    assert by_para["group"].unique().tolist() == ["a2022:1", "a2022:2", "c2022:1", "d2024:1", "d2024:2", "d2024:3"]
    empty = by_para[by_para["group"] == "d2024:3"]
    assert empty["hits"].sum() == 0 and empty["share"].isna().all()
    np.testing.assert_allclose(by_para[by_para["group"] == "a2022:1"]["share"], [0, 2 / 3, 0, 1 / 3])


def test_shares_do_not_modify_input_and_are_deterministic(tiny):
    docs, tokens, _ = tiny
    before = docs.drop(columns=["offsets"]).copy()
    first = frame_shares(tokens, docs, unit="period").to_csv(index=False)
    assert first == frame_shares(tokens, docs, unit="period").to_csv(index=False)
    pd.testing.assert_frame_equal(docs.drop(columns=["offsets"]), before)
    assert "early,economy" in first


def test_bad_parameters(tiny):
    docs, tokens, _ = tiny
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'"):
        frame_shares(tokens, docs, unit="decade")
    with pytest.raises(ParameterError, match="by='paragraph'"):
        frame_share_intervals(tokens, docs, by="paragraph")
    with pytest.raises(ParameterError, match="n_boot=0"):
        frame_share_intervals(tokens, docs, n_boot=0)
    with pytest.raises(ParameterError, match="level=1.5"):
        frame_share_intervals(tokens, docs, level=1.5)
    with pytest.raises(ParameterError, match="to_group=2030 is not a group of 'year'; groups are: 2022, 2024"):
        frame_shift(tokens, docs, to_group=2030)
    with pytest.raises(ParameterError, match="both 2022"):
        frame_shift(tokens, docs, from_group=2022, to_group="2022")
    with pytest.raises(ParameterError, match="frames table lacks"):
        frame_shares(tokens, docs, pd.DataFrame({"term": ["x"]}))


# --------------------------------------------------------------------------- bootstrap

def test_intervals_equal_an_independent_loop(tiny):
    docs, tokens, _ = tiny
    iv = frame_share_intervals(tokens, docs, by="year", n_boot=500, seed=7)
    assert list(iv.columns) == ["group", "frame", "label", "hits", "share", "ci_low", "ci_high", "n_paragraphs",
                                "n_docs", "seed", "n_boot", "level"]
    for year, counts in PARAGRAPH_COUNTS.items():
        low, high = loop_interval(loop_bootstrap(counts, 500, 7, year))
        rows = iv[iv["group"] == year]
        np.testing.assert_allclose(rows["ci_low"], low, rtol=0, atol=1e-12)
        np.testing.assert_allclose(rows["ci_high"], high, rtol=0, atol=1e-12)
        np.testing.assert_allclose(rows["share"], counts.sum(0) / counts.sum())
        assert rows["n_paragraphs"].tolist() == [3] * 4
    assert iv["seed"].unique().tolist() == [7] and iv["n_boot"].unique().tolist() == [500]
    assert (iv["ci_low"] <= iv["share"] + 1e-12).all() and (iv["share"] <= iv["ci_high"] + 1e-12).all()


def test_intervals_reproducible_given_the_seed(tiny):
    docs, tokens, _ = tiny
    one = frame_share_intervals(tokens, docs, n_boot=300, seed=11)
    pd.testing.assert_frame_equal(one, frame_share_intervals(tokens, docs, n_boot=300, seed=11))
    other = frame_share_intervals(tokens, docs, n_boot=300, seed=12)
    assert not np.allclose(one["ci_low"], other["ci_low"]) or not np.allclose(one["ci_high"], other["ci_high"])


def test_intervals_blocks_do_not_change_the_draws(tiny, monkeypatch):
    import rhetoric.formulas.framing as framing

    docs, tokens, _ = tiny
    whole = frame_share_intervals(tokens, docs, n_boot=101, seed=3)
    monkeypatch.setattr(framing, "_BLOCK", 7)  # replicates drawn a few at a time
    pd.testing.assert_frame_equal(whole, frame_share_intervals(tokens, docs, n_boot=101, seed=3))


def test_identical_paragraphs_collapse_the_interval(tmp_path):
    text = "\n\n".join(["Trade and security."] * 4)
    folder = write_corpus(tmp_path / "same", {"x": ("2023", "", "", "p", text)})
    (tmp_path / "same" / "lexicons").mkdir()
    (tmp_path / "same" / "lexicons" / "frames.yml").write_text(LEXICON)
    docs = load_corpus(folder)
    iv = frame_share_intervals(tokenize(docs, cache=False), docs, n_boot=200)
    assert iv["share"].tolist() == [0, 0.5, 0, 0.5]
    assert iv["ci_low"].tolist() == iv["share"].tolist() and iv["ci_high"].tolist() == iv["share"].tolist()
    assert "2023 rests on 1 document (x)" in iv.attrs["caveat"]


def test_shift_equals_an_independent_loop(tiny):
    docs, tokens, _ = tiny
    shift = frame_shift(tokens, docs, by="year", from_group="2022", to_group=2024, n_boot=400, seed=5)
    assert list(shift.columns) == ["frame", "label", "from_group", "to_group", "share_from", "share_to", "diff",
                                   "ci_low", "ci_high", "n_docs_from", "n_docs_to", "n_paragraphs_from",
                                   "n_paragraphs_to", "seed", "n_boot", "level"]
    np.testing.assert_allclose(shift["share_from"], [1 / 5, 2 / 5, 1 / 5, 1 / 5])
    np.testing.assert_allclose(shift["share_to"], [0, 1 / 3, 0, 2 / 3])
    np.testing.assert_allclose(shift["diff"], [-1 / 5, 1 / 3 - 2 / 5, -1 / 5, 2 / 3 - 1 / 5])
    diffs = loop_bootstrap(PARAGRAPH_COUNTS[2024], 400, 5, 2024) - loop_bootstrap(PARAGRAPH_COUNTS[2022], 400, 5,
                                                                                  2022)
    low, high = loop_interval(diffs)
    np.testing.assert_allclose(shift["ci_low"], low, atol=1e-12)
    np.testing.assert_allclose(shift["ci_high"], high, atol=1e-12)
    assert shift["n_docs_from"].tolist() == [2] * 4 and shift["n_docs_to"].tolist() == [1] * 4
    assert shift["from_group"].tolist() == [2022] * 4 and shift["to_group"].tolist() == [2024] * 4
    assert "2024 rests on 1 document" in shift.attrs["caveat"]


def test_group_rng_is_the_documented_one():
    a = group_rng(5, 2024).random(3)
    b = np.random.default_rng([5, zlib.crc32(b"2024")]).random(3)
    assert a.tolist() == b.tolist()


# --------------------------------------------------------------------------- project corpus

def test_project_shares_by_year(project_tokens, project_docs):
    shares = frame_shares(project_tokens, project_docs, unit="year")
    assert sorted(shares["group"].unique()) == [2022, 2023, 2024]
    np.testing.assert_allclose(shares.groupby("group")["share"].sum(), [1, 1, 1])
    assert shares.groupby("group")["n_docs"].first().tolist() == [2, 1, 1]
    assert "2024 rests on 1 document (cgtn2024_visit)" in shares.attrs["caveat"]
    assert "xi2022_unofficial" in shares.attrs["caveat"]
    # the 2024 CGTN report has no security or development vocabulary at all
    y2024 = shares[shares["group"] == 2024].set_index("frame")
    assert y2024.loc["security", "hits"] == 0 and y2024.loc["development", "hits"] == 0
    assert y2024.loc["economy", "share"] == y2024["share"].max()


def test_other_corpus_uses_its_own_lexicon(tmp_path):
    texts = {"n1": ("2020", "", "", "a", "The harbour and the harbour. Grain."),
             "n2": ("2021", "", "", "b", "Grain, grain and grain.")}
    folder = write_corpus(tmp_path / "other", texts)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "frames.yml").write_text(
        "frames:\n  - id: ports\n    label: Ports\n    terms: [harbo*]\n"
        "  - id: farming\n    label: Farming\n    terms: [grain]\n", encoding="utf-8")
    docs = load_corpus(folder)
    shares = frame_shares(tokenize(docs, cache=False), docs, unit="year")
    assert shares["frame"].tolist() == ["ports", "farming"] * 2
    np.testing.assert_allclose(shares["share"], [2 / 3, 1 / 3, 0, 1])
    assert shares.attrs["lexicon"] == str(folder / "lexicons" / "frames.yml")


def test_bootstrap_options_are_bounded(tiny):
    import rhetoric.formulas.framing as framing

    docs, tokens, _ = tiny
    assert framing.MAX_BOOT == 100_000
    with pytest.raises(ParameterError, match=r"n_boot=100001 must be a whole number between 1 and 100,000"):
        frame_share_intervals(tokens, docs, n_boot=100_001)
    with pytest.raises(ParameterError, match=r"n_boot=10\*\*12|n_boot=1000000000000 must be"):
        frame_shift(tokens, docs, n_boot=10 ** 12)
    with pytest.raises(ParameterError, match=r"seed=-1 must be a whole number between 0 and 9223372036854775807"):
        frame_share_intervals(tokens, docs, seed=-1)
    with pytest.raises(ParameterError, match=r"seed=9223372036854775808 must be"):
        frame_share_intervals(tokens, docs, seed=2 ** 63)
    largest = frame_share_intervals(tokens, docs, n_boot=3, seed=2 ** 63 - 1)
    assert set(largest["seed"]) == {2 ** 63 - 1}


def test_bootstrap_size_is_refused_before_anything_is_drawn(tmp_path, monkeypatch):
    import rhetoric.formulas.framing as framing

    # 300 frames of one word each, all in one paragraph of 3 documents
    lexicon = "frames:\n" + "".join(f"  - id: f{i}\n    label: F{i}\n    terms: [word{i}]\n" for i in range(300))
    text = " ".join(f"word{i}" for i in range(300)) + "."
    folder = write_corpus(tmp_path / "wide", {d: ("2023", "", "", "p", text) for d in ("u", "v", "w")})
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "frames.yml").write_text(lexicon, encoding="utf-8")
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    monkeypatch.setattr(framing, "bootstrap_shares", lambda *a, **k: pytest.fail("drew before checking"))
    # n_boot x frames = 100,000 x 300 = 3e7 replicate shares per group, above 2e7
    with pytest.raises(ParameterError) as info:
        frame_share_intervals(tokens, docs, n_boot=100_000)
    assert str(info.value) == ("n_boot=100000 replicates of 300 frames is 30,000,000 shares per group, more than "
                               "20,000,000; use n_boot=66666 or fewer (--n-boot), or a lexicon with fewer frames.")
    # n_boot x paragraphs x frames: 3 paragraphs x 300 frames x 50 = 45,000 values, above a bound of 10,000
    monkeypatch.setattr(framing, "MAX_BOOT_CELLS", 10_000)
    with pytest.raises(ParameterError, match=r"^n_boot=50 over 3 paragraphs and 300 frames is 45,000 values, more "
                                             r"than 10,000; use n_boot=11 or fewer \(--n-boot\)"):
        frame_share_intervals(tokens, docs, n_boot=50)
    # a shift counts the paragraphs of its two groups only: 2 x 300 x 20 = 12,000
    with pytest.raises(ParameterError, match=r"^n_boot=20 over 2 paragraphs and 300 frames is 12,000 values"):
        frame_shift(tokens, docs, by="document", from_group="u", to_group="w", n_boot=20)
