"""The command line: `check` and `new`, run for real in a subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from charte_ia.data.loader import load_project
from charte_ia.data.models import Organization

# A field line of the scaffold once its "# " is taken off: `key:` or `- key:`, maybe indented.
FIELD_LINE = re.compile(r"^# (?=\s*(?:- )?[a-z_]+:(?:\s|$))")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "charte_ia", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command run in this process (faster): exit code, stdout, stderr."""
    from charte_ia.cli import main

    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def unset_fields(model: BaseModel, prefix: str = "") -> list[str]:
    """Every field of `model` (recursively) that the YAML did not set, or set to an empty list."""
    missing = []
    for name in type(model).model_fields:
        path = f"{prefix}{name}"
        if name not in model.model_fields_set:
            missing.append(path)
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            missing += unset_fields(value, f"{path}.")
        elif isinstance(value, list):
            if not value:
                missing.append(path)
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    missing += unset_fields(item, f"{path}[{i}].")
    return missing


# --- check ---------------------------------------------------------------------------------------


def test_check_ok(data_copy: Path) -> None:
    result = cli("--data", str(data_copy), "check", cwd=data_copy.parent)
    assert result.returncode == 0, result.stderr
    project = load_project(data_copy)
    assert "Données valides" in result.stdout
    assert f"{len(project.figures)} chiffres" in result.stdout
    assert f"{len(project.organizations)} organisations" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_default_data_folder(data_copy: Path, capsys, monkeypatch) -> None:
    """Without --data, `check` reads ./data (what the README and `make check` run)."""
    monkeypatch.chdir(data_copy.parent)
    code, out, err = run(capsys, "check")
    assert code == 0, err
    assert "Données valides" in out


def test_check_bad_data(data_copy: Path) -> None:
    (data_copy / "organizations" / "mauvaise.yml").write_text(
        'name: "X"\nuses:\n  images: sometimes\n', encoding="utf-8"
    )
    (data_copy / "organizations" / "faute.yml").write_text('name: "Y"\nsectr: "b"\n', encoding="utf-8")
    result = cli("--data", str(data_copy), "check", cwd=data_copy.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "data/organizations/mauvaise.yml:3 [uses.images]" in result.stderr
    assert "sometimes" in result.stderr
    assert "data/organizations/faute.yml:2 [sectr]" in result.stderr
    assert "Données valides" not in result.stdout


def test_check_option_after_the_command(data_copy: Path, capsys) -> None:
    """`python -m charte_ia check --data DIR` (the usage the project documents) works too."""
    code, out, err = run(capsys, "check", "--data", str(data_copy))
    assert code == 0, err
    assert "Données valides" in out


# --- new -----------------------------------------------------------------------------------------


def test_new_writes_a_commented_file_that_loads(data_copy: Path, capsys) -> None:
    code, out, err = run(capsys, "--data", str(data_copy), "new", "Société Générale")
    assert code == 0, err
    path = data_copy / "organizations" / "societe-generale.yml"
    assert path.is_file()
    assert "societe-generale.yml" in out
    text = path.read_text(encoding="utf-8")

    # Only the name is live; every other field of the model is there, commented.
    project = load_project(data_copy)
    org = next(e.org for e in project.organizations if e.slug == "societe-generale")
    assert org.name == "Société Générale"
    assert org.model_fields_set == {"name"}
    for field in Organization.model_fields:
        if field != "name":
            assert re.search(rf"^# {field}:", text, re.M), f"field `{field}` missing from the scaffold"
    # Each commented field (or group of fields) has a one-line explanation just above it.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^# [a-z_]+:", line):
            j = i - 1
            while j >= 0 and (FIELD_LINE.match(lines[j]) or lines[j].startswith("#   · ")):
                j -= 1
            assert j >= 0 and re.match(r"^# [A-ZÀ-Ý]", lines[j]), f"no explanation above line {i + 1}: {line}"


def test_new_refuses_to_overwrite(data_copy: Path) -> None:
    first = cli("--data", str(data_copy), "new", "Société Générale", cwd=data_copy.parent)
    assert first.returncode == 0, first.stderr
    path = data_copy / "organizations" / "societe-generale.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# modifié à la main\n", encoding="utf-8")
    before = path.read_bytes()
    again = cli("--data", str(data_copy), "new", "Société  Générale", cwd=data_copy.parent)
    assert again.returncode == 1
    assert "Traceback" not in again.stderr
    assert "existe déjà" in again.stderr
    assert path.read_bytes() == before


def test_new_refuses_an_existing_example(data_copy: Path, capsys) -> None:
    path = data_copy / "organizations" / "ville-de-saint-etienne-du-lac.yml"
    before = path.read_bytes()
    code, _, err = run(capsys, "--data", str(data_copy), "new", "Ville de Saint-Étienne-du-Lac")
    assert code == 1 and "existe déjà" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["Modèle", "   ", "!!!"])
def test_new_refuses_names_without_a_usable_slug(data_copy: Path, capsys, name: str) -> None:
    code, _, err = run(capsys, "--data", str(data_copy), "new", name)
    assert code == 1
    assert err.strip()
    assert sorted(p.name for p in (data_copy / "organizations").iterdir()) == sorted(
        p.name for p in (Path(__file__).resolve().parents[2] / "data" / "organizations").iterdir()
    )


def test_new_name_with_quotes_and_yaml_syntax(data_copy: Path, capsys) -> None:
    name = 'L\'Atelier "Ciel: bleu" # 1 & {x}'
    code, _, err = run(capsys, "--data", str(data_copy), "new", name)
    assert code == 0, err
    project = load_project(data_copy)
    assert any(e.org.name == name for e in project.organizations)


def test_uncommented_scaffold_sets_every_field(data_copy: Path, capsys) -> None:
    """Uncomment every field line: a valid organisation with every model field set.

    So the scaffold cannot drift from the model: a field added to Organization and not to the
    template, or a template example that no longer validates, fails here.
    """
    code, _, err = run(capsys, "--data", str(data_copy), "new", "Société Générale")
    assert code == 0, err
    path = data_copy / "organizations" / "societe-generale.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    uncommented = [FIELD_LINE.sub("", line) for line in lines]
    assert sum(a != b for a, b in zip(lines, uncommented, strict=True)) > 20
    path.write_text("".join(uncommented), encoding="utf-8")

    project = load_project(data_copy)  # raises DataErrors (file, field, line) if it does not validate
    org = next(e.org for e in project.organizations if e.slug == "societe-generale")
    assert unset_fields(org) == []
