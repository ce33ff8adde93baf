"""What a report build keeps for the next one: notebooks whose inputs did not change are not run again.

The cache lives in the report folder, ``<out>/.rhetoric-cache/`` (with a
``.gitignore`` of its own, so a report folder under git does not track it).
A fresh or cleaned report folder starts without it.

A notebook's outputs (its figures, tables and page) are reused only when
nothing that could change them changed. Its key is the SHA-256 of

- the notebook file and the parameters it gets (except the output folder);
- every file of the corpus folder (except its ``interim/`` caches and hidden
  entries) and of the project's data folder (lexicons, word lists, cleaning
  rules) when that is another folder;
- every file of the installed ``rhetoric`` package (code, templates, data);
- the Python version and every installed distribution with its version, and
  the kernel's command line.

Anything else a notebook reads (the network, the clock, files elsewhere) is not
covered: the report's notebooks read only these. ``rhetoric report --no-cache``
runs every notebook. A cache entry whose files do not match their recorded
checksums is ignored. Entries are written whole (a temporary folder renamed)
and the build uses them under its lock.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from .. import config
from .folder import CACHE as CACHE_DIR
FORMAT = "rhetoric-report-cache 1"


def _hash_tree(digest, root: Path, label: str, *, skip_top: tuple[str, ...] = ()) -> None:
    """Feed every regular file below ``root`` (path, size, bytes) into ``digest``, in a stable order."""
    digest.update(f"\0tree {label}\0".encode())
    if not root.is_dir():
        digest.update(b"missing")
        return
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        rel_here = here.relative_to(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and not (rel_here == Path(".") and d in skip_top))
        for name in sorted(files):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = here / name
            if not path.is_file():
                continue
            digest.update(f"\0{(rel_here / name).as_posix()}\0{path.stat().st_size}\0".encode())
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)


def _kernel_command(kernel_name: str) -> list[str]:
    try:
        from jupyter_client.kernelspec import get_kernel_spec

        return list(get_kernel_spec(kernel_name).argv)
    except Exception:  # noqa: BLE001 - no such kernel: the build says so when it runs; here it only keys
        return [f"unknown kernel {kernel_name}"]


def inputs_fingerprint(*, corpus_dir: Path | None, kernel_name: str) -> str:
    """SHA-256 of everything the notebooks' outputs depend on except the notebooks themselves (see the module)."""
    import rhetoric

    digest = hashlib.sha256(FORMAT.encode())
    corpus = Path(corpus_dir).resolve() if corpus_dir is not None else config.DATA_DIR.resolve()
    digest.update(f"\0corpus folder {corpus if corpus_dir is not None else 'default'}\0".encode())
    _hash_tree(digest, corpus, "corpus", skip_top=("interim",))
    if config.DATA_DIR.resolve() != corpus:
        _hash_tree(digest, config.DATA_DIR.resolve(), "data", skip_top=("interim",))
    _hash_tree(digest, Path(rhetoric.__file__).resolve().parent, "package")
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
                       if d.metadata and d.metadata["Name"])
    environment = {"python": sys.version, "platform": platform.platform(), "installed": installed,
                   "kernel": _kernel_command(kernel_name)}
    digest.update(json.dumps(environment, sort_keys=True).encode())
    return digest.hexdigest()


def notebook_key(fingerprint: str, path: Path, parameters: dict) -> str:
    """The cache key of one notebook run: SHA-256 of the inputs' fingerprint, the notebook's name and bytes, and
    its parameters except ``output_dir`` (which differs between builds and does not change what is computed).

    Examples
    --------
    >>> import tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> _ = nb.write_text('{"cells": []}')
    >>> key = notebook_key("f", nb, {"output_dir": "/tmp/a"})
    >>> key == notebook_key("f", nb, {"output_dir": "/tmp/b"}), key == notebook_key("g", nb, {"output_dir": "/tmp/a"})
    (True, False)
    """
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(f"\0{path.name}\0".encode())
    digest.update(Path(path).read_bytes())
    digest.update(json.dumps({k: v for k, v in parameters.items() if k != "output_dir"}, sort_keys=True).encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


class ReportCache:
    """The cache of one report folder: notebook outputs by key, and other build products by name.

    Parameters
    ----------
    out_dir : Path
        The report folder (the cache is ``out_dir / CACHE_DIR``).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n1\\n")
    >>> cache = ReportCache(folder / "reports")
    >>> cache.store("01_x", "key1", {"tables/a.csv": folder / "a.csv"}, extra={"seconds": 2.5})
    >>> cache.lookup("01_x", "other key") is None, cache.record("01_x")
    (True, {'seconds': 2.5})
    >>> cache.restore(cache.lookup("01_x", "key1"), folder / "build")
    ['tables/a.csv']
    """

    def __init__(self, out_dir: Path):
        self.root = Path(out_dir) / CACHE_DIR

    def prepare(self) -> bool:
        """Create the cache folder (with its .gitignore), clear what an interrupted write left; False if it cannot."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            ignore = self.root / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# made by rhetoric report: the build cache is not part of the report\n*\n",
                                  encoding="utf-8")
            for stale in self.root.glob("tmp-*"):  # an interrupted write
                shutil.rmtree(stale, ignore_errors=True)
            return True
        except OSError:
            return False

    @property
    def vendor(self) -> Path:
        """Folder for built scripts (the Vega bundle)."""
        return self.root / "vendor"

    def lookup(self, name: str, key: str) -> Path | None:
        """The folder of entry ``name`` if it was stored under ``key`` and its files are whole, else None."""
        entry = self.root / "entries" / name
        try:
            record = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            if record.get("key") != key or not isinstance(record.get("files"), dict):
                return None
            for rel, digest in record["files"].items():
                if _sha256(entry / "files" / rel) != digest:
                    return None
            return entry
        except (OSError, ValueError, AttributeError):
            return None

    def record(self, name: str) -> dict:
        """The ``extra`` dict stored with entry ``name`` (empty when there is none)."""
        try:
            return json.loads((self.root / "entries" / name / "entry.json").read_text(encoding="utf-8")).get(
                "extra") or {}
        except (OSError, ValueError, AttributeError):
            return {}

    def store(self, name: str, key: str, files: dict[str, Path], extra: dict | None = None) -> None:
        """Keep ``files`` (relative path in the entry -> file to copy) as entry ``name`` under ``key``.

        A cache that cannot be written is skipped: it only costs time.
        """
        if not self.prepare():
            return
        temporary = None
        try:
            (self.root / "entries").mkdir(exist_ok=True)
            temporary = Path(tempfile.mkdtemp(prefix="tmp-", dir=self.root))
            digests = {}
            for rel, source in sorted(files.items()):
                target = temporary / "files" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                digests[rel] = _sha256(target)
            (temporary / "entry.json").write_text(json.dumps({"key": key, "files": digests, "extra": extra or {}},
                                                             indent=1, sort_keys=True), encoding="utf-8")
            entry = self.root / "entries" / name
            if entry.exists():
                aside = Path(tempfile.mkdtemp(prefix="tmp-", dir=self.root))
                os.rename(entry, aside / "old")
                shutil.rmtree(aside, ignore_errors=True)
            os.rename(temporary, entry)
            temporary = None
        except OSError:
            pass
        finally:
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)

    def restore(self, entry: Path, target: Path) -> list[str]:
        """Copy an entry's files below ``target``; return their relative paths."""
        copied = []
        for rel in _files(entry / "files"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry / "files" / rel, target / rel)
            copied.append(rel)
        return copied

    def prune(self, keep: set[str]) -> None:
        """Remove entries not named in ``keep`` (notebooks no longer in the report)."""
        entries = self.root / "entries"
        if not entries.is_dir():
            return
        for entry in entries.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
