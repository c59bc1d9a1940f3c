"""The charter as an OpenDocument text (.odt), the office format of French public bodies (RGI),
rendered from the one Charter model like the Word document.

Written from templates (content.xml, styles.xml) rather than built with odfpy, as the Word
document is: a section with the same clauses and values is rendered and deflated once per
build and spliced into every charter that has it (zips.spliced), where odfpy builds and
serialises an element tree per document, several times slower. odfpy reads the documents back in the tests, as an independent reader.

Same layout rules as the Word document: A4, French language, « page X sur Y », the table of
contents written in (LibreOffice adds page numbers on « Mettre à jour l’index »), headings numbered
by the outline (not typed), tables sized for their content whose rows stay on one page, sections
that follow one another. Bytes are reproducible: no clock, fixed zip timestamps, and the
`mimetype` entry first and stored, as ODF requires.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from charte_ia.charter.acknowledgement import acknowledgement, footer_notice, header_rows
from charte_ia.charter.assembly import Blank, Block, Charter, ClauseView, Plain, SectionView, Segment, Value
from charte_ia.data.loader import Project
from charte_ia.data.models import Labels
from charte_ia.render import layout
from charte_ia.render.docx import document_date
from charte_ia.render.jinja import render, xml_text
from charte_ia.render.sections import SplicedBody
from charte_ia.render.zips import Piece, PieceCache, deflated, piece, spliced, stored, write_zip

MIMETYPE = "application/vnd.oasis.opendocument.text"


def _cm(twips: int) -> str:
    return f"{twips / layout.TWIPS_PER_CM:.3f}cm"


def _span(text: str, style: str | None = None) -> Markup:
    """Text (escaped, typeset) in a span of `style`; spaces and tabs as ODF writes them."""
    body = xml_text(text)
    # ODF collapses runs of spaces unless written as <text:s/>: keep the text as it was given.
    body = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group(0)) - 1}"/>', body)
    return Markup(f'<text:span text:style-name="{style}">{body}</text:span>' if style else body)


def _para(content: str, style: str = "Text_20_body") -> Markup:
    return Markup(f'<text:p text:style-name="{style}">{content}</text:p>')


class _Writer:
    """What the ODF templates call, for one set of labels (one instance per set, so that a
    clause rendered with its bound methods is rendered once per build, as in render.docx)."""

    def __init__(self, labels: Labels):
        self.labels = labels

    def segment(self, seg: Segment) -> Markup:
        if isinstance(seg, Blank):
            return _span(f"[{self.labels.blank} : {seg.what}]", "Blank")
        return _span(seg.text)

    def segments(self, segments: Iterable[Segment]) -> Markup:
        return Markup("".join(self.segment(seg) for seg in segments))

    def text(self, cell: str | Value | Blank) -> str:
        if isinstance(cell, Blank):
            return f"[{self.labels.blank} : {cell.what}]"
        return cell if isinstance(cell, str) else cell.text

    def table(
        self, name: str, header: Sequence[str], rows: Sequence[Sequence[str | Value | Blank]], tall: bool = False
    ) -> Markup:
        """A table with a repeated header row, columns sized for their content (their width is
        in their style's name, `W<twips>`, whose style content.xml declares), rows that stay on
        one page; `tall` rows leave room to write by hand, in columns of equal width."""
        if tall:
            widths = [layout.TEXT_WIDTH // len(header)] * len(header)
            widths[-1] += layout.TEXT_WIDTH - sum(widths)
        else:
            widths = layout.column_widths([[h, *(self.text(r[i]) for r in rows)] for i, h in enumerate(header)])
        row_style = "RowTall" if tall else "Row"
        out = [f'<table:table table:name="{xml_text(name)}" table:style-name="Table">']
        out += (f'<table:table-column table:style-name="W{w}"/>' for w in widths)
        out.append('<table:table-header-rows><table:table-row table:style-name="Row">')
        out += (
            f'<table:table-cell table:style-name="Cell" office:value-type="string">'
            f'<text:p text:style-name="Table_20_Heading">{_span(h)}</text:p></table:table-cell>'
            for h in header
        )
        out.append("</table:table-row></table:table-header-rows>")
        for row in rows:
            out.append(f'<table:table-row table:style-name="{row_style}">')
            for cell in row:
                content = self.segment(Plain(cell) if isinstance(cell, str) else cell) if cell else ""
                out.append(
                    f'<table:table-cell table:style-name="Cell" office:value-type="string">'
                    f'<text:p text:style-name="Table_20_Contents">{content}</text:p></table:table-cell>'
                )
            out.append("</table:table-row>")
        out.append("</table:table>")
        return Markup("".join(out))

    def block_table(self, block: Block) -> tuple[list[str], list[list[str | Value | Blank]]] | None:
        # The same tables as the Word document's.
        from charte_ia.render.docx import _writer as docx_writer

        return docx_writer(self.labels).block_table(block)


    def clause_context(self, clause: ClauseView) -> dict[str, Any]:
        return dict(
            clause=clause, labels=self.labels, para=_para, span=_span, segment=self.segment, segments=self.segments,
            table=self.table, block_table=self.block_table,
        )


@lru_cache(maxsize=8)
def _writer(labels: Labels) -> _Writer:
    return _Writer(labels)


# Where a section goes in the body as its template renders it, written as an element so that
# the line breaks around it go as those between elements do (_tight); XML forbids the
# character, so no value (xml_text drops it) and no template's text holds it.
SPLICE = "<\x00/>"


@lru_cache(maxsize=1 << 9)  # the common clauses: those of a section made anew
def _clause_xml(writer: _Writer, clause: ClauseView) -> str:
    return render("_clause_odt.xml.j2", "xml", **writer.clause_context(clause))


# Each distinct section of the charters, deflated once a build, with its tables' column widths.
_SECTIONS = PieceCache(level=6)  # as the Word document's (render.docx)


class _Body(SplicedBody):
    splice = SPLICE
    fragment = "_clause_odt.xml.j2"
    document = "OpenDocument"
    cache = _SECTIONS

    def clause_xml(self, clause: ClauseView) -> str:
        return _clause_xml(self.writer, clause)

    def info(self, text: str) -> frozenset[int]:
        """Each piece keeps the widths of its tables' columns."""
        return _widths(text)

    @staticmethod
    def xml(section: SectionView, first: bool, clause: Callable[[ClauseView], str]) -> str:
        """The section as the body's template wrote it, without the line breaks between
        elements (_tight): it opens and ends with an element."""
        style = "Heading_20_1_20_Page" if first else "Heading_20_1"
        out = [
            f'<text:h text:style-name="{style}" text:outline-level="1"><text:bookmark text:name="sec{xml_text(section.number)}"/>'
            f"{xml_text(section.title)}</text:h>\n"
        ]
        for one in section.clauses:
            out += [clause(one), "\n"]
        return _tight("".join(out)).strip()

    def widths(self, text: str) -> set[int]:
        """The widths of every table column in the body, its shared sections' included."""
        return set(_widths(text)).union(*(shared.info for shared in self.pieces))


_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def _tight(xml: str) -> str:
    """No line breaks between elements (the templates' own): some ODF readers take them for
    text. Values cannot hold a `>` (they are escaped), so text is never touched."""
    return _BETWEEN_TAGS.sub("><", xml)


_COLUMN = re.compile(r'table:style-name="W(\d+)"')


def _widths(body: str) -> frozenset[int]:
    return frozenset(int(w) for w in _COLUMN.findall(body))


def _column_styles(widths: set[int]) -> str:
    """The automatic styles of the columns the body uses (their width is in their name)."""
    return "".join(
        f'<style:style style:name="W{w}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{_cm(w)}"/></style:style>'
        for w in sorted(widths)
    )


@lru_cache(maxsize=1)
def _content() -> tuple[Piece, Piece, Piece]:
    """content.xml around the columns' styles and around the body: the same in every document."""
    text = _tight(render("odt_content.xml.j2", flavour="xml", body=Markup(SPLICE), columns=Markup(SPLICE)))
    before, between, after = text.split(SPLICE)
    return piece(before), piece(between), piece(after)


def render_odt(charter: Charter, project: Project) -> bytes:
    """An OpenDocument text: outline-numbered headings, the contents, the uses and other tables,
    highlighted blanks, version, dates and page numbers in the footer, the signature block and
    the acknowledgement sheet."""
    labels = project.library.labels
    writer = _writer(labels)
    sheet = acknowledgement(charter, labels)
    meta = header_rows(charter, labels)
    context = dict(
        charter=charter,
        labels=labels,
        meta=meta,
        sheet=sheet,
        para=_para,
        span=_span,
        segment=writer.segment,
        segments=writer.segments,
        table=writer.table,
        block_table=writer.block_table,
    )
    body = _Body(writer)
    body_xml = _tight(render("odt_body.xml.j2", flavour="xml", section_part=body.section, **context)).strip()
    pieces, widths = body.spliced(body_xml), body.widths(body_xml)
    before, between, after = _content()
    notice = footer_notice(charter, labels)
    styles = _tight(render("odt_styles.xml.j2", flavour="xml", layout=layout, cm=_cm, notice=notice, **context))
    name = charter.name.text if isinstance(charter.name, Value) else ""
    date = f"{document_date(charter, project)}T00:00:00"
    meta_xml = render(
        "odt_meta.xml.j2", flavour="xml", title=f"{charter.title} — {name}" if name else charter.title, subject=name, date=date
    )
    return write_zip(
        [
            stored("mimetype", MIMETYPE.encode("ascii")),
            # Spliced from its clauses, each deflated once a build (zips.spliced).
            spliced("content.xml", [before, _column_styles(widths), between, *pieces, after]),
            deflated("styles.xml", styles.encode("utf-8"), level=1),
            deflated("meta.xml", meta_xml.encode("utf-8")),
            _manifest(),
        ]
    )


@lru_cache(maxsize=1)
def _manifest():
    return deflated("META-INF/manifest.xml", render("odt_manifest.xml.j2", flavour="xml", mimetype=MIMETYPE).encode("utf-8"))
