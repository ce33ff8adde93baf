"""Exception types. Every message names the file, line or field and says how to fix it."""

from __future__ import annotations


class RhetoricError(Exception):
    """Base class for errors the command line reports without a traceback."""


class CorpusError(RhetoricError, ValueError):
    """A corpus folder, its corpus.csv or one of its text files is not usable."""


class LexiconError(RhetoricError, ValueError):
    """A lexicon (YAML) file is malformed."""


class ParameterError(RhetoricError, ValueError):
    """An option is out of range or names something that does not exist."""


class ReportError(RhetoricError, RuntimeError):
    """Building the report failed; the previous report is left in place."""
