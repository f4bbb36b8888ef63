"""A parsed copy of what the dashboard makes from an incidents file, kept between starts.

Reading a large ``incidents.geojson`` is most of a dashboard start: at 100,000 incidents,
decoding and checking the file and building the frame take 2.5-4 s, and the map's data file
another second; loading the values this module kept from the last start takes about 0.4 s.

The copies live in the user's cache folder (``$INCIDENT_MAP_CACHE``, else
``$XDG_CACHE_HOME/incident-map``, else ``~/.cache/incident-map``; ``INCIDENT_MAP_CACHE=off``
turns them off), never beside the data: a copy is a pickle, which runs code when it is
loaded, so only files this user's dashboard wrote, in a folder only this user can write, are
ever read. A copy is used only when everything it was made from is unchanged:

- the incidents file itself: the same device, inode, size, modification and change times (the
  change time cannot be set back by hand, so an edited or replaced file is never mistaken for
  the old one);
- the code that made it: the dashboard's modules (a digest of their source), and the Python,
  pandas and numpy versions that pickled it.

Anything else (no copy, another file, a copy that cannot be read) reads the file as before and
writes a new copy for the next start: here, before the value is used (pickling a value that
another thread is using is not safe: a cached property or pandas' own caches may change under
it), or, with ``aside``, from a child process forked before the value is used, which the caller
does not wait for (:func:`_write_aside`: at 100,000 incidents that takes 0.5-0.8 s off a first
start). A failure to read or write a copy is
never an error for the user: at worst the start is as slow as without this module. Files
smaller than :data:`MIN_BYTES` are read directly (fast enough; no copy is written). The folder
keeps the :data:`KEEP` most recently used copies within :data:`KEEP_BYTES` (the latest always
stays), and a copy is written only where it leaves :data:`FREE_BYTES` free on the disk, older
copies removed for that room if need be.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import signal
import stat
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import numpy as np
import pandas as pd

LOG = logging.getLogger("incident_map.dashboard")

CACHE_ENV_VAR = "INCIDENT_MAP_CACHE"
MIN_BYTES = 4_000_000  # about 3,500 incidents: below this, reading the file takes < 0.15 s
KEEP = 8  # copies kept in the cache folder, the most recently used
KEEP_BYTES = 2 * 2**30  # ... and no more than this in all (the latest always stays)
# No copy is written where it would leave less than this free on the disk: a copy is about 1.4
# times its file (150 MB at 100,000 incidents), the user's disk is for their own files first.
FREE_BYTES = 2**30
_MAGIC = b"incident-map snapshot 1\n"
_PACKAGE = Path(__file__).resolve().parent

T = TypeVar("T")


def cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the copies go; None when turned off (``INCIDENT_MAP_CACHE=off``) or when there is
    no home folder to put them in."""
    env = os.environ if environ is None else environ
    chosen = env.get(CACHE_ENV_VAR, "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry (a container)
            return None
    return Path(base) / "incident-map"


def _private(folder: Path) -> bool:
    """Whether ``folder`` is a real folder of this user's that no one else can write (made so
    when missing): the only kind whose copies are read or written."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _code_digest() -> str:
    """The dashboard's source and the versions that pickle its values: a copy made by other
    code is not used."""
    digest = hashlib.sha256()
    for module in sorted(_PACKAGE.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    digest.update(f"{sys.version}|{pd.__version__}|{np.__version__}".encode())
    return digest.hexdigest()


_CODE = _code_digest()


def identity(path: Path) -> dict[str, int] | None:
    """What tells this very file, as it is now, from any other (None when it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {
        "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
        "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns,
    }  # fmt: skip


def copy_path(folder: Path, source: Path, kind: str) -> Path:
    """The copy of ``kind`` for ``source``: one file per source file (its real path) and kind."""
    name = hashlib.sha256(os.fsencode(os.path.realpath(source)) + b"\0" + kind.encode()).hexdigest()[:32]
    return folder / f"{name}.pickle"


def _header(source: Path, kind: str, ident: Mapping[str, int]) -> bytes:
    meta = {"source": os.fsencode(os.path.realpath(source)).hex(), "kind": kind, "file": dict(ident), "code": _CODE}
    return _MAGIC + json.dumps(meta, sort_keys=True).encode() + b"\n"


def cached(
    source: Path,
    kind: str,
    compute: Callable[[], T],
    *,
    folder: Path | None,
    expect: tuple[int, int] | None = None,
    min_bytes: int | None = None,
    aside: bool = False,
) -> T:
    """``compute()``, or the copy of its value kept for ``source`` (the file it reads) and
    ``kind`` (what it makes of it) when nothing they depend on has changed since.

    ``expect``: the file's (mtime_ns, size) that ``compute`` reads (when it reads values that
    were read before, kept in memory); when the file is no longer that, no copy is read or
    written. A computed value is written as the new copy when ``source`` is at least
    ``min_bytes`` (:data:`MIN_BYTES`); with ``aside``, by a child process that the caller does
    not wait for (:func:`_write_aside`), where there can be one."""
    ident = identity(Path(source))
    limit = MIN_BYTES if min_bytes is None else min_bytes
    if folder is None or ident is None or ident["size"] < limit:
        return compute()
    if expect is not None and (ident["mtime_ns"], ident["size"]) != tuple(expect):
        return compute()  # the file changed since what compute reads was read
    try:
        target = copy_path(folder, source, kind)
        header = _header(source, kind, ident)
    except (OSError, ValueError):  # a path that cannot be named (its folder gone...)
        return compute()
    if not _private(folder):
        LOG.warning("not keeping copies of the dashboard's data in %s: not a folder of yours "
                    "that only you can write", folder)
        return compute()
    value = _read(target, header)
    if value is not None:
        return value[0]
    value = compute()
    if identity(Path(source)) != ident:  # the file changed while it was read: keep no copy of it
        return value
    if _room(folder, target, ident["size"]) and not (aside and _write_aside(target, header, value)):
        _write(target, header, value)
    return value


def _room(folder: Path, target: Path, size: int) -> bool:
    """Whether a copy of a file of ``size`` bytes (about 1.4 times as large: twice, to be
    safe) leaves :data:`FREE_BYTES` free on ``folder``'s disk, once the copies it may give up
    are gone: the old copy at ``target`` (of this file, made from what it was before), then the
    least recently used others. Says so when there is still no room."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return True  # unknown: the write itself will say if it fails
    need = 2 * size + FREE_BYTES
    if free >= need:
        return True
    copies = _copies(folder)  # the most recently used first
    for _, _, old_size, entry in [c for c in copies if c[3] == target] + [
        c for c in reversed(copies) if c[3] != target
    ]:
        try:
            entry.unlink()
        except OSError:
            continue
        free += old_size
        if free >= need:
            return True
    LOG.warning("not keeping a copy of the dashboard's data in %s: %d MB free on its disk, and "
                "a copy would leave less than %d MB (the next start reads the file again)",
                folder, free // 2**20, FREE_BYTES // 2**20)
    return False


def _read(target: Path, header: bytes) -> tuple[object] | None:
    """The kept value (in a 1-tuple), or None when there is no copy of this header's file."""
    try:
        # not through a link, and not blocking on something that is not a file (a FIFO)
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None  # written by someone else, or others could have: never unpickled
            if fh.read(len(header)) != header:
                return None
            value = pickle.load(fh)
            try:  # recently used, for _prune; the value is good either way
                os.utime(fh.fileno() if os.utime in os.supports_fd else target)
            except OSError:
                pass
    except Exception as error:  # noqa: BLE001 - a damaged copy: read the file instead
        LOG.warning("ignoring the dashboard's cached copy %s (%s)", target, error)
        try:
            target.unlink()
        except OSError:
            pass
        return None
    return (value,)


def _write(target: Path, header: bytes, value: object) -> None:
    """Write the copy here and now (see :func:`_write_copy`); a failure is only logged."""
    error = _write_copy(target, header, value)
    if error is not None:
        _no_copy(target, error)


def _no_copy(target: Path, why: str) -> None:
    LOG.warning("could not keep a copy of the dashboard's data in %s (%s)", target.parent, why)


def _write_copy(target: Path, header: bytes, value: object) -> str | None:
    """Write the copy aside, then rename it in place (a reader never sees half a copy).
    Returns what went wrong, or None."""
    partial = None
    try:
        # a name of its own (not tempfile's: its lock is not reset in a child, _write_aside)
        name = target.parent / f".{os.getpid()}-{os.urandom(8).hex()}.part"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(name, flags, 0o600)
        partial = name
        with os.fdopen(fd, "wb") as fh:
            fh.write(header)
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
        partial = None
        _prune(target.parent, keep=target)
    except Exception as error:  # noqa: BLE001 - no copy: the next start reads the file again
        return str(error) or type(error).__name__
    finally:
        if partial is not None:
            try:
                os.unlink(partial)
            except OSError:
                pass
    return None


def _copies(folder: Path, keep: Path | None = None) -> list[tuple[bool, int, int, Path]]:
    """The copies in ``folder``, ``keep`` first, then the most recently used first:
    (not keep, -mtime_ns, size, path)."""
    copies = []
    for entry in folder.glob("*.pickle"):
        try:
            info = entry.stat()
        except OSError:
            continue
        copies.append((entry != keep, -info.st_mtime_ns, info.st_size, entry))
    return sorted(copies)


PARTIAL_AGE_S = 3600  # a copy still being written after this long was left by a crash


def _prune(folder: Path, keep: Path) -> None:
    """Keep only the most recently used copies, at most :data:`KEEP` of them and
    :data:`KEEP_BYTES` in all (``keep``, the copy just written, always stays), and remove
    what a start that crashed while writing its copy left behind."""
    total = 0
    for number, (_, _, size, entry) in enumerate(_copies(folder, keep)):
        total += size
        if entry != keep and (number >= KEEP or total > KEEP_BYTES):
            try:
                entry.unlink()
            except OSError:
                pass
    now = time.time()
    for partial in folder.glob(".*.part"):
        try:
            if now - partial.stat().st_mtime > PARTIAL_AGE_S:
                partial.unlink()
        except OSError:
            pass


# --- writing a copy from a child process --------------------------------------------------

WRITER_LIMIT_S = 300  # a child still writing after this long stops (and removes its part)
# Where a child can write the copy: fork is Linux's, and safe here with the server's threads
# (the child only pickles and writes a file, and ends: see _write_aside).
CAN_FORK = sys.platform.startswith("linux")
# Signals blocked in the forking thread while it forks, so that no handler of the server's runs
# in the child before it has set its own (Python keeps the handlers across a fork).
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGALRM)


@dataclass
class _Writer:
    pid: int
    waiter: threading.Thread


_writers: list[_Writer] = []  # the children writing a copy (for wait_for_writers and tests)


def _write_aside(target: Path, header: bytes, value: object) -> bool:
    """Write the copy from a child process, so that this one goes on at once: at 100,000
    incidents, pickling and writing take about 0.8 s of a first start. Returns False where
    there is no child to write it (not Linux, or the fork failed): the caller writes it.

    The child is a fork: it pickles an image of this process's memory as it was, which no
    thread can change under it (a thread pickling the value beside the app could see a
    pandas cache or a cached property change half-way, and keep a broken copy). What a fork
    beside other threads risks is a lock that one of them held at that moment: the child takes
    none but the interpreter's own (it does not log, print, import or use ``tempfile``), and it
    stops after :data:`WRITER_LIMIT_S` whatever happens. It runs at the lowest priority, on what
    the page and the browser leave of the processor; it closes the server's sockets it
    inherited (a stopped server's port is free at once); it finishes its copy on Ctrl-C (it is
    in the terminal's process group) and ends on the other signals that end a server.

    Its memory is this process's, shared until either writes to it; pickling touches every
    object and keeps a memo of them, so while it runs (1-2 s) it holds copies of most of the
    value's pages: measured at 100,000 incidents, the server and the child together peaked at
    800 MB, against 570 MB for the server writing the copy itself. Should memory run out, the
    kernel ends the child first. Whatever goes wrong is logged here, by a thread that waits for
    the child (see :func:`wait_for_writers`).
    """
    if not CAN_FORK:
        return False
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return False
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns of any fork beside threads; this one is made for it (above)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        os.close(write_end)
        return False
    if pid == 0:
        try:
            _child_writes(write_end, target, header, value, blocked)
        finally:
            os._exit(1)  # never back into the server's code
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(write_end)
    waiter = threading.Thread(
        target=_wait_for_child, args=(pid, read_end, target), name="snapshot-writer", daemon=True
    )
    try:
        waiter.start()
    except RuntimeError:  # no thread to spare: wait for the child here
        _wait_for_child(pid, read_end, target)
        return True
    _writers[:] = [w for w in _writers if w.waiter.is_alive()]  # those done: forgotten
    _writers.append(_Writer(pid, waiter))
    return True


class _OutOfTime(Exception):
    pass


def _out_of_time(signum: int, frame: object) -> None:
    raise _OutOfTime(f"still writing after {WRITER_LIMIT_S} s")


def _child_writes(
    report: int, target: Path, header: bytes, value: object, mask: set[signal.Signals]
) -> NoReturn:
    """The child of :func:`_write_aside`: writes the copy, says what went wrong on
    ``report`` (a pipe), and ends without running anything of the server's. Its signals are
    blocked on entry (``mask``: the mask to return to)."""
    status = 1
    try:
        signal.signal(signal.SIGALRM, _out_of_time)  # raised in the write: its part is removed
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the copy is finished first
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(number, signal.SIG_DFL)
        signal.alarm(WRITER_LIMIT_S)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.closerange(3, report)
        os.closerange(report + 1, _fd_limit())
        gc.disable()  # a collection would touch (and so copy) every page the two share
        os.nice(19)
        _first_to_go_when_memory_runs_out()
        error = _write_copy(target, header, value)
        if error is None:
            status = 0
        else:
            os.write(report, error.encode("utf-8", "replace")[:4096])
    except BaseException as error:  # noqa: BLE001 - whatever it is, the child ends here
        try:
            os.write(report, repr(error).encode("utf-8", "replace")[:4096])
        except BaseException:  # noqa: BLE001, S110
            pass
    finally:
        os._exit(status)


def _first_to_go_when_memory_runs_out() -> None:
    """Should the machine run out of memory while the child writes, the kernel ends the child
    rather than the server (the child is about as large)."""
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:
            fh.write("1000")
    except OSError:
        pass


def _fd_limit() -> int:
    try:
        return max(os.sysconf("SC_OPEN_MAX"), 1024)
    except (OSError, ValueError):
        return 1 << 16


def _wait_for_child(pid: int, report: int, target: Path) -> None:
    with os.fdopen(report, "rb") as fh:
        said = fh.read().decode("utf-8", "replace")
    try:
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
    except ChildProcessError:  # reaped elsewhere
        code = 0
    if said or code:
        if said:
            why = said
        elif code < 0:
            why = f"the process writing it was ended by {signal.Signals(-code).name}"
        else:
            why = f"the process writing it ended with status {code}"
        _no_copy(target, why)


def wait_for_writers(timeout_s: float = 60.0) -> bool:
    """Wait until the copies being written by child processes are written (or given up);
    True when none is still being written. For tests and tools: the app never waits."""
    deadline = time.monotonic() + timeout_s
    while _writers:
        writer = _writers[0]
        writer.waiter.join(max(0.0, deadline - time.monotonic()))
        if writer.waiter.is_alive():
            return False
        _writers.remove(writer)
    return True
