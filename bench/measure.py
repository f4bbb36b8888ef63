"""Run one command and measure it: wall time, CPU time and peak resident memory of that very
process (``os.wait4``), pinned to one core with ``taskset`` when it is available, and the
machine's load average before and after (other work on a 2-core machine skews timings).
For a command that starts worker processes, the memory of the whole process tree can be
sampled too (``tree=True``)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

TASKSET = shutil.which("taskset")


@dataclass
class Run:
    command: list[str]
    wall_s: float
    cpu_s: float  # user + system
    max_rss_mb: float
    returncode: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    pinned_core: int | None
    stdout_tail: str = ""
    stdout: str = ""  # all of it (not kept in to_dict)
    # run(tree=True): the peak of the process's RSS plus its descendants' USS, of their USS
    # alone, and the most processes seen at once (TreeMemory)
    tree_peak_mb: float | None = None
    descendants_peak_uss_mb: float | None = None
    tree_processes: int | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        return d


class TreeMemory:
    """Samples, every ``interval_s`` while the process runs, the memory of a process and of all
    its descendants: the process's RSS plus each descendant's USS (unique set size: the pages
    only it maps, which it would give back on exiting). Forked workers share most of their
    pages with their parent; the sum of their RSS would count those pages in each, the
    parent's RSS counts them once. Comparable with a lone process's RSS. Sampled, so a peak
    shorter than the interval can be missed."""

    def __init__(self, pid: int, interval_s: float = 0.1) -> None:
        import psutil  # the bench extra

        self._psutil = psutil
        self._root = psutil.Process(pid)
        self.interval_s = interval_s
        self.peak_bytes = 0  # the root's RSS + the descendants' USS
        self.peak_descendants_bytes = 0  # the descendants' USS alone
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        psutil = self._psutil
        while not self._stop.is_set():
            try:
                root = self._root.memory_info().rss
                children = self._root.children(recursive=True)
            except psutil.Error:  # the process has ended
                return
            unique, seen = 0, 1
            for child in children:
                try:
                    unique += child.memory_full_info().uss
                    seen += 1
                except psutil.Error:  # ended between the listing and the reading
                    pass
            self.peak_bytes = max(self.peak_bytes, root + unique)
            self.peak_descendants_bytes = max(self.peak_descendants_bytes, unique)
            self.processes = max(self.processes, seen)
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(command: list[str], *, core: int | None = 0, cwd: Path | None = None, env: dict | None = None,
        stdout_file: Path | None = None, tree: bool = False) -> Run:
    """Run ``command`` (pinned to ``core`` when taskset exists) and measure it; ``tree``: the
    memory of its whole process tree too (:class:`TreeMemory`)."""
    full = ([TASKSET, "-c", str(core)] if core is not None and TASKSET else []) + [str(c) for c in command]
    load_before = os.getloadavg()
    out = open(stdout_file, "wb") if stdout_file else subprocess.PIPE  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    sampler = TreeMemory(proc.pid) if tree else None
    everything = b""
    if out is subprocess.PIPE:
        everything = proc.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if sampler is not None:
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout_file:
        out.close()  # type: ignore[union-attr]
    else:
        proc.stdout.close()  # type: ignore[union-attr]
    return Run(
        command=full, wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        returncode=proc.returncode, load_before=load_before, load_after=os.getloadavg(),
        pinned_core=core if (core is not None and TASKSET) else None,
        stdout_tail=everything[-2000:].decode("utf-8", "replace"),
        stdout=everything.decode("utf-8", "replace"),
        tree_peak_mb=sampler.peak_bytes / 2**20 if sampler else None,
        descendants_peak_uss_mb=sampler.peak_descendants_bytes / 2**20 if sampler else None,
        tree_processes=sampler.processes if sampler else None,
    )


def summary(values: list[float]) -> dict:
    """Median and spread of repeated measurements."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}
