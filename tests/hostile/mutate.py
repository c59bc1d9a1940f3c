"""Every text value of every data file, found by trying: a value is text when the file still
validates with hostile markup in its place (ids, choices, dates and numbers do not)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from charte_ia.data.models import (
    ChangelogFile,
    Library,
    Organization,
    PlatformsFile,
    RecommendationsFile,
    SourcesFile,
    StudyFile,
)

# Each data file and its model (organisation files: every file of the folder).
DATA_FILES: dict[str, type[BaseModel]] = {
    "sources.yml": SourcesFile,
    "study.yml": StudyFile,
    "recommendations.yml": RecommendationsFile,
    "charter/library.yml": Library,
    "charter/platforms.yml": PlatformsFile,
    "changelog.yml": ChangelogFile,
}


def data_files(data: Path) -> Iterator[tuple[Path, type[BaseModel]]]:
    for name, model in DATA_FILES.items():
        yield data / name, model
    for path in sorted((data / "organizations").glob("*.yml")):
        yield path, Organization


Loc = tuple[str | int, ...]


def string_locs(value: Any, loc: Loc = ()) -> Iterator[Loc]:
    if isinstance(value, str):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_locs(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_locs(item, (*loc, index))


def get(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def put(data: Any, loc: Loc, value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def mutate_file(
    path: Path, model: type[BaseModel], value_for: Callable[[Loc, str], str | tuple[str, ...]]
) -> list[Loc]:
    """Put value_for(loc, old) in place of every string value of the file that the model still
    accepts there (ids, choices and dates refuse markup, and keep their value); value_for may
    give candidates, tried in turn. Returns the locations changed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = []
    for loc in list(string_locs(data)):
        old = get(data, loc)
        candidates = value_for(loc, old)
        for value in (candidates,) if isinstance(candidates, str) else candidates:
            put(data, loc, value)
            try:
                model.model_validate(data)
            except ValidationError:
                put(data, loc, old)
            else:
                changed.append(loc)
                break
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return changed
