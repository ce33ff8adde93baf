"""Every subcommand of `rhetoric` explains itself: a description, and help text for every option and argument."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from rhetoric.cli import build_parser

RHETORIC = str(Path(sys.executable).parent / "rhetoric")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_subcommand_and_option_has_help_text(name):
    sub = subcommands()[name]
    assert sub.description and len(sub.description.split()) >= 4, f"rhetoric {name}: no description"
    silent = [a.option_strings[0] if a.option_strings else a.dest for a in sub._actions
              if not (a.help and a.help.strip()) and a.help != argparse.SUPPRESS]
    assert not silent, f"rhetoric {name}: options without help text: {silent}"


@pytest.mark.parametrize("name, words", [
    ("keyness", ["Keyness of every term", "Holm", "log ratio"]),
    ("freq", ["Count, rate per 10,000 tokens", "range"]),
])
def test_help_of_keyness_and_freq_has_a_description(name, words):
    done = subprocess.run([RHETORIC, name, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    description = done.stdout.split("\n\n")[1]          # usage, then the description
    text = " ".join(description.split())
    for word in words:
        assert word in text, (word, text)
