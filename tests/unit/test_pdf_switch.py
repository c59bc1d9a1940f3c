"""The PDF switch: off unless asked; asked without Pango, a French message saying what to install."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from charte_ia.mkdocs import site
from charte_ia.render import pdf


def test_pdfs_only_when_asked(monkeypatch) -> None:
    monkeypatch.delenv("PDF_DOWNLOADS", raising=False)
    assert site.pdf_downloads() is False
    monkeypatch.setenv("PDF_DOWNLOADS", "false")
    assert site.pdf_downloads() is False


def test_pdfs_asked_without_pango_stop_the_build_with_what_to_install(monkeypatch) -> None:
    monkeypatch.setenv("PDF_DOWNLOADS", "true")
    monkeypatch.setattr(pdf, "available", lambda: False)
    with pytest.raises(PluginError, match="apt-get install libpango-1.0-0 libpangoft2-1.0-0"):
        site.pdf_downloads()


def test_pdfs_asked_with_pango(monkeypatch) -> None:
    monkeypatch.setenv("PDF_DOWNLOADS", "true")
    monkeypatch.setattr(pdf, "available", lambda: True)
    assert site.pdf_downloads() is True


def test_the_pdf_templates_fetch_nothing() -> None:
    """No remote font, image or style in the print templates, and WeasyPrint's fetcher refuses
    any address a value could smuggle in (values are escaped besides)."""
    from pathlib import Path

    templates = Path(pdf.__file__).parent / "templates"
    for name in ("_print.css.j2", "print_charter.html.j2", "print_essentials.html.j2", "_clause_print.html.j2"):
        text = (templates / name).read_text(encoding="utf-8")
        assert "url(" not in text and "http" not in text and "@import" not in text, name
    with pytest.raises(ValueError, match="aucune ressource externe"):
        pdf._refuse("https://fonts.example/font.woff2")


def _needs_pango() -> None:
    if not pdf.available():
        pytest.skip("WeasyPrint sans Pango : apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def test_serve_keeps_pdfs_by_content_and_a_build_keeps_none(project, tmp_path, monkeypatch) -> None:
    """With the cache (mkdocs serve), a PDF made from the same HTML is read back, not laid out
    again, and a changed charter is laid out anew; without it (a build), every PDF is made."""
    import dataclasses

    from charte_ia.charter.assembly import assemble

    _needs_pango()
    monkeypatch.delenv(pdf.CACHE_ENV, raising=False)
    charter = assemble(project, project.organizations[0])
    pdf.use_cache(tmp_path / "cache")
    try:
        first = pdf.render_pdf(charter, project)
        assert len(list((tmp_path / "cache").glob("*.pdf"))) == 1
        weasyprint = pdf._weasyprint()
        laid_out = []
        real = weasyprint.HTML
        monkeypatch.setattr(weasyprint, "HTML", lambda *a, **k: laid_out.append(1) or real(*a, **k))
        assert pdf.render_pdf(charter, project) == first and not laid_out
        other = dataclasses.replace(charter, title=charter.title + " (révisée)")
        assert pdf.render_pdf(other, project) != first and len(laid_out) == 1
        assert len(list((tmp_path / "cache").glob("*.pdf"))) == 2
    finally:
        pdf.use_cache(None)
    assert pdf.CACHE_ENV not in __import__("os").environ
    assert pdf.render_pdf(charter, project) == first and len(laid_out) == 2  # made again, the same bytes


def test_the_cache_keeps_the_most_recently_used(tmp_path, monkeypatch) -> None:
    import os

    folder = tmp_path / "cache"
    folder.mkdir()
    for i in range(4):
        path = folder / f"{i}.pdf"
        path.write_bytes(b"x" * 100)
        os.utime(path, (1000 + i, 1000 + i))
    monkeypatch.setattr(pdf, "CACHE_MAX_BYTES", 250)
    try:
        pdf.use_cache(folder)
    finally:
        pdf.use_cache(None)
    assert sorted(p.name for p in folder.iterdir()) == ["2.pdf", "3.pdf"]


def test_only_serve_uses_the_pdf_cache(tmp_path, monkeypatch) -> None:
    import os
    from types import SimpleNamespace

    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    site.pdf_cache(config, serving=True)
    try:
        assert os.environ[pdf.CACHE_ENV] == str(tmp_path / ".cache" / "charte-ia" / "pdf")
    finally:
        site.pdf_cache(config, serving=False)
    assert pdf.CACHE_ENV not in os.environ
