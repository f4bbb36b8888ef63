"""A large .jsonl file is read a line at a time (``ingest.STREAM_JSONL_BYTES``): the same
articles, errors, warnings and line numbers as reading it whole, with one line in memory."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import ingest

TODAY = dt.date(2026, 11, 22)
LINES = [
    '{"id": "a", "text": "Serbs set up barricades in Zvečan on Sunday.", "published": "2022-12-12"}',
    "",
    "not json",
    '{"text": 5}',
    '{"text": "Protest at Jarinje.\\n\\nSecond paragraph.", "title": "T", "published": "2099-01-01"}',
    '{"id": "b", "text": "Police arrested a man in Leposavic \\ud800."}',
]


def _read(path, threshold, monkeypatch):
    monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", threshold)
    return [(r.path, r.article, str(r.error) if r.error else None, r.warnings, r.digest)
            for r in ingest.read_file(path, TODAY)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_streaming_reads_what_the_whole_file_reading_reads(tmp_path, monkeypatch, newline, bom):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(bom + newline.join(LINES).encode("utf-8") + newline.encode())
    whole = _read(path, 1 << 40, monkeypatch)
    streamed = _read(path, 0, monkeypatch)
    assert streamed == whole
    assert [p.rsplit(":", 1)[1] for p, *_ in whole] == ["1", "3", "4", "5", "6"]
    assert sum(1 for r in whole if r[1] is not None) == 3


def test_a_line_of_bad_bytes_is_repaired_with_a_warning_naming_it(tmp_path, monkeypatch):
    path = tmp_path / "articles.jsonl"
    good = b'{"id": "ok", "text": "Protest in Zvecan on Sunday.", "published": "2022-12-12"}\n'
    path.write_bytes(good + b'{"id": "bad", "text": "Protest in Zve\xe8an.", "published": "2022-12-12"}\n' + good.replace(b'"ok"', b'"ok2"'))
    raws = _read(path, 0, monkeypatch)
    assert [r[1].article_id for r in raws] == ["ok", "bad", "ok2"]
    assert raws[0][3] == () and raws[2][3] == ()
    assert any("invalid UTF-8" in w for w in raws[1][3])
    assert "\ufffd" in raws[1][1].text


def test_a_line_with_nul_bytes_is_an_error_and_the_next_lines_still_count(tmp_path, monkeypatch):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b'{"text": "a\x00b"}\n{"id": "z", "text": "Protest in Zvecan."}\n')
    raws = _read(path, 0, monkeypatch)
    assert raws[0][1] is None and "NUL" in raws[0][2] and raws[0][0].endswith(":1")
    assert raws[1][1].article_id == "z" and raws[1][0].endswith(":2")


def test_a_utf16_file_is_still_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "articles.jsonl"
    path.write_bytes("\n".join(LINES[:1]).encode("utf-16"))
    raws = _read(path, 0, monkeypatch)
    assert len(raws) == 1 and raws[0][1].article_id == "a"


# -- one line, as the dashboard reads an article back (``ingest.read_jsonl_line``) -----------


def _line(path, n, threshold, monkeypatch):
    monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", threshold)
    return [(r.path, r.article, str(r.error) if r.error else None, r.warnings, r.digest)
            for r in ingest.read_jsonl_line(path, n, TODAY)]


MESSY = [  # stray carriage returns, NUL bytes, bad bytes, blank lines, errors: every way a line's number can move
    b'{"id": "a", "text": "Serbs set up barricades in Zve\xc4\x8dan on Sunday."}',
    b'{"id": "cr", "text": "one"}\r{"id": "cr2", "text": "two"}\r\r{"id": "cr3", "text": "three"}',
    b'{"text": "a\x00b"}\r{"id": "hidden", "text": "behind a NUL"}',
    b"",
    b'{"id": "bad", "text": "Protest in Zve\xe8an."}',
    b"not json",
    b'{"id": "last", "text": "Police arrested a man in Leposavic."}\r',
]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
@pytest.mark.parametrize("threshold", [0, 1 << 40], ids=["streamed", "whole"])
def test_one_line_is_what_reading_the_whole_file_gives_for_it(tmp_path, monkeypatch, newline, threshold):
    for name, lines in (("plain", LINES), ("messy", MESSY)):
        path = tmp_path / f"{name}.jsonl"
        body = newline.join(l if isinstance(l, bytes) else l.encode() for l in lines)
        path.write_bytes(b"\xef\xbb\xbf" + body + newline)
        every = _read(path, threshold, monkeypatch)
        if name == "messy" and threshold:  # read whole, NUL bytes make it a binary file
            assert [r[0] for r in every] == [str(path)] and "NUL" in every[0][2]
        else:  # the messy file's numbers run ahead of its lines
            assert int(every[-1][0].rsplit(":", 1)[1]) == (6 if name == "plain" else 10)
        for n in range(15):
            want = [r for r in every if r[0] in (str(path), f"{path}:{n}")]
            assert _line(path, n, threshold, monkeypatch) == want, (name, n)


def test_one_line_of_a_file_that_cannot_be_read_says_why(tmp_path, monkeypatch):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"\x00\x01binary" * 10)
    whole = _read(path, 1 << 40, monkeypatch)
    assert _line(path, 1, 1 << 40, monkeypatch) == whole and whole[0][0] == str(path)
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes("\n".join(LINES).encode("utf-16"))
    every = _read(utf16, 0, monkeypatch)
    assert _line(utf16, 6, 0, monkeypatch) == [r for r in every if r[0].endswith(":6")] != []
    assert _line(tmp_path / "gone.jsonl", 1, 0, monkeypatch)[0][2].endswith("cannot be read (No such file or directory)")
