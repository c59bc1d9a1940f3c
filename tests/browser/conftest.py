"""Browser tests: Debian's Chromium driven by Playwright (Python), never a downloaded browser.

Two sites are tested the same way:
- "hosted": the strict build of the project (tests/conftest.py `built_site`), served by a local
  HTTP server on 127.0.0.1 (a missing path gets the site's 404.html, as on GitHub Pages);
- "offline": the zip that build ships (telechargements/charte-ia-hors-ligne.zip), unpacked and
  opened from file://, as a reader on a train would.

Without Chromium (or axe-core for the accessibility tests) the tests are skipped with a hint,
unless CI is set: then they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import os
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from charte_ia.mkdocs import offline

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Flags that work as root with no network (see the toolchain notes); Playwright adds --headless.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright colour scheme -> Material palette
# Material's search says this until its worker has loaded the index; typing earlier races it.
SEARCH_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta !== null && !meta.textContent.includes('Initialisation');
}"""


def root_conftest():
    """tests/conftest.py as a module (its plain helpers `build` and `copy_project`), loaded by path
    under the same name as tests/site/sitecheck.py loads it."""
    name = "charte_tests_root_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def missing(what: str, hint: str) -> None:
    """Skip with an install hint on a workstation; fail in CI, where everything must run."""
    message = f"{what} : {hint}"
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(message + " (CI est défini : ce test ne peut pas être ignoré)")
    pytest.skip(message)


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing(
            f"Chromium introuvable ({CHROMIUM})",
            "installez-le avec `sudo apt-get install chromium` (ne lancez pas `playwright install`)",
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright (Python) n’est pas installé", "lancez `make setup`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        missing("axe-core introuvable (node_modules/axe-core)", "lancez `npm ci` (ou `make test`, qui le fait)")
    return AXE


# --- Sites ------------------------------------------------------------------------------------


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing path gets 404.html with status 404, as static hosts do."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class Site:
    name: str  # "hosted" or "offline"
    root: Path  # the folder on disk
    base: str  # the URL of that folder, ending in "/"

    def url(self, page: str) -> str:
        """URL of a page by its directory-URL path ("", "chiffres/", "chartes/modele/")."""
        if self.name == "offline" and not page.endswith(".html"):
            page += "index.html"  # file:// shows a folder's listing, not its index.html
        return self.base + page

    def is_local(self, url: str) -> bool:
        return url.startswith(self.base) or urlsplit(url).scheme in ("data", "blob", "about")

    def path_of(self, url: str) -> Path | None:
        """The file a local URL names, or None if the URL is outside the site."""
        if not url.startswith(self.base):
            return None
        rel = unquote(urlsplit(url).path[len(urlsplit(self.base).path) :])
        path = self.root / rel
        if path.is_dir():
            # A server answers a folder with its index.html; file:// shows a listing instead.
            return path / "index.html" if self.name == "hosted" else None
        return path


@contextlib.contextmanager
def served(folder: Path) -> Iterator[Site]:
    """A built site served on 127.0.0.1 as a static host would."""
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Site("hosted", folder, f"http://{host}:{port}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def hosted(built_site) -> Iterator[Site]:
    with served(built_site.site) as site:
        yield site


@pytest.fixture(scope="session")
def offline_zip(built_site, tmp_path_factory) -> Path:
    """The zip the hosted build ships; made here if that build skipped it (OFFLINE_ZIP=false)."""
    shipped = built_site.site / offline.ZIP_URI
    if shipped.exists():
        return shipped
    target = tmp_path_factory.mktemp("offline-build") / offline.ZIP_NAME
    offline.build_zip(built_site.root / "mkdocs.yml", target)
    return target


@pytest.fixture(scope="session")
def offline_site(offline_zip, tmp_path_factory) -> Site:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(folder)
    root = folder / offline.ZIP_ROOT
    return Site("offline", root, root.as_uri() + "/")


@pytest.fixture(scope="session", params=["hosted", "offline"])
def site(request) -> Site:
    """Each test that takes `site` runs on both: the hosted build and the offline zip."""
    return request.getfixturevalue({"hosted": "hosted", "offline": "offline_site"}[request.param])


# --- One browsing session: every request and console error recorded -----------------------------


@dataclass
class Visit:
    site: Site
    context: object
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # requests to another host, aborted
    errors: list[str] = field(default_factory=list)

    def new_page(self):
        page = self.context.new_page()
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        return page

    def open(self, page_path: str, *, page=None):
        page = page or self.new_page()
        page.goto(self.site.url(page_path), wait_until="load")
        return page

    def check_clean(self) -> None:
        outside = sorted({url for url in self.requests if not self.site.is_local(url)} | set(self.foreign))
        assert not outside, "requêtes vers un autre hôte :\n" + "\n".join(outside)
        assert not self.errors, "erreurs dans la console :\n" + "\n".join(self.errors)


@pytest.fixture
def visit_factory(browser):
    contexts = []

    def make(site: Site, color_scheme: str = "light", **options) -> Visit:
        context = browser.new_context(color_scheme=color_scheme, accept_downloads=True, **options)
        visit = Visit(site, context)
        context.on("request", lambda request: visit.requests.append(request.url))

        def route(route) -> None:
            if site.is_local(route.request.url):
                route.continue_()
            else:
                visit.foreign.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        contexts.append(context)
        return visit

    yield make
    for context in contexts:
        context.close()
