"""Released versions: a charter frozen under its version number, in data/releases/, committed.

`python -m charte_ia release <slug>` writes data/releases/<slug>/<version>/ with:

- charte.md: the Markdown download as it read that day (the text that is signed);
- charte.json: the charter's JSON download as it was (render/json.py), kept as a record;
- texte.json: the text as its reader sees it, clause by clause (charter/diff.py), which the
  site shows and compares, and which does not depend on the Charter model of the day: the
  site never renders a released version again from a library or a model that has moved on;
- organisation.yml: the organisation's file, byte for byte;
- charte.docx, charte.odt and charte.pdf (where WeasyPrint is installed): the documents of
  the day, so that the version signed can be downloaded as it was signed;
- release.yml: version, date, the library's revision, and the SHA-256 of the other files.

A released version never changes: releasing again under the same number is a no-op when the
text is the same, refused otherwise (bump the version). Loading checks each folder (sizes
bounded, hashes, the model readable) and names the file at fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints

from charte_ia.charter.assembly import Charter, assemble
from charte_ia.charter.diff import CharterDiff, FrozenCharter, diff_charters, frozen, frozen_from_data
from charte_ia.data.errors import DataError, DataErrors
from charte_ia.data.loader import OrganizationEntry, Project, shown_path
from charte_ia.data.yamlsource import load_yaml
from charte_ia.render.docx import render_docx
from charte_ia.render.json import dumps, render_json
from charte_ia.render.odt import render_odt
from charte_ia.render.markdown import render_markdown
from charte_ia.render.typography import format_date, revision_words

RELEASES = "releases"
META, TEXT, MODEL, FROZEN, ORGANIZATION = "release.yml", "charte.md", "charte.json", "texte.json", "organisation.yml"
FILES = (TEXT, MODEL, FROZEN, ORGANIZATION)
# Documents frozen with the text when it is released: made by the kit's renderers that day,
# never again. A release made before a format existed simply has none of it.
DOCUMENTS = ("charte.docx", "charte.odt", "charte.pdf")
MAX_FILE_BYTES = 4_000_000  # a charter's .md or .json weighs about 100 KB
MAX_VERSIONS = 500  # per organisation

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
VERSION_DIR = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")


class ReleaseMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    released: dt.date
    revision: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    sha256: dict[str, Sha256]


@dataclass(frozen=True)
class Release:
    slug: str
    version: str
    released: dt.date
    revision: str
    folder: Path

    @property
    def dir_name(self) -> str:
        return self.folder.name

    def text(self) -> bytes:
        return (self.folder / TEXT).read_bytes()

    def model(self) -> bytes:
        return (self.folder / MODEL).read_bytes()

    @property
    def documents(self) -> tuple[str, ...]:
        """The frozen documents this release has (DOCUMENTS), by file name."""
        return tuple(name for name in DOCUMENTS if (self.folder / name).is_file())

    def frozen(self) -> FrozenCharter:
        return _frozen(self.folder / FROZEN)


class ReleaseError(Exception):
    """A release refused, with the reason and what to do, in French."""


def version_dir(version: str) -> str:
    """'1.2' -> '1.2', 'V2 (finale)' -> 'v2-finale': the folder and the address of a version."""
    return re.sub(r"[^a-z0-9.]+", "-", version.lower()).strip("-.").replace("..", ".")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order of versions: numbers as numbers ('1.10' after '1.9')."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|[a-z]+", version.lower()))


def library_revision(project: Project) -> str:
    """The clause library's revision a charter is made with: the newest of data/changelog.yml."""
    return project.revision


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=256)
def _frozen_cached(path: Path, stamp: tuple[int, int]) -> FrozenCharter:
    return frozen_from_data(json.loads(path.read_bytes()))


def _frozen(path: Path) -> FrozenCharter:
    st = path.stat()
    return _frozen_cached(path, (st.st_mtime_ns, st.st_size))


# --- loading and checking -------------------------------------------------------------------


def load_releases(data_dir: Path, organizations: list[OrganizationEntry]) -> dict[str, list[Release]]:
    """Every release folder, checked; raise DataErrors naming each file at fault."""
    root = data_dir / RELEASES
    if not root.is_dir():
        return {}
    errors: list[DataError] = []
    known = {e.slug for e in organizations}

    def shown(path: Path) -> Path:
        try:
            return path.relative_to(data_dir.parent)
        except ValueError:
            return path

    out: dict[str, list[Release]] = {}
    for org_dir in sorted(root.iterdir()):
        if org_dir.name.startswith("."):
            continue
        if not org_dir.is_dir() or org_dir.is_symlink():
            errors.append(DataError(shown(org_dir), "", f"dossier attendu : {shown(root).as_posix()}/<organisation>/<version>/"))
            continue
        if org_dir.name not in known:
            errors.append(
                DataError(
                    shown(org_dir),
                    "",
                    f"aucune organisation « {org_dir.name} » dans {shown(data_dir / 'organizations').as_posix()}/ ; "
                    "rétablissez son fichier ou supprimez ce dossier de versions",
                )
            )
            continue
        folders = [p for p in sorted(org_dir.iterdir()) if not p.name.startswith(".")]
        if len(folders) > MAX_VERSIONS:
            errors.append(DataError(shown(org_dir), "", f"au plus {MAX_VERSIONS} versions par organisation"))
            continue
        releases = []
        for folder in folders:
            release = _check_release(folder, org_dir.name, shown, errors)
            if release is not None:
                releases.append(release)
        out[org_dir.name] = sorted(releases, key=lambda r: (version_key(r.version), r.released))
    if errors:
        raise DataErrors(errors)
    return out


def _file_problem(path: Path, shown) -> DataError | None:  # type: ignore[no-untyped-def]
    """A frozen file that is missing, a link, or too big to read."""
    if not path.is_file() or path.is_symlink():
        return DataError(shown(path), "", "fichier manquant : une version publiée se recrée avec python -m charte_ia release")
    if path.stat().st_size > MAX_FILE_BYTES:
        return DataError(shown(path), "", f"fichier trop gros (plus de {MAX_FILE_BYTES // 1_000_000} Mo)")
    return None


def _check_release(folder: Path, slug: str, shown, errors: list[DataError]) -> Release | None:  # type: ignore[no-untyped-def]
    if not folder.is_dir() or folder.is_symlink():
        errors.append(DataError(shown(folder), "", "dossier de version attendu (créé par python -m charte_ia release)"))
        return None
    meta_path = folder / META
    for name in (META, *FILES):
        path = folder / name
        problem = _file_problem(path, shown)
        if problem is not None:
            errors.append(problem)
            return None
    try:
        doc = load_yaml(meta_path, shown(meta_path))
    except DataErrors as exc:
        errors.extend(exc.errors)
        return None
    from charte_ia.data.loader import _Collector  # the same French messages as every data file

    collector = _Collector(folder.parents[2])
    meta = collector.model(doc, ReleaseMeta)
    errors.extend(collector.errors)
    if meta is None:
        return None
    if meta.slug != slug:
        errors.append(doc.error(("slug",), f"« {meta.slug} » ne correspond pas au dossier {shown_path(folder.parents[2], folder.parent).as_posix()}/"))
        return None
    if version_dir(meta.version) != folder.name:
        errors.append(
            doc.error(("version",), f"la version « {meta.version} » va dans le dossier « {version_dir(meta.version)} », pas « {folder.name} »")
        )
        return None
    for name in meta.sha256:
        if name not in FILES and name not in DOCUMENTS:
            errors.append(doc.error(("sha256", name), f"fichier « {name} » inconnu ; fichiers possibles : {', '.join((*FILES, *DOCUMENTS))}"))
            return None
    for name in (*FILES, *(d for d in DOCUMENTS if d in meta.sha256 or (folder / d).exists())):
        expected = meta.sha256.get(name)
        if expected is None:
            errors.append(doc.error(("sha256",), f"empreinte de {name} manquante"))
            return None
        path = folder / name
        problem = _file_problem(path, shown)
        if problem is not None:
            errors.append(problem)
            return None
        if _sha(path.read_bytes()) != expected:
            errors.append(
                DataError(
                    shown(folder / name),
                    "",
                    "ce fichier a changé depuis la publication de la version : une version publiée ne change pas ; "
                    "rétablissez-le (git checkout) et publiez plutôt une nouvelle version",
                )
            )
            return None
    try:
        _frozen(folder / FROZEN)
    except ValueError as exc:  # json.JSONDecodeError is one
        errors.append(DataError(shown(folder / FROZEN), "", f"texte figé illisible ({exc})"))
        return None
    return Release(slug, meta.version, meta.released, meta.revision, folder)


# --- releasing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    release: Release
    created: bool  # False: the same text was released already under this version


def _entry(project: Project, slug: str) -> OrganizationEntry:
    entry = next((e for e in project.organizations if e.slug == slug), None)
    if entry is None:
        known = ", ".join(e.slug for e in project.organizations) or "aucune"
        raise ReleaseError(f"aucune organisation « {slug} » dans {project.shown(project.data_dir / 'organizations')}/ (organisations : {known})")
    return entry


def release(project: Project, slug: str, released: dt.date) -> Outcome:
    """Freeze the organisation's current charter under its version (see the module's doc)."""
    entry = _entry(project, slug)
    version = entry.org.version
    shown = project.shown(entry.path)
    if version is None:
        raise ReleaseError(f"{shown} ne donne pas de version : ajoutez par exemple « version: \"1.0\" », puis publiez")
    folder_name = version_dir(version)
    if not VERSION_DIR.fullmatch(folder_name or "-") or folder_name == "index":
        raise ReleaseError(f"{shown} : la version « {version} » ne peut pas servir d’adresse ; écrivez-la avec des chiffres et des points (« 1.2 »)")
    charter = assemble(project, entry)
    text = render_markdown(charter, project)
    existing = project_releases(project).get(slug, [])
    same = next((r for r in existing if r.dir_name == folder_name), None)
    if same is not None:
        if same.text() == text:
            return Outcome(same, created=False)
        diff = diff_charters(same.frozen(), frozen(charter, project.library.labels))
        # Clauses by number and title, as the reader of the charter knows them (`check` too).
        named = [f"{c.number} {c.title}" for change in diff.clauses if (c := change.new or change.old)]
        changed = (" ; ".join(named[:8]) + (" ; …" if len(named) > 8 else "")) or "en-tête ou mise en forme"
        raise ReleaseError(
            f"la version {same.version} de « {entry.org.name} » est déjà publiée (le {format_date(same.released)}) et la "
            f"charte actuelle en diffère (clauses : {changed}). Une version publiée ne change pas : changez le numéro "
            f"de version dans {shown} (par exemple « {suggest_next(same.version)} »), puis publiez de nouveau."
        )
    if existing and version_key(version) < version_key(existing[-1].version):
        raise ReleaseError(
            f"la version « {version} » de {shown} précède la dernière version publiée ({existing[-1].version}) : "
            f"donnez un numéro plus grand (par exemple « {suggest_next(existing[-1].version)} »)"
        )
    files = {
        TEXT: text,
        MODEL: render_json(charter, project, entry),
        FROZEN: dumps(frozen(charter, project.library.labels).as_data()),
        ORGANIZATION: entry.path.read_bytes(),
        "charte.docx": render_docx(charter, project),
        "charte.odt": render_odt(charter, project),
    }
    from charte_ia.render import pdf  # WeasyPrint and Pango: frozen when they are installed

    if pdf.available():
        files["charte.pdf"] = pdf.render_pdf(charter, project)
    meta = {
        "slug": slug,
        "version": version,
        "released": released.isoformat(),
        "revision": library_revision(project),
        "sha256": {name: _sha(data) for name, data in files.items()},
    }
    header = (
        "# Version publiée par « python -m charte_ia release » : ne pas modifier.\n"
        "# Pour changer la charte, changez le fichier de l’organisation et publiez une nouvelle version.\n"
    )
    files[META] = (header + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)).encode("utf-8")
    target = project.data_dir / RELEASES / slug / folder_name
    _write_folder(target, files)
    made = Release(slug, version, released, str(meta["revision"]), target)
    return Outcome(made, created=True)


def suggest_next(version: str) -> str:
    """'1.2' -> '1.3': the last number of a version, plus one."""
    numbers = list(re.finditer(r"\d+", version))
    if not numbers:
        return version + ".1"
    last = numbers[-1]
    return version[: last.start()] + str(int(last.group()) + 1) + version[last.end() :]


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    """All the files or none: written into a temporary folder beside the target, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".version-", dir=target.parent))
    try:
        for name, data in files.items():
            (temp / name).write_bytes(data)
        # mkdtemp makes a folder only its owner reads: give it a folder's usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o777 & ~umask)
        os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def project_releases(project: Project) -> dict[str, list[Release]]:
    return getattr(project, "releases", None) or {}


# --- what changed since the last release ----------------------------------------------------


@dataclass(frozen=True)
class LibraryChange:
    """An entry of data/changelog.yml behind a change of a charter."""

    revision: str
    date: dt.date
    text: str
    clauses: tuple[str, ...]  # the changed clauses it names (none: a change to every charter)


@dataclass(frozen=True)
class Drift:
    """An organisation whose charter no longer reads as its last released version."""

    entry: OrganizationEntry
    release: Release
    diff: CharterDiff
    version_unchanged: bool  # the file still carries the released version's number
    library: tuple[LibraryChange, ...] = ()  # the changelog's entries behind the change


def library_changes(project: Project, release: Release, changed: list[str]) -> tuple[LibraryChange, ...]:
    """The changelog's entries since the release's revision that name a changed clause or
    none (a change to every charter), newest first."""
    revisions = project.changelog.revisions
    ids = [r.revision for r in revisions]
    newer = revisions[: ids.index(release.revision)] if release.revision in ids else [
        r for r in revisions if r.date > release.released
    ]
    wanted = set(changed)
    out = []
    for revision in newer:
        for change in revision.changes:
            named = tuple(c for c in change.clauses if c in wanted)
            if named or not change.clauses:
                out.append(LibraryChange(revision.revision, revision.date, change.text, named))
    return tuple(out)


def library_between(project: Project, previous: Release, release: Release, changed: list[str]) -> tuple[LibraryChange, ...]:
    """The changelog's entries behind the change from one released version to the next: those
    after `previous`'s revision, up to and including `release`'s."""
    later = set(library_changes(project, release, changed))
    return tuple(c for c in library_changes(project, previous, changed) if c not in later)


def drift(project: Project, entry: OrganizationEntry, charter: Charter | None = None) -> Drift | None:
    releases = project_releases(project).get(entry.slug)
    if not releases:
        return None
    last = releases[-1]
    charter = charter or assemble(project, entry)
    if render_markdown(charter, project) == last.text():
        return None
    diff = diff_charters(last.frozen(), frozen(charter, project.library.labels))
    changes = library_changes(project, last, diff.clause_ids())
    return Drift(entry, last, diff, entry.org.version == last.version, changes)


def drifts(project: Project) -> Iterator[Drift]:
    for entry in project.organizations:
        found = drift(project, entry)
        if found is not None:
            yield found


_KINDS = {"changed": "modifiée", "added": "ajoutée", "removed": "supprimée"}


def _data_option(project: Project) -> str:
    """The `--data` a command needs to reach the same data folder: none for the default one."""
    return "" if project.data_dir == Path("data") else f" --data {shlex.quote(str(project.data_dir))}"


def describe(found: Drift, project: Project) -> list[str]:
    """What `check` prints for an organisation whose charter changed under the same number."""
    org = found.entry.org
    last = found.release
    lines = [
        f"Attention : la charte de « {org.name} » ({project.shown(found.entry.path)}) a changé depuis "
        f"sa version publiée {last.version} (le {format_date(last.released)}), sans changement de numéro de version."
    ]
    for change in found.diff.clauses:
        clause = change.new or change.old
        assert clause is not None
        lines.append(f"  - clause {_KINDS[change.kind]} : {clause.number} {clause.title} ({clause.id})")
    for header in found.diff.header:
        lines.append(f"  - en-tête : {header.label}")
    if found.diff.empty:
        lines.append("  - mise en forme du texte")
    if found.library:
        lines.append(f"  Changements du modèle de charte depuis cette version ({project.shown(project.data_dir / 'changelog.yml')}) :")
    titles = {}
    for change in found.diff.clauses:
        clause = change.new or change.old
        assert clause is not None
        titles[clause.id] = f"{clause.number} {clause.title}"
    for change in found.library:
        named = f" [{', '.join(titles.get(c, c) for c in change.clauses)}]" if change.clauses else ""
        lines.append(f"  - révision {revision_words(change.revision, change.date)}{named} : {change.text}")
    lines.append(
        f"  Changez son numéro de version (par exemple « {suggest_next(last.version)} »), puis publiez-la : "
        f"python -m charte_ia{_data_option(project)} release {found.entry.slug}"
    )
    return lines
