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
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from .charter import Blank, Block, Charter, Paragraph, Value
from .loader import Project
from .models import Labels
from .render import render
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


class _DocxWriter:
    def __init__(self, charter: Charter, labels: Labels):
        self.charter = charter
        self.labels = labels
        self.doc = Document()
        styles = self.doc.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(11)
        self.doc.core_properties.language = "fr-FR"

    def blank_text(self, blank: Blank) -> str:
        return fr_typo(f"[{self.labels.blank} : {blank.what}]")

    def runs(self, paragraph: DocxParagraph, segments: Paragraph) -> None:
        for seg in segments:
            if isinstance(seg, Blank):
                run = paragraph.add_run(self.blank_text(seg))
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                run.bold = True
            else:
                paragraph.add_run(seg.text)

    def cell(self, table_cell, value: str | Value | Blank) -> None:
        paragraph = table_cell.paragraphs[0]
        self.runs(paragraph, [value if not isinstance(value, str) else Value(value)])

    def table(self, header: list[str], rows: list[list[str | Value | Blank]]) -> Table:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(fr_typo(text)).bold = True
        # Repeat the header row on each page, and mark it as a header for screen readers.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tbl_header = OxmlElement("w:tblHeader")
        tbl_header.set(qn("w:val"), "true")
        tr_pr.append(tbl_header)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                self.cell(cell, value)
        return table

    def block(self, block: Block) -> None:
        labels = self.labels
        if block.kind == "uses_table":
            self.table(
                [labels.use, labels.level, labels.share],
                [[row.label, row.level, row.share] for row in block.uses],
            )
        elif block.kind == "tools_list":
            if block.tools_blank:
                self.runs(self.doc.add_paragraph(), [block.tools_blank])
            else:
                self.table(
                    [labels.tool, labels.provider, labels.tool_uses, labels.data_agreement],
                    [[row.name, row.provider, row.uses, row.data_agreement] for row in block.tools],
                )
        elif block.kind == "platform_labels":
            if block.platforms_note:
                self.runs(self.doc.add_paragraph(), [block.platforms_note])
            self.table(
                [labels.platform, labels.platform_rule, labels.since],
                [[row.name, row.rule, row.since or "—"] for row in block.platforms],
            )
        elif block.kind == "audience":
            for label, value in block.audience:
                paragraph = self.doc.add_paragraph(style="List Bullet")
                paragraph.add_run(fr_typo(f"{label} : ")).bold = True
                self.runs(paragraph, [value])
        elif block.kind == "people":
            self.table(
                [labels.role, labels.person, labels.contact],
                [[row.role, row.name, row.contact] for row in block.people],
            )
        elif block.kind == "signature":
            self.doc.add_paragraph(fr_typo(labels.signature_intro))
            table = self.table(list(labels.signature_fields), [[""] * len(labels.signature_fields) for _ in range(3)])
            for row in table.rows[1:]:
                row.height = Pt(36)

    def header_footer(self) -> None:
        charter, labels = self.charter, self.labels
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.add_run(charter.title + " — ")
        self.runs(header, [charter.name])
        footer = section.footer.paragraphs[0]
        footer.add_run(fr_typo(f"{labels.version} : "))
        self.runs(footer, [charter.version])
        footer.add_run(fr_typo(f" · {labels.adopted} : "))
        self.runs(footer, [charter.adopted])
        footer.add_run(fr_typo(f" · {labels.next_review} : "))
        self.runs(footer, [charter.next_review])
        footer.add_run(fr_typo(" · Ceci n’est pas un avis juridique."))
        for paragraph in (header, footer):
            for run in paragraph.runs:
                run.font.size = Pt(8)

    def table_of_contents(self) -> None:
        """A TOC field over the Heading styles; Word fills it in (F9 or on opening)."""
        paragraph = self.doc.add_paragraph()
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "Table des matières : clic droit, puis « Mettre à jour les champs »."
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def write(self) -> bytes:
        charter, labels = self.charter, self.labels
        title = self.doc.add_heading(level=0)
        title.add_run(charter.title)
        subtitle = self.doc.add_paragraph(style="Subtitle")
        self.runs(subtitle, [charter.name])
        meta = [
            ("Organisation", charter.name),
            ("Secteur", charter.sector),
            (labels.version, charter.version),
            (labels.adopted, charter.adopted),
            (labels.next_review, charter.next_review),
        ]
        for label, value in meta:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(fr_typo(f"{label} : ")).bold = True
            self.runs(paragraph, [value])
        notice = self.doc.add_paragraph(style="Intense Quote")
        notice.add_run(fr_typo("Ceci n’est pas un avis juridique. ")).bold = True
        notice.add_run(charter.disclaimer)
        self.table_of_contents()
        for section in charter.sections:
            self.doc.add_heading(
                f"{section.number}. {section.title}", level=1
            ).paragraph_format.page_break_before = True
            for clause in section.clauses:
                self.doc.add_heading(f"{clause.number} {clause.title}", level=2)
                if clause.condition:
                    condition = self.doc.add_paragraph()
                    run = condition.add_run(clause.condition)
                    run.italic = True
                    run.font.color.rgb = RGBColor(0x5A, 0x32, 0x86)
                for para in clause.paragraphs:
                    self.runs(self.doc.add_paragraph(), para)
                if clause.block:
                    self.block(clause.block)
                why = self.doc.add_paragraph()
                why.add_run(fr_typo(labels.why) + " ").bold = True
                why.add_run(clause.why)
                if clause.references:
                    why.add_run(" (" + " ; ".join(ref.text for ref in clause.references) + ")")
                for run in why.runs:
                    run.font.size = Pt(9)
                    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        self.header_footer()
        stamp = build_date()
        props = self.doc.core_properties
        props.title = fr_typo(charter.title)
        props.subject = charter.name.text if isinstance(charter.name, Value) else ""
        props.author = "Charte IA"
        props.last_modified_by = "Charte IA"
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        out = io.BytesIO()
        self.doc.save(out)
        return normalize_zip(out.getvalue())


def render_docx(charter: Charter, project: Project) -> bytes:
    return _DocxWriter(charter, project.library.labels).write()


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (python-docx stamps the clock) so that equal content gives equal bytes.
    The entry order is kept: Word expects [Content_Types].xml first."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return write_zip((info.filename, source.read(info.filename)) for info in source.infolist())
