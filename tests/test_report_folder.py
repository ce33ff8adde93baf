"""The report's output folder: it writes only where it may and deletes nothing it did not write.

These tests move folders the way a build does, without running notebooks (see test_report.py for whole builds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rhetoric.errors import ReportError
from rhetoric.report.folder import (MANIFEST, check_out_folder, clear_leftovers, new_build_folder, owned_files,
                                    replace_report)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fake_build(out: Path, version: str, *, extra: dict | None = None) -> Path:
    """A finished build folder inside ``out``, as build_report leaves it before the swap."""
    build = new_build_folder(out)
    write(build / "index.html", f"<p>report {version}</p>")
    write(build / "provenance.json", json.dumps({"generator": "rhetoric report 0.2"}))
    write(build / "figures" / "f.png", f"png {version}")
    write(build / "tables" / "t.csv", f"a\n{version}\n")
    for rel, text in (extra or {}).items():
        write(build / rel, text)
    return build


def build_into(out: Path, version: str, **kwargs) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    previous = check_out_folder(out)
    return replace_report(fake_build(out, version, **kwargs), out, previous)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_missing_or_empty_folder_is_the_reports_own(tmp_path):
    assert owned_files(tmp_path / "new") == []
    (tmp_path / "empty").mkdir()
    assert owned_files(tmp_path / "empty") == []
    files = build_into(tmp_path / "empty", "1")
    assert files == ["figures/f.png", "index.html", "provenance.json", "tables/t.csv"]
    manifest = json.loads((tmp_path / "empty" / MANIFEST).read_text())
    assert manifest["files"] == files
    assert (tmp_path / "empty" / "index.html").read_text() == "<p>report 1</p>"
    assert [p.name for p in (tmp_path / "empty").iterdir() if p.name.startswith(".rhetoric-b")] == []


@pytest.mark.parametrize("entries", [[".git/HEAD", ".env"], ["index.html"], ["notes.txt", ".env"],
                                     ["figures/mine.png"]])
def test_a_foreign_folder_is_refused_and_left_untouched(tmp_path, entries):
    """Issue 14, item 1: a folder holding only dot-entries or entries named like report outputs was emptied."""
    out = tmp_path / "out"
    for rel in entries:
        write(out / rel, "user data")
    before = snapshot(out)
    with pytest.raises(ReportError, match=r"not a report folder .*not empty .*Choose another folder"):
        check_out_folder(out)
    assert snapshot(out) == before


def test_a_file_as_out_folder_is_refused(tmp_path):
    target = write(tmp_path / "report.html", "x")
    with pytest.raises(ReportError, match="is a file, not a folder"):
        check_out_folder(target)


def test_rebuild_keeps_everything_a_user_put_into_the_report_folder(tmp_path):
    out = tmp_path / "reports"
    build_into(out, "1")
    user = {".git/HEAD": "ref: refs/heads/main", ".env": "SECRET=1", "notes.md": "my notes",
            "benchmarks/benchmark.csv": "step,seconds\n", "figures/my-annotated.png": "mine",
            "tables/sub/keep.txt": "mine too"}
    for rel, text in user.items():
        write(out / rel, text)
    build_into(out, "2")
    for rel, text in user.items():
        assert (out / rel).read_text() == text, rel
    assert (out / "index.html").read_text() == "<p>report 2</p>"
    assert (out / "figures" / "f.png").read_text() == "png 2"
    # the user's files are still not the report's: a third build keeps them again
    assert "figures/my-annotated.png" not in json.loads((out / MANIFEST).read_text())["files"]
    build_into(out, "3")
    for rel, text in user.items():
        assert (out / rel).read_text() == text, rel


def test_entries_the_new_report_no_longer_makes_go_but_user_files_beside_them_stay(tmp_path):
    out = tmp_path / "reports"
    build_into(out, "1", extra={"old/a.csv": "a", "old/b.csv": "b", "gone.html": "x"})
    write(out / "old" / "mine.txt", "mine")
    build_into(out, "2")
    assert not (out / "gone.html").exists()
    assert not (out / "old" / "a.csv").exists() and not (out / "old" / "b.csv").exists()
    assert (out / "old" / "mine.txt").read_text() == "mine"


def test_a_user_file_where_the_new_report_writes_stops_the_swap_before_anything_moves(tmp_path):
    out = tmp_path / "reports"
    build_into(out, "1")
    write(out / "figures" / "new.png", "the user's")
    before = snapshot(out)
    previous = check_out_folder(out)
    build = fake_build(out, "2", extra={"figures/new.png": "the report's"})
    with pytest.raises(ReportError, match=r"figures/new.png was not written by the report.*nothing was changed"):
        replace_report(build, out, previous)
    after = {k: v for k, v in snapshot(out).items() if not k.startswith(".rhetoric-b")}
    assert after == before


def test_a_report_made_before_manifests_is_recognised_by_its_provenance(tmp_path):
    out = tmp_path / "reports"
    write(out / "provenance.json", json.dumps({"generator": "rhetoric report 0.1.0"}))
    write(out / "index.html", "old")
    write(out / "figures" / "old.png", "old")
    write(out / "benchmarks" / "b.csv", "kept")
    write(out / ".git" / "HEAD", "kept")
    assert sorted(owned_files(out)) == ["figures/old.png", "index.html", "provenance.json"]
    build_into(out, "2")
    assert not (out / "figures" / "old.png").exists()
    assert (out / "benchmarks" / "b.csv").read_text() == "kept"
    assert (out / ".git" / "HEAD").read_text() == "kept"
    # another program's provenance.json does not make a folder ours
    other = tmp_path / "other"
    write(other / "provenance.json", json.dumps({"generator": "something else"}))
    assert owned_files(other) is None


def test_a_manifest_cannot_make_the_report_touch_files_outside_its_folder(tmp_path):
    out = tmp_path / "reports"
    write(tmp_path / "precious.txt", "keep")
    write(out / MANIFEST, json.dumps({"generator": "rhetoric report", "files": ["../precious.txt", "/etc/passwd",
                                                                                 "a/../../precious.txt", "ok.html"]}))
    assert owned_files(out) == ["ok.html"]
    build_into(out, "1")
    assert (tmp_path / "precious.txt").read_text() == "keep"


def test_a_damaged_manifest_is_reported_with_what_to_do(tmp_path):
    out = tmp_path / "reports"
    write(out / MANIFEST, "{not json")
    with pytest.raises(ReportError, match=r"\.rhetoric-report\.json is damaged.*build again"):
        check_out_folder(out)


def test_leftovers_of_an_interrupted_run_are_cleared_and_nothing_else(tmp_path):
    out = tmp_path / "reports"
    build_into(out, "1")
    stale = new_build_folder(out)
    write(stale / "index.html", "half")
    write(out / ".rhetoric-notes", "a user's dot-file with our prefix but not a build folder")
    clear_leftovers(out)
    assert not stale.exists()
    assert (out / ".rhetoric-notes").exists()
    assert (out / "index.html").read_text() == "<p>report 1</p>"


def test_the_build_cache_is_not_part_of_the_report(tmp_path):
    """<out>/.rhetoric-cache (rhetoric.report.cache) is neither listed in the manifest nor a reason to refuse a
    folder, and a rebuild keeps it."""
    out = tmp_path / "reports"
    write(out / ".rhetoric-cache" / "entries" / "01_x" / "entry.json", "{}")
    write(out / ".rhetoric-report.lock", "")
    assert owned_files(out) == []  # only the lock and the cache: as good as empty
    files = build_into(out, "1")
    assert not any(f.startswith(".rhetoric-cache") for f in files)
    assert ".rhetoric-cache" not in (out / MANIFEST).read_text()
    build_into(out, "2")
    assert (out / ".rhetoric-cache" / "entries" / "01_x" / "entry.json").read_text() == "{}"
    clear_leftovers(out)
    assert (out / ".rhetoric-cache").is_dir()
