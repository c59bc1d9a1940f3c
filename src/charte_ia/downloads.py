"""The charter as downloads: Markdown text and an editable Word document.

Both are rendered from the one Charter model; neither decides which clauses apply.
Bytes are reproducible: no clock, fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from markupsafe import Markup

from .charter import Blank, Block, Charter, Value
from .loader import Project
from .models import Labels
from .render import render, xml_text
from .typography import fr_typo
from .zips import write_zip


def render_markdown(charter: Charter, project: Project) -> bytes:
    text = render("charter_download.md.j2", flavour="plain", charter=charter, labels=project.library.labels)
    return fr_typo(text).encode("utf-8")  # the template's own words need it too


def build_date() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else 946684800  # 2000-01-01
    return dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)


def _block_table(block: Block, labels: Labels) -> tuple[list[str], list[list[str | Value | Blank]]] | None:
    """The header and rows of a block shown as a table in Word, or None."""
    if block.kind == "uses_table":
        return [labels.use, labels.level, labels.share], [[r.label, r.level, r.share] for r in block.uses]
    if block.kind == "tools_list" and block.tools:
        header = [labels.tool, labels.provider, labels.tool_uses, labels.data_agreement]
        return header, [[r.name, r.provider, r.uses, r.data_agreement] for r in block.tools]
    if block.kind == "platform_labels":
        return [labels.platform, labels.platform_rule, labels.since], [
            [r.name, r.rule, r.since or "—"] for r in block.platforms
        ]
    if block.kind == "people":
        return [labels.role, labels.person, labels.contact], [[r.role, r.name, r.contact] for r in block.people]
    return None


def _run(
    text: str,
    bold: bool = False,
    italic: bool = False,
    highlight: bool = False,
    small: bool = False,
    color: str | None = None,
) -> Markup:
    """One WordprocessingML run: text with its character formatting."""
    props = "".join(
        tag
        for on, tag in (
            (bold, "<w:b/>"),
            (italic, "<w:i/>"),
            (color, f'<w:color w:val="{color}"/>'),
            (small, '<w:sz w:val="18"/>'),
            (highlight, '<w:highlight w:val="yellow"/>'),
        )
        if on
    )
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return Markup(f'<w:r>{props}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>')


def render_docx(charter: Charter, project: Project) -> bytes:
    """An editable Word document: real headings (outline, table of contents), tables with
    header rows, highlighted blanks, the notice, version and dates in the footer, a signature
    block. The body is WordprocessingML from a template (python-docx's object API took 90 ms a
    document); python-docx supplies the package, styles, header, footer and properties."""
    labels = project.library.labels
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
        block_table=lambda block: _block_table(block, labels),
        run=_run,
        segment=lambda seg: (
            _run(f"[{labels.blank} : {seg.what}]", bold=True, highlight=True)
            if isinstance(seg, Blank)
            else _run(seg.text)
        ),
    )
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    body = doc.element.body
    section_properties = body[-1]  # the body's last child, which must stay last
    for element in parse_xml(f"<w:body {nsdecls('w')}>{body_xml}</w:body>"):
        section_properties.addprevious(element)
    _header_footer(doc, charter, labels)
    props = doc.core_properties
    props.language = "fr-FR"
    props.title = fr_typo(charter.title)
    props.subject = charter.name.text if isinstance(charter.name, Value) else ""
    props.author = props.last_modified_by = "Charte IA"
    props.created = props.modified = props.last_printed = build_date()
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return normalize_zip(out.getvalue())


def _header_footer(doc: DocxDocument, charter: Charter, labels: Labels) -> None:
    def add(paragraph: DocxParagraph, text: str | Value | Blank) -> None:
        if isinstance(text, Blank):
            run = paragraph.add_run(fr_typo(f"[{labels.blank} : {text.what}]"))
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            run.bold = True
        else:
            run = paragraph.add_run(fr_typo(text if isinstance(text, str) else text.text))
        run.font.size = Pt(8)

    section = doc.sections[0]
    header = section.header.paragraphs[0]
    add(header, charter.title + " — ")
    add(header, charter.name)
    footer = section.footer.paragraphs[0]
    for label, value in ((labels.version, charter.version), (labels.adopted, charter.adopted)):
        add(footer, f"{label} : ")
        add(footer, value)
        add(footer, " · ")
    add(footer, f"{labels.next_review} : ")
    add(footer, charter.next_review)
    add(footer, " · Ceci n’est pas un avis juridique.")


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (python-docx stamps the clock) so that equal content gives equal bytes.
    The entry order is kept: Word expects [Content_Types].xml first."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((info.filename, source.read(info.filename)) for info in source.infolist())
