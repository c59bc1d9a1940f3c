"""The one Jinja environment of the package: every `{{ value }}` is escaped unless marked safe.

Templates under templates/ write Markdown (for pages) or Markdown text (for downloads); the
`finalize` hook escapes each value, so a value can never become markup, a link or a template.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup
from markupsafe import escape as xml_escape

from charte_ia.charter.assembly import TOOLS_EMPTY_ROWS, Blank, SectionView, Segment
from charte_ia.render.escaping import md_escape, md_escape_plain
from charte_ia.data.models import Labels
from charte_ia.render.typography import NBSP, format_number, fr_typo, fr_typo_fragment, fr_typo_html, join_fr

# Characters XML 1.0 does not allow: a value carrying one must not break the document.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Bounded as typography._fr_typo_cached: at 1,500 organisations 65,536 held 8,150 texts for
# 500 misses fewer than 4,096 out of 760,000 calls, and grew with N.
@lru_cache(maxsize=1 << 12)
def xml_text(text: str) -> str:
    """Text for WordprocessingML: French typography, XML-escaped, no character XML forbids."""
    return str(xml_escape(_XML_INVALID.sub("", fr_typo(text))))


class FrenchLiterals(Extension):
    """French typography on a template's own words, once, when it is compiled: with the values
    (typeset by `finalize`) that makes a whole document typeset, without a pass over every
    rendered document (that pass was most of the cost of a .md download)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for token in stream:
            if token.type == "data":
                token = Token(token.lineno, "data", fr_typo_fragment(token.value))
            yield token


def _finalizer(escape: Callable[[str], str]) -> Callable[[Any], Markup]:
    # Autoescape is on so that macros return Markup (not escaped twice); finalize runs first
    # and hands back Markup, so Jinja's HTML escaping never applies on top of ours.
    def finalize(value: Any) -> Markup:
        if isinstance(value, Markup):
            return value
        return Markup(escape(str(value)))

    return finalize


def _md_segment(seg: Segment, labels: Labels, escape: Callable[[str], str], site: bool) -> Markup:
    """A charter's segment in Markdown: its text, or a blank, highlighted on the site, bold in a
    download. Python, not a Jinja macro: there are thousands per charter."""
    if isinstance(seg, Blank):
        blank = f"[{escape(labels.blank)}{NBSP}: {escape(seg.what)}]"
        return Markup(f"<mark>{blank}</mark>" if site else f"**{blank}**")  # CSS: .md-content mark
    return Markup(escape(seg.text))


@lru_cache(maxsize=1 << 12)  # bounded as typography._fr_typo_cached, for the same reason
def html_text(text: str) -> str:
    """Text for an HTML page: no markup can come out of it (a line break is a space, as in the
    Markdown the pages were once made from)."""
    return html.escape(text, quote=False).replace("\n", " ")


def _html_segment(seg: Segment, labels: Labels) -> str:
    if isinstance(seg, Blank):
        return f"<mark>[{html_text(labels.blank)}{NBSP}: {html_text(seg.what)}]</mark>"  # CSS: .md-content mark
    return html_text(seg.text)


@cache
def environment(flavour: str = "site") -> Environment:
    """`site`: Markdown for this site's pages; `plain`: Markdown for downloads (typography
    applied); `xml`: WordprocessingML (typography applied); `raw`: no escaping, for files whose
    values the caller has already made safe."""
    escapes: dict[str, Callable[[str], str]] = {
        # Typography first: the page's pass (fr_typo_html) sees only the text nodes that hold
        # French punctuation, not « 15 000 » or « 72 heures ».
        "site": lambda text: md_escape(fr_typo(text)),
        "plain": lambda text: md_escape_plain(fr_typo(text)),
        "raw": str,
        "xml": xml_text,
        "html": html_text,
    }
    escape = escapes[flavour]
    env = Environment(
        loader=PackageLoader("charte_ia.render", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalizer(escape),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are package code: no stat() per render_part call
        extensions=[FrenchLiterals] if flavour == "plain" else [],
    )
    if flavour in ("site", "plain"):  # a charter's text in Markdown: _charter.j2 and the like
        env.globals["segment"] = lambda seg, labels: _md_segment(seg, labels, escape, flavour == "site")
        env.globals["paragraph"] = lambda para, labels: Markup(
            "".join(_md_segment(seg, labels, escape, flavour == "site") for seg in para)
        )
    env.globals["tools_empty_rows"] = TOOLS_EMPTY_ROWS
    if flavour == "html":  # a charter's page, straight to HTML (render.html)
        env.globals["segment"] = lambda seg, labels: Markup(_html_segment(seg, labels))
        env.globals["paragraph"] = lambda para, labels: Markup("".join(_html_segment(seg, labels) for seg in para))
    env.filters["num"] = lambda value, decimals=0: format_number(value, decimals)
    env.filters["join_fr"] = lambda items: join_fr([str(i) for i in items])
    # Text inside raw HTML in a page: Markdown does not read it, so HTML escaping is all it needs.
    env.filters["html"] = lambda text: Markup(xml_escape(fr_typo(str(text))))
    env.globals["part"] = render_part  # `part(template, flavour, **values)`: a shared fragment
    return env


def render(template: str, flavour: str = "site", **context: Any) -> str:
    return environment(flavour).get_template(template).render(**context)


_SECTIONS: OrderedDict[Hashable, Markup] = OrderedDict()
# The shared sections are used by every other page and stay: a larger cache keeps only more of
# those that vary, at 20 to 40 KB each.
_SECTIONS_MAX = 1 << 8


def render_section(
    template: str, flavour: str, section: SectionView, typeset: bool = False, **context: Hashable
) -> Markup:
    """A charter's section (its heading and its clauses, each a `part`), rendered once per build
    for the same clauses and values: three quarters of the sections' text is the same in most
    charters. `typeset`: HTML with French typography (fr_typo_html), once too. The least
    recently used are dropped past _SECTIONS_MAX. When the environment's `part` is not
    render_part (the builder's compiler marks each clause), rendered every time."""

    def made() -> Markup:
        text = render(template, flavour, section=section, **context)
        return Markup(fr_typo_html(text) if typeset else text)

    if environment(flavour).globals["part"] is not render_part:
        return made()
    key = (template, flavour, typeset, section.id, section.number, section.title, section.condition, tuple(section.clauses))
    key += tuple(sorted(context.items()))
    found = _SECTIONS.get(key)
    if found is not None:
        _SECTIONS.move_to_end(key)
        return found
    found = _SECTIONS[key] = made()
    if len(_SECTIONS) > _SECTIONS_MAX:
        _SECTIONS.popitem(last=False)
    return found


# A clause is rendered once per section made (render_section, and the documents' own): the
# clauses of the shared sections need not stay.
@lru_cache(maxsize=1 << 10)
def render_part(template: str, flavour: str, **context: Hashable) -> Markup:
    """A fragment that many documents share, rendered once: the same clause with the same
    values comes back in most charters of a build. Every argument is the cache key, so the
    context holds values (frozen dataclasses, tuples), never a closure made per document."""
    return Markup(render(template, flavour, **context))
