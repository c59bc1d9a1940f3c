"""YAML loading: one walk builds the data; lines are mapped lazily, when an error needs one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from charte_ia.data import yamlsource
from charte_ia.data.errors import DataError, DataErrors
from charte_ia.data.loader import load_project
from charte_ia.data.yamlsource import load_yaml


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.yml"
    path.write_text(text, encoding="utf-8")
    return path


def only_error(path: Path) -> DataError:
    with pytest.raises(DataErrors) as info:
        load_yaml(path, "data/f.yml")
    assert len(info.value.errors) == 1, info.value.report()
    return info.value.errors[0]


@pytest.fixture
def index_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the walks that build a line map (one per composed document)."""
    calls: list[int] = []
    walk = yamlsource._index

    def counting(node: Any, loc: yamlsource.PathKey, *args: Any) -> None:
        if loc == ():
            calls.append(1)
        walk(node, loc, *args)

    monkeypatch.setattr(yamlsource, "_index", counting)
    return calls


NESTED_DUPLICATE = 'name: "X"\ntools:\n  - name: "A"\n  - name: "B"\n    uses: [a]\n    name: "C"\n'


def test_duplicate_key_reported_with_field_and_line(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, NESTED_DUPLICATE))
    assert (str(error.file), error.field, error.line) == ("data/f.yml", "tools[1].name", 6)
    assert error.message == "clé en double (déjà définie ligne 4)"


def test_valid_file_maps_its_lines_only_when_asked(tmp_path: Path, index_calls: list[int]) -> None:
    doc = load_yaml(write(tmp_path, 'name: "X"\npeople:\n  dpo:\n    name: "Y"\n'), "data/f.yml")
    assert doc.data == {"name": "X", "people": {"dpo": {"name": "Y"}}}
    assert index_calls == []
    assert doc.line_of(("people", "dpo", "name")) == 4
    assert doc.line_of(("people", "dpo", "missing")) == 3  # a missing key points at its parent
    assert doc.lines[("people",)] == 2
    assert index_calls == [1]  # mapped once, then reused


def test_nested_validation_error_has_its_line(data_copy: Path) -> None:
    text = 'name: "X"\ntools:\n  - name: "A"\n    uses: [optimise_text]\n  - name: "B"\n    uses:\n'
    text += "      - optimise_text\n      - dance\n"
    (data_copy / "organizations" / "outils.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    [error] = info.value.errors
    assert (error.field, error.line) == ("tools[1].uses[1]", 8), info.value.report()
    assert "dance" in error.message


def test_merge_key_loads(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n"))
    assert doc.data == {"base": {"x": 1, "y": 2}, "other": {"x": 3, "y": 2}}
    assert doc.line_of(("other", "x")) == 4


def test_syntax_error_message_and_line(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, 'name: "X"\nsector: "a"\n  bad: indent\n'))
    assert error.line == 3 and error.message.startswith("YAML invalide (")
    assert error.message.endswith("; vérifiez l’indentation et les guillemets")


def test_tag_that_cannot_apply(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, 'x: !!int "abc"\n'))
    assert error.message.startswith("étiquette YAML « !!int » refusée") and (error.field, error.line) == ("x", 1)


def test_unsafe_tag_is_refused(tmp_path: Path) -> None:
    error = only_error(write(tmp_path, "x: !!python/object/apply:os.system [echo]\n"))
    assert error.message.startswith("étiquette YAML « !!python/object/apply:os.system » refusée")
    assert error.line == 1


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes("name: é\n".encode("latin-1"))
    error = only_error(path)
    assert (error.field, error.message, error.line) == ("", "le fichier n’est pas en UTF-8", 1)
