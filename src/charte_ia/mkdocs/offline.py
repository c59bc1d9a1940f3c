"""The offline site as a zip, made from the hosted build's own output; build dates that never
come from the clock.

With OFFLINE_ZIP=true (`make build`, hence the Pages workflow) the build, once it has written
every page and document (hooks.py, on_post_build, after the search plugin has written its
index), streams the files of site/ one at a time into telechargements/charte-ia-hors-ligne.zip,
each as render/offline.py makes it work from file:// (a folder's address names its index.html;
the search index as a script; the footer's link to the zip left out), with the builder's
library compiled for those addresses by the documents' process. No second build: at 1,000
organisations `make build` went from 107–228 s to 81–88 s and from 58–68 to 48 s of CPU, the
zip step 12 s of CPU, most of it deflating (bench/README.md).

The footer gives the zip's size (overrides/partials/copyright.html), known only once the pages
that go into the zip are written: each page is written with a slot of fixed width where the
size goes, its byte offset noted, and the size is written into that slot afterwards, a few bytes
a page, the rest of the page untouched (its padding is blank, which HTML does not show).

`python -m charte_ia.mkdocs.offline` (`make offline`) runs that build into a temporary folder,
keeps the zip in dist/ and unpacks it into site-offline/. A plain `mkdocs build` or `mkdocs
serve` makes no zip and shows no link.

Bytes are reproducible: entries sorted, fixed timestamps and permissions, fixed compression.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from charte_ia.render import offline as transform
from charte_ia.render.pages import CHARTERS_INDEX
from charte_ia.render.zips import Entry, deflated, stored, write_zip_to

ZIP_NAME = "charte-ia-hors-ligne.zip"
ZIP_URI = f"telechargements/{ZIP_NAME}"
ZIP_ROOT = "charte-ia-hors-ligne"  # the one folder at the top of the zip
# The date docx.build_date() falls back to (2000-01-01), so that all dates agree.
DEFAULT_SOURCE_DATE_EPOCH = "946684800"
# Not in the zip: the 404 page and the sitemap work only from a server, source maps are for developers.
_LEFT_OUT_NAMES = {"404.html", "sitemap.xml", "sitemap.xml.gz"}
_LEFT_OUT_SUFFIXES = (".map",)
# From file:// Material's search reads search/search_index.js (the index as a script, made
# here from the .json), never the .json. Its worker loads the stemmer support and the packs of
# the site's languages only (mkdocs.yml `search.lang`, French): the other packs, the Japanese
# segmenter and the Thai word cutter (677 KB) are never loaded.
_LUNR = "assets/javascripts/lunr/"
_LUNR_KEPT = {f"{_LUNR}min/lunr.stemmer.support.min.js", f"{_LUNR}min/lunr.fr.min.js"}
_SEARCH_INDEX = "search/search_index.json"
_SEARCH_SCRIPT = "search/search_index.js"
BUILDER_LIBRARY = "assets/builder/library.js"  # mkdocs/builder.py ASSETS
_LEFT_OUT_PATHS = {ZIP_URI}
# Already compressed (Word and OpenDocument files are zips, a PDF's streams are deflated):
# stored as they are, not deflated a second time for a few bytes.
_STORED_SUFFIXES = (".docx", ".odt", ".pdf", ".zip", ".gz", ".png", ".jpg", ".woff2")
# Where the footer's size goes in every hosted page (offline_zip.size): letters that the
# typography pass leaves alone, as wide as the widest size the footer can give.
SIZE_SLOT = "(zip, TailleDeLArchive)" + " " * 4
_SLOT_BYTES = SIZE_SLOT.encode("utf-8")

README = """\
Charte IA, hors ligne
=====================

Ouvrez le fichier index.html de ce dossier dans votre navigateur (double-clic).
Le site fonctionne sans connexion : pages, recherche et téléchargements
(dossier telechargements/).

Ceci n’est pas un avis juridique. Contenus sous licence CC BY 4.0 ; code sous licence MIT.
"""

_state: dict[str, object] = {"command": "build"}
# The pages of this build written with the size's slot: (path, byte offset of the slot).
_slots: list[tuple[str, int]] = []


# --- MkDocs adapter (called from hooks.py) ---------------------------------------------------


def on_startup(command: str) -> None:
    _state["command"] = command
    ensure_source_date_epoch()


def makes_zip(config: MkDocsConfig) -> bool:
    """Whether this build makes the offline site's zip (`make build`, the Pages workflow)."""
    return _state["command"] != "serve" and os.environ.get("OFFLINE_ZIP", "").lower() == "true"


def on_files(config: MkDocsConfig) -> None:
    """Before any page is written: the footer's link, its size left as a slot."""
    ensure_source_date_epoch()
    _slots.clear()
    if makes_zip(config):
        config.extra["offline_zip"] = {"url": ZIP_URI, "size": SIZE_SLOT}


def note_written(output: str, path: str) -> None:
    """A page about to be written to `path` (hooks.py, on_post_page and on_post_template):
    where its size slot is, in the bytes MkDocs writes."""
    at = output.find(SIZE_SLOT)
    while at >= 0:
        _slots.append((path, len(output[:at].encode("utf-8", errors="xmlcharrefreplace"))))
        at = output.find(SIZE_SLOT, at + len(SIZE_SLOT))


def on_post_build(config: MkDocsConfig, offline_library: Path | None) -> None:
    """Every page and document written (documents_ready has run): the zip, then its size in
    each page's footer. `offline_library`: the builder's library compiled for the offline
    addresses (builder.offline_library)."""
    site_dir = Path(config.site_dir)
    size = zip_site(site_dir, site_dir / ZIP_URI, offline_library)
    fill_size(human_size(size))


def fill_size(size: str) -> None:
    """The zip's size into the slot of every page that has one, in place."""
    text = f"(zip, {size})".encode()
    if len(text) > len(_SLOT_BYTES):
        raise PluginError(f"Taille du zip hors ligne trop longue pour le pied de page : {size}")
    text = text.ljust(len(_SLOT_BYTES))
    for path, offset in _slots:
        fd = os.open(path, os.O_RDWR)
        try:
            if os.pread(fd, len(_SLOT_BYTES), offset) != _SLOT_BYTES:
                raise PluginError(f"{path} : l’emplacement de la taille du zip hors ligne a bougé")
            os.pwrite(fd, text, offset)
        finally:
            os.close(fd)
    _slots.clear()


def on_build_error() -> None:
    _slots.clear()


# --- Build dates -----------------------------------------------------------------------------


def ensure_source_date_epoch() -> None:
    """MkDocs dates pages (sitemap <lastmod>, sitemap.xml.gz) from SOURCE_DATE_EPOCH, else the
    clock. Make and CI set it from the last commit; anywhere else, fall back to a fixed date."""
    if not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = DEFAULT_SOURCE_DATE_EPOCH


# --- The zip ---------------------------------------------------------------------------------


def _included(rel: str) -> bool:
    if rel.startswith(_LUNR) and rel not in _LUNR_KEPT:
        return False
    name = rel.rsplit("/", 1)[-1]
    return rel not in _LEFT_OUT_PATHS and name not in _LEFT_OUT_NAMES and not name.endswith(_LEFT_OUT_SUFFIXES)


def _entries(site_dir: Path, offline_library: Path | None) -> Iterator[Entry]:
    """The offline site's files under one folder, in name order, each read, made to work from
    file:// and compressed one at a time."""
    files: dict[str, str | None] = {"LISEZMOI.txt": None}  # None: the README
    for folder, _, names in os.walk(site_dir):
        prefix = os.path.relpath(folder, site_dir).replace(os.sep, "/") + "/"
        for name in names:
            rel = name if prefix == "./" else prefix + name
            if _included(rel):
                files[_SEARCH_SCRIPT if rel == _SEARCH_INDEX else rel] = os.path.join(folder, name)
    if BUILDER_LIBRARY in files and offline_library is not None:
        files[BUILDER_LIBRARY] = str(offline_library)
    for rel in sorted(files):
        path = files[rel]
        if path is None:
            data = README.encode("utf-8")
        else:
            with open(path, "rb") as f:
                data = f.read()
        if rel.endswith(".html"):
            try:
                data = transform.offline_html(data.decode("utf-8")).encode("utf-8")
            except ValueError as exc:
                raise PluginError(f"Zip hors ligne : {rel} ne se lit pas ({exc})") from None
        elif rel == _SEARCH_SCRIPT:
            data = transform.offline_search_index(data.decode("utf-8")).encode("utf-8")
        elif rel == CHARTERS_INDEX:
            data = transform.offline_charters_index(data.decode("utf-8")).encode("utf-8")
        name = f"{ZIP_ROOT}/{rel}"
        yield stored(name, data) if rel.endswith(_STORED_SUFFIXES) else deflated(name, data)


def zip_site(site_dir: Path, target: Path, offline_library: Path | None = None) -> int:
    """The hosted site in `site_dir` as the offline site, with a LISEZMOI.txt, into `target`;
    same files, same bytes. Returns the zip's size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_zip_to(out, _entries(site_dir, offline_library))
    return target.stat().st_size


def human_size(size: int) -> str:
    """1234567 -> '1,2 Mo' (French units, non-breaking space)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))}\u00a0ko"
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0Mo"


# --- `make offline` --------------------------------------------------------------------------

ENGINES = ("mkdocs", "properdocs")  # ProperDocs: the maintained fork of MkDocs 1.x


def build_zip(config_file: Path, target: Path, engine_name: str = "mkdocs") -> None:
    """`<engine> build --strict` of the hosted site with its zip (no SITE_URL: nothing of the
    host goes into the zip anyway) into a temporary folder; the zip kept as `target`."""
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    env.update(OFFLINE_ZIP="true", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="charte-ia-offline-") as tmp:
        site = Path(tmp) / "site"
        proc = subprocess.run(
            [sys.executable, "-m", engine_name, "build", "--strict", "-f", str(config_file), "-d", str(site)],
            cwd=config_file.parent,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise PluginError(f"La construction a échoué :\n{proc.stdout}{proc.stderr}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(site / ZIP_URI, target)


def unpack(archive: Path, folder: Path) -> None:
    """The zip's site into `folder` (emptied first), without the zip's top folder."""
    if folder.exists():
        shutil.rmtree(folder)
    prefix = ZIP_ROOT + "/"
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            rel = info.filename.removeprefix(prefix)
            if info.is_dir() or rel == info.filename or ".." in rel.split("/"):
                continue
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(zipped.read(info))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m charte_ia.mkdocs.offline",
        description="Construit le site, son archive hors ligne (zip) et la décompresse pour l’ouvrir en file://.",
    )
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="défaut : mkdocs.yml")
    parser.add_argument("--site", type=Path, default=Path("site-offline"), help="défaut : site-offline")
    parser.add_argument("--zip", type=Path, default=Path("dist") / ZIP_NAME, help=f"défaut : dist/{ZIP_NAME}")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs", help="défaut : mkdocs")
    args = parser.parse_args(argv)
    ensure_source_date_epoch()
    try:
        build_zip(args.config.resolve(), args.zip.resolve(), args.engine)
    except PluginError as exc:
        print(exc, file=sys.stderr)
        return 1
    unpack(args.zip, args.site)
    print(f"Site hors ligne : {args.site}/index.html\nArchive : {args.zip} ({args.zip.stat().st_size} octets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
