"""Control characters and line breaks in every text field of every data file: a one-line field
refuses them (French message, its field and line), any other field is normalised in the model,
so that every output format receives the same characters."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from mutate import data_files, get, mutate_file, put

from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project
from charte_ia.data.yamlsource import dotted

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "début\r\nmilieu\rfin\x07\x1b[31m\x00\tx\u2028y\u2029z\x85w\x0bv\x0c!"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
FILES = [p.relative_to(ROOT / "data").as_posix() for p, _ in data_files(ROOT / "data")]


@pytest.mark.parametrize("file", FILES)
def test_controls_refused_or_normalised(tmp_path: Path, file: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path, model = next((p, m) for p, m in data_files(data) if p.relative_to(data).as_posix() == file)
    texts = mutate_file(path, model, lambda loc, old: "<b>x</b>")  # the fields that take any text
    assert texts
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    for n, loc in enumerate(texts):
        put(content, loc, f"{n} {HOSTILE}")  # numbered: lists refuse duplicates
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")

    refused = {}
    try:
        load_project(data)
    except DataErrors as exc:
        for error in exc.errors:
            assert Path(error.file).as_posix() == f"data/{file}", exc.report()
            assert error.line is not None, exc.report()
            assert re.match("une seule ligne attendue|version trop longue", error.message), exc.report()
            refused[error.field] = error

    # The fields that did not refuse are normalised: the file loads without the others.
    original = yaml.safe_load((ROOT / "data" / file).read_text(encoding="utf-8"))
    kept = [loc for loc in texts if dotted(loc) not in refused]
    for n, loc in enumerate(kept):
        put(original, loc, f"{n} {HOSTILE}")
    path.write_text(yaml.safe_dump(original, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    project = load_project(data)
    loaded = model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    for loc in kept:
        value = get(loaded.model_dump(), loc)
        assert not CONTROLS.search(value) and "\r" not in value, (loc, value)
        assert "début" in value and value.endswith("!"), (loc, value)
    assert project is not None
