"""Helpers for the build tests: read a built site's HTML, check its links, read the data files."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"
NNBSP = "\u202f"


def _root_conftest() -> Any:
    """tests/conftest.py, loaded by path (its helpers `build` and `copy_project`)."""
    spec = importlib.util.spec_from_file_location("charte_tests_root_conftest", ROOT / "tests" / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_conftest = _root_conftest()
build = _conftest.build
copy_project = _conftest.copy_project
PDF_DOWNLOADS = _conftest.PDF_DOWNLOADS  # "true" where the builds of the tests make PDFs


# --- data ----------------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def organisations(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """slug -> organisation data, for every organisation file of the project at `root`."""
    folder = root / "data" / "organizations"
    return {p.stem: read_yaml(p) for p in sorted(folder.iterdir()) if p.suffix in (".yml", ".yaml")}


def figures(root: Path = ROOT) -> list[dict[str, Any]]:
    return read_yaml(root / "data" / "study.yml")["figures"]


def string_leaves(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in string_leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in string_leaves(v)]
    return []


def expected_value(figure: dict[str, Any]) -> str:
    """How the site must print a figure, in French: "4 281", "86 %", "+19 points" (U+00A0)."""
    value = float(figure["value"])
    assert value.is_integer(), "the study's figures are whole numbers"
    number = f"{int(abs(value)):,}".replace(",", NBSP)
    if figure["unit"] == "percent":
        return f"{number}{NBSP}%"
    if figure["unit"] == "points":
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return f"{sign}{number}{NBSP}points"
    return number


# --- text ----------------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Non-breaking spaces as spaces, runs of whitespace as one space."""
    return " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").split())


def strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --- HTML ----------------------------------------------------------------------------------------

SKIP_TEXT = {"script", "style", "pre", "code", "kbd", "samp", "textarea", "svg"}
URL_ATTRS = {"href", "src", "srcset", "poster", "data", "action", "formaction"}


@dataclass
class Page:
    path: Path
    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    texts: list[str] = field(default_factory=list)  # text nodes outside code, scripts, styles
    title: str = ""
    styles: list[str] = field(default_factory=list)  # inline style attributes


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.skip: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = (dict(attrs).get("rel") or "").lower().split()
        if tag == "link" and set(rel) & {"canonical", "alternate", "next", "prev"}:
            tag = "link:" + rel[0]  # a link to a page, not a resource the page loads
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            if name in URL_ATTRS:
                self.page.urls.append((tag, name, value))
            if name == "style":
                self.page.styles.append(value)
        if tag in SKIP_TEXT:
            self.skip.append(tag)
        if tag == "title":
            self.in_title = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skip = list(self.skip)
        self.handle_starttag(tag, attrs)
        self.skip = skip

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TEXT and tag in self.skip:
            del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag)]
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        elif not self.skip:
            self.page.texts.append(data)


def parse(path: Path) -> Page:
    """The parsed page (cached until the file changes)."""
    stat = path.stat()
    return _parse(path, stat.st_mtime_ns, stat.st_size)


@cache
def _parse(path: Path, mtime_ns: int, size: int) -> Page:
    page = Page(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return page


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_file(site: Path, url_path: str) -> Path:
    path = site / url_path
    return path / "index.html" if url_path == "" or url_path.endswith("/") else path


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file an internal URL of `page` points to, and its fragment."""
    parts = urlsplit(url)
    if parts.path.startswith("/"):
        base = site / unquote(parts.path.lstrip("/"))
    elif parts.path:
        base = page.parent / unquote(parts.path)
    else:
        base = page
    base = Path(*_normalise(base.parts))
    if parts.path.endswith("/") or base.is_dir():
        base = base / "index.html"
    return base, unquote(parts.fragment)


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out and out[-1] != "/":
                out.pop()
        elif part != ".":
            out.append(part)
    return out


def broken_links(site: Path) -> list[str]:
    """Every href/src in every HTML page of `site` that does not lead to a file (and anchor)."""
    site = site.resolve()
    problems = []
    for path in html_pages(site):
        page = parse(path)
        for tag, attr, value in page.urls:
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr == "srcset" else [value.strip()]
            for url in urls:
                where = f"{path.relative_to(site)}: <{tag} {attr}={url!r}>"
                scheme = urlsplit(url).scheme.lower()
                if scheme in ("http", "https", "mailto", "tel", "data"):
                    continue
                if scheme:
                    problems.append(f"{where}: scheme {scheme!r}")
                    continue
                if url.startswith("//"):
                    problems.append(f"{where}: protocol-relative URL (another host, or none)")
                    continue
                target, fragment = resolve(site, path, url)
                if not target.is_file():
                    problems.append(f"{where}: no file {target}")
                    continue
                try:
                    target.relative_to(site)
                except ValueError:
                    problems.append(f"{where}: outside the site")
                    continue
                if fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                    problems.append(f"{where}: no id {fragment!r} in {target.relative_to(site)}")
    return problems


EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def foreign_assets(site: Path) -> list[str]:
    """Scripts, styles, fonts and images that pages of `site` would fetch from another host.

    `src`/`srcset` on any tag, `<link href>` of any kind, `url()` in style attributes and CSS
    files, `@import`. Links the reader follows (`<a href>`) may go anywhere.
    """
    problems = []
    for path in html_pages(site):
        page = parse(path)
        for tag, attr, value in page.urls:
            if attr == "href" and tag != "link":
                continue
            for url in value.split(","):
                if EXTERNAL.match(url.strip()):
                    problems.append(f"{path.relative_to(site)}: <{tag} {attr}={url.strip()!r}>")
        for style in page.styles:
            if re.search(r"url\(\s*['\"]?(?:[a-z]+:)?//", style, re.I):
                problems.append(f"{path.relative_to(site)}: style {style!r}")
    pattern = r"url\(\s*['\"]?((?:https?:)?//[^'\")\s]+)|@import\s+(?:url\()?['\"]?((?:https?:)?//[^'\")\s]+)"
    sheets = [(css, css.read_text(encoding="utf-8", errors="replace")) for css in site.rglob("*.css")]
    for path in html_pages(site):  # <style> blocks of the pages
        raw = path.read_text(encoding="utf-8")
        sheets += [(path, block) for block in re.findall(r"<style[^>]*>(.*?)</style>", raw, re.S | re.I)]
    for path, text in sheets:
        for match in re.finditer(pattern, text):
            problems.append(f"{path.relative_to(site)}: {match.group(0)}")
    return problems


def links_to(site: Path, page: Path, target: Path) -> bool:
    """Whether `page` has an href or src leading to `target`."""
    for _, _, url in parse(page).urls:
        if is_external(url):
            continue
        found, _ = resolve(site.resolve(), page.resolve(), url)
        if found == target.resolve():
            return True
    return False


def hrefs(page: Path) -> list[str]:
    return [value for tag, attr, value in parse(page).urls if attr == "href"]


# --- documents -----------------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    """All the text of a .docx: body paragraphs, tables (nested too), headers and footers."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in all_paragraphs(document)]
    return "\n".join(parts)


def all_paragraphs(document: Any) -> list[Any]:
    out = list(document.paragraphs)
    for table in document.tables:
        out += _table_paragraphs(table)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            out += list(part.paragraphs)
            for table in part.tables:
                out += _table_paragraphs(table)
    return out


def _table_paragraphs(table: Any) -> list[Any]:
    out = []
    for row in table.rows:
        for cell in row.cells:
            out += list(cell.paragraphs)
            for inner in cell.tables:
                out += _table_paragraphs(inner)
    return out


MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(text: str) -> str:
    """A downloaded .md as a CommonMark reader shows it: backslash escapes removed."""
    return MD_UNESCAPE.sub(r"\1", text)
