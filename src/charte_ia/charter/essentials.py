"""« L’essentiel en une page »: what staff must know of an organisation's charter, for the
noticeboard and the onboarding pack. What is allowed, reviewed, forbidden; the approved tools;
the mention to use, where and when; what never goes into a tool; who reviews; who to call.

It is assembled like the charter (charter.assembly: a value or a named blank, never a guess)
and presented by the page, the one-page Word document and the one-page PDF alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from charte_ia.charter.assembly import Blank, Charter, PersonRow, Value, _Assembler
from charte_ia.data.loader import OrganizationEntry, Project
from charte_ia.render.typography import fr_typo

# The library's section whose clauses are forbidden whatever the organisation chose.
ALWAYS_FORBIDDEN_SECTION = "usages-interdits"


@dataclass(frozen=True)
class UseGroup:
    label: str  # "Permis", "Permis avec relecture humaine", "Interdit", "À décider"
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
    groups: tuple[UseGroup, ...]  # the levels that hold a use, in the order above
    tools: tuple[str, ...]
    tools_blank: Blank | None
    always_forbidden: tuple[str, ...]  # clause titles
    mention: Value | Blank
    mention_where: Value | Blank
    mention_when: Value | Blank
    never: tuple[Value | Blank, ...]  # the rule on personal data, the confidential information
    before: tuple[tuple[str, Value | Blank], ...]  # reviewer, approver, delay
    people: tuple[PersonRow, ...]
    incident_delay: Value | Blank
    adopted_iso: str | None = None  # the adoption date (YYYY-MM-DD): document properties


def essentials(project: Project, entry: OrganizationEntry | None, charter: Charter) -> Essentials:
    library = project.library
    words = library.labels.essentials
    org = entry.org if entry else None
    assembler = _Assembler(project, org)

    def field(dotted: str) -> Value | Blank:
        return assembler.field(dotted, library.placeholders_label(dotted))

    by_level: dict[str, list[str]] = {"allowed": [], "review": [], "forbidden": [], "undecided": []}
    for use in library.uses:
        level = getattr(org.uses, use.id) if org else None
        by_level[level or "undecided"].append(use.label)
    names = {"allowed": words.allowed, "review": words.review, "forbidden": words.forbidden, "undecided": words.undecided}
    groups = tuple(
        UseGroup(fr_typo(names[level]), level, tuple(fr_typo(u) for u in uses)) for level, uses in by_level.items() if uses
    )
    tools = tuple(fr_typo(t.name) for t in org.tools) if org else ()
    forbidden = next((s for s in charter.sections if s.id == ALWAYS_FORBIDDEN_SECTION), None)
    people = next(
        (c.block.people for s in charter.sections for c in s.clauses if c.block and c.block.kind == "people"), ()
    )
    return Essentials(
        slug=charter.slug,
        title=fr_typo(words.title),
        name=charter.name,
        version=charter.version,
        adopted=charter.adopted,
        next_review=charter.next_review,
        groups=groups,
        tools=tools,
        tools_blank=None if tools else Blank(library.labels.tool.lower()),
        always_forbidden=tuple(c.title for c in forbidden.clauses) if forbidden else (),
        mention=field("disclosure.wording"),
        mention_where=field("disclosure.placement"),
        mention_when=field("disclosure.when"),
        never=(field("data.personal_data"), field("data.confidential")),
        before=(
            (fr_typo(words.reviewer), field("review.reviewer")),
            (fr_typo(words.approver), field("review.approver")),
            (fr_typo(words.delay), field("review.delay")),
        ),
        people=people,
        incident_delay=field("incident_delay"),
        adopted_iso=charter.adopted_iso,
    )
