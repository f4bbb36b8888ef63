"""The whole flow: inputs -> articles -> incidents -> outputs + report. Library entry point."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from geodata import gazetteer as gazetteer_mod
from pipeline import __version__, parallel
from pipeline.errors import ExtractionError, InputError, NothingToBuild, OutputError
from pipeline.export import json_indented, remove_stale_staging, write_outputs_streaming
from pipeline.extract import Candidate
from pipeline.ingest import (
    ARTICLE_SUFFIXES,
    SOURCES_FILE,
    RawArticle,
    apply_metadata,
    list_inputs,
    longer_ids,
    read_file,
    read_sources_table,
)
from pipeline.match import Matcher
from pipeline.model import Article
from pipeline.store import CandidateStore, EntrySpill, Merged
from pipeline.wording import counted

SPILL_PREFIX = "incident-map-"  # + the process id: the build's temporary folder


@dataclass
class BuildResult:
    out_dir: Path
    incidents: int
    articles_ok: int
    failed: list[str] = field(default_factory=list)  # one line a failed input
    warnings: list[str] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class StrictStop(InputError):
    """--strict: the first bad input stops the build before anything is written."""


def _matcher(curated: Path | None, geonames: Path | None, use_geonames: bool) -> Matcher:
    gaz = gazetteer_mod.load(
        curated or gazetteer_mod.CURATED,
        (geonames or gazetteer_mod.GEONAMES) if use_geonames else None,
    )
    return Matcher(gaz)


def iter_raw(paths: list[Path], today: dt.date) -> tuple[int, Iterator[RawArticle], list[dict]]:
    """Every input as a RawArticle, with sources.csv metadata applied; streams file by file."""
    files, missing = list_inputs(paths)
    tables: dict[Path, object] = {}
    table_entries: list[dict] = []

    def metadata_for(folder: Path):
        if folder not in tables:
            csv_path = folder / SOURCES_FILE
            tables[folder] = read_sources_table(csv_path) if csv_path.is_file() else None
            table = tables[folder]
            if table is not None:
                table_entries.append({
                    "path": str(csv_path), "kind": "sources table",
                    "status": "error" if table.error else "ok",
                    "error": table.error.problem if table.error else None,
                    "warnings": table.warnings, "rows": len(table.rows), "unmatched_ids": [],
                })
        return tables[folder]

    def generate() -> Iterator[RawArticle]:
        for err in missing:
            yield RawArticle(err.path, None, err)
        used: dict[Path, set[str]] = {}
        for f in files:
            table = metadata_for(f.parent)
            for raw in read_file(f, today):
                if raw.article is not None and table is not None and not table.error:
                    meta = table.rows.get(raw.article.article_id)
                    used.setdefault(f.parent, set()).add(raw.article.article_id)
                    if meta:
                        where = f"published date ({f.parent / SOURCES_FILE}, line {table.lines[raw.article.article_id]})"
                        article, warns = apply_metadata(raw.article, meta, today, where)
                        raw = RawArticle(raw.path, article, None, raw.warnings + tuple(warns), raw.digest)
                yield raw
        for entry in table_entries:
            folder = Path(entry["path"]).parent
            table = tables[folder]
            entry["unmatched_ids"] = sorted(set(table.rows) - used.get(folder, set()))  # type: ignore[union-attr]
            unmatched = entry["unmatched_ids"]
            if unmatched:
                named = ", ".join(repr(i) for i in unmatched[:5]) + (", ..." if len(unmatched) > 5 else "")
                entry["warnings"].append(
                    f"{counted(len(unmatched), 'id')} {'matches' if len(unmatched) == 1 else 'match'} no article file beside it: {named} (an id is the "
                    "file's name without its extension: 001 for 001.txt)")

    return len(files) + len(missing), generate(), table_entries


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    strict: bool = False,
    today: dt.date | None = None,
    gazetteer_csv: Path | None = None,
    geonames: Path | None = None,
    use_geonames: bool = True,
    progress: Callable[[Iterable], Iterable] | None = None,
    on_warning: Callable[[str], None] | None = None,
    jobs: int = 1,
    matcher: Matcher | None = None,
) -> BuildResult:
    """Build ``out_dir``/incidents.{geojson,csv,gpkg} and report.json from article paths.

    ``jobs``: the processes that extract articles (1: this one; more: worker processes, see
    ``pipeline.parallel``); the outputs are the same whatever the number. ``matcher``: what
    finds the place names (default: a :class:`Matcher` over the gazetteer the other arguments
    name; the benchmark passes one that keeps only the names a peer's NER marks as places).

    Raises GazetteerError (bad gazetteer), OutputError (cannot write), NothingToBuild (no
    input gave an article: no article files, or each failed) and, with ``strict``, StrictStop
    on the first bad input; in each case nothing in ``out_dir`` is changed.

    Memory stays flat however many articles there are: inputs are read one at a time, each
    article's report entry and its candidates' sources go to temporary files, and only a few
    integers per candidate stay in memory until the merge (see ``pipeline.store``).
    """
    today = today or dt.date.today()
    inputs, out_dir = [Path(p) for p in paths], Path(out_dir)  # (paths may be an iterator)
    if out_dir.exists() and not out_dir.is_dir():  # say so now, not after the work
        raise OutputError(f"the output folder {out_dir} is a file: choose another --out; nothing written")
    matcher = matcher or _matcher(gazetteer_csv, geonames, use_geonames)
    total, raws, table_entries = iter_raw(inputs, today)
    result = BuildResult(out_dir, 0, 0)
    remove_stale_staging(Path(tempfile.gettempdir()), SPILL_PREFIX)  # left by killed builds
    with tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-") as tmp:
        entries = EntrySpill(Path(tmp))
        store = CandidateStore(Path(tmp))
        try:
            counts = _extract_all(raws, total, matcher, today, strict, progress, on_warning, result,
                                  entries, store, jobs)
            _report_tables(table_entries, strict, result, on_warning)
            if not result.articles_ok:
                raise _nothing_to_build(inputs, entries.count, result, out_dir)
            merged = store.merge()
            summary = {
                "inputs": entries.count, "articles_processed": result.articles_ok,
                "failed": counts["error"], "duplicates": counts["duplicate"],
                "incidents": len(merged), "reports": len(store),
                "undated_incidents": merged.undated,
            }

            def write_report(fh: TextIO) -> None:
                _write_report(fh, summary, entries, merged, table_entries)

            try:
                result.outputs = write_outputs_streaming(result.out_dir, merged.rows, write_report)
            except OutputError:
                raise
            except Exception as exc:  # noqa: BLE001 - GDAL/pyogrio errors are not OSErrors
                raise OutputError(f"cannot write the outputs in {out_dir}: {exc}; the previous outputs are unchanged") from None
            result.incidents = len(merged)
        finally:
            entries.close()
            store.close()
    return result


def _extract_all(
    raws: Iterator[RawArticle], total: int, matcher: Matcher, today: dt.date, strict: bool,
    progress: Callable[[Iterable], Iterable] | None, on_warning: Callable[[str], None] | None,
    result: BuildResult, entries: EntrySpill, store: CandidateStore, jobs: int = 1,
) -> dict[str, int]:
    """Read and extract every input: report entries to ``entries``, candidates to ``store``
    (extraction on ``jobs`` processes, in input order: see ``pipeline.parallel``)."""
    counts = {"error": 0, "duplicate": 0}

    def fail(entry: dict, err: InputError) -> None:
        """An input that cannot be built: an error entry (or, with --strict, the stop)."""
        if strict:
            raise StrictStop(err.path, err.problem) from None
        entry.update(status="error", error=err.problem)
        result.failed.append(str(err))
        _warn(result, on_warning, f"skipped {err}")
        counts["error"] += 1
        entries.append(entry)

    with contextlib.ExitStack() as stack:
        # the workers start before the progress bar's thread does
        pool = stack.enter_context(parallel.Pool(matcher, today, jobs)) if jobs > 1 else None
        stream = parallel.extractions(_triage(raws), matcher, today, pool)
        # the bar counts the inputs done, not those read (the workers' reading runs ahead)
        for (raw, verdict), ext in progress(stream, total) if progress else stream:
            entry: dict = {"path": raw.path, "article_id": None, "status": "ok", "error": None,
                           "warnings": list(raw.warnings)}
            for w in raw.warnings:
                _warn(result, on_warning, f"{raw.path}: {w}")
            if raw.error is None and raw.article is not None:
                entry["article_id"] = raw.article.article_id
            if isinstance(verdict, InputError):
                fail(entry, verdict)
                continue
            art = raw.article
            assert art is not None
            if isinstance(verdict, _IdTaken):
                first = entries.path_of(verdict.entry)  # written: its entry comes before this one
                fail(entry, InputError(raw.path, f"article id {art.article_id!r} already used by {first}"))
                continue
            if verdict is not None:  # the same text as the article ``verdict``
                entry.update(status="duplicate", duplicate_of=verdict)
                _warn(result, on_warning, f"{raw.path}: same text as {verdict}: not counted twice")
                counts["duplicate"] += 1
                entries.append(entry)
                continue
            if isinstance(ext, parallel.Failure):
                fail(entry, ExtractionError(raw.path, f"could not be processed (internal error {ext.kind}: {ext.message}; please report it)"))
                continue
            assert ext is not None
            late = _dated_late(art, ext.candidates, today)
            if late:
                entry["warnings"].append(late)
                _warn(result, on_warning, f"{raw.path}: {late}")
            result.articles_ok += 1
            published = art.published.isoformat() if art.published else None
            entry.update(
                published=published,
                date_note=ext.date_note or None,
                title=art.title,
                mentions_kept=len(ext.candidates),
                incidents=store.add_article(art.article_id, published, ext.candidates),  # the number, for now
                dropped=ext.dropped,  # written as store.dropped_object makes each
            )
            entries.append(entry)
    return counts


@dataclass(frozen=True, slots=True)
class _IdTaken:
    """An input whose article id an earlier input's article has: the number of that one's
    report entry (each input makes one entry, in order)."""

    entry: int


def _triage(
    raws: Iterable[RawArticle],
) -> Iterator[tuple[tuple[RawArticle, InputError | _IdTaken | str | None], Article | None]]:
    """Each input with what becomes of it: an InputError (unreadable), the id of the earlier
    article whose text it repeats (a duplicate), _IdTaken (its article id, given in the
    article, is an earlier input's), or None (its article is extracted), and the article to
    extract.

    An id that a file's name gave ("001" for day2/001.txt) and that an earlier article has is
    made longer with the file's folders ("day2/001.txt"), with a warning, so that two folders
    of the same file names are both read."""
    seen_digest: dict[str, str] = {}
    seen_ids: dict[str, int] = {}  # article id -> number of its entry (whose path the message names)
    for number, raw in enumerate(raws):
        if raw.error is not None or raw.article is None:
            yield (raw, raw.error or InputError(raw.path, "could not be read")), None
            continue
        art = raw.article
        if raw.digest in seen_digest:
            yield (raw, seen_digest[raw.digest]), None
            continue
        if art.article_id in seen_ids:
            longer = next((i for i in longer_ids(raw.path, art.article_id) if i not in seen_ids), None)
            if longer is None:
                yield (raw, _IdTaken(seen_ids[art.article_id])), None
                continue
            note = f"article id {art.article_id!r} is another file's of the same name: this one's is {longer!r}"
            art = replace(art, article_id=longer)
            raw = replace(raw, article=art, warnings=raw.warnings + (note,))
        seen_ids[art.article_id] = number
        seen_digest[raw.digest] = art.article_id
        yield (raw, None), art


def _nothing_to_build(paths: list[Path], inputs: int, result: BuildResult, out_dir: Path) -> NothingToBuild:
    unchanged = f"nothing written ({out_dir}/ is unchanged)"
    if not inputs:
        where = ", ".join(map(str, paths)) or "no path"
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        return NothingToBuild(f"no article files ({kinds}) in {where}: {unchanged}")
    first = result.failed[0] if result.failed else "no article"
    gave = "its one input gave no article" if inputs == 1 else f"none of the {inputs:,} inputs gave an article"
    return NothingToBuild(f"{gave} (the first: {first}): {unchanged}")


def _write_report(
    fh: TextIO, summary: dict, entries: EntrySpill, merged: Merged, table_entries: list[dict]
) -> None:
    """report.json, entry by entry: the bytes of ``json.dumps(report, ensure_ascii=False,
    indent=2)`` for the whole report, without holding it."""
    # working_dir: where the inputs' relative paths are from (the dashboard reads an article
    # from it to show a source in its text)
    fh.write('{\n  "tool": ' + json_indented(f"incident-map {__version__}")
             + ',\n  "working_dir": ' + json_indented(_working_dir())
             + ",\n  \"summary\": " + json_indented(summary, 1) + ',\n  "inputs": ')
    entries.write_inputs(fh, merged.article_incidents)
    fh.write(',\n  "sources_tables": ' + json_indented(table_entries, 1) + "\n}\n")


def _working_dir() -> str | None:
    """The current directory, None when it is gone or its name is not text (undecodable bytes
    would not go into a UTF-8 file)."""
    try:
        cwd = os.getcwd()
        cwd.encode("utf-8")
    except (OSError, UnicodeEncodeError):
        return None
    return cwd


def _report_tables(table_entries: list[dict], strict: bool, result: BuildResult,
                   on_warning: Callable[[str], None] | None) -> None:
    """sources.csv problems: warnings as warnings; an unusable table fails (exit code 1)."""
    for table in table_entries:
        path = table["path"]
        if table["error"]:
            if strict:
                raise StrictStop(path, table["error"])
            result.failed.append(f"{path}: {table['error']}")
            _warn(result, on_warning, f"{path}: {table['error']}")
        for w in table["warnings"]:
            _warn(result, on_warning, w if w.startswith(path) else f"{path}: {w}")


def _dated_late(article: Article, candidates: Iterable[Candidate], today: dt.date) -> str:
    """A warning when the text dates incidents after the article's publication (or, undated,
    after today). They keep the text's date, never pulled back: the publication date, or the
    text, is probably wrong (or it announces a plan)."""
    limit = article.published or today
    late = sorted({(c.when.start, c.place.name) for c in candidates if c.when.start and c.when.start > limit})
    if not late:
        return ""
    what = f"the publication date {limit}" if article.published else f"today ({limit})"
    day, place = late[0]
    return (f"{counted(len(late), 'incident')} dated after {what}, first {place} on {day}: "
            "kept as the text says; check the publication date")


def _warn(result: BuildResult, sink: Callable[[str], None] | None, message: str) -> None:
    result.warnings.append(message)
    if sink:
        sink(message)
