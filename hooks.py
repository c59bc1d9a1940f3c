"""MkDocs hooks: a thin adapter over charte_ia.mkdocs.site (see mkdocs.yml, `hooks:`)."""

from __future__ import annotations

import os

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from charte_ia.mkdocs import builder, offline, site, staging  # offline: the offline zip and build dates
from charte_ia.render.typography import fr_typo_html


@event_priority(100)  # before the macros plugin, so that bad data stops the build first
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    site.start_documents(config)  # a build's documents' process, forked before the data is loaded
    site.project_for(config)
    staging.stage(config)  # the build writes beside site/, which it replaces only if it succeeds
    return config


def on_startup(command: str, dirty: bool) -> None:
    site.on_startup(command)  # `mkdocs build` renders the documents on a second core
    offline.on_startup(command)  # `mkdocs serve` skips the offline zip
    staging.on_startup(command, dirty)


def on_pre_build(config: MkDocsConfig) -> None:
    site.before_build(config)  # mkdocs serve: the previous site deleted after the build, not before


def on_files(files: Files, config: MkDocsConfig) -> Files:
    offline.on_files(config)  # the footer's link to the offline zip, made once the site is written
    site.generated_files(config, files)
    builder.on_files(files, config)  # « Créer ma charte »: its script, compiled library, schema
    return site.with_downloads(files, config)  # the charters' downloads found as files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    site.add_search_entries(config, files)  # organisations' entries, from the model
    site.prepare_kept_site(files, config)  # mkdocs serve: the charters' folders of the last build
    site.release_anchors(files)  # every page rendered: anchors no link waits on are dropped
    site.render_once(env)  # the nav, rendered once for the pages outside it
    site.reuse_compiled_templates(env)  # mkdocs serve: the theme compiled once for the run
    return env


@event_priority(-100)  # after the search plugin has written its index: the offline zip reads it
def on_post_build(config: MkDocsConfig) -> None:
    site.documents_ready()  # the documents, rendered on the second core while pages were written
    site.place_downloads()  # the charters' downloads into site/, before the zip reads it
    if offline.makes_zip(config):  # the whole site written: the offline zip is made from it
        offline.on_post_build(config, builder.offline_library(config))
    site.finish_build()
    staging.built()


def on_build_error(error: Exception) -> None:
    offline.on_build_error()
    site.finish_build(failed=True)
    staging.failed(error)  # the previous site/ stays as it was


def on_shutdown() -> None:
    staging.publish()  # after MkDocs' strict check: the new site takes the place of the old


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site.release_source(page)  # frees the Markdown source early: peak memory
    return html


@event_priority(-100)  # after the search plugin, which has no use for an organisation's HTML
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    site.load_content(page)  # a charter page's HTML, made from the model, waits on disk
    site.typeset_meta(page)  # French typography in a written page's <title> and description
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = site.post_page(output, page)  # French typography; charter pages' HTML released
    offline.note_written(output, page.file.abs_dest_path)  # where the footer gives the zip's size
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # The 404 page is a theme template, not a page: on_post_page never sees it.
    if not template_name.endswith(".html"):
        return output_content
    output = fr_typo_html(output_content)
    offline.note_written(output, os.path.join(config.site_dir, template_name))
    return output
