"""What a build keeps of its organisations: packed, read back one at a time as they were loaded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from charte_ia.data.loader import Project
from charte_ia.mkdocs import site

ROOT = Path(__file__).resolve().parents[2]


def test_packed_organisations_read_back_as_loaded(project: Project) -> None:
    entries = project.organizations
    packed = site.PackedOrganizations(entries)
    assert len(packed) == len(entries) > 1
    assert list(packed) == entries and [None, *packed][1:] == entries
    assert packed[0] == entries[0] and packed[-1] == entries[-1] and packed[1:] == entries[1:]
    assert next(iter(packed)) is not entries[0]  # a copy, dropped once read


def test_a_build_keeps_its_organisations_packed_and_serve_keeps_them_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    config = SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"))
    for command, kind in (("build", site.PackedOrganizations), ("serve", list)):
        monkeypatch.setattr(site, "_cache", {})
        monkeypatch.setattr(site, "_this_build", [])
        monkeypatch.setattr(site, "_organization_cache", {})
        monkeypatch.setitem(site._state, "command", command)
        organizations = site.project_for(config).organizations  # type: ignore[arg-type]
        assert isinstance(organizations, kind), command
        assert [e.slug for e in organizations] == sorted(p.stem for p in (ROOT / "data" / "organizations").glob("*.yml"))


def test_a_build_reads_its_organisations_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch, project_copy: Path, tmp_path: Path
) -> None:
    """generated_files never holds every organisation's model at once (`[None, *organisations]`
    unpacked them all: 15 KB an organisation, 76 MB at 5,000): each is read as its turn comes."""
    import gc
    import weakref

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    alive: list[int] = []
    most = [0]

    def reading(self: site.PackedOrganizations) -> object:
        for packed in self._packed:
            entry = site.pickle.loads(packed)
            gc.collect()
            alive.append(1)
            weakref.finalize(entry, alive.pop)
            most[0] = max(most[0], len(alive))
            yield entry
            del entry

    from charte_ia.mkdocs.background import can_fork

    if not can_fork():
        pytest.skip("needs fork and a second core")
    monkeypatch.setattr(site.PackedOrganizations, "__iter__", reading)
    given_back: list[int] = []
    monkeypatch.setattr(site, "give_back_memory", lambda: given_back.append(most[0]))
    monkeypatch.setattr(site, "_cache", {})
    monkeypatch.setattr(site, "_this_build", [])
    monkeypatch.setitem(site._state, "command", "build")
    monkeypatch.setenv("OFFLINE_ZIP", "false")
    for k in range(12):
        (project_copy / "data" / "organizations" / f"ajout-{k:02}.yml").write_text(f'name: "Ajout {k}"\n', encoding="utf-8")
    config = load_config(str(project_copy / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins._current_plugin = "hooks"  # as MkDocs sets it while a hook runs
    try:
        site.start_documents(config)
        site.generated_files(config, Files([]))
        site.documents_ready()
    finally:
        site.finish_build()
        gc.unfreeze()
    organizations = len(site.project_for(config).organizations)
    # The one being read, the one before it, and the last of the loop while the calendar reads them.
    assert organizations > 12 and most[0] <= 3
    # Once the data is loaded, and again once on_files has read the organisations: what the
    # charters' work and the site-wide downloads left is given back.
    assert given_back[0] == 0 and given_back[-1] > 0


def test_the_documents_caches_hold_what_recurs_not_every_organisation() -> None:
    """The documents' process's caches are bounded by what comes back in every charter (the
    library's texts and clauses): larger bounds kept the organisations' own texts too, 22 MB
    more at 1,500 organisations for no measured CPU."""
    from charte_ia.render import escaping, jinja, zips
    from charte_ia.render import json as json_render

    for cached in (jinja.xml_text, escaping.md_escape, escaping.md_escape_plain):
        assert cached.cache_info().maxsize <= 1 << 12, cached
    assert json_render._clause_json.cache_info().maxsize <= 1 << 10
    assert zips.PieceCache(level=6).limit <= 1 << 10


def test_the_index_of_charters_is_kept_as_its_rows_text_and_written_the_same(project: Project) -> None:
    """on_files keeps each row of the index of charters as the JSON text it is written as (half
    the memory of its dict): the index's bytes are those of the whole index dumped at once."""
    from charte_ia.charter.assembly import assemble
    from charte_ia.render.json import dumps, index_data

    links = {"page": "chartes/x/", "docx": "telechargements/x « l’été ».docx", "pdf": None, "quote": 'a "b" \\ c\n'}
    rows = index_data([(assemble(project, entry).summary(), entry, links) for entry in [None, *project.organizations]])["charters"]
    kept = [site._index_row(row) for row in rows]
    assert all(isinstance(row, str) for row in kept)
    assert site._index_bytes(kept) == dumps({**index_data([]), "charters": rows})
    assert site._index_bytes(kept[:1]) == dumps({**index_data([]), "charters": rows[:1]})


def test_a_build_gives_back_what_the_navigation_took_before_the_pages_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    given_back: list[str] = []
    monkeypatch.setattr(site, "give_back_memory", lambda: given_back.append(str(site._state["command"])))
    config = SimpleNamespace(plugins={})
    for command in ("serve", "build"):
        monkeypatch.setitem(site._state, "command", command)
        site.add_search_entries(config, None)  # type: ignore[arg-type]
    assert given_back == ["build"]
