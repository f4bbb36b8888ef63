"""Every error the project raises, under one root.

Each class also inherits the matching built-in, so callers that only know
``ValueError`` or ``OSError`` still catch them (the geopy pattern).
"""

from __future__ import annotations


class IncidentMapError(Exception):
    """Root of every error raised by incident-map."""


class InputError(IncidentMapError, ValueError):
    """An article file that cannot be read or understood."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class SourcesTableError(InputError):
    """A ``sources.csv`` beside the articles is malformed."""


class ExtractionError(InputError):
    """An article the extractor failed on: a bug in incident-map, reported against that article
    (in ``report.json`` and as a warning) so that the other articles are still built."""


class WorkerError(IncidentMapError, RuntimeError):
    """A worker process of ``build --jobs N`` stopped without its results (killed, out of
    memory): the build stops and writes nothing."""


class NothingToBuild(IncidentMapError, ValueError):
    """No input gave an article (no article files, or every one failed): a build writes nothing
    rather than replace the previous outputs with empty ones."""


class GazetteerError(IncidentMapError, ValueError):
    """The gazetteer file is malformed: names the file, the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class OutputError(IncidentMapError, OSError):
    """An output could not be written; the previous outputs are left as they were."""


class DataFileError(IncidentMapError, ValueError):
    """A built incidents file (read by the dashboard or by eval) is missing or malformed."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class GoldFileError(DataFileError):
    """The hand-annotated evaluation file is malformed."""


class UsageError(IncidentMapError, ValueError):
    """The command was given what it cannot work with (no path, and no default folder)."""
