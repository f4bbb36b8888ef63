"""Files the browser fetches, served by the Streamlit server itself (no other server).

The map's incident data is a few megabytes that change only when the data file does. Sent
inside an element it would travel again with every rerun, because the map element also
carries the per-rerun view. So it is written once to a private temporary folder that
Streamlit serves the way it serves a custom component's files, at
``/component/dashboard.datafiles.files/<name>``: declaring a component with that folder as its
path is all it takes (nothing is ever rendered as a component). The map's iframe is served
from ``/component/streamlit_folium.st_folium/``, so a relative URL reaches the files, with or
without a ``server.baseUrlPath``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

import streamlit.components.v1 as components

COMPONENT_NAME = "files"
KEEP_FILES = 4  # per kind ("incidents-...", "shapes-..."): a rebuilt file gets a new name

_lock = threading.Lock()
_folder: Path | None = None


def folder() -> Path:
    """This server's folder of published files, made on first use, removed at exit."""
    global _folder
    with _lock:
        if _folder is None or not _folder.is_dir():
            _folder = Path(tempfile.mkdtemp(prefix="incident-map-dashboard-"))
            atexit.register(shutil.rmtree, _folder, True)
        return _folder


def publish(name: str, body: bytes) -> str:
    """Serve ``body`` as ``name``; returns its URL relative to the map's iframe.

    Call it on every run that uses the URL: it (re)registers the folder with this Streamlit
    server and rewrites the file if it has gone (a cleaned temporary folder), both cheap.
    ``name`` should name the content (a digest), so a browser never mixes two versions.
    """
    if Path(name).name != name or name.startswith("."):
        raise ValueError(f"not a plain file name: {name!r}")
    where = folder()
    component = _declare(where)
    target = where / name
    if not target.is_file():
        # Written aside and renamed, so a request never reads half a file.
        partial = where / f".{name}.{os.getpid()}.{threading.get_ident()}.part"
        partial.write_bytes(body)
        os.replace(partial, target)
        _prune(where, keep=name)
    return f"../{component.name}/{name}"


def _declare(where: Path):
    """Register ``where`` as the component's folder. One thread at a time: Streamlit names the
    component after the calling module with ``inspect.getmodule``, whose module cache two
    threads can fill at once, one of them then finding no module ("module is None. This
    should never happen", seen when a visit's first run met the server's warm-up run).
    Should another caller of ``inspect.getmodule`` race it all the same, once more."""
    with _lock:
        try:
            return components.declare_component(COMPONENT_NAME, path=str(where))
        except RuntimeError:
            return components.declare_component(COMPONENT_NAME, path=str(where))


def _prune(where: Path, keep: str) -> None:
    kind = keep.split("-", 1)[0]
    files = sorted(
        (
            p
            for p in where.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.name.split("-", 1)[0] == kind
        ),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in files[KEEP_FILES:]:
        if old.name != keep:
            old.unlink(missing_ok=True)
