"""Coverage-guided fuzzing of the ingest-to-incidents path with atheris (libFuzzer for Python).

One input is bytes; its first byte picks the format (.txt, .md, .html, .jsonl or a
``sources.csv`` applied to an article), the rest is the file's content; a first byte >= 0xF0
makes the rest a *recipe* that ``structured()`` expands into an article (see there). Each input
goes bytes -> decode/parse -> extract -> merge -> GeoJSON and CSV text, as ``build`` does (its
constant-memory store merges and writes the same, tests/test_store.py; the disk writes are left
out), and the contract's invariants are checked:

- a bad input is an ``InputError`` (part of the project's exception hierarchy), nothing else;
- no publication date after today;
- ``text[char_start:char_end] == mention`` for every source;
- every date window is ordered and holds its event date;
- the GeoJSON is valid JSON and both outputs encode as UTF-8.

Any other exception, or a failed invariant, is a crash: libFuzzer writes the input to
``crash-*`` and it becomes a regression test in ``tests/test_fuzz_regressions.py``. With
``FUZZ_COLLECT=1`` the run goes on after a crash and saves the first input of each distinct
crash (exception type and innermost project frame) with its traceback, so one long run finds
them all (libFuzzer's own ``-fork`` mode does not work with atheris).

Run (see fuzz/README.md)::

    FUZZ_COLLECT=1 .venv/bin/python fuzz/fuzz_pipeline.py fuzz/corpus -dict=fuzz/pipeline.dict \
        -max_total_time=600 -max_len=4096 -artifact_prefix=fuzz/artifacts/

``fuzz/corpus`` is filled from ``seeds/`` and ``tests/articles/`` when empty. Not run in CI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:
    import atheris
except ImportError:  # tests/test_fuzz_regressions.py imports check() without atheris
    atheris = None
    import contextlib

    _instrument = contextlib.nullcontext()
else:
    _instrument = atheris.instrument_imports(include=["pipeline"])

with _instrument:
    from pipeline import export, ingest
    from pipeline.errors import IncidentMapError, InputError
    from pipeline.extract import extract
    from pipeline.merge import merge
    from pipeline.model import Article

from geodata import gazetteer as gazetteer_mod
from pipeline.match import Matcher

TODAY = dt.date(2026, 11, 22)
FORMATS = (".txt", ".md", ".html", ".jsonl", "sources.csv")
_MATCHER: Matcher | None = None


def matcher() -> Matcher:
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = Matcher(gazetteer_mod.load())
    return _MATCHER


# -- structured inputs: first byte >= 0xF0 ------------------------------------------------------
# Byte mutations rarely turn "date 2022-12-12" into "date 0001-01-01" or "9" into 13 digits;
# a structured input is a recipe instead: each byte chooses the next piece of an article
# (date line, places, triggers, date phrases with extreme numbers, markup, odd characters) and
# its container (text, HTML, JSONL with escapes, sources.csv) and encoding.

PLACES = ("Zvečan", "Zvecan", "ZVEČAN", "Leposavić", "Jarinje", "Kopaonik", "Zubin Potok", "North Mitrovica",
          "Banjska", "Pristina", "Belgrade", "Kosovo", "Serbia", "Звечан", "Mitrovica", "Washington Newsday",
          "the Brussels Agreement", "Raška", "Brnjak", "Rudare")
TRIGGERS = ("set up barricades in", "protesters blocked the road at", "clashes erupted in", "police arrested two men in",
            "shots were fired near", "a grenade exploded in", "KFOR deployed troops to", "threatened to send troops to",
            "a mob torched cars in", "officials met in")
WORDS = ("on", "last", "earlier", "next", "this", "at the weekend", "last week", "yesterday", "today", "in", "during",
         "for the past", "days", "weeks", "the", "and", ",", ".", "(", ")", "\n", "\n\n", "Mr.", "A.", "St.",
         "’s", "'s", " – ", "\u00a0", "\u0301", "ﬁ", "İ", "\ufeff", "\r", "\t", "\x0c", "\u2028", "<p>", "</p>",
         "<script>", "</script>", "<!--", "-->", "&amp;", "&#0;", "&#x110000;", "<meta name=\"date\" content=\"",
         "\">", "\"", "“", "”")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "sunday", "SUNDAY")
MONTHS = ("January", "February", "December", "Dec", "Sept", "May", "june")
ENCODINGS = ("utf-8", "utf-8", "utf-8", "cp1250", "utf-16", "utf-8-sig", "latin-1", "utf-16-le")


class _Recipe:
    """Reads choices from bytes; past the end every choice is 0."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        b = self.data[self.at] if self.at < len(self.data) else 0
        self.at += 1
        return b

    def pick(self, seq):
        return seq[self.byte() % len(seq)]

    def number(self) -> int:
        """Mostly small, sometimes huge or zero."""
        kind = self.byte() % 8
        if kind < 5:
            return self.byte() % 32
        if kind == 5:
            return self.byte() * 256 + self.byte()
        if kind == 6:
            return int.from_bytes(bytes(self.byte() for _ in range(7)), "big")
        return 0

    def more(self) -> bool:
        return self.at < len(self.data)


def _date_phrase(r: _Recipe) -> str:
    n = r.number
    return r.pick((
        lambda: f"on {r.pick(WEEKDAYS)}",
        lambda: f"{r.pick(('last', 'earlier', 'next', 'this', 'past'))} {r.pick(WEEKDAYS)}",
        lambda: f"{r.pick(WEEKDAYS)} ({r.pick(MONTHS)} {n()})",
        lambda: f"on {r.pick(MONTHS)} {n()}",
        lambda: f"on {n()} {r.pick(MONTHS)} {1900 + n() % 200}",
        lambda: f"on {n():04d}-{n():02d}-{n():02d}",
        lambda: f"on {n()}.{n()}.{n():04d}",
        lambda: f"for the past {n()} {r.pick(('days', 'weeks'))}",
        lambda: f"in {r.pick(MONTHS)} {1900 + n() % 200}",
        lambda: f"in {r.pick(MONTHS)}",
        lambda: f"in {1900 + n() % 200}",
        lambda: r.pick(("at the weekend", "last weekend", "last week", "this week", "yesterday", "last night", "in recent days")),
    ))()


def structured(recipe: bytes) -> bytes:
    """The fuzz input (format byte + file bytes) that a recipe describes."""
    r = _Recipe(recipe)
    fmt = r.byte() % len(FORMATS)
    head = ""
    if r.byte() % 4:
        head = f"date {r.number():04d}-{r.number():02d}-{r.number():02d} {r.pick(PLACES)} {r.pick(TRIGGERS)}\n\n"
    parts = []
    while r.more() and len(parts) < 200:
        what = r.byte() % 6
        if what < 3:
            parts.append(f"{r.pick(('Serbs', 'Police', 'Protesters', 'KFOR'))} {r.pick(TRIGGERS)} {r.pick(PLACES)} {_date_phrase(r)}.")
        elif what == 3:
            parts.append(_date_phrase(r))
        elif what == 4:
            parts.append(r.pick(WORDS))
        else:
            parts.append(chr(r.byte() * 256 + r.byte()) if r.byte() % 2 else r.pick(PLACES))
    text = head + " ".join(parts)
    name = FORMATS[fmt]
    if name == ".html":
        text = f"<html><head><title>{r.pick(PLACES)}</title>{r.pick(WORDS)}</head><body><p>{text}</p></body></html>"
    elif name == ".jsonl":
        fields = {"id": r.pick(("a", "", "b\\ud800")), "text": text, "published": f"{r.number():04d}-{r.number():02d}-{r.number():02d}",
                  "title": r.pick(PLACES), "outlet": r.pick(WORDS)}
        line = json.dumps(fields, ensure_ascii=bool(r.byte() % 2))
        if r.byte() % 3 == 0:  # a lone surrogate escape, as scrapers do write them
            line = line.replace("\\u", "\\ud800\\u", 1) if "\\u" in line else line.replace('"text": "', '"text": "\\udc00', 1)
        text = line + "\n" + line.replace('"a"', '"c"') + "\n"
    elif name == "sources.csv":
        rows = ["article_id,published,outlet,url,title"] + [
            f"{r.pick(('a', 'b', '', 'a'))},{r.number():04d}-{r.number():02d}-{r.number():02d},{r.pick(WORDS)},"
            f"{r.pick(('https://x.org', 'javascript:alert(1)', ''))},{r.pick(PLACES)}" for _ in range(r.byte() % 5)]
        text = "\n".join(rows) + r.pick(("", "\n", '"', "," * 3, "\x00"))
    data = text.encode(r.pick(ENCODINGS), errors="replace")
    return bytes([fmt]) + data


def raw_articles(data: bytes):
    """What ``build`` would get from this input, sources.csv metadata applied."""
    if data and data[0] >= 0xF0:
        data = structured(data[1:])
    fmt = FORMATS[data[0] % len(FORMATS)] if data else ".txt"
    body = data[1:]
    if fmt != "sources.csv":
        yield from ingest.read_bytes(body, Path("fuzz" + fmt), TODAY)
        return
    table = ingest.parse_sources_table(body, Path("sources.csv"))
    if table.error is not None:
        assert isinstance(table.error, InputError), repr(table.error)
        return
    for aid, meta in sorted(table.rows.items())[:20]:
        base = Article(aid, "Serbs set up barricades in Zvečan on Sunday.", "fuzz.txt")
        article, _ = ingest.apply_metadata(base, meta, TODAY)
        yield ingest.RawArticle("fuzz.txt", article, None, (), aid)


def check(data: bytes) -> None:
    """The whole in-memory path for one input; raises on any crash or broken invariant."""
    candidates = []
    for raw in raw_articles(data):
        if raw.error is not None:
            assert isinstance(raw.error, IncidentMapError), repr(raw.error)
            assert raw.article is None
            continue
        art = raw.article
        assert art is not None
        assert art.published is None or art.published <= TODAY, f"future publication date {art.published}"
        ext = extract(art, matcher(), TODAY)
        for c in ext.candidates:
            s = c.source
            assert art.text[s.char_start:s.char_end] == s.mention, (s.char_start, s.char_end, s.mention)
            w = c.when
            if w.start is not None:
                assert w.start <= w.end and (w.event_date is None or w.start <= w.event_date <= w.end)
        for d in ext.dropped:
            assert art.text[d.char_start:d.char_end] == d.mention
        candidates.extend(ext.candidates)
    incidents = merge(candidates)
    geo = export.geojson_text(incidents)
    parsed = json.loads(geo)
    assert len(parsed["features"]) == len(incidents)
    geo.encode("utf-8")
    export.csv_text(incidents).encode("utf-8")
    # report.json carries titles and warnings: they must encode too
    json.dumps([(r.path, r.warnings, r.article.title if r.article else "") for r in raw_articles(data)],
               ensure_ascii=False).encode("utf-8")


_COLLECT = os.environ.get("FUZZ_COLLECT") == "1"
_ARTIFACTS = Path(os.environ.get("FUZZ_ARTIFACTS", ROOT / "fuzz" / "artifacts"))
_SEEN: set[str] = set()


def _signature(exc: BaseException) -> str:
    """Exception type and the innermost project frame: one per distinct bug."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if any(d in f.filename for d in ("/pipeline/", "/geodata/", "/fuzz/"))]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__}@{where}"


def TestOneInput(data: bytes) -> None:  # atheris' name
    if not _COLLECT:
        check(data)
        return
    # FUZZ_COLLECT=1: keep fuzzing after a crash, saving the first input of each distinct one
    try:
        check(data)
    except Exception as exc:  # noqa: BLE001 - the point is to catch everything
        sig = _signature(exc)
        if sig in _SEEN:
            return
        _SEEN.add(sig)
        _ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "crash-" + hashlib.sha1(data).hexdigest()[:16]
        (_ARTIFACTS / name).write_bytes(data)
        (_ARTIFACTS / (name + ".txt")).write_text(
            sig + "\n" + "".join(traceback.format_exception(exc)), encoding="utf-8")
        print(f"\nCRASH {len(_SEEN)}: {sig} -> {_ARTIFACTS / name}", file=sys.stderr, flush=True)


def fill_corpus(corpus: Path) -> None:
    """Seed an empty corpus with the project's articles, cut into paragraphs (short inputs run
    fast), in every format."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    paths = [p for d in ("seeds", "tests/articles") for p in sorted((ROOT / d).glob("*.txt"))]
    n = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        date_line, _, body = text.partition("\n")
        for para in (p for p in body.split("\n\n") if p.strip()):
            n += 1
            (corpus / f"txt{n}").write_bytes(b"\x00" + f"{date_line}\n\n{para}\n".encode())
            (corpus / f"undated{n}").write_bytes(b"\x01" + para.encode())
            if n % 3 == 0:
                (corpus / f"cp1250_{n}").write_bytes(b"\x00" + f"{date_line}\n\n{para}".encode("cp1250", errors="replace"))
            if n % 4 == 0:
                html_page = (f"<html><head><title>{date_line}</title><meta name=\"date\" content=\"2022-12-12\">"
                             f"<script>alert(1)</script></head><body><p>{para}</p></body></html>")
                (corpus / f"html{n}").write_bytes(b"\x02" + html_page.encode())
            if n % 4 == 1:
                obj = {"id": f"a{n}", "text": para, "published": "2022-12-12", "title": "T"}
                (corpus / f"jsonl{n}").write_bytes(b"\x03" + json.dumps(obj).encode() + b"\n")
    (corpus / "sources").write_bytes(b"\x04article_id,published,outlet,url,title\na,2022-12-12,RFE/RL,https://x.org,T\n")
    add_recipes(corpus)


def add_recipes(corpus: Path, count: int = 64) -> None:
    """Structured inputs (first byte 0xF0) for the corpus: fixed pseudo-random recipes."""
    import random

    rng = random.Random(20261122)
    for n in range(count):
        (corpus / f"recipe{n}").write_bytes(bytes([0xF0]) + bytes(rng.randrange(256) for _ in range(rng.randrange(8, 160))))


def main() -> None:
    if atheris is None:
        raise SystemExit("atheris is not installed: .venv/bin/pip install atheris")
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    if args:
        fill_corpus(Path(args[0]))
    for a in sys.argv[1:]:
        if a.startswith("-artifact_prefix="):
            Path(a.split("=", 1)[1] + "x").parent.mkdir(parents=True, exist_ok=True)
    matcher()  # load the gazetteer before the clock starts
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
