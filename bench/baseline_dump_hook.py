"""MkDocs hook used by bench/build_scaling.py only: dumps every page's final Markdown.

Added (by absolute path) to the `hooks` of a temporary copy of the project, it runs after the
macros plugin and writes each page's Markdown, with its front matter, to $BENCH_DUMP_DIR/<src_uri>.
Those files become the docs/ of the baseline site: the same pages as plain Markdown, built with
the macros plugin and the project's hook turned off. The charter pages, which the site renders
to HTML straight from the model (no Markdown), are written as the Markdown the project's
Markdown renderer gives for them (render/pages.py: `charter_page`, `catalogue_pages`); the
one-page summaries (« L’essentiel »), which have no Markdown form, as their HTML.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

from charte_ia.charter.assembly import BLANK_SLUG, assemble
from charte_ia.mkdocs import site
from charte_ia.render import pages

# Keys that only mean something to the macros plugin.
_DROP_META = {"render_macros"}


_catalogue: dict[str, str] = {}


def _charter_markdown(src: str, config) -> str:
    """The Markdown of a page the site makes from the model, front matter included."""
    project = site.project_for(config)
    if src.startswith("chartes/page-"):
        if not _catalogue:
            _catalogue.update(pages.catalogue_pages(site.summaries_for(config)))
        return _catalogue[src]
    slug = src.removeprefix("chartes/").removesuffix(".md")
    entry = None if slug == BLANK_SLUG else next(e for e in project.organizations if e.slug == slug)
    charter = assemble(project, entry)
    return pages.charter_page(project, charter, pages.download_names(charter), src)


@event_priority(-100)  # after every other on_page_markdown, the macros plugin's included
def on_page_markdown(markdown, page, config, files):
    out = Path(os.environ["BENCH_DUMP_DIR"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(page, site.CharterPage) and page.file.src_uri.endswith("/essentiel.md"):
        # « L’essentiel en une page » has no Markdown form: its HTML, which Markdown keeps as it is.
        front = yaml.safe_dump({"title": page.page_meta["title"]}, allow_unicode=True, width=1000)
        out.write_text(f"---\n{front}---\n\n" + page.stored.read_text(encoding="utf-8"), encoding="utf-8")
        return markdown
    if isinstance(page, site.CharterPage):
        out.write_text(_charter_markdown(page.file.src_uri, config), encoding="utf-8")
        return markdown
    meta = {k: v for k, v in page.meta.items() if k not in _DROP_META}
    front = ""
    if meta:
        front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"
    out.write_text(front + markdown, encoding="utf-8")
    return markdown
