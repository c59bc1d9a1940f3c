"""The « Créer ma charte » page's files: its script, styles, compiled library and the JSON Schema
of an organisation file, added to the build (nothing is written into docs/).

The compiled library depends on the clause library, never on the organisations: the page weighs
the same with one organisation or a thousand.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from charte_ia.builder.compile import CompileError, compile_library, deflate
from charte_ia.builder.form import SCHEMA_URI, form_description, schema_json
from charte_ia.builder.names import slug_rules
from charte_ia.builder.script import ScriptError, asset, script
from charte_ia.data.loader import Project
from charte_ia.mkdocs import site

ASSETS = "assets/builder"


_cache: dict[tuple[str, str], str] = {}


def _fingerprint(project: Project) -> str:
    """What the library is compiled from: every data file but the organisations'."""
    digest = hashlib.sha256()
    for path in sorted(project.data_dir.rglob("*")):
        if path.is_file() and "organizations" not in path.relative_to(project.data_dir).parts:
            digest.update(path.relative_to(project.data_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def library_script(project: Project, style: str) -> str:
    """Compiled once for the same clause library (mkdocs serve: an organisation's change does
    not compile it again), its links in one URL style (site.library_style, OFFLINE_LIBRARY)."""
    key = (_fingerprint(project), style)
    if key in _cache:
        return _cache[key]
    try:
        lib = compile_library(project, directory_urls=style != "file", for_files=style == site.OFFLINE_LIBRARY)
    except CompileError as exc:
        raise PluginError(f"« Créer ma charte » : la bibliothèque de clauses ne se compile pas : {exc}") from None
    lib["form"] = form_description(project, lib["slots"])
    lib["slug"] = slug_rules()
    script = pack(lib)
    _cache.clear()
    _cache[key] = script
    return script


_LISTS = ("body", "head", "cond", "then", "else", "empty", "pre", "post", "row")


def _intern(lib: dict[str, Any]) -> dict[str, Any]:
    """The formats' texts in one list, clause by clause and, within a clause, format by format:
    the same sentence in the .md, the Word document and the preview then sits within deflate's
    32 KB window, and is compressed once. Token lists hold their index instead."""
    groups: dict[str, list[str]] = {}
    order: list[str] = []

    def collect(tokens: list[Any], group: str, fmt: str) -> None:
        for t in tokens:
            if isinstance(t, str):
                key = f"{group}\0{fmt}"
                if key not in groups:
                    groups[key] = []
                    order.append(key)
                groups[key].append(t)
            elif isinstance(t, dict):
                inner = t.get("clause") or t.get("section") or group
                for name in _LISTS:
                    if isinstance(t.get(name), list):
                        collect(t[name], inner, fmt)
                for by in t.get("switch", {}).values():
                    for body in by.values():
                        collect(body, inner, fmt)

    for fmt, tokens in lib["formats"].items():
        collect(tokens, "", fmt)
    clause_order = {cid: i for i, cid in enumerate(["", *(s["id"] for s in lib["sections"]), *lib["clauses"]])}
    order.sort(key=lambda k: (clause_order.get(k.split("\0")[0], -1), list(lib["formats"]).index(k.split("\0")[1])))
    strings: list[str] = []
    where: dict[str, int] = {}
    for key in order:
        for text in groups[key]:
            if text not in where:
                where[text] = len(strings)
                strings.append(text)

    def swap(tokens: list[Any]) -> list[Any]:
        out: list[Any] = []
        for t in tokens:
            if isinstance(t, str):
                out.append(where[t])
            elif isinstance(t, dict):
                t = dict(t)
                for name in _LISTS:
                    if isinstance(t.get(name), list):
                        t[name] = swap(t[name])
                if "switch" in t:
                    t["switch"] = {f: {o: swap(b) for o, b in by.items()} for f, by in t["switch"].items()}
                out.append(t)
            else:
                out.append(t)
        return out

    formats = {fmt: _slim(swap(tokens)) for fmt, tokens in lib["formats"].items()}
    return {**lib, "formats": formats, "strings": strings}


def _slim(node: Any) -> Any:
    """A value's token without the empty text around it (most have none): the script reads a
    missing `pre` or `post` as empty."""
    if isinstance(node, list):
        return [_slim(n) for n in node]
    if isinstance(node, dict):
        slot = "s" in node
        return {k: _slim(v) for k, v in node.items() if not (slot and k in ("pre", "post") and v == "")}
    return node


def pack(lib: dict[str, Any]) -> str:
    """The library as a script (a script works from file://, where a page may not fetch a JSON
    file), compressed: the documents' texts are three quarters of it and repeat much. The
    browser unpacks it with its own DecompressionStream."""
    data_json = json.dumps(_intern(lib), ensure_ascii=False, separators=(",", ":"))
    packed = deflate(data_json.encode("utf-8"))
    data = {"packed": base64.b64encode(packed).decode("ascii")}
    return f"window.CHARTE_LIBRARY={json.dumps(data)};\n"


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
