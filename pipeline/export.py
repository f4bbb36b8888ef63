"""Write incidents as RFC 7946 GeoJSON, ACLED-like CSV and GeoPackage, plus ``report.json``.

Every file is written to a temporary file in the output folder and then renamed over the old
one, so a crash never leaves a half-written file in place of a good one. Output is
byte-identical for the same input (sorted keys where order is free, no timestamps).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_str
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.errors import OutputError
from pipeline.model import Incident

if TYPE_CHECKING:
    import pyarrow as pa

CSV_COLUMNS = (
    "incident_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "country", "admin2", "location", "place_id", "latitude", "longitude",
    "geo_precision", "source_count", "source", "article_ids", "notes",
)
# A text cell a spreadsheet would run as a formula (CSV injection: article text, titles and
# outlets can start so) gets a leading apostrophe, which spreadsheets show as text. The
# coordinates are numbers and are left alone (a western longitude starts with "-").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC_COLUMNS = frozenset(CSV_COLUMNS.index(c) for c in ("latitude", "longitude"))
_FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"
GPKG_BATCH = 2000  # incidents per Arrow record batch of the GeoPackage
GPKG_BATCHES_PER_WRITE = 100  # record batches per write_arrow call (then the next appends)
_GEOMETRY = "geom"  # the GeoPackage's geometry column (GDAL's name for it)
_GPKG_INTEGERS = ("time_precision", "geo_precision", "source_count")


def inert_cell(value: object) -> object:
    """A CSV cell as a spreadsheet must get it: text it would run as a formula gets a leading
    apostrophe (the dashboard's CSV export uses this too)."""
    if type(value) is str and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv_row(cells: list) -> list:
    """The row with every text cell that a spreadsheet would run as a formula made inert."""
    if not any(type(c) is str and c.startswith(_FORMULA_START) for c in cells):
        return cells
    return [c if k in _NUMERIC_COLUMNS else inert_cell(c) for k, c in enumerate(cells)]


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


def feature(incident: Incident) -> dict:
    p = incident.place
    return {
        "type": "Feature",
        # GeoJSON is lon, lat
        "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
        "properties": {
            "incident_id": incident.incident_id,
            "event_date": _iso(incident.when.event_date),
            "date_start": _iso(incident.when.start),
            "date_end": _iso(incident.when.end),
            "time_precision": incident.when.precision,
            "lasting": incident.when.lasting,
            "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type,
            "place_id": p.place_id,
            "location": p.name,
            "admin2": p.admin2,
            "country": p.country,
            "geo_precision": incident.geo_precision,
            "sources": [
                {
                    "article_id": s.article_id, "title": s.title, "outlet": s.outlet,
                    "published": s.published, "url": s.url, "quote": s.quote,
                    "mention": s.mention, "char_start": s.char_start, "char_end": s.char_end,
                }
                for s in incident.sources
            ],
            "source_count": len(incident.sources),
        },
    }


def geojson_text(incidents: list[Incident]) -> str:
    """A FeatureCollection, one feature a line (readable, diff-friendly, still valid JSON)."""
    lines = [json.dumps(feature(i), ensure_ascii=False, separators=(",", ":")) for i in incidents]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def csv_text(incidents: list[Incident]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for i in incidents:
        w.writerow(safe_csv_row(csv_row(i)))
    return out.getvalue()


def csv_row(i: Incident) -> list:
    p = i.place
    return [
        i.incident_id, _iso(i.when.event_date) or "", _iso(i.when.start) or "", _iso(i.when.end) or "",
        i.when.precision, i.event_type, i.sub_event_type, p.country, p.admin2, p.name, p.place_id,
        f"{p.lat:.6f}", f"{p.lon:.6f}", i.geo_precision, len(i.sources),
        "; ".join(dict.fromkeys(s.outlet or s.article_id for s in i.sources)),
        " ".join(s.article_id for s in i.sources),
        " | ".join(s.quote for s in i.sources),
    ]


@dataclass(frozen=True, slots=True)
class Row:
    """One incident ready to write: its GeoJSON feature line, CSV row and GeoPackage record."""

    geojson: str
    csv: list
    props: dict  # GeoPackage attributes: the feature's properties, sources as JSON text
    lon: float
    lat: float


def row(incident: Incident) -> Row:
    f = feature(incident)
    line = json.dumps(f, ensure_ascii=False, separators=(",", ":"))
    props = f["properties"]
    props["sources"] = json.dumps(props["sources"], ensure_ascii=False)
    return Row(line, csv_row(incident), props, incident.place.lon, incident.place.lat)


def _write_gpkg(rows: Iterable[Row], path: Path) -> None:
    """Every incident as a GeoPackage point: Arrow record batches of :data:`GPKG_BATCH`
    incidents, made as the write reads them, written by ``pyogrio.write_arrow``. The columns'
    types are :func:`gpkg_schema`'s, whatever the values.

    A write keeps its spatial index's entries in memory until it ends (on two cores, 800,000
    incidents in one write peaked 50 MB above the write's start, 100,000 incidents 22 MB), and
    appending costs more than writing (100,000 incidents took 1.1 s in one write, 1.6-1.8 s in
    two), so a new write, which appends, starts every :data:`GPKG_BATCHES_PER_WRITE` batches:
    200,000 incidents, more than a build of 100,000 articles makes."""
    import itertools

    import pyarrow as pa
    import pyogrio

    schema = gpkg_schema()
    failed: list[BaseException] = []

    def batches() -> Iterator[pa.RecordBatch]:
        # pyogrio reads these through Arrow's C stream and reports an error raised here as a
        # RuntimeError of its own: keep the error itself, raised below once the write stopped
        try:
            batch: list[Row] = []
            for r in rows:
                batch.append(r)
                if len(batch) == GPKG_BATCH:
                    yield _record_batch(batch, schema)
                    batch = []
            if batch:
                yield _record_batch(batch, schema)
        except GeneratorExit:
            raise
        except BaseException as exc:
            failed.append(exc)
            raise

    made = batches()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_GPKG_DATE})
    try:
        first, append = next(made, None), False  # no incident at all: one write, an empty layer
        while True:
            session = itertools.chain([] if first is None else [first],
                                      itertools.islice(made, GPKG_BATCHES_PER_WRITE - 1))
            pyogrio.write_arrow(
                pa.RecordBatchReader.from_batches(schema, session), path, layer="incidents",
                driver="GPKG", geometry_name=_GEOMETRY, geometry_type="Point", crs="EPSG:4326",
                append=append,
            )
            first, append = next(made, None), True
            if first is None:
                break
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise OutputError(f"{path.name}: {_gdal_problem(exc, path.parent)}") from None
    except Exception:
        if not failed:  # else pyogrio's error for the one raised in the batches: that, below
            raise
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        made.close()
    if failed:
        raise failed[0]  # outside the handler: its own cause and context, not pyogrio's error


def _gdal_problem(exc: Exception, folder: Path) -> str:
    """GDAL's I/O errors are not OSErrors, and it reports a full disk as some SQL failure."""
    try:
        full = shutil.disk_usage(folder).free < 2**20
    except OSError:  # the folder is gone, say: GDAL's own words
        full = False
    return f"No space left on device (GDAL: {exc})" if full else str(exc)


def gpkg_schema() -> pa.Schema:
    """The GeoPackage's columns: the feature's properties in :func:`feature_properties_order`
    (the sources as JSON text, the precisions and the count as integers, ``lasting`` a
    boolean), then the point as WKB (last)."""
    import pyarrow as pa

    def kind(column: str) -> pa.DataType:
        if column in _GPKG_INTEGERS:
            return pa.int64()
        return pa.bool_() if column == "lasting" else pa.string()

    return pa.schema([(c, kind(c)) for c in feature_properties_order()] + [(_GEOMETRY, pa.binary())])


def _record_batch(batch: list[Row], schema: pa.Schema) -> pa.RecordBatch:
    import numpy as np
    import pyarrow as pa
    import shapely

    points = shapely.points(np.array([r.lon for r in batch], dtype=float),  # shapely is (x=lon, y=lat)
                            np.array([r.lat for r in batch], dtype=float))
    # the system's allocator: with pyarrow's own (mimalloc) a 10k build peaked ~25 MB higher
    pool = pa.system_memory_pool()
    arrays = [pa.array([r.props[f.name] for r in batch], type=f.type, memory_pool=pool) for f in list(schema)[:-1]]
    arrays.append(pa.array(shapely.to_wkb(points), type=pa.binary(), memory_pool=pool))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def feature_properties_order() -> tuple[str, ...]:
    return (
        "incident_id", "event_date", "date_start", "date_end", "time_precision", "lasting",
        "event_type", "sub_event_type", "place_id", "location", "admin2", "country",
        "geo_precision", "sources", "source_count",
    )


def write_outputs(out_dir: Path, incidents: list[Incident], report: dict) -> dict[str, Path]:
    """Write the four outputs atomically; on any failure the previous outputs stay as they were."""

    def write_report(fh: TextIO) -> None:
        fh.write(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n")

    return write_outputs_streaming(out_dir, lambda: map(row, incidents), write_report)


STAGING_PREFIX = ".incident-map-"  # + the writing process's id: the staging folder in DIR


def remove_stale_staging(folder: Path, prefix: str) -> None:
    """Remove ``prefix<pid>-*`` folders that a killed build left in ``folder`` (its process is
    gone). Folders of a live process, or named otherwise, are left alone."""
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.is_dir()]
    except OSError:
        return
    for path in candidates:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, not ours
    return True


def write_outputs_streaming(
    out_dir: Path,
    rows: Callable[[], Iterator[Row]],
    write_report: Callable[[TextIO], None],
) -> dict[str, Path]:
    """``write_outputs`` for any number of incidents: ``rows()`` gives them one at a time, in
    order, and ``write_report`` writes report.json to a text file. The same bytes as
    ``write_outputs``; memory does not grow with the number of incidents."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from None
    targets = {
        "geojson": out_dir / "incidents.geojson",
        "csv": out_dir / "incidents.csv",
        "gpkg": out_dir / "incidents.gpkg",
        "report": out_dir / "report.json",
    }
    remove_stale_staging(out_dir, STAGING_PREFIX)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {out_dir}: {exc.strerror or exc}") from None
    try:
        staged = {k: staging / v.name for k, v in targets.items()}
        _write_incidents(staged, rows)
        _write_streamed(staged["report"], write_report)
        for key, path in staged.items():
            os.replace(path, targets[key])
    except OSError as exc:
        raise OutputError(f"cannot write the outputs in {out_dir}: {exc.strerror or exc}; the previous outputs are unchanged") from None
    finally:
        for leftover in staging.glob("*"):
            leftover.unlink(missing_ok=True)
        staging.rmdir()
    return targets


def _write_incidents(staged: dict[str, Path], rows: Callable[[], Iterator[Row]]) -> None:
    """GeoJSON, CSV and GeoPackage in one pass over the incidents (``geojson_text``,
    ``csv_text`` and the GeoPackage rows, written as they come)."""
    try:
        with open(staged["geojson"], "w", encoding="utf-8", newline="\n") as gj, \
                open(staged["csv"], "w", encoding="utf-8", newline="\n") as cf:
            gj.write('{"type":"FeatureCollection","features":[\n')
            table = csv.writer(cf, lineterminator="\n")
            table.writerow(CSV_COLUMNS)

            def tee() -> Iterator[Row]:
                sep = ""
                for r in rows():
                    gj.write(sep + r.geojson)
                    sep = ",\n"
                    table.writerow(safe_csv_row(r.csv))
                    yield r

            _write_gpkg(tee(), staged["gpkg"])
            gj.write("\n]}\n")
            for fh in (gj, cf):
                fh.flush()
                os.fsync(fh.fileno())
    except UnicodeEncodeError:
        # A lone surrogate: fail with the very error writing the whole text gives (its position
        # counts from the start of the file), so put the whole text together to raise it.
        lines, table_text = [], io.StringIO()
        w = csv.writer(table_text, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for r in rows():
            lines.append(r.geojson)
            w.writerow(safe_csv_row(r.csv))
        _write_text(staged["geojson"], '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n")
        _write_text(staged["csv"], table_text.getvalue())
        raise


def _write_streamed(path: Path, write: Callable[[TextIO], None]) -> None:
    """``write`` to a UTF-8 file and fsync; an unencodable text fails as ``_write_text`` would."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except UnicodeEncodeError:
        whole = io.StringIO()
        write(whole)
        _write_text(path, whole.getvalue())
        raise


def json_indented(obj: object, level: int = 0) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` as it reads nested ``level`` deep in an
    indented document (what the encoder writes there), several times faster: the standard
    library encodes indented JSON in pure Python. Unusual values fall back to ``json.dumps``."""
    out: list[str] = []
    _indented(obj, level, out)
    return "".join(out)


_SCALARS = frozenset({str, int, float, bool, type(None)})  # exact types the C encoder writes alike


def _flat(v: list | tuple) -> bool:
    return set(map(type, v)) <= _SCALARS


def _flat_dict(v: object) -> bool:
    return type(v) is dict and bool(v) and set(map(type, v)) == {str} and set(map(type, v.values())) <= _SCALARS


def _c_encoder(item_separator: str) -> Callable[[object], str]:
    """Compact JSON of flat values with this item separator: the C encoder called directly
    (``JSONEncoder.encode`` costs four times as much for small values); plain JSON otherwise."""
    from json.encoder import c_make_encoder

    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": ")).encode
    run = c_make_encoder(None, None, _encode_str, None, ": ", item_separator, False, False, True)
    return lambda o: "".join(run(o, 0))


_encoders: dict[int, Callable[[object], str]] = {}
# Separates items in one C-encoded run; never in encoded JSON, where control characters are escaped.
_MARK = ",\x00"
_marked = _c_encoder(_MARK)


def _flat_encoder(level: int) -> Callable[[object], str]:
    """The C encoder writing one container's items on their own lines, ``level`` deep."""
    enc = _encoders.get(level)
    if enc is None:
        enc = _encoders[level] = _c_encoder(",\n" + "  " * level)
    return enc


def _indented(o: object, level: int, out: list[str]) -> None:
    if isinstance(o, str):
        out.append(_encode_str(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        if type(o) in (list, tuple) and _flat(o):  # one C call for the whole list
            out.append("[" + inner + _flat_encoder(level + 1)(o)[1:-1] + "\n" + "  " * level + "]")
            return
        if type(o) in (list, tuple) and all(map(_flat_dict, o)):
            # A list of flat objects (report.json's dropped mentions): one C call with marked
            # separators, then the marks become line breaks. A mark between "}" and "{" parts
            # two objects; any other is followed by a key.
            inner2 = inner + "  "
            text = _marked(o)[2:-2]
            text = text.replace("}" + _MARK + "{", inner + "}," + inner + "{" + inner2).replace(_MARK, "," + inner2)
            out.append("[" + inner + "{" + inner2 + text + inner + "}" + "\n" + "  " * level + "]")
            return
        out.append("[")
        sep = inner
        for item in o:
            out.append(sep)
            _indented(item, level + 1, out)
            sep = "," + inner
        out.append("\n" + "  " * level + "]")
    elif isinstance(o, dict) and all(type(k) is str for k in o):
        if not o:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        if type(o) is dict and _flat(o.values()):
            out.append("{" + inner + _flat_encoder(level + 1)(o)[1:-1] + "\n" + "  " * level + "}")
            return
        out.append("{")
        sep = inner
        for k, v in o.items():
            out.append(sep + _encode_str(k) + ": ")
            _indented(v, level + 1, out)
            sep = "," + inner
        out.append("\n" + "  " * level + "}")
    else:  # other key types, unknown objects: the encoder itself
        text = json.dumps(o, ensure_ascii=False, indent=2)
        out.append(text.replace("\n", "\n" + "  " * level))


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
