"""``rhetoric frames`` and ``rhetoric claims`` write exactly the functions' tables, with the caveat on stderr."""

from __future__ import annotations

import json

import pytest

from conftest import write_corpus
from rhetoric.claims import numeric_claims, trade_figures
from rhetoric.cli import COMMAND_MODULES, main
from rhetoric.corpus import load_corpus
from rhetoric.framing import (frame_definitions, frame_hits, frame_share_intervals, frame_shares, frame_shift,
                              load_frame_lexicon)
from rhetoric.tokens import tokenize

LEXICON = """\
frames:
  - id: trade
    label: Trade
    terms: [trade, trading partner*]
  - id: security
    label: Security
    terms: [security, stability]
  - id: people
    label: People
    terms: [people-to-people exchanges, culture]
"""
TEXTS = {
    "k1": ("2022-01-05", "", "", "early", "Trade and security.\n\nStability and trade.\n\nCulture."),
    "k2": ("2022-06-01", "", "", "early", "Trade grew 10 percent to $5 billion last year.\n\nSecurity."),
    "k3": ("2024-02-01", "", "", "late",
           "People-to-people exchanges and culture.\n\nTrade, trade.\n\nSecurity matters. Trading partners."),
}


@pytest.fixture
def corpus(tmp_path):
    folder = write_corpus(tmp_path / "cli_frames", TEXTS)
    (folder / "lexicons").mkdir()
    (folder / "lexicons" / "frames.yml").write_text(LEXICON, encoding="utf-8")
    docs = load_corpus(folder)
    return folder, docs, tokenize(docs, cache=False)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_of(frame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def test_framing_is_registered():
    assert "framing" in COMMAND_MODULES


@pytest.mark.parametrize("argv, make", [
    ([], lambda t, d: frame_shares(t, d)),
    (["--unit", "paragraph"], lambda t, d: frame_shares(t, d, unit="paragraph")),
    (["--unit", "year", "--prefer", "all"], lambda t, d: frame_shares(t, d, unit="year", prefer=None)),
    (["--by", "year", "--n-boot", "300", "--seed", "4"],
     lambda t, d: frame_share_intervals(t, d, by="year", n_boot=300, seed=4)),
    (["--by", "period", "--level", "0.9", "--n-boot", "200"],
     lambda t, d: frame_share_intervals(t, d, by="period", level=0.9, n_boot=200)),
    (["--shift", "2022", "2024", "--n-boot", "250"],
     lambda t, d: frame_shift(t, d, from_group=2022, to_group=2024, n_boot=250)),
])
def test_frames_csv_is_the_function_table(capsys, corpus, argv, make):
    folder, docs, tokens = corpus
    code, out, err = run(capsys, "frames", "--corpus", str(folder), "--format", "csv", "--quiet", *argv)
    expected = make(tokens, docs)
    assert code == 0
    assert out == csv_of(expected)
    assert err.strip() == f"note: {expected.attrs['caveat']}"


def test_frames_table_format_and_caveat(capsys, corpus):
    folder, _, _ = corpus
    code, out, err = run(capsys, "frames", "--corpus", str(folder), "--by", "year", "--n-boot", "100")
    assert code == 0
    assert out.splitlines()[0].split()[:6] == ["group", "frame", "label", "hits", "share", "ci_low"]
    assert "2022 rests on 2 documents (k1, k2)" in err and "2024 rests on 1 document (k3)" in err
    assert "rests on" not in out  # the caveat never mixes into the table


def test_frames_hits_list_and_json(capsys, corpus):
    folder, docs, tokens = corpus
    code, out, _ = run(capsys, "frames", "--corpus", str(folder), "--hits", "--format", "csv")
    assert code == 0 and out == csv_of(frame_hits(tokens, docs))
    assert "k3,people,People,people-to-people exchanges,People-to-people exchanges" in out
    code, out, _ = run(capsys, "frames", "--corpus", str(folder), "--list", "--format", "json",
                       "--frames", str(folder / "lexicons" / "frames.yml"))
    assert code == 0
    assert json.loads(out) == json.loads(
        frame_definitions(load_frame_lexicon(folder / "lexicons" / "frames.yml")).to_json(orient="records"))


def test_frames_errors_exit_2(capsys, corpus, tmp_path):
    folder, _, _ = corpus
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--frames", str(tmp_path / "nope.yml"))
    assert code == 2 and "nope.yml: frame lexicon not found" in err
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--unit", "decade")
    assert code == 2 and "unknown grouping column 'decade'" in err
    code, _, err = run(capsys, "frames", "--corpus", str(folder), "--shift", "2022", "2030")
    assert code == 2 and "to_group='2030' is not a group of 'year'; groups are: 2022, 2024" in err
    with pytest.raises(SystemExit):
        main(["frames", "--corpus", str(folder), "--unit", "year", "--by", "year"])
    with pytest.raises(SystemExit):
        main(["frames", "--n-boot", "0"])


def test_claims_csv_is_the_function_table(capsys, corpus):
    folder, docs, tokens = corpus
    code, out, _ = run(capsys, "claims", "--corpus", str(folder), "--format", "csv")
    claims = numeric_claims(tokens, docs)
    assert code == 0 and out == csv_of(claims)
    assert claims[["text", "measure"]].values.tolist() == [["10 percent", "bilateral trade growth"],
                                                           ["$5 billion", "bilateral trade"]]
    code, out, _ = run(capsys, "claims", "--corpus", str(folder), "--trade", "--format", "csv")
    trade = trade_figures(claims, docs)
    assert code == 0 and out == csv_of(trade)
    assert trade["label"].tolist() == ["2021: 5 billion USD (k2)"]


def test_claims_on_the_project_corpus(capsys):
    code, out, _ = run(capsys, "claims", "--trade", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["value"] for r in rows] == [17.67, 25.0, 36.87, 41.0]
