"""A build's extraction on worker processes (pipeline/parallel.py): the same outputs, byte for
byte, as on one process, for good and bad inputs alike, with a bounded read-ahead."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import parallel
from pipeline.build import build, iter_raw
from pipeline.errors import InputError
from tests.conftest import ROOT, SEEDS, TEST_ARTICLES, TODAY

OUTPUTS = ("incidents.geojson", "incidents.csv", "incidents.gpkg", "report.json")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    """Good articles, with every kind of input that does not become one among them."""
    src = tmp_path_factory.mktemp("messy")
    for path in [*SEEDS.iterdir(), *TEST_ARTICLES.iterdir()]:
        if path.is_file():
            shutil.copy(path, src / path.name)
    first = min(SEEDS.iterdir())
    (src / "sub").mkdir()
    shutil.copy(first, src / "sub" / "same-text.txt")  # a duplicate text
    # the same file name, another text: its id is made longer with its folder
    (src / "sub" / first.name).write_text(first.read_text(encoding="utf-8") + "\nA last line.\n", encoding="utf-8")
    (src / "binary.txt").write_bytes(b"\x00\x01" * 100)
    (src / "empty.txt").write_text("")
    (src / "more.jsonl").write_text(
        '{"id": "j1", "text": "Protesters blocked the road at Jarinje on Monday.", "published": "2022-12-12"}\n'
        "not json\n"
        '{"id": "j2", "text": "Police arrested two men in Zvecan on Sunday.", "published": "2022-12-12"}\n'
        '{"id": "j1", "text": "Another text under an id taken.", "published": "2022-12-12"}\n'
        # how long a blockade lasted, and its first day in another article: merged, it lasts
        '{"id": "j3", "text": "Serbs blocked the road to Brnjak from 20 September to 2 October 2021.", '
        '"published": "2022-01-10"}\n'
        '{"id": "j4", "text": "On 20 September 2021 Serbs blocked the road to Brnjak.", "published": "2022-01-10"}\n',
        encoding="utf-8",
    )
    return src


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two articles, one in flight a worker: the few test inputs make many batches."""
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "IN_FLIGHT", 1)


@pytest.mark.parametrize("jobs", [2, 3])
def test_worker_processes_write_the_very_bytes_one_process_writes(messy, tmp_path, jobs, small_batches):
    one = build([messy], tmp_path / "one", today=TODAY, jobs=1)
    many = build([messy], tmp_path / "many", today=TODAY, jobs=jobs)
    assert (many.incidents, many.articles_ok, many.failed, many.warnings) == (
        one.incidents, one.articles_ok, one.failed, one.warnings)
    assert one.failed and one.incidents  # the inputs had both kinds
    statuses = {e["status"] for e in json.loads((tmp_path / "one" / "report.json").read_text())["inputs"]}
    assert statuses == {"ok", "error", "duplicate"}
    assert outputs(tmp_path / "many") == outputs(tmp_path / "one")
    brnjak = [f["properties"] for f in json.loads((tmp_path / "one" / "incidents.geojson").read_text())["features"]
              if any(s["article_id"] in ("j3", "j4") for s in f["properties"]["sources"])]
    assert [(p["date_start"], p["date_end"], len(p["sources"])) for p in brnjak] == [("2021-09-20", "2021-10-02", 2)]


def test_what_becomes_of_each_bad_input(messy, tmp_path, small_batches):
    """The entries the triage before extraction gives, as the build on one process gave them."""
    build([messy], tmp_path / "out", today=TODAY, jobs=2)
    inputs = json.loads((tmp_path / "out" / "report.json").read_text())["inputs"]
    by_path = {Path(e["path"]).relative_to(messy).as_posix(): e for e in inputs}
    first = min(SEEDS.iterdir())
    renamed = by_path[f"sub/{first.name}"]
    assert (renamed["status"], renamed["article_id"]) == ("ok", f"sub/{first.name}")
    assert renamed["warnings"] == [(f"article id {first.stem!r} is another file's of the same name: this one's "
                                   f"is 'sub/{first.name}'")]
    taken = by_path["more.jsonl:4"]  # an id given in the article is not changed
    assert (taken["status"], taken["article_id"]) == ("error", "j1")
    assert taken["error"] == f"article id 'j1' already used by {messy / 'more.jsonl'}:1"
    same = by_path["sub/same-text.txt"]
    assert (same["status"], same["duplicate_of"]) == ("duplicate", first.stem)
    assert (by_path["binary.txt"]["status"], by_path["binary.txt"]["article_id"]) == ("error", None)
    assert by_path["empty.txt"]["status"] == "error"
    assert by_path["more.jsonl:2"]["status"] == "error"
    assert by_path["more.jsonl:3"]["status"] == "ok" and by_path["more.jsonl:3"]["article_id"] == "j2"


def test_strict_stops_at_the_same_input_with_workers(messy, tmp_path):
    errors = []
    for jobs in (1, 2):
        with pytest.raises(InputError) as stop:
            build([messy], tmp_path / f"out{jobs}", today=TODAY, strict=True, jobs=jobs)
        errors.append(str(stop.value))
        assert not (tmp_path / f"out{jobs}").exists()
    assert errors[0] == errors[1]


def test_values_travel_to_a_worker_and_back_unchanged(matcher):
    _, raws, _ = iter_raw([SEEDS, TEST_ARTICLES], TODAY)
    articles = [r.article for r in raws if r.article is not None]
    assert len(articles) >= 8
    for article in articles:
        expected = parallel.extract_one(article, matcher, TODAY)
        fields = parallel._article_tuple(article)
        assert parallel.Article(*fields) == article
        (sent,) = parallel._extract_batch_with(matcher, TODAY, [fields])
        assert parallel._extraction(article, sent, matcher.gazetteer.places) == expected


class FakePool:
    """Runs each batch at once, in this process, and counts the batches not yet taken back."""

    def __init__(self, matcher, jobs: int) -> None:
        self.matcher, self.jobs, self.outstanding, self.most = matcher, jobs, 0, 0

    def submit(self, articles: list[tuple]) -> Done:
        self.outstanding += 1
        self.most = max(self.most, self.outstanding)
        return Done(self, parallel._extract_batch_with(self.matcher, TODAY, articles))


class Done:
    def __init__(self, pool: FakePool, value: list) -> None:
        self.pool, self.value = pool, value

    def result(self) -> list:
        self.pool.outstanding -= 1
        return self.value


def test_the_main_process_reads_only_a_few_batches_ahead(matcher):
    """However many articles there are, at most IN_FLIGHT batches a worker are out at once:
    the inputs are read as the results come back (memory stays flat)."""
    _, raws, _ = iter_raw([SEEDS], TODAY)
    article = next(r.article for r in raws if r.article is not None)
    pulled = []

    def items():
        for k in range(5000):
            pulled.append(k)
            yield k, (None if k % 7 == 0 else article)

    pool = FakePool(matcher, jobs=2)
    stream = parallel.extractions(items(), matcher, TODAY, pool)  # type: ignore[arg-type]
    seen = []
    for item, result in stream:
        seen.append(item)
        assert len(pulled) - len(seen) <= (parallel.IN_FLIGHT * pool.jobs + 2) * 4 * parallel.BATCH
        assert (result is None) == (item % 7 == 0)
    assert seen == list(range(5000))
    assert pool.most <= parallel.IN_FLIGHT * pool.jobs + 1


def test_inputs_without_an_article_are_not_read_ahead_without_end(matcher):
    """A long run of inputs that give no article (failed, duplicates) makes batches too."""
    pulled = []

    def items():
        for k in range(20_000):
            pulled.append(k)
            yield k, None

    pool = FakePool(matcher, jobs=2)
    limit = (parallel.IN_FLIGHT * pool.jobs + 1) * 4 * parallel.BATCH
    for n, (item, result) in enumerate(parallel.extractions(items(), matcher, TODAY, pool)):  # type: ignore[arg-type]
        assert item == n and result is None
        assert len(pulled) - n <= limit


def test_the_jobs_option(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True,
                              text=True, cwd=ROOT, check=False)

    assert "--jobs" in run("build", "--help").stdout
    for wrong in ("0", "61", "two"):
        bad = run("build", str(SEEDS), "--out", str(tmp_path / "x"), "--jobs", wrong)
        assert bad.returncode == 2 and "not a number of processes (1 to 60)" in bad.stderr
    assert not (tmp_path / "x").exists()
    good = run("build", str(SEEDS), "--out", str(tmp_path / "two"), "--jobs", "2", "--today", "2026-11-22", "-q")
    assert good.returncode == 0
    assert build([SEEDS], tmp_path / "one", today=dt.date(2026, 11, 22)).incidents > 0
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


def test_a_worker_that_dies_stops_the_build_with_a_clear_error(messy, tmp_path):
    out = tmp_path / "out"
    code = (
        "import os, sys, pipeline.parallel as p\n"
        "p.BATCH = 1  # many batches: the death is met when sending one as well as receiving\n"
        "def extract(article, *a, **k):\n"
        "    os._exit(9)  # as the system's out-of-memory killer would\n"
        "p.extract = extract\n"
        "from pipeline.cli import main\n"
        f"sys.exit(main(['build', {str(messy)!r}, '--out', {str(out)!r}, '--jobs', '2', '-q']))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=False, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "a worker process stopped" in res.stderr and "--jobs 1" in res.stderr
    assert not out.exists()


def test_a_pool_broken_when_a_batch_is_sent_is_a_worker_error():
    """A worker can die between two batches: sending the next one is where it shows."""
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.errors import WorkerError

    class Broken:
        def submit(self, *args):
            raise BrokenProcessPool("A child process terminated abruptly")

    pool = object.__new__(parallel.Pool)
    pool._executor = Broken()  # type: ignore[assignment]
    with pytest.raises(WorkerError, match="a worker process stopped"):
        pool.submit([])


def _state(pid: int) -> str | None:
    """A process's state letter (Z: ended, not yet reaped), None when there is none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_workers_end_when_the_build_is_killed(tmp_path):
    """A build killed outright (kill -9, out of memory) leaves no worker behind."""
    import os
    import signal
    import time

    src = tmp_path / "articles"
    src.mkdir()
    text = min(SEEDS.glob("*.txt")).read_text(encoding="utf-8").split("\n", 1)[1]
    for n in range(3000):
        (src / f"a{n:05d}.txt").write_text(f"date 2022-12-{1 + n % 28:02d} Headline {n}\n{text}", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", str(src), "--out",
                             str(tmp_path / "out"), "--jobs", "2", "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    try:
        while len(children) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            listed = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            children = [int(c) for c in listed.read_text().split()] if listed.exists() else []
        assert len(children) >= 2, "the workers did not start"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while any(_state(c) not in (None, "Z") for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(_state(c) in (None, "Z") for c in children)
    finally:
        for c in children:
            if _state(c) not in (None, "Z"):
                os.kill(c, signal.SIGKILL)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_progress_bar_counts_inputs_done(messy, tmp_path, jobs, small_batches):
    """Each step of the bar is an input whose entry is made (with workers, reading runs ahead
    of that by a few batches: the bar does not)."""
    steps = []

    def progress(iterable, total):
        steps.append(total)
        for item in iterable:
            steps.append(item)
            yield item

    build([messy], tmp_path / "out", today=TODAY, jobs=jobs, progress=progress)
    inputs = json.loads((tmp_path / "out" / "report.json").read_text())["inputs"]
    total, *done = steps
    assert total == sum(1 for p in messy.rglob("*") if p.is_file())
    assert [raw.path for (raw, _), _ in done] == [e["path"] for e in inputs]
