"""The offline site as a zip, and build dates that never come from the clock.

`python -m charte_ia.mkdocs.offline` (what `make offline` runs) builds the site with Material's offline
plugin (OFFLINE=true in mkdocs.yml) into site-offline/ and writes dist/charte-ia-hors-ligne.zip.

The hosted build can ship the same zip: with OFFLINE_ZIP=true (`make build`, hence the Pages
workflow) hooks.py calls `on_files`, which runs the offline build in a subprocess into a temporary
folder and adds the zip to the site as telechargements/charte-ia-hors-ligne.zip; the footer links
to it (overrides/partials/copyright.html, via `config.extra.offline_zip`). A plain `mkdocs build`
or `mkdocs serve` skips it: it is a second whole build of the site (measured at 45 %
of a build's time at 1,000 organisations), so only the build that is deployed pays for it.

Bytes are reproducible: entries sorted, fixed timestamps and permissions, fixed compression.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from charte_ia.mkdocs import site as charte_site
from charte_ia.render.zips import write_zip_to

ZIP_NAME = "charte-ia-hors-ligne.zip"
ZIP_URI = f"telechargements/{ZIP_NAME}"
ZIP_ROOT = "charte-ia-hors-ligne"  # the one folder at the top of the zip
# The date docx.build_date() falls back to (2000-01-01), so that all dates agree.
DEFAULT_SOURCE_DATE_EPOCH = "946684800"
# Not in the zip: the 404 page works only from a server root, source maps are for developers.
_LEFT_OUT_NAMES = {"404.html", "sitemap.xml", "sitemap.xml.gz"}
_LEFT_OUT_SUFFIXES = (".map",)
# From file:// Material's search reads search/search_index.js (the offline plugin's copy of the
# index as a script), never the .json. Its worker loads the stemmer support and the packs of
# the site's languages only (mkdocs.yml `search.lang`, French): the other packs, the Japanese
# segmenter and the Thai word cutter (677 KB) are never loaded.
_LUNR = "assets/javascripts/lunr/"
_LUNR_KEPT = {f"{_LUNR}min/lunr.stemmer.support.min.js", f"{_LUNR}min/lunr.fr.min.js"}
_LEFT_OUT_PATHS = {"search/search_index.json"}

README = """\
Charte IA, hors ligne
=====================

Ouvrez le fichier index.html de ce dossier dans votre navigateur (double-clic).
Le site fonctionne sans connexion : pages, recherche et téléchargements
(dossier telechargements/).

Ceci n’est pas un avis juridique. Contenus sous licence CC BY 4.0 ; code sous licence MIT.
"""

_state = {"command": "build"}


# --- MkDocs adapter (called from hooks.py) ---------------------------------------------------


def on_startup(command: str) -> None:
    _state["command"] = command
    ensure_source_date_epoch()


def is_offline(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def makes_zip(config: MkDocsConfig) -> bool:
    """Whether this build makes the offline site's zip (`make build`, the Pages workflow)."""
    return not is_offline(config) and _state["command"] != "serve" and os.environ.get("OFFLINE_ZIP", "").lower() == "true"


def on_files(files: Files, config: MkDocsConfig) -> None:
    ensure_source_date_epoch()
    if not makes_zip(config):
        return
    # The offline build copies the documents this build renders (on the second core): they
    # must all be written before it looks for them, or it would render some again, or copy
    # one half-written.
    charte_site.documents_ready()
    with tempfile.TemporaryDirectory(prefix="charte-ia-offline-") as tmp:
        site = Path(tmp) / "site"
        build_offline(Path(config.config_file_path), site, charte_site.downloads_folder())
        target = charte_site.store_path(ZIP_URI)
        size = zip_site(site, target)
    files.append(charte_site.DownloadFile.generated(config, ZIP_URI, abs_src_path=str(target)))  # moved, not copied
    config.extra["offline_zip"] = {"url": ZIP_URI, "size": human_size(size)}


# --- Build dates -----------------------------------------------------------------------------


def ensure_source_date_epoch() -> None:
    """MkDocs dates pages (sitemap <lastmod>, sitemap.xml.gz) from SOURCE_DATE_EPOCH, else the
    clock. Make and CI set it from the last commit; anywhere else, fall back to a fixed date."""
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = DEFAULT_SOURCE_DATE_EPOCH


# --- Offline build and zip -------------------------------------------------------------------


ENGINES = ("mkdocs", "properdocs")


def engine() -> str:
    """The engine running this build: `mkdocs`, or `properdocs`, the maintained fork, which
    answers to `import mkdocs` (it puts itself in sys.modules under that name)."""
    name = getattr(sys.modules.get("mkdocs"), "__name__", "mkdocs")
    return name if name in ENGINES else "mkdocs"


def build_offline(
    config_file: Path, site_dir: Path, prebuilt: Path | None = None, engine_name: str | None = None
) -> None:
    """`<engine> build --strict` with the offline plugin on, into site_dir (no site_url), under
    the engine of the calling build; `prebuilt`: the documents that build has rendered already."""
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(OFFLINE="true", NO_MKDOCS_2_WARNING="1")
    if prebuilt is not None:
        env[charte_site.PREBUILT_DOWNLOADS_ENV] = str(prebuilt)
    proc = subprocess.run(
        [sys.executable, "-m", engine_name or engine(), "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise PluginError(f"La construction hors ligne a échoué :\n{proc.stdout}{proc.stderr}")


def _included(rel: Path) -> bool:
    path = rel.as_posix()
    if path.startswith(_LUNR) and path not in _LUNR_KEPT:
        return False
    return path not in _LEFT_OUT_PATHS and rel.name not in _LEFT_OUT_NAMES and not rel.name.endswith(_LEFT_OUT_SUFFIXES)


def zip_site(site_dir: Path, target: Path) -> int:
    """The offline site under one folder, with a LISEZMOI.txt, into `target`; same files, same
    bytes. Files are read one at a time as they are written. Returns the zip's size."""
    files: dict[str, Path | None] = {f"{ZIP_ROOT}/LISEZMOI.txt": None}  # None: the README
    for path in site_dir.rglob("*"):
        rel = path.relative_to(site_dir)
        if path.is_file() and _included(rel):
            files[f"{ZIP_ROOT}/{rel.as_posix()}"] = path
    entries = ((name, path.read_bytes() if path else README.encode("utf-8")) for name, path in sorted(files.items()))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_zip_to(out, entries)
    return target.stat().st_size


def human_size(size: int) -> str:
    """1234567 -> '1,2 Mo' (French units, non-breaking space)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))}\u00a0ko"
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0Mo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m charte_ia.mkdocs.offline",
        description="Construit le site hors ligne (plugin offline de Material) et son archive zip.",
    )
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="défaut : mkdocs.yml")
    parser.add_argument("--site", type=Path, default=Path("site-offline"), help="défaut : site-offline")
    parser.add_argument("--zip", type=Path, default=Path("dist") / ZIP_NAME, help=f"défaut : dist/{ZIP_NAME}")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs", help="défaut : mkdocs")
    args = parser.parse_args(argv)
    ensure_source_date_epoch()
    try:
        build_offline(args.config.resolve(), args.site.resolve(), engine_name=args.engine)
    except PluginError as exc:
        print(exc, file=sys.stderr)
        return 1
    size = zip_site(args.site, args.zip)
    print(f"Site hors ligne : {args.site}/index.html\nArchive : {args.zip} ({size} octets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
