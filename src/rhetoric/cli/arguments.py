"""Argument types shared by the subcommands: numbers checked when the command line is read."""

from __future__ import annotations

import argparse


def whole_number(minimum: int = 1):
    """An argparse ``type`` accepting whole numbers ``>= minimum``."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"'{value}' must be at least {minimum}")
        return number
    return parse


def fraction(*, open_interval: bool = False):
    """An argparse ``type`` accepting numbers in [0, 1] (or (0, 1) with ``open_interval``)."""
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None
        inside = 0 < number < 1 if open_interval else 0 <= number <= 1
        if not inside:
            raise argparse.ArgumentTypeError(f"'{value}' must be between 0 and 1 (e.g. 0.95)")
        return number
    return parse
