"""Chinese originals: a small corpus written for this test (simplified and traditional Chinese, two English
renderings, one of them leaving out a paragraph), counted by hand; every analysis that works on English works on
it, and a Chinese formula and its English rendering get one id and stand side by side.

The texts are laid out one paragraph per line (single newlines), as Chinese texts copied from the web are.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from conftest import write_corpus

from rhetoric.corpus import load_corpus, tokenize
from rhetoric.corpus.documents import language_code, validate_corpus
from rhetoric.formulas.counts import formula_counts, formula_hits, formula_timeline
from rhetoric.formulas.translation import align_paragraphs, rendering_pairs, rendering_table, translation_groups

ZH = ("中哈友好合作新篇章\n"
      "2023年9月，两国元首在阿斯塔纳会晤。双方同意构建更加紧密的中哈命运共同体，推动永久全面战略伙伴关系不断发展。\n"
      "双方表示，将高质量共建“一带一路”，深化务实合作。2023年双边贸易额达到410亿美元。\n"
      "中方支持哈方维护国家主权、安全和领土完整。哈方坚定奉行一个中国原则。\n"
      "双方愿携手构建人类命运共同体，开启两国关系又一个黄金三十年！\n")
"""Simplified Chinese original, 5 paragraphs (lines). Formulas by hand:
[1] 中哈命运共同体 (china_kazakhstan_community), 永久全面战略伙伴关系 (permanent_comprehensive_strategic_partnership)
[2] 高质量共建“一带一路” (high_quality_belt_and_road), 务实合作 (pragmatic_cooperation)
[3] 领土完整 (sovereignty_territorial_integrity), 一个中国原则 (one_china_principle)
[4] 人类命运共同体 (community_shared_future), 黄金三十年 (golden_thirty_years)"""
EN = ("A New Chapter of China-Kazakhstan Friendship\n"
      "In September 2023 the two heads of state met in Astana. They agreed to build a closer China-Kazakhstan "
      "community with a shared future and to advance the permanent comprehensive strategic partnership.\n"
      "Both sides will pursue high-quality Belt and Road cooperation and deepen practical cooperation. In 2023 "
      "bilateral trade reached 41 billion dollars.\n"
      "China supports Kazakhstan in safeguarding its sovereignty, security and territorial integrity. Kazakhstan "
      "firmly adheres to the one-China principle.\n"
      "The two sides will jointly build a community with a shared future for mankind and open another golden "
      "thirty years of relations!\n")
"""The official English, paragraph for paragraph: the same eight formulas, one each."""
RU = ("New page in friendship\n"
      "In September 2023, heads of two states met in Astana. They agreed to build a closer community of common "
      "destiny of China and Kazakhstan and to develop the eternal comprehensive strategic partnership.\n"
      "The parties will jointly build the Belt and Road with high quality and deepen cooperation. In 2023 trade "
      "turnover reached 41 billion dollars.\n"
      "The parties will build a community of common destiny for mankind and will open another golden 30th "
      "anniversary of relations!\n")
"""An unofficial English (via Russian): leaves out paragraph [3] (sovereignty, one China) and renders 深化务实合作
as "deepen cooperation" (the formula dropped in an aligned paragraph). Formulas by hand: [1] community of common
destiny of China and Kazakhstan, eternal comprehensive strategic partnership; [2] jointly build the Belt and Road
with high quality; [3] community of common destiny for mankind, golden 30th anniversary."""
HK = ("兩國元首同意構建人類命運共同體，推動高質量共建「一帶一路」。\n"
      "雙方堅持互利共贏，反對外部勢力干涉內政。\n")
"""A traditional-character text (a Hong Kong reprint, say). Formulas by hand: 人類命運共同體, 高質量共建「一帶一路」,
互利共贏 (win_win_cooperation), 外部勢力干涉 (external_interference)."""

HAND_COUNTS = {
    "zh": {"china_kazakhstan_community": 1, "permanent_comprehensive_strategic_partnership": 1,
           "high_quality_belt_and_road": 1, "pragmatic_cooperation": 1, "sovereignty_territorial_integrity": 1,
           "one_china_principle": 1, "community_shared_future": 1, "golden_thirty_years": 1},
    "en": {"china_kazakhstan_community": 1, "permanent_comprehensive_strategic_partnership": 1,
           "high_quality_belt_and_road": 1, "pragmatic_cooperation": 1, "sovereignty_territorial_integrity": 1,
           "one_china_principle": 1, "community_shared_future": 1, "golden_thirty_years": 1},
    "ru": {"china_kazakhstan_community": 1, "permanent_comprehensive_strategic_partnership": 1,
           "high_quality_belt_and_road": 1, "community_shared_future": 1, "golden_thirty_years": 1},
    "hk": {"community_shared_future": 1, "high_quality_belt_and_road": 1, "win_win_cooperation": 1,
           "external_interference": 1},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chinese")
    texts = {"zh": ("2023-09-15", "visit", "original", "2023", ZH), "en": ("2023-09-15", "visit", "official", "2023", EN),
             "ru": ("2023-09-16", "visit", "unofficial", "2023", RU), "hk": ("2023-09-20", "hk", "", "2023", HK)}
    write_corpus(folder, texts)
    table = pd.read_csv(folder / "corpus.csv", dtype=str, keep_default_na=False)
    table["language"] = table["doc_id"].map({"zh": "zh-CN", "en": "en", "ru": "English", "hk": ""})
    table.to_csv(folder / "corpus.csv", index=False)
    docs = load_corpus(folder)
    tokens = tokenize(docs, cache=False)
    return docs, tokens, formula_hits(tokens, docs)


def test_language_column(corpus):
    docs, _, _ = corpus
    # written "zh-CN", "en", "English", and nothing for a Chinese text: read as codes, Chinese found in the text
    assert dict(zip(docs["doc_id"], docs["language"])) == {"zh": "zh", "en": "en", "ru": "en", "hk": "zh"}
    assert language_code("Chinese") == "zh" and language_code("kk") == "kk" and language_code("", "Text") == ""


def test_paragraphs_and_sentences_of_the_chinese_texts(corpus):
    docs, tokens, _ = corpus
    count = Counter(tokens.doc_ids[tokens.paragraph_doc].tolist())
    assert count == {"zh": 5, "en": 5, "ru": 4, "hk": 2}           # one paragraph per line
    zh = tokens.doc_ids.tolist().index("zh")
    text = docs.set_index("doc_id").loc["zh", "text"]
    sentences = [text[a:b] for a, b in tokens.sentence_spans[tokens.sentence_doc == zh]]
    assert sentences == ["中哈友好合作新篇章", "2023年9月，两国元首在阿斯塔纳会晤。",
                         "双方同意构建更加紧密的中哈命运共同体，推动永久全面战略伙伴关系不断发展。",
                         "双方表示，将高质量共建\"一带一路\"，深化务实合作。", "2023年双边贸易额达到410亿美元。",
                         "中方支持哈方维护国家主权、安全和领土完整。", "哈方坚定奉行一个中国原则。",
                         "双方愿携手构建人类命运共同体，开启两国关系又一个黄金三十年！"]


def test_formula_counts_by_hand(corpus):
    docs, tokens, hits = corpus
    counts = formula_counts(tokens, docs, hits=hits, all_versions=True)
    got = {d: {f: c for g, f, c in zip(counts["group"], counts["formula_id"], counts["count"]) if g == d and c}
           for d in HAND_COUNTS}
    assert got == HAND_COUNTS
    # the traditional text: surfaces as written, offsets in the raw file
    hk = hits[hits["doc_id"] == "hk"]
    raw = docs.set_index("doc_id").loc["hk", "raw_text"]
    assert [raw[a:b] for a, b in zip(hk["raw_start"], hk["raw_end"])] == ["人類命運共同體", "高質量共建「一帶一路",
                                                                         "互利共贏", "外部勢力干涉"]
    assert hk["surface"].tolist() == ["人類命運共同體", "高質量共建「一帶一路", "互利共贏", "外部勢力干涉"]
    # count once: the group "visit" counts its official English (zh is the original, ru unofficial)
    once = formula_counts(tokens, docs, hits=hits)
    assert once["group"].drop_duplicates().tolist() == ["en", "hk"]


def test_frequency_kwic_and_keyness_on_chinese(corpus):
    from scipy.stats import chi2_contingency

    from rhetoric.stats.frequency import term_frequencies
    from rhetoric.stats.keyness import keyness
    from rhetoric.stats.kwic import kwic

    docs, tokens, _ = corpus
    freq = term_frequencies(tokens, docs, by="language", all_versions=True)
    zh = freq[freq["group"] == "zh"].set_index("term")
    # 人类命运共同体: once in zh, once (人類命運共同體) in hk; 构建: twice in zh ("构建更加紧密", "携手构建"), once in
    # hk (構建)
    assert zh.loc["人类命运共同体", ["count", "range"]].tolist() == [2, 2]
    assert zh.loc["构建", ["count", "range"]].tolist() == [3, 2]
    lines = kwic(tokens, docs, "人类命运共同体", window=2, all_versions=True)
    assert lines["match"].tolist() == ["人类命运共同体", "人類命運共同體"]
    assert lines["left"].tolist() == ["携手构建", "同意構建"] and lines["right"].iloc[0] == "，开启两国关系"
    assert len(kwic(tokens, docs, "構建 人類命運共同體", all_versions=True)) == 2  # a traditional pattern too
    table = keyness(tokens, docs, by="language", target="zh", reference="en", min_count=1, all_versions=True)
    row = table.set_index("term").loc["构建"]
    size_zh, size_en = int(row["size_target"]), int(row["size_reference"])
    assert size_zh == sum(tokens.doc_lengths()[d] for d in ("zh", "hk"))
    assert size_en == sum(tokens.doc_lengths()[d] for d in ("en", "ru"))
    g2 = chi2_contingency([[3, 0], [size_zh - 3, size_en]], correction=False, lambda_="log-likelihood")[0]
    assert row["freq_target"] == 3 and row["g2"] == pytest.approx(g2, rel=1e-6)


def test_each_chinese_variant_gives_one_number_everywhere(corpus):
    """On these texts, every Chinese variant alone: formula count = KWIC lines = phrase frequency."""
    from rhetoric.formulas.lexicon import load_formula_lexicon
    from rhetoric.stats.frequency import term_frequencies
    from rhetoric.stats.kwic import kwic

    docs, tokens, _ = corpus
    lexicon = load_formula_lexicon()
    found = 0
    for i in [i for i, lang in enumerate(lexicon["language"]) if lang == "zh"]:
        row = lexicon.iloc[[i]]
        counts = formula_counts(tokens, docs, row, all_versions=True)
        from_formulas = Counter({g: c for g, c in zip(counts["group"], counts["count"]) if c})
        from_kwic = Counter(kwic(tokens, docs, row["pattern"].iloc[0], all_versions=True)["doc_id"])
        freq = term_frequencies(tokens, docs, terms=[row["pattern"].iloc[0]], all_versions=True)
        assert from_formulas == from_kwic == Counter(dict(zip(freq["group"], freq["count"]))), row["variant"].iloc[0]
        found += sum(from_formulas.values())
    # every Chinese formula of zh and hk (8 + 4), and, matched alone, 一带一路 inside both 高质量共建“一带一路” (+ 2)
    assert found == 8 + 4 + 2


def test_chinese_and_english_side_by_side(corpus):
    docs, tokens, hits = corpus
    assert translation_groups(docs)["doc_ids"].tolist() == [["zh", "en", "ru"]]  # the original is the reference
    table = rendering_table(tokens, docs, hits=hits)
    official = table[table["doc_b"] == "en"].set_index("formula_id")
    assert (official[["language_a", "language_b"]].drop_duplicates().values.tolist() == [["zh", "en"]])
    assert official.loc["community_shared_future", "aligned_renderings"] == \
        "人类命运共同体 <-> community with a shared future"
    assert official.loc["china_kazakhstan_community", "aligned_renderings"] == \
        "中哈命运共同体 <-> community with a shared future"
    assert official.loc["golden_thirty_years", "aligned_renderings"] == "黄金三十年 <-> golden thirty years"
    assert (official["same_paragraph_pairs"] == 1).all() and len(official) == 8
    unofficial = table[table["doc_b"] == "ru"].set_index("formula_id")
    assert unofficial.loc["high_quality_belt_and_road", "aligned_renderings"] == \
        "高质量共建“一带一路” <-> jointly building the Belt and Road with high quality"
    # left out by the translator inside an aligned paragraph, or in a paragraph the version does not have
    assert unofficial.loc["pragmatic_cooperation", ["without_in_b", "absent_from_b"]].tolist() == [1, 0]
    assert unofficial.loc["one_china_principle", ["without_in_b", "absent_from_b"]].tolist() == [0, 1]
    assert unofficial.loc["sovereignty_territorial_integrity", ["count_b", "absent_from_b"]].tolist() == [0, 1]
    pairs = rendering_pairs(tokens, docs, hits=hits)
    ru = pairs[pairs["doc_b"] == "ru"]
    assert ru[["surface_a", "surface_b", "status"]].values.tolist() == [
        ["中哈命运共同体", "community of common destiny of China and Kazakhstan", "both"],
        ["永久全面战略伙伴关系", "eternal comprehensive strategic partnership", "both"],
        ["高质量共建\"一带一路", "jointly build the Belt and Road with high quality", "both"],
        ["务实合作", "", "without in b"],
        ["领土完整", "", "absent from b"],
        ["一个中国原则", "", "absent from b"],
        ["人类命运共同体", "community of common destiny for mankind", "both"],
        ["黄金三十年", "golden 30th anniversary", "both"]]


def test_alignment_of_chinese_with_english(corpus):
    docs, tokens, hits = corpus
    table = align_paragraphs(tokens, docs, hits=hits)
    got = {b: [(k, None if pd.isna(a) else int(a), None if pd.isna(c) else int(c))
               for k, a, c in zip(t["kind"], t["para_a"], t["para_b"])] for b, t in table.groupby("doc_b")}
    assert got["en"] == [("1-1", i, i) for i in range(5)]
    # the unofficial English leaves out paragraph 3: unpaired, the last two paragraphs still paired
    assert got["ru"] == [("1-1", 0, 0), ("1-1", 1, 1), ("1-1", 2, 2), ("1-0", 3, None), ("1-1", 4, 3)]
    row = table[(table["doc_b"] == "en") & (table["para_a"] == 3)].iloc[0]
    assert row["anchors"] == "one_china_principle; sovereignty_territorial_integrity"
    assert table.attrs["languages"] == {"visit: zh / en": "zh/en", "visit: zh / ru": "zh/en"}


def test_the_formula_timeline_puts_the_versions_side_by_side(corpus):
    docs, tokens, hits = corpus
    table = formula_timeline(tokens, docs, hits=hits)
    golden = table[table["formula_id"] == "golden_thirty_years"]
    assert golden[["date", "doc_id", "language", "translation_group", "count"]].values.tolist() == [
        ["2023-09-15", "en", "en", "visit", 1], ["2023-09-15", "zh", "zh", "visit", 1],
        ["2023-09-16", "ru", "en", "visit", 1], ["2023-09-20", "hk", "zh", "hk", 0]]


def test_validate_warns_about_paragraph_counts_that_differ(tmp_path):
    """A translation pair laid out differently: the Chinese one paragraph per line, the English glued into one
    block; and a pair whose counts differ little: no warning."""
    glued = EN.replace("\n", " ")
    folder = write_corpus(tmp_path / "pairs", {
        "zh": ("2023-09-15", "visit", "original", "p", ZH), "en": ("2023-09-15", "visit", "official", "p", glued),
        "a": ("2023", "close", "official", "p", "One.\n\nTwo.\n\nThree.\n\nFour."),
        "b": ("2023", "close", "unofficial", "p", "One.\n\nTwo.\n\nThree.")})
    problems = [p for p in validate_corpus(folder) if p.severity == "warning"]
    assert len(problems) == 1
    assert "translation group 'visit': 'zh' has 5 paragraphs, 'en' only 1" in str(problems[0])
    assert problems[0].line == 3 and problems[0].field == "translation_group"  # the row of 'en'


def test_segmenting_chinese_writes_no_file(tmp_path, monkeypatch):
    """jieba would write its cache into the temporary folder; ours builds the dictionary in memory."""
    import tempfile

    from rhetoric.corpus import tokens as token_module

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    token_module._jieba.cache_clear()
    spans, types = token_module.token_spans("我们愿同各方一道努力。")
    assert types[:2] == ["我们", "愿同"] and list(tmp_path.iterdir()) == []


def test_an_english_corpus_never_loads_the_segmenter(tiny_dir):
    """The lexicon's Chinese variants cannot match a corpus without Chinese text: jieba (1 s to load) stays out."""
    from rhetoric.corpus import tokens as token_module
    from rhetoric.formulas.lexicon import load_formula_lexicon

    token_module._jieba.cache_clear()
    docs = load_corpus(tiny_dir)
    tokens = tokenize(docs, cache=False)
    lexicon = load_formula_lexicon()
    assert (lexicon["language"] == "zh").sum() > 50
    assert len(formula_hits(tokens, docs, lexicon)) > 0
    assert token_module._jieba.cache_info().misses == 0
