"""The charters' downloads are not MkDocs Files (site._Downloads): the generated links to them
are still checked, a missing one as MkDocs reports a link to a file it does not have, and a
written page's link to one still resolves (site.SiteFiles)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from charte_ia.mkdocs import site
from charte_ia.render.html import HtmlPage


@pytest.fixture
def config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    errors, _ = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # as MkDocs sets it when it runs the plugins' events
    return config


@pytest.fixture
def downloads(tmp_path: Path, config: MkDocsConfig):
    store = tmp_path / "store"
    (store / "telechargements").mkdir(parents=True)
    (store / "telechargements" / "charte-ia-x-v1-0.docx").write_bytes(b"docx")
    site._downloads.start(store, config.site_dir)
    site._downloads.add("telechargements/charte-ia-x-v1-0.docx", store / "telechargements" / "charte-ia-x-v1-0.docx")
    yield site._downloads
    site._downloads.source.clear()


def _page(config: MkDocsConfig, files: Files, tmp_path: Path, cited: dict[str, frozenset[str]]) -> site.CharterPage:
    html = HtmlPage("chartes/x.md", "X", "", "", [], frozenset({"x"}), cited)
    file = File.generated(config, "chartes/x.md", content="")
    files.append(file)
    stored = tmp_path / "x.html"
    stored.write_text("", encoding="utf-8")
    return site.CharterPage(None, file, config, html, stored)


def test_a_generated_link_to_a_download_is_checked(config, downloads, tmp_path, caplog) -> None:
    files = site.SiteFiles(Files([]), config)
    whole = frozenset({""})
    page = _page(config, files, tmp_path, {"telechargements/charte-ia-x-v1-0.docx": whole, "telechargements/charte-ia-x-v9.odt": whole})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.charte_ia"):
        page.render(config, files)
    found = [r.getMessage() for r in caplog.records if "not found" in r.getMessage()]
    assert found == ["Doc file 'chartes/x.md' contains a link to 'telechargements/charte-ia-x-v9.odt', which is not found."]


def test_a_written_pages_link_to_a_download_resolves_and_the_download_is_placed(config, downloads, tmp_path) -> None:
    files = site.SiteFiles(Files([]), config)
    file = files.get_file_from_path("telechargements/charte-ia-x-v1-0.docx")
    assert file is not None and file.url == "telechargements/charte-ia-x-v1-0.docx"
    assert files.get_file_from_path("telechargements/charte-ia-x-v9.docx") is None
    site.place_downloads()
    assert (Path(config.site_dir) / "telechargements" / "charte-ia-x-v1-0.docx").read_bytes() == b"docx"
