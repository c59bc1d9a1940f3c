"""What a data file can cost, and what YAML must not decide: every data file, every class.

Each case is written into each data file of a copy of data/ (the clause library, the study,
an organisation...): the load fails with one French message naming that file, the line and the
limit, within a small, measured budget of memory (tracemalloc) — never a traceback.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from charte_ia.data import yamlsource
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project

DATA_FILES = (
    "sources.yml",
    "study.yml",
    "recommendations.yml",
    "charter/library.yml",
    "charter/platforms.yml",
    "changelog.yml",
    "organizations/agence-pixel-et-plume.yml",
)


def billion_laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "fin\n"


# case -> (YAML appended to a file: key `zz_hostile`; its line in that text; words of the message)
CASES = {
    "billion-laughs": (billion_laughs(), None, "alias"),
    "aliases": (
        "zz_a: &a [x]\nzz_b: [" + ", ".join(["*a"] * (yamlsource.MAX_ALIASES + 1)) + "]\n",
        1,  # the line of the anchor: an alias is the same node
        f"au plus {yamlsource.MAX_ALIASES}",
    ),
    "recursive-anchor": ("zz_r: &r [x, *r]\n", 1, "se contient elle-même"),
    "deep-nesting": ("zz_deep:\n" + nested(yamlsource.MAX_DEPTH + 5), None, f"au plus {yamlsource.MAX_DEPTH} niveaux"),
    "very-deep-nesting": ("zz_deep: " + "[" * 5000 + "]" * 5000 + "\n", 1, f"au plus {yamlsource.MAX_DEPTH} niveaux"),
    "many-values": ("zz_many: [" + "1, " * yamlsource.MAX_NODES + "1]\n", 1, f"plus de {yamlsource.MAX_NODES} valeurs"),
    "long-value": ('zz_long: "' + "a" * (yamlsource.MAX_SCALAR + 1) + '"\n', 1, f"au plus {yamlsource.MAX_SCALAR}"),
    "long-number": ("zz_n: " + "9" * 5000 + "\n", 1, f"au plus {yamlsource.MAX_NUMBER}"),
    "timestamp-tag": ("zz_t: !!timestamp 2026-01-01\n", 1, "!!timestamp"),
    "bool-tag": ('zz_b: !!bool "oui"\n', 1, "!!bool"),
    "float-tag": ("zz_f: !!float 12\n", 1, "!!float"),
    "seq-tag-on-scalar": ("zz_s: !!seq texte\n", 1, "!!seq"),
    "map-tag-on-list": ("zz_m: !!map [a, b]\n", 1, "!!map"),
    "set-tag": ("zz_set: !!set {a, b}\n", 1, "!!set"),
    "binary-tag": ("zz_bin: !!binary aGVsbG8=\n", 1, "!!binary"),
    "python-tag": ("zz_p: !!python/object/apply:os.system [echo pwned]\n", 1, "!!python/object/apply:os.system"),
    "unknown-tag": ("zz_u: !maison valeur\n", 1, "« !maison »"),
    "on-key": ("on: x\n", 1, "« on » lue par YAML comme un booléen"),
    "yes-key": ("yes: x\n", 1, "« yes » lue par YAML comme un booléen"),
    "number-key": ("1: x\n", 1, "« 1 » lue par YAML comme un nombre entier"),
    "null-key": ("~: x\n", 1, "« ~ » lue par YAML comme une valeur vide"),
    "complex-key": ("? [a, b]\n: x\n", 1, "clé non valide"),
    "duplicate-key": ("zz_d: 1\nzz_d: 2\n", 2, "clé en double (déjà définie ligne"),
    "second-document": ("---\nautre: document\n", None, "un seul document"),
    "undefined-alias": ("zz_x: *nulle\n", 1, "alias (*nom) sans ancre"),
    "tab-indent": ("zz_t:\n\t- a\n", 2, "tabulation"),
}


def append(path: Path, extra: str) -> int:
    """Append `extra` at the end of the file; returns the line number where it starts."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + extra, encoding="utf-8")
    return text.count("\n") + 1


def refused(data: Path, file: str) -> tuple[str, int | None, str, float, int]:
    """The one error of `file`: (field, line, message), and the load's time (s) and peak memory (bytes)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(DataErrors) as info:
            load_project(data)
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    errors = [e for e in info.value.errors if Path(e.file).as_posix() == f"data/{file}"]
    assert len(errors) == 1, info.value.report()
    assert "Traceback" not in info.value.report()
    error = errors[0]
    return error.field, error.line, error.message, elapsed, peak


# Memory a refused load may take (the whole project is loaded, its valid files included).
MEMORY_BUDGET = 32_000_000


@pytest.mark.parametrize("file", DATA_FILES)
@pytest.mark.parametrize("case", list(CASES))
def test_refused_in_every_file(data_copy: Path, file: str, case: str) -> None:
    extra, line, words = CASES[case]
    start = append(data_copy / file, extra)
    field, got_line, message, elapsed, peak = refused(data_copy, file)
    assert words in message, message
    if line is not None:
        assert got_line == start + line - 1, (got_line, start, message)
    else:
        assert got_line is not None and got_line >= start, (got_line, start, message)
    assert peak < MEMORY_BUDGET, f"{case}: {peak} bytes"
    print(f"{case} in {file}: {elapsed * 1000:.1f} ms, peak {peak / 1e6:.1f} MB")


@pytest.mark.parametrize("file", DATA_FILES)
def test_a_file_too_big_is_not_read(data_copy: Path, file: str) -> None:
    path = data_copy / file
    with path.open("ab") as handle:
        handle.write(b"# " + b"x" * yamlsource.MAX_FILE_BYTES + b"\n")
    field, line, message, elapsed, peak = refused(data_copy, file)
    assert message.startswith("fichier trop gros") and f"au plus {yamlsource.MAX_FILE_BYTES}" in message
    assert peak < MEMORY_BUDGET


@pytest.mark.parametrize("file", DATA_FILES)
def test_a_symlink_loop(data_copy: Path, file: str) -> None:
    path = data_copy / file
    path.unlink()
    os.symlink(path.name, path)  # points at itself
    field, line, message, _, _ = refused(data_copy, file)
    assert message == "lien symbolique en boucle : il ne mène à aucun fichier"


def test_an_organisation_symlink_loop_in_the_folder(data_copy: Path) -> None:
    folder = data_copy / "organizations"
    os.symlink("boucle-b.yml", folder / "boucle-a.yml")
    os.symlink("boucle-a.yml", folder / "boucle-b.yml")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    assert [e.message for e in info.value.errors] == ["lien symbolique en boucle : il ne mène à aucun fichier"] * 2


@pytest.mark.parametrize("file", DATA_FILES)
def test_not_utf8_names_its_line(data_copy: Path, file: str) -> None:
    start = append(data_copy / file, "zz: ok\n")
    with (data_copy / file).open("ab") as handle:
        handle.write("zz_e: é\n".encode("latin-1"))
    field, line, message, _, _ = refused(data_copy, file)
    assert (message, line) == ("le fichier n’est pas en UTF-8", start + 1)


def test_a_merge_key_still_works(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n", encoding="utf-8")
    assert yamlsource.load_yaml(path).data == {"base": {"x": 1, "y": 2}, "other": {"x": 3, "y": 2}}


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", ".NaN", "+.Inf"])
def test_infinite_numbers_are_refused_on_their_line(data_copy: Path, number: str) -> None:
    path = data_copy / "study.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    value: 86\n") == 1
    line = text[: text.index("    value: 86\n")].count("\n") + 1
    path.write_text(text.replace("    value: 86\n", f"    value: {number}\n"), encoding="utf-8")
    field, got_line, message, _, _ = refused(data_copy, "study.yml")
    assert field.endswith(".value") and got_line == line
    assert message.startswith("nombre fini attendu"), message


@pytest.mark.parametrize("number", [".inf", "12.5", "true", '"12"'])
def test_a_count_of_countries_is_a_whole_number(data_copy: Path, number: str) -> None:
    path = data_copy / "study.yml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.strip().startswith("countries:"))
    line = text.splitlines().index(old) + 1
    path.write_text(text.replace(old, old.split(":")[0] + f": {number}"), encoding="utf-8")
    field, got_line, message, _, _ = refused(data_copy, "study.yml")
    assert (field, got_line) == ("study.countries", line)
    assert message.startswith(("nombre entier attendu", "nombre fini attendu")), message


def test_the_organisations_folder_as_a_symlink_loop(data_copy: Path) -> None:
    import shutil

    shutil.rmtree(data_copy / "organizations")
    os.symlink("organizations", data_copy / "organizations")
    with pytest.raises(DataErrors) as info:
        load_project(data_copy)
    assert [e.message for e in info.value.errors] == ["lien symbolique en boucle ou cassé : dossier introuvable"]
