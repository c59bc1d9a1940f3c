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
