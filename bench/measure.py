"""Run one command and measure it: wall time, CPU time and peak resident memory of that
process (``os.wait4``: with the descendants it waited for, such as worker processes), pinned
to one core with ``taskset`` when it is available, and the machine's load average before and
after (other work on a 2-core machine skews timings). For a command that starts worker
processes, the memory of the whole process tree can be sampled too (``tree=True``)."""

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
    # run(tree=True): the peak of the sum of the PSS of the process and its descendants, and
    # the most processes seen at once (TreeMemory)
    tree_peak_pss_mb: float | None = None
    tree_processes: int | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        return d


class TreeMemory:
    """Samples, every ``interval_s`` while the process runs, the memory of a process and of all
    its descendants: the sum of their PSS (proportional set size: each page counted once in
    all, split between the processes that map it). Forked workers share most of their pages
    with their parent and with each other; the sum of their RSS would count those pages in
    each. Sampled, so a peak shorter than the interval can be missed."""

    def __init__(self, pid: int, interval_s: float = 0.1) -> None:
        import psutil

        self._psutil = psutil
        self._root = psutil.Process(pid)
        self.interval_s = interval_s
        self.peak_bytes = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        psutil = self._psutil
        while not self._stop.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:  # the process has ended
                return
            total, seen = 0, 0
            for proc in procs:
                try:
                    total += proc.memory_full_info().pss
                    seen += 1
                except psutil.Error:  # ended between the listing and the reading
                    pass
            self.peak_bytes = max(self.peak_bytes, total)
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
    try:
        sampler = TreeMemory(proc.pid) if tree else None
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    everything = b""
    if out is subprocess.PIPE:
        everything = proc.stdout.read()  # type: ignore[union-attr]
    # ended, not yet reaped: the sampler stops before the pid can be reused
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    wall = time.perf_counter() - t0
    if sampler is not None:
        sampler.stop()
    # the process's own usage and that of the descendants it waited for (its workers): the
    # CPU time is theirs together, the peak RSS the largest one process reached
    _, status, usage = os.wait4(proc.pid, 0)
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
        tree_peak_pss_mb=sampler.peak_bytes / 2**20 if sampler else None,
        tree_processes=sampler.processes if sampler else None,
    )


def summary(values: list[float]) -> dict:
    """Median and spread of repeated measurements."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}
