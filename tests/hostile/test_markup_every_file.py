"""Every text value of every data file is text in every output: one strict build of the project
with markup of every language the outputs speak in place of every text value of every file."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mutate import data_files, mutate_file
from sitecheck import build, copy_project, docx_text, html_pages, md_unescape, norm, parse

# HTML, Markdown, Jinja (the pages are rendered by mkdocs-macros), WordprocessingML, and a
# line of YAML front matter. Token {n} tells the values apart; no French punctuation inside
# (typography would move its spaces).
PAYLOAD = (
    "Q{n}Q <script>alert({n})</script> <img src=x onerror=alert({n})> *em* _u_ `c` "
    "[l](javascript:alert({n})) <https://evil.example/{n}> {{{{ 7*7 }}}} {{% raw %}}r{{% endraw %}} "
    "&amp;x &lt;b&gt;x </w:t></w:r><w:r><w:t>w ]]> --- # h"
)
TOKEN = re.compile(r"Q(\d+)Q")


def payload(n: int) -> str:
    return PAYLOAD.format(n=n)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    # From 100: a token is never 49, the number a rendered `{{ 7*7 }}` would show.
    counter = iter(range(100, 1_000_000))
    changed: dict[int, str] = {}

    for path, model in data_files(root / "data"):
        tried: dict[tuple, int] = {}

        def value_for(loc, old, tried=tried):
            tried[loc] = next(counter)
            # With line breaks and tabs first (a paragraph field takes them, folded), else without.
            broken = payload(tried[loc]).replace(" ", "\r\n", 3).replace(" ", "\t", 2).replace(" ", "\u2028", 1)
            return broken, payload(tried[loc])

        kept = mutate_file(path, model, value_for)
        assert kept, path
        changed.update({tried[loc]: f"{path.relative_to(root)}:{loc}" for loc in kept})
    result = build(root, env={"OFFLINE_ZIP": "false"})
    assert result.returncode == 0, result.output
    return result, changed


class _Elements(HTMLParser):
    """Every element and attribute of a page, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.script = tag == "script"
        if ":" in tag or (tag == "img" and dict(attrs).get("src") == "x"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "srcset") and "evil.example" in (value or ""):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if self.script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self.script = False


def markup_from_values(raw: str) -> list[str]:
    """Elements, event attributes, script links or scripts that came out of a value."""
    parser = _Elements()
    parser.feed(raw)
    parser.close()
    return parser.found


def check_literal(text: str, where: str) -> set[int]:
    """Each token in `text` is followed by its whole payload, character for character (case
    aside: some labels are printed in lower case). Returns the tokens seen."""
    # The page title in the theme's header shows angle brackets as look-alikes (pages._plain_title).
    flat = norm(text).replace("‹", "<").replace("›", ">").casefold()
    seen = set()
    for match in TOKEN.finditer(flat.upper()):
        n = int(match.group(1))
        expected = norm(payload(n)).casefold()
        assert flat[match.start() : match.start() + len(expected)] == expected, (
            f"{where}: value {n} is not shown literally: {flat[match.start() : match.start() + len(expected) + 40]!r}"
        )
        seen.add(n)
    return seen


def test_no_markup_runs_in_any_page(hostile_site) -> None:
    result, changed = hostile_site
    seen: set[int] = set()
    for path in html_pages(result.site):
        raw = path.read_text(encoding="utf-8")
        where = str(path.relative_to(result.site))
        assert not markup_from_values(raw), f"{where}: {markup_from_values(raw)}"
        assert not re.search(r"Q\d+Q[^<]*\b49\b", raw), f"{where}: a value was rendered as a template"
        seen |= check_literal(" ".join(parse(path).texts), where)
    seen |= _only_in_documents(result.site)
    # Some values are printed nowhere (a placeholder no clause uses, a group with no chart):
    # every file has values that were found, and checked, in the outputs.
    files = {where.split(":")[0] for where in changed.values()}
    checked = {changed[n].split(":")[0] for n in seen if n in changed}
    assert checked == files, f"no value of {sorted(files - checked)} found in any output"
    assert len(seen) > len(changed) / 2, f"only {len(seen)} of {len(changed)} values found in the outputs"


def _only_in_documents(site: Path) -> set[int]:
    seen: set[int] = set()
    for path in (site / "telechargements").glob("*.md"):
        seen |= check_literal(md_unescape(path.read_text(encoding="utf-8")), path.name)
    for path in (site / "telechargements").glob("*.docx"):
        seen |= check_literal(docx_text(path), path.name)
    return seen


def test_values_are_literal_text_in_every_download(hostile_site) -> None:
    result, _ = hostile_site
    docs = sorted((result.site / "telechargements").glob("charte-ia-*"))
    assert {p.suffix for p in docs} >= {".md", ".docx"}
    for path in docs:
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            # Nothing a Markdown reader would turn into an element, a link or a heading.
            assert not re.search(r"(?<!\\)<script|(?<!\\)\[l\]\(|^#+ h$|^---$", text, re.M), path.name
            assert check_literal(md_unescape(text), path.name), path.name
        elif path.suffix == ".docx":
            assert check_literal(docx_text(path), path.name), path.name


def test_values_are_literal_in_the_data_formats(hostile_site) -> None:
    """JSON, iCalendar and CSV, each read back by its own reader: every value as it was written."""
    import csv
    import io
    import json

    import icalendar

    result, _ = hostile_site
    folder = result.site / "telechargements"
    seen: dict[str, set[int]] = {".json": set(), ".ics": set(), ".csv": set()}

    def leaves(value: object) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in leaves(v)]
        if isinstance(value, list):
            return [s for v in value for s in leaves(v)]
        return [value] if isinstance(value, str) else []

    for path in sorted(folder.glob("*.json")):
        for text in leaves(json.loads(path.read_text(encoding="utf-8"))):
            seen[".json"] |= check_literal(text, path.name)
    calendars = sorted(folder.glob("*.ics"))
    assert calendars
    for path in calendars:
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            for name in ("SUMMARY", "DESCRIPTION"):
                seen[".ics"] |= check_literal(str(event[name]), path.name)
    with (folder / "charte-ia-chiffres.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(io.StringIO(handle.read())):
            for cell in row:
                seen[".csv"] |= check_literal(cell.removeprefix("'"), "charte-ia-chiffres.csv")
    assert all(seen.values()), {suffix: len(tokens) for suffix, tokens in seen.items()}
