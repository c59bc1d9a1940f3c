"""Assembly: (clause library, organisation or none) -> one Charter model for every format.

This is the only place that decides which clauses apply and what each placeholder becomes;
renderers only present the result. A value the organisation did not give is a Blank, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import PLACEHOLDER, Clause, Level, Organization, Platform, UseDef, When
from charte_ia.render.typography import format_date, fr_typo, join_fr

BLANK_SLUG = "modele"


@dataclass(frozen=True)
class Plain:
    text: str


@dataclass(frozen=True)
class Value:
    """A value the organisation gave."""

    text: str


@dataclass(frozen=True)
class Blank:
    """Something left to fill in by hand; `what` says what is expected."""

    what: str


Segment = Plain | Value | Blank
# Tuples, not lists, all the way down: a ClauseView is hashable, so that a clause rendered
# with the same values in many charters is rendered once (render.render_part).
Paragraph = tuple[Segment, ...]


@dataclass(frozen=True)
class UseRow:
    label: str
    level: Value | Blank
    forbidden: bool
    share: str  # the study's figure for this use, as text ("86 %")


@dataclass(frozen=True)
class ToolRow:
    name: str
    provider: Value | Blank
    uses: Value | Blank
    data_agreement: Value | Blank


@dataclass(frozen=True)
class PlatformRow:
    name: str
    rule: str
    since: str | None


@dataclass(frozen=True)
class PersonRow:
    role: str
    name: Value | Blank
    contact: Value | Blank


@dataclass(frozen=True)
class Block:
    kind: str
    uses: tuple[UseRow, ...] = ()
    tools: tuple[ToolRow, ...] = ()
    tools_blank: Blank | None = None
    platforms: tuple[PlatformRow, ...] = ()
    platforms_note: Blank | None = None
    audience: tuple[tuple[str, Value | Blank], ...] = ()
    people: tuple[PersonRow, ...] = ()
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    kind: str  # recommendation | figure | source
    id: str
    text: str


@dataclass(frozen=True)
class ClauseView:
    id: str
    number: str  # "3.2"
    title: str
    paragraphs: tuple[Paragraph, ...]
    condition: str | None  # set when the organisation has not decided whether the clause applies
    block: Block | None
    why: str
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class SectionView:
    id: str
    number: str
    title: str
    clauses: list[ClauseView]


@dataclass(frozen=True)
class CharterSummary:
    """What the catalogue needs of a charter: kept for every organisation, unlike the charter."""

    slug: str
    name: Value | Blank
    sector: Value | Blank
    version: Value | Blank
    next_review: Value | Blank
    is_blank: bool
    version_tag: str
    released: str | None = None  # the last released version (charter/releases.py), if any
    changed: bool = False  # its text changed since, under the same version number


@dataclass(frozen=True)
class Charter:
    slug: str
    title: str
    name: Value | Blank
    sector: Value | Blank
    version: Value | Blank
    adopted: Value | Blank
    next_review: Value | Blank
    disclaimer: str
    sections: list[SectionView]
    is_blank: bool

    @property
    def version_tag(self) -> str:
        """Used in download names: 'v1-2' for version 1.2, 'brouillon' when no version is set."""
        if isinstance(self.version, Value):
            return "v" + (re.sub(r"[^a-z0-9]+", "-", self.version.text.lower()).strip("-") or "0")
        return "vierge" if self.is_blank else "brouillon"

    def summary(self) -> CharterSummary:
        return CharterSummary(
            self.slug, self.name, self.sector, self.version, self.next_review, self.is_blank, self.version_tag
        )

    def blanks(self) -> list[Blank]:
        """Every blank in the charter, in reading order (the header's included)."""
        out = [
            s for s in (self.name, self.sector, self.version, self.adopted, self.next_review) if isinstance(s, Blank)
        ]
        for section in self.sections:
            for clause in section.clauses:
                out += [seg for para in clause.paragraphs for seg in para if isinstance(seg, Blank)]
                if clause.block:
                    out += _block_blanks(clause.block)
        return out


def _block_blanks(block: Block) -> list[Blank]:
    cells: list[Any] = [block.tools_blank, block.platforms_note]
    cells += [row.level for row in block.uses]
    cells += [c for row in block.tools for c in (row.provider, row.uses, row.data_agreement)]
    cells += [value for _, value in block.audience]
    cells += [c for row in block.people for c in (row.name, row.contact)]
    return [c for c in cells if isinstance(c, Blank)]


@lru_cache(maxsize=1024)
def _split_clause_text(text: str) -> tuple[tuple[Plain | str, ...], ...]:
    """A clause's text as paragraphs of Plain text and placeholder names, typeset: the same for
    every organisation, so worked out once."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        para = fr_typo(" ".join(para.split()))
        pieces: list[Plain | str] = []
        pos = 0
        for match in PLACEHOLDER.finditer(para):
            if match.start() > pos:
                pieces.append(Plain(para[pos : match.start()]))
            pieces.append(match.group(1))
            pos = match.end()
        if pos < len(para):
            pieces.append(Plain(para[pos:]))
        out.append(tuple(pieces))
    return tuple(out)


class _Assembler:
    def __init__(self, project: Project, org: Organization | None):
        self.project = project
        self.library = project.library
        self.labels = project.library.labels
        self.org = org

    # values ---------------------------------------------------------------------------------

    def field(self, dotted: str, what: str) -> Value | Blank:
        value: Any = self.org
        for part in dotted.split("."):
            value = getattr(value, part, None) if value is not None else None
        return self.as_value(value, what)

    def as_value(self, value: Any, what: str) -> Value | Blank:
        if value is None or value == [] or value == "":
            return Blank(what)
        if isinstance(value, list):
            return Value(fr_typo(join_fr([str(v) for v in value])))
        if isinstance(value, dt.date):
            return Value(format_date(value))
        if isinstance(value, bool):
            return Value(self.labels.yes if value else self.labels.no)
        return Value(fr_typo(str(value)))

    def paragraphs(self, text: str) -> tuple[Paragraph, ...]:
        out = []
        for pieces in _split_clause_text(text):
            segments: list[Segment] = []
            for piece in pieces:
                if isinstance(piece, Plain):
                    segments.append(piece)
                else:
                    placeholder = self.library.placeholders[piece]
                    segments.append(self.field(placeholder.field, placeholder.label))
            out.append(tuple(segments))
        return tuple(out)

    # conditions -----------------------------------------------------------------------------

    def applies(self, when: When | None) -> bool | None:
        """True, False, or None when the organisation has not decided what the condition asks."""
        if when is None:
            return True
        if when.use is not None:
            level = getattr(self.org.uses, when.use) if self.org else None
            return None if level is None else level in (when.levels or [])
        if not self.org or not self.org.platforms:
            return None
        return when.platform in self.org.platforms

    def condition_text(self, when: When) -> str:
        if when.use is not None:
            use = self.use_def(when.use).label
            levels = f" {self.labels.or_} ".join(getattr(self.library.levels, lv).lower() for lv in when.levels or [])
            condition = self.labels.if_use.format(use=use, levels=levels)
        else:
            condition = self.labels.if_platform.format(platform=self.project.platforms[when.platform or ""].name)
        return fr_typo(self.labels.condition.format(condition=condition))

    def use_def(self, use_id: str) -> UseDef:
        return next(u for u in self.library.uses if u.id == use_id)

    # blocks ---------------------------------------------------------------------------------

    def block(self, kind: str) -> Block:
        return getattr(self, f"block_{kind}")()

    def block_uses_table(self) -> Block:
        from charte_ia.render.evidence import format_value

        rows = []
        for use in self.library.uses:
            level: Level | None = getattr(self.org.uses, use.id) if self.org else None
            label = getattr(self.library.levels, level) if level else None
            rows.append(
                UseRow(
                    label=use.label,
                    level=self.as_value(label, f"{self.labels.level.lower()} : {' / '.join(self.level_names())}"),
                    forbidden=level == "forbidden",
                    share=format_value(self.project.figures[use.figure]),
                )
            )
        return Block("uses_table", uses=tuple(rows))

    def level_names(self) -> list[str]:
        levels = self.library.levels
        return [levels.allowed.lower(), levels.review.lower(), levels.forbidden.lower()]

    def block_tools_list(self) -> Block:
        tools = self.org.tools if self.org else []
        rows = [
            ToolRow(
                name=fr_typo(tool.name),
                provider=self.as_value(tool.provider, self.labels.provider.lower()),
                uses=self.as_value([self.use_def(u).label for u in tool.uses], self.labels.tool_uses.lower()),
                data_agreement=self.as_value(tool.data_agreement, self.labels.data_agreement.lower()),
            )
            for tool in tools
        ]
        return Block("tools_list", tools=tuple(rows), tools_blank=None if rows else Blank(self.labels.tool.lower()))

    def block_platform_labels(self) -> Block:
        chosen = self.org.platforms if self.org else []
        shown: list[Platform] = [self.project.platforms[p] for p in chosen] or list(self.project.platforms.values())
        rows = [PlatformRow(name=p.name, rule=fr_typo(p.rule), since=p.since) for p in shown]
        note = None if chosen else Blank(self.labels.platform.lower())
        return Block("platform_labels", platforms=tuple(rows), platforms_note=note)

    def block_audience(self) -> Block:
        labels = self.labels
        audience = [
            (labels.cultures, self.field("audience.cultures", labels.cultures.lower())),
            (labels.regions, self.field("audience.regions", labels.regions.lower())),
            (labels.interests, self.field("audience.interests", labels.interests.lower())),
        ]
        return Block("audience", audience=tuple(audience))

    def block_people(self) -> Block:
        labels = self.labels
        rows = []
        for key, role in (
            ("ai_referent", labels.ai_referent),
            ("dpo", labels.dpo),
            ("incident_contact", labels.incident_contact),
        ):
            rows.append(
                PersonRow(
                    role=role,
                    name=self.field(f"people.{key}.name", f"{labels.person.lower()} : {role.lower()}"),
                    contact=self.field(f"people.{key}.contact", f"{labels.contact.lower()} : {role.lower()}"),
                )
            )
        return Block("people", people=tuple(rows))

    def block_signature(self) -> Block:
        return Block("signature", signature=tuple(self.labels.signature_fields))

    # clauses --------------------------------------------------------------------------------

    def references(self, clause: Clause) -> tuple[Reference, ...]:
        from charte_ia.render.evidence import format_value

        refs = [
            Reference("recommendation", r.id, r.title)
            for r in self.project.recommendations
            if r.id in clause.why.recommendations
        ]
        for fig_id in clause.why.figures:
            figure = self.project.figures[fig_id]
            refs.append(Reference("figure", fig_id, fr_typo(f"{figure.label} : {format_value(figure)}")))
        for src_id in clause.why.sources:
            source = self.project.sources[src_id]
            refs.append(Reference("source", src_id, fr_typo(source.short)))
        return tuple(refs)

    def charter(self, slug: str) -> Charter:
        sections = []
        for s_index, section in enumerate(self.library.sections, start=1):
            clauses: list[ClauseView] = []
            for clause in section.clauses:
                applies = self.applies(clause.when)
                if applies is False:
                    continue
                clauses.append(
                    ClauseView(
                        id=clause.id,
                        number=f"{s_index}.{len(clauses) + 1}",
                        title=fr_typo(clause.title),
                        paragraphs=self.paragraphs(clause.text),
                        condition=self.condition_text(clause.when) if applies is None and clause.when else None,
                        block=self.block(clause.block) if clause.block else None,
                        why=fr_typo(clause.why.note),
                        references=self.references(clause),
                    )
                )
            sections.append(SectionView(section.id, str(s_index), fr_typo(section.title), clauses))
        labels = self.labels
        return Charter(
            slug=slug,
            title=fr_typo(self.library.title),
            name=self.field("name", self.library.placeholders_label("name")),
            sector=self.field("sector", self.library.placeholders_label("sector")),
            version=self.field("version", labels.version.lower()),
            adopted=self.field("adopted", labels.adopted.lower()),
            next_review=self.field("next_review", labels.next_review.lower()),
            disclaimer=fr_typo(self.library.disclaimer),
            sections=sections,
            is_blank=self.org is None,
        )


def assemble(project: Project, entry: OrganizationEntry | None = None) -> Charter:
    """The charter of one organisation, or the blank charter when `entry` is None."""
    if entry is None:
        return _Assembler(project, None).charter(BLANK_SLUG)
    return _Assembler(project, entry.org).charter(entry.slug)
