"""Numbers as rhetoric: the quantitative claims of a text, with what they measure.

A *claim* is a number the text puts forward about the world: money
("$21.2 billion"), a percentage ("31.5 percent", "31.5%"), a count with its
unit ("52 joint projects", "6,195 China-Europe freight trains", "five Confucius
Institutes"), a duration ("over the past 30 years", "three decades"), an
anniversary ("the 30th anniversary"), an ordinal visit ("his fifth visit"), a
rank ("fifth largest source of investment", "top 30 developed countries") or a
multiple ("doubling two-way trade"). Each comes with its document, date,
sentence, what it measures and the period it covers when the sentence says so
("the first seven months of this year", "last year", "in 2023").

What is *not* a claim, by rule:

- calendar years (``1992``, ``in 2019``) and dates (``September 13``,
  ``July 4, 2024``), including year ranges such as ``(602-664)``; a year still
  serves as the ``period_covered`` of a claim in its sentence (``in 2023``,
  ``by 2029``);
- numbers inside names (``COVID-19``) and ordinals that name an event
  (``20th National Congress``, ``22nd meeting``, ``third Belt and Road Forum``),
  discourse ordinals (``First, ...``) and "the first project";
- spelled-out numbers without a countable unit (``the two countries``,
  ``two peoples``, ``three forces of evil``, ``a journey of ten thousand
  miles``) and vague quantities (``thousands of years``, ``millennia-old``).

Digits that survive these rules are always reported (with the following word
as the unit when it is not in :data:`COUNT_UNITS`), so nothing numeric is
silently lost. Spelled-out numbers are reported only with a known unit, or, as
in "four universities ... and two have added ...", taking the unit of the
previous count in the same sentence.

``$`` is read as US dollars and ``¥`` as yuan (the corpus is about China).
What a figure measures is decided by the cue word nearest to it in its
sentence (:data:`MEASURE_CUES`: "trade" -> bilateral trade, "investment" /
"worth" / "projects" -> investment, "GDP" -> GDP); a percentage in a sentence
that speaks of growth ("surged", "increase", "year on year") measures that
growth. Durations measure "years of relations" when the sentence speaks of
relations, ties, cooperation, friendship, partnership, links or connectivity,
or when the duration is "the past N years".
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..counts import select_documents
from ..errors import ParameterError

CLAIM_COLUMNS = ("doc_id", "date", "date_start", "sentence_id", "sentence", "value", "unit", "scale",
                 "value_normalized", "measure", "period_covered", "text", "kind", "qualifier", "start", "end")
TRADE_COLUMNS = ("doc_id", "date_start", "value", "unit", "scale", "value_normalized", "measure", "period_covered",
                 "period_year", "months", "growth_percent", "qualifier", "bound", "label")
QUALIFIER_BOUNDS = {
    "more than": "lower", "over": "lower", "above": "lower", "exceeding": "lower", "exceeded": "lower",
    "exceeds": "lower", "exceed": "lower", "surpassing": "lower", "surpassed": "lower", "surpasses": "lower",
    "surpass": "lower", "at least": "lower",
    "nearly": "upper", "almost": "upper", "up to": "upper", "less than": "upper", "under": "upper",
    "about": "approximate", "around": "approximate", "approximately": "approximate", "some": "approximate",
    "record": "exact", "total": "exact", "": "exact",
}
"""What a qualifier says about the true value: ``lower`` (it is a lower bound: "over US$25 billion" is at least
25), ``upper`` (an upper bound: "nearly", "up to", "less than"), ``approximate`` ("about"), ``exact`` (none)."""

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
         "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
               "trillion": 1_000_000_000_000}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
            "seventieth": 70, "seventy-fifth": 75, "hundredth": 100}
SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
CURRENCIES = {"$": "USD", "us$": "USD", "u.s.$": "USD", "usd": "USD", "dollars": "USD", "us dollars": "USD",
              "u.s. dollars": "USD", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "¥": "CNY", "cn¥": "CNY",
              "cny": "CNY", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "tenge": "KZT",
              "kzt": "KZT", "rubles": "RUB", "roubles": "RUB"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec")

COUNT_UNITS = (
    # (regex for the unit words after the number, unit, measure)
    (r"(?:china-europe\s+)?(?:freight\s+)?trains?", "trains", "freight trains"),
    (r"projects?", "projects", "joint projects"),
    (r"confucius\s+institutes?", "institutes", "Confucius Institutes"),
    (r"universit(?:y|ies)", "universities", "universities"),
    (r"patients", "patients", "patients treated"),
    (r"(?:people|persons|students|tourists|visitors)", "people", "people"),
    (r"(?:checkpoints?|crossings?|border\s+ports?|railway\s+ports?)", "crossings", "border crossings"),
    (r"pairs\s+of\s+sister\s+(?:provinces|cities|regions)(?:\s+and\s+(?:cities|provinces|regions))?", "pairs",
     "sister cities"),
    (r"sister\s+(?:cities|provinces)", "pairs", "sister cities"),
    (r"visits?", "visits", "visits"),
    (r"flights?", "flights", "flights"),
    (r"(?:enterprises|companies|firms)", "companies", "companies"),
    (r"(?:agreements|documents|deals|memoranda)", "agreements", "agreements"),
    (r"jobs", "jobs", "jobs"),
    (r"(?:mw|megawatts?)", "MW", "power capacity"),
    (r"(?:gw|gigawatts?)", "GW", "power capacity"),
    (r"(?:tons?|tonnes?)", "tonnes", "volume"),
    (r"(?:km|kilometers?|kilometres?)", "km", "distance"),
    (r"years?", "years", "duration"),
    (r"decades?", "years", "duration"),
    (r"months?", "months", "duration"),
    (r"weeks?", "weeks", "duration"),
    (r"days?", "days", "duration"),
)
"""Countable units known to the extractor: a number followed (after up to three modifier words) by one of these."""

MEASURE_CUES = (
    ("bilateral trade", r"\btrad(?:e|ing)\b|\btwo-way\s+trade\b|\bexports?\b|\bimports?\b|\bturnover\b"),
    ("investment", r"\binvest\w*|\bworth\b|\bprojects?\b|\bloans?\b"),
    ("GDP", r"\bGDP\b|\bgross\s+domestic\s+product\b"),
)
"""(measure, cue regex): a money, percent, rank or multiple claim measures the cue nearest to it in its sentence."""

RELATION_CUES = r"\b(?:relations|relationship|ties|cooperation|friendship|partnership|bilateral|links|" \
                r"connectivity|diplomatic)\b"
GROWTH_CUES = r"\b(?:grew|grow|growth|increase[sd]?|up|rose|rise|surged?|jump(?:ed)?|year[- ]on[- ]year|" \
              r"annual|fell|decrease[sd]?|down|drop(?:ped)?)\b"
TARGET_CUES = r"\b(?:goal|target|aim|will|plan|strive)\b"

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted(list(UNITS) + list(MULTIPLIERS), key=len, reverse=True))
_WORDS = rf"(?:(?:a|an)\s+)?(?:{_WORDNUM})(?:(?:\s+|-)(?:and\s+)?(?:{_WORDNUM}))*"
_SCALE_RE = r"(?:trillion|billion|million|thousand|bn|mn)"
_CUR_BEFORE = r"(?:US\$|U\.S\.\s?\$|CN¥|RMB\s?|USD\s?|CNY\s?|EUR\s?|KZT\s?|\$|€|£|¥)"
_CUR_AFTER = r"(?:(?:US|U\.S\.)\s+dollars|dollars|yuan|renminbi|tenge|euros?|rubles|roubles|USD|CNY|EUR|KZT|RMB)"
_NOT_AFTER_NAME = r"(?<![A-Za-z]-)(?<![\w.$€£¥])"

_MONEY_BEFORE = re.compile(rf"{_NOT_AFTER_NAME}(?P<cur>{_CUR_BEFORE})\s?(?P<num>{_DIGITS})"
                           rf"(?:\s?(?P<scale>{_SCALE_RE})\b)?", re.I)
_MONEY_AFTER = re.compile(rf"{_NOT_AFTER_NAME}(?P<num>{_DIGITS})(?:\s?(?P<scale>{_SCALE_RE})\b)?\s+"
                          rf"(?P<cur>{_CUR_AFTER})\b", re.I)
_PERCENT = re.compile(rf"{_NOT_AFTER_NAME}(?P<num>{_DIGITS})\s?(?P<unit>%|percent\b|per\s+cent\b|"
                      rf"percentage\s+points?\b)", re.I)
_FACTOR = re.compile(r"\b(?P<word>doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|quadrupl(?:e|es|ed|ing))\b"
                     r"(?!\s+(?:taxation|standards?|digits?))", re.I)
_TOP = re.compile(rf"\btop\s+(?P<num>{_DIGITS}|{_WORDS})\b(?!\s*(?:priority|level|leaders?))", re.I)
_NUMBER_DIGITS = re.compile(rf"{_NOT_AFTER_NAME}(?P<num>{_DIGITS})(?![\w%])(?!-\d)")
_WORD = re.compile(r"[A-Za-z0-9]+")
_ORDINAL_DIGITS = re.compile(r"\d+(?:st|nd|rd|th)", re.I)
_ORDINAL_TARGETS = {"anniversary": "anniversary", "visit": "visit", "visits": "visit", "time": "time",
                    "largest": "largest", "biggest": "largest"}
_RANGE = re.compile(r"\b\d{3,4}\s?[-–]\s?\d{2,4}\b")
_UNITS_RE = re.compile("|".join(rf"(?P<u{i}>{pattern})\b" for i, (pattern, _, _) in enumerate(COUNT_UNITS)), re.I)
_NUMBER_SET = frozenset(list(UNITS) + list(MULTIPLIERS))
_STOP = frozenset("""the a an of and or to in on at for with by from as than that which who this these those
is are was were be been has have had will would can could should may might not it its their our his her
each per all both some any more most less over under into about after before between""".split())
_UNKNOWN_UNIT = re.compile(r"(?:\s+(?!(?:%s)\b)[A-Za-z][\w-]*){1,3}" % "|".join(sorted(_STOP)), re.I)
_ELLIPSIS_VERBS = frozenset("have has had are were was is".split())
_QUALIFIER = re.compile(r"(?P<q>more\s+than|over|above|nearly|almost|about|around|approximately|up\s+to|"
                        r"less\s+than|under|at\s+least|some|exceed(?:ing|ed|s)?|surpass(?:ing|ed|es)?|"
                        r"a\s+record\s+of|a\s+total\s+of\s+more\s+than|a\s+total\s+of)(?:\s+the)?\s*$", re.I)
_PERIOD = re.compile(
    r"(?:\b(?:in|during|over|for)\s+)?\b(?P<p>the\s+first\s+(?:half|quarter|(?:\w+)\s+(?:months|quarters|weeks))"
    r"(?:\s+of\s+(?:this\s+year|last\s+year|the\s+year|(?:19|20)\d{2}))?"
    r"|(?:last|this)\s+year(?![- ]on)|(?:by|since)\s+(?:19|20)\d{2}|(?<=in\s)(?:19|20)\d{2}"
    r"|each\s+year|per\s+year|annually|at\s+an\s+early\s+date|full[- ]year|year\s+to\s+date)\b", re.I)
_MONTH_RE = "|".join(MONTHS)
_TRIGGERS = {  # cheap substring tests that let a sentence skip a regular expression that cannot match
    "money": ("$", "€", "£", "¥", "dollar", "yuan", "renminbi", "tenge", "euro", "ruble", "rouble", "usd", "cny",
              "eur", "kzt", "rmb"),
    "percent": ("%", "percent", "per cent"),
    "multiple": ("doubl", "tripl", "quadrupl"),
    "ordinal": ("anniversar", "visit", "time", "largest", "biggest"),
    "number words": tuple(list(UNITS) + list(MULTIPLIERS)),
    "period": ("first", "year", "by ", "since ", "in 1", "in 2", "annually", "early date"),
}
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTH_RE})\.?\s*$", re.I)
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_RE})\b", re.I)
_PROBE = re.compile(rf"\d|\b(?:{_WORDNUM}|{'|'.join(ORDINALS)}|doubl\w*|tripl\w*|quadrupl\w*)\b", re.I)


def parse_number_words(text: str) -> float:
    """Value of a spelled-out number: ``"a thousand"`` -> 1000, ``"twenty-two"`` -> 22, ``"three"`` -> 3.

    Examples
    --------
    >>> parse_number_words("twenty-two"), parse_number_words("a thousand"), parse_number_words("three")
    (22.0, 1000.0, 3.0)
    """
    total, current = 0.0, 0.0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("a", "an"):
            current = current or 1.0
        elif word in UNITS:
            current += UNITS[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in MULTIPLIERS:
            total += (current or 1.0) * MULTIPLIERS[word]
            current = 0.0
    return total + current


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _ordinal(text: str) -> int:
    text = text.lower()
    return int(re.match(r"\d+", text).group(0)) if text[0].isdigit() else ORDINALS[text]


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _nearest_cue(sentence: str, start: int, end: int, cues=MEASURE_CUES) -> str | None:
    best, best_distance = None, None
    for measure, pattern in cues:
        for match in _compiled(pattern).finditer(sentence):
            distance = start - match.end() if match.end() <= start else max(match.start() - end, 0)
            if best_distance is None or distance < best_distance:
                best, best_distance = measure, distance
    return best


def _qualifier(sentence: str, start: int) -> str:
    match = _QUALIFIER.search(sentence[max(0, start - 40):start])
    if not match:
        return ""
    q = " ".join(match.group("q").lower().split())
    return {"a record of": "record", "a total of more than": "more than", "a total of": "total"}.get(q, q)


def _periods(sentence: str) -> list[tuple[int, int, str]]:
    out = []
    for match in _PERIOD.finditer(sentence):
        out.append((match.start(), match.end(), " ".join(match.group("p").lower().split())))
    return out


_RATES = ("each year", "per year", "annually")
_PERIOD_KINDS = ("money", "percent", "count", "multiple", "rank")


def _nearest_period(periods, start: int, end: int) -> str:
    best, best_distance = "", None
    for p_start, p_end, text in periods:
        distance = start - p_end if p_end <= start else max(p_start - end, 0)
        if best_distance is None or distance < best_distance:
            best, best_distance = text, distance
    return best


def _word_tokens(sentence: str) -> list[tuple[int, int, str]]:
    """``(start, end, lower-cased word)`` of every run of letters and digits."""
    return [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(sentence)]


def _ordinals(sentence: str, words) -> list[tuple[int, int, str, float]]:
    """Ordinals before anniversary / visit / time / largest: ``(start, end, what, value)``."""
    out = []
    for i in range(len(words) - 1):
        start, end, word = words[i]
        what = _ORDINAL_TARGETS.get(words[i + 1][2])
        if what is None or not sentence[end:words[i + 1][0]].isspace():
            continue
        if word in ORDINALS:
            value = ORDINALS[word]
            if i and words[i - 1][2] in UNITS and sentence[words[i - 1][1]:start] == "-":  # twenty-fifth
                start, value = words[i - 1][0], value + UNITS[words[i - 1][2]]
        elif _ORDINAL_DIGITS.fullmatch(word):
            value = int(re.match(r"\d+", word).group(0))
        else:
            continue
        out.append((start, words[i + 1][1], what, float(value)))
    return out


def _number_words(sentence: str, words) -> list[tuple[int, int, None, str]]:
    """Runs of number words (``three``, ``a thousand``, ``twenty-two``): ``(start, end, None, text)``."""
    out, i, n = [], 0, len(words)
    while i < n:
        if words[i][2] not in _NUMBER_SET:
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < n:
            gap = sentence[words[j - 1][1]:words[j][0]]
            if words[j][2] in _NUMBER_SET and (gap.isspace() or gap == "-"):
                last = j
                j += 1
            elif words[j][2] == "and" and gap.isspace() and j + 1 < n and words[j + 1][2] in _NUMBER_SET \
                    and sentence[words[j][1]:words[j + 1][0]].isspace():
                j += 1
            else:
                break
        if first and words[first - 1][2] in ("a", "an") and sentence[words[first - 1][1]:words[first][0]].isspace():
            if words[first][2] in MULTIPLIERS:
                first -= 1
        if words[first][2] not in ("a", "an") or last > first:
            start, end = words[first][0], words[last][1]
            out.append((start, end, None, sentence[start:end]))
        i = last + 1
    return out


def _unit_after(sentence: str, pos: int):
    """The countable unit after a number (up to three modifier words between): (end, unit, measure) or None."""
    rest = sentence[pos:]
    offset = 0
    for _ in range(4):
        stripped = re.match(r"[\s-]*", rest[offset:]).end()
        offset += stripped
        match = _UNITS_RE.match(rest, offset)
        if match:
            _, unit, measure = COUNT_UNITS[int(match.lastgroup[1:])]
            return pos + match.end(), unit, measure
        word = re.match(r"[A-Za-z][\w'’]*(?:-[\w]+)*", rest[offset:])
        if not word or word.group(0).lower() in _STOP or _PROBE.fullmatch(word.group(0)):
            return None
        offset += word.end()
    return None


def _duration_measure(sentence: str, start: int, end: int, unit: str, measure: str) -> str:
    before = sentence[max(0, start - 30):start].lower()
    if re.search(r"\b(?:golden|splendid)\b", before):
        return "golden years"
    if unit == "years" and re.match(r"[\s-]*(?:of\s+)?histor", sentence[end:], re.I):
        return "history"
    if unit == "years" and (re.search(r"\bthe\s+past\s+$", before) or re.search(RELATION_CUES, sentence, re.I)):
        return "years of relations"
    if unit == "days" and re.search(r"\bvisa", sentence, re.I):
        return "visa-free stay"
    return measure


def _claims_in_sentence(sentence: str) -> list[dict]:
    """Every claim of one sentence, as dicts with offsets relative to the sentence."""
    claims: list[dict] = []
    taken: list[tuple[int, int]] = []

    def free(start, end):
        return all(end <= a or start >= b for a, b in taken)

    def add(start, end, **fields):
        taken.append((start, end))
        claims.append({"start": start, "end": end, "text": sentence[start:end], **fields})

    lower = sentence.lower()
    has = {name: any(word in lower for word in words) for name, words in _TRIGGERS.items()}
    for regex in (_MONEY_BEFORE, _MONEY_AFTER) if has["money"] else ():
        for m in regex.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            scale = (m.group("scale") or "").lower()
            scale = {"bn": "billion", "mn": "million"}.get(scale, scale)
            cur = CURRENCIES.get(" ".join(m.group("cur").lower().split()).rstrip(), "")
            value = _number(m.group("num"))
            cue = _nearest_cue(sentence, m.start(), m.end())
            add(m.start(), m.end(), kind="money", value=value, unit=cur or m.group("cur").strip(), scale=scale,
                value_normalized=value * SCALES.get(scale, 1.0), measure=cue or "money")
    for m in _PERCENT.finditer(sentence) if has["percent"] else ():
        if not free(m.start(), m.end()):
            continue
        unit = "percentage points" if m.group("unit").lower().startswith("percentage") else "percent"
        cue = _nearest_cue(sentence, m.start(), m.end())
        growth = re.search(GROWTH_CUES, sentence, re.I)
        measure = f"{cue} growth" if cue and growth else (cue or "percentage")
        if cue is None and growth:
            measure = "growth"
        value = _number(m.group("num"))
        add(m.start(), m.end(), kind="percent", value=value, unit=unit, scale="", value_normalized=value,
            measure=measure)
    for m in _FACTOR.finditer(sentence) if has["multiple"] else ():
        if not free(m.start(), m.end()):
            continue
        value = {"doubl": 2.0, "tripl": 3.0, "quadru": 4.0}[next(k for k in ("doubl", "tripl", "quadru")
                                                                  if m.group("word").lower().startswith(k))]
        cue = _nearest_cue(sentence, m.start(), m.end())
        target = re.search(TARGET_CUES, sentence, re.I) or m.group("word").lower().endswith("ing")
        measure = f"{cue or 'size'} {'target' if target else 'growth'}"
        add(m.start(), m.end(), kind="multiple", value=value, unit="times", scale="", value_normalized=value,
            measure=measure)
    words = _word_tokens(sentence) if has["ordinal"] or has["number words"] else []
    for o_start, o_end, what, value in _ordinals(sentence, words) if has["ordinal"] else ():
        if not free(o_start, o_end):
            continue
        if what == "anniversary":
            golden = re.search(r"\bgolden\b", sentence[max(0, o_start - 30):o_start], re.I)
            add(o_start, o_end, kind="anniversary", value=value, unit="years", scale="",
                value_normalized=value, measure="golden years" if golden else "anniversary")
        elif what.startswith("visit") or (what == "time" and re.search(r"\b(?:visit\w*|come|came|travel\w*)\b",
                                                                       sentence, re.I)):
            add(o_start, o_end, kind="ordinal", value=value, unit="visits", scale="", value_normalized=value,
                measure="visits")
        elif what in ("largest", "biggest"):
            cue = _nearest_cue(sentence, o_start, o_end)
            add(o_start, o_end, kind="rank", value=value, unit="rank", scale="", value_normalized=value,
                measure=f"{cue} rank" if cue else "rank")
    for m in _TOP.finditer(sentence) if "top" in lower else ():
        if not free(m.start(), m.end()):
            continue
        num = m.group("num")
        value = _number(num) if num[0].isdigit() else parse_number_words(num)
        cue = _nearest_cue(sentence, m.start(), m.end(), MEASURE_CUES + (("development", r"\bdeveloped\b"),))
        add(m.start(), m.end(), kind="rank", value=value, unit="rank", scale="", value_normalized=value,
            measure=f"{cue} rank" if cue else "rank")
    periods = _periods(sentence) if has["period"] else []
    excluded = [(r.start(), r.end()) for r in _RANGE.finditer(sentence)] + [(a, b) for a, b, _ in periods]
    previous_count = None
    candidates = [(m.start(), m.end(), m.group("num"), None) for m in _NUMBER_DIGITS.finditer(sentence)]
    candidates += _number_words(sentence, words) if has["number words"] else []
    for start, end, digits, words_text in sorted(candidates):
        if not free(start, end) or any(a <= start < b for a, b in excluded):
            continue
        if digits:
            value = _number(digits)
            if re.match(r"[:.]\d", sentence[end:end + 2]) or re.search(r"\d[:.]$", sentence[max(0, start - 2):start]):
                continue  # a clock time or a section number
            if _DATE_BEFORE.search(sentence[max(0, start - 12):start]) and value <= 31:
                continue
            if _DATE_AFTER.match(sentence[end:end + 16]) and value <= 31:
                continue
            if re.match(r"(?:st|nd|rd|th)\b", sentence[end:end + 3], re.I):
                continue  # an ordinal that names an event
        else:
            value = parse_number_words(words_text)
            start += len(re.match(r"(?:(?:a|an)\s+)?", words_text, re.I).group(0))  # "a thousand" is "thousand"
        unit_hit = _unit_after(sentence, end)
        if digits and unit_hit is None and "," not in digits and "." not in digits and 1000 <= value <= 2100:
            continue  # a calendar year
        if unit_hit is None:
            nxt = re.match(r"\s+([A-Za-z][\w-]*)", sentence[end:])
            if not digits:
                if nxt and nxt.group(1).lower() in _ELLIPSIS_VERBS and previous_count is not None:
                    unit, measure, kind = previous_count
                    add(start, end, kind=kind, value=value, unit=unit, scale="", value_normalized=value,
                        measure=measure)
                continue
            run = _UNKNOWN_UNIT.match(sentence, end)
            if run:  # an unknown unit: the words up to the next function word or punctuation
                unit, measure, claim_end = " ".join(run.group(0).lower().split()), "count", run.end()
            else:
                unit, measure, claim_end = "", "number", end
            add(start, claim_end, kind="count", value=value, unit=unit, scale="", value_normalized=value,
                measure=measure)
            continue
        claim_end, unit, measure = unit_hit
        scale, normalized, kind = "", value, "count"
        if measure == "duration":
            kind = "duration"
            if re.search(r"decades?$", sentence[start:claim_end], re.I):
                scale, normalized = "decade", value * 10
            measure = _duration_measure(sentence, start, claim_end, unit, measure)
        add(start, claim_end, kind=kind, value=value, unit=unit, scale=scale, value_normalized=normalized,
            measure=measure)
        if kind == "count":
            previous_count = (unit, measure, kind)
    spans = [p for p in periods if p[2] not in _RATES]
    for claim in claims:
        claim["qualifier"] = _qualifier(sentence, claim["start"])
        claim["period_covered"] = _nearest_period(spans, claim["start"], claim["end"]) \
            if claim["kind"] in _PERIOD_KINDS else ""
    for p_start, _, text in periods:  # "each year" qualifies the one claim just before it
        before = [c for c in claims if c["kind"] in _PERIOD_KINDS and c["end"] <= p_start]
        if text in _RATES and before:
            max(before, key=lambda c: c["end"])["period_covered"] = text
    claims.sort(key=lambda c: (c["start"], c["end"]))
    return claims


def numeric_claims(tokens, docs: pd.DataFrame) -> pd.DataFrame:
    """Every quantitative claim of every document, with what it measures.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize` of ``docs`` (gives the sentences).
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus`. Every version of a translated
        text is read (see :func:`trade_figures` to count one).

    Returns
    -------
    DataFrame
        One row per claim, in document order then position: ``doc_id, date``
        (as written in corpus.csv), ``date_start`` (Timestamp),
        ``sentence_id`` (corpus-wide sentence number as in ``tokens``),
        ``sentence`` (its text), ``value`` (as written: 21.2 for "$21.2
        billion", 3 for "three decades"), ``unit`` (ISO currency ``USD``,
        ``CNY`` ...; ``percent``; ``years``; the counted noun: ``projects``,
        ``trains``, ...), ``scale`` (``billion``, ``million``, ``thousand``,
        ``decade`` or empty), ``value_normalized`` (value times the scale:
        21.2e9; 30 years for three decades), ``measure`` (bilateral trade,
        bilateral trade growth, investment, GDP growth, joint projects, freight
        trains, years of relations, anniversary, visits, ...), ``period_covered``
        ("the first seven months of this year", "last year", "2023", or empty),
        ``text`` (the claim as written), ``kind`` (money, percent, count,
        duration, anniversary, ordinal, rank, multiple), ``qualifier`` ("more
        than", "nearly", "up to", "record", ...), ``start, end`` (offsets in
        the cleaned text ``docs.text``).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> claims = numeric_claims(tokenize(docs), docs)
    >>> claims[claims["kind"] == "money"][["doc_id", "text", "measure"]].head(2).values.tolist()
    [['zhang2022_visit', '$17.67 billion', 'bilateral trade'], ['zhang2022_visit', '$21.2 billion', 'investment']]
    """
    if "doc_id" not in docs.columns or "text" not in docs.columns:
        raise ParameterError("docs must be the table from load_corpus() (it needs doc_id and text).")
    texts = dict(zip(docs["doc_id"], docs["text"]))
    dates = dict(zip(docs["doc_id"], docs["date"]))
    starts = dict(zip(docs["doc_id"], docs["date_start"]))
    rows = []
    if tokens.n_tokens:
        types = pd.Series(tokens.vocab)
        probe_types = types.str.contains(_PROBE).to_numpy()
        sentences = np.unique(tokens.sentence[probe_types[tokens.ids]])
    else:
        sentences = np.array([], dtype=np.int64)
    for s in sentences.tolist():
        doc_id = str(tokens.doc_ids[tokens.sentence_doc[s]])
        if doc_id not in texts:
            raise ParameterError(f"tokens has document '{doc_id}' that docs lacks; tokenize the same documents "
                                 f"table you pass (tokens = tokenize(docs)).")
        s_start, s_end = (int(x) for x in tokens.sentence_spans[s])
        sentence = texts[doc_id][s_start:s_end]
        for claim in _claims_in_sentence(sentence):
            rows.append({
                "doc_id": doc_id, "date": dates[doc_id], "date_start": starts[doc_id],
                "sentence_id": s, "sentence": " ".join(sentence.split()), **{k: claim[k] for k in (
                    "value", "unit", "scale", "value_normalized", "measure", "period_covered", "kind",
                    "qualifier")},
                "text": " ".join(claim["text"].split()), "start": s_start + claim["start"],
                "end": s_start + claim["end"],
            })
    out = pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))
    order = {d: i for i, d in enumerate(tokens.doc_ids.tolist())}
    out = out.assign(_doc=out["doc_id"].map(order)).sort_values(["_doc", "start", "end"], kind="stable")
    out = out.drop(columns="_doc").reset_index(drop=True)
    return out.astype({"sentence_id": np.int64, "value": float, "value_normalized": float, "start": np.int64,
                       "end": np.int64})


def _months(period: str) -> float:
    period = period.lower()
    match = re.match(r"the first (\w+) (months|quarters|weeks)", period)
    if match:
        word = match.group(1)
        n = _number(word) if word[0].isdigit() else parse_number_words(word)
        return {"months": n, "quarters": 3 * n, "weeks": n * 12 / 52}[match.group(2)]
    if period.startswith("the first half"):
        return 6.0
    if period.startswith("the first quarter"):
        return 3.0
    if period in ("last year", "full year", "full-year", "each year", "per year", "annually") or \
            re.fullmatch(r"(?:19|20)\d{2}", period):
        return 12.0
    return float("nan")


def _period_year(period: str, year: int) -> float:
    found = re.search(r"(?:19|20)\d{2}", period)
    if found:
        return float(found.group(0))
    if "last year" in period:
        return float(year - 1)
    if period.startswith("the first") or "this year" in period:
        return float(year)
    return float("nan")


def trade_figures(claims: pd.DataFrame, docs: pd.DataFrame | None = None, *,
                  all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """The bilateral trade figures the texts report, one row per figure, in date order.

    Parameters
    ----------
    claims : DataFrame
        From :func:`numeric_claims`.
    docs : DataFrame, optional
        From :func:`rhetoric.corpus.load_corpus`: with it, a translated text
        counts once (the version named by ``prefer``).
    all_versions : bool, default False
        Keep the figures of every version of a translated text.
    prefer : str, default "official"
        The version kept (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        ``doc_id, date_start, value, unit, scale, value_normalized, measure,
        period_covered``, ``period_year`` (the calendar year the figure covers:
        "last year" is the document's year minus one, "the first seven months
        of this year" and "the first eleven months" its year, "2023" itself),
        ``months`` (months covered: 7, 11, 12 for a full year; NaN unknown),
        ``growth_percent`` (a growth rate given in the same sentence, else
        NaN), ``qualifier`` ("above", "nearly", ... or empty), ``bound``
        (:data:`QUALIFIER_BOUNDS`: ``lower`` when the figure is a lower bound,
        ``upper``, ``approximate`` or ``exact``), ``label`` (e.g. "2022, first 7
        months: 17.67 billion USD (zhang2022_visit)"; "2021: above 25 billion
        USD (xi2022_xinhua)" keeps the qualifier). Sorted by date_start, then
        position.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> trade_figures(numeric_claims(tokenize(docs), docs), docs)["label"].tolist()[:2]
    ['2022, first 7 months: 17.67 billion USD (zhang2022_visit)', '2021: above 25 billion USD (xi2022_xinhua)']
    """
    missing = [c for c in ("doc_id", "measure", "kind", "sentence_id") if c not in claims.columns]
    if missing:
        raise ParameterError(f"claims lacks column(s) {', '.join(missing)}; pass the table from numeric_claims().")
    table = claims
    if docs is not None:
        table = table[table["doc_id"].isin(select_documents(docs, all_versions=all_versions, prefer=prefer)["doc_id"])]
    money = table[(table["kind"] == "money") & (table["measure"] == "bilateral trade")]
    growth = table[(table["kind"] == "percent") & (table["measure"] == "bilateral trade growth")]
    growth_of = growth.drop_duplicates("sentence_id").set_index("sentence_id")["value"]
    rows = []
    for row in money.itertuples(index=False):
        year = row.date_start.year
        months = _months(row.period_covered)
        period_year = _period_year(row.period_covered, year)
        if np.isnan(period_year):
            when = row.period_covered or "period not stated"
        elif months == 12:
            when = f"{int(period_year)}"
        elif not np.isnan(months):
            when = f"{int(period_year)}, first {months:g} months"
        else:
            when = f"{int(period_year)}, {row.period_covered}"
        amount = f"{row.qualifier} {row.value:g} {row.scale} {row.unit}".replace("  ", " ").strip()
        rows.append({"doc_id": row.doc_id, "date_start": row.date_start, "value": row.value, "unit": row.unit,
                     "scale": row.scale, "value_normalized": row.value_normalized, "measure": row.measure,
                     "period_covered": row.period_covered, "period_year": period_year, "months": months,
                     "growth_percent": float(growth_of.get(row.sentence_id, np.nan)), "qualifier": row.qualifier,
                     "bound": QUALIFIER_BOUNDS.get(row.qualifier, "approximate"),
                     "label": f"{when}: {amount} ({row.doc_id})"})
    out = pd.DataFrame(rows, columns=list(TRADE_COLUMNS))
    return out.sort_values(["date_start"], kind="stable").reset_index(drop=True)
