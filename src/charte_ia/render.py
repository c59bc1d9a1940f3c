"""The one Jinja environment of the package: every `{{ value }}` is escaped unless marked safe.

Templates under templates/ write Markdown (for pages) or Markdown text (for downloads); the
`finalize` hook escapes each value, so a value can never become markup, a link or a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from markupsafe import escape as xml_escape

from .markdown import md_escape, md_escape_plain
from .typography import format_number, fr_typo, join_fr

# Characters XML 1.0 does not allow: a value carrying one must not break the document.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1 << 16)
def xml_text(text: str) -> str:
    """Text for WordprocessingML: French typography, XML-escaped, no character XML forbids."""
    return str(xml_escape(_XML_INVALID.sub("", fr_typo(text))))


def _finalizer(escape: Callable[[str], str]) -> Callable[[Any], Markup]:
    # Autoescape is on so that macros return Markup (not escaped twice); finalize runs first
    # and hands back Markup, so Jinja's HTML escaping never applies on top of ours.
    def finalize(value: Any) -> Markup:
        if isinstance(value, Markup):
            return value
        return Markup(escape(str(value)))

    return finalize


@cache
def environment(flavour: str = "site") -> Environment:
    """`site`: Markdown for this site's pages; `plain`: Markdown for downloads (typography
    applied); `xml`: WordprocessingML (typography applied); `raw`: no escaping, for files whose
    values the caller has already made safe."""
    escapes: dict[str, Callable[[str], str]] = {
        "site": md_escape,
        "plain": lambda text: md_escape_plain(fr_typo(text)),
        "raw": str,
        "xml": xml_text,
    }
    escape = escapes[flavour]
    env = Environment(
        loader=PackageLoader("charte_ia", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalizer(escape),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda value, decimals=0: format_number(value, decimals)
    env.filters["join_fr"] = lambda items: join_fr([str(i) for i in items])
    return env


def render(template: str, flavour: str = "site", **context: Any) -> str:
    return environment(flavour).get_template(template).render(**context)
