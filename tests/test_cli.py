"""The command line, end to end on real files: outputs, report, exit codes, bad input."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

GOOD = "date 2022-12-12 Barricades in Zvečan\n\nSerbs set up barricades in Zvečan on Sunday.\n"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    # a time limit: a mistake the command misses may start a dashboard, which would run forever
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=cwd,
                          check=False, timeout=300)


def build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run("build", str(src), "--out", str(out), "--today", "2026-11-22", *extra)


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def entry(out: Path, name: str) -> dict:
    return next(e for e in report(out)["inputs"] if Path(e["path"]).name == name)


def test_help_explains_every_option():
    text = run("build", "--help").stdout
    for option in ("--out", "--strict", "--gazetteer", "--no-geonames", "--today", "--quiet", "Exit code"):
        assert option in text
    assert "dashboard" in run("--help").stdout and "eval" in run("--help").stdout


def test_outputs_are_rfc7946_and_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert build(SEEDS, a).returncode == 0
    assert build(SEEDS, b).returncode == 0
    for name in ("incidents.geojson", "incidents.csv", "incidents.gpkg", "report.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    geo = json.loads((a / "incidents.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and "crs" not in geo
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 19 < lon < 22 and 41 < lat < 44  # lon, lat order, in the region
        assert f["properties"]["source_count"] == len(f["properties"]["sources"])
    import geopandas as gpd

    gpkg = gpd.read_file(a / "incidents.gpkg")
    assert len(gpkg) == len(geo["features"]) and gpkg.crs.to_epsg() == 4326


def test_an_incident_that_lasted_says_so_in_the_geojson_and_the_geopackage(tmp_path):
    """``lasting``: date_start..date_end is every day the barricade stood, not days the text
    leaves open for one day."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "date 2022-12-30\nSerbs kept the barricade at Rudare from 10 December until 29 December 2022.\n\n"
        "Police arrested a man in Zvečan on 20 December.\n", encoding="utf-8")
    assert build(src, tmp_path / "out").returncode == 0
    geo = json.loads((tmp_path / "out" / "incidents.geojson").read_text(encoding="utf-8"))
    got = {f["properties"]["place_id"]: (f["properties"]["date_start"], f["properties"]["date_end"],
                                         f["properties"]["lasting"]) for f in geo["features"]}
    assert got == {"rudare": ("2022-12-10", "2022-12-29", True), "zvecan": ("2022-12-20", "2022-12-20", False)}
    import geopandas as gpd

    gpkg = gpd.read_file(tmp_path / "out" / "incidents.gpkg")
    assert dict(zip(gpkg["place_id"], gpkg["lasting"].tolist(), strict=True)) == {"rudare": True, "zvecan": False}


def test_incident_ids_are_stable(tmp_path):
    build(SEEDS, tmp_path / "a")
    ids = [f["properties"]["incident_id"] for f in json.loads((tmp_path / "a" / "incidents.geojson").read_text())["features"]]
    assert len(set(ids)) == len(ids)
    build(SEEDS, tmp_path / "a")
    assert ids == [f["properties"]["incident_id"] for f in json.loads((tmp_path / "a" / "incidents.geojson").read_text())["features"]]


# Bytes after a UTF-16 byte-order mark that decode (no lone surrogate) to no text at all.
JUNK_UTF16 = bytes(
    b for lo, hi in zip(random.Random(16).randbytes(4000)[::2], random.Random(61).randbytes(4000)[::2])
    for b in (lo, hi if not 0xD8 <= hi <= 0xDF else 0x41)
)


@pytest.mark.parametrize("name, data, problem", [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\t\n ", "is empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
    ("zeros.txt", b"abc\x00\x00\x01\x02" * 100, "binary file"),
    ("junk16.txt", b"\xff\xfe" + JUNK_UTF16, "is not UTF-16 text"),
])
def test_bad_file_is_reported_and_others_still_built(tmp_path, name, data, problem):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / name).write_bytes(data)
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 1
    assert name in res.stderr and problem in res.stderr
    assert "Traceback" not in res.stderr
    e = entry(out, name)
    assert e["status"] == "error" and problem in e["error"]
    assert entry(out, "good.txt")["incidents"]


@pytest.mark.parametrize("name, data", [
    ("cp1250.txt", "date 2022-12-12 Barikade\n\nSerbs set up barricades in Zvečan and Leposavić on Sunday.\n".encode("cp1250")),
    ("utf16.txt", "date 2022-12-12 Barikade\n\nSerbs set up barricades in Zvečan and Leposavić on Sunday.\n".encode("utf-16")),
    ("bom.txt", "\ufeffdate 2022-12-12 Barikade\n\nSerbs set up barricades in Zvečan and Leposavić on Sunday.\n".encode("utf-8")),
    ("crlf.txt", "date 2022-12-12 Barikade\r\n\r\nSerbs set up barricades in Zvečan and Leposavić on Sunday.\r\n".encode()),
])
def test_encodings_are_read_with_diacritics_intact(tmp_path, name, data):
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(data)
    out = tmp_path / "out"
    assert build(src, out).returncode == 0
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    mentions = {s["mention"] for f in geo["features"] for s in f["properties"]["sources"]}
    assert {"Zvečan", "Leposavić"} <= mentions
    assert {f["properties"]["event_date"] for f in geo["features"]} == {"2022-12-11"}


@pytest.mark.parametrize("first_line, warning", [
    ("date 2021-13-45 Title", "malformed date line"),
    ("date 2099-01-01 Title", "in the future"),
])
def test_bad_date_lines_are_warnings_and_no_date_is_invented(tmp_path, first_line, warning):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(first_line + "\n\nSerbs set up barricades in Zvečan.\n", encoding="utf-8")
    out = tmp_path / "out"
    res = build(src, out)
    assert res.returncode == 0 and warning in res.stderr
    e = entry(out, "a.txt")
    assert any(warning in w for w in e["warnings"]) and e["published"] is None
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["event_date"] for f in geo["features"]] == [None]


def test_sources_csv_fills_metadata_and_reports_problems(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Serbs set up barricades in Zvečan on Sunday.\n", encoding="utf-8")
    (src / "sources.csv").write_text(
        "article_id,published,outlet,url,title,extra\n"
        "a,2022-12-12,RFE/RL,https://example.org/a,Barricades,x\n"
        "a,2022-12-13,Dup,,,\n"
        "ghost,not-a-date,X,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(src, out).returncode == 0
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    (f,) = geo["features"]
    s = f["properties"]["sources"][0]
    assert (s["outlet"], s["published"], s["url"], s["title"]) == ("RFE/RL", "2022-12-12", "https://example.org/a", "Barricades")
    assert f["properties"]["event_date"] == "2022-12-11"
    (table,) = report(out)["sources_tables"]
    assert table["unmatched_ids"] == ["ghost"]
    assert any("extra column" in w for w in table["warnings"]) and any("duplicate" in w for w in table["warnings"])


def test_same_article_twice_counts_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert build(src, out).returncode == 0
    assert entry(out, "b.txt")["status"] == "duplicate"
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["source_count"] for f in geo["features"]] == [1]


def test_a_spreadsheets_sources_csv_is_read_and_its_problems_point_at_it(tmp_path):
    """Semicolons and capitalised column names, as a spreadsheet exports them; a feed's
    RFC 2822 date; a bad date named by the table's line, not blamed on the article; ids that
    match no file named."""
    src = tmp_path / "in"
    src.mkdir()
    for name, place in (("a", "Zvečan"), ("b", "Leposavić"), ("c", "Zubin Potok")):
        (src / f"{name}.txt").write_text(f"Serbs set up barricades in {place} on Sunday.\n", encoding="utf-8")
    (src / "sources.csv").write_text(
        "Article_ID;Published;Outlet\n"
        "a;Mon, 12 Dec 2022 10:00:00 GMT;RFE/RL\n"
        "b;27.09.2021;N1\n"
        "c.txt;2022-12-12;X\n", encoding="utf-8")
    out = tmp_path / "out"
    done = build(src, out)
    assert done.returncode == 0, done.stderr
    sources = {f["properties"]["sources"][0]["article_id"]: f["properties"]["sources"][0]
               for f in json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]}
    assert (sources["a"]["outlet"], sources["a"]["published"]) == ("RFE/RL", "2022-12-12")
    assert (sources["b"]["outlet"], sources["b"]["published"]) == ("N1", None)
    assert (f"{src / 'b.txt'}: unreadable published date ({src / 'sources.csv'}, line 3) '27.09.2021' "
            "(expected YYYY-MM-DD): ignored") in done.stderr
    (table,) = report(out)["sources_tables"]
    assert table["unmatched_ids"] == ["c.txt"]
    assert ("1 id matches no article file beside it: 'c.txt' (an id is the file's name without its "
            "extension: 001 for 001.txt)") in table["warnings"]
    assert not any("missing column" in w and "article_id" in w for w in table["warnings"])

    (src / "sources.csv").write_text("id,date,outlet\na,2022-12-12,X\n", encoding="utf-8")
    done = build(src, out)
    assert done.returncode == 1
    assert ("has no article_id column (its first line: 'id,date,outlet'; expected: "
            "article_id,published,outlet,url,title): metadata not applied") in done.stderr


def test_two_articles_about_one_incident_merge(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.txt").write_text("date 2022-12-13 More barricades\n\nOn Sunday ethnic Serbs erected barricades in Zveçan, police said.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(src, out).returncode == 0
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    (f,) = geo["features"]
    assert f["properties"]["source_count"] == 2
    assert {s["article_id"] for s in f["properties"]["sources"]} == {"a", "b"}


def test_strict_stops_and_writes_nothing(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "b.txt").write_bytes(b"")
    out = tmp_path / "out"
    res = build(src, out, "--strict")
    assert res.returncode == 2 and "b.txt" in res.stderr and not out.exists()


def test_broken_gazetteer_overwrites_nothing(tmp_path):
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "gaz.csv"
    bad.write_text((ROOT / "geodata" / "gazetteer.csv").read_text(encoding="utf-8").replace("43.21861", "95", 1), encoding="utf-8")
    res = build(SEEDS, out, "--gazetteer", str(bad))
    assert res.returncode == 2
    assert f"{bad}, line 2" in res.stderr and "latitude 95.0" in res.stderr and "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unwritable_output_keeps_previous_outputs(tmp_path):
    """Root ignores permissions, so make the staging step fail: a file where the folder should be."""
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = build(SEEDS, blocker / "out")  # (a file as the output folder itself is named earlier)
    assert res.returncode == 2 and "cannot" in res.stderr and "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_build_with_no_article_keeps_the_previous_outputs(tmp_path):
    """A mistyped path, an empty folder, a folder of files that all fail, no folder at all
    from another directory: exit code 2, a message naming why, and the last good build stays."""
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    before = _snapshot(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "zeros.txt").write_bytes(b"\x00" * 100)
    cases = [
        (build(tmp_path / "seed", out), "its one input gave no article (the first: "),
        (build(empty, out), f"no article files (.atom, .htm, .html, .jsonl, .md, .rss, .txt, .xml) in {empty}: "),
        (build(bad, out), "none of the 2 inputs gave an article (the first: "),
        (run("build", "--out", str(out), cwd=tmp_path), "no PATH given, and no seeds/ folder (the default)"),
    ]
    for res, message in cases:
        assert res.returncode == 2, res.stderr
        last = res.stderr.strip().splitlines()[-1]
        assert last.startswith("error: ") and message in last, last
        assert last.endswith(f"nothing written ({out}/ is unchanged)")
        assert _snapshot(out) == before
    # and a first build with nothing to build creates nothing
    assert build(empty, tmp_path / "new").returncode == 2 and not (tmp_path / "new").exists()


def test_an_output_folder_that_is_a_file_is_named_before_any_work(tmp_path):
    out = tmp_path / "outfile"
    out.write_text("mine")
    res = build(SEEDS, out)
    assert res.returncode == 2
    assert f"error: the output folder {out} is a file: choose another --out; nothing written" in res.stderr
    assert out.read_text() == "mine"


def test_a_bad_jsonl_line_names_its_line_and_column(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "feed.jsonl").write_text('{"id": "x", "text": "Zvečan}\n', encoding="utf-8")
    res = build(src, tmp_path / "out")
    assert res.returncode == 1
    assert "feed.jsonl:1: is not valid JSON (Unterminated string starting at column 21)" in res.stderr


def test_a_folder_named_twice_is_read_once(tmp_path):
    """`build seeds ./seeds seeds/x.txt`: each file once, no duplicate, no error."""
    first = min(SEEDS.iterdir())
    done = run("build", "seeds", "./seeds", f"seeds/{first.name}", str(SEEDS), "--out", str(tmp_path / "out"),
               "--today", "2026-11-22")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    summary = report(tmp_path / "out")["summary"]
    assert (summary["inputs"], summary["articles_processed"], summary["duplicates"], summary["failed"]) == (5, 5, 0, 0)


def test_files_of_the_same_name_in_two_folders_are_both_built(tmp_path):
    """Scrapers keep a folder a day with the same file names: the second file's article id is
    made longer with its folder, and the dashboard still finds its text by that id."""
    from dashboard.articles import article_text

    for day, place in (("day1", "Zvečan"), ("day2", "Leposavić")):
        (tmp_path / "in" / day).mkdir(parents=True)
        (tmp_path / "in" / day / "001.txt").write_text(
            f"date 2022-12-12 Barricades\n\nSerbs set up barricades in {place} on Sunday.\n", encoding="utf-8")
    done = run("build", "in", "--out", "out", "--today", "2026-11-22", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "article id '001' is another file's of the same name: this one's is 'day2/001.txt'" \
        in done.stderr
    entries = {e["path"]: e for e in report(tmp_path / "out")["inputs"]}
    assert [(e["article_id"], e["status"]) for e in entries.values()] == [("001", "ok"), ("day2/001.txt", "ok")]
    features = json.loads((tmp_path / "out" / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    assert sorted((f["properties"]["location"], f["properties"]["sources"][0]["article_id"]) for f in features) == [
        ("Leposavić", "day2/001.txt"), ("Zvečan", "001")]
    text = article_text(tmp_path / "in" / "day2" / "001.txt", "day2/001.txt")
    assert "barricades in Leposavić" in text
    # named bare, from inside its folder, the second file's id is its name
    done = run("build", "../day1", "001.txt", "--out", "../../out2", "--today", "2026-11-22",
               cwd=tmp_path / "in" / "day2")
    assert done.returncode == 0, done.stderr
    assert [e["article_id"] for e in report(tmp_path / "out2")["inputs"]] == ["001", "001.txt"]
    assert "barricades in Leposavić" in article_text(tmp_path / "in" / "day2" / "001.txt", "001.txt")


@pytest.mark.parametrize("args, message", [
    (["eval", "tests/gold/seeds_gold.json", "--data", "{out}/incidents.geojson/x"], "cannot be read (Not a directory)"),
    (["eval", "{out}", "--data", "{out}"], "{out}: is a folder, not a JSON file"),
    (["eval", "{out}/incidents.geojson", "--data", "{out}"], "missing or malformed field 'articles' (a gold file is"),
    (["eval", "tests/gold/seeds_gold.json", "--data", "{out}/null.geojson"],
     "{out}/null.geojson: feature 0 is not an incident as 'incident-map build' writes it: it lacks its point"),
    (["eval", "tests/gold/seeds_gold.json", "--data", "{out}/list.geojson"],
     "{out}/list.geojson: holds a JSON list, not an object"),
    (["build", "seeds", "--gazetteer", "seeds", "--out", "{out}/o"], "seeds: is a folder: give the gazetteer's CSV file"),
    (["dashboard", "--port", "99999"], "'99999' is not a port (1 to 65535)"),
    (["dashboard", "--data", "{out}/incidents.csv"], "is a file: --data takes the folder"),
])
def test_a_users_mistake_is_named_not_called_a_bug(tmp_path, args, message):
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    (out / "null.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                                      '"geometry": null, "properties": {}}]}', encoding="utf-8")
    (out / "list.geojson").write_text("[1, 2]", encoding="utf-8")
    done = run(*(a.format(out=out) for a in args))
    assert done.returncode == 2, done.stderr
    assert message.format(out=out) in done.stderr
    assert "bug" not in done.stderr and "Traceback" not in done.stderr


def test_eval_takes_the_geojson_file_and_says_when_no_gold_article_is_in_it(tmp_path):
    out = tmp_path / "out"
    assert build(SEEDS, out).returncode == 0
    done = run("eval", "tests/gold/seeds_gold.json", "--data", str(out / "incidents.geojson"))
    assert done.returncode == 0 and "place F1" in done.stdout and "gold articles with incidents in the data  4 of 5" in done.stdout
    assert "warning" not in done.stderr
    other = run("eval", "tests/gold/new_articles_gold.json", "--data", str(out))
    assert other.returncode == 0
    assert "0 of 3" in other.stdout
    assert f"warning: none of the gold file's 3 articles has an incident in {out / 'incidents.geojson'}" in other.stderr


def test_markdown_front_matter_gives_the_metadata(tmp_path):
    """Markdown exported by Jekyll, Hugo or a scraper starts with YAML front matter: its title,
    date, source and link are the article's (the date dates "on Saturday"); a text that only
    starts with a rule is no front matter, and a rule is no title."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text(
        "---\ntitle: \"Barricades in the north\"\ndate: 2022-12-11T09:30:00+01:00\nsource: RFE/RL\n"
        "url: https://example.org/x\ntags:\n  - kosovo\n---\n\n# Barricades\n\n"
        "Protesters blocked the road in Zvečan on Saturday.\n", encoding="utf-8")
    (src / "b.md").write_text("---\n\nPolice clashed with protesters in Leposavić on 11 December 2022.\n---\n",
                              encoding="utf-8")
    done = build(src, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    features = json.loads((tmp_path / "out" / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    by_place = {f["properties"]["location"]: f["properties"] for f in features}
    zvecan = by_place["Zvečan"]
    source = zvecan["sources"][0]
    assert (source["title"], source["outlet"], source["url"], source["published"]) == (
        "Barricades in the north", "RFE/RL", "https://example.org/x", "2022-12-11")
    assert zvecan["event_date"] == "2022-12-10"  # the Saturday before
    assert by_place["Leposavić"]["sources"][0]["title"].startswith("Police clashed with protesters")

    # a list between two rules is text, not front matter: its places are read
    (src / "c.md").write_text("---\n- Protesters blocked the road at Jarinje on 10 December 2022.\n---\n"
                              "More to follow.\n", encoding="utf-8")
    # a heading under front matter is a headline: it counts only for places the body does not report
    (src / "d.md").write_text("---\ntitle: Clash\ndate: 2022-12-12\nsource: https://example.org/d\n---\n\n"
                              "# Police clash with protesters in Zubin Potok\n\n"
                              "Police clashed with protesters in Zubin Potok on Sunday.\n", encoding="utf-8")
    done = build(src, tmp_path / "out2")
    assert done.returncode == 0, done.stderr
    features = json.loads((tmp_path / "out2" / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    assert any(f["properties"]["location"] == "Jarinje border crossing" for f in features)
    (zubin,) = [f["properties"] for f in features if f["properties"]["location"] == "Zubin Potok"]
    (source,) = zubin["sources"]
    assert source["mention"] == "Zubin Potok" and source["quote"].startswith("Police clashed")
    assert (source["url"], source["outlet"]) == ("https://example.org/d", "")


def test_no_path_and_no_seeds_folder_says_what_to_give(tmp_path):
    done = run("build", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2
    assert (f"error: no PATH given, and no seeds/ folder (the default) in {tmp_path}: name your articles' "
            f"folder (incident-map build ARTICLES --out DIR); nothing written ({tmp_path / 'out'}/ is unchanged)"
            ) in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, usage, message", [
    (["build", "seeds", "--outt", "x"], "usage: incident-map build [-h] [--out DIR]",
     "unrecognized arguments: --outt x (did you mean --out?)"),
    (["dashboard", "--prot=9"], "usage: incident-map dashboard [-h] [--data DIR]",
     "unrecognized arguments: --prot=9 (did you mean --port?)"),
    (["dashboard", "data"], "usage: incident-map dashboard", "unrecognized arguments: data\n"),
    (["dashboard", "data", "--prot", "9"], "usage: incident-map dashboard",
     "unrecognized arguments: data --prot 9 (did you mean --port?)"),
    (["--vresion", "build"], "usage: incident-map [-h] [--version]",
     "unrecognized arguments: --vresion (did you mean --version?)"),
])
def test_a_mistyped_option_is_named_under_its_commands_usage(args, usage, message):
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.startswith(usage), done.stderr
    assert message in done.stderr


def test_the_last_line_counts_in_words_a_reader_would_write(tmp_path):
    src = tmp_path / "one"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    done = build(src, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"1 incident from 1 article written to {tmp_path / 'out'}/"), done.stdout
    (src / "b.txt").write_text(GOOD.replace("Zvečan", "Leposavić"), encoding="utf-8")
    (src / "c.txt").write_bytes(b"\xff\xfe\x00 not text \x00\x00")
    done = build(src, tmp_path / "out")
    assert done.stdout.startswith(f"2 incidents from 2 articles written to {tmp_path / 'out'}/, 1 input failed"), done.stdout
