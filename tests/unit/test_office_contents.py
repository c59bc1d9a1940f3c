"""The .docx as Word and LibreOffice lay it out: nothing that could stand alone on a page."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from charte_ia.charter.assembly import assemble
from charte_ia.data.loader import Project
from charte_ia.render.docx import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def body_paragraphs(data: bytes) -> list[ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return list(root.find(f"{W}body").iter(f"{W}p"))


def has_text(paragraph: ElementTree.Element) -> bool:
    return any((t.text or "").strip() for t in paragraph.iter(f"{W}t"))


@pytest.mark.parametrize("index", range(5))
def test_no_empty_paragraph_before_a_page_break(project: Project, index: int) -> None:
    """An empty paragraph before a paragraph that starts a page is pushed onto a page of its
    own when the page before is full: the draft city charter's contents, in LibreOffice, left
    page 2 blank."""
    entry = [None, *project.organizations][index]
    paragraphs = body_paragraphs(render_docx(assemble(project, entry), project))
    breaks = [i for i, p in enumerate(paragraphs) if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert breaks
    for i in breaks:
        assert has_text(paragraphs[i - 1]), (i, ElementTree.tostring(paragraphs[i - 1])[:200])


def test_contents_field_ends_in_its_last_entry(project: Project) -> None:
    paragraphs = body_paragraphs(render_docx(assemble(project, project.organizations[0]), project))
    ends = [p for p in paragraphs if any(c.get(f"{W}fldCharType") == "end" for c in p.iter(f"{W}fldChar"))]
    toc_end = next(p for p in ends if any(s.get(f"{W}val") == "TOC1" for s in p.iter(f"{W}pStyle")))
    assert has_text(toc_end)
