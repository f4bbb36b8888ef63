"""A source read in its article: report.json's entry for an article, the article read again
from where the build read it, and the text marked (dashboard.articles, dashboard.buildreport)."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS, TODAY

from dashboard import articles
from dashboard.articles import CHOSEN, DROPPED, MAPPED, Mark
from dashboard.buildreport import find_article
from pipeline import ingest
from pipeline.build import build
from pipeline.errors import DataFileError


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    """The seeds copied into a folder and built from there by a relative path, as
    `make run` does (the report's paths are relative to the build's directory)."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(SEEDS, root / "articles")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        build([Path("articles")], Path("data"), today=TODAY)
    geojson = json.loads((root / "data" / "incidents.geojson").read_text(encoding="utf-8"))
    return root, geojson


def first_source(geojson: dict) -> tuple[dict, dict]:
    props = geojson["features"][0]["properties"]
    return props, props["sources"][0]


# --- report.json ----------------------------------------------------------------------------


def test_the_report_says_where_the_build_ran_and_what_each_article_gave(built):
    root, geojson = built
    props, source = first_source(geojson)
    entry = find_article(root / "data" / "report.json", source["article_id"])
    assert entry is not None
    assert entry.working_dir == str(root)
    assert entry.path == f"articles/{source['article_id']}.txt"
    assert props["incident_id"] in entry.incidents
    assert entry.dropped, "the seed article names countries the build does not map"
    assert all(d.reason for d in entry.dropped)


def test_an_article_the_report_does_not_list(built):
    root, _ = built
    assert find_article(root / "data" / "report.json", "no_such_article") is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "does not exist"), (b"", "is empty"), (b"{\"inputs\": 3}", "is not a build report"),
     (b"not json", "is not a build report")],
)
def test_a_missing_or_broken_report_is_named(tmp_path, content, problem):
    path = tmp_path / "report.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataFileError, match=problem) as caught:
        find_article(path, "x")
    assert caught.value.path == str(path)


# --- the article, read again ----------------------------------------------------------------


def test_every_source_of_the_seeds_is_where_its_offsets_say(built):
    root, geojson = built
    checked = 0
    for feature in geojson["features"]:
        for source in feature["properties"]["sources"]:
            entry = find_article(root / "data" / "report.json", source["article_id"])
            path = articles.locate(entry.path, entry.working_dir, [])
            text = articles.article_text(path, source["article_id"])
            assert text[source["char_start"] : source["char_end"]] == source["mention"]
            for d in entry.dropped:
                assert text[d.char_start : d.char_end] == d.mention
            checked += 1
    assert checked == sum(len(f["properties"]["sources"]) for f in geojson["features"]) > 0


def test_an_article_in_a_json_lines_file_is_found_by_its_id(tmp_path):
    lines = [{"id": f"a{i}", "title": f"T{i}", "text": f"Article number {i} about Zvečan."}
             for i in range(3)]
    path = tmp_path / "many.jsonl"
    path.write_text("not json\n" + "\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    assert "number 2" in articles.article_text(path, "a2")
    with pytest.raises(DataFileError, match="no longer holds the article 'a9'"):
        articles.article_text(path, "a9")


@pytest.mark.parametrize("streamed", [False, True])
def test_an_article_of_a_json_lines_file_is_read_from_its_line_alone(tmp_path, monkeypatch, streamed):
    if streamed:
        monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", 0)
    lines = [{"id": f"a{i}", "text": f"Article number {i} about Zvečan."} for i in range(50)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    parsed = []
    real = ingest._jsonl_line
    monkeypatch.setattr(ingest, "_jsonl_line", lambda line, no, *a: parsed.append(no) or real(line, no, *a))
    assert articles.article_line(f"x/{path.name}:41") == 41 and articles.article_line("x/a.txt") is None
    assert "number 40" in articles.article_text(path, "a40", 41)
    assert parsed == [41]  # the other 49 lines were not parsed
    # the file changed since the build (a line inserted above): the whole file is read
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    parsed.clear()
    assert "number 40" in articles.article_text(path, "a40", 41)
    assert parsed == [41] + list(range(1, 43))  # its line, then the file up to the article
    with pytest.raises(DataFileError, match="no longer holds the article 'a99'"):
        articles.article_text(path, "a99", 41)


def test_an_unreadable_article_file_is_named(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("   \n", encoding="utf-8")
    with pytest.raises(DataFileError, match="is empty") as caught:
        articles.article_text(path, "empty")
    assert caught.value.path == str(path)


def test_a_relative_path_is_looked_for_from_the_build_then_elsewhere(tmp_path):
    (tmp_path / "b" / "articles").mkdir(parents=True)
    target = tmp_path / "b" / "articles" / "x.txt"
    target.write_text("x", encoding="utf-8")
    assert articles.locate("articles/x.txt", str(tmp_path / "a"), [tmp_path / "b"]) == target
    assert articles.locate(str(target), None, []) == target
    with pytest.raises(DataFileError, match="moved or deleted") as caught:
        articles.locate("articles/y.txt", str(tmp_path / "a"), [tmp_path / "b"])
    assert str(tmp_path / "a" / "articles" / "y.txt") in caught.value.problem
    assert str(tmp_path / "b" / "articles" / "y.txt") in caught.value.problem


# --- the marks ------------------------------------------------------------------------------


def test_the_marks_of_a_seed_article(built):
    root, geojson = built
    props, source = first_source(geojson)
    entry = find_article(root / "data" / "report.json", source["article_id"])
    others = [f["properties"] for f in geojson["features"]
              if f["properties"]["incident_id"] in entry.incidents]
    marks = articles.source_marks(source["article_id"], source, props, others, entry.dropped)
    text = articles.article_text(articles.locate(entry.path, entry.working_dir, []),
                                 source["article_id"])
    fit, misfit = articles.fitting(text, marks)
    assert not misfit
    kinds = {m.kind for m in fit}
    assert kinds >= {CHOSEN, MAPPED, DROPPED}
    chosen = [m for m in fit if m.kind == CHOSEN]
    assert chosen == [Mark(source["char_start"], source["char_end"], source["mention"], CHOSEN,
                           "This report: " + articles.incident_note(props))]
    page = articles.marked_html(text, fit)
    assert page.count('id="chosen"') == 1
    assert f'id="chosen" title="This report: {props["event_type"]}' in page


def test_a_changed_file_leaves_its_marks_out(built):
    _, geojson = built
    _, source = first_source(geojson)
    chosen = Mark(source["char_start"], source["char_end"], source["mention"], CHOSEN, "")
    text = "x" * (source["char_end"] + 10)
    assert articles.fitting(text, [chosen]) == ([], [chosen])
    assert articles.fitting("", [chosen]) == ([], [chosen])


def test_the_text_and_the_notes_are_escaped():
    text = 'A <script>alert(1)</script> at Zvečan & "more"'
    start = text.index("Zvečan")
    marks = [Mark(start, start + 6, "Zvečan", CHOSEN, 'note "><img src=x onerror=alert(2)>')]
    page = articles.article_page(text, marks)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img" not in page
    assert '<mark class="chosen" id="chosen"' in page
    assert "&amp; &quot;more&quot;" in page


def test_the_chosen_mark_wins_where_marks_overlap():
    text = "Jarinje border crossing was closed"
    marks = [
        Mark(0, 23, "", MAPPED, "mapped"),
        Mark(0, 7, "", CHOSEN, "chosen"),
        Mark(8, 14, "", DROPPED, "dropped"),
        Mark(28, 34, "", DROPPED, "dropped"),
    ]
    html_text = articles.marked_html(text, marks)
    assert html_text == (
        '<mark class="chosen" id="chosen" title="chosen">Jarinje</mark>'
        ' <mark class="dropped" title="dropped">border</mark> crossing '
        'was <mark class="dropped" title="dropped">closed</mark>'
    )


def _kept_by_brute_force(marks: list[Mark]) -> list[Mark]:
    kept: list[Mark] = []
    for m in sorted(marks, key=lambda m: ({CHOSEN: 0, MAPPED: 1, DROPPED: 2}[m.kind], m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def test_overlaps_are_resolved_as_by_brute_force():
    rng = random.Random(20261122)
    for _ in range(300):
        marks = []
        for _ in range(rng.randint(0, 25)):
            start = rng.randint(0, 60)
            marks.append(Mark(start, start + rng.randint(1, 12), "",
                              rng.choice([CHOSEN, MAPPED, DROPPED, DROPPED]), ""))
        assert articles._non_overlapping(marks) == _kept_by_brute_force(marks)


def test_the_month_of_a_month_precise_incident_is_named():
    props = {"event_type": "Protests", "location": "Zvečan", "event_date": "2022-12-09",
             "date_start": "2022-12-01", "date_end": "2022-12-31"}
    assert articles.incident_note(props) == "Protests at Zvečan, December 2022"
    assert articles.incident_note({**props, "date_start": "2022-12-09", "date_end": "2022-12-09"}) \
        == "Protests at Zvečan, 2022-12-09"
    assert articles.incident_note({"event_type": "Riots", "location": "X", "event_date": None,
                                   "date_start": None, "date_end": None}) == "Riots at X, undated"


def test_an_article_of_a_json_lines_build_is_read_from_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    lines = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in seeds]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    build([Path("in.jsonl")], Path("data"), today=TODAY)
    geojson = json.loads((tmp_path / "data" / "incidents.geojson").read_text(encoding="utf-8"))
    checked = 0
    for feature in geojson["features"]:
        for source in feature["properties"]["sources"]:
            entry = find_article(tmp_path / "data" / "report.json", source["article_id"])
            assert entry.path.startswith("in.jsonl:")  # the file and the line
            path = articles.locate(entry.path, entry.working_dir, [])
            assert path == tmp_path / "in.jsonl"
            text = articles.article_text(path, source["article_id"])
            assert text[source["char_start"] : source["char_end"]] == source["mention"]
            checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    "source",
    [{"char_start": "0", "char_end": 3, "mention": "abc"}, {"char_start": True, "char_end": 3, "mention": "abc"},
     {"char_start": 0.0, "char_end": 3, "mention": "abc"}, {"char_end": 3, "mention": "abc"},
     {"char_start": 0, "char_end": 3, "mention": None}],
)
def test_a_source_without_a_usable_position_makes_no_mark(source):
    assert articles.source_span(source) is None
    props = {"event_type": "Protests", "location": "X", "sources": [{**source, "article_id": "a"}]}
    assert articles.source_marks("a", source, props, [props], []) == []


def test_a_path_the_system_refuses_is_not_found(tmp_path):
    with pytest.raises(DataFileError, match="moved or deleted"):
        articles.locate("x" * 5000 + ".txt", str(tmp_path), [])
    with pytest.raises(DataFileError, match="moved or deleted"):
        articles.locate("a\0b.txt", str(tmp_path), [])


def test_many_interleaved_marks_are_resolved():
    """A hostile article's 400,000 overlapping marks (resolved in O(n log n))."""
    marks = [Mark(i, i + 2, "", MAPPED if i % 4 else DROPPED, "") for i in range(0, 400_000, 2)]
    marks += [Mark(i + 1, i + 3, "", DROPPED, "") for i in range(0, 400_000, 2)]
    kept = articles._non_overlapping(marks)
    assert len(kept) == 200_000 and all(a.end <= b.start for a, b in itertools.pairwise(kept))


def test_a_json_lines_file_that_cannot_be_read_is_named_once(tmp_path, monkeypatch):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"%PDF-1.4 not articles\n")
    reads = []
    real = ingest._read_all
    monkeypatch.setattr(ingest, "_read_all", lambda p: reads.append(p) or real(p))
    with pytest.raises(DataFileError, match="is a PDF") as caught:
        articles.article_text(path, "a1", 1)
    assert caught.value.path == str(path) and reads == [str(path)]  # not read again in full


def test_the_caption_says_which_line_or_feed_item_an_article_came_from():
    """A JSON Lines file's line and a feed's item are named with their file; a file that is one
    article is named alone (and everything is escaped)."""
    assert articles.where_html(Path("data/in.jsonl"), 1234) == (
        '<code style="font-size:0.8rem">data/in.jsonl</code>, line 1,234'
    )
    assert articles.where_html(Path("news/sever.XML"), 12).endswith(
        "sever.XML</code>, the item that starts on line 12"
    )
    assert articles.where_html(Path("a<b>.txt"), None) == '<code style="font-size:0.8rem">a&lt;b&gt;.txt</code>'
    assert articles.where_html(Path("a.txt"), 3) == '<code style="font-size:0.8rem">a.txt</code>'
