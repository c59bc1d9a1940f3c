"""Typed models of every data file. Unknown keys are errors: a typo must not pass silently."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from charte_ia.data.text import Id, Line, Paragraphs, Prose, Url, Version
from charte_ia.render.typography import join_fr

# Text is one line (a name, a title, a label); Prose a sentence or a short paragraph; see text.py.
Text = Line
YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
# A number YAML reads from the file: `.inf` and `.nan` are refused (finite_number).
Number = Annotated[float, Field(allow_inf_nan=False)]

Status = Literal["verified", "reported"]
Unit = Literal["percent", "points", "count"]
Level = Literal["allowed", "review", "forbidden"]
UseId = Literal["optimise_text", "create_text", "ideas", "images", "replies"]
USE_IDS: tuple[str, ...] = UseId.__args__  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- sources.yml ---------------------------------------------------------------------------


class Source(Strict):
    id: Id
    short: Text  # how clauses and tables cite it: "AI Act", "CNIL, 2024"
    kind: Literal["article", "report", "law", "guidance", "standard"]
    title: Text
    publisher: Text
    date: YearMonth
    url: Url | None = None
    language: Literal["fr", "en"] = "fr"
    note: Prose | None = None


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)


# --- study.yml -----------------------------------------------------------------------------


class Study(Strict):
    publisher: Text
    title: Text
    source: Id
    summary_source: Id
    survey_period: Text
    countries: int = Field(gt=0)


class Group(Strict):
    id: Id
    title: Text


class Figure(Strict):
    id: Id
    group: Id
    label: Text
    unit: Unit  # before `value`, which is checked against it
    value: Number
    population: Text
    source: Id
    status: Status
    of: Id | None = None  # for a change in points: the figure it changed
    qualifier: Text | None = None  # how the source words the value ("plus d'un million")
    note: Prose | None = None

    @field_validator("value")
    @classmethod
    def _value_fits_unit(cls, value: float, info: ValidationInfo) -> float:
        unit = info.data.get("unit")
        if unit == "percent" and not 0 <= value <= 100:
            raise ValueError(f"un pourcentage doit être compris entre 0 et 100 (lu : {value:g})")
        if unit == "points" and not -100 <= value <= 100:
            raise ValueError(f"une évolution en points doit être comprise entre -100 et 100 (lu : {value:g})")
        if unit == "count" and (value < 0 or value != int(value)):
            raise ValueError(f"un effectif doit être un entier positif (lu : {value:g})")
        return value

    @field_validator("of")
    @classmethod
    def _of_only_for_points(cls, of: str | None, info: ValidationInfo) -> str | None:
        if of is not None and info.data.get("unit") != "points":
            raise ValueError("`of` ne s’emploie que pour une évolution en points (unit: points)")
        return of


class StudyFile(Strict):
    study: Study
    groups: list[Group] = Field(min_length=1)
    figures: list[Figure] = Field(min_length=1)
    headline: list[Id] = Field(min_length=1, max_length=4)


# --- recommendations.yml -------------------------------------------------------------------


class Recommendation(Strict):
    id: Id
    title: Text
    hootsuite: Prose
    summary: Prose
    actions: list[Prose] = Field(min_length=3, max_length=6)
    figures: list[Id] = Field(min_length=1)


class RecommendationsFile(Strict):
    recommendations: list[Recommendation] = Field(min_length=1)


# --- charter/library.yml and charter/platforms.yml ------------------------------------------

Block = Literal["uses_table", "tools_list", "platform_labels", "audience", "people", "signature"]
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class UseDef(Strict):
    id: UseId
    label: Text
    figure: Id


class Levels(Strict):
    allowed: Text
    review: Text
    forbidden: Text


class Placeholder(Strict):
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]+)*$")]
    label: Text


class When(Strict):
    """A clause condition on the organisation's data; None (no `when`) means always."""

    use: UseId | None = None
    levels: list[Level] | None = Field(default=None, min_length=1)
    platform: Id | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> When:
        if (self.use is None) == (self.platform is None):
            raise ValueError("indiquez soit `use` (avec `levels`), soit `platform`")
        if self.use is not None and not self.levels:
            raise ValueError("`use` demande `levels` : la liste des niveaux pour lesquels la clause s’applique")
        if self.platform is not None and self.levels is not None:
            raise ValueError("`levels` ne s’emploie qu’avec `use`")
        return self


class Why(Strict):
    note: Prose
    recommendations: list[Id] = []
    figures: list[Id] = []
    sources: list[Id] = []


class Clause(Strict):
    id: Id
    title: Text
    text: Paragraphs
    when: When | None = None
    block: Block | None = None
    why: Why


class Section(Strict):
    id: Id
    title: Text
    clauses: list[Clause] = Field(min_length=1)


_LABEL_FIELDS = {"condition": {"condition"}, "if_use": {"use", "levels"}, "if_platform": {"platform"}}


class Labels(Strict):
    """Every fixed word the charter renderers print (page, .md and .docx share them)."""

    blank: Text  # "À compléter": a blank reads "[À compléter : <what>]"
    why: Text
    why_link: Text  # under each clause of an organisation's page: a link to its reason in the blank charter
    condition: Text  # what an undecided conditional clause says, with {condition}
    if_use: Text  # condition wording, with {use} and {levels}
    if_platform: Text  # with {platform}
    or_: Text
    version: Text
    adopted: Text
    next_review: Text
    use: Text
    level: Text
    share: Text  # column: share of professionals who use AI this way
    tool: Text
    provider: Text
    tool_uses: Text
    data_agreement: Text
    yes: Text
    no: Text
    platform: Text
    platform_rule: Text
    since: Text
    cultures: Text
    regions: Text
    interests: Text
    role: Text
    person: Text
    contact: Text
    ai_referent: Text
    dpo: Text
    incident_contact: Text
    signature_intro: Text
    signature_fields: tuple[Text, ...] = Field(min_length=1)  # a tuple: Labels is a cache key
    acknowledgement_title: Text  # the sheet each member of staff signs, for one version
    acknowledgement_statement: Text  # with {name}, {version} and {adopted}
    recommendations: Text
    figures: Text
    sources: Text

    @field_validator("condition", "if_use", "if_platform")
    @classmethod
    def _template_fields(cls, text: str, info: ValidationInfo) -> str:
        # These labels are filled with str.format: only their own fields, never an attribute or
        # an index (a format field reaches into objects).
        allowed = _LABEL_FIELDS[info.field_name or ""]
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            fields = {"{"}
        if not fields <= allowed:
            expected = join_fr([f"{{{name}}}" for name in sorted(allowed)])
            raise ValueError(f"seules les variables {expected} sont permises (accolades seules : doublez-les, « {{{{ »)")
        return text


class Library(Strict):
    title: Text
    disclaimer: Prose
    labels: Labels
    uses: list[UseDef]
    levels: Levels
    placeholders: dict[str, Placeholder]
    sections: list[Section] = Field(min_length=1)

    def placeholders_label(self, dotted_field: str) -> str:
        """What the blank for an organisation field asks for, as the library words it."""
        return next((p.label for p in self.placeholders.values() if p.field == dotted_field), dotted_field)

    @field_validator("uses")
    @classmethod
    def _five_uses(cls, uses: list[UseDef]) -> list[UseDef]:
        if tuple(use.id for use in uses) != USE_IDS:
            raise ValueError(f"les cinq usages de l’étude, dans cet ordre : {', '.join(USE_IDS)}")
        return uses


class Platform(Strict):
    id: Id
    name: Text
    rule: Prose
    since: YearMonth | None = None
    status: Status


class PlatformsFile(Strict):
    platforms: list[Platform] = Field(min_length=1)


# --- organizations/<slug>.yml --------------------------------------------------------------


class Person(Strict):
    name: Text | None = None
    contact: Text | None = None


class People(Strict):
    ai_referent: Person = Person()
    dpo: Person = Person()
    incident_contact: Person = Person()


class Audience(Strict):
    cultures: list[Text] = []
    regions: list[Text] = []
    interests: list[Text] = []


class Tool(Strict):
    name: Text
    provider: Text | None = None
    uses: list[UseId] = []
    data_agreement: bool | None = None


class Uses(Strict):
    optimise_text: Level | None = None
    create_text: Level | None = None
    ideas: Level | None = None
    images: Level | None = None
    replies: Level | None = None


class Disclosure(Strict):
    wording: Prose | None = None
    placement: Prose | None = None
    when: Prose | None = None


class DataRules(Strict):
    personal_data: Prose | None = None
    confidential: Prose | None = None


class Review(Strict):
    reviewer: Text | None = None
    approver: Text | None = None
    delay: Text | None = None


class Organization(Strict):
    """Only the name is required: whatever is left out becomes a visible blank."""

    name: Text
    language: Literal["fr"] = "fr"
    sector: Text | None = None
    clients: list[Text] = []
    audience: Audience = Audience()
    platforms: list[Id] = []
    tools: list[Tool] = []
    uses: Uses = Uses()
    disclosure: Disclosure = Disclosure()
    data: DataRules = DataRules()
    review: Review = Review()
    brand_voice: Prose | None = None
    sensitive_topics: list[Text] = []
    people: People = People()
    incident_delay: Text | None = None
    training: Prose | None = None
    version: Version | None = None
    adopted: dt.date | None = None
    next_review: dt.date | None = None

    @field_validator("next_review")
    @classmethod
    def _review_after_adoption(cls, next_review: dt.date | None, info: ValidationInfo) -> dt.date | None:
        adopted = info.data.get("adopted")
        if adopted and next_review and next_review <= adopted:
            raise ValueError(
                f"la date de révision ({next_review.isoformat()}) doit être postérieure "
                f"à la date d’adoption ({adopted.isoformat()})"
            )
        return next_review
