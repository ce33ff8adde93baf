"""Options shared by the subcommands: argument types checked when the command line is read, and loading.

The option names are those of the Python functions (``--top-n`` is ``top_n``,
``--min-count`` is ``min_count``, ``--ngram-range`` is ``ngram_range``), and
the numbers are checked by :mod:`rhetoric.checks`, the functions' own validator.
"""

from __future__ import annotations

import argparse

from ..checks import MAX_NGRAM, check_int, check_ngram_range, check_number
from ..errors import ParameterError


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"from {minimum} to {maximum}"
    return f"of at least {minimum}" if minimum is not None else f"of at most {maximum}"


def whole_number(minimum: int = 1, maximum: int | None = None):
    """An argparse ``type``: a whole number within ``[minimum, maximum]``.

    Examples
    --------
    >>> whole_number(1, 100)("7")
    7
    >>> whole_number(1, 100)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 0 is out of range; give a whole number from 1 to 100
    """
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give a whole number "
                                             f"{_range_text(minimum, maximum)}") from None
        try:
            return check_int("value", number, minimum=minimum, maximum=maximum)
        except ParameterError:
            raise argparse.ArgumentTypeError(f"{number} is out of range; give a whole number "
                                             f"{_range_text(minimum, maximum)}") from None
    return parse


def fraction(*, open_interval: bool = False):
    """An argparse ``type``: a number between 0 and 1.

    Examples
    --------
    >>> fraction(open_interval=True)("0.9")
    0.9
    """
    def parse(value: str) -> float:
        between = "strictly between 0 and 1 (e.g. 0.95)" if open_interval else "from 0 to 1 (e.g. 0.1)"
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number; give a number {between}") from None
        try:
            return check_number("value", number, minimum=0, maximum=1, open_interval=open_interval)
        except ParameterError:
            raise argparse.ArgumentTypeError(f"{value} is out of range; give a number {between}") from None
    return parse


def ngram_range(value: str) -> tuple[int, int]:
    """An argparse ``type``: ``"2"`` -> (2, 2); ``"1-3"`` -> (1, 3).

    Examples
    --------
    >>> ngram_range("1-3")
    (1, 3)
    """
    usage = f"write N or MIN-MAX with MIN <= MAX <= {MAX_NGRAM}, e.g. 2 or 1-3"
    low, _, high = value.partition("-")
    try:
        pair = (int(low), int(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not N or MIN-MAX; {usage}") from None
    if pair[1] < pair[0]:
        raise argparse.ArgumentTypeError(f"{value!r}: the longest n, {pair[1]}, is below the shortest, {pair[0]}; "
                                         f"{usage}")
    try:
        return check_ngram_range(pair, name="value")
    except ParameterError:
        raise argparse.ArgumentTypeError(f"{value!r} is out of range; {usage}") from None


def add_selection(p) -> None:
    """``--all-versions`` and ``--prefer``: which documents count (:func:`rhetoric.counts.select_documents`)."""
    p.add_argument("--all-versions", action="store_true",
                   help="count every version of a translated text (default: once, the preferred version)")
    p.add_argument("--prefer", default="official", metavar="VERSION",
                   help="the version of a translated text that counts: a translation value or a doc_id "
                        "(default: official)")


def add_fold(p) -> None:
    p.add_argument("--fold-spelling", action="store_true", help="count British spellings as American ones")
    p.add_argument("--lemmas", action="store_true",
                   help="count lemmas instead of word forms (visited, visits -> visit; lemminflect)")


def add_top(p, default: int | None = None) -> None:
    shown = f" (default {default})" if default else ""
    p.add_argument("--top-n", type=whole_number(1), default=default, metavar="N", help=f"first N rows{shown}")


def subcommand(subparsers, parent, name: str, handler, summary: str):
    """A subcommand whose description is its handler's docstring; ``summary`` is its line in ``rhetoric --help``."""
    p = subparsers.add_parser(name, parents=[parent], help=summary,
                              description=" ".join((handler.__doc__ or summary).split()))
    p.set_defaults(handler=handler)
    return p


def finish(p, *, top_n: bool | int = False, fold: bool = True) -> None:
    """The options every analysis ends with: ``--top-n``, which documents count, spelling folding, lemmas."""
    if top_n is not False:
        add_top(p, None if top_n is True else top_n)
    add_selection(p)
    if fold:
        add_fold(p)


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

    docs = load_corpus(args.corpus, raw_text=False)  # raw offsets come from the offset maps
    return docs, tokenize(docs, fold_spelling=getattr(args, "fold_spelling", False),
                          lemmas=getattr(args, "lemmas", False))


def head(table, top_n):
    """The first ``top_n`` rows (all without it)."""
    return table.head(top_n).reset_index(drop=True) if top_n else table
