"""Values are text, never code: HTML, Markdown links, emphasis and Jinja come out literally."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from jinja2 import Environment

from charte_ia.render.escaping import md_escape, md_escape_plain, rel_link

# The site's own Markdown extensions (mkdocs.yml, `markdown_extensions`).
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition"]

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">clic</a>',
    "[x](javascript:alert(1))",
    "![image](https://evil.example/x.png)",
    "<https://evil.example>",
    "*gras* _italique_ **fort** __fort__ `code`",
    "{{ 7*7 }}",
    "{% raw %}brut{% endraw %}",
    "{% if true %}x{% endif %}",
    "# pas un titre",
    "> pas une citation",
    "- pas une liste",
    "1. pas une liste",
    "a | b | c",
    "{ #ancre .classe }",
    "Pixel & Plume &amp; &lt;b&gt;",
    "\\ antislash \\* final\\",
    "ligne 1\nligne 2\n\n# titre",
]


def render_site(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def text_of(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escape_renders_as_the_literal_text(value: str) -> None:
    out = render_site(md_escape(value))
    assert squash(text_of(out)) == squash(value), out


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escape_makes_no_markup(value: str) -> None:
    out = render_site(f"Valeur : {md_escape(value)} fin")
    tags = set(re.findall(r"<\s*([a-zA-Z0-9]+)", out))
    assert tags <= {"p"}, out
    assert "javascript:" not in re.sub(r"&[a-z]+;", "", "".join(re.findall(r"<[^>]*>", out))), out


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escape_in_a_table_cell_stays_one_cell(value: str) -> None:
    table = f"| A | B |\n| --- | --- |\n| {md_escape(value)} | fin |\n"
    out = render_site(table)
    assert out.count("<td>") == 2, out
    tags = re.findall(r"<\s*([a-zA-Z0-9]+)", out)
    assert set(tags) <= {"table", "thead", "tbody", "tr", "th", "td"}, out


def test_md_escape_specific_cases() -> None:
    out = render_site(md_escape("[x](javascript:alert(1))"))
    assert "<a" not in out and "[x](javascript:alert(1))" in html.unescape(out)
    out = render_site(md_escape("<script>alert(1)</script>"))
    assert "<script" not in out and "&lt;script&gt;" in out
    out = render_site(md_escape("*a* _b_ **c**"))
    assert "<em>" not in out and "<strong>" not in out


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{% raw %}x{% endraw %}", "{% if true %}x{% endif %}", "{# c #}"])
def test_jinja_in_a_value_is_not_evaluated(value: str) -> None:
    """A value handed to a template as data is printed, never run as a template."""
    env = Environment(autoescape=False)
    rendered = env.from_string("{{ value }}").render(value=md_escape(value))
    out = render_site(rendered)
    assert squash(text_of(out)) == value
    assert "49" not in out


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{% if true %}x{% endif %}"])
def test_package_templates_print_jinja_values_literally(value: str) -> None:
    """The package's own Jinja environment escapes every value (its `finalize` hook)."""
    from charte_ia.render.jinja import environment

    env = environment("site")
    out = env.from_string("Nom : {{ name }}").render(name=value)
    assert "49" not in out
    assert squash(text_of(render_site(out))) == f"Nom : {value}"


# --- downloads (.md read by any CommonMark reader, or as plain text) -----------------------------

UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escape_plain_unescapes_to_the_value(value: str) -> None:
    escaped = md_escape_plain(value)
    assert UNESCAPE.sub(r"\1", escaped) == value.replace("\n", " ")


@pytest.mark.parametrize("value", HOSTILE)
def test_md_escape_plain_leaves_no_active_markup(value: str) -> None:
    escaped = md_escape_plain(value)
    # Every character that can open HTML, a link, emphasis or code where it stands is
    # backslash-escaped: `<` before a tag's first letter, `&` of an entity, `_` at a word's edge.
    for match in re.finditer(r"<(?=[A-Za-z/!?])|[\[\]`*]|&(?=#?\w+;)|(?<!\w)_|_(?!\w)", escaped):
        start = match.start()
        backslashes = len(escaped[:start]) - len(escaped[:start].rstrip("\\"))
        assert backslashes % 2 == 1, f"unescaped {match.group()!r} at {start} in {escaped!r}"
    assert "\n" not in escaped


def test_md_escape_plain_stays_readable() -> None:
    """Ordinary prose is not littered with backslashes ("readable as plain text")."""
    text = "Vérifiez-les (à chaque révision). Prêt-à-porter, 24 heures ; voir l’article 4."
    assert md_escape_plain(text) == text
    # An ampersand, a « less than » or an underscore inside a word start no syntax.
    for text in ("Agence Pixel & Plume", "moins de 3 < 5 jours", "nom_de_fichier", "a > b"):
        assert md_escape_plain(text) == text


def test_md_escape_plain_line_start_markers() -> None:
    for value in ("# titre", "> citation", "- liste", "+ liste", "1. liste", "2) liste"):
        escaped = md_escape_plain(value)
        assert escaped != value and UNESCAPE.sub(r"\1", escaped) == value


# --- links ------------------------------------------------------------------------------------


def test_rel_link() -> None:
    assert rel_link("chartes/agence.md", "chiffres.md", "fig-x") == "../chiffres.md#fig-x"
    assert rel_link("index.md", "chartes/modele.md") == "chartes/modele.md"
    assert rel_link("chartes/a.md", "telechargements/charte.docx") == "../telechargements/charte.docx"
    assert rel_link("chartes/a.md", "chartes/index.md") == "index.md"
