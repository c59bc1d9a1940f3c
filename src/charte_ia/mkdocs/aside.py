"""`mkdocs serve`: folders to delete are renamed out of the build's way and deleted after it.

Deleting a folder costs a system call per file and per folder, and on a busy disk the rebuild
waited for it: at 1,000 organisations, MkDocs' own emptying of the served site (2,000 folders)
took 4.7 s of an edit's 8 s, and the replaced charters' folders of a library edit 40 s. A rename
into a hidden folder beside them is one call each; a thread deletes them once the build is done.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import threading
from pathlib import Path

BIN = ".charte-ia-corbeille"  # hidden: MkDocs' emptying of site/ skips names starting with a dot

_counter = itertools.count()
_pending: list[Path] = []
_lock = threading.Lock()
_threads: list[threading.Thread] = []


def put_aside(path: Path) -> None:
    """Move `path` into the bin of its folder (same file system, so a rename), to be deleted by
    `delete_later`; deleted at once where it cannot be renamed."""
    if not path.exists() and not path.is_symlink():
        return
    bin_folder = path.parent / BIN
    target = bin_folder / f"{os.getpid()}-{next(_counter)}"
    try:
        bin_folder.mkdir(exist_ok=True)
        os.replace(path, target)
    except OSError:
        _remove(path)
        return
    with _lock:
        _pending.append(target)


def empty_folder(folder: Path) -> None:
    """Put aside everything in `folder` that MkDocs would delete before it builds (its
    `clean_directory`: every name not starting with a dot)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.startswith("."):
            put_aside(folder / name)


def delete_later() -> None:
    """Delete, on a thread of its own, what was put aside so far (after a build)."""
    with _lock:
        batch = list(_pending)
        _pending.clear()
    if not batch:
        return
    thread = threading.Thread(target=_delete, args=(batch,), name="charte-ia-corbeille", daemon=True)
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()


def wait() -> None:
    """Until every deletion started is finished (tests, and the end of the process)."""
    for thread in list(_threads):
        thread.join()


def _delete(batch: list[Path]) -> None:
    for path in batch:
        _remove(path)
        try:
            path.parent.rmdir()  # the bin itself, once empty
        except OSError:
            pass


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def _at_exit() -> None:
    delete_later()
    wait()


atexit.register(_at_exit)
