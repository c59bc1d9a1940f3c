"""The charter and its one-page summary as tagged, accessible PDFs (PDF/UA-1), from print
templates of their own (print_charter.html.j2, print_essentials.html.j2, _print.css.j2) laid
out by WeasyPrint.

Tagged structure, the outline (bookmarks) from the headings, the document's language and
title, fonts embedded (subsets of the system's fonts), text selectable in reading order. No
request leaves the machine: the templates name no remote font or image, and the URL fetcher
refuses every address. Bytes are reproducible: no date but the document's own
(render.docx.document_date) and a fixed identifier.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0); PDFs are a switch of the
build (PDF_DOWNLOADS=true, mkdocs/site.py), so a machine without Pango still builds the site.

`mkdocs serve` keeps the PDFs it makes in a cache folder (use_cache), by the content they are
made from: an edit re-renders only the PDFs it changes. A `mkdocs build` uses no cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from charte_ia.charter.acknowledgement import acknowledgement, footer_notice, header_rows
from charte_ia.charter.assembly import Blank, Charter, Plain, Segment, Value
from charte_ia.charter.essentials import Essentials, essentials_notice
from charte_ia.data.loader import Project
from charte_ia.data.models import Labels
from charte_ia.render.docx import _writer as docx_writer
from charte_ia.render.docx import build_date, document_date
from charte_ia.render.jinja import render, xml_text
from charte_ia.render.typography import fr_typo_html

MISSING_PANGO = (
    "Les PDF (PDF_DOWNLOADS=true) demandent WeasyPrint et la bibliothèque Pango : "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian, Ubuntu), "
    "ou construisez sans PDF (PDF_DOWNLOADS=false)."
)


class PdfUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: cffi could not load Pango
        raise PdfUnavailable(f"{MISSING_PANGO} ({exc})") from None
    return weasyprint


def available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"aucune ressource externe dans un PDF : {url}")


class _Writer:
    """What the print templates call (HTML), for one set of labels (see render.docx)."""

    def __init__(self, labels: Labels):
        self.labels = labels

    def segment(self, seg: Segment) -> Markup:
        if isinstance(seg, Blank):
            return Markup(f'<mark class="blank">{xml_text(f"[{self.labels.blank} : {seg.what}]")}</mark>')
        return Markup(xml_text(seg.text))

    def segments(self, segments: Iterable[Segment]) -> Markup:
        return Markup("".join(self.segment(seg) for seg in segments))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str | Value | Blank]], tall: bool = False) -> Markup:
        """A table with a header row (repeated on each page), rows kept on one page; `tall`
        rows leave room to write by hand."""
        out = [f'<table class="{"tall" if tall else "data"}"><thead><tr>']
        out += (f'<th scope="col">{xml_text(h)}</th>' for h in header)
        out.append("</tr></thead><tbody>")
        for row in rows:
            cells = (self.segment(Plain(c) if isinstance(c, str) else c) if c else "" for c in row)
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
        return Markup("".join(out))

    def block_table(self, block: Any) -> Any:
        return docx_writer(self.labels).block_table(block)


@lru_cache(maxsize=8)
def _writer(labels: Labels) -> _Writer:
    return _Writer(labels)


# The cache folder of `mkdocs serve`, in the environment so that serve's documents' process
# (mkdocs/serve_worker.py, which is handed the variable at each build) uses it too.
CACHE_ENV = "CHARTE_IA_PDF_CACHE"
CACHE_MAX_BYTES = 512 * 1024 * 1024  # the least recently used PDFs go beyond this


def use_cache(folder: Path | None) -> None:
    """PDFs kept in `folder` by their content (mkdocs serve), or no cache (None: every build)."""
    if folder is None:
        os.environ.pop(CACHE_ENV, None)
        return
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[CACHE_ENV] = str(folder)
    _prune(folder)


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob("*.pdf"):
        try:
            st = path.stat()
        except OSError:  # removed meanwhile
            continue
        entries.append((st.st_mtime, st.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= CACHE_MAX_BYTES:
            break
        path.unlink(missing_ok=True)
        total -= size


def _cache_path(html: str, key: str) -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    # Everything the bytes depend on: WeasyPrint's version, the identifier and the whole HTML
    # (its styles and dates included; the templates name no other file).
    digest = hashlib.sha256(f"{_weasyprint().__version__}\0{key}\0{html}".encode("utf-8", "surrogatepass")).hexdigest()
    return Path(folder) / f"{digest}.pdf"


def _pdf(html: str, key: str) -> bytes:
    cached = _cache_path(html, key)
    if cached is not None:
        try:
            data = cached.read_bytes()
        except OSError:
            pass
        else:
            with contextlib.suppress(OSError):
                os.utime(cached)  # recently used: kept by _prune
            return data
    weasyprint = _weasyprint()
    # The templates' own words (« Recommandation : », « Version : ») typeset as the values are.
    document = weasyprint.HTML(string=fr_typo_html(html), url_fetcher=_refuse, base_url=None)
    # The identifier a PDF must carry, from its content rather than chance.
    identifier = hashlib.md5(key.encode("utf-8")).hexdigest().encode("ascii")
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier, custom_metadata=False)
    if cached is not None:
        _store(cached, data)
    return data


def _store(path: Path, data: bytes) -> None:
    """Written whole or not at all (two processes may make the same PDF at once); a cache that
    cannot be written is no cache, not an error."""
    try:
        fd, temp = tempfile.mkstemp(prefix=".pdf-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)


def _date(charter: Charter | Essentials, project: Project) -> str:
    return f"{document_date(charter, project)}T00:00:00Z"


def render_pdf(charter: Charter, project: Project) -> bytes:
    """The whole charter: cover, contents with page numbers, sections, signature block and the
    acknowledgement sheet; version, dates and « page X sur Y » at the foot of every page."""
    labels = project.library.labels
    writer = _writer(labels)
    meta = header_rows(charter, labels)
    name = charter.name.text if isinstance(charter.name, Value) else ""
    html = render(
        "print_charter.html.j2",
        flavour="xml",
        charter=charter,
        labels=labels,
        meta=meta,
        sheet=acknowledgement(charter, labels),
        notice=footer_notice(charter, labels),
        title=f"{charter.title} — {name}" if name else charter.title,
        date=_date(charter, project),
        css=Markup(render("_print.css.j2", flavour="raw")),
        segment=writer.segment,
        segments=writer.segments,
        table=writer.table,
        block_table=writer.block_table,
    )
    return _pdf(html, f"charte/{charter.slug}/{charter.version_tag}")


def render_essentials_pdf(summary: Essentials, project: Project) -> bytes:
    """« L’essentiel en une page » as a one-page PDF."""
    labels = project.library.labels
    writer = _writer(labels)
    name = summary.name.text if isinstance(summary.name, Value) else ""
    html = render(
        "print_essentials.html.j2",
        flavour="xml",
        e=summary,
        labels=labels,
        words=labels.essentials,
        notice=essentials_notice(summary, labels),
        title=f"{summary.title} — {name}" if name else summary.title,
        date=_date(summary, project),
        css=Markup(render("_print.css.j2", flavour="raw")),
        people=[[p.role, p.name, p.contact] for p in summary.people],
        segment=writer.segment,
        table=writer.table,
    )
    return _pdf(html, f"essentiel/{summary.slug}")


def print_css() -> Markup:
    """The print styles every PDF shares (_print.css.j2)."""
    return Markup(render("_print.css.j2", flavour="raw"))


def print_date(day: dt.date | None = None) -> str:
    """A PDF's creation date: `day` (a released version's), else SOURCE_DATE_EPOCH's; never the clock."""
    return f"{day.isoformat()}T00:00:00Z" if day else build_date().strftime("%Y-%m-%dT%H:%M:%SZ")


def render_changes_pdf(html: str, key: str) -> bytes:
    """What changed between two texts of a charter (render/versions.py, changes_print)."""
    return _pdf(html, f"changements/{key}")
