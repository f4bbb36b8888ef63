"""The dashboard's kept copy of what it reads from an incidents file (dashboard/snapshot.py):
used only while the file and the code are unchanged, and never a reason for an error."""

from __future__ import annotations

import logging
import os
import pickle
import threading
import time
from pathlib import Path

import pytest

from dashboard import data as incidents_data
from dashboard import snapshot


class Counter:
    """compute() for snapshot.cached: counts its calls, returns the file's text each time."""

    def __init__(self, source: Path) -> None:
        self.source, self.calls = source, 0

    def __call__(self) -> dict:
        self.calls += 1
        return {"text": self.source.read_text(), "call": self.calls}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "incidents.geojson"
    path.parent.mkdir()
    path.write_text("first version")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def cached(source: Path, compute, folder: Path, kind: str = "incidents"):
    return snapshot.cached(source, kind, compute, folder=folder, min_bytes=0)


def test_a_second_start_gets_the_kept_copy_without_reading_the_file(source, folder):
    compute = Counter(source)
    first = cached(source, compute, folder)
    second = cached(source, compute, folder)
    assert compute.calls == 1
    assert second == first == {"text": "first version", "call": 1}
    copies = list(folder.glob("*.pickle"))
    assert len(copies) == 1
    assert copies[0].stat().st_mode & 0o077 == 0  # only its owner may read or write it


def test_a_rewritten_file_is_read_again_even_with_the_same_size_and_time(source, folder):
    compute = Counter(source)
    cached(source, compute, folder)
    before = source.stat()
    time.sleep(0.05)  # the change time ticks coarsely (a few ms)
    source.write_text("other version")  # same length
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime
    assert source.stat().st_size == before.st_size
    assert cached(source, compute, folder) == {"text": "other version", "call": 2}
    assert cached(source, compute, folder)["call"] == 2  # and that is kept in turn


def test_a_file_replaced_by_another_is_read_again(source, folder):
    compute = Counter(source)
    cached(source, compute, folder)
    other = source.with_name("new.geojson")
    other.write_text("replacement")
    os.replace(other, source)
    assert cached(source, compute, folder)["text"] == "replacement"


def test_copies_are_per_file_and_per_kind(source, folder):
    other = source.with_name("other.geojson")
    other.write_text("other file")
    a, b = Counter(source), Counter(other)
    assert cached(source, a, folder)["text"] == "first version"
    assert cached(other, b, folder)["text"] == "other file"
    assert cached(source, a, folder, kind="map")["call"] == 2
    assert (a.calls, b.calls) == (2, 1)
    assert len(list(folder.glob("*.pickle"))) == 3


def test_a_copy_made_by_other_code_is_not_used(source, folder, monkeypatch):
    compute = Counter(source)
    cached(source, compute, folder)
    monkeypatch.setattr(snapshot, "_CODE", "a digest of other code")
    assert cached(source, compute, folder)["call"] == 2


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_copy_is_replaced_not_an_error(source, folder, damage):
    compute = Counter(source)
    cached(source, compute, folder)
    (copy,) = folder.glob("*.pickle")
    body = copy.read_bytes()
    copy.write_bytes({"truncated": body[:-5], "garbage": body[: body.index(b"\n", 30) + 1] + b"junk",
                      "empty": b""}[damage])
    assert cached(source, compute, folder)["call"] == 2
    assert cached(source, compute, folder)["call"] == 2  # the new copy is good


def test_a_copy_others_could_have_written_is_never_unpickled(source, folder, monkeypatch):
    compute = Counter(source)
    cached(source, compute, folder)
    (copy,) = folder.glob("*.pickle")
    os.chmod(copy, 0o666)
    unpickled = []
    monkeypatch.setattr(pickle, "load", lambda fh: unpickled.append(fh))
    assert cached(source, compute, folder)["call"] == 2
    assert unpickled == []


def test_no_copy_while_the_file_changes_under_the_reading(source, folder):
    def compute():
        text = source.read_text()
        source.write_text("written meanwhile")
        return text

    assert cached(source, compute, folder) == "first version"
    assert list(folder.glob("*.pickle")) == []


def test_small_files_missing_files_and_off_are_read_directly(source, folder, tmp_path):
    compute = Counter(source)
    snapshot.cached(source, "incidents", compute, folder=folder)  # under MIN_BYTES
    snapshot.cached(source, "incidents", compute, folder=None)  # INCIDENT_MAP_CACHE=off
    assert compute.calls == 2
    assert not folder.exists()
    with pytest.raises(FileNotFoundError):
        cached(tmp_path / "missing.geojson", Counter(tmp_path / "missing.geojson"), folder)


def test_a_folder_that_cannot_be_written_is_not_an_error(source, tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    compute = Counter(source)
    assert cached(source, compute, blocked / "cache")["call"] == 1
    assert cached(source, compute, blocked / "cache")["call"] == 2


def test_only_the_most_recently_used_copies_are_kept(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(snapshot, "KEEP", 3)
    files = []
    for k in range(5):
        path = tmp_path / f"{k}.geojson"
        path.write_text(str(k))
        files.append(path)
        cached(path, Counter(path), folder)
        stamp = 1_000_000_000 * (k + 1)
        for copy in folder.glob("*.pickle"):  # distinct times, oldest first
            if copy == snapshot.copy_path(folder, path, "incidents"):
                os.utime(copy, ns=(stamp, stamp))
    kept = {p for p in files if snapshot.copy_path(folder, p, "incidents").exists()}
    assert kept == set(files[2:])  # the two least recently used went


def test_the_copies_kept_stay_within_a_size_the_latest_always(tmp_path, folder, monkeypatch):
    """Beyond KEEP_BYTES in all, the least recently used copies go, oldest first; the copy just
    written stays, even alone over the limit."""
    sizes = [3_000, 3_000, 3_000, 9_000]
    files = []
    for k, size in enumerate(sizes):
        path = tmp_path / f"{k}.geojson"
        path.write_text(str(k) * size)
        files.append(path)
    copy_size = {}
    for k, path in enumerate(files[:3]):
        cached(path, Counter(path), folder)
        copy = snapshot.copy_path(folder, path, "incidents")
        stamp = 1_000_000_000 * (k + 1)
        os.utime(copy, ns=(stamp, stamp))  # distinct times, oldest first
        copy_size[path] = copy.stat().st_size
    monkeypatch.setattr(snapshot, "KEEP_BYTES", copy_size[files[1]] + copy_size[files[2]] + 100)
    cached(files[2], Counter(files[2]), folder)  # a copy read: kept, nothing pruned
    assert all(snapshot.copy_path(folder, p, "incidents").exists() for p in files[:3])
    cached(files[3], Counter(files[3]), folder)  # a new copy, larger than the limit alone
    kept = {p for p in files if snapshot.copy_path(folder, p, "incidents").exists()}
    assert kept == {files[3]}
    small = tmp_path / "small.geojson"
    small.write_text("s" * 100)
    monkeypatch.setattr(snapshot, "KEEP_BYTES", snapshot.copy_path(folder, files[3], "incidents").stat().st_size + 2_000)
    cached(small, Counter(small), folder)
    kept = {p for p in [*files, small] if snapshot.copy_path(folder, p, "incidents").exists()}
    assert kept == {files[3], small}  # both fit


def copies_of(folder: Path, files) -> set:
    return {p for p in files if snapshot.copy_path(folder, p, "incidents").exists()}


def three_copies(tmp_path: Path, folder: Path) -> list[Path]:
    """Three data files with a copy each, the first the least recently used."""
    files = []
    for k in range(3):
        path = tmp_path / f"{k}.geojson"
        path.write_text(str(k) * 3_000)
        files.append(path)
        cached(path, Counter(path), folder)
        stamp = 1_000_000_000 * (k + 1)
        os.utime(snapshot.copy_path(folder, path, "incidents"), ns=(stamp, stamp))
    return files


def test_the_least_recently_used_copies_go_first(tmp_path, folder, monkeypatch):
    a, b, c = three_copies(tmp_path, folder)
    cached(a, Counter(a), folder)  # read: now the most recently used
    d = tmp_path / "new.geojson"
    d.write_text("d" * 3_000)
    size = snapshot.copy_path(folder, a, "incidents").stat().st_size
    monkeypatch.setattr(snapshot, "KEEP_BYTES", 2 * size + 100)  # the new copy and one more
    cached(d, Counter(d), folder)
    assert copies_of(folder, [a, b, c, d]) == {a, d}


def test_without_room_the_stale_copy_then_the_least_recently_used_go(tmp_path, folder, monkeypatch):
    a, b, c = three_copies(tmp_path, folder)
    size = snapshot.copy_path(folder, a, "incidents").stat().st_size
    c.write_text("rebuilt" * 500)  # its copy is stale now
    real = snapshot.shutil.disk_usage
    short = 2 * c.stat().st_size + snapshot.FREE_BYTES - 2 * size + 10  # two copies short
    monkeypatch.setattr(snapshot.shutil, "disk_usage", lambda path: real(path)._replace(free=short))
    compute = Counter(c)
    assert cached(c, compute, folder)["call"] == 1
    assert copies_of(folder, [a, b, c]) == {b, c}  # c's stale copy, then a, made the room
    assert cached(c, compute, folder)["call"] == 1  # the new copy


def test_what_a_crash_left_while_writing_a_copy_goes(tmp_path, folder):
    (source := tmp_path / "s.geojson").write_text("s")
    cached(source, Counter(source), folder)
    old, fresh = folder / ".crashed.part", folder / ".writing.part"
    old.write_bytes(b"x" * 100)
    fresh.write_bytes(b"y")
    stamp = time.time() - 2 * snapshot.PARTIAL_AGE_S
    os.utime(old, (stamp, stamp))
    (other := tmp_path / "t.geojson").write_text("t")
    cached(other, Counter(other), folder)  # a copy written: the folder is tidied
    assert not old.exists() and fresh.exists()


def test_no_copy_is_written_where_it_would_nearly_fill_the_disk(source, folder, monkeypatch, caplog):
    real = snapshot.shutil.disk_usage
    monkeypatch.setattr(snapshot.shutil, "disk_usage",
                        lambda path: real(path)._replace(free=snapshot.FREE_BYTES + 10))
    compute = Counter(source)
    with caplog.at_level(logging.WARNING, logger="incident_map.dashboard"):
        assert cached(source, compute, folder)["call"] == 1
    assert not list(folder.glob("*.pickle"))
    assert "a copy would leave less than" in caplog.text
    assert cached(source, compute, folder)["call"] == 2  # read again, as without copies
    monkeypatch.setattr(snapshot.shutil, "disk_usage",
                        lambda path: real(path)._replace(free=snapshot.FREE_BYTES + 2 * source.stat().st_size))
    assert cached(source, compute, folder)["call"] == 3  # room now: written
    assert cached(source, compute, folder)["call"] == 3


def test_cache_folder_follows_the_environment(tmp_path):
    assert snapshot.cache_folder({"INCIDENT_MAP_CACHE": "off"}) is None
    assert snapshot.cache_folder({"INCIDENT_MAP_CACHE": str(tmp_path)}) == tmp_path
    assert snapshot.cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "incident-map"


def test_the_incidents_read_from_a_copy_are_the_incidents_of_the_file(seeds_out, folder):
    path = seeds_out / "incidents.geojson"

    def read():
        return snapshot.cached(path, "incidents", lambda: incidents_data.load_incidents(path),
                               folder=folder, min_bytes=0)

    first, second = read(), read()
    assert second is not first  # the second came from the copy
    assert second.path == first.path
    assert second.frame.equals(first.frame)
    assert second.articles.equals(first.articles) and second.places.equals(first.places)
    assert second.event_types == first.event_types


def test_no_copy_of_a_file_that_changed_since_what_compute_reads_was_read(source, folder):
    """The map's file is made from the frame read before (kept in memory): when the file has
    changed since, that is no copy for the new file, and no copy of the new file is it."""
    st = source.stat()
    old = (st.st_mtime_ns, st.st_size)
    compute = Counter(source)
    snapshot.cached(source, "map", compute, folder=folder, min_bytes=0, expect=old)
    time.sleep(0.05)
    source.write_text("second version, longer")
    made_from_old = snapshot.cached(source, "map", lambda: "map of the first version",
                                    folder=folder, min_bytes=0, expect=old)
    assert made_from_old == "map of the first version"
    st = source.stat()
    new = snapshot.cached(source, "map", compute, folder=folder, min_bytes=0,
                          expect=(st.st_mtime_ns, st.st_size))
    assert new["text"] == "second version, longer"


def test_the_same_file_by_another_path_has_the_same_copy(source, folder, monkeypatch):
    link = source.parent.parent / "link-to-data"
    link.symlink_to(source.parent)
    monkeypatch.chdir(source.parent.parent)
    compute = Counter(source)
    cached(source, compute, folder)
    assert cached(Path("data/incidents.geojson"), compute, folder)["call"] == 1
    assert cached(link / "incidents.geojson", compute, folder)["call"] == 1


def test_a_folder_name_that_is_not_utf8_works(tmp_path, folder):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    odd.mkdir()
    source = odd / "incidents.geojson"
    source.write_text("text")
    compute = Counter(source)
    assert cached(source, compute, folder)["call"] == 1
    assert cached(source, compute, folder)["call"] == 1


def test_a_fifo_or_a_link_in_place_of_a_copy_is_not_followed(source, folder):
    compute = Counter(source)
    cached(source, compute, folder)
    copy = snapshot.copy_path(folder, source, "incidents")
    good = copy.with_name("elsewhere.bin")
    os.replace(copy, good)
    copy.symlink_to(good)
    assert cached(source, compute, folder)["call"] == 2  # not through the link
    copy.unlink(missing_ok=True)
    os.mkfifo(copy)
    done = []
    reader = threading.Thread(target=lambda: done.append(cached(source, compute, folder)), daemon=True)
    reader.start()
    reader.join(10)
    assert done and done[0]["call"] == 3  # did not block on the FIFO


def test_a_folder_others_can_write_is_not_used(source, tmp_path, caplog):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    compute = Counter(source)
    with caplog.at_level(logging.WARNING, logger="incident_map.dashboard"):
        assert cached(source, compute, shared)["call"] == 1
        assert cached(source, compute, shared)["call"] == 2
    assert list(shared.iterdir()) == []
    assert "only you can write" in caplog.text


def test_a_used_copy_counts_as_recently_used(source, folder):
    compute = Counter(source)
    cached(source, compute, folder)
    copy = snapshot.copy_path(folder, source, "incidents")
    os.utime(copy, ns=(10**9, 10**9))
    cached(source, compute, folder)
    assert compute.calls == 1
    assert copy.stat().st_mtime_ns > 10**9


def test_the_code_digest_follows_the_dashboards_source(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("print('one')")
    monkeypatch.setattr(snapshot, "_PACKAGE", tmp_path)
    before = snapshot._code_digest()
    (tmp_path / "app.py").write_text("print('two')")
    assert snapshot._code_digest() != before
    assert len(list(Path(snapshot.__file__).parent.glob("*.py"))) > 10  # and it reads them


def test_no_home_folder_means_no_copies(monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert snapshot.cache_folder({}) is None


# --- a copy written aside, by a child process (what the app does for the incidents) ----------


class SlowToPickle:
    """A value whose pickling waits until ``gate`` exists (at most 20 s): it shows whether
    the caller of snapshot.cached waited for the copy to be written."""

    def __init__(self, gate: Path, text: str = "slow") -> None:
        self.gate, self.text = gate, text

    def __reduce__(self):
        deadline = time.monotonic() + 20
        while not self.gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return (SlowToPickle, (self.gate, self.text))


class Unpicklable:
    def __reduce__(self):
        raise TypeError("this value cannot be pickled")


def aside(source: Path, compute, folder: Path):
    return snapshot.cached(source, "incidents", compute, folder=folder, min_bytes=0, aside=True)


def test_the_caller_does_not_wait_for_a_copy_written_aside(source, folder, tmp_path):
    gate = tmp_path / "gate"
    value = aside(source, lambda: SlowToPickle(gate), folder)
    assert isinstance(value, SlowToPickle)
    assert not gate.exists() and not list(folder.glob("*.pickle"))  # still being written
    gate.touch()
    assert snapshot.wait_for_writers(30)
    again = aside(source, lambda: pytest.fail("the file was read again"), folder)
    assert isinstance(again, SlowToPickle) and again.text == "slow"


def test_a_copy_is_written_aside_from_any_thread(source, folder):
    """The app reads the data on one of Streamlit's threads, not the main one."""
    compute = Counter(source)
    thread = threading.Thread(target=aside, args=(source, compute, folder))
    thread.start()
    thread.join(30)
    assert snapshot.wait_for_writers(30)
    assert aside(source, compute, folder) == {"text": "first version", "call": 1}


def test_a_copy_that_cannot_be_written_aside_is_logged_and_leaves_nothing(source, folder, caplog):
    with caplog.at_level(logging.WARNING, logger="incident_map.dashboard"):
        value = aside(source, Unpicklable, folder)
        assert snapshot.wait_for_writers(30)
    assert isinstance(value, Unpicklable)
    assert "could not keep a copy" in caplog.text and "cannot be pickled" in caplog.text
    assert not list(folder.iterdir())  # no copy and no part of one
    assert aside(source, Counter(source), folder)["call"] == 1  # read again, as without copies


def test_the_writer_does_not_hold_the_servers_port(source, folder, tmp_path):
    """A stopped server's port is free at once, though its copy is still being written."""
    import socket

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    gate = tmp_path / "gate"
    try:
        aside(source, lambda: SlowToPickle(gate), folder)
        server.close()
        deadline = time.monotonic() + 5  # the child closes what it inherited as it starts
        while True:
            again = socket.socket()
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                again.bind(("127.0.0.1", port))  # EADDRINUSE while another process listens
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
            finally:
                again.close()
        assert not gate.exists()  # the copy was still being written
    finally:
        gate.touch()
        server.close()
        assert snapshot.wait_for_writers(30)


def test_ctrl_c_lets_the_child_finish_its_copy_and_no_child_is_left(source, folder, tmp_path, caplog):
    """Ctrl-C reaches the child too (the terminal's process group): no handler of the
    server's may run in it, and the copy is finished; the child is reaped."""
    import signal

    gate = tmp_path / "gate"
    with caplog.at_level(logging.WARNING, logger="incident_map.dashboard"):
        aside(source, lambda: SlowToPickle(gate), folder)
        pid = snapshot._writers[-1].pid
        time.sleep(0.3)  # the child is pickling, waiting at the gate
        os.kill(pid, signal.SIGINT)
        time.sleep(0.3)
        gate.touch()
        assert snapshot.wait_for_writers(30)
    assert "could not keep a copy" not in caplog.text
    assert list(folder.glob("*.pickle"))
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


def test_a_child_out_of_time_stops_and_leaves_no_part(source, folder, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(snapshot, "WRITER_LIMIT_S", 1)
    with caplog.at_level(logging.WARNING, logger="incident_map.dashboard"):
        aside(source, lambda: SlowToPickle(tmp_path / "never"), folder)
        assert snapshot.wait_for_writers(30)
    assert "still writing after 1 s" in caplog.text
    assert not list(folder.iterdir())


def test_without_a_child_process_the_copy_is_written_before_returning(source, folder, monkeypatch):
    monkeypatch.setattr(snapshot, "CAN_FORK", False)
    compute = Counter(source)
    aside(source, compute, folder)
    assert list(folder.glob("*.pickle"))  # no wait
    assert aside(source, compute, folder)["call"] == 1
