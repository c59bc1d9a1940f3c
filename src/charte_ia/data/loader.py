"""Read and validate every data file once, into one typed Project, or fail with DataErrors."""

from __future__ import annotations

import datetime as dt
import gc
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from charte_ia.data.errors import DataError, DataErrors
from charte_ia.data.messages import french
from charte_ia.data.models import (
    FORBIDDEN_SECTION,
    PLACEHOLDER,
    ChangelogFile,
    Figure,
    Library,
    Organization,
    Platform,
    PlatformsFile,
    Recommendation,
    RecommendationsFile,
    Source,
    SourcesFile,
    StudyFile,
    When,
)
from charte_ia.data.slugs import SLUG_MAX, SLUG_RULE, is_reserved_slug, is_valid_slug
from charte_ia.data.yamlsource import PathKey, YamlDocument, load_yaml

if TYPE_CHECKING:
    from charte_ia.charter.releases import Release

M = TypeVar("M", bound=BaseModel)

ORGANIZATION_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class OrganizationEntry:
    slug: str
    org: Organization
    path: Path


@dataclass(frozen=True)
class Project:
    data_dir: Path
    sources: dict[str, Source]
    study: StudyFile
    figures: dict[str, Figure]
    recommendations: list[Recommendation]
    library: Library
    platforms: dict[str, Platform]
    organizations: list[OrganizationEntry]
    changelog: ChangelogFile
    # Released versions per organisation slug, oldest first (charter/releases.py).
    releases: dict[str, list[Release]] = field(default_factory=dict)

    @property
    def revision(self) -> str:
        """The clause library's current revision: the changelog's newest."""
        return self.changelog.revisions[0].revision

    @property
    def revision_date(self) -> dt.date:
        """The day the current revision of the clause library was published."""
        return self.changelog.revisions[0].date

    def shown(self, path: Path) -> str:
        """`path` as messages name it: from the data folder's parent, as the loader's errors do."""
        return shown_path(self.data_dir, path).as_posix()

    def clauses_by_recommendation(self) -> dict[str, list[str]]:
        """Clause ids per recommendation id, derived from each clause's `why` (one source of truth)."""
        out: dict[str, list[str]] = {rec.id: [] for rec in self.recommendations}
        for section in self.library.sections:
            for clause in section.clauses:
                for rec_id in clause.why.recommendations:
                    out[rec_id].append(clause.id)
        return out


def shown_path(data_dir: Path, path: Path) -> Path:
    """A data file as messages name it: « data/organizations/x.yml » from the repository, the
    data folder's own name first wherever `--data` points."""
    try:
        return path.relative_to(data_dir.parent)
    except ValueError:
        return path


class _Collector:
    """Gathers errors across all files so that one run reports them all."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.errors: list[DataError] = []

    def shown(self, path: Path) -> Path:
        return shown_path(self.data_dir, path)

    def document(self, path: Path) -> YamlDocument | None:
        if not path.exists() and not path.is_symlink():
            self.errors.append(DataError(self.shown(path), "", "fichier manquant"))
            return None
        try:
            return load_yaml(path, self.shown(path))
        except DataErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def model(self, doc: YamlDocument | None, model: type[M]) -> M | None:
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            kind = "vide" if doc.data is None else f"de type {_french_type(doc.data)}"
            self.errors.append(doc.error((), f"le fichier doit contenir un dictionnaire (clé : valeur), il est {kind}"))
            return None
        before = len(self.errors)
        self.errors.extend(duplicates(doc))
        try:
            result = model.model_validate(doc.data)
        except ValidationError as exc:
            self.errors.extend(_translate(doc, exc))
            return None
        return result if len(self.errors) == before else None

    def unique(self, doc: YamlDocument, items: Iterable[tuple[PathKey, str]], what: str) -> None:
        seen: dict[str, PathKey] = {}
        for loc, ident in items:
            if ident in seen:
                first = doc.line_of(seen[ident])
                self.errors.append(doc.error(loc, f"{what} « {ident} » en double (déjà utilisé ligne {first})"))
            else:
                seen[ident] = loc

    def ref(self, doc: YamlDocument, loc: PathKey, ident: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if ident not in known:
            self.errors.append(
                doc.error(loc, f"{what} « {ident} » inconnu ; valeurs possibles : {', '.join(sorted(set(known)))}")
            )


# An organisation file's text (and the name it is shown by) -> what loading it gave, when it
# had no error: `mkdocs serve` keeps it from one build to the next (site.py), so that an edit
# parses and validates the one file that changed, not 1,000.
OrganizationCache = dict[tuple[str, str], tuple[YamlDocument, Organization]]


def load_project(data_dir: Path, cache: OrganizationCache | None = None, organizations: bool = True) -> Project:
    """Load and check every data file; raise DataErrors listing every problem found. `cache`
    (serve) keeps the organisation files that loaded without error, by their content.
    `organizations=False`: every file but the organisations' and their releases (a Project with
    none), for a process that reads each organisation file when it needs it (load_organization)."""
    # Loading makes hundreds of thousands of objects and no reference cycle worth collecting:
    # the cyclic collector would walk the growing heap again and again for nothing (measured at
    # 1,000 files: 0.25 s with it paused, 0.28 to 0.47 s with it running).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_project(Path(data_dir), cache, organizations)
    finally:
        if was_enabled:
            gc.enable()


def _load_project(data_dir: Path, cache: OrganizationCache | None = None, with_organizations: bool = True) -> Project:
    c = _Collector(data_dir)
    docs = {
        name: c.document(data_dir / name)
        for name in (
            "sources.yml",
            "study.yml",
            "recommendations.yml",
            "charter/library.yml",
            "charter/platforms.yml",
            "changelog.yml",
        )
    }
    sources_file = c.model(docs["sources.yml"], SourcesFile)
    study = c.model(docs["study.yml"], StudyFile)
    recs = c.model(docs["recommendations.yml"], RecommendationsFile)
    library = c.model(docs["charter/library.yml"], Library)
    platforms_file = c.model(docs["charter/platforms.yml"], PlatformsFile)
    changelog = c.model(docs["changelog.yml"], ChangelogFile)
    organizations = _load_organizations(c, data_dir / "organizations", cache) if with_organizations else []
    if c.errors or not (sources_file and study and recs and library and platforms_file and changelog):
        raise DataErrors(c.errors)

    sources = {s.id: s for s in sources_file.sources}
    figures = {f.id: f for f in study.figures}
    platforms = {p.id: p for p in platforms_file.platforms}
    rec_ids = [r.id for r in recs.recommendations]
    _check_references(c, docs, sources_file, study, recs, library, platforms, rec_ids)
    _check_changelog(c, docs, changelog, library)
    for entry, doc in organizations:
        for i, platform in enumerate(entry.org.platforms):
            c.ref(doc, ("platforms", i), platform, platforms, "réseau")
    releases = {}
    if not c.errors and with_organizations:
        # Imported here: releases render charters, whose assembly imports this module.
        from charte_ia.charter.releases import load_releases

        try:
            releases = load_releases(data_dir, [entry for entry, _ in organizations])
        except DataErrors as exc:
            c.errors.extend(exc.errors)
    if c.errors:
        raise DataErrors(c.errors)
    return Project(
        data_dir=data_dir,
        releases=releases,
        sources=sources,
        study=study,
        figures=figures,
        recommendations=recs.recommendations,
        library=library,
        platforms=platforms,
        organizations=[entry for entry, _ in organizations],
        changelog=changelog,
    )


def load_organization(data_dir: Path, path: Path) -> OrganizationEntry:
    """One organisation file, read and validated on its own, as load_project reads it (the
    checks against the other files are load_project's); raise DataErrors if it has errors."""
    c = _Collector(Path(data_dir))
    doc = c.document(path)
    org = c.model(doc, Organization)
    if org is None:
        raise DataErrors(c.errors)
    return OrganizationEntry(path.stem, org, path)


def _check_references(
    c: _Collector,
    docs: dict[str, YamlDocument | None],
    sources_file: SourcesFile,
    study: StudyFile,
    recs: RecommendationsFile,
    library: Library,
    platforms: dict[str, Platform],
    rec_ids: list[str],
) -> None:
    sources_doc, study_doc, recs_doc = docs["sources.yml"], docs["study.yml"], docs["recommendations.yml"]
    lib_doc, plat_doc = docs["charter/library.yml"], docs["charter/platforms.yml"]
    assert sources_doc and study_doc and recs_doc and lib_doc and plat_doc
    source_ids = [s.id for s in sources_file.sources]
    figure_ids = [f.id for f in study.figures]
    group_ids = [g.id for g in study.groups]

    for key in ("source", "summary_source"):
        c.ref(study_doc, ("study", key), getattr(study.study, key), source_ids, "source")
    for i, fig_id in enumerate(study.study.surveys):
        c.ref(study_doc, ("study", "surveys", i), fig_id, figure_ids, "chiffre")
    for i, fig in enumerate(study.figures):
        c.ref(study_doc, ("figures", i, "source"), fig.source, source_ids, "source")
        c.ref(study_doc, ("figures", i, "group"), fig.group, group_ids, "groupe")
        if fig.of is not None:
            c.ref(study_doc, ("figures", i, "of"), fig.of, figure_ids, "chiffre")
    for i, platform in enumerate(platforms.values()):
        for k, src_id in enumerate(platform.sources):
            c.ref(plat_doc, ("platforms", i, "sources", k), src_id, source_ids, "source")
    for i, fig_id in enumerate(study.headline):
        c.ref(study_doc, ("headline", i), fig_id, figure_ids, "chiffre")
    for i, rec in enumerate(recs.recommendations):
        for j, fig_id in enumerate(rec.figures):
            c.ref(recs_doc, ("recommendations", i, "figures", j), fig_id, figure_ids, "chiffre")

    lib: PathKey = ()
    for i, use in enumerate(library.uses):
        if use.figure is not None:
            c.ref(lib_doc, (*lib, "uses", i, "figure"), use.figure, figure_ids, "chiffre")
    for name, placeholder in library.placeholders.items():
        fields: list[tuple[PathKey, str]] = [((*lib, "placeholders", name, "field"), placeholder.field)]
        if placeholder.fallback:
            fields.append(((*lib, "placeholders", name, "fallback"), placeholder.fallback))
        for kind, alt in placeholder.by_kind.items():
            fields.append(((*lib, "placeholders", name, "by_kind", kind, "field"), alt.field))
        for loc, field in fields:
            if not _field_exists(field):
                c.errors.append(lib_doc.error(loc, f"champ « {field} » absent du modèle d’organisation"))
    for field in library.filled_conditions:
        if not _field_exists(field):
            c.errors.append(
                lib_doc.error((*lib, "filled_conditions", field), f"champ « {field} » absent du modèle d’organisation")
            )

    def check_when(loc: PathKey, when: When | None) -> None:
        if when is None:
            return
        if when.platform:
            c.ref(lib_doc, (*loc, "platform"), when.platform, platforms, "réseau")
        if when.filled:
            if not _field_exists(when.filled):
                c.errors.append(
                    lib_doc.error((*loc, "filled"), f"champ « {when.filled} » absent du modèle d’organisation")
                )
            elif when.filled not in library.filled_conditions:
                c.errors.append(
                    lib_doc.error(
                        (*loc, "filled"),
                        f"« {when.filled} » n’a pas de formulation dans `filled_conditions` "
                        "(ce que dit la clause tant que le champ n’est pas rempli)",
                    )
                )

    # Within one list, duplicates() has reported them; a clause id is unique across sections too.
    clause_at: dict[str, PathKey] = {}
    for i, section in enumerate(library.sections):
        check_when((*lib, "sections", i, "when"), section.when)
        for j, clause in enumerate(section.clauses):
            here = (*lib, "sections", i, "clauses", j)
            first = clause_at.setdefault(clause.id, (*here, "id"))
            if first[:3] != here[:3]:
                c.errors.append(
                    lib_doc.error(
                        (*here, "id"), f"clause « {clause.id} » en double (déjà utilisé ligne {lib_doc.line_of(first)})"
                    )
                )
            if section.id == FORBIDDEN_SECTION and not clause.summary:
                c.errors.append(
                    lib_doc.error(
                        here,
                        f"clause « {clause.id} » sans `summary` : la ligne que « L’essentiel en une page » "
                        "imprime pour elle, exceptions comprises",
                    )
                )
            for name in PLACEHOLDER.findall(clause.text):
                if name not in library.placeholders:
                    c.errors.append(
                        lib_doc.error((*here, "text"), f"variable {{{name}}} non déclarée dans `placeholders`")
                    )
            check_when((*here, "when"), clause.when)
            for k, rec_id in enumerate(clause.why.recommendations):
                c.ref(lib_doc, (*here, "why", "recommendations", k), rec_id, rec_ids, "recommandation")
            for k, fig_id in enumerate(clause.why.figures):
                c.ref(lib_doc, (*here, "why", "figures", k), fig_id, figure_ids, "chiffre")
            for k, src_id in enumerate(clause.why.sources):
                c.ref(lib_doc, (*here, "why", "sources", k), src_id, source_ids, "source")


def name_key(name: str) -> str:
    """How two names are compared: case, accents' composition and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def duplicates(doc: YamlDocument) -> list[DataError]:
    """A value twice in any list of the file: ids, names, or plain values (a second platform
    with the id of the first would silently replace it). Records are told apart by `id`,
    else `revision`, else `name`."""
    errors: list[DataError] = []

    def walk(value: Any, loc: PathKey) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, key))
        elif isinstance(value, list):
            seen: dict[str, PathKey] = {}
            for index, item in enumerate(value):
                walk(item, (*loc, index))
                key: PathKey = (*loc, index)
                if isinstance(item, dict):
                    field = next((f for f in ("id", "revision", "name") if f in item), "name")
                    item, key = item.get(field), (*key, field)
                if not isinstance(item, str):
                    continue
                ident = name_key(item)
                if ident in seen:
                    first = doc.line_of(seen[ident])
                    errors.append(doc.error(key, f"« {item[:80]} » en double dans cette liste (déjà ligne {first})"))
                else:
                    seen[ident] = key

    walk(doc.data, ())
    return errors


def _check_changelog(
    c: _Collector, docs: dict[str, YamlDocument | None], changelog: ChangelogFile, library: Library
) -> None:
    doc = docs["changelog.yml"]
    assert doc
    clause_ids = [clause.id for section in library.sections for clause in section.clauses]
    for i, revision in enumerate(changelog.revisions):
        for j, change in enumerate(revision.changes):
            for k, clause_id in enumerate(change.clauses):
                c.ref(doc, ("revisions", i, "changes", j, "clauses", k), clause_id, clause_ids, "clause")


def _field_exists(dotted_field: str) -> bool:
    model: Any = Organization
    for part in dotted_field.split("."):
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return False
        model = fields[part].annotation
    return True


def _cached_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):  # load_yaml says why
        return None


def _load_organizations(
    c: _Collector, folder: Path, cache: OrganizationCache | None = None
) -> list[tuple[OrganizationEntry, YamlDocument]]:
    out: list[tuple[OrganizationEntry, YamlDocument]] = []
    kept: OrganizationCache = {}
    try:
        _organization_files(c, folder, out, cache, kept)
    finally:
        if cache is not None:  # only the files of this load: it never grows past them
            cache.clear()
            cache.update(kept)
    return out


def _organization_files(
    c: _Collector,
    folder: Path,
    out: list[tuple[OrganizationEntry, YamlDocument]],
    cache: OrganizationCache | None,
    kept: OrganizationCache,
) -> None:
    if not folder.is_dir():
        if folder.is_symlink():  # a loop or a broken link: not the same as no organisation yet
            c.errors.append(DataError(c.shown(folder), "", "lien symbolique en boucle ou cassé : dossier introuvable"))
        return
    slugs: dict[str, Path] = {}
    names: dict[str, Path] = {}  # as `new` compares them (name_key)
    root = folder.resolve()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in ORGANIZATION_SUFFIXES:
            continue
        if path.suffix not in ORGANIZATION_SUFFIXES:
            c.errors.append(DataError(c.shown(path), "", "extension attendue en minuscules : .yml ou .yaml"))
            continue
        slug = path.stem
        shown = c.shown(path)
        if not is_valid_slug(slug):
            c.errors.append(
                DataError(shown, "", f"nom de fichier non valide : « {slug[:100]} » ; {SLUG_RULE}, {SLUG_MAX} caractères au plus")
            )
            continue
        if is_reserved_slug(slug):
            c.errors.append(DataError(shown, "", f"« {slug} » est réservé aux pages du kit ; renommez le fichier"))
            continue
        try:
            # Only a link can lead elsewhere: a plain file is not resolved (a system call for
            # each part of its path, at each serve rebuild for every file).
            outside = path.is_symlink() and path.resolve().parent != root
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            c.errors.append(DataError(shown, "", "lien symbolique en boucle : il ne mène à aucun fichier"))
            continue
        if outside:
            c.errors.append(
                DataError(
                    shown,
                    "",
                    "le fichier doit se trouver dans data/organizations/ (lien symbolique vers l’extérieur refusé)",
                )
            )
            continue
        if slug in slugs:
            c.errors.append(DataError(shown, "", f"identifiant « {slug} » en double avec {c.shown(slugs[slug])}"))
            continue
        slugs[slug] = path
        text = _cached_text(path) if cache is not None else None
        hit = cache.get((str(shown), text)) if cache is not None and text is not None else None
        if hit is not None:
            doc, org = hit
        else:
            doc = c.document(path)
            org = c.model(doc, Organization)
        if cache is not None and doc is not None and org is not None:
            kept[(str(shown), doc.text)] = (doc, org)  # the text parsed, whatever was read above
        if doc is not None and org is not None:
            same = names.get(name_key(org.name))
            if same is not None:
                c.errors.append(
                    doc.error(("name",), f"nom « {org.name} » déjà pris par {c.shown(same)} : chaque charte a son nom")
                )
                continue
            names[name_key(org.name)] = path
            out.append((OrganizationEntry(slug, org, path), doc))


# --- pydantic errors in plain French (data/messages.py) ---------------------------------------


def _translate(doc: YamlDocument, exc: ValidationError) -> list[DataError]:
    return [doc.error(_yaml_loc(err["loc"]), french(err)) for err in exc.errors(include_url=False)]


def _yaml_loc(loc: tuple[Any, ...]) -> PathKey:
    # A `Literal | None` or an annotated field reports its branch name ("literal['a','b']",
    # "function-after[clean_line(), str]"): drop those parts.
    return tuple(
        part for part in loc if isinstance(part, int) or not ("[" in part or part in {"none", "str", "int", "float"})
    )


def _french_type(value: object) -> str:
    return {list: "liste", str: "texte", int: "nombre", float: "nombre", bool: "booléen"}.get(
        type(value), type(value).__name__
    )
