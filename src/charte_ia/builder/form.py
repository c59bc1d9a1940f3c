"""The questionnaire and the JSON Schema, both read from the organisation model.

Each field's label and one-line help are the model's (`Field(title=..., description=...)`), the
same words `new` writes in its template and the schema carries to an editor. Steps only group the
model's fields for a person: a field not named in a step (one added to the model later) comes in
the last step, so the questionnaire covers every field without a change here.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pydantic import BaseModel

import typing
from typing import get_args, get_origin

from charte_ia.builder.compile import _REFERENCES, _js, _kind
from charte_ia.data import text
from charte_ia.data.loader import Project
from charte_ia.data.messages import MESSAGES
from charte_ia.data.models import Organization
from charte_ia.render.typography import fr_typo

# How the model cleans and checks a text (charte_ia.data.text), by its validator.
_CLEANERS = {text.clean_line: "line", text.clean_prose: "prose", text.clean_version: "version", text.clean_id: "id"}


def _cleaner(annotation: Any) -> str | None:
    """The text rule of a field (or of its items), read from its type's validators."""
    if get_origin(annotation) is typing.Annotated:
        for meta in get_args(annotation)[1:]:
            rule = _CLEANERS.get(getattr(meta, "func", None))
            if rule:
                return rule
    for arg in get_args(annotation):
        rule = _cleaner(arg)
        if rule:
            return rule
    return None


# The messages the page's script gives (assets/ui.js), in the model's words: only these travel.
PAGE_MESSAGES = (
    "missing", "extra_forbidden", "string_type", "bool_type", "list_type", "dict_type", "date_parsing",
    "text_empty", "text_invisible", "text_too_long", "text_unwritable", "text_line_break", "text_control",
    "version_too_long",
)


def text_rules() -> dict[str, Any]:
    """The model's text rules for the script: the same expressions, limits and French messages."""
    return {
        "line_forbidden": _js(text._LINE_FORBIDDEN.pattern),
        "line_breaks": "\r\n\x85\u2028\u2029\x0b\x0c",
        "prose_blanks": _js(text._PROSE_BLANKS.pattern),
        "controls": _js(text._CONTROLS.pattern),
        "unwritable": _js(text._UNWRITABLE.pattern),
        "blank_glyphs": "".join(sorted(text._BLANK_GLYPHS)),
        "limits": {"line": text.LINE_MAX, "prose": text.PROSE_MAX, "version": text.VERSION_MAX, "id": text.ID_MAX},
        "names": text._NAMES,
        "messages": {kind: MESSAGES[kind] for kind in PAGE_MESSAGES},
    }

SCHEMA_URI = "schemas/organisation.schema.json"

STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identité", ("name", "designation", "kind", "language", "sector", "clients")),
    ("Vos publics", ("audience",)),
    ("Réseaux et outils", ("platforms", "tools", "moderation_tools")),
    ("Usages de l’IA", ("uses", "influence")),
    ("Transparence", ("disclosure",)),
    ("Données et relecture", ("data", "review")),
    ("Ton et sujets sensibles", ("brand_voice", "sensitive_topics")),
    ("Personnes et formation", ("people", "incident_delay", "training")),
    ("Adoption, version et dates", ("adoption", "version", "adopted", "next_review")),
)
OTHERS = "Autres champs"


def _label(info: Any, name: str, fallback: dict[str, str], path: str) -> str:
    if info.title:
        return fr_typo(info.title)
    word = fallback.get(path) or name.replace("_", " ")
    return fr_typo(word[:1].upper() + word[1:])


def _describe(
    model: type[BaseModel], prefix: str, project: Project, options: dict[str, dict[str, str]], fallback: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind, domain = _kind(info.annotation)
        field: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "title": _label(info, name, fallback, path),
            "help": fr_typo(info.description or ""),
            "required": info.is_required(),
        }
        # A required field's validators are kept on the field, an optional one's in its type.
        rule = _cleaner(info.annotation) or (_cleaner(typing.Annotated[str, *info.metadata]) if info.metadata else None)
        if rule and kind in ("text", "list:text"):
            field["clean"] = rule
        generic = path.replace(".#", "")
        if kind in ("model", "list:model"):
            field["fields"] = _describe(domain, f"{path}.#." if kind == "list:model" else f"{path}.", project, options, fallback)
        elif kind in ("enum", "list:enum", "bool"):
            labels = {**_library_words(project, domain), **options.get(generic, {})}
            field["options"] = [[_key(v), labels.get(_key(v), str(v))] for v in domain]
        elif path in _REFERENCES:
            field["kind"] = "list:ref"
            field["options"] = [[p.id, p.name] for p in project.platforms.values()] if path == "platforms" else [
                [i, i] for i in _REFERENCES[path](project)
            ]
        if info.default not in (None, [], "") and not isinstance(info.default, BaseModel) and kind == "enum":
            field["default"] = info.default
        out.append(field)
    return out


def _library_words(project: Project, domain: Any) -> dict[str, str]:
    """The clause library's own words for a set of choices, where it has them (the kinds of
    organisation, the levels): the label of each choice in the form."""
    for name in type(project.library).model_fields:
        words = getattr(project.library, name)
        if isinstance(words, BaseModel) and {str(v) for v in domain} <= set(type(words).model_fields):
            return {str(v): _capital(fr_typo(str(getattr(words, str(v))))) for v in domain}
    return {}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def form_description(project: Project, slots: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The questionnaire: steps of fields, each with its label, help, kind and choices."""
    options: dict[str, dict[str, str]] = {}
    for slot in slots.values():
        if "map" in slot:
            path = ".".join(str(p) for p in slot["path"] if not isinstance(p, int))
            options.setdefault(path, {}).update(slot["map"])
    fallback = {p.field: p.label for p in project.library.placeholders.values()}
    fields = {f["name"]: f for f in _describe(Organization, "", project, options, fallback)}
    steps = []
    named = set()
    for title, names in STEPS:
        chosen = [fields[n] for n in names if n in fields]
        named.update(n for n in names if n in fields)
        if chosen:
            steps.append({"title": title, "fields": chosen})
    rest = [f for n, f in fields.items() if n not in named]
    if rest:
        steps.append({"title": OTHERS, "fields": rest})
    return {"steps": steps, "text": text_rules()}


def schema_address() -> str:
    """Where an organisation file's editor finds the schema: on the site when its address is
    known (SITE_URL, as in mkdocs.yml), else in the last local build, from data/organizations/."""
    site_url = os.environ.get("SITE_URL", "").strip()
    if site_url:
        return site_url.rstrip("/") + "/" + SCHEMA_URI
    return "../../site/" + SCHEMA_URI


def schema_line() -> str:
    """The first line of an organisation file, for editors with a YAML language server."""
    return f"# yaml-language-server: $schema={schema_address()}\n"


def organisation_schema() -> dict[str, Any]:
    """The organisation file's JSON Schema, for an editor's YAML language server."""
    schema = Organization.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Charte IA : fichier d’une organisation"
    return schema


def schema_json() -> str:
    return json.dumps(organisation_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
