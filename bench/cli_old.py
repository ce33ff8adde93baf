"""Subcommand ``rhetoric bench``: the speed and scale benchmark."""

from __future__ import annotations

import sys

from .. import config
from ..bench import BASE_WORDS, format_results, run_benchmark
from .output import emit


def register(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "bench", parents=[parent],
        help="speed and scale benchmark: every analysis at 1x, 4x, 16x, against NLTK and scikit-learn",
        description="Time and measure every step on corpora of growing size (synthetic ones resampled from the "
                    "project texts, or copies of --corpus DIR), compare with NLTK and scikit-learn, check the "
                    "targets of issue 8, and write benchmark.csv, baselines.csv, targets.csv and README.md to "
                    "--out. With --format csv/json, prints the per-step table instead of the summary.")
    p.add_argument("--sizes", default="1,4,16", metavar="LIST",
                   help="multiples of the base corpus, comma-separated (default: 1,4,16)")
    p.add_argument("--base-words", type=int, default=BASE_WORDS, metavar="N",
                   help=f"words of the 1x synthetic corpus (default: {BASE_WORDS:,}, so 16x is about two "
                        "million; --base-words 2000000 --sizes 1 checks the two-million-word targets alone); "
                        "ignored with --corpus")
    p.add_argument("--repeat", type=int, default=3, metavar="N",
                   help="runs of each fast step, fastest kept (default: 3)")
    p.add_argument("--no-baselines", action="store_true", help="skip the NLTK and scikit-learn baselines")
    p.add_argument("--no-project", action="store_true",
                   help="skip the small-corpus targets on the project's own corpus")
    p.add_argument("--with-report", action="store_true",
                   help="also time `rhetoric report` (built into a scratch folder; reports/ is left alone)")
    p.add_argument("--out", default=str(config.BENCHMARK_DIR), metavar="DIR",
                   help="folder for the result files (default: reports/benchmarks/)")
    p.set_defaults(handler=run_bench)


def run_bench(args) -> int:
    command = "rhetoric " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0].endswith("rhetoric") else None
    results = run_benchmark(corpus_dir=args.corpus, sizes=args.sizes, base_words=args.base_words,
                            out_dir=args.out, baselines=not args.no_baselines, repeat=args.repeat,
                            project_targets=not args.no_project, time_report=args.with_report, command=command,
                            progress=False if args.quiet else None)
    if args.format == "table":
        sys.stdout.write(format_results(results))
        print(f"\nwritten to {args.out}/: benchmark.csv, baselines.csv, targets.csv, README.md")
    else:
        emit(results.steps, args.format)
    return 0
