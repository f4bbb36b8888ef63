"""The ``incident-map`` command: a thin layer that calls the library and turns its errors into
one-line messages. Exit codes: 0 everything built; 1 built, but some inputs failed (listed in
report.json); 2 nothing written (no input gave an article, bad gazetteer, unwritable output,
--strict stop, bad usage);
3 nothing written, internal error (a bug; INCIDENT_MAP_DEBUG=1 shows its traceback)."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.errors import DataFileError, IncidentMapError, UsageError
from pipeline.wording import counted

EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING_WRITTEN, EXIT_INTERNAL_ERROR = 0, 1, 2, 3


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2022-12-31") from None


DEFAULT_ARTICLES = Path("seeds")
DEFAULT_MAX_JOBS = 4  # beyond it, the main process (reading, bookkeeping) is the bottleneck
MAX_JOBS = 60  # Windows waits on at most 61 processes at once


def _whole_number(value: str, low: int, high: int, what: str) -> int:
    """``value`` as a whole number from ``low`` to ``high``, else the parser's error."""
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{value!r} is not {what} ({low} to {high})")
    return number


def _jobs(value: str) -> int:
    return _whole_number(value, 1, MAX_JOBS, "a number of processes")


def _port(value: str) -> int:
    return _whole_number(value, 1, 65535, "a port")


def _data_folder(data: Path) -> Path:
    """The folder of ``--data``: a path to its incidents.geojson is taken for the folder."""
    if data.name == "incidents.geojson" and data.is_file():
        return data.parent
    if data.exists() and not data.is_dir():
        raise DataFileError(str(data), "is a file: --data takes the folder that 'incident-map build "
                            "--out' wrote (the one holding incidents.geojson)")
    return data


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="incident-map",
        description="Turn a folder of news articles into dated, geocoded, sourced incidents, "
        "and explore them on an offline map dashboard.",
        epilog="Typical use: incident-map build seeds/ --out data/ && incident-map dashboard --data data/",
    )
    p.add_argument("--version", action="version", version=f"incident-map {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build", help="extract incidents from articles and write the outputs",
        description="Read articles (.txt, .md, .html or .htm, .jsonl with one article a line, a saved "
        "news feed .xml, .rss or .atom with one an item; folders are searched recursively, "
        "hidden files and folders left out; a file named twice is read once; a sources.csv beside "
        "them adds metadata) and write DIR/incidents.geojson, incidents.csv, "
        "incidents.gpkg and report.json. A bad article is skipped with a warning and listed in "
        "report.json; the others are still built. When no input gives an article (a mistyped path, "
        "an empty folder) nothing is written and the previous outputs stay. Exit code: 0 all inputs "
        "built, 1 some inputs failed, 2 nothing written, 3 internal error (nothing written).",
    )
    b.add_argument("paths", nargs="*", type=Path, default=[], metavar="PATH",
                   help="article files or folders (default: seeds/). An article's id is its file's "
                   "name less the extension (a line of a .jsonl file without an \"id\", or a feed's item: "
                   "the name and the line it starts on, feed-12); a second file of the same name in "
                   "another folder gets its folder too (day2/001.txt), with a warning")
    b.add_argument("--out", type=Path, default=Path("data"), metavar="DIR",
                   help="output folder (default: data/); previous outputs are replaced only when the build succeeds")
    b.add_argument("--strict", action="store_true",
                   help="stop at the first bad input and write nothing (default: skip it and go on)")
    b.add_argument("--gazetteer", type=Path, default=None, metavar="CSV",
                   help="curated gazetteer to use instead of geodata/gazetteer.csv")
    b.add_argument("--no-geonames", action="store_true",
                   help="use the curated gazetteer alone, without the GeoNames settlements of Kosovo")
    b.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="the reference 'today': publication dates after it are rejected, and a weekday "
                   "written with a date fixes the year no later than it (default: the real today)")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no warnings; errors only")
    b.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help="processes that extract articles (default: one per core this command may use, "
                   f"up to {DEFAULT_MAX_JOBS}; 1: no worker processes). The outputs are the same whatever N")

    d = sub.add_parser("dashboard", help="open the map dashboard on built data",
                       description="Start the Streamlit dashboard (dashboard/app.py) on DIR/incidents.geojson. "
                       "The server reads the data as soon as it is up, before the first visit; then the "
                       "command prints the address and opens it in your browser. Stop it with Ctrl+C.")
    d.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                   help="folder written by 'incident-map build' (default: data/), or its incidents.geojson")
    d.add_argument("--port", type=_port, default=None,
                   help="port to serve on (default: 8501; if it is taken, pick another with --port)")
    d.add_argument("--no-browser", action="store_true",
                   help="do not open the page in a browser once the data is read (by default it "
                   "opens when there is a display: DISPLAY or WAYLAND_DISPLAY on Linux)")

    e = sub.add_parser("eval", help="score built incidents against a hand-annotated gold file",
                       description="Print place precision/recall/F1, date accuracy, type accuracy and "
                       "coordinate error (km) of DIR/incidents.geojson against GOLD, and warn when none "
                       "of GOLD's articles is in it. Exit code: 0 scored, 2 a file could not be read.")
    e.add_argument("gold", type=Path, metavar="GOLD", help="gold JSON file (see tests/gold/)")
    e.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                   help="folder holding incidents.geojson, or a .geojson file (default: data/)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    return p


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    def wrap(iterable, total):
        return tqdm(iterable, total=total, unit="file", desc="articles", file=sys.stderr)

    return wrap


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build
    from pipeline.parallel import available_cores

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"warning: {message}", file=sys.stderr)

    paths = args.paths or [DEFAULT_ARTICLES]
    if not args.paths and not DEFAULT_ARTICLES.exists():
        raise UsageError(f"no PATH given, and no {DEFAULT_ARTICLES}/ folder (the default) in {Path.cwd()}: "
                         "name your articles' folder (incident-map build ARTICLES --out DIR); nothing "
                         f"written ({args.out}/ is unchanged)")
    result = build(
        paths, args.out, strict=args.strict, today=args.today, gazetteer_csv=args.gazetteer,
        use_geonames=not args.no_geonames, progress=_progress(args.quiet), on_warning=warn,
        jobs=args.jobs or min(available_cores(), DEFAULT_MAX_JOBS),
    )
    failed = f", {counted(len(result.failed), 'input')} failed (see {result.out_dir / 'report.json'})" if result.failed else ""
    print(f"{counted(result.incidents, 'incident')} from {counted(result.articles_ok, 'article')} written to {result.out_dir}/{failed}")
    if not args.quiet:
        print(f"next: incident-map dashboard --data {result.out_dir}", file=sys.stderr)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboard.launch import run_dashboard

    data = _data_folder(args.data)
    if not (data / "incidents.geojson").is_file():
        print(f"note: {data}/incidents.geojson does not exist yet; the dashboard will say so. "
              f"Build it with: incident-map build ARTICLES --out {data} (ARTICLES: your folder of "
              "articles, or seeds/ for the sample articles)", file=sys.stderr)
    return run_dashboard(data, args.port, browser=False if args.no_browser else None)


def cmd_eval(args: argparse.Namespace) -> int:
    import json

    from pipeline.evaluate import evaluate, format_scores

    data = args.data if args.data.suffix.lower() == ".geojson" else _data_folder(args.data) / "incidents.geojson"
    scores = evaluate(args.gold, data)
    print(json.dumps(scores, indent=2) if args.json else format_scores(scores))
    if not scores["gold_articles_with_incidents"]:
        print(f"warning: none of the gold file's {counted(scores['gold_articles'], 'article')} has an incident in {data}: "
              "is it the build of the articles the gold file annotates?", file=sys.stderr)
    return EXIT_OK


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The arguments, or exit 2 with an unknown one named under its command's usage (argparse
    itself reports it under the top-level usage, which lists no option), with the nearest
    option spelled right."""
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown:
        given = sys.argv[1:] if argv is None else list(argv)
        before_command = given[: given.index(args.command)] if args.command in given else []
        # an option before the command is the top level's (incident-map --foo build)
        reporter = top if any(u in before_command for u in unknown) else _subparsers(top)[args.command]
        options = [o for action in reporter._actions for o in action.option_strings]
        message = f"unrecognized arguments: {' '.join(unknown)}"
        mistyped = [u.split("=", 1)[0] for u in unknown if u.startswith("-")]
        near = difflib.get_close_matches(mistyped[0], options, n=1) if mistyped else []
        if near:
            message += f" (did you mean {near[0]}?)"
        reporter.error(message)
    return args


def _subparsers(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no commands")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    handler = {"build": cmd_build, "dashboard": cmd_dashboard, "eval": cmd_eval}[args.command]
    try:
        return handler(args)
    except IncidentMapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOTHING_WRITTEN
    except KeyboardInterrupt:
        print("interrupted: previous outputs are unchanged", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    except Exception as exc:  # a bug: one line for the user, the traceback only on request
        if os.environ.get("INCIDENT_MAP_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {exc}). This is a bug: please report it "
              "(INCIDENT_MAP_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
