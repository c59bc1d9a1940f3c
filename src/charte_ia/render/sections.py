"""A document body whose sections are made and deflated once a build and spliced into every
document that has them (zips.spliced): what the .docx and .odt renderers share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from markupsafe import Markup

from charte_ia.charter.assembly import ClauseView, SectionView
from charte_ia.render.jinja import environment, render_part
from charte_ia.render.zips import Piece, PieceCache


class SplicedBody:
    """A document's body as it is rendered: each section stands for a piece that many
    documents share, with its heading and its clauses. A format gives its marker, its clause
    template, its cache of pieces and how a section is written (`xml`)."""

    splice: ClassVar[str]  # where a section goes in the body: a character XML forbids
    fragment: ClassVar[str]  # the clause's template, for a caller that marks each fragment
    document: ClassVar[str]  # the format's name, for the error message
    cache: ClassVar[PieceCache]

    def __init__(self, writer: Any):
        self.writer = writer
        self.pieces: list[Piece] = []
        self.part = environment("xml").globals["part"]

    def xml(self, section: SectionView, first: bool, clause: Callable[[ClauseView], str]) -> str:
        raise NotImplementedError

    def clause_xml(self, clause: ClauseView) -> str:
        raise NotImplementedError

    def info(self, text: str) -> Any:
        """What is kept with a section's piece (none by default)."""
        return None

    def section(self, section: SectionView, first: bool) -> Markup:
        writer = self.writer
        if self.part is not render_part:  # the builder's compiler marks each clause it finds (builder.compile)
            return Markup(self.xml(section, first, lambda c: self.part(self.fragment, "xml", **writer.clause_context(c))))
        key = (writer, section.title, section.number, section.condition, first, tuple(section.clauses))
        self.pieces.append(self.cache.get(key, lambda: self.xml(section, first, self.clause_xml), self.info))
        return Markup(self.splice)

    def spliced(self, text: str) -> list[str | Piece]:
        """The body's text and pieces in order."""
        texts = text.split(self.splice)
        if len(texts) != len(self.pieces) + 1:
            raise RuntimeError(f"corps du document {self.document} : une section perdue")
        out: list[str | Piece] = [texts[0]]
        for shared, after in zip(self.pieces, texts[1:], strict=True):
            out += [shared, after]
        return out
