"""« L’essentiel en une page »: what staff must know of an organisation's charter, for the
noticeboard and the onboarding pack. What is allowed, reviewed, forbidden; the approved tools;
the mention to use, where and when; what never goes into a tool; who reviews; who to call.

It is drawn from the organisation's assembled charter, never beside it: the same levels, the
same values and blanks, and only what that charter says (a business of one or two people is
not asked for a second reviewer its charter does not ask for). So it can hold no blank its
charter does not have, and `check`'s count of the charter's blanks covers it. The page, the
one-page Word document and the one-page PDF all present this one model.
"""

from __future__ import annotations

from dataclasses import dataclass

from charte_ia.charter.acknowledgement import NOT_LEGAL_ADVICE
from charte_ia.charter.assembly import Blank, Charter, ClauseView, PersonRow, Value, _Assembler
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.data.models import FORBIDDEN_SECTION, PLACEHOLDER, REVIEW_SECTION, Clause, Labels, Library
from charte_ia.render.typography import fr_typo

# The summary prints placeholders of the library by name (below), each only where its charter
# prints it.
MENTION = "mention_ia"
INCIDENT_DELAY = "delai_incident"


@dataclass(frozen=True)
class UseGroup:
    label: str  # the charter's level (« Autorisé, relu par l’auteur »…), or « À décider »
    level: str  # allowed | review | forbidden | undecided
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Essentials:
    slug: str
    title: str
    name: Value | Blank
    version: Value | Blank
    adopted: Value | Blank
    next_review: Value | Blank
    groups: tuple[UseGroup, ...]  # the levels that hold a use, in the charter's order
    tools: tuple[str, ...]
    tools_blank: Blank | None
    always_forbidden: tuple[str, ...]  # each prohibited use's summary, its exceptions included
    mention: Value | Blank | None  # the wording
    mention_rows: tuple[tuple[str, Value | Blank], ...]  # (label, value): where, when
    data: tuple[tuple[str, Value | Blank], ...]  # personal data, confidential information
    before: tuple[tuple[str, Value | Blank], ...]  # review, approval, delay, replies, as the charter has them
    people: tuple[PersonRow, ...]
    incident_delay: Value | Blank | None
    checked: str | None = None  # « Règles vérifiées le … », as the charter says it
    is_draft: bool = False  # an organisation's charter not adopted yet: « Projet »
    adopted_iso: str | None = None  # the adoption date (YYYY-MM-DD): document properties

    def blanks(self) -> list[Blank]:
        """Every blank of the summary, in reading order."""
        cells: list[object] = [self.name, self.version, self.adopted, self.next_review, self.tools_blank]
        cells.append(self.mention)
        cells += [v for part in (self.mention_rows, self.data, self.before) for _, v in part]
        cells += [c for p in self.people for c in (p.name, p.contact)]
        cells.append(self.incident_delay)
        return [c for c in cells if isinstance(c, Blank)]


def essentials_notice(summary: Essentials, labels: Labels) -> str:
    """The foot of the summary's pages: not legal advice, after « Projet » in a draft's."""
    return f"{labels.draft} · {NOT_LEGAL_ADVICE}" if summary.is_draft else NOT_LEGAL_ADVICE


# The library's clauses by id, with their section's id: made once per library, not per charter.
_SOURCES: list[tuple[Library, dict[str, tuple[str, Clause]]]] = []


def _sources(library: Library) -> dict[str, tuple[str, Clause]]:
    if not _SOURCES or _SOURCES[0][0] is not library:
        _SOURCES[:] = [(library, {c.id: (s.id, c) for s in library.sections for c in s.clauses})]
    return _SOURCES[0][1]


def essentials(project: Project, entry: OrganizationEntry | None, charter: Charter) -> Essentials:
    library = project.library
    words = library.labels.essentials
    org = entry.org if entry else None
    assembler = _Assembler(project, org)
    clauses = {c.id: c for s in charter.sections for c in s.clauses}
    sources = _sources(library)
    printed = {name for cid in clauses for name in PLACEHOLDER.findall(sources[cid][1].text)}
    # Who reviews and approves, only as the review section says it: an approver named for
    # sensitive topics alone does not approve every publication.
    printed_review = {
        name
        for cid in clauses
        if sources[cid][0] == REVIEW_SECTION
        for name in PLACEHOLDER.findall(sources[cid][1].text)
    }

    def value(name: str) -> Value | Blank:
        return assembler.placeholder(library.placeholders[name])

    def rows(pairs: tuple[tuple[str, str], ...], among: set[str] | None = None) -> tuple[tuple[str, Value | Blank], ...]:
        shown = printed if among is None else among
        return tuple((fr_typo(label), value(name)) for label, name in pairs if name in shown)

    levels = {"allowed": library.levels.allowed, "review": library.levels.review, "forbidden": library.levels.forbidden}
    by_level: dict[str, list[str]] = {level: [] for level in (*levels, "undecided")}
    for use in library.uses:
        by_level[(getattr(org.uses, use.id) if org else None) or "undecided"].append(use.label)
    names = {**levels, "undecided": words.undecided}
    groups = tuple(
        UseGroup(fr_typo(names[level]), level, tuple(fr_typo(u) for u in uses)) for level, uses in by_level.items() if uses
    )

    def block(kind: str):
        return next((c.block for c in clauses.values() if c.block and c.block.kind == kind), None)

    tools_block, people_block = block("tools_list"), block("people")

    def in_section(section_id: str) -> list[ClauseView]:
        return [c for cid, c in clauses.items() if sources[cid][0] == section_id]

    def summary(clause: ClauseView) -> str:
        return fr_typo(sources[clause.id][1].summary or "")

    review = rows(
        ((words.reviewer, "relecteur"), (words.approver, "approbateur"), (words.delay, "delai_relecture")), printed_review
    )
    review += tuple((c.title, Value(summary(c))) for c in in_section(REVIEW_SECTION) if sources[c.id][1].summary)
    review += rows(((words.replies, "circuit_reponses"),))
    return Essentials(
        slug=charter.slug,
        title=fr_typo(words.title),
        name=charter.name,
        version=charter.version,
        adopted=charter.adopted,
        next_review=charter.next_review,
        groups=groups,
        tools=tuple(t.name for t in tools_block.tools) if tools_block else (),
        tools_blank=tools_block.tools_blank if tools_block else None,
        always_forbidden=tuple(summary(c) for c in in_section(FORBIDDEN_SECTION)),
        mention=value(MENTION) if MENTION in printed else None,
        mention_rows=rows(((words.mention_where, "emplacement_mention"), (words.mention_when, "cas_mention"))),
        data=rows(((words.personal_data, "donnees_personnelles"), (words.confidential, "donnees_confidentielles"))),
        before=review,
        people=people_block.people if people_block else (),
        incident_delay=value(INCIDENT_DELAY) if INCIDENT_DELAY in printed else None,
        checked=charter.checked,
        is_draft=charter.is_draft,
        adopted_iso=charter.adopted_iso,
    )
