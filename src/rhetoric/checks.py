"""Checks of option values, shared by the functions and the command line (one validator, one message style).

Every check returns the value in its canonical type or raises a
:class:`~rhetoric.errors.ParameterError` naming the option, the value and what
is allowed.
"""

from __future__ import annotations

import numbers

from .errors import ParameterError

MAX_NGRAM = 12
"""Longest n-gram any analysis counts (memory grows with n; bundles and formulas are shorter)."""


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number within ``[minimum, maximum]``.

    Examples
    --------
    >>> check_int("min_count", 3, minimum=1)
    3
    >>> check_int("top_n", 0, minimum=1)
    Traceback (most recent call last):
    ...
    rhetoric.errors.ParameterError: top_n=0 must be a whole number of at least 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ParameterError(f"{name}={value!r} must be a whole number" + _range(minimum, maximum) + ".")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ParameterError(f"{name}={value} must be a whole number" + _range(minimum, maximum) + ".")
    return value


def check_number(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
                 open_interval: bool = False) -> float:
    """A real number within ``[minimum, maximum]`` (or the open interval).

    Examples
    --------
    >>> check_number("level", 0.95, minimum=0, maximum=1, open_interval=True)
    0.95
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise ParameterError(f"{name}={value!r} must be a number" + _range(minimum, maximum, open_interval) + ".")
    value = float(value)
    low_bad = minimum is not None and (value <= minimum if open_interval else value < minimum)
    high_bad = maximum is not None and (value >= maximum if open_interval else value > maximum)
    if low_bad or high_bad:
        raise ParameterError(f"{name}={value:g} must be a number" + _range(minimum, maximum, open_interval) + ".")
    return value


def check_choice(name: str, value, choices) -> object:
    """One of ``choices``.

    Examples
    --------
    >>> check_choice("correction", "holm", (None, "holm", "bonferroni"))
    'holm'
    """
    if value not in tuple(choices):
        shown = ", ".join("None" if c is None else repr(c) for c in choices)
        raise ParameterError(f"{name}={value!r} is not known; use one of {shown}.")
    return value


def check_ngram_range(ngram_range, *, name: str = "ngram_range") -> tuple[int, int]:
    """``(min_n, max_n)`` with ``1 <= min_n <= max_n <=`` :data:`MAX_NGRAM`.

    Examples
    --------
    >>> check_ngram_range((1, 3))
    (1, 3)
    >>> check_ngram_range((1, 100_000))
    Traceback (most recent call last):
    ...
    rhetoric.errors.ParameterError: ngram_range=(1, 100000) asks for n-grams of up to 100000 tokens; at most 12 \
are counted (memory grows with n): use e.g. (1, 3).
    """
    try:
        if isinstance(ngram_range, (str, bytes)):
            raise TypeError
        low, high = ngram_range
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={ngram_range!r} must be two whole numbers (min_n, max_n), e.g. (1, 1) "
                             "for words or (1, 3) for words to trigrams.") from None
    for value in (low, high):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > MAX_NGRAM:
            raise ParameterError(f"{name}={ngram_range!r} asks for n-grams of up to {value} tokens; at most "
                                 f"{MAX_NGRAM} are counted (memory grows with n): use e.g. (1, 3).")
    low = check_int(f"{name}[0]", low, minimum=1, maximum=MAX_NGRAM)
    high = check_int(f"{name}[1]", high, minimum=low, maximum=MAX_NGRAM)
    return low, high


def _range(minimum, maximum, open_interval: bool = False) -> str:
    if minimum is not None and maximum is not None:
        return f" {'strictly ' if open_interval else ''}between {minimum:g} and {maximum:g}"
    if minimum is not None:
        return f" {'above' if open_interval else 'of at least'} {minimum:g}"
    if maximum is not None:
        return f" {'below' if open_interval else 'of at most'} {maximum:g}"
    return ""
