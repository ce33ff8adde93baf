"""The canon of the genre in data/lexicons/formulas.yml: every variant matches the sentence written for it, and
no formula matches its near misses; every formula has its Chinese form, found as that formula in simplified
and in traditional characters; the ids of lexicon v1 are kept.

The sentences are the lexicon's own (``example``, ``near_miss``: written for the file, not copied); the
traditional forms are made here with OpenCC's s2t (the other direction from the tokenizer's t2s).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from rhetoric.corpus import tokenize
from rhetoric.formulas.counts import formula_hits
from rhetoric.formulas.lexicon import formula_examples, formula_table, load_formula_lexicon

V1_IDS = [
    "community_shared_future", "golden_thirty_years", "new_type_relations",
    "permanent_comprehensive_strategic_partnership", "comprehensive_strategic_partnership", "strategic_partnership",
    "head_of_state_diplomacy", "belt_and_road", "high_quality_belt_and_road", "golden_decade", "global_public_good",
    "production_capacity_cooperation", "global_development_initiative", "global_security_initiative",
    "global_civilization_initiative", "one_china_principle", "core_interests", "mutual_trust", "win_win_cooperation",
    "good_neighbourly_friendship", "common_comprehensive_security", "three_evil_forces", "external_interference",
    "unilateralism", "bloc_confrontation", "data_security_initiative", "chinese_modernization",
    "modern_socialist_country", "national_rejuvenation", "second_centenary_goal", "people_to_people_exchanges",
    "new_kazakhstan", "just_kazakhstan"]
"""The formula ids of lexicon v1 (before issue 16): kept, so that tables and notebooks keep their meaning."""
DOMAIN_FORMS = {  # DOMAIN.md's Chinese forms and their formulas
    "人类命运共同体": "community_shared_future", "中国—中亚命运共同体": "china_central_asia_community",
    "中哈命运共同体": "china_kazakhstan_community", "黄金三十年": "golden_thirty_years",
    "永久全面战略伙伴关系": "permanent_comprehensive_strategic_partnership",
    "全面战略伙伴关系": "comprehensive_strategic_partnership", "战略伙伴关系": "strategic_partnership",
    "一带一路倡议": "belt_and_road", "丝绸之路经济带": "belt_and_road", "高质量共建“一带一路”": "high_quality_belt_and_road",
    "全球发展倡议": "global_development_initiative", "全球安全倡议": "global_security_initiative",
    "全球文明倡议": "global_civilization_initiative", "合作共赢": "win_win_cooperation", "互利共赢": "win_win_cooperation",
    "政治互信": "mutual_trust", "核心利益": "core_interests", "一个中国原则": "one_china_principle",
    "外部势力干涉": "external_interference", "三股势力": "three_evil_forces",
    "共同、综合、合作、可持续的安全观": "common_comprehensive_security", "睦邻友好": "good_neighbourly_friendship",
    "人文交流": "people_to_people_exchanges", "中国式现代化": "chinese_modernization", "集团对抗": "bloc_confrontation",
    "单边主义": "unilateralism", "新型国家关系": "new_type_state_relations", "新型国际关系": "new_type_relations",
    "和平共处五项原则": "five_principles", "互不干涉内政": "non_interference", "相互尊重": "mutual_respect",
    "上海精神": "shanghai_spirit", "百年未有之大变局": "changes_unseen_in_a_century", "文明交流互鉴": "mutual_learning_civilizations",
    "真正的多边主义": "true_multilateralism", "平等有序的世界多极化": "multipolar_world",
    "更加公正合理的国际秩序": "just_international_order", "元首外交": "head_of_state_diplomacy",
    "两国元首战略引领": "head_of_state_guidance", "休戚与共": "weal_and_woe", "命运与共": "weal_and_woe",
    "同舟共济": "solidarity_trying_times", "世代友好": "everlasting_friendship", "冷战思维": "cold_war_mentality",
    "零和博弈": "zero_sum_game", "霸权主义和强权政治": "hegemonism", "颜色革命": "colour_revolution",
    "互联互通": "connectivity", "政策沟通、设施联通、贸易畅通、资金融通、民心相通": "five_connectivities",
    "绿色丝绸之路": "thematic_silk_road", "数字丝绸之路": "thematic_silk_road", "健康丝绸之路": "thematic_silk_road",
    "中国—中亚峰会": "china_central_asia_mechanism", "西安宣言": "xian_declaration",
}
"""The Chinese forms DOMAIN.md lists (its canon, its levels, its wider canon), each with the formula it is."""


@pytest.fixture(scope="module")
def lexicon():
    return load_formula_lexicon()


def _hits_of(sentences: list[str], lexicon) -> tuple[pd.DataFrame, list[str]]:
    docs = pd.DataFrame({"doc_id": [f"s{i}" for i in range(len(sentences))], "text": sentences})
    return formula_hits(tokenize(docs, cache=False), docs, lexicon), docs["doc_id"].tolist()


def test_the_v1_ids_are_kept_and_the_canon_is_wider(lexicon):
    ids = list(dict.fromkeys(lexicon["formula_id"]))
    assert set(V1_IDS) <= set(ids)
    assert len(ids) >= 75
    assert set(DOMAIN_FORMS.values()) <= set(ids)


def test_every_formula_is_documented(lexicon):
    table = formula_table(lexicon).set_index("formula_id")
    first = lexicon.groupby("formula_id", sort=False).first()
    for fid, row in table.iterrows():
        assert re.search("[\u4e00-\u9fff]", row["zh"]), f"{fid}: no Chinese form"
        assert row["label"] and row["category"], fid
        assert first.loc[fid, "source"], f"{fid}: no source"
        assert first.loc[fid, "note"], f"{fid}: no note"
        languages = set(lexicon.loc[lexicon["formula_id"] == fid, "language"])
        assert languages == {"en", "zh"}, f"{fid}: renderings in {languages}"
    dated = table["first_official_use"].dropna()  # null where a phrase has no single first use (old, diffuse)
    assert len(dated) >= 50 and dated.str.match(r"^\d{4}(-\d{2}(-\d{2})?)?$").all()


def test_every_variant_has_a_test_sentence_and_every_formula_a_near_miss(lexicon):
    examples = formula_examples()
    written = examples[examples["kind"] == "example"]
    assert set(zip(lexicon["formula_id"], lexicon["variant"])) <= set(zip(written["formula_id"], written["variant"]))
    assert set(lexicon["formula_id"]) <= set(examples.loc[examples["kind"] == "near_miss", "formula_id"])


def test_each_variant_matches_its_sentences(lexicon):
    """The whole lexicon on each example: the variant it was written for is found (longest match across all
    formulas, so a variant another formula's pattern would swallow fails here)."""
    written = formula_examples().query("kind == 'example'").reset_index(drop=True)
    hits, ids = _hits_of(written["sentence"].tolist(), lexicon)
    missed = []
    for doc_id, row in zip(ids, written.itertuples()):
        found = hits[hits["doc_id"] == doc_id]
        if not ((found["formula_id"] == row.formula_id) & (found["variant"] == row.variant)).any():
            missed.append((row.formula_id, row.variant, row.sentence, found["formula_id"].tolist()))
    assert missed == []


def test_no_formula_matches_its_near_misses(lexicon):
    near = formula_examples().query("kind == 'near_miss'").reset_index(drop=True)
    hits, ids = _hits_of(near["sentence"].tolist(), lexicon)
    wrong = [(row.formula_id, row.sentence) for doc_id, row in zip(ids, near.itertuples())
             if (hits.loc[hits["doc_id"] == doc_id, "formula_id"] == row.formula_id).any()]
    assert wrong == []


def test_the_chinese_forms_are_their_formulas_in_simplified_and_traditional_characters(lexicon):
    """Each formula's zh form, and DOMAIN.md's forms, alone in a sentence: that formula, once; the same in
    traditional characters (OpenCC s2t)."""
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    forms = dict(DOMAIN_FORMS)
    forms.update({z: f for f, z in zip(*formula_table(lexicon)[["formula_id", "zh"]].T.values)})
    sentences = [f"双方表示{form}。" for form in forms] + [to_traditional(f"双方表示{form}。") for form in forms]
    assert to_traditional("双方表示人类命运共同体。") == "雙方表示人類命運共同體。"
    hits, ids = _hits_of(sentences, lexicon)
    expected = list(forms.values()) * 2
    got = [hits.loc[hits["doc_id"] == d, "formula_id"].tolist() for d in ids]
    wrong = [(s, e, g) for s, e, g in zip(sentences, expected, got) if g != [e]]
    assert wrong == []


def test_the_chinese_examples_in_traditional_characters(lexicon):
    """Every Chinese example sentence of the lexicon, converted to traditional characters: the same variant."""
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    written = formula_examples().query("kind == 'example'")
    chinese = written[written["sentence"].str.contains("[\u4e00-\u9fff]")].reset_index(drop=True)
    assert len(chinese) >= 75
    hits, ids = _hits_of([to_traditional(s) for s in chinese["sentence"]], lexicon)
    missed = [(row.formula_id, row.sentence) for doc_id, row in zip(ids, chinese.itertuples())
              if not ((hits["doc_id"] == doc_id) & (hits["formula_id"] == row.formula_id)
                      & (hits["variant"] == row.variant)).any()]
    assert missed == []


@pytest.mark.parametrize("sentence, formula_id, variant", [
    # the grammar the issue names, each in a sentence written here
    ("They build a community of a common destiny.", "community_shared_future", "community of common destiny"),
    ("Ties rose to permanent comprehensive strategic partnerships.", "permanent_comprehensive_strategic_partnership",
     "permanent comprehensive strategic partnership"),
    ("Kazakhstan is a good neighbor.", "good_neighbourly_friendship", "good neighbours"),
    ("Kazakhstan is a good neighbour.", "good_neighbourly_friendship", "good neighbours"),
    ("We cherish good neighbourly friendship.", "good_neighbourly_friendship", "good-neighbourly friendship"),
    ("We cherish good-neighborly friendship.", "good_neighbourly_friendship", "good-neighbourly friendship"),
    ("A community with a shared destiny for the SCO is the aim.", "sco_community",
     "community with a shared future for the SCO"),
    ("They are jointly building the Belt and Road with high quality.", "high_quality_belt_and_road",
     "jointly building the Belt and Road with high quality"),
    ("Win win cooperation prevails.", "win_win_cooperation", "win-win cooperation"),
    ("China-Kazakhstan community with a shared future.", "china_kazakhstan_community", "community with a shared future"),
])
def test_the_variant_grammar(lexicon, sentence, formula_id, variant):
    hits, _ = _hits_of([sentence], lexicon)
    assert list(zip(hits["formula_id"], hits["variant"])) == [(formula_id, variant)]


def test_the_reordered_high_quality_formula_is_not_plain_belt_and_road(lexicon):
    hits, _ = _hits_of(["They are jointly building the Belt and Road with high quality and praise the Belt and "
                        "Road."], lexicon)
    assert hits["formula_id"].tolist() == ["high_quality_belt_and_road", "belt_and_road"]
    assert hits["surface"].tolist() == ["jointly building the Belt and Road with high quality", "Belt and Road"]
