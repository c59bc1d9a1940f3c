"""`new`: a commented organisation file, every field present, ready to fill in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from charte_ia.builder.form import schema_line
from charte_ia.data.loader import Project, name_key
from charte_ia.data.models import USE_IDS, Organization
from charte_ia.render.typography import fr_typo
from charte_ia.render.jinja import render
from charte_ia.data.slugs import SLUG_RULE, is_reserved_slug, is_valid_slug, slug_for


class ScaffoldError(Exception):
    pass


# A commented field line (`# key:` or `#   - key:`): left as it is, so that taking off its "# "
# gives valid YAML.
_FIELD_LINE = re.compile(r"^#\s*(?:- )?[a-z_]+:(?:\s|$)")


def field_help(name: str) -> str:
    """The comment above a field of the organisation file: its title and description from the
    model, then one line for each field of a group."""
    info = Organization.model_fields[name]
    lines = [f"# {info.title}. {info.description or ''}".rstrip()]
    model: Any = info.annotation
    if isinstance(model, type) and issubclass(model, BaseModel):
        for key, sub in model.model_fields.items():
            lines.append(f"#   · {key} — {sub.title or key}. {sub.description or ''}".rstrip())
    return "\n".join(fr_typo(line) for line in lines)


def _typeset_comments(text: str) -> str:
    """French typography on the comments the template writes itself, never on a field line."""
    return "".join(
        fr_typo(line) if line.startswith("#") and not _FIELD_LINE.match(line) else line
        for line in text.splitlines(keepends=True)
    )


def organization_template(project: Project, name: str) -> str:
    platform_ids = list(project.platforms)
    # This is YAML, not Markdown: the name is written as a JSON string (valid YAML, every
    # character escaped) so that no value can break out of its quotes.
    return schema_line() + _typeset_comments(render(
        "organization.yml.j2",
        flavour="raw",
        help=field_help,
        name=" ".join(name.split()),
        name_yaml=json.dumps(name, ensure_ascii=False),
        platform_ids=", ".join(platform_ids),
        platform_example=", ".join(platform_ids[:2]),
        use_ids=", ".join(USE_IDS),
    ))


def new_organization(project: Project, name: str) -> Path:
    name = name.strip()
    if not name:
        raise ScaffoldError("le nom de l’organisation est vide")
    slug = slug_for(name)
    if not is_valid_slug(slug) or is_reserved_slug(slug):
        raise ScaffoldError(f"impossible de tirer un identifiant valide de « {name} » ({SLUG_RULE})")
    same_name = [e for e in project.organizations if name_key(e.org.name) == name_key(name)]
    if same_name:
        raise ScaffoldError(f"une organisation de ce nom existe déjà : {same_name[0].path}")
    folder = project.data_dir / "organizations"
    path = folder / f"{slug}.yml"
    if path.exists() or (folder / f"{slug}.yaml").exists():
        raise ScaffoldError(f"{path} existe déjà : il n’est pas écrasé")
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(organization_template(project, name))
    return path
