"""The command line answers the report's questions with the report's numbers.

Each table the report published (``reports/tables/*.csv``, built by the notebooks with ``make report``) is
recomputed by the ``rhetoric`` command given the same question, and the two must agree cell for cell. The
report is checked against the code elsewhere (test_notebooks.py: the committed report is in step); here the
command line is checked against the report, not against the function it calls.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rhetoric import config

RHETORIC = str(Path(sys.executable).parent / "rhetoric")
TABLES = config.REPORTS_DIR / "tables"

QUESTIONS = {
    # report table: the same question on the command line
    "02_term_frequencies": ["freq", "--by", "year", "--stop-words", "--top-n", "50"],
    "02_dispersion": ["dispersion", "--min-count", "5", "--stop-words", "--top-n", "60"],
    "02_bundles": ["bundles", "--min-count", "3", "--min-range", "2"],
    "02_bigrams": ["ngrams", "-n", "2", "--min-count", "3", "--stop-words", "--sort-by", "g2", "--top-n", "30"],
    "02_collocations": ["collocations", "cooperation", "--left", "5", "--right", "5", "--min-count", "2",
                        "--stop-words", "--top-n", "30"],
    "02_similarity_pairs": ["similarity", "--pairs", "--all-versions"],
    "03_keyness_2022_vs_2024": ["keyness", "--by", "year", "--target", "2024", "--reference", "2022",
                                "--min-count", "3", "--correction", "holm"],
    "04_formula_counts_by_group": ["formulas", "--by", "year"],
    "06_bundles_all_versions": ["bundles", "--all-versions"],
}
ALL_VERSIONS_DIFFER = {"02_bundles": "06_bundles_all_versions"}


def run(args: list[str]) -> pd.DataFrame:
    env = dict(os.environ, RHETORIC_QUIET="1")
    result = subprocess.run([RHETORIC, *args, "--format", "csv"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), keep_default_na=False, na_values=[""])


def published(name: str) -> pd.DataFrame:
    path = TABLES / f"{name}.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not built (make report)")
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_command_line_gives_the_reports_numbers(name):
    report, cli = published(name), run(QUESTIONS[name])
    assert len(report) > 0, name
    report = report[[c for c in report.columns if c in cli.columns]]  # a report table may drop columns
    cli = cli[report.columns]
    pd.testing.assert_frame_equal(cli.reset_index(drop=True), report.reset_index(drop=True), check_dtype=False,
                                  rtol=1e-9, atol=1e-12)


def test_counting_every_version_changes_the_answer_and_the_report_shows_both():
    """Without --all-versions the two translations of one article are one text (as in the report); with it,
    two: more bundles pass the range threshold, and the report publishes both tables."""
    once, every = published("02_bundles"), published("06_bundles_all_versions")
    assert len(every) > len(once)
    assert len(run(["bundles"])) == len(once) and len(run(["bundles", "--all-versions"])) == len(every)
    counting = published("06_bundles_counting").set_index("counting")
    assert counting.loc["a translated text once", "bundles"] == len(once)
    assert counting.loc["every version", "bundles"] == len(every)
    assert counting.loc["every version", "documents"] == counting.loc["a translated text once", "documents"] + 1
