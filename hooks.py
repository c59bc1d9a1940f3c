"""MkDocs hooks: a thin adapter over charte_ia.site (see mkdocs.yml, `hooks:`)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from charte_ia import site
from charte_ia.typography import fr_typo_html


@event_priority(100)  # before the macros plugin, so that bad data stops the build first
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site.project_for(config)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site.generated_files(config, files)
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return fr_typo_html(output)
