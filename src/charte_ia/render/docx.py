"""The charter as an editable Word document, rendered from the one Charter model.

It does not decide which clauses apply.
Bytes are reproducible: no clock, fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from markupsafe import Markup

from charte_ia.charter.assembly import TOOLS_EMPTY_ROWS, Blank, Block, Charter, Plain, Segment, Value
from charte_ia.data.loader import Project
from charte_ia.data.models import Labels
from charte_ia.render.jinja import render, xml_text
from charte_ia.render.zips import Entry, deflated, write_zip


def build_date() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else 946684800  # 2000-01-01
    return dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)


def _run(
    text: str,
    bold: bool = False,
    italic: bool = False,
    highlight: bool = False,
    size: int | None = None,
    color: str | None = None,
) -> Markup:
    """One WordprocessingML run: text with its character formatting (`size` in half-points)."""
    props = "".join(
        tag
        for on, tag in (
            (bold, "<w:b/>"),
            (italic, "<w:i/>"),
            (color, f'<w:color w:val="{color}"/>'),
            (size, f'<w:sz w:val="{size}"/>'),
            (highlight, '<w:highlight w:val="yellow"/>'),
        )
        if on
    )
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return Markup(f'<w:r>{props}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>')


def _para(content: str, style: str | None = None, page_break: bool = False) -> Markup:
    """One WordprocessingML paragraph around runs already made (Markup)."""
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:pageBreakBefore/>" if page_break else "")
    return Markup(f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{content}</w:p>")


class _Writer:
    """What the WordprocessingML templates call, for one set of labels: one instance per set
    (`_writer`), so that its bound methods are equal from one document to the next and a clause
    rendered with them is rendered once per build (render.render_part; methods compare `self`
    by identity)."""

    def __init__(self, labels: Labels):
        self.labels = labels

    def segment(self, seg: Segment, size: int | None = None) -> Markup:
        if isinstance(seg, Blank):
            return _run(f"[{self.labels.blank} : {seg.what}]", bold=True, highlight=True, size=size)
        return _run(seg.text, size=size)

    def segments(self, segments: Iterable[Segment]) -> Markup:
        return Markup("".join(self.segment(seg) for seg in segments))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str | Value | Blank]], tall: bool = False) -> Markup:
        """A table whose header row repeats on each page and is marked as a header for screen
        readers; `tall` rows leave room to write by hand (the signature table)."""
        width = 8640 // len(header)
        cell = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{{}}</w:p></w:tc>'
        height = '<w:trPr><w:trHeight w:val="720"/></w:trPr>' if tall else ""
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            f'<w:gridCol w:w="{width}"/>' * len(header),
            "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>",
            *(cell.format(_run(text, bold=True)) for text in header),
            "</w:tr>",
        ]
        for row in rows:
            out.append(f"<w:tr>{height}")
            out += (cell.format(self.segment(Plain(c) if isinstance(c, str) else c) if c else "") for c in row)
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return Markup("".join(out))

    def block_table(self, block: Block) -> tuple[list[str], list[list[str | Value | Blank]]] | None:
        """The header and rows of a block shown as a table in Word, or None."""
        labels = self.labels
        if block.kind == "uses_table":
            return [labels.use, labels.level], [[r.label, r.level] for r in block.uses]
        if block.kind == "tools_list":
            header = [labels.tool, labels.provider, labels.tool_uses, labels.data_agreement]
            rows: list[list[str | Value | Blank]] = [[r.name, r.provider, r.uses, r.data_agreement] for r in block.tools]
            if block.tools_blank:  # a table to fill by hand
                rows += [[""] * len(header) for _ in range(TOOLS_EMPTY_ROWS)]
            return header, rows
        if block.kind == "platform_labels":
            platform = labels.platform_undecided if block.platforms_undecided else labels.platform
            return [platform, labels.platform_rule, labels.since], [
                [r.name, r.rule, r.since or "—"] for r in block.platforms
            ]
        if block.kind == "people":
            return [labels.role, labels.person, labels.contact], [[r.role, r.name, r.contact] for r in block.people]
        return None


@lru_cache(maxsize=8)
def _writer(labels: Labels) -> _Writer:
    return _Writer(labels)


def render_docx(charter: Charter, project: Project) -> bytes:
    """An editable Word document: real headings (outline, table of contents), tables with
    header rows, highlighted blanks, the notice, version and dates in the footer, a signature
    block. The body, header, footer and title are WordprocessingML from templates; the rest of
    the package (styles, settings, theme) is python-docx's, made and compressed once (it is the
    same for every charter, and making it took two thirds of a document's time)."""
    labels = project.library.labels
    writer = _writer(labels)
    meta = [
        ("Organisation", charter.name),
        ("Secteur", charter.sector),
        (labels.version, charter.version),
        (labels.adopted, charter.adopted),
        (labels.next_review, charter.next_review),
    ]
    body_xml = render(
        "docx_body.xml.j2",
        flavour="xml",
        charter=charter,
        labels=labels,
        meta=meta,
        para=_para,
        run=_run,
        segment=writer.segment,
        segments=writer.segments,
        table=writer.table,
        block_table=writer.block_table,
    )
    header = [charter.title + " — ", charter.name]
    footer: list[str | Value | Blank] = []
    for label, value in ((labels.version, charter.version), (labels.adopted, charter.adopted)):
        footer += [f"{label} : ", value, " · "]
    notice = charter.disclaimer if charter.is_adopted else "Ceci n’est pas un avis juridique."
    footer += [f"{labels.next_review} : ", charter.next_review, f" · {notice}"]
    small = 16  # 8 pt

    def runs(texts: list[str | Value | Blank]) -> str:
        return "".join(writer.segment(Plain(t) if isinstance(t, str) else t, size=small) for t in texts)

    skeleton = _skeleton(build_date())
    parts = {
        "word/document.xml": skeleton.document.format(body=body_xml),
        "word/header1.xml": skeleton.header.format(runs=runs(header)),
        "word/footer1.xml": skeleton.footer.format(runs=runs(footer)),
        "docProps/core.xml": skeleton.core.format(
            title=xml_text(charter.title),
            subject=xml_text(charter.name.text) if isinstance(charter.name, Value) else "",
        ),
    }
    # The parts of this charter at zlib's fastest level: a quarter of the time of the default
    # level (0.3 against 1.4 ms for the body), for 4 KB more in a 50 KB document.
    return write_zip(
        deflated(name, parts[name].encode("utf-8"), level=1) if name in parts else entry
        for name, entry in skeleton.entries
    )


@dataclass(frozen=True)
class _Skeleton:
    """python-docx's empty document, with `str.format` holes where each charter differs."""

    entries: tuple[tuple[str, Entry], ...]  # in the package's order ([Content_Types].xml first)
    document: str
    header: str
    footer: str
    core: str


_HOLE = "CHARTEIA{}HOLE"  # a marker python-docx writes as is, replaced by a format field


@lru_cache(maxsize=4)
def _skeleton(date: dt.datetime) -> _Skeleton:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    section = doc.sections[0]
    section.header.paragraphs[0].add_run(_HOLE.format("RUNS"))
    section.footer.paragraphs[0].add_run(_HOLE.format("RUNS"))
    doc.element.body[-1].addprevious(
        parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>{_HOLE.format('BODY')}</w:t></w:r></w:p>")
    )
    props = doc.core_properties
    props.language = "fr-FR"
    props.title = _HOLE.format("TITLE")
    props.subject = _HOLE.format("SUBJECT")
    props.author = props.last_modified_by = "Charte IA"
    props.created = props.modified = props.last_printed = date
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    package = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    texts = {}
    for name, hole, field in (
        ("word/document.xml", f"<w:p><w:r><w:t>{_HOLE.format('BODY')}</w:t></w:r></w:p>", "{body}"),
        ("word/header1.xml", f"<w:r><w:t>{_HOLE.format('RUNS')}</w:t></w:r>", "{runs}"),
        ("word/footer1.xml", f"<w:r><w:t>{_HOLE.format('RUNS')}</w:t></w:r>", "{runs}"),
        ("docProps/core.xml", _HOLE.format("TITLE"), "{title}"),
    ):
        text = package.read(name).decode("utf-8").replace("{", "{{").replace("}", "}}")
        if hole not in text:
            raise RuntimeError(f"python-docx a changé : {name} sans {hole}")
        texts[name] = text.replace(hole, field)
    texts["docProps/core.xml"] = texts["docProps/core.xml"].replace(_HOLE.format("SUBJECT"), "{subject}")
    entries = tuple(
        (info.filename, deflated(info.filename, package.read(info.filename))) for info in package.infolist()
    )
    return _Skeleton(
        entries, *(texts[n] for n in ("word/document.xml", "word/header1.xml", "word/footer1.xml", "docProps/core.xml"))
    )
