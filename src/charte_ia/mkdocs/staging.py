"""A build that fails leaves the previous site/ exactly as it was.

`mkdocs build` empties site/ before it writes the first page, so a build that stops halfway
(bad data found late, a file the system refuses, a strict warning, a crash) would leave no site,
or half of one. Instead the build writes into a folder beside site/ (same file system), and only
once MkDocs has finished without error (after its strict check, hence at on_shutdown) is that
folder renamed into place; the old site/ is removed after. A failed build removes its folder
and says so. `mkdocs serve` builds into its own temporary folder: nothing to do there; nor
for a program that calls MkDocs' build() itself (no on_startup, no on_shutdown).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

log = logging.getLogger("mkdocs.charte_ia")

_COMMANDS = ("build", "gh-deploy")
_PART = ".construction-"  # .site.construction-<pid>-<random>: a build under way
_OLD = ".ancien-"


class _State:
    # Set by on_startup, which only the command line calls: a program that calls MkDocs'
    # build() itself gets no on_shutdown either, so its build writes straight into site_dir.
    command: str | None = None
    dirty = False
    config: MkDocsConfig | None = None
    target: Path | None = None
    staging: Path | None = None
    built = False


def on_startup(command: str, dirty: bool) -> None:
    _State.command, _State.dirty = command, dirty


def stage(config: MkDocsConfig) -> None:
    """Point the build at a new folder beside site/ (on_config, once the data has loaded)."""
    if _State.command not in _COMMANDS:
        return
    discard()  # a previous build of this process that ended without on_shutdown
    target = Path(config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{_PART}{os.getpid()}-", dir=target.parent))
    # mkdtemp makes a private folder: give it the mode site/ has (or would have), for the web server.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, target.stat().st_mode & 0o7777 if target.is_dir() else 0o777 & ~umask)
    if _State.dirty and target.is_dir():  # `--dirty`: start from what is there
        shutil.copytree(target, staging, symlinks=True, dirs_exist_ok=True)
    _State.config, _State.target, _State.staging, _State.built = config, target, staging, False
    config.site_dir = str(staging)


def built() -> None:
    """MkDocs has written everything (on_post_build); its strict check comes after."""
    _State.built = _State.staging is not None


def failed(error: BaseException) -> None:
    """on_build_error: the new folder goes, site/ stays as it was."""
    if _State.staging is None:
        return
    target = _State.target
    discard()
    log.error(
        "La construction a échoué (%s) : le site précédent, dans %s, n’a pas été modifié.",
        _describe(error),
        target,
    )


def publish() -> None:
    """on_shutdown: put the new site in place of the old one, if the build succeeded."""
    staging, target = _State.staging, _State.target
    if staging is None or target is None:
        return
    if not _State.built:  # stopped without on_build_error (an extension's sys.exit)
        discard()
        log.error("La construction s’est arrêtée avant la fin : le site précédent, dans %s, n’a pas été modifié.", target)
        return
    old = target.with_name(f".{target.name}{_OLD}{os.getpid()}")
    try:
        if target.exists() or target.is_symlink():
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except OSError:
            if old.exists():
                os.replace(old, target)
            raise
    except OSError as exc:
        discard()
        raise Abort(
            f"Impossible de mettre le nouveau site à la place de {target} ({exc.strerror}) : "
            "l’ancien site est resté tel quel."
        ) from None
    _restore_config()
    _State.staging = None
    shutil.rmtree(old, ignore_errors=True)


def discard() -> None:
    if _State.staging is not None:
        shutil.rmtree(_State.staging, ignore_errors=True)
    _restore_config()
    _State.staging, _State.built = None, False


def _restore_config() -> None:
    # `gh-deploy` reads config.site_dir after the build: it must name site/ again.
    if _State.config is not None and _State.target is not None:
        _State.config.site_dir = str(_State.target)


def _remove_abandoned(target: Path) -> None:
    """Folders left by a build that was killed (its process is gone)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}(?:{_PART}|{_OLD})(\d+)")
    for path in target.parent.glob(f".{target.name}.*"):
        match = pattern.match(path.name)
        if match and path.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 300 else text[:299] + "…"
    return f"{type(error).__name__} : {text}" if text else type(error).__name__
