"""Extraction on several processes (``incident-map build --jobs N``), in input order.

Extracting an article is pure (the article, the matcher, today: its candidates and dropped
mentions) and takes most of a build, so worker processes do it while the main process reads
the inputs ahead and keeps the books (``pipeline.build``). Each result comes back in input
order, so the outputs are the very bytes a build on one process writes.

Articles go to the workers in batches, and results come back, as plain tuples: pickling the
value objects themselves (frozen dataclasses, each candidate's ``Place`` with its gazetteer
line) cost five times as much. The main process puts the values together again with its own
gazetteer's places. At most a few batches a worker are in flight, so memory stays flat
however many articles there are. On one process (``jobs`` 1) the same stream is made without
any of this.
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Self

from pipeline.errors import WorkerError
from pipeline.extract import Candidate, Dropped, Extraction, extract
from pipeline.match import Matcher
from pipeline.model import Article, DateWindow, Source

BATCH = 32  # articles a task: large enough that a task's overhead is small beside its work
IN_FLIGHT = 3  # tasks a worker, queued or running, before the main process waits


@dataclass(frozen=True, slots=True)
class Failure:
    """An article the extractor raised on (a bug): the exception's type and message."""

    kind: str
    message: str


def available_cores() -> int:
    """The cores this process may run on (``taskset`` counts; a container's CPU quota does not)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def extract_one(article: Article, matcher: Matcher, today: dt.date) -> Extraction | Failure:
    try:
        return extract(article, matcher, today)
    except Exception as exc:  # noqa: BLE001 - a bug: reported against its article, the others go on
        return Failure(type(exc).__name__, str(exc))


class Pool:
    """Worker processes that know the matcher and today (forked from this process where the
    system can: nothing to build again). Use as a context manager; start it before any
    thread (a progress bar's) starts."""

    def __init__(self, matcher: Matcher, today: dt.date, jobs: int) -> None:
        self.jobs = jobs
        # fork where it is safe (Linux): the workers have the matcher without building it again
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        self._executor = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_start_worker,
            initargs=(matcher, today, os.getpid()),
        )
        try:
            self._executor.submit(int).result()  # the workers start now, before any thread does
        except (BrokenProcessPool, OSError) as exc:  # no process could start (out of memory...)
            self._executor.shutdown(wait=False, cancel_futures=True)
            raise WorkerError(f"cannot start {jobs} worker processes ({exc}); nothing written. "
                              "Try again with fewer (--jobs 1 uses none)") from None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, articles: list[tuple]) -> Future:
        try:
            return self._executor.submit(_extract_batch, articles)
        except BrokenProcessPool:  # a worker died since the last batch
            raise _died() from None


def extractions(
    items: Iterable[tuple[Any, Article | None]], matcher: Matcher, today: dt.date,
    pool: Pool | None = None,
) -> Iterator[tuple[Any, Extraction | Failure | None]]:
    """``(item, extract_one(article))`` for each ``(item, article)`` in order (None for an item
    without an article), on ``pool``'s workers when there is one."""
    if pool is None:
        for item, article in items:
            yield item, (None if article is None else extract_one(article, matcher, today))
        return
    places = matcher.gazetteer.places
    pending: collections.deque[tuple[list, Future | None]] = collections.deque()
    batch: list[tuple[Any, Article | None]] = []
    sent: list[tuple] = []
    for item, article in items:
        batch.append((item, article))
        if article is not None:
            sent.append(_article_tuple(article))
        if len(sent) >= BATCH or len(batch) >= 4 * BATCH:
            pending.append((batch, pool.submit(sent) if sent else None))
            batch, sent = [], []
            while len(pending) > IN_FLIGHT * pool.jobs:
                yield from _received(*pending.popleft(), places)
    if batch:
        pending.append((batch, pool.submit(sent) if sent else None))
    while pending:
        yield from _received(*pending.popleft(), places)


def _received(batch: list, future: Future | None, places: dict) -> Iterator[tuple[Any, Any]]:
    try:
        results = iter(future.result() if future is not None else ())
    except BrokenProcessPool:
        raise _died() from None
    for item, article in batch:
        if article is None:
            yield item, None
            continue
        result = next(results)
        if result[0] == "failure":
            yield item, Failure(result[1], result[2])
        else:
            yield item, _extraction(article, result, places)


def _died() -> WorkerError:
    return WorkerError(
        "a worker process stopped without finishing (killed, or out of memory?); nothing "
        "written. Try again with fewer processes (--jobs 1 uses none)"
    )


# --- in the worker -------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _start_worker(matcher: Matcher, today: dt.date, parent: int) -> None:
    # Ctrl+C reaches every process of the terminal: the main process stops the build
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop_with_parent(parent)
    _worker.update(matcher=matcher, today=today)


def _stop_with_parent(parent: int) -> None:
    """End this worker when the main process ends however it ends (killed, out of memory):
    a forked worker holds the task queue's write end too, so it would wait for tasks forever."""
    if sys.platform == "linux":
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel ends it with its parent
        except (OSError, AttributeError):
            _watch_parent(parent)
    else:
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent ended before that was set
        os._exit(1)


def _watch_parent(parent: int) -> None:
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _extract_batch(articles: list[tuple]) -> list[tuple]:
    return _extract_batch_with(_worker["matcher"], _worker["today"], articles)


def _extract_batch_with(matcher: Matcher, today: dt.date, articles: list[tuple]) -> list[tuple]:
    out = []
    for fields in articles:
        result = extract_one(Article(*fields), matcher, today)
        out.append(("failure", result.kind, result.message) if isinstance(result, Failure)
                   else _extraction_tuple(result))
    return out


# --- the value objects as tuples and back ----------------------------------------------------


def _article_tuple(a: Article) -> tuple:
    return (a.article_id, a.text, a.path, a.title, a.published, a.outlet, a.url, a.body_start,
            a.headline_end)


def _extraction_tuple(e: Extraction) -> tuple:
    return (
        "ok",
        [(c.place.place_id, c.when.event_date, c.when.start, c.when.end, c.when.precision,
          c.when.note, c.when.lasting, c.event_type, c.sub_event_type, c.geo_precision, c.source.quote,
          c.source.mention, c.source.char_start, c.source.char_end) for c in e.candidates],
        [(d.mention, d.place_id, d.char_start, d.char_end, d.reason) for d in e.dropped],
        e.date_note,
    )


def _extraction(article: Article, result: tuple, places: dict) -> Extraction:
    _, candidates, dropped, note = result
    published = article.published.isoformat() if article.published else None
    return Extraction(
        article,
        tuple(
            Candidate(
                places[place_id], DateWindow(day, start, end, precision, when_note, lasting), etype, sub, geo,
                Source(article.article_id, article.title, article.outlet, published, article.url,
                       quote, mention, char_start, char_end),
            )
            for (place_id, day, start, end, precision, when_note, lasting, etype, sub, geo, quote, mention,
                 char_start, char_end) in candidates
        ),
        tuple(Dropped(*d) for d in dropped),
        note,
    )
