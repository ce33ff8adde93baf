"""Every computed statement of the report is true for the corpus it was built from.

The report is built twice (once each per test session): on the project corpus (five documents, four texts once
the translation pair counts once) and on the same corpus plus one text written for this test (a 2024 press
statement, below). For each statement listed in STATEMENTS the test computes, from the tables the build itself
published (plain pandas over its CSV files and the corpus metadata, not the functions that wrote the
narrative), the sentence the narrative must contain, and checks

- that the sentence is in that build's narrative (the executed notebooks' output) or captions;
- that a sentence of the five-text build which the six-text tables contradict is gone from the six-text build.

The statements checked (notebook: statement):

1. 01: "N documents; M texts once each translated text counts once" (documents, and texts counting a translation
   once).
2. 01, and the notes inside the figures 01_documents_per_group and 02_top_terms, the captions of
   04_formula_timeline and 05_frame_shares: "<year>: n documents (genres), t tokens" for every year.
3. 01: which years rest on one document ("One document stands for a whole year in ...").
4. 03: terms tested, p < 0.05 before correction, how many and which terms survive the Holm correction
   (2024 against 2022).
5. 03: the keyness figures shade as significant exactly the terms whose corrected p is below 0.05.
6. 04: the formulas in 2022 and not in 2024, and in 2024 and not in 2022.
7. 04: the caveat under the formula timeline for a year that rests on one document with a formula at zero.
8. 05: the frames whose 95% interval of change excludes zero, with their shares.
9. 05: how many texts cite bilateral trade and how many of the figures are bounds ("above", "nearly"); the
   trade figure's data carries the bound of every figure.
10. 02: the three most frequent words of each year.
11. Captions that count documents: 01_corpus_summary, 01_doc_lengths, 02_dispersion_xray, 04_formula_heatmap.
12. No typed five-text fact ("five documents", "five texts", "2024: 1 document (news report)", "2023 and 2024
    rest on one document each") anywhere in the six-text pages of notebooks 01-06 or the index page.
    (Typed facts in any report notebook's markdown are caught by test_notebooks.py without a build.)
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from rhetoric import config
from rhetoric.report.build import build_report

pytestmark = pytest.mark.slow

FIXTURE_TEXT = """\
Statement on the meeting of the foreign ministers of China and Kazakhstan (test fixture)

Astana, November 20, 2024. The foreign ministers of China and Kazakhstan met today and agreed to deepen the \
permanent comprehensive strategic partnership between the two countries.

Both sides said that building a China-Kazakhstan community with a shared future serves the common interests of \
the two peoples. They will promote high-quality Belt and Road cooperation, win-win cooperation in trade and \
energy, and people-to-people exchanges between universities and young people.

The ministers noted that bilateral trade reached nearly US$44 billion in the first ten months of this year. They \
agreed to open new border crossings and to expand freight by rail.

On security, the two sides will strengthen cooperation against terrorism, separatism and extremism, and oppose \
interference by external forces in the internal affairs of the region. Security and stability in Central Asia are \
the foundation of development.

The two sides support each other on issues concerning their core interests and will continue close coordination \
within the Shanghai Cooperation Organization and the United Nations.
"""
"""Written for this test (not a published text): a 2024 text of a genre the corpus lacks, which uses formulas,
security words and a bounded trade figure ("nearly US$44 billion"), so that several five-text findings change."""

FIXTURE_FILE = "raw/2024-11-20_fixture_press-statement.txt"
ALPHA = 0.05
MY_NOTEBOOKS = ("01_corpus", "02_frequencies", "03_keywords_keyness", "04_formulas", "05_framing_and_numbers",
                "06_translation_pair")


def six_text_corpus(folder: Path) -> Path:
    """The project corpus with the fixture text added as a sixth document."""
    shutil.copy(config.DATA_DIR / "corpus.csv", folder / "corpus.csv")
    shutil.copytree(config.DATA_DIR / "raw", folder / "raw")
    path = folder / FIXTURE_FILE
    path.write_text(FIXTURE_TEXT, encoding="utf-8")
    row = {"doc_id": "fixture2024_statement", "date": "2024-11-20", "date_precision": "day", "period": "2023-2024",
           "title": "Statement on the meeting of the foreign ministers (test fixture)", "author": "Fixture Ministry",
           "role": "ministry", "outlet": "test fixture", "genre": "press statement", "language": "en",
           "translation_group": "fixture2024_statement", "translation": "", "file": FIXTURE_FILE,
           "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "source_note": "Written for the tests."}
    table = pd.read_csv(folder / "corpus.csv", dtype=str, keep_default_na=False)
    pd.concat([table, pd.DataFrame([row])[table.columns]], ignore_index=True).to_csv(
        folder / "corpus.csv", index=False, lineterminator="\n")
    return folder


class _Outputs(HTMLParser):
    """The text a reader sees on a notebook page, without the code of the cells (inputs) and formulas."""

    def __init__(self):
        super().__init__()
        self.parts, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        hidden = tag in ("style", "script", "math") or "jp-InputArea" in classes
        self.stack.append(hidden or (self.stack[-1] if self.stack else False))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Outputs()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


class Build:
    """One built report: its narrative per notebook, its captions and figure notes, its tables."""

    def __init__(self, out: Path, corpus: Path):
        self.out = out
        self.docs = pd.read_csv(corpus / "corpus.csv", dtype=str, keep_default_na=False)
        self.pages = {p.stem: page_text(p) for p in sorted((out / "notebooks").glob("*.html"))}
        self.sidecars = {kind: {path.stem: json.loads(path.read_text(encoding="utf-8"))
                                for path in sorted((out / kind).glob("*.json"))} for kind in ("figures", "tables")}
        self.index = page_text(out / "index.html")

    def table(self, name: str, kind: str = "tables") -> pd.DataFrame:
        return pd.read_csv(self.out / kind / f"{name}.csv", keep_default_na=False, na_values=[""])

    def caption(self, name: str) -> str:
        """The caption of figure ``name`` (or, when no figure has that name, of table ``name``)."""
        sidecar = self.sidecars["figures"].get(name) or self.sidecars["tables"][name]
        return " ".join(sidecar["caption"].split())

    def note(self, name: str) -> str:
        """The note drawn inside figure ``name`` (its PNG and SVG)."""
        return " ".join((self.sidecars["figures"][name].get("params", {}).get("note") or "").split())

    def everything(self) -> str:
        """Narrative, every caption and every note of figures and tables."""
        sidecars = [*self.sidecars["figures"].values(), *self.sidecars["tables"].values()]
        return " ".join([*self.pages.values(), *(" ".join(s.get("caption", "").split()) for s in sidecars),
                         *(" ".join((s.get("params", {}).get("note") or "").split()) for s in sidecars)])

    # the corpus as the metadata say, counted here without the package
    def once(self) -> pd.DataFrame:
        """One row per text: a translated text by its official version (the report's prefer="official")."""
        groups = self.docs["translation_group"].where(self.docs["translation_group"] != "", self.docs["doc_id"])
        several = groups.map(groups.value_counts()) > 1
        return self.docs[~several | (self.docs["translation"] == "official")]

    def years(self) -> pd.DataFrame:
        lengths = self.table("01_corpus_summary").set_index("doc_id")["n_tokens"]
        once = self.once().assign(year=lambda d: d["date"].str[:4], n_tokens=lambda d: d["doc_id"].map(lengths))
        return pd.DataFrame({"n": once.groupby("year").size(), "tokens": once.groupby("year")["n_tokens"].sum(),
                             "genres": once.groupby("year")["genre"].agg(lambda g: set(g) - {""})})


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("report-truth")
    (base / "six-corpus").mkdir()
    six = six_text_corpus(base / "six-corpus")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RHETORIC_CACHE_DIR", str(base / "token-cache"))
        build_report(out_dir=base / "five", progress=False)
        build_report(corpus_dir=six, out_dir=base / "six", progress=False)
    return {"five": Build(base / "five", config.DATA_DIR), "six": Build(base / "six", six)}


# --- the statements, each computed from a build's own tables ----------------------------------------------------

def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def corpus_statement(b: Build) -> str:
    return f"{len(b.table('01_corpus_summary'))} documents; {len(b.once())} texts once each translated text counts once"


def year_labels(text: str) -> dict:
    """``{year: (n, genres, tokens)}`` from "2024: 2 documents (news report, press statement), 859 tokens"."""
    found = {}
    for m in re.finditer(r"\b(20\d\d): (\d+) documents? \(([^()]*)\), ([\d,]+) tokens", text):
        found[m.group(1)] = (int(m.group(2)), set(m.group(3).split(", ")), int(m.group(4).replace(",", "")))
    return found


def expected_years(b: Build) -> dict:
    return {y: (int(r.n), r.genres, int(r.tokens)) for y, r in b.years().iterrows()}


def single_statement(b: Build) -> str | None:
    years = b.years()
    single = years[years["n"] == 1]
    if single.empty:
        return None
    once = b.once().assign(year=lambda d: d["date"].str[:4]).set_index("year")
    return "One document stands for a whole year in " + ", ".join(
        f"{y} ({once.loc[y, 'doc_id']}, {once.loc[y, 'genre']})" for y in single.index)


def holm_statement(b: Build) -> str:
    key = b.table("03_keyness_2022_vs_2024")
    survivors = list(key.loc[key["p_adjusted"] < ALPHA, "term"])
    return (f"{len(key)} terms tested; {int((key['p_value'] < ALPHA).sum())} have p < {ALPHA} before correction "
            f"(chance alone would give about {len(key) * ALPHA:.0f}), {len(survivors)} after the Holm correction"
            + (f": {', '.join(survivors)}." if survivors else "."))


def formula_change_statement(b: Build) -> str:
    counts = b.table("04_formula_counts_by_group")
    lexicon = b.table("04_formula_lexicon")
    used = counts[counts["count"] > 0].assign(group=lambda d: d["group"].astype(str))
    in_22 = set(used.loc[used["group"] == "2022", "formula_id"])
    in_24 = set(used.loc[used["group"] == "2024", "formula_id"])
    gone = [label for f, label in zip(lexicon["formula_id"], lexicon["label"]) if f in in_22 - in_24]
    new = [label for f, label in zip(lexicon["formula_id"], lexicon["label"]) if f in in_24 - in_22]
    return f"In 2022, not in 2024: {', '.join(gone) or 'none'}. In 2024, not in 2022: {', '.join(new) or 'none'}."


def timeline_caveats(b: Build) -> list[str]:
    counts = b.table("04_formula_counts_by_group").assign(group=lambda d: d["group"].astype(str))
    appearance = b.table("04_first_last_appearance")
    chosen = set(appearance.loc[appearance["n_texts"] >= 3, "formula_id"])
    years = b.years()
    caveats = []
    for year, row in years[years["n"] == 1].iterrows():
        rows = counts[(counts["group"] == year) & counts["formula_id"].isin(chosen)]
        if (rows["count"] == 0).any() or len(rows) < len(chosen):
            genres = ", ".join(sorted(row.genres))
            caveats.append(f"{year} rests on 1 document ({genres}), {int(row.tokens):,} tokens: a formula at 0 there "
                           "is absent from that one document")
    return caveats


def frames_statement(b: Build) -> str:
    shift = b.table("05_frame_shift")
    clear = shift[(shift["ci_low"] > 0) | (shift["ci_high"] < 0)]
    return (f"{len(clear)} of {len(shift)} frames change by more than their 95% interval allows: "
            + ("; ".join(f"{lab} {a:.0%} → {c:.0%}" for lab, a, c in
                         zip(clear["label"], clear["share_from"], clear["share_to"])) or "none") + ".")


def trade_statements(b: Build) -> list[str]:
    trade = b.table("05_trade_figures")
    bounds = trade[trade["bound"] != "exact"]
    return [f"{trade['doc_id'].nunique()} of {len(b.once())} texts cite bilateral trade"] + \
        ([f"{len(bounds)} of them " + ("is a bound, not an exact value (" if len(bounds) == 1 else
                                       "are bounds, not exact values (")
          + ", ".join(f"{q} {v:g}" for q, v in zip(bounds["qualifier"], bounds["value"])) + ")"] if len(bounds) else [])


def top_words_statement(b: Build) -> str:
    freq = b.table("02_term_frequencies").assign(group=lambda d: d["group"].astype(str))
    return "; ".join(f"{g}: {', '.join(rows['term'].head(3))}" for g, rows in freq.groupby("group", sort=True))


# --- the tests ----------------------------------------------------------------------------------------------------

def test_both_builds_have_every_notebook_page(builds):
    for b in builds.values():
        assert set(MY_NOTEBOOKS) <= set(b.pages)
    assert len(builds["six"].table("01_corpus_summary")) == 6 and len(builds["five"].table("01_corpus_summary")) == 5


def test_1_the_number_of_documents_and_texts(builds):
    assert corpus_statement(builds["five"]) == "5 documents; 4 texts once each translated text counts once"
    assert corpus_statement(builds["six"]) == "6 documents; 5 texts once each translated text counts once"
    for b in builds.values():
        assert corpus_statement(b) in b.pages["01_corpus"]
    assert corpus_statement(builds["five"]) not in builds["six"].everything()


@pytest.mark.parametrize("where", ["page 01_corpus", "note 01_documents_per_group", "note 02_top_terms",
                                   "caption 04_formula_timeline", "caption 05_frame_shares"])
def test_2_the_documents_genres_and_tokens_behind_each_year(builds, where):
    kind, name = where.split()
    for label, b in builds.items():
        text = b.pages[name] if kind == "page" else b.note(name) if kind == "note" else b.caption(name)
        assert year_labels(text) == expected_years(b), (label, where)
    six = expected_years(builds["six"])
    assert six["2024"] == (2, {"news report", "press statement"}, six["2024"][2])
    assert "2024: 1 document (news report)" not in builds["six"].everything()


def test_3_which_years_rest_on_one_document(builds):
    five, six = single_statement(builds["five"]), single_statement(builds["six"])
    assert five == ("One document stands for a whole year in 2023 (zhang2023_newyear, new year message), "
                    "2024 (cgtn2024_visit, news report)")
    assert six == "One document stands for a whole year in 2023 (zhang2023_newyear, new year message)"
    assert five in builds["five"].pages["01_corpus"] and six in builds["six"].pages["01_corpus"]
    assert five not in builds["six"].everything()


def test_4_what_survives_the_holm_correction(builds):
    for b in builds.values():
        assert holm_statement(b) in b.pages["03_keywords_keyness"]
    five, six = holm_statement(builds["five"]), holm_statement(builds["six"])
    assert five.endswith("1 after the Holm correction: xi.") and five != six   # the fixture changes the answer
    assert five not in builds["six"].pages["03_keywords_keyness"]


@pytest.mark.parametrize("figure", ["03_keyness_2022_vs_2024", "03_log_ratio_2022_vs_2024"])
def test_5_a_term_shaded_significant_has_a_corrected_p_below_alpha(builds, figure):
    for b in builds.values():
        drawn = b.table(figure, "figures")
        corrected = b.table("03_keyness_2022_vs_2024").set_index("term")["p_adjusted"]
        assert drawn["significant"].tolist() == [bool(corrected[t] < ALPHA) for t in drawn["term"]]
        assert "Holm-corrected p < 0.05" in b.caption(figure)


def test_6_formulas_present_in_one_year_and_absent_from_the_other(builds):
    for b in builds.values():
        assert formula_change_statement(b) in b.pages["04_formulas"]
    five, six = formula_change_statement(builds["five"]), formula_change_statement(builds["six"])
    assert five != six                         # the fixture uses formulas the 2024 news report lacks
    assert five not in builds["six"].pages["04_formulas"]


def test_7_a_fall_to_zero_names_the_one_document_behind_it(builds):
    five, six = timeline_caveats(builds["five"]), timeline_caveats(builds["six"])
    assert any(c.startswith("2024 rests on 1 document (news report)") for c in five)
    assert not any(c.startswith("2024") for c in six)
    for label, b in builds.items():
        for caveat in timeline_caveats(b):
            assert caveat in b.caption("04_formula_timeline") and caveat in b.pages["04_formulas"], label
            assert caveat.split(":")[0] in b.note("04_formula_timeline")            # inside the PNG
    for caveat in set(five) - set(six):
        assert caveat not in builds["six"].everything()


def test_8_frames_whose_change_is_clear(builds):
    for b in builds.values():
        assert frames_statement(b) in b.pages["05_framing_and_numbers"]
    five, six = frames_statement(builds["five"]), frames_statement(builds["six"])
    assert "Security and sovereignty 16% → 0%" in five and "Security and sovereignty" not in six
    assert five not in builds["six"].pages["05_framing_and_numbers"]


def test_9_trade_figures_and_their_bounds(builds):
    for b in builds.values():
        for statement in trade_statements(b):
            assert statement in b.pages["05_framing_and_numbers"]
        drawn = b.table("05_trade_timeline", "figures")
        table = b.table("05_trade_figures")
        assert sorted(zip(drawn["doc_id"], drawn["value"], drawn["bound"])) == \
            sorted(zip(table["doc_id"], table["value"], table["bound"]))
    six = builds["six"].table("05_trade_figures").set_index("doc_id")
    assert (six.loc["fixture2024_statement", "qualifier"], six.loc["fixture2024_statement", "bound"]) == \
        ("nearly", "upper")
    assert six.loc["xi2022_xinhua", "bound"] == "lower"                      # "above the US$25 billion mark"
    assert trade_statements(builds["six"])[1] == "2 of them are bounds, not exact values (above 25, nearly 44)"
    for statement in set(trade_statements(builds["five"])) - set(trade_statements(builds["six"])):
        assert statement not in builds["six"].everything()


def test_10_the_most_frequent_words_of_each_year(builds):
    for b in builds.values():
        assert top_words_statement(b) in b.pages["02_frequencies"]


@pytest.mark.parametrize("name, words", [("01_corpus_summary", "The {n} documents"),
                                         ("01_doc_lengths", "each of the {n} documents"),
                                         ("02_dispersion_xray", "each of the {n} documents"),
                                         ("04_formula_heatmap", "each of the {n} documents")])
def test_11_captions_count_the_documents_of_their_build(builds, name, words):
    for label, b in builds.items():
        assert words.format(n=len(b.docs)) in b.caption(name), label
    assert words.format(n=5) not in builds["six"].caption(name)


def test_12_no_typed_five_text_fact_survives_in_the_six_text_report(builds):
    six = builds["six"]
    text = " ".join([six.index, *(six.pages[n] for n in MY_NOTEBOOKS)])
    for phrase in ("five documents", "Five texts", "five texts", "2024: 1 document (news report)",
                   "2023 and 2024 rest on one document each", "one document per year after 2022"):
        assert phrase not in text, phrase
