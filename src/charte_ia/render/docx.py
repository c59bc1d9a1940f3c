"""The charter as an editable Word document, rendered from the one Charter model.

It does not decide which clauses apply.
Bytes are reproducible: no clock, fixed zip timestamps.

Set up as a French office expects: A4, French proofing, « page X sur Y », a table of contents
whose entries are written in as links (Word and LibreOffice show them at once, with no prompt),
clause numbers that Word keeps (a multilevel list bound to the heading styles, so that
deleting a clause renumbers the rest), tables sized for what they hold and whose rows stay
on one page, and sections that follow one another rather than each starting a page.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from markupsafe import Markup

from charte_ia.charter.acknowledgement import Acknowledgement, acknowledgement, footer_notice, header_rows
from charte_ia.charter.assembly import TOOLS_EMPTY_ROWS, Blank, Block, Charter, ClauseView, Plain, SectionView, Segment, Value
from charte_ia.charter.essentials import Essentials, essentials_notice
from charte_ia.data.loader import Project
from charte_ia.data.models import Labels
from charte_ia.render import layout
from charte_ia.render.jinja import render, xml_text
from charte_ia.render.sections import SplicedBody
from charte_ia.render.zips import Entry, Piece, PieceCache, deflated, piece, spliced, write_zip


def document_date(charter: Charter | Essentials, project: Project) -> str:
    """The day a document says it was created (YYYY-MM-DD): the charter's adoption date, else
    the day the clause library's revision was published. Never the clock: the same at each build."""
    return charter.adopted_iso or project.revision_date.isoformat()


def core_dates(charter: Charter | Essentials, project: Project) -> str:
    """The document's creation and modification dates (document_date)."""
    stamp = f"{document_date(charter, project)}T00:00:00Z"
    return "".join(
        f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{tag}>' for tag in ("created", "modified")
    )


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


def _compact_para(content: str, style: str | None = None) -> Markup:
    """A paragraph of the one-page summary: little space after, lines a little tighter."""
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + '<w:spacing w:after="30" w:line="240" w:lineRule="auto"/>'
    return Markup(f"<w:p><w:pPr>{props}</w:pPr>{content}</w:p>")


def _field(instruction: str, shown: str, size: int | None = None) -> str:
    """A field (PAGE, NUMPAGES) as Word writes it: `shown` is its last computed
    value, which Word and LibreOffice replace with their own."""
    props = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>' if size else ""
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r>{props}<w:t>{shown}</w:t></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _bookmark(number: int) -> str:
    # "_Toc" names are the ones Word gives the headings its table of contents points to.
    return f"_TocCharteIA{number}"


_ACKNOWLEDGEMENT_BOOKMARK = 999


def _heading(title: str, number: int, page_break: bool = False, numbered: bool = True) -> Markup:
    """A section heading (Heading 1), numbered by the style's list unless `numbered` is false,
    with the bookmark its table-of-contents entry points to."""
    props = '<w:pStyle w:val="Heading1"/>' + ("<w:pageBreakBefore/>" if page_break else "")
    if not numbered:
        props += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
    name = _bookmark(number)
    return Markup(
        f'<w:p><w:pPr>{props}</w:pPr><w:bookmarkStart w:id="{number}" w:name="{name}"/>'
        f'{_run(title)}<w:bookmarkEnd w:id="{number}"/></w:p>'
    )


def _subheading(title: str) -> Markup:
    """A heading of the one-page summary: Heading 2, not numbered, tighter."""
    return Markup(
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
        f'<w:spacing w:before="100" w:after="20"/></w:pPr>{_run(title, size=23)}</w:p>'
    )


def _toc(sections: Sequence[SectionView], sheet: Acknowledgement, heading: str) -> Markup:
    """The table of contents: a TOC field holding its entries already (the numbered section
    titles, each a link to its heading), so that Word and LibreOffice show them as soon as the
    document opens, without asking anything.

    The entries have no page numbers, by choice: the numbers depend on a layout only the word
    processor knows (fonts, the edits the organisation makes), so written-in numbers would be
    wrong, and asking Word to compute them on opening (settings.xml `updateFields`) makes it
    show a prompt about fields first. Computing them with LibreOffice at build time would cost
    seconds a charter and still differ from Word's layout. The field stays a real TOC: « Mettre
    à jour la table » (Word) or « Mettre à jour l’index » (LibreOffice) adds the numbers."""
    entries = [(f"{s.number}.", s.title, int(s.number)) for s in sections]
    entries.append(("", sheet.title, _ACKNOWLEDGEMENT_BOOKMARK))
    out = [f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>{_run(heading)}</w:p>']
    for index, (number, title, mark) in enumerate(entries):
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o &quot;1-1&quot; \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            if index == 0
            else ""
        )
        # The field ends in its last entry: an empty paragraph of its own, pushed past a full
        # first page, made a blank page before the first section's page break.
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == len(entries) - 1 else ""
        label = f"{_run(number)}<w:r><w:tab/></w:r>" if number else ""
        out.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}'
            f'<w:hyperlink w:anchor="{_bookmark(mark)}" w:history="1">{label}{_run(title)}</w:hyperlink>{end}</w:p>'
        )
    return Markup("".join(out))


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

    def text(self, cell: str | Value | Blank) -> str:
        """A cell's text as it prints, for sizing its column."""
        if isinstance(cell, Blank):
            return f"[{self.labels.blank} : {cell.what}]"
        return cell if isinstance(cell, str) else cell.text

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str | Value | Blank]], tall: bool | int = False
    ) -> Markup:
        """A table whose header row repeats on each page and is marked as a header for screen
        readers, columns sized for what they hold (layout.column_widths), no row split across
        two pages; `tall` rows leave room to write by hand (the signature tables), in columns
        of equal width (`tall` may give the row height, in twips)."""
        if tall:
            widths = [layout.TEXT_WIDTH // len(header)] * len(header)
            widths[-1] += layout.TEXT_WIDTH - sum(widths)
        else:
            columns = [[h, *(self.text(row[i]) for row in rows)] for i, h in enumerate(header)]
            widths = layout.column_widths(columns)
        height = f'<w:trHeight w:val="{720 if tall is True else int(tall)}"/>' if tall else ""
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
            *(_CELL.format(w, _run(text, bold=True)) for w, text in zip(widths, header, strict=True)),
            "</w:tr>",
        ]
        for row in rows:
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>")
            out += (
                _CELL.format(w, self.segment(Plain(c) if isinstance(c, str) else c) if c else "")
                for w, c in zip(widths, row, strict=True)
            )
            out.append("</w:tr>")
        # A little space before what follows: Word puts none after a table.
        out.append('</w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="160" w:lineRule="exact"/></w:pPr></w:p>')
        return Markup("".join(out))

    def list_table(self, header: Sequence[str], columns: Sequence[Sequence[str]]) -> Markup:
        """One row under the header, each cell a list of lines (the uses by level, on the
        one-page summary), columns sized for what they hold."""
        widths = layout.column_widths([[h, *col] for h, col in zip(header, columns, strict=True)])
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
            *(_CELL.format(w, _run(text, bold=True)) for w, text in zip(widths, header, strict=True)),
            "</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr>",
        ]
        for w, lines in zip(widths, columns, strict=True):
            paragraphs = "".join(f"<w:p>{_run(line)}</w:p>" for line in lines) or "<w:p/>"
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc>')
        out.append('</w:tr></w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:p>')
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
            return [platform, labels.platform_rule, labels.since, labels.platform_status, labels.sources[1]], [
                [r.name, r.rule + (f" {r.note}" if r.note else ""), r.since or "—", r.status, r.sources] for r in block.platforms
            ]
        if block.kind == "people":
            return [labels.role, labels.person, labels.contact], [[r.role, r.name, r.contact] for r in block.people]
        return None

    def clause_context(self, clause: ClauseView) -> dict[str, Any]:
        return dict(
            clause=clause, labels=self.labels, para=_para, run=_run, segment=self.segment, segments=self.segments,
            table=self.table, block_table=self.block_table,
        )


_CELL = '<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr><w:p>{}</w:p></w:tc>'


@lru_cache(maxsize=8)
def _writer(labels: Labels) -> _Writer:
    return _Writer(labels)


# Where a section goes in a body as its template renders it: XML forbids the character, so no
# value (xml_text drops it) and no template's text holds it.
SPLICE = "\x00"


@lru_cache(maxsize=1 << 9)  # the common clauses: those of a section made anew
def _clause_xml(writer: _Writer, clause: ClauseView) -> str:
    return render("_clause_docx.xml.j2", "xml", **writer.clause_context(clause))


# Each distinct section of the charters, deflated once a build at zlib's default level: a
# quarter of the sections' text varies (a value of the organisation's in one of their clauses),
# the rest is shared. The document is 7 % larger (the .odt 9 %) than when deflated whole, as no
# back-reference crosses a section's edge, and a quarter faster to make.
_SECTIONS = PieceCache(level=6)


class _Body(SplicedBody):
    splice = SPLICE
    fragment = "_clause_docx.xml.j2"
    document = "Word"
    cache = _SECTIONS

    def clause_xml(self, clause: ClauseView) -> str:
        return _clause_xml(self.writer, clause)

    def xml(self, section: SectionView, first: bool, clause: Callable[[ClauseView], str]) -> str:
        out = [_heading(section.title, int(section.number), page_break=first), "\n"]
        if section.condition:
            out.append(_para(_run(section.condition, italic=True, color="5A3286")))
        for one in section.clauses:
            out += [clause(one), "\n"]
        return "".join(out)


def render_docx(charter: Charter, project: Project) -> bytes:
    """An editable Word document: real headings (outline, table of contents), tables with
    header rows, highlighted blanks, the notice, version, dates and page numbers in the footer,
    a signature block and the acknowledgement sheet. The body, header, footer and properties
    are WordprocessingML from templates; the rest of the package (styles, numbering, settings,
    theme) is python-docx's, set up for a French A4 document, made and compressed once (it is
    the same for every charter, and making it took two thirds of a document's time)."""
    labels = project.library.labels
    writer = _writer(labels)
    sheet = acknowledgement(charter, labels)
    meta = header_rows(charter, labels)
    body = _Body(writer)
    body_xml = render(
        "docx_body.xml.j2",
        flavour="xml",
        charter=charter,
        labels=labels,
        meta=meta,
        sheet=sheet,
        para=_para,
        run=_run,
        heading=_heading,
        toc=_toc,
        segment=writer.segment,
        segments=writer.segments,
        table=writer.table,
        block_table=writer.block_table,
        section_part=body.section,
    )
    notice = footer_notice(charter, labels)
    return _package(
        writer, charter.title, charter.name, charter.version, charter.adopted, charter.next_review, notice,
        core_dates(charter, project), body.spliced(body_xml), charter.is_draft,
    )


def render_essentials_docx(summary: Essentials, project: Project) -> bytes:
    """« L’essentiel en une page » as a one-page Word document (to print for the noticeboard)."""
    labels = project.library.labels
    writer = _writer(labels)
    body_xml = render(
        "essentials_docx.xml.j2",
        flavour="xml",
        e=summary,
        labels=labels,
        words=labels.essentials,
        para=_compact_para,
        run=_run,
        subheading=_subheading,
        people=[[p.role, p.name, p.contact] for p in summary.people],
        segment=writer.segment,
        table=writer.table,
        list_table=writer.list_table,
    )
    notice = essentials_notice(summary, labels)
    body_xml = _smaller(body_xml, 18)
    return _package(
        writer, summary.title, summary.name, summary.version, summary.adopted, summary.next_review, notice,
        core_dates(summary, project), [body_xml], summary.is_draft,
    )


_RUN_PROPS = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?(?=<w:t|<w:tab)")


def _smaller(body: str, size: int) -> str:
    """Every run of `body` without a size of its own at `size` half-points (the one-page
    summary's 9 pt), its properties in the order WordprocessingML requires (sz before highlight)."""

    def resize(match: re.Match[str]) -> str:
        props = match.group(1) or ""
        if "<w:sz " in props:
            return match.group(0)
        sz = f'<w:sz w:val="{size}"/>'
        props = props.replace("<w:highlight", sz + "<w:highlight", 1) if "<w:highlight" in props else props + sz
        return f"<w:r><w:rPr>{props}</w:rPr>"

    return _RUN_PROPS.sub(resize, body)


def _package(
    writer: _Writer,
    title: str,
    name: Value | Blank,
    version: Value | Blank,
    adopted: Value | Blank,
    next_review: Value | Blank,
    notice: str,
    dates: str,
    body: list[str | Piece],
    draft: bool = False,
) -> bytes:
    """The .docx around a body: header (title, organisation), footer (version, dates, « page X
    sur Y »), properties, and the skeleton's shared parts."""
    labels = writer.labels
    small = 16  # 8 pt

    def runs(texts: list[str | Value | Blank]) -> str:
        return "".join(writer.segment(Plain(t) if isinstance(t, str) else t, size=small) for t in texts)

    header = [title + " — ", name, *([f" — {labels.draft}"] if draft else [])]
    footer: list[str | Value | Blank] = []
    for label, value in ((labels.version, version), (labels.adopted, adopted)):
        footer += [f"{label} : ", value, " · "]
    footer += [f"{labels.next_review} : ", next_review, f" · {notice}"]
    pages = (
        f"{_run('Page ', size=small)}{_field('PAGE', '1', small)}"
        f"{_run(' sur ', size=small)}{_field('NUMPAGES', '1', small)}"
    )
    footer_xml = (
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{runs(footer)}</w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>{pages}</w:p>'
    )
    org = name.text if isinstance(name, Value) else ""
    skeleton = _skeleton(build_date())
    parts = {
        "word/header1.xml": skeleton.header.format(runs=runs(header)),
        "word/footer1.xml": skeleton.footer.format(paragraphs=footer_xml),
        "docProps/core.xml": skeleton.core.format(
            title=xml_text(f"{title} — {org}" if org else title), subject=xml_text(org), dates=dates
        ),
    }
    # The parts of this charter at zlib's fastest level: a quarter of the time of the default
    # level (0.3 against 1.4 ms for the body), for 4 KB more in a 50 KB document. The body is
    # spliced from its clauses, each deflated once a build at the best level.
    document = spliced("word/document.xml", [skeleton.document[0], *body, skeleton.document[1]])
    return write_zip(
        document if part == document.name else deflated(part, parts[part].encode("utf-8"), level=1) if part in parts else entry
        for part, entry in skeleton.entries
    )


@dataclass(frozen=True)
class _Skeleton:
    """python-docx's empty document, with `str.format` holes where each charter differs."""

    entries: tuple[tuple[str, Entry], ...]  # in the package's order ([Content_Types].xml first)
    document: tuple[Piece, Piece]  # what comes before the body, and after it
    header: str
    footer: str
    core: str


_HOLE = "CHARTEIA{}HOLE"  # a marker python-docx writes as is, replaced by a format field

_FRENCH = '<w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>'

# The clause numbers: one multilevel list bound to the heading styles ("1." then "1.1"), so that
# Word and LibreOffice number the headings themselves and renumber them when one is deleted.
_HEADING_LIST = 20
_HEADING_ABSTRACT = (
    '<w:abstractNum w:abstractNumId="20"><w:nsid w:val="4348A1E0"/><w:multiLevelType w:val="multilevel"/>'
    '<w:tmpl w:val="4348A1E1"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
    '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="737" w:hanging="737"/></w:pPr></w:lvl>'
    "</w:abstractNum>"
)
_TOC_STYLE = (
    '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/>'
    '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs>'
    f'<w:tab w:val="left" w:pos="567"/><w:tab w:val="right" w:leader="dot" w:pos="{layout.TEXT_WIDTH}"/>'
    '</w:tabs><w:spacing w:after="60"/></w:pPr></w:style>'
)


def _styles(text: str) -> str:
    """python-docx's styles, made French: proofing language, headings numbered by the list,
    sections that follow each other, a style for the table of contents, tab stops at the
    width of an A4 page's text."""
    text = text.replace('<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>', _FRENCH)
    for style, level in (("Heading1", 0), ("Heading2", 1)):
        head, sep, rest = text.partition(f'w:styleId="{style}">')
        rest = rest.replace(
            "<w:keepLines/>",
            f'<w:keepLines/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{_HEADING_LIST}"/></w:numPr>',
            1,
        )
        text = head + sep + rest
    # The contents' own title is based on Heading 1 but neither numbered nor in the contents.
    head, sep, rest = text.partition('w:styleId="TOCHeading">')
    rest = rest.replace("<w:outlineLvl", '<w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl', 1)
    text = head + sep + rest
    half = layout.TEXT_WIDTH // 2
    text = text.replace(
        '<w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/>',
        f'<w:tab w:val="center" w:pos="{half}"/><w:tab w:val="right" w:pos="{layout.TEXT_WIDTH}"/>',
    )
    return text.replace("</w:styles>", _TOC_STYLE + "</w:styles>")


def _settings(text: str) -> str:
    """French settings: proofing and number separators; no preview picture (python-docx's is
    a blank page); proofing not marked as done. No `updateFields`: Word would open the document
    with a prompt to update its fields (see _toc)."""
    text = text.replace('<w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/>', '<w:themeFontLang w:val="fr-FR"/>')
    text = text.replace('<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>', '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>')
    text = text.replace('<w:proofState w:spelling="clean" w:grammar="clean"/>', "")
    return text.replace("<w:savePreviewPicture/>", "")


def _numbering(text: str) -> str:
    first_num = text.index("<w:num ")
    text = text[:first_num] + _HEADING_ABSTRACT + text[first_num:]
    return text.replace(
        "</w:numbering>", f'<w:num w:numId="{_HEADING_LIST}"><w:abstractNumId w:val="20"/></w:num></w:numbering>'
    )


def _expect(text: str, name: str, *pieces: str) -> None:
    for piece in pieces:
        if piece not in text:
            raise RuntimeError(f"python-docx a changé : {name} sans {piece}")


# Parts of python-docx's template that no charter uses: Word 2010's copy of the styles (later
# versions and LibreOffice read styles.xml), an empty bibliography, the settings of a web page.
_UNUSED_PARTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/webSettings",
)
# The table styles a charter uses; Word keeps its other built-in ones and adds one when chosen.
_TABLE_STYLES = ("TableNormal", "TableGrid")


def _prune(doc: DocxDocument) -> None:
    """The template without what the charters never use: nine tenths of its styles' weight is
    140 table styles, which every .docx and the builder's page would carry."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in _UNUSED_PARTS:
            del doc.part.rels[rid]
    for style in list(doc.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.style_id not in _TABLE_STYLES:
            style.delete()
    # Latent styles only tune Word's style gallery; without them Word and LibreOffice use their
    # defaults, and the file (and the builder's page) is a third of styles.xml lighter.
    latent = doc.styles.element.find(qn("w:latentStyles"))
    if latent is not None:
        doc.styles.element.remove(latent)


@lru_cache(maxsize=4)
def _skeleton(date: dt.datetime) -> _Skeleton:
    doc = Document()
    _prune(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(layout.PAGE_WIDTH), Twips(layout.PAGE_HEIGHT)
    section.left_margin = section.right_margin = Twips(layout.MARGIN)
    section.top_margin = section.bottom_margin = Twips(layout.MARGIN)
    section.header_distance = section.footer_distance = Twips(layout.HEADER_DISTANCE)
    section.header.paragraphs[0].add_run(_HOLE.format("RUNS"))
    section.footer.paragraphs[0].add_run(_HOLE.format("RUNS"))
    doc.element.body[-1].addprevious(
        parse_xml(f"<w:p {nsdecls('w')}><w:r><w:t>{_HOLE.format('BODY')}</w:t></w:r></w:p>")
    )
    props = doc.core_properties
    props.language = "fr-FR"
    props.title = _HOLE.format("TITLE")
    props.subject = _HOLE.format("SUBJECT")
    props.comments = ""
    props.author = props.last_modified_by = "Charte IA"
    props.created = props.modified = props.last_printed = date
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    package = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    texts = {}
    footer_hole = f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t>{_HOLE.format("RUNS")}</w:t></w:r></w:p>'
    for name, hole, field in (
        ("word/document.xml", f"<w:p><w:r><w:t>{_HOLE.format('BODY')}</w:t></w:r></w:p>", "{body}"),
        ("word/header1.xml", f"<w:r><w:t>{_HOLE.format('RUNS')}</w:t></w:r>", "{runs}"),
        ("word/footer1.xml", footer_hole, "{paragraphs}"),
        ("docProps/core.xml", _HOLE.format("TITLE"), "{title}"),
    ):
        text = package.read(name).decode("utf-8").replace("{", "{{").replace("}", "}}")
        _expect(text, name, hole)
        texts[name] = text.replace(hole, field)
    texts["docProps/core.xml"] = texts["docProps/core.xml"].replace(_HOLE.format("SUBJECT"), "{subject}")
    # Each charter's own dates (core_dates), and no « last printed »: it never was.
    core, count = re.subn(
        r"<(dcterms:created|dcterms:modified|cp:lastPrinted)\b[^>]*>[^<]*</\1>", "", texts["docProps/core.xml"]
    )
    if count != 3:
        raise RuntimeError("python-docx a changé : docProps/core.xml sans ses trois dates")
    texts["docProps/core.xml"] = core.replace("</cp:coreProperties>", "{dates}</cp:coreProperties>")
    fixed = {}
    for name, change, needed in (
        ("word/styles.xml", _styles, ('w:styleId="Heading1">', 'w:styleId="TOCHeading">', "en-US")),
        ("word/settings.xml", _settings, ("<w:savePreviewPicture/>", "themeFontLang")),
        ("word/numbering.xml", _numbering, ("<w:num ",)),
        ("docProps/app.xml", lambda t: t.replace("Microsoft Macintosh Word", "Charte IA"), ()),
    ):
        text = package.read(name).decode("utf-8")
        _expect(text, name, *needed)
        fixed[name] = change(text).encode("utf-8")
    rels = package.read("_rels/.rels").decode("utf-8")
    thumbnail = re.search(r'<Relationship Id="\w+" Type="[^"]*/thumbnail" Target="docProps/thumbnail.jpeg"/>', rels)
    if thumbnail:
        fixed["_rels/.rels"] = rels.replace(thumbnail.group(0), "").encode("utf-8")
    entries = tuple(
        (info.filename, deflated(info.filename, fixed.get(info.filename) or package.read(info.filename)))
        for info in package.infolist()
        if info.filename != "docProps/thumbnail.jpeg"
    )
    before, after = texts["word/document.xml"].format(body=SPLICE).split(SPLICE)
    return _Skeleton(
        entries, (piece(before), piece(after)), *(texts[n] for n in ("word/header1.xml", "word/footer1.xml", "docProps/core.xml"))
    )
