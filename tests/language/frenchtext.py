"""The French text a reader sees in the built site and its downloads, cut into blocks (a
paragraph, a heading, a table cell, a title), without code, addresses or file names: what the
language checks read."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# What is not French prose: code, scripts and styles (their text), and the theme's icons.
SKIP = {"script", "style", "pre", "code", "kbd", "samp", "textarea", "svg", "math"}
# Elements that end a block of text: one block is checked as one paragraph.
BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "dt", "dd", "title",
    "figcaption", "summary", "label", "caption", "blockquote", "nav", "header", "footer", "section",
    "article", "aside", "table", "tr", "ul", "ol", "dl", "details", "button", "option", "form", "body",
}
# Attributes a reader meets as text (a tooltip, a name read by a screen reader, an image's text).
# (aria-label is heard, not read: its typography is the theme's.)
TEXT_ATTRS = {"title", "alt", "placeholder"}
META_TEXT = {"description", "og:title", "og:description", "og:site_name"}

# Addresses, e-mail addresses and file names are not French words.
NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|[\w./-]*\.(?:docx|odt|pdf|md|json|ics|csv|zip|yml|yaml|html)\b"
)


# The words that stand for code and for an address in a sentence: a name, for the checks.
CODE = "Code"
ADDRESS = "Lien"
_BLANKS = re.compile(r"[ \t\n\r\f\v]+")


def squeeze(text: str) -> str:
    """ASCII blanks folded into one space: a non-breaking space is text, and stays."""
    return _BLANKS.sub(" ", text).strip()


@dataclass(frozen=True)
class Block:
    where: str  # the file, relative to the site
    text: str


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = squeeze("".join(self.current))
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta":
            if (values.get("name") or values.get("property")) in META_TEXT and values.get("content"):
                self.blocks.append(squeeze(values["content"]))
            return
        for name in TEXT_ATTRS:
            if values.get(name):
                self.blocks.append(squeeze(values[name] or ""))
        if tag in SKIP:
            if not self.skipping:
                self.current.append(CODE)  # a word stands for the code: the sentence stays whole
            self.skipping += 1
        elif tag in BLOCKS or (tag == "span" and "cia-bar__" in (values.get("class") or "")):
            # A chart's label and value are cells of a grid, not words of one sentence.
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_blocks(path: Path, where: str) -> list[Block]:
    return _html_text(path.read_text(encoding="utf-8"), where)


_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_CODE_SPAN = re.compile(r"`[^`]+`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKUP = re.compile(r"\*\*|(?<!\w)\*|\*(?!\w)|^#+ |^> ?|^\s*[-+] |^\s*\d+\. |\|", re.M)
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M)


def markdown_text(text: str, where: str) -> list[Block]:
    """A .md download as its reader sees it: one block a line, table cells apart."""
    text = _FENCE.sub("", text)
    text = _TABLE_RULE.sub("", text)
    out = []
    for line in text.splitlines():
        line = _LINK_TARGET.sub("]", _CODE_SPAN.sub(CODE, line))
        for cell in line.split(" | ") if line.lstrip().startswith("|") else [line]:
            cell = _UNESCAPE.sub(r"\1", _MARKUP.sub("", cell))
            cell = squeeze(cell)
            if cell:
                out.append(Block(where, cell))
    return out


_WORD_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_WORD_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_ODF_PARAGRAPH = re.compile(r"<text:(?:p|h)\b[^>]*>.*?</text:(?:p|h)>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CORE_TEXT = re.compile(r"<(dc:title|dc:subject|dc:description|cp:keywords)>([^<]*)</\1>")


def docx_text(data: bytes, where: str) -> list[Block]:
    """A Word document's paragraphs (body, headers, footers) and its described properties."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml") and re.search(r"(document|header\d*|footer\d*)\.xml$", name):
                xml = package.read(name).decode("utf-8")
                for para in _WORD_PARAGRAPH.findall(xml):
                    text = squeeze(html.unescape("".join(_WORD_TEXT.findall(para))))
                    if text:
                        out.append(Block(f"{where} ({name})", text))
        core = package.read("docProps/core.xml").decode("utf-8")
        out += [Block(f"{where} (propriétés)", html.unescape(v)) for _, v in _CORE_TEXT.findall(core) if v.strip()]
    return out


def odt_text(data: bytes, where: str) -> list[Block]:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in ("content.xml", "styles.xml", "meta.xml"):
            if name not in package.namelist():
                continue
            xml = package.read(name).decode("utf-8")
            for para in _ODF_PARAGRAPH.findall(xml):
                text = squeeze(html.unescape(_TAG.sub("", para)))
                if text:
                    out.append(Block(f"{where} ({name})", text))
    return out


# A line of a table of contents: its title, then the leader dots and the page number.
_LEADER = re.compile(r"\s*\.{4,}\s*\d+\s*$")


def pdf_blocks(data: bytes, where: str) -> list[Block]:
    """A PDF's text as its reader sees it, one block a line (pypdf gives lines, not
    paragraphs), page headers and footers included, the contents' leaders left out. A line
    that ends on a hyphen goes on with the next: the PDFs are not hyphenated, so the line was
    broken at a hyphen of the text (« dpo-federation@… »)."""
    import pypdf

    out = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(data)).pages, start=1):
        text = re.sub(r"(?<=\S)-\n", "-", page.extract_text())
        for line in text.splitlines():
            line = squeeze(_LEADER.sub("", line))
            if line:
                out.append(Block(f"{where} (page {number})", line))
    return out


def _html_text(text: str, where: str) -> list[Block]:
    parser = _Text()
    parser.feed(text)
    parser.flush()
    return [Block(where, t) for t in parser.blocks]


def document_blocks(name: str, data: bytes, where: str) -> list[Block]:
    """The text of one download (.md, .docx, .odt, .pdf); none for a data file."""
    suffix = name.rsplit(".", 1)[-1]
    if suffix == "md":
        return markdown_text(data.decode("utf-8"), where)
    if suffix == "docx":
        return docx_text(data, where)
    if suffix == "odt":
        return odt_text(data, where)
    if suffix == "pdf":
        return pdf_blocks(data, where)
    return []


def site_blocks(site: Path) -> list[Block]:
    """Every block of French text of the built site: its pages, then its documents (PDFs
    included), then the offline zip's pages and any of its documents that differ from the site's."""
    out: list[Block] = []
    for path in sorted(site.rglob("*.html")):
        where = str(path.relative_to(site))
        if where.startswith(("assets/", "search/")):
            continue
        out += html_blocks(path, where)
    downloads = site / "telechargements"
    read: dict[str, bytes] = {}
    for path in sorted(downloads.glob("*")):
        if path.is_file():
            read[path.name] = path.read_bytes()
            out += document_blocks(path.name, read[path.name], str(path.relative_to(site)))
    for archive in sorted(downloads.glob("*.zip")):
        out += zip_blocks(archive, read, str(archive.relative_to(site)))
    return out


def zip_blocks(archive: Path, site_files: dict[str, bytes], where: str) -> list[Block]:
    """The offline zip's pages, and its downloads that are not byte for byte the site's (those
    were read already)."""
    out: list[Block] = []
    with zipfile.ZipFile(archive) as package:
        for name in sorted(package.namelist()):
            inner = name.split("/", 1)[-1]
            if inner.startswith(("assets/", "search/")) or name.endswith("/"):
                continue
            if name.endswith(".html"):
                out += _html_text(package.read(name).decode("utf-8"), f"{where}:{inner}")
            # Released versions' downloads are frozen as published, and the site's are not read.
            elif inner.startswith("telechargements/") and not inner.startswith("telechargements/versions/"):
                data = package.read(name)
                if site_files.get(inner.rsplit("/", 1)[-1]) != data:
                    out += document_blocks(inner, data, f"{where}:{inner}")
    return out


def prose(text: str) -> str:
    """A block with its addresses, e-mail addresses and file names replaced by a word."""
    return NOT_PROSE.sub(ADDRESS, text)
