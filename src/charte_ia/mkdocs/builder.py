"""The « Créer ma charte » page's files: its script, styles, compiled library and the JSON Schema
of an organisation file, added to the build (nothing is written into docs/).

The compiled library depends on the clause library, never on the organisations: the page weighs
the same with one organisation or a thousand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from charte_ia.builder.compile import CompileError, compile_library
from charte_ia.builder.form import SCHEMA_URI, form_description, schema_json
from charte_ia.builder.names import slug_rules
from charte_ia.builder.pack import pack
from charte_ia.builder.script import ScriptError, asset, script
from charte_ia.data.loader import Project
from charte_ia.mkdocs import site

ASSETS = "assets/builder"


_cache: dict[tuple[str, str], str] = {}


def library_key(project: Project) -> str:
    """What the library is compiled from: every data file but the organisations'."""
    digest = hashlib.sha256()
    for path in sorted(project.data_dir.rglob("*")):
        if path.is_file() and "organizations" not in path.relative_to(project.data_dir).parts:
            digest.update(path.relative_to(project.data_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def library_script(project: Project, style: str) -> str:
    """Compiled once for the same clause library (mkdocs serve: an organisation's change does
    not compile it again), its links in one URL style (site.library_style, OFFLINE_LIBRARY)."""
    key = (library_key(project), style)
    if key in _cache:
        return _cache[key]
    script = pack(library_data(project, style))
    _cache.clear()
    _cache[key] = script
    return script


def library_data(project: Project, style: str) -> dict[str, Any]:
    """The compiled library with the questionnaire and the slug rules: everything the page reads."""
    try:
        lib = compile_library(project, directory_urls=style != "file", for_files=style == site.OFFLINE_LIBRARY)
    except CompileError as exc:
        raise PluginError(f"« Créer ma charte » : la bibliothèque de clauses ne se compile pas : {exc}") from None
    lib["form"] = form_description(project, lib["slots"])
    lib["slug"] = slug_rules()
    return lib


def on_files(files: Files, config: MkDocsConfig) -> None:
    project = site.project_for(config)
    style = site.library_style(config)
    try:
        builder_js = script()
    except ScriptError as exc:
        raise PluginError(f"« Créer ma charte » : le script de la page ne se lit pas : {exc}") from None
    # In a build, the documents' process compiles the library (or the calling build did):
    # its file is complete before MkDocs copies it (site.documents_ready).
    compiled = site.builder_library(style)
    if compiled is not None:
        files.append(site.DownloadFile.generated(config, f"{ASSETS}/library.js", abs_src_path=str(compiled)))
    generated = {
        **({} if compiled is not None else {f"{ASSETS}/library.js": library_script(project, style)}),
        f"{ASSETS}/builder.js": builder_js,
        f"{ASSETS}/builder.css": asset("builder.css"),
        SCHEMA_URI: schema_json(),
    }
    for uri, content in generated.items():
        files.append(File.generated(config, uri, content=content))


def offline_library(config: MkDocsConfig) -> Path:
    """The library for the offline zip's addresses, as the documents' process compiled it, or
    compiled here where no such process ran."""
    compiled = site.builder_library(site.OFFLINE_LIBRARY)
    if compiled is not None and compiled.is_file():
        return compiled
    path = site.store_path(f"_builder/library-{site.OFFLINE_LIBRARY}-in-process.js")
    path.write_text(library_script(site.project_for(config), site.OFFLINE_LIBRARY), encoding="utf-8")
    return path
