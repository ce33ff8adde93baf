"""The report's output folder: what the report owns in it, and how a new build replaces it.

The report writes only into a folder it created or one it marked as its own,
and it never deletes anything it did not write:

- ``<out>/.rhetoric-report.json`` (the manifest) lists every file the last
  build wrote, by path relative to the folder. A folder is the report's own
  when it has a manifest, when it is empty or missing, or when it holds a
  report made before manifests existed (a ``provenance.json`` whose
  ``generator`` is ``rhetoric report``: then only the report's own top-level
  entries count as written by it). Any other non-empty folder is refused.
- A build is made in ``<out>/.rhetoric-building-*/`` and moved in entry by
  entry (one rename each, signals held back meanwhile). Files a user put into
  the folder (beside the report or inside its sub-folders) are not in the
  manifest and stay where they are; the previous report's own entries are
  moved aside and removed only after the new ones are in place.
- The lock (``<out>/.rhetoric-report.lock``) and the temporary folders live in
  the output folder itself, never beside it or in the corpus; so does the build
  cache (``<out>/.rhetoric-cache/``, :mod:`rhetoric.report.cache`), which is
  not part of the report: it is not in the manifest, a rebuild keeps it, and a
  folder holding only it (and the lock) counts as empty.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path, PurePosixPath

from ..errors import ReportError

MANIFEST = ".rhetoric-report.json"
"""The manifest of what the report wrote, inside the output folder."""
LOCK = ".rhetoric-report.lock"
BUILDING_PREFIX = ".rhetoric-building-"
ASIDE_PREFIX = ".rhetoric-previous-"
CACHE = ".rhetoric-cache"
"""The build cache inside the output folder (see :mod:`rhetoric.report.cache`)."""
LEGACY_ENTRIES = ("index.html", "provenance.json", "figures", "tables", "notebooks")
"""Top-level entries a report made before manifests existed (so they are the report's own)."""


def _relative_files(root: Path) -> list[str]:
    """Every file (or symlink) below ``root``, as sorted POSIX paths relative to it."""
    found = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            found.append((base / name).relative_to(root).as_posix())
    return sorted(found)


def _safe_relative(path: object) -> str | None:
    """A manifest entry that stays inside the folder, or None."""
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return None
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts):
        return None
    return pure.as_posix()


def owned_files(out_dir: Path) -> list[str] | None:
    """Files the report wrote in ``out_dir`` (relative paths), or None if the folder is not the report's.

    Raises
    ------
    ReportError
        If ``out_dir`` is a file, or its manifest is unreadable.
    """
    if not out_dir.exists() and not out_dir.is_symlink():
        return []
    if not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is a file, not a folder; choose a folder for the report.")
    manifest = out_dir / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            files = data["files"]
            if not isinstance(files, list):
                raise TypeError("'files' is not a list")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReportError(f"{manifest} is damaged ({exc}); it lists what the report wrote. Delete the report's "
                              "own files by hand (index.html, provenance.json, figures/, tables/, notebooks/) and the "
                              "manifest, then build again.") from None
        return [p for p in map(_safe_relative, files) if p is not None]
    entries = [p.name for p in out_dir.iterdir()
               if p.name not in (LOCK, CACHE) and not p.name.startswith((BUILDING_PREFIX, ASIDE_PREFIX))]
    if not entries:
        return []
    provenance = out_dir / "provenance.json"
    if provenance.is_file():
        try:
            generator = json.loads(provenance.read_text(encoding="utf-8")).get("generator", "")
        except (OSError, ValueError, AttributeError):
            generator = ""
        if isinstance(generator, str) and generator.startswith("rhetoric report"):
            files = []
            for name in LEGACY_ENTRIES:
                entry = out_dir / name
                if entry.is_dir() and not entry.is_symlink():
                    files += [f"{name}/{f}" for f in _relative_files(entry)]
                elif entry.exists() or entry.is_symlink():
                    files.append(name)
            return files
    return None


def check_out_folder(out_dir: Path) -> list[str]:
    """The files the report may replace in ``out_dir``; a folder that is not the report's is refused.

    Raises
    ------
    ReportError
        Naming the folder and some of what it holds, when it is neither empty
        nor a report's.
    """
    files = owned_files(out_dir)
    if files is None:
        held = sorted(p.name for p in out_dir.iterdir())
        shown = ", ".join(held[:6]) + (" ..." if len(held) > 6 else "")
        raise ReportError(f"{out_dir} is not a report folder (it has no {MANIFEST}) and is not empty (it holds "
                          f"{shown}); the report writes only into a new or empty folder or one it made. Choose "
                          "another folder with --out.")
    return files


def clear_leftovers(out_dir: Path) -> None:
    """Remove build and set-aside folders that an interrupted run left (they are the report's own)."""
    if out_dir.is_dir():
        for entry in out_dir.iterdir():
            if entry.name.startswith((BUILDING_PREFIX, ASIDE_PREFIX)) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


def new_build_folder(out_dir: Path) -> Path:
    """A temporary folder inside ``out_dir`` for the next build, readable like the report will be."""
    build = Path(tempfile.mkdtemp(prefix=BUILDING_PREFIX, dir=out_dir))
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(build, 0o777 & ~mask)  # mkdtemp makes it private; the report is for readers
    return build


@contextlib.contextmanager
def _signals_held():
    """Hold back SIGINT and SIGTERM (delivered on exit) while a few renames run."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not the main thread, or no POSIX signals
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_manifest(out_dir: Path, files: list[str]) -> None:
    payload = json.dumps({"generator": "rhetoric report", "files": files}, indent=1, sort_keys=True) + "\n"
    handle = tempfile.NamedTemporaryFile("w", dir=out_dir, prefix=".rhetoric-manifest-", suffix=".tmp",
                                         delete=False, encoding="utf-8")
    try:
        with handle:
            handle.write(payload)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, out_dir / MANIFEST)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _user_files_in(out_dir: Path, name: str, owned: set[str]) -> list[str]:
    """Files below the report's folder ``name`` that the report did not write (a user put them there)."""
    entry = out_dir / name
    if not entry.is_dir() or entry.is_symlink():
        return []
    return [f"{name}/{f}" for f in _relative_files(entry) if f"{name}/{f}" not in owned]


def replace_report(build: Path, out_dir: Path, previous_files: list[str]) -> list[str]:
    """Move the finished ``build`` into ``out_dir``, entry by entry; return the files it wrote.

    Top-level entries of the build replace the report's own entries of the
    same name; the previous report's entries the build no longer makes are
    removed; a user's files (not in ``previous_files``) are never touched:
    inside a sub-folder the report replaces, they are moved into the new one.

    Raises
    ------
    ReportError
        Before anything is moved, when a user's file stands where the new
        report writes (the message names it).
    """
    owned = set(previous_files)
    owned_top = {f.split("/", 1)[0] for f in owned}
    new_files = _relative_files(build)
    new_top = sorted({f.split("/", 1)[0] for f in new_files})
    conflicts = []
    carried: list[str] = []
    for name in new_top:
        target = out_dir / name
        if (target.exists() or target.is_symlink()) and name not in owned_top:
            conflicts.append(name)
    for name in sorted(owned_top & set(new_top)):
        for rel in _user_files_in(out_dir, name, owned):
            if (build / rel).exists() or (build / rel).is_symlink():
                conflicts.append(rel)
            else:
                carried.append(rel)
    if conflicts:
        raise ReportError(f"{out_dir / conflicts[0]} was not written by the report, but the new report writes "
                          "there; move it elsewhere and build again (nothing was changed).")
    aside = Path(tempfile.mkdtemp(prefix=ASIDE_PREFIX, dir=out_dir))
    with _signals_held():
        for rel in carried:  # a user's file inside a folder the report replaces: into the new folder
            (build / rel).parent.mkdir(parents=True, exist_ok=True)
            os.rename(out_dir / rel, build / rel)
        for name in new_top:
            target = out_dir / name
            if target.exists() or target.is_symlink():
                os.rename(target, aside / name)
            os.rename(build / name, target)
        for name in sorted(owned_top - set(new_top)):  # the new report no longer makes it
            target = out_dir / name
            if not (target.exists() or target.is_symlink()):
                continue
            if not _user_files_in(out_dir, name, owned):
                os.rename(target, aside / name)
                continue
            for rel in sorted(f for f in owned if f.split("/", 1)[0] == name):  # keep the user's files
                if (out_dir / rel).is_file() or (out_dir / rel).is_symlink():
                    (aside / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.rename(out_dir / rel, aside / rel)
        _write_manifest(out_dir, new_files)
    shutil.rmtree(aside, ignore_errors=True)
    shutil.rmtree(build, ignore_errors=True)  # empty now: everything was moved out
    return new_files
