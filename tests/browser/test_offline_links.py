"""Every local address of the offline zip names a file of the zip (file:// answers a folder with
a listing, never its index.html), read with the standard library's HTML parser, independent of
the pass that wrote them (render/offline.py): pages' href and src with their anchors, the search
index's locations, the index of charters' addresses, the builder's preview links."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from charte_ia.mkdocs import offline
from charte_ia.render import offline as transform
from charte_ia.render.pages import CHARTERS_INDEX


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.hosted_only = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == transform.HOSTED_ONLY:
                self.hosted_only += 1
            elif name == "rel" and value == "canonical":
                self.hosted_only += 1


def _parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


class Tree:
    """A built site's files, each page parsed once."""

    def __init__(self, root: Path):
        self.root = root
        self.pages = {p.relative_to(root).as_posix(): _parsed(p) for p in sorted(root.rglob("*.html"))}

    def broken(self, url: str, here: str) -> str | None:
        """Why `url`, written in the file `here` (relative to the root), does not resolve to a
        file of the tree (and to an element of it, with an anchor), or None."""
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            return None  # another host (links out) or data:, blob:, mailto:
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path)) if path else here
        if target.startswith("../"):
            return f"{url} sort du site"
        if not (self.root / target).is_file():
            return f"{url} -> {target} n’est pas un fichier"
        if parts.fragment and target.endswith(".html"):
            if unquote(parts.fragment) not in self.pages[target].ids:
                return f"{url} -> #{parts.fragment} absent de {target}"
        return None

    def broken_links(self) -> list[str]:
        return [
            f"{page}: {why}"
            for page, parsed in self.pages.items()
            for url in parsed.links
            if (why := self.broken(url, page)) is not None
        ]


@pytest.fixture(scope="module")
def tree(offline_site) -> Tree:
    return Tree(offline_site.root)


def test_every_local_link_of_every_offline_page_names_a_file(tree) -> None:
    assert len(tree.pages) > 30 and sum(len(p.links) for p in tree.pages.values()) > 2_000
    broken = tree.broken_links()
    assert not broken, "\n".join(broken[:40])


def test_the_check_fails_on_the_hosted_site(built_site) -> None:
    """The same check over the hosted site, whose links name folders: it must fail there."""
    hosted = Tree(built_site.site)
    broken = hosted.broken_links()
    assert any("chiffres/ -> chiffres n’est pas un fichier" in why for why in broken), broken[:5]


def test_offline_pages_hold_nothing_only_the_host_has_use_for(tree) -> None:
    assert not [page for page, parsed in tree.pages.items() if parsed.hosted_only], "data-hosted-only ou canonical"


def test_search_index_locations_name_files(tree) -> None:
    script = (tree.root / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    docs = json.loads(script.removeprefix("var __index = "))["docs"]
    assert len(docs) > 100
    broken = [why for doc in docs if (why := tree.broken(doc["location"], "index.html")) is not None]
    assert not broken, broken[:20]
    assert {doc["location"] for doc in docs} >= {"index.html", "chiffres/index.html", "chartes/modele/index.html"}


def test_index_of_charters_addresses_name_files(tree) -> None:
    index = json.loads((tree.root / CHARTERS_INDEX).read_text(encoding="utf-8"))
    addresses = [value for item in index["charters"] for key, value in item.items() if isinstance(value, str) and "/" in value]
    assert len(addresses) > 20
    broken = [why for url in addresses if (why := tree.broken(url, "index.html")) is not None]
    assert not broken, broken[:20]


def test_builder_preview_links_name_files(tree, built_site) -> None:
    """The zip's builder library is the one compiled for the offline addresses, and its
    preview's links, from the builder's page, name files too."""
    from charte_ia.builder.compile import compile_library
    from charte_ia.data.loader import load_project
    from charte_ia.mkdocs import site
    from charte_ia.mkdocs.builder import library_script

    project = load_project(built_site.root / "data")
    shipped = (tree.root / offline.BUILDER_LIBRARY).read_text(encoding="utf-8")
    assert shipped == library_script(project, site.OFFLINE_LIBRARY)
    assert shipped != (built_site.site / offline.BUILDER_LIBRARY).read_text(encoding="utf-8")

    def strings(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        return [s for value in values for s in strings(value)]

    # Fragments of markup, a tag's attributes sometimes cut by a value to fill in: read as text.
    lib = compile_library(project, for_files=True)
    links = [u for text in strings(lib) for u in re.findall(r'(?:href|src)="([^"]*)"', text)]
    links = [u for u in links if not u.startswith("#")]  # the preview's own headings, once shown
    assert len(links) > 50
    broken = [why for url in links if (why := tree.broken(url, "chartes/creer/index.html")) is not None]
    assert not broken, broken[:20]
