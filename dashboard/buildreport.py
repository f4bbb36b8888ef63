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
from pipeline.wording import counted

REPORT_FILE = "report.json"


class _Entry(msgspec.Struct):
    """An input's entry, or a sources table's: the fields they share, and an article's
    incidents and dropped places undecoded (read only for the articles with no incident)."""

    path: str
    status: str
    error: str | None = None
    warnings: list[str] = []
    title: str | None = None
    incidents: msgspec.Raw = msgspec.Raw(b"null")  # null: not an article's entry
    dropped: msgspec.Raw = msgspec.Raw(b"[]")


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
    quiet: tuple[Problem, ...] = ()  # articles that gave no incident, with why (the first QUIET_MAX)
    quiet_count: int = 0  # all of them

    def summary(self) -> str:
        """One line; "inputs" are report.json's: files, and each line of a JSON Lines file."""
        parts = [counted(self.inputs, "input"), f"{counted(self.articles, 'article')} built"]
        if len(self.failed) > self.failed_tables:
            parts.append(f"{len(self.failed) - self.failed_tables:,} failed")
        if self.failed_tables:
            parts.append(f"{counted(self.failed_tables, 'sources table')} unusable")
        if self.duplicates:
            parts.append(f"{counted(self.duplicates, 'duplicate')} counted once")
        if self.warned:
            parts.append(counted(len(self.warned), "warning"))
        return "Built from " + ", ".join(parts) + "."


def read_build_report(path: Path) -> BuildReport | None:
    """The report at ``path``; None when there is none. DataFileError when it is unreadable."""
    try:
        with open(path, "rb") as fh:
            decoded = _decode(fh)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise DataFileError(str(path), f"is not a build report ({exc})") from None
    report, quiet, quiet_count = decoded
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
        tuple(warned), tuple(quiet), quiet_count,
    )


QUIET_MAX = 200  # articles with no incident listed with why (all are counted)
_NONE = msgspec.Raw(b"null")


def _decode(fh: BinaryIO) -> tuple[_Report, list[Problem], int]:
    """Decoded from a memory map of the file (no copy of a report of hundreds of MB), with
    the articles that gave no incident and why (their entries' raw parts are views of the
    map, read and let go before it is closed)."""
    if os.fstat(fh.fileno()).st_size == 0:
        return msgspec.json.decode(b"", type=_Report), [], 0  # (an empty file cannot be mapped)
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        report = msgspec.json.decode(mapped, type=_Report)
        quiet: list[Problem] = []
        count = 0
        try:
            for entry in report.inputs:
                if entry.status == "ok" and bytes(entry.incidents).strip() == b"[]":
                    count += 1
                    if len(quiet) < QUIET_MAX:
                        quiet.append(Problem(entry.path, _why_no_incident(entry)))
        finally:
            for entry in report.inputs:
                entry.incidents = entry.dropped = _NONE
        return report, quiet, count


def _why_no_incident(entry: _Entry) -> str:
    """The article's title and what became of the places it names (the first few)."""
    title = f"“{entry.title}”: " if entry.title else ""
    try:
        dropped = msgspec.json.decode(bytes(entry.dropped), type=list[Dropped])
    except (msgspec.DecodeError, msgspec.ValidationError):
        return title + "its places cannot be read from the report"
    if not dropped:
        return title + "it names no place of the gazetteer"
    seen: dict[str, str] = {}
    # the places first, the countries (never points) after them
    for d in sorted(dropped, key=lambda d: d.reason.startswith("country name")):
        seen.setdefault(d.mention, d.reason)
    shown = "; ".join(f"{m}: {r}" for m, r in list(seen.items())[:4])
    more = f"; and {len(seen) - 4:,} more" if len(seen) > 4 else ""
    return f"{title}{counted(len(dropped), 'mention')} of places, none an incident ({shown}{more})"


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
