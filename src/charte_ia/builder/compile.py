"""The builder's compiled library: the clause library as data for the « Créer ma charte » page.

The page's script must make, for any organisation, the same .md and Word document as the build,
without a second copy of the rules. So the rules are not described here either: the compiler
runs the package's own assembly and renderers on probe organisations and reads the answers.

1. Probe organisations (every text field holding a sentinel that names it, each level and yes/no
   tried in turn) go through `assemble`: where a sentinel comes out, that part of the charter is
   a *slot* fed by that field; where a level comes out, the slot maps each level to its words.
2. A symbolic charter (each slot a sentinel value) goes through the real renderers, once with
   every slot filled and once per colour of slots left blank: the difference around each
   sentinel is how that format writes a value there and how it writes the blank.
3. Clause by clause (each clause's fragment is marked while it is rendered), the same renders
   without the condition line, and with the lists (tools, platforms) at other lengths, give
   the optional and repeated pieces.

What comes out is, per format, a list of tokens: text already rendered and typeset, slots (a
field path, how its value is turned into text, the text around it, the blank), clauses (their
condition as data), lists and rows. The script only evaluates conditions, escapes, fills and
zips; `tests/browser/test_builder.py` checks that it gives the build's bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import types
import typing
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from markupsafe import Markup
from pydantic import BaseModel

from charte_ia.charter import assembly
from charte_ia.charter.assembly import Blank, Charter, ClauseView, Value, _Assembler, assemble
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import Organization
from charte_ia.render import escaping, jinja, layout, typography
from charte_ia.render.docx import render_docx
from charte_ia.render.markdown import render_markdown
from charte_ia.render.html import charter_page as html_page
from charte_ia.render.offline import offline_html
from charte_ia.render.pages import download_names

# Private-use characters: no escaping, typography or Markdown rule touches them or the ASCII
# letters between them, and XML allows them.
_S_OPEN, _S_CLOSE = "\ue000", "\ue001"
_SENTINEL = re.compile("\ue000([a-z]+)\ue001")
_C_OPEN, _C_MID, _C_CLOSE = "\ue002", "\ue003", "\ue004"
_CLAUSE = re.compile("\ue002([a-z0-9-]+)\ue003(.*?)\ue004", re.S)

# Dates the probes use: distinct days and months, so that each date found is known.
_PROBE_DATES = (dt.date(2031, 7, 19), dt.date(2032, 11, 23))


class CompileError(Exception):
    """The renderers wrote something the builder cannot take apart: the page would not match."""


def _sentinel(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return _S_OPEN + letters + _S_CLOSE


# --- the organisation model, read as a tree of fields ----------------------------------------


def _strip_optional(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _base(tp: Any) -> Any:
    tp = _strip_optional(tp)
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return _strip_optional(tp)


def _kind(tp: Any) -> tuple[str, Any]:
    """What a field holds: text, date, bool, enum (its values), model, or list of one of them."""
    tp = _base(tp)
    if get_origin(tp) is list:
        item_kind, item = _kind(get_args(tp)[0])
        return "list:" + item_kind, item
    if get_origin(tp) is Literal:
        return "enum", get_args(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "model", tp
    if tp is bool:
        return "bool", (True, False)
    if tp is dt.date:
        return "date", None
    if tp is str:
        return "text", None
    raise CompileError(f"type de champ inconnu du builder : {tp!r}")


# A list of identifiers that name entries of another data file, not values of the organisation.
_REFERENCES: dict[str, Callable[[Project], list[str]]] = {"platforms": lambda project: list(project.platforms)}


@dataclasses.dataclass
class _Field:
    path: tuple[str | int, ...]
    kind: str
    domain: Any  # enum values, a model, or None
    required: bool


def _fields(model: type[BaseModel], prefix: tuple[str | int, ...] = ()) -> Iterator[_Field]:
    for name, info in model.model_fields.items():
        kind, domain = _kind(info.annotation)
        yield _Field((*prefix, name), kind, domain, info.is_required())


class _Probe:
    """Probe organisations, as plain data validated by the real model."""

    def __init__(self, project: Project):
        self.project = project
        self.slots: dict[str, dict[str, Any]] = {}  # sentinel -> slot description
        self.dates: dict[str, tuple[tuple[str | int, ...], dt.date]] = {}
        self.enums: list[tuple[tuple[str | int, ...], str, tuple[Any, ...]]] = []  # path, kind, options
        self.lists: dict[str, _Field] = {}

    def sentinel(self, path: tuple[str | int, ...], transform: str) -> str:
        s = _sentinel(len(self.slots))
        self.slots[s] = {"path": list(path), "transform": transform}
        return s

    def data(self, model: type[BaseModel], prefix: tuple[str | int, ...], rows: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in _fields(model, prefix):
            name = f.path[-1]
            if f.kind == "text":
                out[name] = self.sentinel(f.path, "text")
            elif f.kind == "list:text" and ".".join(map(str, f.path)) in _REFERENCES:
                self.lists[".".join(map(str, f.path))] = f
            elif f.kind == "list:text":
                out[name] = [self.sentinel(f.path, "list")]
            elif f.kind == "date":
                day = _PROBE_DATES[len(self.dates) % len(_PROBE_DATES)]
                self.dates[typography.format_date(day)] = (f.path, day)
                out[name] = day
            elif f.kind in ("enum", "bool", "list:enum"):
                if len(f.domain) > 1 or not f.required:
                    self.enums.append((f.path, f.kind, f.domain))
            elif f.kind == "model":
                out[name] = self.data(f.domain, f.path, rows)
            elif f.kind == "list:model":
                self.lists[".".join(map(str, f.path))] = f
                out[name] = [self.data(f.domain, (*f.path, i), rows) for i in range(rows)]
            else:
                raise CompileError(f"champ {'.'.join(map(str, f.path))} : {f.kind} inconnu du builder")
        return out


# The probes' slug: no organisation file can have it (a slug has no capital letter).
PROBE_SLUG = "Builder-probe"


def _org(data: dict[str, Any]) -> OrganizationEntry:
    return OrganizationEntry(PROBE_SLUG, Organization.model_validate(data), Path("probe.yml"))


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    import copy

    data = copy.deepcopy(data)
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            node = node[part]
        else:
            node = node.setdefault(part, {})
    node[path[-1]] = value
    return data


# --- the charter model, read as a tree of leaves ---------------------------------------------

Key = tuple[Any, ...]


def _children(obj: Any) -> Iterator[tuple[Any, Any]]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield f.name, getattr(obj, f.name)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield (("id", item.id) if hasattr(item, "id") and isinstance(getattr(item, "id"), str) else i), item


def _leaves(obj: Any, key: Key = ()) -> Iterator[tuple[Key, Any]]:
    if isinstance(obj, (Value, Blank, str)):
        yield key, obj
        return
    for name, child in _children(obj):
        yield from _leaves(child, (*key, name))


def _holds(obj: Any, key: Key) -> bool:
    """Whether the charter has the place `key` names (its value may be None)."""
    for part in key[:-1]:
        found = None
        for name, child in _children(obj):
            if name == part:
                found = child
                break
        if found is None:
            return False
        obj = found
    return dataclasses.is_dataclass(obj) or isinstance(obj, (list, tuple))


def _rebuild(obj: Any, fn: Callable[[Key, Any], Any], key: Key = ()) -> Any:
    if isinstance(obj, (Value, Blank, str)):
        return fn(key, obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{name: _rebuild(child, fn, (*key, name)) for name, child in _children(obj)})
    if isinstance(obj, (list, tuple)):
        return type(obj)(_rebuild(child, fn, (*key, name)) for name, child in _children(obj))
    return obj


def _graft_content(base: Charter, other: Charter) -> Charter:
    """`base` with the paragraphs and blocks of `other`'s clauses: its words, not its conditions."""
    found = {c.id: c for s in other.sections for c in s.clauses}
    sections = [
        dataclasses.replace(
            s,
            clauses=[
                dataclasses.replace(c, paragraphs=found[c.id].paragraphs, block=found[c.id].block) if c.id in found else c
                for c in s.clauses
            ],
        )
        for s in base.sections
    ]
    return dataclasses.replace(base, sections=sections)


def _graft_blocks(base: Charter, other: Charter) -> Charter:
    """`base` with the blocks of `other`: a list's length changes the list, not the conditions."""
    blocks = {c.id: c.block for s in other.sections for c in s.clauses}
    sections = [
        dataclasses.replace(s, clauses=[dataclasses.replace(c, block=blocks.get(c.id, c.block)) for c in s.clauses])
        for s in base.sections
    ]
    return dataclasses.replace(base, sections=sections)


# --- rendering, with each clause's fragment marked --------------------------------------------


@contextmanager
def _marked_clauses() -> Iterator[None]:
    """Every clause fragment a template renders with `part(...)` comes out between markers."""
    saved = {}
    for flavour in ("plain", "xml", "html"):
        env = jinja.environment(flavour)
        saved[flavour] = env.globals["part"]

        def part(template: str, fl: str, _flavour: str = flavour, **context: Any) -> Markup:
            out = jinja.render_part(template, fl, **context)
            clause = context.get("clause")
            if not isinstance(clause, ClauseView):
                return out
            return Markup(f"{_C_OPEN}{clause.id}{_C_MID}{out}{_C_CLOSE}")

        env.globals["part"] = part
    try:
        yield
    finally:
        for flavour, part in saved.items():
            jinja.environment(flavour).globals["part"] = part


_DOWNLOADS_DIV = re.compile(r'<div class="cia-downloads">.*?</div>\n?', re.S)


class _Width:
    """What layout.column_widths gives while the library is compiled: a marker for column `i`
    of its table, which the script replaces by the width it works out from the filled cells (the
    widths depend on the values). A sum of them is the table's width."""

    def __init__(self, i: int | str):
        self.i = i

    def __format__(self, spec: str) -> str:
        return f"\ue005{self.i}\ue006"

    def __add__(self, other: object) -> _Width:
        return _Width("s")

    __radd__ = __add__


@contextmanager
def _marked_widths() -> Iterator[None]:
    saved = layout.column_widths
    layout.column_widths = lambda columns, total=layout.TEXT_WIDTH: [_Width(i) for i in range(len(columns))]
    try:
        yield
    finally:
        layout.column_widths = saved


_MARKER = 8_100_000  # section numbers while compiling: 8100001, 8100002...


class _Renderer:
    def __init__(self, project: Project, directory_urls: bool, for_files: bool = False):
        self.project = project
        self.directory_urls = directory_urls
        self.for_files = for_files  # links name each folder's index.html (the offline zip)
        self.markers: dict[str, str] = {}  # a section's number as rendered -> its sentinel

    def __call__(self, charter: Charter) -> dict[str, str]:
        if type(charter).__name__ != "SaidBlanks":
            charter = _blanks_said(charter, True)
        with _marked_clauses(), _marked_widths():
            md = render_markdown(charter, self.project).decode("utf-8")
            docx = zipfile.ZipFile(io.BytesIO(render_docx(charter, self.project)))
            page = html_page(self.project, charter, download_names(charter), self.directory_urls)
        out = {"md": md}
        for name in docx.namelist():
            out["docx:" + name] = docx.read(name).decode("utf-8", "surrogateescape") if name.endswith(".xml") else ""
        # The preview: the charter's page without its download buttons (the builder has its own),
        # one heading level down (it sits under the builder page's title), typeset as every page.
        html = _DOWNLOADS_DIV.sub("", offline_html(page.content) if self.for_files else page.content)
        # Links to the probe's own pages and files (its one-page summary...): its text, no link.
        html = re.sub(rf'<a [^>]*href="[^"]*{PROBE_SLUG}[^"]*"[^>]*>(.*?)</a>', r"\1", html, flags=re.S)
        html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
        out["html"] = typography.fr_typo_html(html)
        for fmt, text in out.items():
            for marker, sentinel in self.markers.items():
                text = text.replace(marker, sentinel)
            out[fmt] = text
        return out


# --- taking a render apart --------------------------------------------------------------------


def _pieces(text: str, sep: str = "") -> list[tuple[str | None, str]]:
    """A render as (None, text between clauses) and (clause id, clause fragment) pieces; `sep`,
    what the template writes after each clause, belongs to the clause (it goes with it)."""
    out: list[tuple[str | None, str]] = []
    pos = 0
    for m in _CLAUSE.finditer(text):
        out.append((None, text[pos : m.start()]))
        if not text.startswith(sep, m.end()):
            raise CompileError(f"une clause n’est pas suivie de {sep!r}")
        out.append((m.group(1), m.group(2) + sep))
        pos = m.end() + len(sep)
    out.append((None, text[pos:]))
    if _C_OPEN in out[-1][1] or _C_CLOSE in out[-1][1]:
        raise CompileError("un fragment de clause mal fermé")
    return out


def _common(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it)."""
    n = min(len(a), len(b))
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return p, s


@dataclasses.dataclass
class _Occ:
    start: int
    end: int
    slot: str
    pre: str
    post: str
    blank: str | None
    cases: dict[str, dict[str, dict[str, Any]]] = dataclasses.field(default_factory=dict)
    mid: list[str] = dataclasses.field(default_factory=list)


def _occurrences(text: str) -> list[re.Match[str]]:
    return list(_SENTINEL.finditer(text))


def _forms(base: str, variant: str, blank: set[str], found: dict[int, _Occ]) -> None:
    """For each occurrence of a `blank` slot in `base`, its value form and its blank form: the
    smallest difference with `variant` (where it is blank) between its neighbours, which are
    values in both."""
    occ = _occurrences(base)
    kept = [m for m in occ if m.group(0) not in blank]
    vocc = _occurrences(variant)
    if [m.group(0) for m in vocc] != [m.group(0) for m in kept]:
        raise CompileError("les valeurs ne sont pas dans le même ordre d’un rendu à l’autre")
    vpos = {id(m): v for m, v in zip(kept, vocc)}
    i = 0
    while i < len(occ):
        if occ[i].group(0) not in blank:
            i += 1
            continue
        j = i
        while j + 1 < len(occ) and occ[j + 1].group(0) == occ[i].group(0):
            j += 1  # the same slot twice in a row: one group
        left = occ[i - 1] if i > 0 else None
        right = occ[j + 1] if j + 1 < len(occ) else None
        if (left and left.group(0) in blank) or (right and right.group(0) in blank):
            raise CompileError("deux blancs voisins dans un même rendu")
        a0 = left.end() if left else 0
        a1 = right.start() if right else len(base)
        b0 = vpos[id(left)].end() if left else 0
        b1 = vpos[id(right)].start() if right else len(variant)
        a, b = base[a0:a1], variant[b0:b1]
        p, s = _common(a, b)
        start, end = a0 + p, a1 - s
        if start > occ[i].start() or end < occ[j].end():
            raise CompileError("un blanc déborde sur sa valeur")
        blank_text = b[p : len(b) - s]
        # The same slot twice in a row is one occurrence, the text between its values included.
        found[occ[i].start()] = _Occ(
            start,
            end,
            occ[i].group(0),
            base[start : occ[i].start()],
            base[occ[j].end() : end],
            blank_text,
            mid=[base[occ[k].end() : occ[k + 1].start()] for k in range(i, j)],
        )
        i = j + 1


def _colour(sequences: list[list[str]], blankable: set[str]) -> list[set[str]]:
    """Groups of slots such that no two neighbours (in any render) are in the same group."""
    neighbours: dict[str, set[str]] = {s: set() for s in blankable}
    for seq in sequences:
        for a, b in zip(seq, seq[1:]):
            if a != b and a in blankable and b in blankable:
                neighbours[a].add(b)
                neighbours[b].add(a)
    colour: dict[str, int] = {}
    for s in sorted(blankable, key=lambda s: -len(neighbours[s])):
        used = {colour[n] for n in neighbours[s] if n in colour}
        colour[s] = next(c for c in range(len(blankable) + 1) if c not in used)
    groups: list[set[str]] = [set() for _ in range(max(colour.values(), default=-1) + 1)]
    for s, c in colour.items():
        groups[c].add(s)
    return groups


# --- tokens -----------------------------------------------------------------------------------


class _Tokens:
    """A piece of a render as tokens, positions in that render."""

    def __init__(self, text: str, occs: dict[int, _Occ], slots: dict[str, dict[str, Any]]):
        self.text = text
        self.occs = sorted((o for o in occs.values()), key=lambda o: o.start)
        self.slots = slots

    def inside(self, pos: int) -> bool:
        return any(o.start < pos < o.end for o in self.occs)

    def tokens(self, start: int, end: int, rename: Callable[[str], str] = lambda s: s) -> list[Any]:
        out: list[Any] = []
        pos = start
        for o in self.occs:
            if o.start < start or o.end > end:
                if o.start < end and o.end > start:
                    raise CompileError("une coupure tombe dans une valeur")
                continue
            if o.start > pos:
                out.append(self.text[pos : o.start])
            slot = rename(o.slot)
            token = {"s": slot, "pre": o.pre, "post": o.post, **({"blank": o.blank} if o.blank is not None else {})}
            if o.mid:
                token["mid"] = o.mid
            if o.cases:
                token["cases"] = o.cases
            out.append(token)
            pos = o.end
        if end > pos:
            out.append(self.text[pos:end])
        return out


def _insertion(short: str, long: str) -> tuple[int, int, int]:
    """`long` is `short` with one insertion: its length and the range of places it may go."""
    p, _ = _common(short, long)
    s = 0  # the whole common suffix: the insertion may slide back over what both end with
    while s < len(short) and short[len(short) - 1 - s] == long[len(long) - 1 - s]:
        s += 1
    length = len(long) - len(short)
    if p + s < len(short) or length <= 0:
        raise CompileError("deux rendus diffèrent par plus d’un ajout")
    return length, len(short) - s, p  # the insertion may start anywhere in [len-s, p]


def _pick(lo: int, hi: int, ok: Callable[[int], bool], from_right: bool = False) -> int:
    for q in range(hi, lo - 1, -1) if from_right else range(lo, hi + 1):
        if ok(q):
            return q
    raise CompileError("aucune coupure possible hors des valeurs")


# --- the compiler -----------------------------------------------------------------------------


def _typography_rules() -> list[list[str]]:
    out = []
    for pattern, replacement in typography.FR_TYPO_RULES:
        if "$" in replacement or re.search(r"\\(?!\d)", replacement):
            raise CompileError(f"règle de typographie inattendue : {replacement!r}")
        out.append([_js(pattern.pattern), re.sub(r"\\(\d)", r"$\1", replacement)])
    return out


_PY_SPACE = "".join(chr(c) for c in range(0x3100) if re.match(r"\s", chr(c)))


def _js(pattern: str) -> str:
    """A Python pattern for JavaScript's `u` flag: `\\s`, `\\d` and `$` as Python reads them."""
    space = "".join(f"\\u{ord(c):04x}" for c in _PY_SPACE)
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF:
            out.append(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\u{{{ord(c):x}}}")
            i += 1
            continue
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n == "s":
                out.append(space if in_class else f"[{space}]")
            elif n == "d":
                out.append("\\p{Nd}")
            elif n == "b" and not in_class:  # Python's word boundary knows accented letters
                w = "[\\p{L}\\p{N}_]"
                out.append(f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))")
            elif n == "-" and in_class:
                out.append("\\-")
            else:
                out.append(c + n)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif c == "$" and not in_class:
            out.append("(?=\\n?$)")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _text_rules() -> dict[str, Any]:
    """What the script needs to turn a value into text exactly as the package does: the same
    regular expressions, read from the package (typography, escaping) and checked here."""
    e = escaping
    # Dates: the package's words, as a template the script fills (checked on every month).
    months = list(typography._MONTHS)
    sample = typography.format_date(dt.date(2031, 7, 19))
    template = sample.replace("19", "{day}", 1).replace(months[6], "{month}", 1).replace("2031", "{year}", 1)
    after_day = template.split("{day}", 1)[1].format(month=months[6], year=2031)
    first = typography.format_date(dt.date(2031, 7, 1))[: -len(after_day)]
    for m in range(1, 13):
        for d in (1, 2, 28):
            made = template.format(day=first if d == 1 else d, month=months[m - 1], year=2031)
            if made != typography.format_date(dt.date(2031, m, d)):
                raise CompileError("format_date a changé de forme")
    if typography.join_items(["a", "b", "c"]) != "a, b et c" or typography.join_items(["a, b", "c"]) != "a, b ; c":
        raise CompileError("join_items a changé de forme")
    if typography.join_items(["Créer", "Idées", "IA"], labels=True) != "Créer, idées et IA":
        raise CompileError("join_items a changé de forme")
    return {
        "typo": _typography_rules(),
        "space": _js(r"^\s+|\s+$"),
        "spaces": _js(r"\s+"),
        "md": [
            [_js(e._COMMONMARK_ANYWHERE.pattern), "\\$1"],
            [_js(e._COMMONMARK_LINE_START.pattern), "$1\\$2"],
        ],
        "xml_invalid": _js(jinja._XML_INVALID.pattern),
        # Of those, the ones str.split() takes for spaces (a column's width counts its words).
        "xml_invalid_space": [c for c in _PY_SPACE if jinja._XML_INVALID.match(c)],
        "layout": {
            "total": layout.TEXT_WIDTH,
            "padding": layout._CELL_PADDING,
            "em": layout.EM,
            # Keys as JSON writes them: the script reads the library back from JSON.
            "regular": {str(w): chars for w, chars in layout.REGULAR.items()},
            "bold": {str(w): chars for w, chars in layout.BOLD.items()},
        },
        "months": months,
        "first_day": first,
        "date": template,
        "and": "et",
        "inner_joins": _js(typography._INNER_JOINS.pattern),
    }


# How each format escapes a value (the Jinja flavour its renderer uses).
_ESCAPES = {"md": "md", "html": "html"}


def _escape_for(fmt: str) -> str:
    return "xml" if fmt.startswith("docx:") else _ESCAPES[fmt]


def compile_library(project: Project, directory_urls: bool = True, for_files: bool = False) -> dict[str, Any]:
    """The page's data: JSON-ready. `for_files`: the preview's links as the offline zip writes
    them (render/offline.py)."""
    render = _Renderer(project, directory_urls, for_files)
    probe = _Probe(project)
    rows = 2
    full = probe.data(Organization, (), rows)
    # Levels and yes/no stay unset in the base: every conditional clause is there, undecided.
    base_charter = assemble(project, _org(full))
    base_leaves = dict(_leaves(base_charter))

    # Slots: sentinels and probe dates where they come out, levels and yes/no by trying each.
    slot_at: dict[Key, str] = {}
    capitalised: dict[str, str] = {}  # a slot -> its copy for values that open a table cell
    iso_dates = {day.isoformat(): path for path, day in probe.dates.values()}
    for key, leaf in base_leaves.items():
        text = leaf.text if isinstance(leaf, Value) else leaf if isinstance(leaf, str) else None
        if text is None:
            continue
        found = _SENTINEL.findall(text)
        if found:
            s = _S_OPEN + found[0] + _S_CLOSE
            if text != s or len(found) != 1:
                raise CompileError(f"valeur composée inattendue en {key}")
            if isinstance(leaf, str):
                probe.slots[s]["never_blank"] = True
            # The signature table's cells open with a capital (assembly.block_signature).
            if key[-3:-1] == ("block", "adopter"):
                if s not in capitalised:
                    capitalised[s] = probe.sentinel(tuple(probe.slots[s]["path"]), probe.slots[s]["transform"])
                    probe.slots[capitalised[s]]["upper_first"] = True
                s = capitalised[s]
            slot_at[key] = s
        elif isinstance(leaf, Value) and text in probe.dates:
            path, _ = probe.dates[text]
            slot_at[key] = probe.sentinel(path, "date")
        elif isinstance(leaf, str) and text in iso_dates:  # a date as the document's properties write it
            slot_at[key] = probe.sentinel(iso_dates[text], "iso")
    # Where a level or yes/no comes out, the slot maps each choice to its words; where another
    # field's sentinel comes out (a small business names its data contact where others name
    # their DPO), the slot has a case for that choice.
    cases: dict[Key, dict[str, dict[str, str]]] = {}
    # Choices that change the charter's own words (a role's name for a small business): its
    # clauses are compiled again for that choice.
    reworded: dict[tuple[str, str], Charter] = {}
    for path, kind, domain in probe.enums:
        for option in domain:
            value = [option] if kind == "list:enum" else option
            probed = _set(full, path, value)
            other_charter = assemble(project, _org(probed))
            other = dict(_leaves(other_charter))
            if len(path) == 1 and kind == "enum":
                for key, leaf in other.items():
                    was = base_leaves.get(key)
                    if isinstance(leaf, str) and isinstance(was, str) and leaf != was and key not in slot_at:
                        if key[-1] not in ("number", "condition"):
                            reworded[(path[0], _enum_key(option))] = other_charter
            other_empty = dict(_leaves(assemble(project, _org(_set(_minimal(full), path, value)))))
            for key, leaf in other.items():
                was = base_leaves.get(key)
                if not isinstance(leaf, Value) or not isinstance(was, (Value, Blank)) or leaf == was:
                    continue
                if _SENTINEL.fullmatch(leaf.text) and key in slot_at:
                    case = probe.sentinel(tuple(probe.slots[leaf.text]["path"]), probe.slots[leaf.text]["transform"])
                    blank = other_empty.get(key)
                    if isinstance(blank, Blank):
                        probe.slots[case]["what"] = blank.what
                    cases.setdefault(key, {}).setdefault(".".join(map(str, path)), {})[_enum_key(option)] = case
                    continue
                s = slot_at.get(key) or probe.sentinel(path, "list" if kind == "list:enum" else "text")
                slot_at[key] = s
                slot = probe.slots[s]
                if slot["path"] != list(path):
                    raise CompileError(f"{key} dépend de deux champs")
                slot.setdefault("map", {})[_enum_key(option)] = leaf.text
    # What each slot says when it is blank: the charter of an organisation that gave nothing.
    empty = assemble(project, _org(_minimal(full)))
    empty_leaves = dict(_leaves(empty))
    # One slot per field and blank text: a field may be asked for in different words.
    by_what: dict[tuple[str, str | None], str] = {}
    for key in list(slot_at):
        leaf = empty_leaves.get(key)
        s = slot_at[key]
        if leaf is None:
            if _holds(empty, key):  # the model leaves it out: nothing is written there
                if (s, None) not in by_what:
                    copy = probe.sentinel(tuple(probe.slots[s]["path"]), probe.slots[s]["transform"])
                    probe.slots[copy] = {**probe.slots[s], "none": True}
                    probe.slots[copy].pop("what", None)
                    by_what[(s, None)] = copy
                slot_at[key] = by_what[(s, None)]
            # else: the clause itself goes when the field is not given (never a blank there)
        elif isinstance(leaf, Value) and _SENTINEL.fullmatch(leaf.text) and leaf.text != s:
            probe.slots[s]["fallback"] = leaf.text  # another field stands in for it
        elif isinstance(leaf, Blank):
            if "what" not in probe.slots[s]:
                probe.slots[s]["what"] = leaf.what
                by_what[(s, leaf.what)] = s
            elif probe.slots[s]["what"] != leaf.what:
                if (s, leaf.what) not in by_what:
                    copy = probe.sentinel(tuple(probe.slots[s]["path"]), probe.slots[s]["transform"])
                    probe.slots[copy] = {**probe.slots[s], "what": leaf.what}
                    by_what[(s, leaf.what)] = copy
                slot_at[key] = by_what[(s, leaf.what)]

    # The charter's own texts that depend on the whole of it: each clause's condition line (the
    # conditions still undecided), the notice (adopted or not) and the date its facts were checked.
    undecided = _Assembler(project, None)
    conditions: dict[str, str] = {}
    sections = project.library.sections
    if sections[0].when is not None or all(c.when is not None for c in sections[0].clauses):
        raise CompileError(f"section « {sections[0].id} » : la première section doit toujours être là")
    section_conditions: dict[str, str] = {}
    for section in sections:
        if section.when is not None:
            section_conditions[section.id] = probe.sentinel(("#condition", "§" + section.id), "condition")
        for clause in section.clauses:
            if clause.when is not None:
                conditions[clause.id] = probe.sentinel(("#condition", clause.id), "condition")
    notice = probe.sentinel(("#notice",), "notice")
    checked = probe.sentinel(("#checked",), "checked")
    # Section numbers: a number the templates can read as one (`|int`), found in the output.
    if [s.id for s in base_charter.sections] != [s.id for s in sections]:
        raise CompileError("une section manque à la charte de référence")
    section_numbers = {s.id: (probe.sentinel(("#section", s.id), "section"), str(_MARKER + i)) for i, s in enumerate(sections, 1)}
    render.markers = {marker: sentinel for sentinel, marker in section_numbers.values()}
    for s_ in (notice, checked, *conditions.values(), *section_conditions.values(), *(v[0] for v in section_numbers.values())):
        probe.slots[s_]["never_blank"] = True
    # Clause numbers are slots too: they change when an earlier clause does not apply.
    numbers: dict[str, str] = {}
    for s_index, section in enumerate(base_charter.sections, start=1):
        if section.number != str(s_index):
            raise CompileError(f"numérotation inattendue : {section.number}")
        for c_index, clause in enumerate(section.clauses, start=1):
            if clause.number != f"{s_index}.{c_index}":
                raise CompileError(f"numérotation inattendue : {clause.number}")
            numbers[clause.id] = probe.sentinel(("#number", clause.id), "number")
            probe.slots[numbers[clause.id]]["never_blank"] = True

    def symbolic(
        charter: Charter, blank: set[str] = frozenset(), case: tuple[str, str] | None = None  # type: ignore[assignment]
    ) -> Charter:
        def leaf(key: Key, value: Any) -> Any:
            if len(key) == 3 and key[0] == "sections" and key[-1] == "number":
                return section_numbers[key[1][1]][1]
            if len(key) >= 3 and key[-1] in ("number", "condition") and key[-3] == "clauses":
                if key[-1] == "number":
                    return numbers[key[-2][1]]
                return conditions[key[-2][1]] if value is not None else None
            if key == ("disclaimer",):
                return notice
            if key == ("checked",):
                return checked
            s = slot_at.get(key)
            if s is None:
                return value
            if case and case[1] in cases.get(key, {}).get(case[0], {}):
                s = cases[key][case[0]][case[1]]
            if s not in blank:
                return s if isinstance(value, str) else Value(s)
            return None if probe.slots[s].get("none") else Blank(probe.slots[s]["what"])

        rebuilt = _rebuild(charter, leaf)
        return dataclasses.replace(
            rebuilt,
            sections=[
                dataclasses.replace(s, condition=section_conditions[s.id]) if s.id in section_conditions else s
                for s in rebuilt.sections
            ],
        )

    base = symbolic(base_charter)
    renders = {"base": render(base)}
    nocond = render(
        dataclasses.replace(
            base,
            sections=[
                dataclasses.replace(
                    s, condition=None, clauses=[dataclasses.replace(c, condition=None) for c in s.clauses]
                )
                for s in base.sections
            ],
        )
    )
    # Each section that may be left out, left out: what else goes with it (its contents entry).
    removed = {
        s.id: render(dataclasses.replace(base, sections=[other for other in base.sections if other.id != s.id]))
        for s in sections
        if s.when is not None or all(c.when is not None for c in s.clauses)
    }
    section_of = {c.id: s.id for s in base.sections for c in s.clauses}
    blankable = {s for s, d in probe.slots.items() if not d.get("never_blank") and ("what" in d or d.get("none"))}
    sequences = [[m.group(0) for m in _occurrences(t)] for t in renders["base"].values()]
    groups = _colour(sequences, {s for s in blankable if s in {x for seq in sequences for x in seq}})
    coloured = [render(symbolic(base_charter, g)) for g in groups]
    # Each choice that changes which field a placeholder names: the same renders for it.
    case_renders = []
    chosen = {(p_, o) for by in cases.values() for p_, opts in by.items() for o in opts} | set(reworded)
    for path, option in sorted(chosen):
        case = (path, option)
        charter = _graft_content(base_charter, reworded[case]) if case in reworded else base_charter
        variant = render(symbolic(charter, case=case))
        vseq = [[m.group(0) for m in _occurrences(t)] for t in variant.values()]
        vblank = {x for seq in vseq for x in seq if x in blankable or probe.slots[x].get("what")}
        vgroups = _colour(vseq, {x for x in vblank if not probe.slots[x].get("never_blank")})
        case_renders.append((path, option, variant, vgroups, [render(symbolic(charter, g, case)) for g in vgroups]))
    # What the charter says of itself: adopted (version and date of adoption given, nothing
    # left blank: its own notice), or with blanks left (a line says how to fill them in).
    flags = {
        "adopted": render(dataclasses.replace(base, is_adopted=True)),
        "complete": render(_blanks_said(base, False)),
    }

    # Lists whose length changes the document: each at other lengths, the rest unchanged.
    list_variants: dict[str, dict[str, dict[str, str]]] = {}
    for name, f in probe.lists.items():
        variants: dict[str, Any] = {}
        if name in _REFERENCES:
            ids = _REFERENCES[name](project)
            combos = {"": []}
            combos.update({i: [i] for i in ids})
            combos.update({f"{ids[0]},{i}": [ids[0], i] for i in ids[1:]})
            if len(ids) > 1:
                combos[f"{ids[1]},{ids[0]}"] = [ids[1], ids[0]]
        else:
            combos = {str(n): full[f.path[-1]][:n] for n in range(rows)}
        for label, items in combos.items():
            other = assemble(project, _org(_set(full, f.path, items)))
            variants[label] = render(symbolic(_graft_blocks(base_charter, other)))
        list_variants[name] = variants

    # What a template writes with each clause, outside its fragment (a line break): one clause
    # left out shows it.
    section = next(s for s in base.sections if len(s.clauses) > 1)
    left_out = render(
        dataclasses.replace(
            base,
            sections=[dataclasses.replace(s, clauses=s.clauses[1:]) if s is section else s for s in base.sections],
        )
    )
    seps = {fmt: _separator(text, left_out[fmt], section.clauses[0].id) for fmt, text in renders["base"].items()}

    formats: dict[str, Any] = {}
    for fmt, text in renders["base"].items():
        if fmt.startswith("docx:") and not _SENTINEL.search(text) and not _C_OPEN in text and all(
            c[fmt] == text for c in coloured
        ):
            continue
        formats[fmt] = _compile_format(
            fmt,
            text,
            nocond[fmt],
            [c[fmt] for c in coloured],
            groups,
            probe,
            list_variants,
            seps[fmt],
            [(path, option, v[fmt], g, [c[fmt] for c in cs]) for path, option, v, g, cs in case_renders],
            {flag: r[fmt] for flag, r in flags.items()},
            {sid: r[fmt] for sid, r in removed.items()},
            section_of,
        )
    docx_entries = _docx_entries(render_docx(base, project), {f[5:] for f in formats if f.startswith("docx:")})

    clauses = {}
    for s_index, section in enumerate(base_charter.sections, start=1):
        for clause in section.clauses:
            source = next(c for s in project.library.sections for c in s.clauses if c.id == clause.id)
            clauses[clause.id] = {
                "section": section.id,
                "number": numbers[clause.id],
                "when": _when(project, undecided, source.when),
                "checked": _checked(project, source),
            }
    always = [c["checked"] for c in clauses.values() if c["when"] is None and c["checked"]]
    if not always:
        raise CompileError("aucune clause toujours présente ne cite de source datée : la date de vérification manquerait")
    library = project.library
    return {
        "formats": formats,
        "slots": {s: d for s, d in probe.slots.items()},
        "clauses": clauses,
        "sections": [
            {"id": s.id, "number": section_numbers[s.id][0], "when": _when(project, undecided, s.when)} for s in sections
        ],
        "lists": {name: ".".join(map(str, f.path)) for name, f in probe.lists.items()},
        "text": _text_rules(),
        "docx": docx_entries,
        "charter": {
            "condition": library.labels.condition,
            "and": library.labels.and_,
            "disclaimer": typography.fr_typo(library.disclaimer),
            "adopted_notice": library.adopted_notice,
            "revision": typography.revision_words(project.revision, project.revision_date),
            "checked": library.labels.checked,
        },
    }


def _when(project: Project, undecided: Any, when: Any) -> dict[str, Any] | None:
    """A condition as data: each key, what it asks, and its words while undecided."""
    if when is None:
        return None
    keys = [k for k in ("kinds", "use", "platform", "filled") if getattr(when, k) is not None]
    applies, phrases = undecided.decide(when)
    if not applies or len(phrases) != len(keys):
        raise CompileError(f"condition inattendue : {when}")
    out: dict[str, Any] = {"keys": keys, "phrases": dict(zip(keys, phrases)), **when.model_dump(exclude_none=True)}
    if when.filled is not None:
        default: Any = Organization.model_validate({"name": "x"})
        for part in when.filled.split("."):
            default = getattr(default, part, None)
        out["filled_default"] = default  # a list left out is an empty list: a "no", not undecided
    return out


def _checked(project: Project, clause: Any) -> str | None:
    """The oldest date at which a fact the clause cites was checked (sources, platform)."""
    dates = [project.sources[s].checked for s in clause.why.sources]
    if clause.when is not None and clause.when.platform:
        dates.append(project.platforms[clause.when.platform].checked)
    known = [d for d in dates if d is not None]
    return min(known).isoformat() if known else None


def _enum_key(option: Any) -> str:
    return ("true" if option else "false") if isinstance(option, bool) else str(option)


def _minimal(full: dict[str, Any]) -> dict[str, Any]:
    """The probe with only what is required (the lists keep their length)."""
    out: dict[str, Any] = {"name": full["name"]}
    for key, value in full.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out[key] = [{k: v for k, v in item.items() if k == "name"} for item in value]
    return out


def _separator(text: str, left_out: str, clause_id: str) -> str:
    m = re.search(f"{_C_OPEN}{re.escape(clause_id)}{_C_MID}.*?{_C_CLOSE}", text, re.S)
    if m is None:
        return ""
    if text[: m.start()] + text[m.end() :] == left_out:
        return ""
    for k in range(1, 8):
        if text[: m.start()] + text[m.end() + k :] == left_out:
            return text[m.end() : m.end() + k]
    raise CompileError("une clause retirée emporte autre chose que son fragment")


def _compile_format(
    fmt: str,
    base: str,
    nocond: str,
    coloured: list[str],
    groups: list[set[str]],
    probe: _Probe,
    list_variants: dict[str, dict[str, dict[str, str]]],
    sep: str,
    case_renders: list[tuple[str, str, str, list[set[str]], list[str]]],
    flags: dict[str, str],
    removed: dict[str, str],
    section_of: dict[str, str],
) -> list[Any]:
    pieces = _pieces(base, sep)
    pieces_removed = {sid: _pieces(r, sep) for sid, r in removed.items()}
    pieces_flags = {flag: _pieces(r, sep) for flag, r in flags.items()}
    pieces_cases = [(path, option, _pieces(v, sep), g, [_pieces(c, sep) for c in cs]) for path, option, v, g, cs in case_renders]
    pieces_nocond = _pieces(nocond, sep)

    def nocond_piece(index: int) -> str:
        return pieces_nocond[index][1]

    pieces_coloured = [_pieces(c, sep) for c in coloured]
    lists = {
        name: {label: _pieces(r[fmt], sep) for label, r in variants.items()} for name, variants in list_variants.items()
    }
    out: list[Any] = []
    in_section: dict[str, Any] | None = None

    def tok_free(text: str, occs: dict[int, _Occ]) -> list[_Occ]:
        return list(occs.values())

    for index, (clause_id, text) in enumerate(pieces):
        occs: dict[int, _Occ] = {}
        for group, cp in zip(groups, pieces_coloured):
            if cp[index][0] != clause_id:
                raise CompileError("les clauses ne sont pas dans le même ordre d’un rendu à l’autre")
            _forms(text, cp[index][1], group, occs)
        for m in _occurrences(text):
            if not any(o.start <= m.start() < o.end for o in occs.values()):
                occs[m.start()] = _Occ(m.start(), m.end(), m.group(0), "", "", None)
        switch: dict[str, dict[str, list[Any]]] = {}
        for path, option, vpieces, vgroups, vcoloured in pieces_cases:
            vtext = vpieces[index][1]
            if _SENTINEL.sub("", vtext) != _SENTINEL.sub("", text):
                # Other words for this choice: the clause as a whole, for it.
                if clause_id is None or _SENTINEL.sub("", nocond_piece(index)) != _SENTINEL.sub("", text):
                    raise CompileError(f"{path} = {option} change un texte qui n’est pas celui d’une clause simple")
                vocc: dict[int, _Occ] = {}
                for group, c in zip(vgroups, vcoloured):
                    _forms(vtext, c[index][1], group, vocc)
                for m in _occurrences(vtext):
                    if not any(o.start <= m.start() < o.end for o in vocc.values()):
                        vocc[m.start()] = _Occ(m.start(), m.end(), m.group(0), "", "", None)
                switch.setdefault(path, {})[option] = _Tokens(vtext, vocc, probe.slots).tokens(0, len(vtext))
                continue
            _attach_cases(text, occs, path, option, vtext, vgroups, [c[index][1] for c in vcoloured])
        tok = _Tokens(text, occs, probe.slots)
        specials: list[tuple[int, int, Any]] = []
        specials_pre: list[tuple[int, int, Any]] = []
        # A section's heading: the text between the clauses of the one before and its own.
        heading_of = None
        if clause_id is None and 0 < index < len(pieces) - 1:
            heading_of = section_of[pieces[index + 1][0]]  # type: ignore[index]
            if section_of[pieces[index - 1][0]] == heading_of:  # type: ignore[index]
                if text:
                    raise CompileError("du texte entre deux clauses d’une même section")
                heading_of = None
        last_end = 0
        for sid, rpieces in pieces_removed.items():
            if index not in (0, len(pieces) - 1):
                continue
            other = rpieces[0 if index == 0 else -1][1]
            if other == text:
                continue
            # What leaves with the section (its contents entry): one stretch of text, placed
            # where it cuts no value and after the stretch of the section before it.
            length, lo, hi = _insertion(other, text)
            inside = tok_free(text, occs)
            q = _pick(
                max(lo, last_end),
                hi,
                lambda q: not any(o.start < q < o.end or o.start < q + length < o.end for o in inside),
            )
            last_end = q + length
            specials_pre.append((q, q + length, {"if": "§" + sid, "then": None, "else": []}))
        for flag, flag_pieces in pieces_flags.items():
            other = flag_pieces[index][1]
            if clause_id is not None or other == text:
                continue
            p, s = _common(text, other)
            a, b = p, len(text) - s
            a = min([a] + [o.start for o in tok.occs if o.start < a < o.end])
            b = max([b] + [o.end for o in tok.occs if o.start < b < o.end])
            then = other[a : len(other) - (len(text) - b)]
            if any(m.group(0) in probe.slots and not probe.slots[m.group(0)].get("never_blank") for m in _occurrences(then)):
                raise CompileError(f"{fmt} : le texte propre à « {flag} » contient une valeur qui peut manquer : {then!r}")
            specials.append((a, b, {"if": flag, "then": _bare_tokens(then), "else": tok.tokens(a, b)}))
        for a, b, token in specials_pre:
            token["then"] = tok.tokens(a, b)
            specials.append((a, b, token))
        if clause_id is not None or heading_of is not None:
            short = pieces_nocond[index][1]
            if short != text:
                length, lo, hi = _insertion(short, text)
                q = _pick(lo, hi, lambda q: not tok.inside(q) and not tok.inside(q + length))
                of = clause_id if clause_id is not None else "§" + str(heading_of)
                specials.append((q, q + length, {"cond": tok.tokens(q, q + length), "of": of}))
        if clause_id is not None:
            for name, variants in lists.items():
                specials += _list_special(name, text, index, variants, tok, probe)
        specials.sort(key=lambda s: s[0])
        body: list[Any] = []
        pos = 0
        for start, end, token in specials:
            if start < pos:
                raise CompileError(f"{fmt} : deux parties variables se chevauchent : {[(a_, b_, list(t_)) for a_, b_, t_ in specials]}")
            body += tok.tokens(pos, start)
            body.append(token)
            pos = end
        body += tok.tokens(pos, len(text))
        if heading_of is not None:
            in_section = {"section": heading_of, "head": _merge(body), "body": []}
            out.append(in_section)
        elif clause_id is None:
            if text:
                in_section = None
            out += body
        else:
            token = {"clause": clause_id, "body": body, **({"switch": switch} if switch else {})}
            inside = in_section is not None and in_section["section"] == section_of[clause_id]
            (in_section["body"] if inside else out).append(token)  # type: ignore[index]
    return _merge(out)


def _blanks_said(charter: Charter, some: bool) -> Charter:
    """The same charter, saying that it still has blanks or not (`Charter.blanks`), whatever it
    shows: every render but one says it has (a blank in one place must not change another)."""
    if type(charter).__name__ == "SaidBlanks":
        charter = _unsaid(charter)
    said = type("SaidBlanks", (type(charter),), {"blanks": (lambda self: [Blank("")]) if some else (lambda self: [])})
    return said(**{f.name: getattr(charter, f.name) for f in dataclasses.fields(charter)})


def _unsaid(charter: Charter) -> Charter:
    base = type(charter).__mro__[1]
    return base(**{f.name: getattr(charter, f.name) for f in dataclasses.fields(charter)})


def _bare_tokens(text: str) -> list[Any]:
    """Text whose sentinels are all values that are always given (never a blank)."""
    out: list[Any] = []
    pos = 0
    for m in _occurrences(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        out.append({"s": m.group(0), "pre": "", "post": ""})
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def _attach_cases(
    text: str, occs: dict[int, _Occ], path: str, option: str, variant: str, groups: list[set[str]], coloured: list[str]
) -> None:
    """Where the variant (one choice of `path`) names another field than the base, that field's
    forms, as a case of the base's occurrence."""
    if variant == text:
        return
    vocc: dict[int, _Occ] = {}
    for group, c in zip(groups, coloured):
        _forms(variant, c, group, vocc)
    base_list = _occurrences(text)
    var_list = _occurrences(variant)
    if len(base_list) != len(var_list):
        raise CompileError(f"{path} = {option} change plus que les champs nommés")
    for m, v in zip(base_list, var_list):
        if m.group(0) == v.group(0) or m.start() not in occs:
            continue
        occ, alt = occs[m.start()], vocc.get(v.start())
        if alt is None:
            alt = _Occ(v.start(), v.end(), v.group(0), "", "", None)
        if (occ.start - m.start(), occ.end - m.end()) != (alt.start - v.start(), alt.end - v.end()):
            raise CompileError(f"{path} = {option} : la valeur ne s’écrit pas au même endroit")
        occ.cases.setdefault(path, {})[option] = {
            "s": alt.slot,
            "pre": alt.pre,
            "post": alt.post,
            **({"blank": alt.blank} if alt.blank is not None else {}),
            **({"mid": alt.mid} if alt.mid else {}),
        }


def _list_special(
    name: str, text: str, index: int, variants: dict[str, list[tuple[str | None, str]]], tok: _Tokens, probe: _Probe
) -> list[tuple[int, int, Any]]:
    if all(v[index][1] == text for v in variants.values()):
        return []
    if name in _REFERENCES:
        return [_reference_list(name, text, index, variants, tok)]
    # A list of records: base has `rows` items; the variants 0..rows-1.
    one, zero = variants["1"][index][1], variants["0"][index][1]
    length, lo, hi = _insertion(one, text)
    # Row 0 sits just before the inserted row 1.
    q = _pick(
        lo, hi, lambda q: not tok.inside(q - length) and not tok.inside(q) and not tok.inside(q + length), from_right=True
    )
    row0, row1 = (q - length, q), (q, q + length)
    rename = _row_renamer(probe, name)
    t0 = tok.tokens(*row0, rename=rename(0))
    t1 = tok.tokens(*row1, rename=rename(1))
    if t0 != t1:
        raise CompileError(f"les lignes de {name} ne se répètent pas à l’identique")
    p, s = _common(zero, text)
    a, b = p, len(text) - s
    a = min([a, row0[0]] + [o.start for o in tok.occs if o.start < a < o.end])
    b = max([b, row1[1]] + [o.end for o in tok.occs if o.start < b < o.end])
    if any(o.start < a < o.end or o.start < b < o.end for o in tok.occs):
        raise CompileError("une liste coupe une valeur")
    empty = zero[a : len(zero) - (len(text) - b)]
    if _SENTINEL.search(empty):
        raise CompileError(f"la liste vide {name} contient des valeurs")
    token = {
        "list": name,
        "empty": [empty] if empty else [],
        "pre": tok.tokens(a, row0[0]),
        "row": t1,
        "post": tok.tokens(row1[1], b),
    }
    return [(a, b, token)]


def _row_renamer(probe: _Probe, name: str) -> Callable[[int], Callable[[str], str]]:
    """Slots of row i named by their path with `#` for the row: the same for every row."""
    by_path: dict[tuple[Any, ...], str] = {}
    for s, d in probe.slots.items():
        path = d["path"]
        if path and path[0] == name and len(path) > 1 and isinstance(path[1], int):
            generic = (name, "#", *path[2:], d["transform"])
            if path[1] == 0 or generic not in by_path:
                by_path.setdefault(generic, s)

    def rename(row: int) -> Callable[[str], str]:
        def inner(s: str) -> str:
            d = probe.slots[s]
            path = d["path"]
            if path and path[0] == name and len(path) > 1 and path[1] == row:
                generic = (name, "#", *path[2:], d["transform"])
                canonical = by_path[generic]
                probe.slots[canonical]["row_path"] = [name, "#", *path[2:]]
                return canonical
            return s

        return inner

    return rename


def _reference_list(
    name: str, text: str, index: int, variants: dict[str, list[tuple[str | None, str]]], tok: _Tokens
) -> tuple[int, int, Any]:
    """A list of identifiers (platforms): rows fixed per identifier, or every row when empty."""
    empty_text = variants[""][index][1]
    ids = [k for k in variants if k and "," not in k]
    first = ids[0]
    one = variants[first][index][1]
    rows: dict[str, str] = {}
    pos_first = None
    for other in ids[1:]:
        two = variants[f"{first},{other}"][index][1]
        length, lo, hi = _insertion(one, two)
        rows[other] = two[hi : hi + length]
        pos_first = hi
    if len(ids) > 1:
        second = ids[1]
        two = variants[f"{second},{first}"][index][1]
        length, lo, hi = _insertion(variants[second][index][1], two)
        rows[first] = two[hi : hi + length]
    else:
        raise CompileError(f"{name} : il faut au moins deux entrées pour le compiler")
    assert pos_first is not None
    start = pos_first - len(rows[first])
    if one[start:pos_first] != rows[first]:
        raise CompileError(f"les lignes de {name} ne se répètent pas à l’identique")
    for other in ids[1:]:
        if variants[other][index][1] != one[:start] + rows[other] + one[pos_first:]:
            raise CompileError(f"la ligne {other} de {name} dépend de sa place")
    # `text` (the base) is the empty list; `one` the list of one.
    if text != empty_text:
        raise CompileError(f"{name} : rendu de base inattendu")
    p, s = _common(one, text)
    a, b = min(p, start), max(len(text) - s, len(text) - (len(one) - pos_first))
    # Positions in `one`: the same prefix and suffix.
    a1, b1 = a, len(one) - (len(text) - b)
    if any(o.start < a < o.end or o.start < b < o.end for o in tok.occs) or _SENTINEL.search(text[a:b]):
        raise CompileError(f"la liste {name} coupe une valeur")
    token = {
        "list": name,
        "empty": [text[a:b]] if b > a else [],
        "pre": [one[a1:start]] if start > a1 else [],
        "rows": rows,
        "post": [one[pos_first:b1]] if b1 > pos_first else [],
    }
    return a, b, token


def _merge(tokens: list[Any]) -> list[Any]:
    out: list[Any] = []
    for t in tokens:
        if isinstance(t, str) and out and isinstance(out[-1], str):
            out[-1] += t
        elif t != "":
            out.append(t)
    return out


def _docx_entries(docx: bytes, dynamic: set[str]) -> list[dict[str, Any]]:
    """The Word package's parts in order; the ones that never change carry their text, which the
    page packs with the rest of the library (they compress there with the documents' markup)."""
    out: list[dict[str, Any]] = []
    package = zipfile.ZipFile(io.BytesIO(docx))
    for info in package.infolist():
        if info.filename in dynamic:
            out.append({"name": info.filename})
            continue
        try:
            text = package.read(info.filename).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CompileError(f"la partie {info.filename} du modèle Word n’est pas du texte : le constructeur ne sait pas l’emporter") from exc
        out.append({"name": info.filename, "text": text})
    return out
