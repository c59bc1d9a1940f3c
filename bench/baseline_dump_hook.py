"""MkDocs hook used by bench/build_scaling.py only: dumps every page's final Markdown.

Added (by absolute path) to the `hooks` of a temporary copy of the project, it runs after the
macros plugin and writes each page's Markdown, with its front matter, to $BENCH_DUMP_DIR/<src_uri>.
Those files become the docs/ of the baseline site: the same pages as plain Markdown, built with
the macros plugin and the project's hook turned off.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

# Keys that only mean something to the macros plugin.
_DROP_META = {"render_macros"}


@event_priority(-100)  # after every other on_page_markdown, the macros plugin's included
def on_page_markdown(markdown, page, config, files):
    out = Path(os.environ["BENCH_DUMP_DIR"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in page.meta.items() if k not in _DROP_META}
    front = ""
    if meta:
        front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"
    out.write_text(front + markdown, encoding="utf-8")
    return markdown
