"""Sentence splitting: gold cases written by hand, one per rule of the splitter (see rhetoric.corpus.tokens).

Each case gives a text and the exact list of sentences a reader would cut it into; the texts are made up
for these tests. The last group documents what the simple rule cannot know (and does on purpose).
"""

from __future__ import annotations

import pytest

from rhetoric.corpus import sentence_spans, tokenize
from rhetoric.corpus.tokens import ABBREVIATIONS, NUMBER_ABBREVIATIONS


def sentences(text):
    return [text[a:b] for a, b in sentence_spans(text)]


ABBREVIATION_CASES = [
    ("Mr. Li met Dr. Wu in Astana. They spoke for an hour.",
     ["Mr. Li met Dr. Wu in Astana.", "They spoke for an hour."]),
    ("Mrs. Abenova and Prof. Sultanov opened the forum. Gen. Ivanov was absent.",
     ["Mrs. Abenova and Prof. Sultanov opened the forum.", "Gen. Ivanov was absent."]),
    ("The talks began on Sept. 13 in the capital. Both sides signed on Sept. 14.",
     ["The talks began on Sept. 13 in the capital.", "Both sides signed on Sept. 14."]),
    ("The leaders flew to St. Petersburg. Talks resumed there.",
     ["The leaders flew to St. Petersburg.", "Talks resumed there."]),
    ("They covered trade, energy, transport, etc. The next round is in May.",
     ["They covered trade, energy, transport, etc.", "The next round is in May."]),
    ("Resolution No. 2231 was cited. Article No. 5 too.",
     ["Resolution No. 2231 was cited.", "Article No. 5 too."]),
    ("Asked about sanctions, the minister said no. The talks went on.",
     ["Asked about sanctions, the minister said no.", "The talks went on."]),
    ("See Art. 3 and Vol. 2 of the treaty. They apply.",
     ["See Art. 3 and Vol. 2 of the treaty.", "They apply."]),
    ("The plan arrived in Sept. Nobody had read it.",  # a month before a capital: the sentence ends
     ["The plan arrived in Sept.", "Nobody had read it."]),
    ("Kazakh Railways Ltd. The contract was signed.",
     ["Kazakh Railways Ltd.", "The contract was signed."]),
]

INITIAL_CASES = [
    ("K.K. Tokayev welcomed the guests. Xi Jinping thanked him.",
     ["K.K. Tokayev welcomed the guests.", "Xi Jinping thanked him."]),
    ("President K.K. Tokayev spoke first. M. Smith answered.",
     ["President K.K. Tokayev spoke first.", "M. Smith answered."]),
    ("Trade with the U.S. and the E.U. grew. The U.S. President did not come.",
     ["Trade with the U.S. and the E.U. grew.", "The U.S. President did not come."]),
    ("Several routes, e.g. Almaty to Urumqi, were opened. A. B. Kenzhebek led the group.",
     ["Several routes, e.g. Almaty to Urumqi, were opened.", "A. B. Kenzhebek led the group."]),
    ("The idea was China's. Kazakhstan agreed.",  # the 's of a possessive is no initial
     ["The idea was China's.", "Kazakhstan agreed."]),
    ("It was Plan B. Nobody liked it.",  # one capital letter is taken for an initial (see the docstring)
     ["It was Plan B. Nobody liked it."]),
]

NUMBER_CASES = [
    ("Trade grew 21.2 percent in 2022. Investment rose by 3.5 percent.",
     ["Trade grew 21.2 percent in 2022.", "Investment rose by 3.5 percent."]),
    ("Trade reached $21.2 billion, up 31.1%. It was a record.",
     ["Trade reached $21.2 billion, up 31.1%.", "It was a record."]),
    ("The volume doubled in 2023. 2024 was better still.",
     ["The volume doubled in 2023.", "2024 was better still."]),
    ("Growth was 3. Next year it may be 4.",  # a number that ends a sentence
     ["Growth was 3.", "Next year it may be 4."]),
    ("1. Introduction\n\n2. The parties agree. 3. The text is final.",  # list numbers start a sentence
     ["1. Introduction", "2. The parties agree.", "3. The text is final."]),
]

QUOTE_CASES = [
    ('As a Kazakh proverb goes, "Friendship is an inexhaustible wealth." The saying is old.',
     ['As a Kazakh proverb goes, "Friendship is an inexhaustible wealth."', "The saying is old."]),
    ('He said: "We are friends." "Good," she replied.',
     ['He said: "We are friends."', '"Good," she replied.']),
    ("\u201cWe agree.\u201d \u201cSo do we.\u201d",
     ["\u201cWe agree.\u201d", "\u201cSo do we.\u201d"]),
    ("The motto was 'win-win.' 'Yes,' said the minister.",
     ["The motto was 'win-win.'", "'Yes,' said the minister."]),
    ("(The treaty was signed in 2001.) It is still in force.",
     ["(The treaty was signed in 2001.)", "It is still in force."]),
    ("Both sides agreed (see the annex). [The annex follows.] It is short.",
     ["Both sides agreed (see the annex).", "[The annex follows.]", "It is short."]),
]

QUESTION_CASES = [
    ('"Why not?" he asked. Then he left.', ['"Why not?" he asked.', "Then he left."]),
    ("What next? The answer came later.", ["What next?", "The answer came later."]),
    ("Wow! it worked. Really?! Yes.", ["Wow! it worked.", "Really?!", "Yes."]),
    ("Is it so? not at all.", ["Is it so? not at all."]),
]

PARAGRAPH_CASES = [
    ("A heading without a full stop\n\nThe text begins here.",
     ["A heading without a full stop", "The text begins here."]),
    ("The minister met Mr.\n\nSmith later.", ["The minister met Mr.", "Smith later."]),
    ("One line\nand its next line.\n \t\nA new paragraph", ["One line\nand its next line.", "A new paragraph"]),
    ("  Leading and trailing space.  \n\n\n", ["Leading and trailing space."]),
    ("lower. case. ends", ["lower. case. ends"]),
]

ELLIPSIS_CASES = [
    ("We waited... The guests arrived.", ["We waited...", "The guests arrived."]),
    ("We waited... and waited.", ["We waited... and waited."]),
    ("We waited\u2026 The guests arrived.", ["We waited\u2026", "The guests arrived."]),
    ("We waited . . . The guests arrived.", ["We waited . . .", "The guests arrived."]),
    ("The list goes on, etc... The end.", ["The list goes on, etc...", "The end."]),
]


@pytest.mark.parametrize("text, expected", ABBREVIATION_CASES)
def test_abbreviations(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", INITIAL_CASES)
def test_initials(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", NUMBER_CASES)
def test_numbers_decimals_and_list_numbers(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", QUOTE_CASES)
def test_quotes_and_brackets(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", QUESTION_CASES)
def test_question_and_exclamation_marks(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", PARAGRAPH_CASES)
def test_paragraph_breaks_always_end_a_sentence(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", ELLIPSIS_CASES)
def test_ellipsis(text, expected):
    assert sentences(text) == expected


def test_sentences_cover_their_paragraph_without_overlap():
    text = " ".join(t for cases in (ABBREVIATION_CASES, QUOTE_CASES, QUESTION_CASES) for t, _ in cases)
    spans = sentence_spans(text).tolist()
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end < start and text[end:start].isspace()  # only white space between two sentences
    expected = [s for cases in (ABBREVIATION_CASES, QUOTE_CASES, QUESTION_CASES) for _, gold in cases for s in gold]
    assert [text[a:b] for a, b in spans] == expected


def test_word_lists_are_lower_case_without_full_stops():
    for words in (ABBREVIATIONS, NUMBER_ABBREVIATIONS):
        assert all(w == w.lower() and "." not in w and w.isalpha() for w in words)
    assert {"mr", "dr", "prof", "st"} <= ABBREVIATIONS and {"sept", "no", "art"} <= NUMBER_ABBREVIATIONS
    assert not ABBREVIATIONS & NUMBER_ABBREVIATIONS
    assert not {"etc", "inc", "ltd"} & (ABBREVIATIONS | NUMBER_ABBREVIATIONS)  # they may end a sentence


def test_the_store_numbers_tokens_by_these_sentences():
    import pandas as pd

    text = "Mr. Li met K.K. Tokayev on Sept. 13. \"Why?\" he asked. Trade grew 21.2 percent.\n\nNew paragraph."
    tokens = tokenize(pd.DataFrame({"doc_id": ["d"], "text": [text]}), cache=False)
    assert [text[a:b] for a, b in tokens.sentence_spans.tolist()] == [
        "Mr. Li met K.K. Tokayev on Sept. 13.", '"Why?" he asked.', "Trade grew 21.2 percent.", "New paragraph."]
    words = tokens.vocab[tokens.ids].tolist()
    by_sentence = [[w for w, s in zip(words, tokens.sentence.tolist()) if s == k] for k in range(4)]
    assert by_sentence == [["mr", "li", "met", "k.k", "tokayev", "on", "sept", "13"], ["why", "he", "asked"],
                           ["trade", "grew", "21.2", "percent"], ["new", "paragraph"]]
    assert tokens.sentence_paragraph.tolist() == [0, 0, 0, 1]
