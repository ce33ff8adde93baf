"""Options shared by the subcommands: argument types checked when the command line is read, and loading.

The option names are those of the Python functions (``--top-n`` is ``top_n``,
``--min-count`` is ``min_count``, ``--ngram-range`` is ``ngram_range``), and
the numbers are checked by :mod:`rhetoric.checks`, the functions' own validator.
"""

from __future__ import annotations

import argparse

from ..checks import MAX_NGRAM, check_int, check_ngram_range, check_number
from ..errors import ParameterError


def _argparse_type(check):
    def parse(value: str):
        try:
            return check(value)
        except ParameterError as exc:
            raise argparse.ArgumentTypeError(str(exc).removesuffix(".").replace("=", " ", 1)) from None
    return parse


def whole_number(minimum: int = 1, maximum: int | None = None):
    """An argparse ``type``: a whole number within ``[minimum, maximum]``."""
    def check(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ParameterError(f"value={value!r} is not a whole number.") from None
        return check_int("value", number, minimum=minimum, maximum=maximum)
    return _argparse_type(check)


def fraction(*, open_interval: bool = False):
    """An argparse ``type``: a number between 0 and 1."""
    def check(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ParameterError(f"value={value!r} is not a number.") from None
        return check_number("value", number, minimum=0, maximum=1, open_interval=open_interval)
    return _argparse_type(check)


def ngram_range(value: str) -> tuple[int, int]:
    """An argparse ``type``: ``"2"`` -> (2, 2); ``"1-3"`` -> (1, 3)."""
    def check(text: str) -> tuple[int, int]:
        low, _, high = text.partition("-")
        try:
            pair = (int(low), int(high or low))
        except ValueError:
            raise ParameterError(f"value={text!r} is not N or MIN-MAX (e.g. 2 or 1-3).") from None
        return check_ngram_range(pair, name="value")
    return _argparse_type(check)(value)


def add_selection(p) -> None:
    """``--all-versions`` and ``--prefer``: which documents count (:func:`rhetoric.counts.select_documents`)."""
    p.add_argument("--all-versions", action="store_true",
                   help="count every version of a translated text (default: once, the preferred version)")
    p.add_argument("--prefer", default="official", metavar="VERSION",
                   help="the version of a translated text that counts: a translation value or a doc_id "
                        "(default: official)")


def add_fold(p) -> None:
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")


def add_top(p, default: int | None = None) -> None:
    shown = f" (default {default})" if default else ""
    p.add_argument("--top-n", type=whole_number(1), default=default, metavar="N", help=f"first N rows{shown}")


def add_ngram_range(p, default: str) -> None:
    p.add_argument("--ngram-range", type=ngram_range, default=ngram_range(default), metavar="N|MIN-MAX",
                   help=f"n-gram lengths, e.g. 2 or 1-3, at most {MAX_NGRAM} (default {default}); n-grams never "
                        "cross a sentence")


def add_stop_words(p, default: bool) -> None:
    p.add_argument("--stop-words", action=argparse.BooleanOptionalAction, default=default,
                   help="leave out the stop words of data/stopwords.txt (n-grams starting or ending with one) "
                        f"(default: {'on' if default else 'off'})")


def add_pattern_rules(p) -> None:
    """``--regex``/``--fixed``, ``--strict-hyphens``, ``--case-sensitive``: the rules of :mod:`rhetoric.patterns`."""
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--regex", dest="valuetype", action="store_const", const="regex",
                      help="each space-separated part of the pattern is a regular expression for one token")
    kind.add_argument("--fixed", dest="valuetype", action="store_const", const="fixed",
                      help="take the pattern literally (no globs, groups or optional words)")
    p.set_defaults(valuetype="glob")
    p.add_argument("--strict-hyphens", dest="hyphens", action="store_const", const="strict", default="loose",
                   help="win-win matches only win-win (default: also win win)")
    p.add_argument("--case-sensitive", action="store_true", help="match upper and lower case exactly")


def pattern_rules(args) -> dict:
    return {"valuetype": args.valuetype, "hyphens": args.hyphens, "case_sensitive": args.case_sensitive}


def selection(args) -> dict:
    return {"all_versions": args.all_versions, "prefer": args.prefer}


def load(args):
    """The documents table and the token store of ``--corpus``."""
    from ..corpus.documents import load_corpus
    from ..corpus.tokens import tokenize

    docs = load_corpus(args.corpus)
    return docs, tokenize(docs, fold_spelling=getattr(args, "fold_spelling", False))


def head(table, top_n):
    """The first ``top_n`` rows (all without it)."""
    return table.head(top_n).reset_index(drop=True) if top_n else table
