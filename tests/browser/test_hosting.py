"""What the builds hold for hosting and offline use, read from the files (no browser needed):
page metadata, sitemap, 404 page, the Pages workflow, the vendored shim, the offline zip."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from charte_ia.mkdocs import offline

from .conftest import ROOT, root_conftest

SHIM = ROOT / "docs" / "assets" / "vendor" / "iframe-worker" / "shim.js"
SHIM_VERSION = "1.0.4"


class Head(HTMLParser):
    """<title>, <meta> and every resource a page asks the browser to load."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}  # rel -> href
        self.resources: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links[a.get("rel", "")] = a.get("href", "")
            if a.get("rel") in ("stylesheet", "preload", "icon", "manifest", "modulepreload"):
                self.resources.append(a.get("href", ""))
        elif tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.resources.append(a["src"])

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


REMOTE = re.compile(r"^(https?:)?//", re.I)
CSS_REMOTE = re.compile(r"(url\(\s*['\"]?\s*(https?:)?//|@import\s+['\"]?(https?:)?//)", re.I)


def assert_nothing_remote(site: Path) -> None:
    """No page loads a script, style, font or image from another host."""
    remote = [f"{p.relative_to(site)}: {r}" for p in html_pages(site) for r in head(p).resources if REMOTE.match(r)]
    for css in site.rglob("*.css"):
        if CSS_REMOTE.search(css.read_text(encoding="utf-8")):
            remote.append(f"{css.relative_to(site)}: url() ou @import distant")
    assert not remote, "\n".join(remote)


# --- Hosted build (SITE_URL not set) ----------------------------------------------------------


def test_every_page_has_title_description_and_open_graph(built_site):
    titles = {}
    for page in html_pages(built_site.site):
        h = head(page)
        name = page.relative_to(built_site.site).as_posix()
        assert h.title.strip() and h.title.strip().endswith("Charte IA"), name
        for key in ("description", "og:title", "og:description"):
            assert h.meta.get(key, "").strip(), f"{name}: {key} manque"
        assert h.meta["og:locale"] == "fr_FR" and h.meta["og:type"] == "website", name
        assert "og:url" not in h.meta and "canonical" not in h.links, f"{name}: URL absolue sans SITE_URL"
        titles[name] = h.title
    assert len(set(titles.values())) == len(titles), "deux pages ont le même titre"
    assert "chartes/agence-pixel-et-plume/index.html" in titles


def test_french_404_page(built_site):
    page = built_site.site / "404.html"
    h = head(page)
    assert h.title.startswith("Page introuvable")
    assert h.meta["robots"] == "noindex"
    html = page.read_text(encoding="utf-8")
    assert "Page introuvable (erreur 404)" in html and 'href="/"' in html
    assert 'href="//"' not in html  # protocol-relative: it would leave the site


def test_no_sitemap_without_site_url(built_site):
    """A sitemap lists absolute URLs: without SITE_URL there is none (rather than an empty one)."""
    assert not (built_site.site / "sitemap.xml").exists()
    assert not (built_site.site / "sitemap.xml.gz").exists()


def test_hosted_build_loads_nothing_from_another_host(built_site):
    assert_nothing_remote(built_site.site)
    for page in html_pages(built_site.site):
        assert "unpkg.com" not in page.read_text(encoding="utf-8"), page


def test_footer_links_the_offline_zip(built_site):
    zip_path = built_site.site / offline.ZIP_URI
    assert zip_path.stat().st_size > 100_000
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert f'href="{offline.ZIP_URI}" download' in home
    charter = (built_site.site / "chartes" / "modele" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{offline.ZIP_URI}"' in charter


# --- Hosted build with SITE_URL, as the Pages workflow makes it -----------------------------


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory):
    helpers = root_conftest()
    root = helpers.copy_project(tmp_path_factory.mktemp("with-url") / "project")
    env = {"SITE_URL": "https://example.org/charte-ia", "SOURCE_DATE_EPOCH": "1700000000", "OFFLINE_ZIP": "false"}
    result = helpers.build(root, env=env)
    assert result.returncode == 0, result.output
    return result


def test_site_url_gives_og_url_canonical_and_sitemap(site_with_url):
    site = site_with_url.site
    base = "https://example.org/charte-ia/"  # MkDocs adds the final slash
    for page in html_pages(site):
        if page.name == "404.html":
            continue
        h = head(page)
        url = base + page.relative_to(site).as_posix().removesuffix("index.html")
        assert h.meta["og:url"] == url == h.links["canonical"], page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert base in locs and base + "chartes/agence-pixel-et-plume/" in locs and base + "chiffres/" in locs
    assert all(loc.startswith(base) for loc in locs)
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2023-11-14"}  # SOURCE_DATE_EPOCH
    with gzip.open(site / "sitemap.xml.gz") as gz:
        assert gz.read().decode("utf-8") == sitemap
    # The 404 page is served at any depth: its links are absolute, under the site's path.
    page404 = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/charte-ia/assets/' in page404 and 'href="/charte-ia/"' in page404


def test_pages_workflow_builds_strictly_and_deploys_on_main():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert trigger["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if "make build" in s.get("run", ""))
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert build["env"]["OFFLINE_ZIP"] == "true"
    assert build["env"]["PDF_DOWNLOADS"] == "true"  # the PDFs, as make build makes them
    # make build makes them wherever Pango is installed (and says what to install where it is not).
    assert re.search(r"^PDF_DOWNLOADS \?= \$\(PANGO\)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert "SOURCE_DATE_EPOCH" in build["run"]
    assert any(s.get("id") == "pages" and s["uses"].startswith("actions/configure-pages@") for s in steps)
    deploy = workflow["jobs"]["deploy"]["steps"]
    assert any(s["uses"].startswith("actions/deploy-pages@") for s in deploy)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    # `make build` ships the offline zip (a plain `mkdocs build` does not).
    assert re.search(
        r"^OFFLINE_ZIP \?= true\nbuild:.*\n(?:\t@.*\n)?\tOFFLINE_ZIP=\$\(OFFLINE_ZIP\) PDF_DOWNLOADS=\$\(PDF_DOWNLOADS\) \$\(MKDOCS\) build --strict",
        makefile,
        re.M,
    )


# --- Vendored shim and the offline zip ---------------------------------------------------------


def test_vendored_shim_matches_its_provenance():
    digest = hashlib.sha256(SHIM.read_bytes()).hexdigest()
    provenance = (SHIM.parent / "PROVENANCE.txt").read_text(encoding="utf-8")
    assert f"SHA-256:    {digest}  shim.js" in provenance
    assert f"iframe-worker {SHIM_VERSION}" in provenance
    assert "Permission is hereby granted" in (SHIM.parent / "LICENSE.txt").read_text(encoding="utf-8")
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["iframe-worker"] == SHIM_VERSION
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- assets/vendor/iframe-worker/shim.js" in config
    installed = ROOT / "node_modules" / "iframe-worker"
    if installed.exists():  # after `npm ci`: the copy is the package's file, byte for byte
        assert json.loads((installed / "package.json").read_text())["version"] == SHIM_VERSION
        assert (installed / "shim" / "index.js").read_bytes() == SHIM.read_bytes()


@pytest.fixture(scope="module")
def zip_entries(offline_zip) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(offline_zip) as archive:
        return {info.filename: info for info in archive.infolist()}


def test_offline_zip_holds_the_site(zip_entries):
    names = list(zip_entries)
    assert names == sorted(names)
    assert all(name.startswith(offline.ZIP_ROOT + "/") for name in names)
    rel = {name.removeprefix(offline.ZIP_ROOT + "/") for name in names}
    for expected in (
        "index.html",
        "LISEZMOI.txt",
        "chiffres/index.html",
        "chartes/agence-pixel-et-plume/index.html",
        "chartes/modele/index.html",
        "search/search_index.js",
        "assets/vendor/iframe-worker/shim.js",
        "assets/vendor/iframe-worker/LICENSE.txt",
        "telechargements/charte-ia-modele-vierge.docx",
        "telechargements/charte-ia-modele-vierge.md",
    ):
        assert expected in rel, expected
    assert not any(r.endswith(".map") or r in ("404.html", "sitemap.xml") for r in rel)
    # Only what the French site loads from file://: one search index (the script), the French
    # lunr pack and its stemmer support, none of the other languages' packs.
    assert "search/search_index.json" not in rel
    lunr = sorted(r for r in rel if r.startswith("assets/javascripts/lunr/"))
    assert lunr == [
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ], lunr
    assert offline.ZIP_NAME not in " ".join(rel)  # the zip does not hold itself
    assert {info.date_time for info in zip_entries.values()} == {(1980, 1, 1, 0, 0, 0)}


def test_offline_site_loads_nothing_from_another_host(offline_site):
    site = offline_site.root
    assert_nothing_remote(site)
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and offline.ZIP_NAME not in text, page
        assert '<script src="' in text and "assets/vendor/iframe-worker/shim.js" in text, page


def test_make_offline_writes_the_same_zip(built_site, offline_zip, tmp_path):
    """`make offline` (python -m charte_ia.mkdocs.offline) and the hosted build's download agree."""
    target = tmp_path / "dist" / offline.ZIP_NAME
    proc = subprocess.run(
        [
            sys.executable, "-m", "charte_ia.mkdocs.offline",
            "--config", str(built_site.root / "mkdocs.yml"),
            "--site", str(tmp_path / "site-offline"),
            "--zip", str(target),
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PDF_DOWNLOADS": root_conftest().PDF_DOWNLOADS},  # as the hosted build and `make offline`
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site-offline" / "index.html").exists()
    # Compared entry by entry: a plain bytes comparison of two zips sends pytest into a diff of
    # megabytes that outlasts the suite.
    assert _zip_digests(target) == _zip_digests(offline_zip)
    same_bytes = hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(offline_zip.read_bytes()).digest()
    assert same_bytes, "mêmes fichiers, mais les octets des deux zips diffèrent"


def _zip_digests(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: hashlib.sha256(archive.read(info)).hexdigest() for info in archive.infolist()}
