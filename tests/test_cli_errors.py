"""Errors a user can cause end with one line on stderr naming the file, line or option and what to do, exit
code 2, no traceback; interrupts exit cleanly; corpus text never acts on the terminal; ``--help`` stays light."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import TINY_TEXTS, write_corpus
from rhetoric.cli import build_parser, main
from rhetoric.errors import LexiconError

PYTHON = sys.executable
DEEP_YAML = "formulas:\n" + "  " + "[" * 200 + "]" * 200 + "\n"
BOMB_YAML = "\n".join(['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
                      + [f"{n}: &{n} [" + ", ".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
                      + ["formulas: [{id: x, label: y, variants: *i}]", ""])


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, out: str, err: str) -> str:
    """The error line, after checking the contract: exit 2, nothing on stdout, one line, no traceback."""
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "Traceback" not in err and "unexpected" not in err and "internal error" not in err
    return err.rstrip("\n")


def usage_error(capsys, *argv) -> str:
    """The last line of an argparse error, after checking exit code 2 and no traceback."""
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[-1]


def rhetoric(*argv, timeout: float = 120, **options) -> subprocess.CompletedProcess:
    """``rhetoric ARGV`` in a fresh interpreter."""
    return subprocess.run([PYTHON, "-c", "import sys; from rhetoric.cli import main; sys.exit(main())", *argv],
                          capture_output=True, text=True, timeout=timeout, **options)


# --------------------------------------------------------------------------- options

@pytest.mark.parametrize("argv, last", [
    (["frames", "--n-boot", "0"], "rhetoric frames: error: argument --n-boot: 0 is out of range; give a whole number "
                                  "from 1 to 100000"),
    (["frames", "--n-boot", "100001"], "rhetoric frames: error: argument --n-boot: 100001 is out of range; give a "
                                       "whole number from 1 to 100000"),
    (["frames", "--n-boot", "1e9"], "rhetoric frames: error: argument --n-boot: '1e9' is not a whole number; give a "
                                    "whole number from 1 to 100000"),
    (["frames", "--seed", "-1"], "rhetoric frames: error: argument --seed: -1 is out of range; give a whole number "
                                 "from 0 to 9223372036854775807"),
    (["frames", "--seed", str(2 ** 63)], f"rhetoric frames: error: argument --seed: {2 ** 63} is out of range; give "
                                         "a whole number from 0 to 9223372036854775807"),
    (["frames", "--level", "1"], "rhetoric frames: error: argument --level: 1 is out of range; give a number "
                                 "strictly between 0 and 1 (e.g. 0.95)"),
    (["kwic", "trade", "--window", "-2"], "rhetoric kwic: error: argument --window: -2 is out of range; give a whole "
                                          "number of at least 0"),
    (["report", "--lock-timeout", "-1"], "rhetoric report: error: argument --lock-timeout: '-1' is not a number of "
                                         "seconds; give 0 or more, e.g. 600"),
    (["report", "--cell-timeout", "-5"], "rhetoric report: error: argument --cell-timeout: -5 is out of range; give a "
                                         "whole number of at least 0"),
    (["freq", "--ngram-range", "1-40"], "rhetoric freq: error: argument --ngram-range: '1-40' is out of range; write "
                                        "N or MIN-MAX with MIN <= MAX <= 12, e.g. 2 or 1-3"),
])
def test_bad_option_values_name_the_option(capsys, argv, last):
    assert usage_error(capsys, *argv) == last


def test_bootstrap_bounds_match_the_function(capsys):
    import rhetoric.cli.framing as cli_framing
    import rhetoric.formulas.framing as framing

    assert (cli_framing.MAX_BOOT, cli_framing.MAX_SEED) == (framing.MAX_BOOT, framing.MAX_SEED)


def test_bootstrap_too_large_for_memory_is_refused_before_drawing(capsys, tmp_path, monkeypatch):
    import rhetoric.formulas.framing as framing

    text = "\n\n".join(["Trade and security."] * 7000)  # 7000 paragraphs
    folder = write_corpus(tmp_path / "long", {"x": ("2023", "", "", "p", text)})
    monkeypatch.setattr(framing, "bootstrap_shares", lambda *a, **k: pytest.fail("the bootstrap ran"))
    line = one_line_error(*run(capsys, "frames", "--by", "year", "--n-boot", "100000", "--corpus", str(folder)))
    # 100,000 x 7,000 paragraphs x 9 frames of the project lexicon
    assert line == ("error: n_boot=100000 over 7,000 paragraphs and 9 frames is 6,300,000,000 values, more than "
                    "2,000,000,000; use n_boot=31746 or fewer (--n-boot), or group fewer documents.")


@pytest.mark.parametrize("argv, message", [
    (["formulas", "--by", "offsets"], "unknown grouping column 'offsets'"),
    (["formulas", "--by", "raw_text"], "unknown grouping column 'raw_text'"),
    (["frames", "--by", "text"], "unknown grouping column 'text'"),
    (["frames", "--unit", "offsets"], "unknown grouping column 'offsets'"),
    (["freq", "--by", "rule_counts"], "unknown grouping column 'rule_counts'"),
    (["keyness", "--by", "offsets", "--target", "x"], "unknown grouping column 'offsets'"),
    (["tfidf", "--by", "path"], "unknown grouping column 'path'"),
])
def test_grouping_by_text_or_offsets_is_refused(capsys, tiny_dir, argv, message):
    line = one_line_error(*run(capsys, *argv, "--corpus", str(tiny_dir)))
    assert message in line and "the corpus has: doc_id, date, file" in line


@pytest.mark.parametrize("argv, message", [
    (["kwic", "(" * 40 + "trade" + ")" * 40], "nests groups more than 16 deep; write the alternatives as separate "
                                              "patterns."),
    (["freq", "(" * 40 + "trade" + ")" * 40], "nests groups more than 16 deep"),
    (["collocations", "(" * 40 + "trade" + ")" * 40], "nests groups more than 16 deep"),
    (["dispersion", "(" * 40 + "trade" + ")" * 40], "nests groups more than 16 deep"),
    (["kwic", "/" + "(" * 500 + "x" + ")" * 500 + "/"], "nests too deeply to compile; simplify it."),
    (["kwic", "trade " * 500], "characters is too long (at most 2000); split it into several patterns."),
    (["kwic", "/(a|aa)+b/"], None),  # no catastrophic slowdown on the corpus: matched or refused quickly
    (["kwic", ""], "is empty; give a word"),
])
def test_pathological_patterns(capsys, tiny_dir, argv, message):
    started = time.monotonic()
    code, out, err = run(capsys, *argv, "--corpus", str(tiny_dir))
    assert time.monotonic() - started < 30
    if message is None:
        assert code in (0, 2) and "Traceback" not in err
        return
    assert message in one_line_error(code, out, err)


# --------------------------------------------------------------------------- lexicons

@pytest.mark.parametrize("text, message", [
    (DEEP_YAML, "nested more than 32 levels deep; a lexicon needs a few levels."),
    (BOMB_YAML, ":2: aliases ('*a') are not allowed; write the value out in full."),
])
def test_nested_and_alias_yaml_is_refused_by_both_loaders(capsys, tmp_path, tiny_dir, text, message):
    from rhetoric.formulas.framing import load_frame_lexicon
    from rhetoric.formulas.lexicon import load_formula_lexicon

    path = tmp_path / "evil.yml"
    path.write_text(text, encoding="utf-8")
    for loader in (load_formula_lexicon, load_frame_lexicon):
        with pytest.raises(LexiconError) as info:
            loader(path)
        assert str(info.value).startswith(f"{path}:") and message in str(info.value)
    for argv in (["formulas", "--lexicon", str(path)], ["formulas", "--list", "--lexicon", str(path)],
                 ["frames", "--frames", str(path)], ["frames", "--list", "--frames", str(path)]):
        line = one_line_error(*run(capsys, *argv, "--corpus", str(tiny_dir)))
        assert line.startswith(f"error: {path}:") and message in line


def test_a_fifo_as_lexicon_does_not_hang(tmp_path, tiny_dir):
    fifo = tmp_path / "lexicon.yml"
    os.mkfifo(fifo)
    for argv in (["formulas", "--lexicon", str(fifo)], ["candidates", "--lexicon", str(fifo)],
                 ["frames", "--frames", str(fifo)], ["frames", "--list", "--frames", str(fifo)]):
        done = rhetoric(*argv, "--corpus", str(tiny_dir), timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == (f"error: {fifo}: is not a regular file (a pipe, socket or device); give the path of a "
                               "saved lexicon file.\n")


def test_a_folder_as_lexicon(capsys, tmp_path, tiny_dir):
    line = one_line_error(*run(capsys, "frames", "--frames", str(tmp_path), "--corpus", str(tiny_dir)))
    assert line == f"error: {tmp_path}: is a folder, not a lexicon file; give the path of a file."


# --------------------------------------------------------------------------- output files

def test_kwic_html_into_a_path_that_cannot_be_written(capsys, tmp_path, tiny_dir):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    line = one_line_error(*run(capsys, "kwic", "trade", "--html", str(blocker / "page.html"), "--corpus",
                               str(tiny_dir)))
    assert line == (f"error: --html {blocker / 'page.html'}: cannot write the file (Not a directory); choose a path "
                    "in a folder you can write to.")
    line = one_line_error(*run(capsys, "kwic", "trade", "--html", str(tmp_path), "--corpus", str(tiny_dir)))
    assert "cannot write the file (Is a directory)" in line
    if Path("/dev/full").exists():  # a device
        line = one_line_error(*run(capsys, "kwic", "trade", "--html", "/dev/full", "--corpus", str(tiny_dir)))
        assert line.startswith("error: --html /dev/full: cannot write the file (not a regular file: a pipe")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "tiny"]  # no temporary file left behind


def test_kwic_html_into_a_fifo_does_not_hang(tmp_path, tiny_dir):
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    done = rhetoric("kwic", "trade", "--html", str(fifo), "--corpus", str(tiny_dir), timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"error: --html {fifo}: cannot write the file (not a regular file: a pipe, socket or "
                           "device); choose a path in a folder you can write to.\n")


def test_kwic_html_replaces_a_page_whole(capsys, tmp_path, tiny_dir, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # the table's default width (pytest-xdist workers set COLUMNS)
    page = tmp_path / "page.html"
    page.write_text("old page", encoding="utf-8")
    code, _, err = run(capsys, "kwic", "security", "--html", str(page), "--corpus", str(tiny_dir))
    assert code == 0 and err == f"wrote {page} (3 lines)\n"
    assert page.read_text(encoding="utf-8").count('<td class="match"') == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "tiny"]
    mask = os.umask(0)
    os.umask(mask)
    assert page.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write into a read-only folder")
def test_kwic_html_into_a_read_only_folder(capsys, tmp_path, tiny_dir):
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        line = one_line_error(*run(capsys, "kwic", "trade", "--html", str(folder / "p.html"), "--corpus",
                                   str(tiny_dir)))
    finally:
        folder.chmod(0o755)
    assert "cannot write the file (Permission denied)" in line


# --------------------------------------------------------------------------- what main maps

def handler_raising(monkeypatch, exc: BaseException):
    import rhetoric.cli.corpus as cli_corpus

    def boom(args):
        raise exc
    monkeypatch.setattr(cli_corpus, "run_validate", boom)


def test_memory_and_os_errors_are_one_line(capsys, monkeypatch):
    handler_raising(monkeypatch, MemoryError())
    line = one_line_error(*run(capsys, "validate"))
    assert line == ("error: not enough memory for this command; use smaller options (--n-boot, --ngram-range, "
                    "--window, --top-n) or a smaller corpus.")
    handler_raising(monkeypatch, PermissionError(13, "Permission denied", "/some/file.txt"))
    line = one_line_error(*run(capsys, "validate"))
    assert line == ("error: /some/file.txt: Permission denied; check the path, its permissions and the free disk "
                    "space.")


def test_a_bug_is_an_internal_error_with_a_hint(capsys, monkeypatch):
    handler_raising(monkeypatch, ZeroDivisionError("division by zero"))
    code, out, err = run(capsys, "validate")
    assert code == 1 and out == "" and "Traceback" not in err
    assert err == ("error: internal error (ZeroDivisionError: division by zero); please report it with the command "
                   "you ran (run again with --debug for the traceback).\n")
    with pytest.raises(ZeroDivisionError):
        main(["validate", "--debug"])


def test_keyboard_interrupt_exits_130(capsys, monkeypatch):
    handler_raising(monkeypatch, KeyboardInterrupt())
    code, out, err = run(capsys, "validate")
    assert (code, out, err) == (130, "", "interrupted\n")


SLOW_COMMAND = textwrap.dedent("""
    import sys, time
    import rhetoric.cli.corpus as cli_corpus
    def slow(args):
        print("ready", flush=True)
        time.sleep(60)
    cli_corpus.run_validate = slow
    from rhetoric.cli import main
    sys.exit(main(["validate"]))
""")


def _sigint_as_in_a_terminal() -> None:
    """A child of a background job inherits SIGINT ignored (Python then keeps ignoring it); a user's terminal
    delivers it. Restore the default so the test does not depend on how the suite was started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_exit_cleanly(signum, code):
    process = subprocess.Popen([PYTHON, "-c", SLOW_COMMAND], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=_sigint_as_in_a_terminal)
    try:
        assert process.stdout.readline() == "ready\n"
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code
    assert err == "interrupted\n" and out == ""


def test_broken_pipe_is_quiet(tmp_path):
    done = subprocess.run(f"{PYTHON} -c 'import sys; from rhetoric.cli import main; sys.exit(main())' "
                          "freq --by corpus --format csv | head -n 1", shell=True, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout == "group,term,count,per_10k,range,n_docs\n"
    assert done.stderr == ""


def test_an_ascii_terminal_gets_escapes_not_a_crash(tmp_path):
    texts = {"x": ("2022", "", "", "p", "Trade with Astana \u2014 \u9ec4\u91d1\u4e09\u5341\u5e74 \u2014 grew.")}
    folder = write_corpus(tmp_path / "utf", texts)
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    done = rhetoric("kwic", "trade", "--sentence", "--corpus", str(folder), env=env)
    assert done.returncode == 0, done.stderr
    assert "\\u9ec4\\u91d1\\u4e09\\u5341\\u5e74" in done.stdout


# --------------------------------------------------------------------------- the terminal

class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


CONTROL = "\x1b[2J\x1b]0;owned\x07\x7f"


@pytest.fixture
def hostile_corpus(tmp_path):
    texts = dict(TINY_TEXTS)
    texts["c_2024"] = ("2024-07", "c_2024", "", "late",
                       f"Trade {CONTROL} grew 5 percent. Security \u202eytiruces\u202c matters.")
    folder = write_corpus(tmp_path / "hostile", texts)
    table = folder / "corpus.csv"
    rows = table.read_text(encoding="utf-8").splitlines()
    rows[0] += ",title"
    rows[1:] = [row + (f',Title {CONTROL}' if row.startswith("c_2024") else ",Plain") for row in rows[1:]]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def terminal_output(monkeypatch, argv) -> tuple[int, str, str]:
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [
    ["kwic", "trade", "--window", "4"], ["kwic", "security", "--sentence"], ["corpus"], ["freq", "--by", "title"],
    ["kwic", "trade", "--format", "csv"], ["corpus", "--format", "csv"], ["claims", "--format", "csv"],
    ["kwic", "trade", "--format", "json"], ["freq", "--by", "title", "--format", "table"],
    ["frames", "--unit", "title", "--format", "csv"], ["formulas", "--by", "title", "--format", "json"],
])
def test_control_characters_are_escaped_in_a_terminal(monkeypatch, hostile_corpus, argv):
    code, out, err = terminal_output(monkeypatch, argv + ["--corpus", str(hostile_corpus)])
    assert code == 0, err
    assert "owned" in out or "ytiruces" in out  # the text is shown...
    for char in "\x1b\x07\x7f\u202e\u202c":
        assert char not in out and char not in err  # ...but nothing in it acts on the terminal
    if "--format" in argv and argv[argv.index("--format") + 1] == "json":
        json.loads(out)  # still JSON
    assert any(escaped in out for escaped in ("\\x1b", "\\u001b", "\\u202e"))


def test_control_characters_pass_through_to_a_file(monkeypatch, hostile_corpus, capsys):
    code, out, _ = run(capsys, "kwic", "trade", "--format", "csv", "--corpus", str(hostile_corpus))
    assert code == 0 and CONTROL in out  # CSV to a pipe or file is exactly the data


def test_validate_escapes_what_it_quotes(monkeypatch, hostile_corpus):
    table = hostile_corpus / "corpus.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("2024-07,", "2024-\x1b[31m07,"), encoding="utf-8")
    code, out, err = terminal_output(monkeypatch, ["validate", "--corpus", str(hostile_corpus)])
    assert code == 1 and "[date]" in err and "\x1b" not in err + out


def test_a_real_pseudo_terminal(hostile_corpus):
    """Through a pseudo-terminal: what the user's terminal would receive."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([PYTHON, "-c", "import sys; from rhetoric.cli import main; sys.exit(main())", "kwic",
                                "trade", "--format", "csv", "--corpus", str(hostile_corpus)],
                               stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    received = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=30) == 0
    text = received.decode("utf-8")
    assert "owned" in text and "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text


# --------------------------------------------------------------------------- help

HELP_EVERYTHING = textwrap.dedent("""
    import contextlib, io, sys
    from rhetoric.cli import build_parser, main
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    for argv in [["--help"]] + [[name, "--help"] for name in commands]:
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(argv)
            except SystemExit as exc:
                assert exc.code == 0, argv
    print(len(commands), sorted({m.split(".")[0] for m in sys.modules} & {"pandas", "sklearn", "scipy", "numpy",
                                                                           "matplotlib", "yaml", "regex"}))
""")


def test_help_does_not_import_the_analyses():
    done = subprocess.run([PYTHON, "-c", HELP_EVERYTHING], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "24 []"  # rhetoric --help and every COMMAND --help: no numpy, pandas, sklearn
    done = subprocess.run([PYTHON, "-X", "importtime", "-c", "import rhetoric.cli, sys; rhetoric.cli.build_parser()"],
                          capture_output=True, text=True, timeout=120)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert done.returncode == 0 and "rhetoric" in imported
    assert not imported & {"pandas", "sklearn", "scipy", "numpy"}


def test_every_subcommand_has_a_description():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert sorted(commands) == sorted(["corpus", "validate", "freq", "dispersion", "tfidf", "keyness", "similarity",
                                       "kwic", "collocations", "ngrams", "bundles", "formulas", "candidates", "align",
                                       "renderings", "frames", "claims", "report", "lemmas", "trends", "diversity",
                                       "readability", "network", "ca"])
    for name, sub in commands.items():
        assert sub.description and len(sub.description) > 40, name
        assert sub.format_help().startswith(f"usage: rhetoric {name}")


def test_an_unknown_option_is_blamed_on_its_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["freq", "--bogus", "golden"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "usage: rhetoric freq" in err and "rhetoric freq: error: unrecognized arguments: --bogus" in err
    assert "`rhetoric freq --help` lists its options" in err
