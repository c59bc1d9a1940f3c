"""A charter as the text a reader sees, and what changed between two: clauses added, removed
and changed, word by word.

A released version is kept as that text (FrozenCharter, `texte.json` of the release): plain
lines per clause, which do not depend on the Charter model, so that a version released years
ago still reads and compares after the model has changed. Clauses are matched by id (a clause
keeps its id when its number changes), and a changed clause gets a word diff (difflib, on
words, spaces and punctuation) of its lines. Renderers present the result; nothing here knows
HTML.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from charte_ia.charter.assembly import Blank, Block, Charter, ClauseView, Plain, Segment, Value
from charte_ia.data.models import Labels

Op = Literal["equal", "insert", "delete"]
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class ClauseText:
    id: str
    number: str
    title: str
    section: str  # the section's title
    lines: tuple[str, ...]


@dataclass(frozen=True)
class FrozenSection:
    id: str
    number: str
    title: str
    clauses: tuple[ClauseText, ...]


@dataclass(frozen=True)
class FrozenCharter:
    title: str
    header: tuple[tuple[str, str], ...]  # (label, text) of the organisation, version and dates
    disclaimer: str
    sections: tuple[FrozenSection, ...]

    def clauses(self) -> list[ClauseText]:
        return [c for s in self.sections for c in s.clauses]

    def as_data(self) -> dict[str, Any]:
        return {
            "format": TEXT_FORMAT,
            "format_version": 1,
            "title": self.title,
            "header": [list(pair) for pair in self.header],
            "disclaimer": self.disclaimer,
            "sections": [
                {
                    "id": s.id,
                    "number": s.number,
                    "title": s.title,
                    "clauses": [{"id": c.id, "number": c.number, "title": c.title, "lines": list(c.lines)} for c in s.clauses],
                }
                for s in self.sections
            ],
        }


TEXT_FORMAT = "charte-ia/texte"
_IDENT = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")  # clause and section ids, and numbers


def frozen_from_data(data: Any) -> FrozenCharter:
    """The text of a release from its `texte.json`; ValueError, in French, when it does not fit."""

    def text(value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{where} : texte attendu")
        return value

    def ident(value: Any, where: str) -> str:
        if not isinstance(value, str) or not _IDENT.fullmatch(value):
            raise ValueError(f"{where} : identifiant attendu (minuscules, chiffres, tirets ou points)")
        return value

    def items(value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(f"{where} : liste attendue")
        return value

    def obj(value: Any, where: str, keys: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict) or set(value) != keys:
            raise ValueError(f"{where} : objet avec les clés {', '.join(sorted(keys))} attendu")
        return value

    data = obj(data, "texte", {"format", "format_version", "title", "header", "disclaimer", "sections"})
    if data["format"] != TEXT_FORMAT or data["format_version"] != 1:
        raise ValueError(f"texte : format « {TEXT_FORMAT} », version 1 attendu")
    header = []
    for i, pair in enumerate(items(data["header"], "header")):
        pair = items(pair, f"header[{i}]")
        if len(pair) != 2:
            raise ValueError(f"header[{i}] : deux textes attendus")
        header.append((text(pair[0], f"header[{i}]"), text(pair[1], f"header[{i}]")))
    sections = []
    for i, section in enumerate(items(data["sections"], "sections")):
        where = f"sections[{i}]"
        section = obj(section, where, {"id", "number", "title", "clauses"})
        clauses = []
        for j, clause in enumerate(items(section["clauses"], f"{where}.clauses")):
            cw = f"{where}.clauses[{j}]"
            clause = obj(clause, cw, {"id", "number", "title", "lines"})
            lines = tuple(text(line, f"{cw}.lines") for line in items(clause["lines"], f"{cw}.lines"))
            clauses.append(
                ClauseText(ident(clause["id"], cw), ident(clause["number"], cw), text(clause["title"], cw), text(section["title"], where), lines)
            )
        sections.append(FrozenSection(ident(section["id"], where), ident(section["number"], where), text(section["title"], where), tuple(clauses)))
    return FrozenCharter(text(data["title"], "title"), tuple(header), text(data["disclaimer"], "disclaimer"), tuple(sections))


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


@dataclass(frozen=True)
class LineDiff:
    op: Literal["equal", "insert", "delete", "replace"]
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class ClauseChange:
    kind: Literal["added", "removed", "changed"]
    old: ClauseText | None
    new: ClauseText | None
    title: tuple[Piece, ...]  # the title, word diff
    lines: tuple[LineDiff, ...]

    @property
    def id(self) -> str:
        return (self.new or self.old).id  # type: ignore[union-attr]


@dataclass(frozen=True)
class HeaderChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class CharterDiff:
    header: tuple[HeaderChange, ...]
    clauses: tuple[ClauseChange, ...]

    @property
    def empty(self) -> bool:
        return not self.header and not self.clauses

    def count(self, kind: str) -> int:
        return sum(1 for c in self.clauses if c.kind == kind)

    def clause_ids(self) -> list[str]:
        return [c.id for c in self.clauses]


def segment_text(seg: Segment | None, blank_label: str) -> str:
    if seg is None:
        return ""
    if isinstance(seg, Blank):
        return f"[{blank_label} : {seg.what}]"
    return seg.text


def _block_lines(block: Block, blank_label: str) -> list[str]:
    """A block's rows as lines of text: each row's cells joined by « · », whatever the block."""

    def cell(value: Any) -> str:
        if isinstance(value, Plain | Value | Blank):
            return segment_text(value, blank_label)
        if hasattr(value, "line_cells"):
            return " · ".join(t for t in (cell(v) for v in value.line_cells()) if t)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return " · ".join(t for f in dataclasses.fields(value) if (t := cell(getattr(value, f.name))))
        if isinstance(value, tuple | list):
            return " · ".join(t for t in (cell(v) for v in value) if t)
        if isinstance(value, bool) or value is None:
            return ""
        return str(value)

    lines = []
    for field in dataclasses.fields(block):
        value = getattr(block, field.name)
        if field.name == "kind" or not value:
            continue
        if isinstance(value, tuple) and field.name != "signature":
            lines += [cell(row) for row in value]
        else:
            lines.append(cell(value))
    return [line for line in lines if line]


def clause_text(clause: ClauseView, section_title: str, blank_label: str) -> ClauseText:
    lines = []
    if clause.condition:
        lines.append(clause.condition)
    lines += ["".join(segment_text(seg, blank_label) for seg in para) for para in clause.paragraphs]
    if clause.block:
        lines += _block_lines(clause.block, blank_label)
    # The reason and what it cites are part of the text that is signed (the .md prints them).
    lines.append(f"{clause.why_label} {clause.why}")
    if clause.references:
        lines.append(" ; ".join(ref.text for ref in clause.references))
    return ClauseText(clause.id, clause.number, clause.title, section_title, tuple(lines))


HEADER = (
    ("Organisation", "name"),
    ("Secteur", "sector"),
    ("Version", "version"),
    ("Adoptée le", "adopted"),
    ("Prochaine révision", "next_review"),
)


def frozen(charter: Charter, labels: Labels) -> FrozenCharter:
    """The charter as its reader sees it: what a release keeps and what diffs compare."""
    blank = labels.blank
    return FrozenCharter(
        title=charter.title,
        header=tuple((label, segment_text(getattr(charter, name), blank)) for label, name in HEADER),
        disclaimer=charter.disclaimer,
        sections=tuple(
            FrozenSection(s.id, s.number, s.title, tuple(clause_text(c, s.title, blank) for c in s.clauses))
            for s in charter.sections
        ),
    )


def words(old: str, new: str) -> tuple[Piece, ...]:
    """A word diff of two lines: equal, deleted and inserted runs, in reading order.

    Made for reading: a line rewritten more than it was kept (under half of the words of the
    shorter line in common) is shown deleted then inserted whole, and a change does not stop at a space or a
    lone letter the two lines happen to share ("24 heures" -> "12 heures", not "2[4]... ")."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    kept = sum(1 for block in matcher.get_matching_blocks() for t in a[block.a : block.a + block.size] if _WORD.match(t))
    shorter = min(sum(1 for t in a if _WORD.match(t)), sum(1 for t in b if _WORD.match(t)))
    if kept * 2 < shorter or (shorter == 0 and kept == 0 and a and b):
        return tuple(p for p in (Piece("delete", old), Piece("insert", new)) if p.text)
    runs = [(tag == "equal", "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    for k in range(1, len(runs) - 1):
        same, text, _ = runs[k]
        if same and not runs[k - 1][0] and not runs[k + 1][0] and len(re.sub(r"\W", "", text)) <= 2:
            runs[k] = (False, text, text)  # a space or a letter between two changes joins them
    out: list[Piece] = []
    pending_old, pending_new = "", ""
    for same, a_text, b_text in [*runs, (True, "", "")]:
        if not same:
            pending_old, pending_new = pending_old + a_text, pending_new + b_text
            continue
        out += [Piece("delete", pending_old)] if pending_old else []
        out += [Piece("insert", pending_new)] if pending_new else []
        pending_old = pending_new = ""
        if a_text:
            out.append(Piece("equal", a_text))
    return tuple(out)


def _lines(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[LineDiff, ...]:
    out: list[LineDiff] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [LineDiff("equal", (Piece("equal", line),)) for line in old[i1:i2]]
        elif tag == "delete":
            out += [LineDiff("delete", (Piece("delete", line),)) for line in old[i1:i2]]
        elif tag == "insert":
            out += [LineDiff("insert", (Piece("insert", line),)) for line in new[j1:j2]]
        else:  # replace: pair the lines in order, word diff each pair, the rest whole
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                out.append(LineDiff("replace", words(old[i1 + k], new[j1 + k])))
            out += [LineDiff("delete", (Piece("delete", line),)) for line in old[i1 + pairs : i2]]
            out += [LineDiff("insert", (Piece("insert", line),)) for line in new[j1 + pairs : j2]]
    return tuple(out)


def diff_clauses(old: list[ClauseText], new: list[ClauseText]) -> tuple[ClauseChange, ...]:
    """Changes in the new charter's order; a removed clause stands where it stood in the old one
    (after the clause that preceded it there)."""
    old_by_id = {c.id: c for c in old}
    new_ids = {c.id for c in new}
    changes: list[ClauseChange] = []
    removed_after: dict[str | None, list[ClauseText]] = {}
    previous: str | None = None
    for clause in old:
        if clause.id not in new_ids:
            removed_after.setdefault(previous, []).append(clause)
        else:
            previous = clause.id

    def removed(after: str | None) -> None:
        for clause in removed_after.pop(after, []):
            lines = tuple(LineDiff("delete", (Piece("delete", line),)) for line in clause.lines)
            changes.append(ClauseChange("removed", clause, None, (Piece("delete", clause.title),), lines))

    removed(None)
    for clause in new:
        before = old_by_id.get(clause.id)
        if before is None:
            lines = tuple(LineDiff("insert", (Piece("insert", line),)) for line in clause.lines)
            changes.append(ClauseChange("added", None, clause, (Piece("insert", clause.title),), lines))
        elif (before.title, before.lines) != (clause.title, clause.lines):
            changes.append(
                ClauseChange("changed", before, clause, words(before.title, clause.title), _lines(before.lines, clause.lines))
            )
        removed(clause.id)
    for after in list(removed_after):  # clauses that followed a clause the new charter moved away
        removed(after)
    return tuple(changes)


def diff_charters(old: FrozenCharter, new: FrozenCharter) -> CharterDiff:
    header = [HeaderChange(label, a, b) for (label, a), (_, b) in zip(old.header, new.header, strict=False) if a != b]
    if old.disclaimer != new.disclaimer:
        header.append(HeaderChange("Avertissement", old.disclaimer, new.disclaimer))
    return CharterDiff(tuple(header), diff_clauses(old.clauses(), new.clauses()))
