"""``ingest.list_inputs`` finds the files ``Path.rglob`` + ``is_file`` finds less hidden names, in
``sorted(Path)`` order, with one ``scandir`` a folder (the listing of 100,000 articles was 3 s
with pathlib); each file once however it is named; what cannot be read is named, not skipped."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.ingest import ARTICLE_SUFFIXES, list_inputs


def _reference(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
                  and not any(part.startswith(".") for part in f.relative_to(folder).parts))


def test_the_listing_matches_pathlib_in_files_and_order(tmp_path):
    root = tmp_path / "in"
    names = ["a/b.txt", "a-c.txt", "a.b/c.md", "a b.txt", "A.TXT", "Z/z.HTML", "a/x/y.jsonl",
             "a/notes.pdf", "_.txt", ".hidden.txt", "é.txt", "z.htm", "a/b/c/d/e.txt",
             ".git/description.txt", "a/._b.txt"]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "folder.txt").mkdir()  # a folder named like an article: not a file
    os.symlink(root / "a-c.txt", root / "link.txt")  # a link to a file counts
    os.symlink(root / "a", root / "linked_dir")  # a link to a folder is not followed
    os.symlink(root / "missing.txt", root / "broken.txt")  # a broken link is no file: named
    os.symlink(root / "missing", root / "broken_dir")  # not an article's name: not named
    files, errors = list_inputs([root])
    assert [(e.path, e.problem) for e in errors] == [
        (str(root / "broken.txt"), "is a link to a file that does not exist")]
    assert files == _reference(root)
    assert root / "link.txt" in files and root / "broken.txt" not in files
    assert not any("linked_dir" in str(f) for f in files)
    assert not any(part.startswith(".") for f in files for part in f.relative_to(root).parts)
    assert len(files) == 12


def test_a_file_named_twice_is_listed_once(tmp_path, monkeypatch):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt"):
        (root / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    files, errors = list_inputs([Path("in"), Path("./in"), root, Path("in/sub/b.txt"), Path("in/sub/../a.txt")])
    assert errors == []
    assert files == [Path("in/a.txt"), Path("in/sub/b.txt")]  # as first named
    hidden = root / ".draft.txt"
    hidden.write_text("x", encoding="utf-8")
    assert list_inputs([hidden]) == ([hidden], [])  # named on its own: read


def test_what_cannot_be_listed_is_named(tmp_path, monkeypatch):
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "a.txt").write_text("x", encoding="utf-8")
    (root / "b.txt").write_text("x", encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    scandir = os.scandir

    def refusing(path):  # as root (CI), a folder's permissions do not stop its listing
        if os.fspath(path) == str(root / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    files, errors = list_inputs([root, tmp_path / "nowhere", fifo])
    assert files == [root / "b.txt"]
    assert [(e.path, e.problem) for e in errors] == [
        (str(root / "locked"), "cannot list its files (Permission denied)"),
        (str(tmp_path / "nowhere"), "does not exist"),
        (str(fifo), "is not a file or a folder"),
    ]
