"""Reading the project's YAML files (lexicons, cleaning rules) safely, with the line of every value.

A YAML file is refused before it is composed when it is larger than
:data:`MAX_BYTES`, nests more than :data:`MAX_DEPTH` levels, or uses an alias
(``*name``): aliases can multiply a small file into gigabytes (the "billion
laughs"), and deep nesting can exhaust the parser's stack. Only regular files
are read (a FIFO or a device would block or never end).
"""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import RhetoricError

MAX_BYTES = 5_000_000
"""Largest YAML file read, in bytes."""
MAX_DEPTH = 32
"""Most levels of nested lists and mappings."""


def read_regular_file(path: Path, *, error: type[RhetoricError], what: str, limit: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file (at most ``limit`` bytes), else ``error`` saying why."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: {what} not found; check the path.") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror}).") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, not a {what}; give the path of a file.")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: is not a regular file (a pipe, socket or device); give the path of a saved "
                    f"{what}.")
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise error(f"{path}: the {what} is {size:,} bytes, more than {limit:,}; a {what} is a small text file.")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1 if limit is not None else -1)
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror}).") from None
    if limit is not None and len(data) > limit:
        raise error(f"{path}: the {what} is more than {limit:,} bytes; a {what} is a small text file.")
    return data


def load_yaml_with_lines(path: str | Path, *, error: type[RhetoricError], what: str = "YAML file"
                         ) -> tuple[object, dict[tuple, int]]:
    """Read a YAML file into Python data and the line on which each value starts.

    Parameters
    ----------
    path : str or Path
        A UTF-8 YAML file (a byte-order mark is accepted).
    error : exception type
        Raised for every problem (``LexiconError``, ``CorpusError``).
    what : str
        What the file is, for messages ("lexicon", "cleaning rules").

    Returns
    -------
    data : object
        What ``yaml.safe_load`` would return (None for an empty file).
    lines : dict
        ``{key path: line}``, 1-based; a key path is a tuple of mapping keys and
        list indices from the top, e.g. ``("formulas", 3, "variants", 0)``.

    Raises
    ------
    error
        If the file is missing, not a regular file, too large, not UTF-8, not
        YAML (with the line and column the parser stopped at), nested too
        deeply, uses an alias, or repeats a key in one mapping.
    """
    import yaml

    path = Path(path)
    raw = read_regular_file(path, error=error, what=what, limit=MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the file as UTF-8.") from None
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 7x faster
    try:
        _check_events(yaml, loader_class, text, path, error)
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"{where}: not valid YAML ({problem}{f', column {mark.column + 1}' if mark is not None else ''}); "
                    "check the indentation and quote values containing ':' or '#'.") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({exc}).") from None
    except RecursionError:
        raise error(f"{path}: nested too deeply to read; at most {MAX_DEPTH} levels.") from None
    lines: dict[tuple, int] = {}
    if node is not None:
        _record_lines(yaml, node, (), lines, path, error)
    return data, lines


def _check_events(yaml, loader_class, text: str, path: Path, error) -> None:
    """Walk the parser's events (no recursion) and refuse aliases and deep nesting before composing."""
    loader = loader_class(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.AliasEvent):
                raise error(f"{path}:{event.start_mark.line + 1}: aliases ('*{event.anchor}') are not allowed; "
                            "write the value out in full.")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise error(f"{path}:{event.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep; "
                                "a lexicon needs a few levels.")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def _record_lines(yaml, node, key_path: tuple, lines: dict, path: Path, error) -> None:
    lines[key_path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            if key in seen:
                raise error(f"{path}:{key_node.start_mark.line + 1}: key '{key}' appears twice in one entry (first "
                            f"on line {seen[key]}); keep one.")
            seen[key] = key_node.start_mark.line + 1
            _record_lines(yaml, value_node, key_path + (key,), lines, path, error)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(yaml, item, key_path + (i,), lines, path, error)


def line_of(lines: dict[tuple, int], *key_path) -> int | None:
    """Line of a key path in a :func:`load_yaml_with_lines` table, or of its nearest known parent.

    Examples
    --------
    >>> line_of({(): 1, ("frames",): 2, ("frames", 0): 3}, "frames", 0, "terms")
    3
    """
    key_path = tuple(key_path)
    while key_path and key_path not in lines:
        key_path = key_path[:-1]
    return lines.get(key_path)
