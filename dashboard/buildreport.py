"""What the build said about its inputs: the failed ones and the warnings, from the
``report.json`` that ``incident-map build`` writes beside ``incidents.geojson``.

A map drawn from 95 of 100 articles should say so: the dashboard shows the inputs that gave
nothing and why. Only the few fields needed are decoded (msgspec skips the rest: about a
second for the 200 MB report of 100,000 articles).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec

from pipeline.errors import DataFileError

REPORT_FILE = "report.json"


class _Input(msgspec.Struct):
    path: str
    status: str
    error: str | None = None
    warnings: list[str] = []


class _Table(msgspec.Struct):
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
    inputs: list[_Input]
    sources_tables: list[_Table] = []


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
    failed: tuple[Problem, ...]  # inputs (and sources tables) that gave nothing
    warned: tuple[Problem, ...]  # one per warning

    def summary(self) -> str:
        parts = [f"{self.inputs:,} input(s)", f"{self.articles:,} article(s) built"]
        if self.failed:
            parts.append(f"{len(self.failed):,} failed")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicate(s) counted once")
        if self.warned:
            parts.append(f"{len(self.warned):,} warning(s)")
        return "Built from " + ", ".join(parts) + "."


def read_build_report(path: Path) -> BuildReport | None:
    """The report at ``path``; None when there is none. DataFileError when it is unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    try:
        report = msgspec.json.decode(raw, type=_Report)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise DataFileError(str(path), f"is not a build report ({exc})") from None
    failed: list[Problem] = []
    warned: list[Problem] = []
    for entry in [*report.inputs, *report.sources_tables]:
        if entry.status == "error":
            failed.append(Problem(entry.path, entry.error or "failed"))
        warned.extend(Problem(entry.path, w) for w in entry.warnings)
    s = report.summary
    return BuildReport(
        path, s.inputs, s.articles_processed, s.incidents, s.duplicates, tuple(failed), tuple(warned)
    )
