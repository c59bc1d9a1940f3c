"""Duplicates and empty names, in every list of every data file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project

FILES = (
    "sources.yml",
    "study.yml",
    "recommendations.yml",
    "charter/library.yml",
    "charter/platforms.yml",
    "changelog.yml",
    "organizations/agence-pixel-et-plume.yml",
    "organizations/ville-de-saint-etienne-du-lac.yml",
)


def lists(value: Any, loc: tuple = ()) -> list[tuple]:
    """Locations of the lists whose items are text, or records with an id or a name."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            out += lists(item, (*loc, key))
    elif isinstance(value, list) and value:
        first = value[0]
        if isinstance(first, str) or (isinstance(first, dict) and {"id", "revision", "name"} & set(first)):
            out.append(loc)
        for index, item in enumerate(value):
            out += lists(item, (*loc, index))
    return out


def at(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@pytest.mark.parametrize("file", FILES)
def test_a_duplicate_in_any_list_is_reported_with_its_line(data_copy: Path, file: str) -> None:
    path = data_copy / file
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = lists(original)
    assert found, file
    for loc in found:
        data = copy.deepcopy(original)
        items = at(data, loc)
        twin = copy.deepcopy(items[0])
        if isinstance(twin, str):
            twin = f"  {twin.upper()} " if not twin.islower() or not twin.replace("-", "").isalnum() else twin
        items.append(twin)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with pytest.raises(DataErrors) as info:
            load_project(data_copy)
        key = "" if isinstance(twin, str) else "." + next(f for f in ("id", "revision", "name") if f in twin)
        field = dotted((*loc, len(items) - 1)) + key
        mine = [e for e in info.value.errors if Path(e.file).as_posix() == f"data/{file}" and e.field == field]
        assert mine, f"{file} [{field}]: no duplicate reported:\n{info.value.report()}"
        assert "en double" in mine[0].message and mine[0].line is not None, info.value.report()
    path.write_text(yaml.safe_dump(original, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_two_organisations_with_one_name(data_copy: Path) -> None:
    folder = data_copy / "organizations"
    (folder / "autre.yml").write_text('sector: "x"\nname: "  agence PIXEL   &  Ｐｌｕｍｅ "\n', encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    [error] = info.value.errors
    assert (Path(error.file).as_posix(), error.field, error.line) == ("data/organizations/autre.yml", "name", 2)
    assert "déjà pris par data/organizations/agence-pixel-et-plume.yml" in error.message


@pytest.mark.parametrize("name", ["\u200b", "\u00a0\u2003", "\u3164", "\u2060\ufeff\u200d", " \t ", "\u202e"])
def test_a_name_of_invisible_characters(data_copy: Path, name: str) -> None:
    (data_copy / "organizations" / "vide.yml").write_text(f"name: {yaml.safe_dump(name).strip()}\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    [error] = info.value.errors
    assert (error.field, error.line) == ("name", 1), info.value.report()
    assert "visible" in error.message or "non vide" in error.message, error.message


def test_an_organisation_file_name_states_its_limit(data_copy: Path) -> None:
    (data_copy / "organizations" / ("a" * 81 + ".yml")).write_text('name: "A"\n', encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    assert "80 caractères au plus" in info.value.report()
