"""The dates a document says it was created, read back by independent readers (python-docx,
odfpy, pypdf): the adoption date, else the day of the clause library's revision; never a made-up
date (2000-01-01) nor the clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import docx
import pytest
from odf import meta as odf_meta
from odf.opendocument import load as load_odt

from charte_ia.charter.assembly import assemble
from charte_ia.charter.essentials import essentials
from charte_ia.data.loader import Project
from charte_ia.render import pdf
from charte_ia.render.docx import render_docx, render_essentials_docx
from charte_ia.render.odt import render_odt


def charters(project: Project):
    """The blank charter and each example organisation's, with the date each must carry."""
    out = [(None, assemble(project), project.revision_date)]
    for entry in project.organizations:
        out.append((entry, assemble(project, entry), entry.org.adopted or project.revision_date))
    return out


def odt_created(data: bytes) -> dt.datetime:
    document = load_odt(io.BytesIO(data))
    created = document.meta.getElementsByType(odf_meta.CreationDate)
    assert len(created) == 1
    return dt.datetime.fromisoformat(str(created[0]))


def test_the_examples_include_an_undated_charter(project: Project) -> None:
    # Otherwise the fallback below would not be tried.
    assert any(entry.org.adopted is None for entry in project.organizations)


def test_docx_and_odt_are_dated_by_adoption_else_by_revision(project: Project, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for entry, charter, expected in charters(project):
        where = charter.slug
        for data in (render_docx(charter, project), render_essentials_docx(essentials(project, entry, charter), project)):
            props = docx.Document(io.BytesIO(data)).core_properties
            assert props.created is not None and props.created.date() == expected, where
            assert props.modified == props.created, where
            assert props.last_printed is None, where
        assert odt_created(render_odt(charter, project)).date() == expected, where


def test_dates_do_not_depend_on_the_build_environment(project: Project, monkeypatch) -> None:
    entry = next(e for e in project.organizations if e.org.adopted is None)
    charter = assemble(project, entry)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01, what the build sets when unset
    first = (render_docx(charter, project), render_odt(charter, project))
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert (render_docx(charter, project), render_odt(charter, project)) == first
    core = zipfile.ZipFile(io.BytesIO(first[0])).read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01" not in core and "2000-01-01" not in zipfile.ZipFile(io.BytesIO(first[1])).read("meta.xml").decode()


def test_a_new_revision_dates_the_undated_documents(project: Project) -> None:
    newer = project.changelog.revisions[0].model_copy(update={"date": dt.date(2027, 4, 2)})
    changelog = project.changelog.model_copy(update={"revisions": [newer, *project.changelog.revisions[1:]]})
    moved = dataclasses.replace(project, changelog=changelog)
    charter = assemble(moved)
    assert docx.Document(io.BytesIO(render_docx(charter, moved))).core_properties.created.date() == dt.date(2027, 4, 2)
    assert odt_created(render_odt(charter, moved)).date() == dt.date(2027, 4, 2)


@pytest.mark.skipif(not pdf.available(), reason=pdf.MISSING_PANGO)
def test_pdfs_are_dated_the_same_way(project: Project) -> None:
    from pypdf import PdfReader

    for entry, charter, expected in charters(project):
        for data in (pdf.render_pdf(charter, project), pdf.render_essentials_pdf(essentials(project, entry, charter), project)):
            info = PdfReader(io.BytesIO(data)).metadata
            assert info.creation_date is not None and info.creation_date.date() == expected, charter.slug
