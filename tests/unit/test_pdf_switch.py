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


def test_the_pdf_template_fetches_nothing() -> None:
    with pytest.raises(ValueError, match="aucune ressource externe"):
        pdf._refuse("https://fonts.example/font.woff2")
