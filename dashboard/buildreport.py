"""What the build said about its inputs: the failed ones and the warnings, from the
``report.json`` that ``incident-map build`` writes beside ``incidents.geojson``.

A map drawn from 95 of 100 articles should say so: the dashboard shows the inputs that gave
nothing and why. Only the few fields needed are decoded (msgspec skips the rest: about a
second for the 200 MB report of 100,000 articles).
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import msgspec

from pipeline.errors import DataFileError

REPORT_FILE = "report.json"


class _Entry(msgspec.Struct):
    """An input's entry, or a sources table's: the fields they share."""

    path: str
    status: str
    error: str | None = None
    warnings: list[str] = []


class _Summary(msgspec.Struct):
    inputs: int
    articles_processed: int
    incidents: int
    duplicates: int = 0


class _Report(msgspec.Struct):
    summary: _Summary
    inputs: list[_Entry]
    sources_tables: list[_Entry] = []


@dataclass(frozen=True)
class Problem:
    path: str
    problem: str


@dataclass(frozen=True)
class BuildReport:
    path: Path
    inputs: int
    articles: int
    incidents: int
    duplicates: int
    failed: tuple[Problem, ...]  # inputs that gave nothing, then unusable sources tables
    failed_tables: int  # of which sources tables
    warned: tuple[Problem, ...]  # one per warning

    def summary(self) -> str:
        """One line; "inputs" are report.json's: files, and each line of a JSON Lines file."""
        parts = [f"{self.inputs:,} input(s)", f"{self.articles:,} article(s) built"]
        if len(self.failed) > self.failed_tables:
            parts.append(f"{len(self.failed) - self.failed_tables:,} failed")
        if self.failed_tables:
            parts.append(f"{self.failed_tables:,} sources table(s) unusable")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate(s) counted once")
        if self.warned:
            parts.append(f"{len(self.warned):,} warning(s)")
        return "Built from " + ", ".join(parts) + "."


def read_build_report(path: Path) -> BuildReport | None:
    """The report at ``path``; None when there is none. DataFileError when it is unreadable."""
    try:
        with open(path, "rb") as fh:
            report = _decode(fh)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise DataFileError(str(path), f"is not a build report ({exc})") from None
    failed: list[Problem] = []
    warned: list[Problem] = []
    for entry in [*report.inputs, *report.sources_tables]:
        if entry.status == "error":
            failed.append(Problem(entry.path, entry.error or "failed"))
        warned.extend(Problem(entry.path, w) for w in entry.warnings)
    s = report.summary
    tables = sum(t.status == "error" for t in report.sources_tables)
    return BuildReport(
        path, s.inputs, s.articles_processed, s.incidents, s.duplicates, tuple(failed), tables,
        tuple(warned),
    )


def _decode(fh: BinaryIO) -> _Report:
    """Decoded from a memory map of the file (no copy of a report of hundreds of MB)."""
    if os.fstat(fh.fileno()).st_size == 0:
        return msgspec.json.decode(b"", type=_Report)  # (an empty file cannot be mapped)
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        return msgspec.json.decode(mapped, type=_Report)


# --- one article's entry -------------------------------------------------------------------


class Dropped(msgspec.Struct, frozen=True):
    """A place the article names that the build did not map, and why."""

    mention: str
    char_start: int
    char_end: int
    reason: str


@dataclass(frozen=True)
class ArticleEntry:
    """What the build recorded about one article: where it read it, the incidents it gave
    and the places it named but did not map."""

    path: str  # as the build was given it: relative to working_dir unless absolute
    working_dir: str | None  # the build's current directory (None: a report without it)
    incidents: tuple[str, ...]
    dropped: tuple[Dropped, ...]


class _Lookup(msgspec.Struct):
    path: str
    article_id: str | None = None
    # decoded for the one entry asked for
    incidents: msgspec.Raw = msgspec.Raw(b"[]")
    dropped: msgspec.Raw = msgspec.Raw(b"[]")


class _LookupReport(msgspec.Struct):
    inputs: list[_Lookup]
    working_dir: str | None = None


def find_article(path: Path, article_id: str) -> ArticleEntry | None:
    """The entry of ``article_id`` in the report at ``path`` (None when the report has no
    such article). DataFileError when the report is missing or unreadable. A pass over the
    whole report that decodes only the entry asked for: ~0.4 s for 100,000 articles."""
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size == 0:
                raise DataFileError(str(path), "is empty")
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                found = _lookup(mapped, article_id)  # holds no view of the map once returned
    except FileNotFoundError:
        raise DataFileError(str(path), "does not exist: rebuild to have it") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise DataFileError(str(path), f"is not a build report ({exc})") from None
    if found is None:
        return None
    entry_path, working_dir, incidents, dropped = found
    try:
        ids = msgspec.json.decode(incidents, type=list[str])
        decoded = msgspec.json.decode(dropped, type=list[Dropped])
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise DataFileError(str(path), f"is not a build report ({exc})") from None
    return ArticleEntry(entry_path, working_dir, tuple(ids), tuple(decoded))


def _lookup(mapped: mmap.mmap, article_id: str) -> tuple[str, str | None, bytes, bytes] | None:
    """(path, working_dir, the incidents' and the dropped list's JSON) of the article's
    entry, copied: the decoded report's raw parts are views of ``mapped``, which cannot be
    closed while one is alive, so none is left behind, even by an exception."""
    report: _LookupReport | None = msgspec.json.decode(mapped, type=_LookupReport)
    entry: _Lookup | None = None
    try:
        assert report is not None
        for entry in report.inputs:
            if entry.article_id == article_id:
                return entry.path, report.working_dir, bytes(entry.incidents), bytes(entry.dropped)
        return None
    finally:
        entry = report = None
