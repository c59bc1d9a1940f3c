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
from charte_ia.data.models import (
    PLACEHOLDER,
    Clause,
    Level,
    Organization,
    Person,
    Placeholder,
    Platform,
    Section,
    UseDef,
    When,
)
from charte_ia.render.typography import (
    elide_de,
    format_date,
    format_month,
    fr_typo,
    join_fr,
    join_items,
    lower_first,
    revision_words,
    upper_first,
)

BLANK_SLUG = "modele"
TOOLS_EMPTY_ROWS = 3  # rows to fill by hand in the tools table of a charter that lists none


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
    since: str | None  # in French: « juillet 2024 »
    status: str  # « vérifié », « rapporté », « à vérifier »
    note: str | None  # what to check
    sources: str  # where the rule was read: the sources' short names, « ; » between them
    sources_label: str  # « Source » or « Sources », as many as there are

    @property
    def cited(self) -> str:
        """The sources with their label, « Sources : … », where a row has no column for them."""
        return fr_typo(f"{self.sources_label} : {self.sources}")

    def line_cells(self) -> tuple[str | None, ...]:
        """The row as a line of the frozen text (charter/diff.py), as every release has it."""
        return (self.name, self.rule, self.since, self.status, self.note, self.sources, self.cited)


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
    # No tool listed: a table of TOOLS_EMPTY_ROWS rows to fill by hand, counted as this blank.
    tools_blank: Blank | None = None
    platforms: tuple[PlatformRow, ...] = ()
    platforms_undecided: bool = False  # every platform is listed, each row to strike out if unused
    audience: tuple[tuple[str, Value | Blank], ...] = ()
    people: tuple[PersonRow, ...] = ()
    # The signature part: who adopts the charter (name, role, date; None: a cell to fill by
    # hand), then the staff's acknowledgements.
    adopter: tuple[Value | None, Value | None, Value | None] = (None, None, None)


@dataclass(frozen=True)
class Reference:
    kind: str  # recommendation | figure | source
    id: str
    text: str


@dataclass(frozen=True)
class ReferenceGroup:
    label: str  # « Recommandation », « Chiffres », « Sources »
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class ClauseView:
    id: str
    number: str  # "3.2"
    title: str
    paragraphs: tuple[Paragraph, ...]
    condition: str | None  # set when the organisation has not decided whether the clause applies
    block: Block | None
    why_label: str  # « Pourquoi cette règle ? » or « Pourquoi cette définition ? »
    why: str
    reasons: tuple[ReferenceGroup, ...]  # what the reason cites, by kind, in that order

    @property
    def references(self) -> tuple[Reference, ...]:
        return tuple(ref for group in self.reasons for ref in group.references)

    def __hash__(self) -> int:
        # Computed once: a clause is a cache key of every format's renderer (render_part).
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash(
                (self.id, self.number, self.title, self.paragraphs, self.condition, self.block, self.why_label, self.why, self.reasons)
            )
            object.__setattr__(self, "_hash", value)
            return value

    def blanks(self) -> tuple[Blank, ...]:
        """The clause's blanks in reading order; computed once (each charter's, and each of its
        formats', list of blanks is made of its clauses')."""
        try:
            return self.__dict__["_blanks"]
        except KeyError:
            found = [seg for para in self.paragraphs for seg in para if isinstance(seg, Blank)]
            if self.block:
                found += _block_blanks(self.block)
            object.__setattr__(self, "_blanks", tuple(found))
            return self.__dict__["_blanks"]

    def __getstate__(self) -> dict[str, Any]:
        # Another process hashes strings with another seed: it computes its own hash.
        return {k: v for k, v in self.__dict__.items() if k not in ("_hash", "_blanks")}


# The clause views of the charters assembled so far, each kept once: most clauses read the same
# in most charters, and the same object then hits every renderer's cache at once (no deep
# comparison). Bounded; emptied when full.
_VIEWS: dict[ClauseView, ClauseView] = {}
_VIEWS_MAX = 1 << 12  # as many as render_part keeps: a larger set only grows the build with N


def _shared(view: ClauseView) -> ClauseView:
    if len(_VIEWS) >= _VIEWS_MAX:
        _VIEWS.clear()
    return _VIEWS.setdefault(view, view)


@dataclass(frozen=True)
class SectionView:
    id: str
    number: str
    title: str
    clauses: list[ClauseView]
    condition: str | None = None  # as for a clause: the whole section is to keep or to delete


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
    is_adopted: bool = False
    status: str = ""  # « Adoptée » or « Projet »; empty for the blank charter
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
    # The disclaimer (site, blank charter, drafts), or in an adopted charter the notice that it
    # was drawn up from the model, with the library's revision and the date its rules were checked.
    disclaimer: str
    sections: list[SectionView]
    is_blank: bool
    # Adopted: a version and an adoption date, and no blank left. With blanks, it is a draft
    # (`check` names them).
    is_adopted: bool = False
    declares_adoption: bool = False  # a version and an adoption date, blanks or not
    checked: str | None = None  # « Règles vérifiées le … »: the oldest check among the facts cited
    revision: str = ""  # the clause library's revision
    status: str = ""  # « Adoptée » or « Projet »; empty for the blank charter
    adopted_iso: str | None = None  # the adoption date (YYYY-MM-DD): document properties
    # How a sentence names the organisation (« l’agence Pixel & Plume »), else its name.
    designation: Value | Blank | None = None

    @property
    def is_draft(self) -> bool:
        """An organisation's charter not adopted yet: every document says « Projet »."""
        return not self.is_blank and not self.is_adopted

    @property
    def version_tag(self) -> str:
        """Used in download names: 'v1-2' for version 1.2, 'brouillon' when no version is set."""
        if isinstance(self.version, Value):
            return "v" + (re.sub(r"[^a-z0-9]+", "-", self.version.text.lower()).strip("-") or "0")
        return "vierge" if self.is_blank else "brouillon"

    def summary(self) -> CharterSummary:
        return CharterSummary(
            self.slug,
            self.name,
            self.sector,
            self.version,
            self.next_review,
            self.is_blank,
            self.version_tag,
            self.is_adopted,
            self.status,
        )

    def blanks(self) -> list[Blank]:
        """Every blank in the charter, in reading order (the header's included)."""
        return _blanks(self.sections, (self.name, self.sector, self.version, self.adopted, self.next_review))


def _blanks(sections: list[SectionView], header: tuple[Value | Blank, ...]) -> list[Blank]:
    out = [s for s in header if isinstance(s, Blank)]
    for section in sections:
        for clause in section.clauses:
            out += clause.blanks()
    return out


def _block_blanks(block: Block) -> list[Blank]:
    cells: list[Any] = [block.tools_blank]
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


def _is_set(value: Any) -> bool:
    return value is not None and value != [] and value != "" and value is not False


# A clause's references, by clause id, for the project they were made from (the last one),
# and the views of the clauses that hold no value of the organisation's, by place.
_REASONS: dict[str, tuple[ReferenceGroup, ...]] = {}
_STATIC: dict[tuple[str, str, str | None, str], ClauseView] = {}
_REASONS_OF: list[Project | None] = [None]


@lru_cache(maxsize=1024)
def _static_text(text: str) -> bool:
    """Whether a clause's text has no placeholder."""
    return all(isinstance(piece, Plain) for pieces in _split_clause_text(text) for piece in pieces)


class _Assembler:
    def __init__(self, project: Project, org: Organization | None):
        self.project = project
        self.library = project.library
        self.labels = project.library.labels
        self.org = org
        self.kind = org.kind if org else None
        self.cited_sources: set[str] = set()
        self.cited_platforms: set[str] = set()

    # values ---------------------------------------------------------------------------------

    def raw(self, dotted: str) -> Any:
        value: Any = self.org
        for part in dotted.split("."):
            value = getattr(value, part, None) if value is not None else None
        return value

    def field(self, dotted: str, what: str | None = None) -> Value | Blank:
        """An organisation field as a value, or the blank that asks for it (the same words
        wherever the field is asked for)."""
        return self.as_value(self.raw(dotted), what or self.blank_label(dotted))

    def blank_label(self, dotted: str) -> str:
        """What a blank for this field asks for: the library's placeholder words, else the
        field's title in the organisation model."""
        for placeholder in self.library.placeholders.values():
            if placeholder.field == dotted:
                return placeholder.label
            for alt in placeholder.by_kind.values():
                if alt.field == dotted:
                    return alt.label
        model: Any = Organization
        title = dotted
        for part in dotted.split("."):
            info = model.model_fields[part]
            title, model = info.title or part, info.annotation
        return lower_first(title)

    def as_value(self, value: Any, what: str) -> Value | Blank:
        if value is None or value == [] or value == "":
            return Blank(what)
        if isinstance(value, list):
            return Value(fr_typo(join_items([str(v) for v in value])))
        if isinstance(value, dt.date):
            return Value(format_date(value))
        if isinstance(value, bool):
            return Value(self.labels.yes if value else self.labels.no)
        return Value(fr_typo(str(value)))

    def placeholder(self, placeholder: Placeholder) -> Value | Blank:
        alt = placeholder.by_kind.get(self.kind) if self.kind else None
        if alt is not None:
            return self.field(alt.field, alt.label)
        value = self.field(placeholder.field, placeholder.label)
        if isinstance(value, Blank) and placeholder.fallback and self.org is not None:
            fallback = self.field(placeholder.fallback, placeholder.label)
            return fallback if isinstance(fallback, Value) else value
        return value

    def paragraphs(self, text: str) -> tuple[Paragraph, ...]:
        out = []
        for pieces in _split_clause_text(text):
            segments: list[Segment] = []
            for piece in pieces:
                if isinstance(piece, Plain):
                    segments.append(piece)
                else:
                    segments.append(self.placeholder(self.library.placeholders[piece]))
            out.append(tuple(segments))
        return tuple(out)

    # conditions -----------------------------------------------------------------------------

    def decide(self, when: When | None) -> tuple[bool, tuple[str, ...]]:
        """(False, ()) when a condition fails; else (True, the conditions still undecided, in
        words: none when the clause simply applies)."""
        if when is None:
            return True, ()
        undecided: list[str] = []
        labels = self.labels
        if when.kinds is not None:
            if self.kind is None:
                kinds = join_fr([getattr(self.library.kinds, k) for k in when.kinds], labels.or_)
                undecided.append(labels.if_kind.format(kinds=kinds))
            elif self.kind not in when.kinds:
                return False, ()
        if when.use is not None:
            levels = [getattr(self.org.uses, u) if self.org else None for u in when.use]
            chosen = when.levels or []
            if when.match == "all":
                # Every use at one of the levels: one decided use elsewhere settles it.
                if any(level is not None and level not in chosen for level in levels):
                    return False, ()
                if any(level is None for level in levels):
                    undecided.append(self.use_condition(when))
            elif not any(level in chosen for level in levels):
                if all(level is not None for level in levels):
                    return False, ()
                undecided.append(self.use_condition(when))
        if when.platform is not None:
            if self.org is None or not self.org.platforms:
                undecided.append(
                    labels.if_platform.format(platform=self.project.platforms[when.platform].name)
                )
            elif when.platform not in self.org.platforms:
                return False, ()
        if when.filled is not None:
            # A list left empty says "none"; a text or a yes/no left out is not decided yet.
            value = self.raw(when.filled)
            if self.org is None or value is None:
                undecided.append(self.library.filled_conditions[when.filled])
            elif not _is_set(value):
                return False, ()
        return True, tuple(undecided)

    def use_condition(self, when: When) -> str:
        labels = self.labels
        names = [self.use_def(u).label for u in when.use or []]
        chosen = when.levels or []
        if set(chosen) == {"allowed", "review"}:
            levels = labels.any_allowed
        else:
            levels = join_fr([lower_first(getattr(self.library.levels, lv)) for lv in chosen], labels.or_)
        if len(names) == 1:
            return labels.if_use.format(use=names[0], levels=levels)
        if when.match == "all":
            return labels.if_all_uses.format(uses=join_fr([f"« {n} »" for n in names], labels.and_), levels=levels)
        return labels.if_uses.format(uses=join_fr([f"« {n} »" for n in names], labels.or_), levels=levels)

    def condition_text(self, undecided: tuple[str, ...]) -> str | None:
        if not undecided:
            return None
        return fr_typo(self.labels.condition.format(condition=f" {self.labels.and_} ".join(undecided)))

    def use_def(self, use_id: str) -> UseDef:
        return next(u for u in self.library.uses if u.id == use_id)

    # blocks ---------------------------------------------------------------------------------

    def block(self, kind: str) -> Block:
        return getattr(self, f"block_{kind}")()

    def level_names(self) -> list[str]:
        levels = self.library.levels
        return [levels.allowed, levels.review, levels.forbidden]

    def block_uses_table(self) -> Block:
        rows = []
        choices = " / ".join(self.level_names())
        for use in self.library.uses:
            level: Level | None = getattr(self.org.uses, use.id) if self.org else None
            label = getattr(self.library.levels, level) if level else None
            rows.append(UseRow(label=use.label, level=self.as_value(label, choices), forbidden=level == "forbidden"))
        return Block("uses_table", uses=tuple(rows))

    def block_tools_list(self) -> Block:
        tools = self.org.tools if self.org else []
        labels = self.labels
        rows = [
            ToolRow(
                name=fr_typo(tool.name),
                provider=self.as_value(tool.provider, lower_first(labels.provider)),
                uses=self.as_value(
                    join_items([self.use_def(u).label for u in tool.uses], labels=True) or None,
                    lower_first(labels.tool_uses),
                ),
                data_agreement=self.as_value(tool.data_agreement, lower_first(labels.data_agreement)),
            )
            for tool in tools
        ]
        return Block("tools_list", tools=tuple(rows), tools_blank=None if rows else Blank(lower_first(labels.tool)))

    def block_platform_labels(self) -> Block:
        chosen = self.org.platforms if self.org else []
        shown: list[Platform] = [self.project.platforms[p] for p in chosen] or list(self.project.platforms.values())
        self.cited_platforms.update(p.id for p in shown)
        from charte_ia.render.evidence import STATUS_LABELS

        rows = []
        for p in shown:
            names = " ; ".join(self.project.sources[s].short for s in p.sources)
            rows.append(
                PlatformRow(
                    name=p.name,
                    rule=fr_typo(p.rule),
                    since=format_month(p.since) if p.since else None,
                    status=STATUS_LABELS[p.status],
                    note=fr_typo(p.note) if p.note else None,
                    sources=fr_typo(names),
                    sources_label=self.labels.sources[len(p.sources) > 1],
                )
            )
        return Block("platform_labels", platforms=tuple(rows), platforms_undecided=not chosen)

    def block_audience(self) -> Block:
        labels = self.labels
        audience = [
            (labels.cultures, self.field("audience.cultures")),
            (labels.regions, self.field("audience.regions")),
            (labels.interests, self.field("audience.interests")),
        ]
        return Block("audience", audience=tuple(audience))

    def block_people(self) -> Block:
        labels = self.labels
        # A business of one or two people names the person in charge of personal data, not a
        # DPO it is not required to have; the blank charter offers both.
        if self.kind == "small_business":
            data_people = [("data_contact", labels.data_contact)]
        elif self.org is None:
            data_people = [
                ("dpo", f"{labels.dpo} {labels.one_or_other}"),
                ("data_contact", f"{labels.data_contact} {labels.one_or_other}"),
            ]
        else:
            data_people = [("dpo", labels.dpo)]
        rows = []
        for key, role in (("ai_referent", labels.ai_referent), *data_people, ("incident_contact", labels.incident_contact)):
            rows.append(
                PersonRow(
                    role=role,
                    name=self.field(f"people.{key}.name"),
                    contact=self.field(f"people.{key}.contact"),
                )
            )
        return Block("people", people=tuple(rows))

    def block_signature(self) -> Block:
        adopter: Person | None = self.org.people.adopter if self.org else None

        def cell(value: Any) -> Value | None:
            filled = self.as_value(value, "")
            # A cell opens with a capital: « Maire » here, where a sentence says « (maire) ».
            return Value(upper_first(filled.text)) if isinstance(filled, Value) else None

        return Block(
            "signature",
            adopter=(
                cell(adopter.name if adopter else None),
                cell(adopter.role if adopter else None),
                cell(self.org.adopted if self.org else None),
            ),
        )

    # clauses --------------------------------------------------------------------------------

    def reasons(self, clause: Clause) -> tuple[ReferenceGroup, ...]:
        """What a clause cites: the same in every charter of a project, so made once."""
        self.cited_sources.update(clause.why.sources)
        if _REASONS_OF[0] is not self.project:
            _REASONS.clear()
            _STATIC.clear()
            _REASONS_OF[0] = self.project
        groups = _REASONS.get(clause.id)
        if groups is None:
            groups = _REASONS[clause.id] = self._reasons(clause)
        return groups

    def _reasons(self, clause: Clause) -> tuple[ReferenceGroup, ...]:
        from charte_ia.render.evidence import STATUS_LABELS, format_value

        labels = self.labels
        period = elide_de(self.project.study.study.survey_period)
        recs = [
            Reference("recommendation", r.id, fr_typo(r.title))
            for r in self.project.recommendations
            if r.id in clause.why.recommendations
        ]
        figures = []
        for fig_id in clause.why.figures:
            figure = self.project.figures[fig_id]
            context = labels.figure_context.format(status=STATUS_LABELS[figure.status], period=period)
            figures.append(Reference("figure", fig_id, fr_typo(f"{figure.label} : {format_value(figure)} ({context})")))
        sources = []
        for src_id in clause.why.sources:
            sources.append(Reference("source", src_id, fr_typo(self.project.sources[src_id].short)))
        groups = []
        for (singular, plural), refs in ((labels.recommendations, recs), (labels.figures, figures), (labels.sources, sources)):
            if refs:
                groups.append(ReferenceGroup(singular if len(refs) == 1 else plural, tuple(refs)))
        return tuple(groups)

    def section(self, section: Section, number: str, undecided: tuple[str, ...]) -> SectionView:
        labels = self.labels
        why_label = labels.why_definition if section.why_label == "definition" else labels.why
        clauses: list[ClauseView] = []
        for clause in section.clauses:
            applies, clause_undecided = self.decide(clause.when)
            if not applies:
                continue
            if clause.when and clause.when.platform:
                self.cited_platforms.add(clause.when.platform)
            clause_number = f"{number}.{len(clauses) + 1}"
            condition = self.condition_text(clause_undecided)
            reasons = self.reasons(clause)
            # A clause with no value of the organisation's (no placeholder, no block) reads the
            # same in every charter that has it at this number: made once per project.
            static = clause.block is None and _static_text(clause.text)
            key = (clause.id, clause_number, condition, why_label)
            view = _STATIC.get(key) if static else None
            if view is None:
                view = _shared(ClauseView(
                    id=clause.id,
                    number=clause_number,
                    title=fr_typo(clause.title),
                    paragraphs=self.paragraphs(clause.text),
                    condition=condition,
                    block=self.block(clause.block) if clause.block else None,
                    why_label=why_label,
                    why=fr_typo(clause.why.note),
                    reasons=reasons,
                ))
                if static:
                    _STATIC[key] = view
            clauses.append(view)
        return SectionView(section.id, number, fr_typo(section.title), clauses, self.condition_text(undecided))

    def checked(self) -> dt.date | None:
        """The oldest date at which a fact this charter cites was checked."""
        dates = [self.project.sources[s].checked for s in self.cited_sources]
        dates += [self.project.platforms[p].checked for p in self.cited_platforms]
        known = [d for d in dates if d is not None]
        return min(known) if known else None

    def charter(self, slug: str) -> Charter:
        sections = []
        for section in self.library.sections:
            applies, undecided = self.decide(section.when)
            if applies:
                view = self.section(section, str(len(sections) + 1), undecided)
                if view.clauses:
                    sections.append(view)
        labels = self.labels
        header = (
            self.field("name"),
            self.field("sector"),
            self.field("version"),
            self.field("adopted"),
            self.field("next_review"),
        )
        declares = self.org is not None and self.org.version is not None and self.org.adopted is not None
        adopted = declares and not _blanks(sections, header)
        checked = self.checked()
        checked_text = format_date(checked) if checked else None
        if adopted:
            notice = self.library.adopted_notice.format(
                revision=revision_words(self.project.revision, self.project.revision_date), checked=checked_text or "—"
            )
        else:
            notice = self.library.disclaimer
        name, sector, version, adopted_on, next_review = header
        return Charter(
            slug=slug,
            title=fr_typo(self.library.title),
            name=name,
            sector=sector,
            version=version,
            adopted=adopted_on,
            next_review=next_review,
            disclaimer=fr_typo(notice),
            sections=sections,
            is_blank=self.org is None,
            is_adopted=adopted,
            declares_adoption=declares,
            checked=fr_typo(labels.checked.format(date=checked_text)) if checked_text else None,
            revision=self.project.revision,
            status="" if self.org is None else (labels.adopted_status if adopted else labels.draft),
            adopted_iso=self.org.adopted.isoformat() if self.org and self.org.adopted else None,
            designation=self.placeholder(self.library.placeholders["designation"])
            if "designation" in self.library.placeholders
            else name,
        )


def assemble(project: Project, entry: OrganizationEntry | None = None) -> Charter:
    """The charter of one organisation, or the blank charter when `entry` is None."""
    if entry is None:
        return _Assembler(project, None).charter(BLANK_SLUG)
    return _Assembler(project, entry.org).charter(entry.slug)
