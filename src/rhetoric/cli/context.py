"""Subcommands ``kwic``, ``collocations``, ``ngrams`` and ``bundles``: words in their context."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ..errors import ParameterError
from .options import (add_pattern_rules, add_stop_words, finish, head, load, pattern_rules, selection, subcommand,
                      whole_number)
from .output import emit, safe_for_terminal, table_width

COLLOCATE_MEASURES = ("g2", "mi", "mi3", "t_score", "log_dice", "observed", "expected", "collocate_freq")
NGRAM_MEASURES = ("freq", "range", "g2", "mi", "t_score", "log_dice")


def register(subparsers, parent) -> None:
    p = subcommand(subparsers, parent, "kwic", run_kwic, "concordance lines (key word in context)")
    p.add_argument("pattern", metavar="PATTERN",
                   help="a word ('cooperation'), a phrase ('shared future'), a glob ('develop*', 'golden *'), "
                        "alternatives ('(shared|common) future'), an optional word ('the?') or a /regex/ word")
    add_pattern_rules(p)
    p.add_argument("--window", type=whole_number(0), default=5, metavar="N",
                   help="tokens of context each side (default 5)")
    p.add_argument("--left", type=whole_number(0), default=None, metavar="N", help="tokens of context on the left")
    p.add_argument("--right", type=whole_number(0), default=None, metavar="N", help="tokens of context on the right")
    p.add_argument("--sentence", action="store_true", help="show the whole sentence instead of a window")
    p.add_argument("--sort", default=None, metavar="LEVELS",
                   help="sort by the words at these positions, e.g. 1R,2R or 1L (default: corpus order)")
    p.add_argument("--html", metavar="FILE", default=None, help="also write the lines as an HTML page to FILE")
    finish(p, top_n=True)

    p = subcommand(subparsers, parent, "collocations", run_collocations, "window collocates of a word or phrase")
    p.add_argument("node", metavar="NODE", help="a word, phrase or glob ('cooperation', 'shared future')")
    add_pattern_rules(p)
    p.add_argument("--left", type=whole_number(0), default=5, metavar="N", help="window on the left (default 5)")
    p.add_argument("--right", type=whole_number(0), default=5, metavar="N", help="window on the right (default 5)")
    p.add_argument("--min-count", type=whole_number(1), default=2, metavar="N",
                   help="minimum co-occurrences in the windows (default 2)")
    p.add_argument("--sort-by", choices=COLLOCATE_MEASURES, default="g2", help="measure to sort by (default g2)")
    add_stop_words(p, False)
    p.add_argument("--cross-sentences", action="store_true", help="let windows run over sentence ends")
    finish(p, top_n=True)

    p = subcommand(subparsers, parent, "ngrams", run_ngrams, "recurring n-grams with association measures")
    p.add_argument("-n", type=whole_number(2, 12), default=2, metavar="N", help="n-gram length (default 2)")
    p.add_argument("--min-count", type=whole_number(1), default=2, metavar="N", help="minimum frequency (default 2)")
    p.add_argument("--sort-by", choices=NGRAM_MEASURES, default="freq", help="column to sort by (default freq)")
    add_stop_words(p, False)
    finish(p, top_n=True)

    p = subcommand(subparsers, parent, "bundles", run_bundles, "lexical bundles (recurrent 2-6-grams)")
    p.add_argument("--min-n", type=whole_number(1, 12), default=2, metavar="N", help="shortest bundle (default 2)")
    p.add_argument("--max-n", type=whole_number(1, 12), default=6, metavar="N", help="longest bundle (default 6)")
    p.add_argument("--min-count", type=whole_number(1), default=3, metavar="N", help="minimum frequency (default 3)")
    p.add_argument("--min-range", type=whole_number(1), default=2, metavar="N",
                   help="minimum number of documents (default 2)")
    p.add_argument("--no-maximal", dest="maximal", action="store_false",
                   help="keep bundles that only occur inside a longer one")
    add_stop_words(p, True)
    finish(p, top_n=True)


def _print_lines(table, stream=None) -> None:
    """Concordance lines as text: left context right-aligned, the match, the right context.

    A line fits :func:`rhetoric.cli.output.table_width` (100 characters when the output is not a terminal):
    the two contexts share what the document id and the longest match leave (the left one no wider than it
    needs), and a longer context is cut with "…" (``--format csv`` gives whole contexts, ``--sentence``
    whole sentences there).
    """
    stream = stream or sys.stdout
    if table.empty:
        stream.write("(no rows)\n")
        return
    ids = max(len(str(d)) for d in table["doc_id"])
    match = min(max(len(str(m)) for m in table["match"]) + 2, 40)
    budget = max(24, table_width(stream) - ids - match - 6)      # characters for the two contexts together
    longest_left = max(len(str(v)) for v in table["left"])
    longest_right = max(len(str(v)) for v in table["right"])
    side = min(longest_left, max(budget - longest_right, budget // 2))  # room the right side does not need
    right_side = budget - side
    cut = False
    for row in table.itertuples():
        left, right, shown = str(row.left), str(row.right), f"[{row.match}]"
        if len(left) > side:
            left, cut = "…" + left[-(side - 1):], True
        if len(right) > right_side:
            right, cut = right[:right_side - 1] + "…", True
        if len(shown) > 40:
            shown, cut = shown[:38] + "…]", True
        line = f"{row.doc_id:<{ids}}  {left:>{side}}  {shown}  {right}"
        stream.write(safe_for_terminal(line.rstrip()) + "\n")
    if cut:
        sys.stderr.write("(contexts cut to fit the terminal; --format csv shows them whole)\n")


def write_page(path: Path, text: str, *, option: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file renamed into place).

    Raises
    ------
    ParameterError
        If ``path`` is a folder, a pipe or a device, or cannot be written; naming ``option``.
    """
    def refuse(reason: str):
        raise ParameterError(f"{option} {path}: cannot write the file ({reason}); choose a path in a folder you "
                             "can write to.") from None

    try:
        if path.exists() and not path.is_file():
            refuse("Is a directory" if path.is_dir() else "not a regular file: a pipe, socket or device")
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp", delete=False)
    except OSError as exc:
        refuse(exc.strerror or str(exc))
    try:
        with handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)  # as an ordinary new file, not the temporary file's 0600
        os.replace(handle.name, path)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        refuse(exc.strerror or str(exc))


def run_kwic(args) -> int:
    """Concordance lines for a word, phrase, glob or regular expression, with the pattern rules of every analysis
    (rhetoric.patterns).
    """
    from ..stats.kwic import kwic, kwic_page

    docs, tokens = load(args)
    window = (args.left if args.left is not None else args.window,
              args.right if args.right is not None else args.window)
    table = head(kwic(tokens, docs, args.pattern, window=window, sentence=args.sentence, sort=args.sort,
                      **pattern_rules(args), **selection(args)), args.top_n)
    if args.html:
        write_page(Path(args.html), kwic_page(table, title=f"KWIC: {args.pattern} ({len(table)} lines)"),
                   option="--html")
        print(f"wrote {args.html} ({len(table)} lines)", file=sys.stderr)
    if args.format == "table":
        _print_lines(table)
    else:
        emit(table, args.format)
    return 0


def run_collocations(args) -> int:
    """Collocates of NODE in a window of tokens, with G2, MI, MI3, t-score and logDice."""
    from ..stats.collocations import collocates

    docs, tokens = load(args)
    table = collocates(tokens, docs, args.node, left=args.left, right=args.right, min_count=args.min_count,
                       stop_words=args.stop_words, within_sentence=not args.cross_sentences, sort_by=args.sort_by,
                       **pattern_rules(args), **selection(args))
    emit(head(table, args.top_n), args.format)
    return 0


def run_ngrams(args) -> int:
    """Recurring n-grams (inside sentences); bigrams with G2, MI, t-score and logDice."""
    from ..stats.collocations import recurring_ngrams

    docs, tokens = load(args)
    table = recurring_ngrams(tokens, docs, n=args.n, min_count=args.min_count, stop_words=args.stop_words,
                             sort_by=args.sort_by, **selection(args))
    emit(head(table, args.top_n), args.format)
    return 0


def run_bundles(args) -> int:
    """Lexical bundles: n-grams inside sentences with a minimum frequency and a minimum number of documents; maximal
    bundles by default.
    """
    from ..stats.bundles import lexical_bundles

    docs, tokens = load(args)
    table = lexical_bundles(tokens, docs, min_n=args.min_n, max_n=args.max_n, min_count=args.min_count,
                            min_range=args.min_range, maximal=args.maximal, stop_words=args.stop_words,
                            **selection(args))
    emit(head(table, args.top_n), args.format)
    return 0
