"""Run one command and measure it: wall time, CPU time and peak resident memory of that very
process (``os.wait4``), pinned to one core with ``taskset`` when it is available, and the
machine's load average before and after (other work on a 2-core machine skews timings)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
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

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("stdout")
        return d


def run(command: list[str], *, core: int | None = 0, cwd: Path | None = None, env: dict | None = None,
        stdout_file: Path | None = None) -> Run:
    """Run ``command`` (pinned to ``core`` when taskset exists) and measure it."""
    full = ([TASKSET, "-c", str(core)] if core is not None and TASKSET else []) + [str(c) for c in command]
    load_before = os.getloadavg()
    out = open(stdout_file, "wb") if stdout_file else subprocess.PIPE  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    everything = b""
    if out is subprocess.PIPE:
        everything = proc.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
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
    )


def summary(values: list[float]) -> dict:
    """Median and spread of repeated measurements."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}
