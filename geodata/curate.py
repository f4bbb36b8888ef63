"""Fill the ``admin2`` column of ``gazetteer.csv`` by a point-in-polygon join against the
geoBoundaries municipalities (Kosovo) and districts (Serbia).

    python -m geodata.curate            # rewrite gazetteer.csv in place
    python -m geodata.curate --check    # exit 1 if any admin2 differs from the join
"""

from __future__ import annotations

import argparse
import csv
import io
import sys

from geodata.boundaries import assign_admin2
from geodata.gazetteer import COLUMNS, CURATED, read_curated
from pipeline.wording import counted


def joined_admin2() -> dict[str, str]:
    places = read_curated(CURATED)
    names = assign_admin2([p.country for p in places], [p.lat for p in places], [p.lon for p in places])
    # A region or a country is larger than any municipality: it has no admin2.
    return {p.place_id: ("" if p.kind in ("country", "region") else n) for p, n in zip(places, names)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill gazetteer.csv admin2 by point-in-polygon.")
    parser.add_argument("--check", action="store_true", help="only report differences")
    opts = parser.parse_args(argv)
    admin = joined_admin2()
    rows = list(csv.DictReader(io.StringIO(CURATED.read_text(encoding="utf-8"))))
    diffs = [(r["place_id"], r["admin2"], admin[r["place_id"]]) for r in rows if r["admin2"] != admin[r["place_id"]]]
    if opts.check:
        for pid, old, new in diffs:
            print(f"{pid}: admin2 {old!r} but the join says {new!r}")
        return 1 if diffs else 0
    for r in rows:
        r["admin2"] = admin[r["place_id"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    CURATED.write_text(out.getvalue(), encoding="utf-8")
    print(f"{CURATED}: {counted(len(diffs), 'admin2 value')} updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
