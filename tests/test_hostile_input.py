"""Hostile and broken input through the real command line (``python -m pipeline.cli build``).

Fills the gaps left by tests/test_cli.py (which covers empty, whitespace, image, NUL-binary,
cp1250/UTF-16/BOM/CRLF, bad date lines, the sources.csv basics, duplicates, merging, --strict,
a broken gazetteer and an output path that is a file). Every run checks that no traceback
reaches the user. The read-only and full-disk tests mount a small tmpfs (CI runs as root); they
fail, not skip, when the mount is impossible.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build import SPILL_PREFIX
from tests.conftest import ROOT, SEEDS, TODAY

GOOD = "date 2022-12-12 Barricades in Zvečan\n\nSerbs set up barricades in Zvečan on Sunday.\n"
OUTPUTS = ("incidents.csv", "incidents.geojson", "incidents.gpkg", "report.json")


# -- helpers -------------------------------------------------------------------------------------


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    assert "Traceback" not in res.stdout
    return res


def build(src: Path, out: Path, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return cli(
        "build", str(src), "--out", str(out), "--today", TODAY.isoformat(), *extra, timeout=timeout
    )


def folder(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name, data in files.items():
        if isinstance(data, str):
            data = data.encode("utf-8")
        (src / name).write_bytes(data)
    return src


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def entry(out: Path, name: str) -> dict:
    return next(e for e in report(out)["inputs"] if Path(e["path"]).name == name)


def features(out: Path) -> list[dict]:
    return json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]


def sources(out: Path) -> list[dict]:
    return [s for f in features(out) for s in f["properties"]["sources"]]


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def assert_complete(out: Path) -> None:
    """Every output parses completely."""
    import geopandas as gpd

    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "incidents.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(geo["features"])
    assert len(gpd.read_file(out / "incidents.gpkg")) == len(geo["features"])
    assert report(out)["summary"]["incidents"] == len(geo["features"])


def visible(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if not p.name.startswith(".")}


# -- encodings -----------------------------------------------------------------------------------


def test_mostly_utf8_with_stray_bytes_keeps_utf8_and_replaces_only_the_bad_bytes(tmp_path):
    text = (
        "date 2022-12-12 Barikade\n\nSerbs set up barricades in Zvečan and Leposavić on Sunday. "
        "Police said the roads near Zubin Potok stayed closed.\n"
    ).encode()
    cut = text.index(b"Police")
    data = (
        text[:cut] + b"\xff\xfe\x80 " + text[cut:] + b"\xc3"
    )  # stray bytes and a truncated character
    src = folder(tmp_path, {"stray.txt": data})
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    assert "stray.txt" in res.stderr and "invalid UTF-8" in res.stderr
    assert {"Zvečan", "Leposavić"} <= {s["mention"] for s in sources(out)}  # no mojibake guess
    assert any("replaced with U+FFFD" in w for w in entry(out, "stray.txt")["warnings"])


def test_garbage_bytes_are_a_reported_error_and_the_rest_is_built(tmp_path):
    rng = random.Random(1250)
    garbage = bytes(rng.randrange(1, 256) for _ in range(20_000))  # no NUL: not caught as binary
    src = folder(tmp_path, {"good.txt": GOOD, "garbage.txt": garbage})
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 1
    line = next(ln for ln in res.stderr.splitlines() if "garbage.txt" in ln)
    assert line.startswith("warning:") and "no text encoding explains it" in line
    assert entry(out, "garbage.txt")["status"] == "error"
    assert entry(out, "good.txt")["incidents"]


def test_serbian_article_in_windows_1250_keeps_every_diacritic(tmp_path):
    title = "Barikade na severu Kosova: Zvečan, Leposavić i Zubin Potok"
    body = (
        "Srbi sa severa Kosova postavili su u subotu barikade na putevima kod Jarinja i Brnjaka, a "
        "saobraćaj je obustavljen. Građani Zvečana, Leposavića i Zubinog Potoka okupili su se ispred "
        "barikada. Žene i deca ostali su kod kuće, rekao je Đorđe Šćepanović. ČĆŠŽĐ čćšžđ.\n\n"
        "Serbs set up barricades in Zvečan on Sunday.\n"
    )
    src = folder(tmp_path, {"sr.txt": f"date 2022-12-12 {title}\n\n{body}".encode("cp1250")})
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    e = entry(out, "sr.txt")
    assert e["title"] == title
    (warning,) = e["warnings"]
    assert warning == (
        'not UTF-8: read as cp1250, a guess from its bytes (it reads "Zvečan"); if its letters '
        "look wrong, save the file as UTF-8"
    )
    (s,) = sources(out)
    assert s["title"] == title and s["mention"] == "Zvečan"


# -- size ----------------------------------------------------------------------------------------


def _child_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_a_50_mb_article_is_built_in_bounded_time_and_memory(tmp_path):
    """Dense news text (the seeds' bodies, repeated): ~470,000 place mentions. About 30 s here;
    before the matcher fix it ran for more than 12 minutes."""
    bodies = [p.read_text(encoding="utf-8").split("\n", 1)[1] for p in sorted(SEEDS.glob("*.txt"))]
    chunk = "\n\n".join(bodies) + "\n\n"
    text = "date 2022-12-12 A very long article\n\n" + chunk * (
        50 * 2**20 // len(chunk.encode("utf-8")) + 1
    )
    src = folder(tmp_path, {"big.txt": text})
    assert (src / "big.txt").stat().st_size >= 50 * 2**20
    out = tmp_path / "out"
    t0 = time.monotonic()
    res = build(src, out, "--quiet")
    elapsed = time.monotonic() - t0
    assert res.returncode == 0, res.stderr
    assert elapsed < 300, (
        f"50 MB article took {elapsed:.0f} s"
    )  # ~30 s alone, ~100 s on a busy machine
    assert _child_peak_rss_mb() < 4000
    srcs = sources(out)
    assert srcs and entry(out, "big.txt")["status"] == "ok"
    for s in srcs:
        assert text[s["char_start"] : s["char_end"]] == s["mention"]


@pytest.mark.parametrize("prefix", ["", "date 2022-12-12 "], ids=["no-date-line", "date-line"])
def test_a_1_mb_line_without_a_newline(tmp_path, prefix):
    sentence = "Serbs set up barricades in Zvečan on Sunday while police watched from a distance. "
    text = prefix + sentence * (2**20 // len(sentence) + 1)
    text = text.rstrip()  # no newline anywhere, not even at the end
    src = folder(tmp_path, {"line.txt": text})
    out = tmp_path / "out"
    t0 = time.monotonic()
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    assert time.monotonic() - t0 < 120
    e = entry(out, "line.txt")
    assert e["status"] == "ok" and len(e["title"]) <= 160
    srcs = sources(out)
    assert srcs
    for s in srcs:
        assert text[s["char_start"] : s["char_end"]] == s["mention"] == "Zvečan"
        assert len(s["quote"]) < 1000  # the sentence, not the whole line


def test_a_1_mb_line_of_abbreviations_and_initials(tmp_path):
    """Sentence splitting must stay linear when no boundary ever closes a sentence."""
    text = "date 2022-12-12 T\n\n" + "Mr. A. B. Smith of St. Zvečan, Gen. C. D. Jones, " * 20_000
    src = folder(tmp_path, {"abbr.txt": text})
    t0 = time.monotonic()
    res = build(src, tmp_path / "out")
    assert res.returncode == 0, res.stderr
    assert time.monotonic() - t0 < 120


def test_one_sentence_of_a_quarter_megabyte_with_thousands_of_places_and_triggers(tmp_path):
    """A "sentence" with no full stop is read as a window around each mention: its quotes stay
    short and its mentions do not each scan the whole of it (quadratic before: 650 KB took four
    minutes in extraction alone; now about 25 s)."""
    text = "date 2022-12-30 T\n\nTensions rose.\n\n" + (
        "barricades went up across northern Kosovo, and police closed Jarinje and Zvecan, " * 3000) + "end."
    src = folder(tmp_path, {"one.txt": text})
    res = build(src, tmp_path / "out", timeout=120)  # (raises on the timeout)
    assert res.returncode == 0, res.stderr
    srcs = sources(tmp_path / "out")
    assert {s["mention"] for s in srcs} >= {"Jarinje", "Zvecan"}
    assert max(len(s["quote"]) for s in srcs) <= 2000
    for s in srcs:
        assert text[s["char_start"] : s["char_end"]] == s["mention"]


def test_a_long_paragraph_of_ranges_that_look_back(tmp_path):
    """"From that day until ..." looks back for its first day a bounded way: not the whole paragraph
    again at every mention (unbounded, half this paragraph took 107 s; bounded, this one 2 s)."""
    text = "date 2022-12-30 T\n\n" + "Serbs protested in Zvecan from that day until December 29. " * 10_000
    src = folder(tmp_path, {"ranges.txt": text})
    res = build(src, tmp_path / "out", timeout=120)  # (raises on the timeout)
    assert res.returncode == 0, res.stderr
    assert entry(tmp_path / "out", "ranges.txt")["status"] == "ok"


# -- dates ---------------------------------------------------------------------------------------


def test_article_dated_before_the_events_it_describes(tmp_path):
    """An explicit date after publication is kept as the text says (never pulled back before the
    publication date) and reported: the publication date, or the text, is probably wrong.
    Relative dates ("on Sunday") are still counted back from publication."""
    text = (
        "date 2021-01-10 Barricades\n\n"
        "On 2022-12-11 Serbs set up barricades in Zvečan.\n\n"
        "On Sunday police blocked the roads in Leposavić.\n"
    )
    src = folder(tmp_path, {"early.txt": text})
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    by_place = {f["properties"]["place_id"]: f["properties"] for f in features(out)}
    assert by_place["zvecan"]["event_date"] == "2022-12-11"
    assert by_place["leposavic"]["event_date"] == "2021-01-10"  # a Sunday: the publication day
    warning = next(ln for ln in res.stderr.splitlines() if "after the publication date" in ln)
    assert warning.startswith("warning:") and "early.txt" in warning and "2022-12-11" in warning
    assert any("after the publication date" in w for w in entry(out, "early.txt")["warnings"])


# -- sources.csv ---------------------------------------------------------------------------------


def test_sources_csv_without_article_id_column_is_an_error_but_articles_are_built(tmp_path):
    src = folder(
        tmp_path,
        {
            "a.txt": GOOD,
            "sources.csv": "id,published,outlet,url,title\na,2020-01-01,Outlet,https://example.org,Other title\n",
        },
    )
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 1  # something failed: the metadata
    line = next(ln for ln in res.stderr.splitlines() if "sources.csv" in ln)
    assert line.startswith("warning:") and "no article_id column" in line
    (table,) = report(out)["sources_tables"]
    assert table["status"] == "error" and "no article_id column" in table["error"]
    (s,) = sources(out)
    assert s["outlet"] == "" and s["published"] == "2022-12-12"  # not applied
    assert entry(out, "a.txt")["status"] == "ok"


def test_strict_stops_on_an_unusable_sources_csv_and_writes_nothing(tmp_path):
    src = folder(tmp_path, {"a.txt": GOOD, "sources.csv": "id,title\na,T\n"})
    out = tmp_path / "out"
    res = build(src, out, "--strict")
    assert res.returncode == 2 and not out.exists()
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert "sources.csv" in line and "no article_id column" in line


def test_sources_csv_missing_a_non_key_column_is_a_warning(tmp_path):
    src = folder(
        tmp_path,
        {
            "a.txt": GOOD,
            "sources.csv": "article_id,published,outlet,title\na,2022-12-13,RFE/RL,Barricades\n",
        },
    )
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    line = next(ln for ln in res.stderr.splitlines() if "missing column" in ln)
    assert line.startswith("warning:") and "sources.csv" in line and "url" in line
    (table,) = report(out)["sources_tables"]
    assert table["status"] == "ok" and any("missing column url" in w for w in table["warnings"])
    (s,) = sources(out)
    assert (s["outlet"], s["published"], s["title"], s["url"]) == (
        "RFE/RL",
        "2022-12-13",
        "Barricades",
        "",
    )


# -- markup and script ---------------------------------------------------------------------------

HOSTILE_TITLE = "<img src=x onerror=\"alert('title')\">Barricades"
HOSTILE_OUTLET = "<script>alert('outlet')</script>"
HOSTILE_URL = "javascript:alert('url')"
HOSTILE_SENTENCE = "Serbs set up barricades in Zvečan on Sunday <script>alert('text')</script> <b onmouseover=alert(1)>."


def test_markup_in_text_title_outlet_and_url_is_stored_verbatim_as_text(tmp_path):
    """The pipeline stores what the article says, as text; escaping is each renderer's job (the
    dashboard escapes it: tests/test_dashboard_*.py, tests/browser/)."""
    src = folder(tmp_path, {"a.txt": f"date 2022-12-12 Barricades\n\n{HOSTILE_SENTENCE}\n"})
    with open(src / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["article_id", "published", "outlet", "url", "title"])
        w.writerow(["a", "2022-12-12", HOSTILE_OUTLET, HOSTILE_URL, HOSTILE_TITLE])
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    (s,) = sources(out)
    assert (s["title"], s["outlet"], s["url"]) == (HOSTILE_TITLE, HOSTILE_OUTLET, HOSTILE_URL)
    assert s["quote"] == HOSTILE_SENTENCE
    (row,) = csv.DictReader(io.StringIO((out / "incidents.csv").read_text(encoding="utf-8")))
    assert row["source"] == HOSTILE_OUTLET and row["notes"] == HOSTILE_SENTENCE
    import geopandas as gpd

    (gpkg_sources,) = gpd.read_file(out / "incidents.gpkg")["sources"]
    assert json.loads(gpkg_sources)[0]["outlet"] == HOSTILE_OUTLET
    assert entry(out, "a.txt")["title"] == HOSTILE_TITLE


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_made_inert(tmp_path):
    """incidents.csv is opened in spreadsheets: a cell starting with = + - @ (from an outlet, an
    article id or a quote) gets a leading apostrophe there; GeoJSON and GeoPackage keep the text."""
    src = folder(tmp_path, {"=cmd.txt": "date 2022-12-12 Barricades\n\n-Serbs set up barricades in Zvečan on Sunday.\n"})
    with open(src / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["article_id", "published", "outlet", "url", "title"])
        w.writerow(["=cmd", "2022-12-12", '@SUM(1+1)*cmd|" /C calc"!A0', "", ""])
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    (row,) = csv.DictReader(io.StringIO((out / "incidents.csv").read_text(encoding="utf-8")))
    assert row["source"] == "'" + '@SUM(1+1)*cmd|" /C calc"!A0'
    assert row["article_ids"] == "'=cmd"
    assert row["notes"] == "'-Serbs set up barricades in Zvečan on Sunday."
    assert float(row["latitude"]) > 42 and float(row["longitude"]) > 20  # numbers stay numbers
    (s,) = sources(out)
    assert (s["article_id"], s["outlet"]) == ("=cmd", '@SUM(1+1)*cmd|" /C calc"!A0')
    assert s["quote"].startswith("-Serbs")


def test_html_script_style_and_handlers_never_become_article_text(tmp_path):
    page = """<!DOCTYPE html><html><head><title>Barricades &lt;script&gt;alert(1)&lt;/script&gt;</title>
<script>var story = "Serbs set up barricades in Leposavić on Sunday"; alert('head');</script>
<style>p::after { content: "Protesters blocked the road at Jarinje on Sunday" }</style></head>
<body><p>Serbs set up barricades in Zvečan on Sunday.</p>
<SCRIPT type="text/javascript">document.write("Clashes at Kopaonik on Sunday")</SCRIPT>
<img src=x onerror="alert('Protesters blocked Zubin Potok on Sunday')">
<noscript>Police clashed with protesters in Banjska on Sunday.</noscript>
<p><a href="javascript:alert(1)">read more</a></p>
<script>alert('unclosed: protesters in Rudare on Sunday')
"""
    src = folder(tmp_path, {"page.html": page})
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0, res.stderr
    assert {f["properties"]["place_id"] for f in features(out)} == {"zvecan"}
    for s in sources(out):
        assert "alert" not in s["quote"] and "<" not in s["quote"]
    assert (
        entry(out, "page.html")["title"] == "Barricades <script>alert(1)</script>"
    )  # text, unescaped once


# -- outputs that cannot be written -------------------------------------------------------------


@pytest.fixture
def small_fs(tmp_path):
    """A 2 MB tmpfs of our own: root ignores file permissions, not a read-only or full mount."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mnt)],
        check=False,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        pytest.fail(
            "cannot mount a small tmpfs for the read-only and full-disk tests (needs root and "
            f"CAP_SYS_ADMIN): {res.stderr.strip()}",
            pytrace=False,
        )
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False, capture_output=True)


def test_read_only_output_folder_is_a_clear_error_and_previous_outputs_stay(small_fs):
    out = small_fs / "out"
    assert build(SEEDS, out).returncode == 0
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    res = build(SEEDS, out)
    assert res.returncode == 2
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert str(out) in line and "Read-only file system" in line
    assert snapshot(out) == before and visible(out) == set(OUTPUTS)


@pytest.mark.parametrize("free_kb", [0, 48], ids=["no-byte-left", "room-for-the-text-files-only"])
def test_full_disk_is_a_clear_error_and_previous_outputs_stay(small_fs, free_kb):
    """0: the first write fails; 48 KB: GeoJSON and CSV fit, the GeoPackage (GDAL) does not."""
    out = small_fs / "out"
    assert build(SEEDS, out).returncode == 0
    before = snapshot(out)
    filler = small_fs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte, then give back free_kb
        for size in (65536, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
        os.ftruncate(fd, max(0, os.fstat(fd).st_size - free_kb * 1024))
    finally:
        os.close(fd)
    res = build(SEEDS, out)
    assert res.returncode == 2, res.stderr
    (line,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert str(out) in line and ("No space left on device" in line or "disk is full" in line), line
    assert "previous outputs are unchanged" in line
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)  # no staging left behind
    filler.unlink()
    assert build(SEEDS, out).returncode == 0 and snapshot(out) == before


# -- a build killed midway ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory) -> Path:
    """3,000 distinct articles (the seeds and test articles with shifted dates): ~7,000 incidents."""
    src = tmp_path_factory.mktemp("large")
    texts = [
        p.read_text(encoding="utf-8")
        for d in (SEEDS, ROOT / "tests" / "articles")
        for p in sorted(d.glob("*.txt"))
    ]
    import datetime as dt

    for n in range(3000):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=n)
        text = texts[n % len(texts)]
        body = text.split("\n", 1)[1] if text.startswith("date ") else text
        (src / f"a{n:05d}.txt").write_text(
            f"date {day.isoformat()} Report {n}\n{body}", encoding="utf-8"
        )
    return src


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # the build removed its folder meanwhile: it ended
        return 0


@pytest.mark.parametrize("moment", ["reading", "writing"])
def test_a_build_killed_midway_leaves_the_previous_outputs_complete(tmp_path, large_corpus, moment):
    out, spill_root = tmp_path / "out", tmp_path / "tmp"
    spill_root.mkdir()
    assert build(SEEDS, out).returncode == 0
    before = snapshot(out)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "build",
            str(large_corpus),
            "--out",
            str(out),
            "--today",
            TODAY.isoformat(),
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(spill_root)},
    )
    deadline = time.monotonic() + 300
    try:
        if moment == "reading":  # articles are being read: their report entries are spilled
            while not any(_size(p) for p in spill_root.glob(f"{SPILL_PREFIX}*/inputs.bin")):
                assert proc.poll() is None, "the build ended before it was seen reading"
                assert time.monotonic() < deadline
                time.sleep(0.005)
            assert not any(p.name.startswith(".incident-map-") for p in out.iterdir()), "already writing"
        else:  # the moment the staging folder appears, i.e. while the new outputs are being written
            while not any(p.name.startswith(".incident-map-") for p in out.iterdir()):
                assert proc.poll() is None, "the build ended before it started writing"
                assert time.monotonic() < deadline
                time.sleep(0.005)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert visible(out) == set(OUTPUTS)  # a leftover staging folder is hidden, never an output
    assert_complete(out)
    # the next build cleans up what the killed one left behind
    assert build(SEEDS, out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert snapshot(out) == before


# -- the exception hierarchy ---------------------------------------------------------------------


def test_every_bad_input_is_an_input_error_raised_where_it_is_found():
    import datetime as dt

    from pipeline.errors import IncidentMapError, InputError
    from pipeline.ingest import read_bytes

    today = dt.date(2026, 11, 22)
    rng = random.Random(7)
    bad = {
        "empty.txt": b"",
        "blank.txt": b" \n\t",
        "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "nul.txt": b"a\x00b" * 10,
        "garbage.txt": bytes(rng.randrange(1, 256) for _ in range(4000)),
        "bad16.txt": b"\xff\xfe\x00\xd8",
        "x.jsonl": b'{"text": 5}\nnot json\n',
        "only-date.txt": b"date 2022-12-12\n",
    }
    for name, data in bad.items():
        for raw in read_bytes(data, Path(name), today):
            assert isinstance(raw.error, InputError) and isinstance(raw.error, IncidentMapError), (
                name
            )
            assert raw.article is None
            assert raw.error.path.startswith(name) and raw.error.problem


def test_output_errors_are_output_errors_raised_in_the_exporter(small_fs):
    from pipeline.build import build as library_build
    from pipeline.errors import IncidentMapError, OutputError

    out = small_fs / "out"
    out.mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    with pytest.raises(OutputError) as info:
        library_build([SEEDS], out, today=TODAY)
    assert isinstance(info.value, IncidentMapError) and isinstance(info.value, OSError)
    tb = info.tb
    while tb.tb_next:
        tb = tb.tb_next
    assert Path(tb.tb_frame.f_code.co_filename).name == "export.py"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_bug_on_one_article_is_contained_and_reported_without_a_traceback(tmp_path, jobs):
    """A bug in extraction (simulated) is reported against its article; the others are built
    (on one process, and in a worker process: forked on Linux, it has the patched module)."""
    src = folder(tmp_path, {"good.txt": GOOD, "boom.txt": GOOD.replace("Sunday", "Sunday, boom")})
    out = tmp_path / "out"
    code = (
        "import sys, pipeline.parallel as p\n"
        "real = p.extract\n"
        "def extract(article, *a, **k):\n"
        "    if 'boom' in article.text: raise RuntimeError('simulated bug')\n"
        "    return real(article, *a, **k)\n"
        "p.extract = extract\n"
        "from pipeline.cli import main\n"
        f"sys.exit(main(['build', {str(src)!r}, '--out', {str(out)!r}, '--today', '2026-11-22', '--jobs', {jobs!r}]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in res.stderr
    assert res.returncode == 1
    line = next(ln for ln in res.stderr.splitlines() if "boom.txt" in ln)
    assert line.startswith("warning:") and "simulated bug" in line
    assert entry(out, "boom.txt")["status"] == "error" and entry(out, "good.txt")["incidents"]


def test_an_unexpected_bug_outside_the_articles_is_one_line_and_exit_code_3(tmp_path):
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    before = snapshot(out)
    code = (
        "import sys, pipeline.build as b\n"
        "def boom(*a, **k): raise RuntimeError('simulated bug')\n"
        "b._matcher = boom\n"
        "from pipeline.cli import main\n"
        f"sys.exit(main(['build', {str(SEEDS)!r}, '--out', {str(out)!r}, '--today', '2026-11-22', '-q']))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 3 and "Traceback" not in res.stderr
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith("error: internal error (RuntimeError: simulated bug)")
    assert snapshot(out) == before


def test_the_encoding_warning_quotes_a_word_found_in_linear_time():
    """The sample word in a guessed encoding's warning: the first letter beyond ASCII and
    the letters around it (not a symbol, a no-break space or a format character), found by
    one search, not a pattern retried from every position."""
    from pipeline.ingest import _first_accented_word

    assert _first_accented_word("Barikade u Zvečanu") == ' (it reads "Zvečanu")'
    assert _first_accented_word("a\u00a0b, €5, “quoted” \u202eĐakovica") == ' (it reads "Đakovica")'
    assert _first_accented_word("plain ASCII only") == ""
    # (the quadratic pattern took ~22 s on 40 kB like this; no time is asserted here)
    assert _first_accented_word("a" * 50_000 + " č") == ' (it reads "č")'
