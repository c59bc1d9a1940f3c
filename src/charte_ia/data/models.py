"""Typed models of every data file. Unknown keys are errors: a typo must not pass silently."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from charte_ia.data.text import Id, Line, Paragraphs, Prose, RevisionId, Url, Version
from charte_ia.render.typography import fr_typo, join_fr

# Text is one line (a name, a title, a label); Prose a sentence or a short paragraph; see text.py.
Text = Line
YearMonth = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
# A number YAML reads from the file: `.inf` and `.nan` are refused (finite_number).
# Strict: a number written in quotes ("86") or true/false is not taken for a number, nor
# "yes" for true.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]

Status = Literal["verified", "reported"]  # a figure of the study
# A law or platform fact: to_check when its confidence is low or medium (the clause that cites
# it is worded to hold either way, and the source's note says what to check).
FactStatus = Literal["verified", "reported", "to_check"]
Unit = Literal["percent", "points", "count"]
Level = Literal["allowed", "review", "forbidden"]
# The study's five uses first (each has a figure), then the uses a charter needs beyond it.
UseId = Literal["optimise_text", "create_text", "ideas", "images", "replies", "video", "voice", "built_in"]
USE_IDS: tuple[str, ...] = UseId.__args__  # type: ignore[attr-defined]
Kind = Literal["agency", "company", "public_body", "small_business", "association"]
KIND_IDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
FieldPath = Annotated[str, StringConstraints(pattern=r"^[a-z_]+(\.[a-z_]+)*$")]


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
    checked: dt.date | None = None  # when the fact was last checked against the source
    status: FactStatus | None = None

    @model_validator(mode="after")
    def _facts_are_dated(self) -> Source:
        if self.kind in FACT_KINDS and (self.checked is None or self.status is None):
            raise ValueError(
                "une source de type loi, recommandation officielle ou norme demande `checked` "
                "(date de sa dernière vérification, AAAA-MM-JJ) et `status` (verified, reported ou to_check)"
            )
        return self


FACT_KINDS = ("law", "guidance", "standard")


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)


# --- study.yml -----------------------------------------------------------------------------


class Study(Strict):
    publisher: Text
    title: Text
    source: Id
    summary_source: Id
    survey_period: Text
    countries: int = Field(gt=0, strict=True)  # the professionals' survey (the first of `surveys`)
    # The samples of the surveys the study rests on (figure ids, count unit), in the order the
    # method sentence names them.
    surveys: list[Id] = []


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
    floor: Bool = False  # the value is only a lower bound: tables show the qualifier in its place
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
    figure: Id | None = None  # only the study's five uses have one


class Levels(Strict):
    allowed: Text
    review: Text
    forbidden: Text


class Kinds(Strict):
    """How a condition names each kind of organisation: « une agence », « un organisme public »."""

    agency: Text
    company: Text
    public_body: Text
    small_business: Text
    association: Text


class KindPlaceholder(Strict):
    field: FieldPath
    label: Text


class Placeholder(Strict):
    field: FieldPath
    label: Text
    fallback: FieldPath | None = None  # the field used when `field` is unset ({designation}: name)
    # Another field for some kinds: a small business names the person in charge of personal
    # data where the others name their DPO.
    by_kind: dict[Kind, KindPlaceholder] = {}


class When(Strict):
    """A condition on the organisation's data; None (no `when`) means always. Every key given
    must hold; a key the organisation has not decided keeps the clause, marked."""

    kinds: list[Kind] | None = Field(default=None, min_length=1)
    use: list[UseId] | None = Field(default=None, min_length=1)  # any of these uses ...
    levels: list[Level] | None = Field(default=None, min_length=1)  # ... at one of these levels
    # « all »: every one of these uses at one of these levels (a rule for an organisation that
    # forbids, say, every realistic medium), rather than any one of them.
    match: Literal["any", "all"] = "any"
    platform: Id | None = None
    filled: FieldPath | None = None  # this organisation field is set, not empty, not false

    @field_validator("use", mode="before")
    @classmethod
    def _one_use_or_a_list(cls, use: object) -> object:
        return [use] if isinstance(use, str) else use

    @model_validator(mode="after")
    def _coherent(self) -> When:
        if all(getattr(self, key) is None for key in ("kinds", "use", "platform", "filled")):
            raise ValueError("indiquez au moins une condition : `kinds`, `use` (avec `levels`), `platform` ou `filled`")
        if self.use is not None and not self.levels:
            raise ValueError("`use` demande `levels` : la liste des niveaux pour lesquels la clause s’applique")
        if self.use is None and self.levels is not None:
            raise ValueError("`levels` ne s’emploie qu’avec `use`")
        if self.use is None and self.match != "any":
            raise ValueError("`match` ne s’emploie qu’avec `use`")
        return self


class Why(Strict):
    note: Prose
    recommendations: list[Id] = []
    figures: list[Id] = []
    sources: list[Id] = []


# The sections « L’essentiel en une page » (charter/essentials.py) summarises clause by clause,
# each clause by its `summary` rather than its title: every clause of the first has one, since a
# title alone (« Hypertrucages de personnes réelles ») would drop the clause's exceptions.
FORBIDDEN_SECTION = "usages-interdits"
REVIEW_SECTION = "relecture"


class Clause(Strict):
    id: Id
    title: Text
    # Its line on « L’essentiel en une page », which must say the clause's exceptions too.
    summary: Text | None = None
    text: Paragraphs
    when: When | None = None
    block: Block | None = None
    why: Why


class Section(Strict):
    id: Id
    title: Text
    when: When | None = None
    # Which heading the reasons of its clauses carry: « Pourquoi cette règle ? » or, for
    # definitions, « Pourquoi cette définition ? ».
    why_label: Literal["rule", "definition"] = "rule"
    clauses: list[Clause] = Field(min_length=1)


Plural = tuple[Text, Text]  # (singular, plural)

# The labels filled with str.format, and the only fields each may name.
_LABEL_FIELDS = {
    "condition": {"condition"},
    "if_use": {"use", "levels"},
    "if_uses": {"uses", "levels"},
    "if_all_uses": {"uses", "levels"},
    "if_platform": {"platform"},
    "if_kind": {"kinds"},
    "checked": {"date"},
    "figure_context": {"status", "period"},
    "adopted_notice": {"revision", "checked"},
}


def _format_fields(text: str, info: ValidationInfo) -> str:
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


class EssentialsLabels(Strict):
    """The words of « L’essentiel en une page », the staff's summary of a charter. Its levels
    are the charter's (Library.levels): one name for one rule."""

    title: Text
    intro: Text
    uses: Text  # what the uses may be used for
    undecided: Text  # the uses the organisation has not decided yet
    tools: Text
    always_forbidden: Text  # before the summaries of the prohibited uses
    mention: Text
    mention_where: Text
    mention_when: Text
    data: Text  # the heading of the two rules below
    personal_data: Text
    confidential: Text  # what never goes into a tool
    before: Text  # review and approval
    reviewer: Text
    approver: Text
    delay: Text  # for publications (replies have their own circuit)
    replies: Text  # the replies' circuit
    who: Text
    incident_delay: Text
    full_charter: Text  # the summary does not replace the charter
    link: Text  # on the charter page, the link to its summary


class Labels(Strict):
    """Every fixed word the charter renderers print (page, .md and .docx share them)."""

    blank: Text  # "À compléter": a blank reads "[À compléter : <what>]"
    why: Text
    why_definition: Text  # the same, under a definition
    why_link: Text  # under each clause of an organisation's page: a link to its reason in the blank charter
    condition: Text  # what an undecided conditional clause says, with {condition}
    if_use: Text  # condition wording, with {use} and {levels}
    if_uses: Text  # the same for a list of uses: {uses} (each quoted, joined by « ou ») and {levels}
    if_all_uses: Text  # `match: all`: {uses} (each quoted, joined by « et ») and {levels}
    if_platform: Text  # with {platform}
    if_kind: Text  # with {kinds}
    or_: Text
    and_: Text  # joins the undecided conditions of one clause
    any_allowed: Text  # the levels allowed and review together: « autorisé (avec ou sans double validation) »
    version: Text
    adopted: Text
    next_review: Text
    checked: Text  # « Règles vérifiées le {date} »
    status: Text  # the catalogue's column: draft or adopted
    draft: Text
    draft_notice: Text  # atop a draft charter: « Projet : cette charte n’est pas encore adoptée. »
    adopted_status: Text
    figure_context: Text  # after a study figure in a reason: {status} and {period} (« d’août 2023 »)
    use: Text
    level: Text
    tool: Text
    provider: Text
    tool_uses: Text
    data_agreement: Text
    yes: Text
    no: Text
    platform: Text
    platform_undecided: Text  # the platform column's header while the organisation has not chosen
    platform_rule: Text
    platform_status: Text  # the column of each rule's status (vérifié, rapporté, à vérifier)
    since: Text
    cultures: Text
    regions: Text
    interests: Text
    role: Text
    person: Text
    contact: Text
    ai_referent: Text
    dpo: Text
    data_contact: Text
    # In the blank charter, after each of these two rows: keep the one that fits the organisation.
    one_or_other: Text
    incident_contact: Text
    adopter: Text  # « Adoptée pour l’organisation par »
    acknowledgements: Text  # the heading of the staff's signatures
    signature_intro: Text
    # Name, role, date, signature: the adopter's row fills the first three. A tuple: Labels is a cache key.
    signature_fields: tuple[Text, Text, Text, Text]
    acknowledgement_title: Text  # the sheet each member of staff signs, for one version
    acknowledgement_statement: Text  # with {name}, {version} and {adopted}
    essentials: EssentialsLabels
    recommendations: Plural
    figures: Plural
    sources: Plural

    @field_validator("condition", "if_use", "if_uses", "if_all_uses", "if_platform", "if_kind", "checked", "figure_context")
    @classmethod
    def _template_fields(cls, text: str, info: ValidationInfo) -> str:
        return _format_fields(text, info)


class Library(Strict):
    title: Text
    disclaimer: Prose
    # Replaces the disclaimer in an adopted charter, with {revision} and {checked}.
    adopted_notice: Prose
    labels: Labels
    kinds: Kinds
    # How a condition on a filled field reads, per field: clients -> « l’organisation gère des
    # comptes pour des clients ».
    filled_conditions: dict[FieldPath, Text] = {}
    uses: list[UseDef]
    levels: Levels
    placeholders: dict[str, Placeholder]
    sections: list[Section] = Field(min_length=1)

    @field_validator("adopted_notice")
    @classmethod
    def _notice_fields(cls, text: str, info: ValidationInfo) -> str:
        return _format_fields(text, info)

    def placeholders_label(self, dotted_field: str) -> str | None:
        """What the blank for an organisation field asks for, as the library words it."""
        return next((p.label for p in self.placeholders.values() if p.field == dotted_field), None)

    @field_validator("uses")
    @classmethod
    def _every_use(cls, uses: list[UseDef]) -> list[UseDef]:
        if tuple(use.id for use in uses) != USE_IDS:
            raise ValueError(f"les huit usages, dans cet ordre : {', '.join(USE_IDS)}")
        return uses


class Platform(Strict):
    id: Id
    name: Text
    rule: Prose
    since: YearMonth | None = None
    status: FactStatus
    checked: dt.date  # when the rule was last checked
    labelling: Bool  # the platform offers a tool to label one's own content (LinkedIn: none)
    sources: list[Id] = Field(min_length=1)  # sources.yml: where the rule was read, printed in its row
    note: Prose | None = None  # what to check, for a rule to_check


class PlatformsFile(Strict):
    platforms: list[Platform] = Field(min_length=1)


# --- changelog.yml -------------------------------------------------------------------------


class Change(Strict):
    clauses: list[Id] = []  # the clauses it concerns (checked to exist), may be empty
    text: Prose  # what changed and why


class Revision(Strict):
    revision: RevisionId  # part of the addresses of the frozen releases
    date: dt.date
    summary: Prose
    changes: list[Change] = Field(min_length=1)


class ChangelogFile(Strict):
    """The clause library's changelog, newest revision first."""

    revisions: list[Revision] = Field(min_length=1)

    @field_validator("revisions")
    @classmethod
    def _newest_first(cls, revisions: list[Revision]) -> list[Revision]:
        for newer, older in zip(revisions, revisions[1:]):
            if newer.date < older.date:
                raise ValueError(
                    f"les révisions vont de la plus récente à la plus ancienne : « {newer.revision} » "
                    f"({newer.date.isoformat()}) est avant « {older.revision} » ({older.date.isoformat()})"
                )
        seen: set[str] = set()
        for rev in revisions:
            if rev.revision in seen:
                raise ValueError(f"révision « {rev.revision} » en double")
            seen.add(rev.revision)
        return revisions


# --- organizations/<slug>.yml --------------------------------------------------------------
# Each field's title and one-line help (French, typeset) are written once, here: the file that
# `python -m charte_ia new` writes, the builder's form and its JSON Schema all read them.


def described(title: str, description: str, **kwargs: Any) -> Any:
    """A pydantic Field with its French label and help, typeset."""
    return Field(title=fr_typo(title), description=fr_typo(description), **kwargs)


class Person(Strict):
    name: Text | None = described("Nom", "Prénom et nom, ou le nom de la fonction.", default=None)
    role: Text | None = described("Fonction", "La fonction de la personne dans l’organisation.", default=None)
    contact: Text | None = described("Contact", "Adresse électronique ou téléphone.", default=None)


class People(Strict):
    ai_referent: Person = described(
        "Personne référente IA", "Elle répond aux questions et tient à jour la charte.", default=Person()
    )
    dpo: Person = described(
        "Délégué ou déléguée à la protection des données (DPO)",
        "Pour une entreprise d’une ou deux personnes, remplissez plutôt « data_contact ».",
        default=Person(),
    )
    data_contact: Person = described(
        "Personne chargée des données personnelles",
        "Dans une entreprise d’une ou deux personnes, elle tient le rôle du DPO, qui n’est pas exigé.",
        default=Person(),
    )
    incident_contact: Person = described(
        "Contact en cas d’incident", "La personne à prévenir quand un contenu fait avec l’IA pose problème.", default=Person()
    )
    adopter: Person = described(
        "Personne qui adopte la charte",
        "Elle signe la charte au nom de l’organisation : nom et fonction (gérant, directrice, maire…).",
        default=Person(),
    )


class Audience(Strict):
    cultures: list[Text] = described("Cultures et langues", "Les cultures et les langues de vos publics.", default=[])
    regions: list[Text] = described("Régions et pays", "Les régions ou les pays de vos publics.", default=[])
    interests: list[Text] = described("Centres d’intérêt", "Ce qui intéresse vos publics.", default=[])


class Tool(Strict):
    name: Text = described("Nom de l’outil", "Le nom de l’outil d’IA autorisé.")
    provider: Text | None = described("Éditeur", "L’entreprise qui fournit l’outil.", default=None)
    uses: list[UseId] = described("Usages permis", "Les usages pour lesquels l’outil est autorisé.", default=[])
    data_agreement: Bool | None = described(
        "Contrat encadrant les données",
        "true si un contrat ou un autre acte juridique encadre le traitement des données avec l’éditeur (RGPD, article 28).",
        default=None,
    )


class Uses(Strict):
    optimise_text: Level | None = described("Optimiser des textes", "Reformuler, corriger, raccourcir.", default=None)
    create_text: Level | None = described("Créer des textes", "Publications, légendes, scripts.", default=None)
    ideas: Level | None = described("Développer des idées", "Angles, thèmes, formats.", default=None)
    images: Level | None = described("Générer des images", "Visuels créés ou modifiés par l’IA.", default=None)
    replies: Level | None = described("Répondre aux messages", "Réponses aux messages et aux commentaires.", default=None)
    video: Level | None = described("Vidéo", "Générer ou monter des vidéos.", default=None)
    voice: Level | None = described("Voix et audio", "Générer ou transformer des voix et de l’audio.", default=None)
    built_in: Level | None = described(
        "Fonctions d’IA intégrées",
        "Fonctions d’IA des logiciels, sans consigne : détourage, amélioration automatique, sous-titres…",
        default=None,
    )


class Disclosure(Strict):
    wording: Prose | None = described("Formule", "Le texte de la mention, par exemple « Contenu créé avec l’aide de l’IA ».", default=None)
    placement: Prose | None = described("Emplacement", "Où la mention apparaît, visible sans cliquer.", default=None)
    when: Prose | None = described("Cas", "Les cas où la mention est obligatoire.", default=None)


class DataRules(Strict):
    personal_data: Prose | None = described(
        "Données personnelles", "Votre règle : quelles données personnelles n’entrent jamais dans un outil d’IA.", default=None
    )
    confidential: Prose | None = described(
        "Informations confidentielles", "Ce qui ne doit jamais être saisi dans un outil d’IA.", default=None
    )


class Review(Strict):
    reviewer: Text | None = described(
        "Relecture", "Qui relit un contenu avant sa publication (une autre personne que l’auteur).", default=None
    )
    approver: Text | None = described("Approbation", "Qui approuve la publication, en interne.", default=None)
    delay: Text | None = described("Délai de relecture", "Par exemple « 24 heures avant la publication ».", default=None)
    replies: Prose | None = described(
        "Circuit des réponses",
        "Comment les réponses aux messages et aux commentaires sont validées en quelques minutes : "
        "modèles de réponse approuvés, second regard pour les cas sensibles.",
        default=None,
    )
    editorial_responsibility: Prose | None = described(
        "Responsabilité éditoriale",
        "Qui la porte au sens de la loi : le client pour ses comptes, la commune (dont le maire est "
        "directeur de la publication), le représentant légal de l’entreprise.",
        default=None,
    )


class Adoption(Strict):
    act: Prose | None = described(
        "Acte d’adoption",
        "Comment la charte est adoptée : « décision du gérant du … », « arrêté du maire n° … », "
        "« délibération du conseil municipal du … ».",
        default=None,
    )
    staff_consultation: Prose | None = described(
        "Consultation du personnel",
        "Le CSE (entreprise, agence, association d’au moins 11 salariés) ou le comité social territorial "
        "(organisme public) consulté, et quand.",
        default=None,
    )
    internal_rules: Prose | None = described(
        "Place parmi les règles internes",
        "Annexée au règlement intérieur, à la charte informatique, ou autre.",
        default=None,
    )


class Organization(Strict):
    """Only the name is required: whatever is left out becomes a visible blank."""

    name: Text = described("Nom de l’organisation", "Tel qu’il apparaîtra dans la charte ; seul champ obligatoire.")
    designation: Text | None = described(
        "Désignation dans une phrase",
        "Le nom avec son article, tel qu’une phrase le dit : « la Ville de Saint-Étienne-du-Lac », "
        "« l’agence Pixel & Plume » ; à défaut, le nom.",
        default=None,
    )
    kind: Kind | None = described(
        "Type d’organisation",
        "agency (agence), company (entreprise), public_body (organisme public), small_business "
        "(entreprise d’une ou deux personnes) ou association : les clauses propres à chaque type en dépendent.",
        default=None,
    )
    language: Literal["fr"] = described("Langue", "Seul le français est disponible pour l’instant.", default="fr")
    sector: Text | None = described("Secteur d’activité", "Affiché dans l’en-tête de la charte.", default=None)
    clients: list[Text] = described(
        "Clients", "Les clients dont vous gérez les comptes ; les clauses sur les clients en dépendent.", default=[]
    )
    audience: Audience = described(
        "Publics", "Qui sont vos publics ? Cultures et langues, régions ou pays, centres d’intérêt.", default=Audience()
    )
    platforms: list[Id] = described("Réseaux sociaux", "Les réseaux sur lesquels vous publiez.", default=[])
    tools: list[Tool] = described(
        "Outils d’IA autorisés", "Pour chaque outil : nom, éditeur, usages permis, contrat ou autre acte juridique encadrant les données.", default=[]
    )
    uses: Uses = described(
        "Usages de l’IA",
        "Pour chaque usage : allowed (autorisé, relu par l’auteur), review (autorisé avec double validation) "
        "ou forbidden (interdit).",
        default=Uses(),
    )
    influence: Bool | None = described(
        "Influence commerciale",
        "true si vous travaillez avec des influenceurs ou des créateurs de contenu (partenariats, influence "
        "commerciale), false sinon.",
        default=None,
    )
    moderation_tools: list[Text] = described(
        "Outils de modération et d’écoute",
        "Les outils d’IA de modération, d’écoute sociale ou d’analyse de sentiment que vous utilisez, filtres "
        "automatiques de commentaires compris.",
        default=[],
    )
    disclosure: Disclosure = described(
        "Mention des contenus faits avec l’IA", "La formule, son emplacement, les cas où elle est obligatoire.", default=Disclosure()
    )
    data: DataRules = described(
        "Données personnelles et informations confidentielles",
        "Ce qui ne doit jamais entrer dans un outil d’IA.",
        default=DataRules(),
    )
    review: Review = described(
        "Relecture et approbation",
        "Qui relit, qui approuve, dans quel délai ; le circuit des réponses ; qui porte la responsabilité éditoriale.",
        default=Review(),
    )
    brand_voice: Prose | None = described(
        "Ton et ligne éditoriale", "Le ton que gardent les contenus faits avec l’aide de l’IA.", default=None
    )
    sensitive_topics: list[Text] = described(
        "Sujets sensibles", "Les sujets sur lesquels l’IA ne sert qu’après une approbation préalable.", default=[]
    )
    people: People = described(
        "Personnes",
        "Personne référente IA, DPO (ou, dans une entreprise d’une ou deux personnes, personne chargée des "
        "données personnelles), contact en cas d’incident, personne qui adopte la charte.",
        default=People(),
    )
    incident_delay: Text | None = described(
        "Délai de signalement d’un incident", "Par exemple « 24 heures ».", default=None
    )
    training: Prose | None = described(
        "Formation", "La formation à l’IA prévue pour l’équipe (règlement européen sur l’IA, article 4).", default=None
    )
    adoption: Adoption = described(
        "Adoption",
        "Comment la charte devient applicable : acte d’adoption, consultation du personnel, place parmi les règles internes.",
        default=Adoption(),
    )
    version: Version | None = described(
        "Version", "Le numéro de version, par exemple « 1.0 » ; avec la date d’adoption, la charte est adoptée.", default=None
    )
    adopted: dt.date | None = described("Date d’adoption", "Au format AAAA-MM-JJ.", default=None)
    next_review: dt.date | None = described(
        "Prochaine révision", "Au format AAAA-MM-JJ, après la date d’adoption.", default=None
    )

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
