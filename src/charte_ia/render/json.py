"""The charter as JSON, rendered from the one Charter model, and the index of all charters.

The charter's JSON is the model itself, field by field (a segment is {"text"}, {"value"} or
{"blank"}), with what a reader needs besides: the organisation's values, ISO dates, the blanks
in reading order, each paragraph as plain text and the sources of each clause. `charter_from_data`
reads it back into the model, so that a released version, frozen as JSON, can be rendered again
in any format without the clause library that has moved on since. The shape is documented on
docs/donnees.md.
"""

from __future__ import annotations

import dataclasses
import json
import types
from functools import cache, lru_cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from charte_ia.charter.assembly import Blank, Charter, CharterSummary, ClauseView, Plain, Reference, Segment, Value
from charte_ia.data.loader import OrganizationEntry, Project

CHARTER_FORMAT = "charte-ia/charte"
INDEX_FORMAT = "charte-ia/index"
FORMAT_VERSION = 1


def dumps(data: Any, compact: bool = False) -> bytes:
    """JSON bytes that depend only on the data: keys in a fixed order, UTF-8, one final newline.
    A charter is written compact (a third smaller: 81 against 114 KB for the agency); the index is indented."""
    if compact:
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- the model as data, and back --------------------------------------------------------------


def segment_data(seg: Segment) -> dict[str, str]:
    if isinstance(seg, Blank):
        return {"blank": seg.what}
    return {"value": seg.text} if isinstance(seg, Value) else {"text": seg.text}


def model_data(obj: Any, keep_defaults: bool = False) -> Any:
    """A frozen dataclass of the model as JSON data; a field left at its default is left out,
    unless `keep_defaults` (the charter's own fields: every charter has the same keys)."""
    if isinstance(obj, Plain | Value | Blank):
        return segment_data(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for field in dataclasses.fields(obj):
            value = getattr(obj, field.name)
            if not keep_defaults and field.default is not dataclasses.MISSING and value == field.default:
                continue
            out[field.name] = model_data(value)
        return out
    if isinstance(obj, list | tuple):
        return [model_data(item) for item in obj]
    return obj


class ModelDataError(ValueError):
    """The JSON does not fit the model (a frozen release written by another version of the kit)."""


_SEGMENTS = {"text": Plain, "value": Value, "blank": Blank}


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(kind: Any, data: Any, where: str) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = get_args(kind)
        if data is None:
            if type(None) in options:
                return None
            raise ModelDataError(f"{where} : valeur manquante")
        if isinstance(data, dict) and any(opt in _SEGMENTS.values() for opt in options):
            key = next(iter(data), None) if len(data) == 1 else None
            cls = _SEGMENTS.get(key or "")
            if cls is None or cls not in options or not isinstance(data[key], str):
                raise ModelDataError(f"{where} : segment attendu ({', '.join(_SEGMENTS)})")
            return cls(data[key])
        rest = [opt for opt in options if opt is not type(None)]
        return _decode(rest[0], data, where)
    if kind in _SEGMENTS.values():
        return _decode(Union[kind, None], data, where)  # noqa: UP007: a Union built at run time
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise ModelDataError(f"{where} : liste attendue")
        args = get_args(kind)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(data):
                raise ModelDataError(f"{where} : {len(args)} éléments attendus")
            return tuple(_decode(a, d, f"{where}[{i}]") for i, (a, d) in enumerate(zip(args, data, strict=True)))
        items = [_decode(args[0], d, f"{where}[{i}]") for i, d in enumerate(data)]
        return tuple(items) if origin is tuple else items
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ModelDataError(f"{where} : objet attendu")
        hints = _hints(kind)
        values = {}
        for field in dataclasses.fields(kind):
            if field.name in data:
                values[field.name] = _decode(hints[field.name], data[field.name], f"{where}.{field.name}")
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise ModelDataError(f"{where}.{field.name} : champ manquant")
        return kind(**values)
    if kind in (str, int, bool, float):
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            raise ModelDataError(f"{where} : {kind.__name__} attendu")
        return data
    return data


def charter_from_data(data: Any) -> Charter:
    """The Charter model from its JSON (keys the model does not have are ignored)."""
    if not isinstance(data, dict) or data.get("format") != CHARTER_FORMAT:
        raise ModelDataError(f"objet au format « {CHARTER_FORMAT} » attendu")
    for section in data.get("sections") or []:
        for clause in (section.get("clauses") or []) if isinstance(section, dict) else []:
            block = clause.get("block") if isinstance(clause, dict) else None
            for row in (block.get("platforms") or []) if isinstance(block, dict) else []:
                # Written before the label was kept apart (a frozen release): « Sources : … » has it.
                if isinstance(row, dict) and "sources_label" not in row and isinstance(row.get("cited"), str):
                    row.update(sources_label=row["cited"].split(":")[0].strip())
    charter: Charter = _decode(Charter, data, "charte")
    return charter


# --- what a reader needs besides the model ------------------------------------------------------


def _plain(para: tuple[Segment, ...], blank_label: str) -> str:
    return "".join(f"[{blank_label} : {seg.what}]" if isinstance(seg, Blank) else seg.text for seg in para)


def _blanks_in(data: Any) -> list[str]:
    """What each blank of a clause's data asks for, in the order of the data."""
    if isinstance(data, dict):
        if set(data) == {"blank"}:
            return [data["blank"]]
        return [what for value in data.values() for what in _blanks_in(value)]
    if isinstance(data, list):
        return [what for item in data for what in _blanks_in(item)]
    return []


def _reference(project: Project, ref: Reference) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": ref.kind, "id": ref.id, "text": ref.text}
    if ref.kind == "source" and ref.id in project.sources:
        source = project.sources[ref.id]
        out.update(title=source.title, publisher=source.publisher, date=source.date, url=source.url)
    elif ref.kind == "figure" and ref.id in project.figures:
        figure = project.figures[ref.id]
        out.update(value=figure.value, unit=figure.unit, status=figure.status, source=figure.source)
    return out


def charter_data(charter: Charter, project: Project, entry: OrganizationEntry | None = None) -> dict[str, Any]:
    labels = project.library.labels
    data: dict[str, Any] = {"format": CHARTER_FORMAT, "format_version": FORMAT_VERSION}
    data.update(model_data(charter, keep_defaults=True))
    org = entry.org if entry else None
    data["dates"] = {
        "adopted": org.adopted.isoformat() if org and org.adopted else None,
        "next_review": org.next_review.isoformat() if org and org.next_review else None,
    }
    data["organization"] = org.model_dump(mode="json", exclude_defaults=True) if org else None
    blanks: list[dict[str, Any]] = []
    for name in ("name", "sector", "version", "adopted", "next_review"):
        seg = getattr(charter, name)
        if isinstance(seg, Blank):
            blanks.append({"clause": None, "field": name, "what": seg.what})
    for s_data, section in zip(data["sections"], charter.sections, strict=True):
        for c_data, clause in zip(s_data["clauses"], section.clauses, strict=True):
            c_data["text"] = [_plain(para, labels.blank) for para in clause.paragraphs]
            # Each reference of the model, with what it points to (a source's address, a figure's value).
            for g_data, group in zip(c_data.get("reasons", []), clause.reasons, strict=True):
                g_data["references"] = [_reference(project, ref) for ref in group.references]
            blanks += [{"clause": clause.id, "what": what} for what in _blanks_in(c_data)]
    data["blanks"] = blanks
    return data


def render_json(charter: Charter, project: Project, entry: OrganizationEntry | None = None) -> bytes:
    """`dumps(charter_data(...), compact=True)`, byte for byte, with each clause's JSON made once
    for all the charters that share it (most clauses read the same in most charters): compact
    JSON of an object is its members' JSON joined, so a clause's text can be spliced in."""
    labels = project.library.labels
    head = {"format": CHARTER_FORMAT, "format_version": FORMAT_VERSION}
    head.update(model_data(dataclasses.replace(charter, sections=[]), keep_defaults=True))
    sections = []
    blanks: list[dict[str, Any]] = []
    for name in ("name", "sector", "version", "adopted", "next_review"):
        seg = getattr(charter, name)
        if isinstance(seg, Blank):
            blanks.append({"clause": None, "field": name, "what": seg.what})
    for section in charter.sections:
        parts = []
        for clause in section.clauses:
            text, clause_blanks = _clause_json(clause, labels.blank, _Same(project))
            parts.append(text)
            blanks += [{"clause": clause.id, "what": what} for what in clause_blanks]
        members = model_data(dataclasses.replace(section, clauses=[]))
        sections.append(_object({**members, "clauses": _Raw("[" + ",".join(parts) + "]")}))
    org = entry.org if entry else None
    head["sections"] = _Raw("[" + ",".join(sections) + "]")
    head["dates"] = {
        "adopted": org.adopted.isoformat() if org and org.adopted else None,
        "next_review": org.next_review.isoformat() if org and org.next_review else None,
    }
    head["organization"] = org.model_dump(mode="json", exclude_defaults=True) if org else None
    head["blanks"] = blanks
    return (_object(head) + "\n").encode("utf-8")


class _Raw(str):
    """JSON text already made, spliced as it is."""


class _Same:
    """The project as part of a cache key: the same object, not an equal one."""

    __slots__ = ("project",)

    def __init__(self, project: Project):
        self.project = project

    def __hash__(self) -> int:
        return id(self.project)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.project is self.project


def _compact(value: Any) -> str:
    return value if isinstance(value, _Raw) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _object(members: dict[str, Any]) -> str:
    return "{" + ",".join(_compact(key) + ":" + _compact(value) for key, value in members.items()) + "}"


# Bounded as render_part (at 5,000 organisations, 27,000 clause variants): 1,024 of about
# 3.9 KB miss 5.7 % of the calls where 4,096 missed 4.4 %, for 12 MB less (1,500 organisations).
@lru_cache(maxsize=1 << 10)
def _clause_json(clause: ClauseView, blank_label: str, project: _Same) -> tuple[str, tuple[str, ...]]:
    """A clause's JSON as charter_data writes it, and what its blanks ask for."""
    data = model_data(clause)
    data["text"] = [_plain(para, blank_label) for para in clause.paragraphs]
    for g_data, group in zip(data.get("reasons", []), clause.reasons, strict=True):
        g_data["references"] = [_reference(project.project, ref) for ref in group.references]
    return _compact(data), tuple(_blanks_in(data))


def index_data(rows: list[tuple[CharterSummary, OrganizationEntry | None, dict[str, Any]]]) -> dict[str, Any]:
    """Every charter of the site with the addresses of its page and downloads (relative to the
    site's root, so that the index holds on any host and offline)."""
    charters = []
    for summary, entry, links in rows:
        org = entry.org if entry else None
        item: dict[str, Any] = {
            "slug": summary.slug,
            "blank": summary.is_blank,
            "name": org.name if org else None,
            "sector": org.sector if org else None,
            "version": org.version if org else None,
            "adopted": org.adopted.isoformat() if org and org.adopted else None,
            "next_review": org.next_review.isoformat() if org and org.next_review else None,
        }
        item.update(links)
        charters.append(item)
    return {"format": INDEX_FORMAT, "format_version": FORMAT_VERSION, "charters": charters}
