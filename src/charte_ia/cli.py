"""Command line: `python -m charte_ia check`, `new "Nom"` and `release <organisation>`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from charte_ia.charter.releases import ReleaseError, describe, drifts, release
from charte_ia.charter.checks import warnings
from charte_ia.data.errors import DataErrors
from charte_ia.data.loader import load_project
from charte_ia.scaffold import ScaffoldError, new_organization


def main(argv: list[str] | None = None, today: dt.date | None = None) -> int:
    """`today`: the date facts are compared with (`check` warns about those checked more than a
    year before it); the clock's when not given."""
    parser = argparse.ArgumentParser(prog="python -m charte_ia", description="Charte IA : données et chartes.")
    parser.add_argument("--data", type=Path, default=Path("data"), help="dossier des données (défaut : data)")
    # `--data` is accepted after the command too (`check --data DIR`); SUPPRESS keeps the default.
    data_option = argparse.ArgumentParser(add_help=False)
    data_option.add_argument("--data", type=Path, default=argparse.SUPPRESS, help="dossier des données")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", parents=[data_option], help="vérifie toutes les données sans construire le site")
    check.add_argument(
        "--strict",
        action="store_true",
        help="échoue aussi (code 1) sur une mise en garde : une charte publiée qui a changé sans nouveau "
        "numéro de version, un fait vérifié il y a plus d’un an, une adoption avec des blancs",
    )
    new = commands.add_parser("new", parents=[data_option], help="crée le fichier commenté d’une nouvelle organisation")
    new.add_argument("name", help="nom de l’organisation, entre guillemets")
    publish = commands.add_parser(
        "release", parents=[data_option], help="fige la charte actuelle d’une organisation sous son numéro de version"
    )
    publish.add_argument("slug", help="l’organisation : le nom de son fichier sans .yml")
    publish.add_argument(
        "--date", type=_date, default=None, help="date de publication, AAAA-MM-JJ (défaut : aujourd’hui)"
    )
    args = parser.parse_args(argv)

    try:
        project = load_project(args.data)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if args.command == "check":
        print(
            f"Données valides : {len(project.figures)} chiffres, {len(project.recommendations)} recommandations, "
            f"{sum(len(s.clauses) for s in project.library.sections)} clauses, "
            f"{len(project.organizations)} organisations, "
            f"{_count(sum(len(r) for r in project.releases.values()), 'version publiée', 'versions publiées')}."
        )
        # Warnings, not errors, by default: a change to the clause library makes every released
        # charter drift until its organisation bumps its version, which is the point of saying so.
        cautions = [*warnings(project, today or dt.date.today())]
        cautions += ["\n".join(describe(found, project)) for found in drifts(project) if found.version_unchanged]
        for line in cautions:
            print(line)
        return 1 if args.strict and cautions else 0
    if args.command == "release":
        return _release(project, args.slug, args.date or dt.date.today())
    try:
        path = new_organization(project, args.name)
    except ScaffoldError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Fichier créé : {path}\nRemplissez-le, puis vérifiez-le avec : python -m charte_ia check")
    return 0


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n < 2 else many}"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ (lu : « {text} »)") from None


def _release(project, slug: str, day: dt.date) -> int:  # type: ignore[no-untyped-def]
    try:
        outcome = release(project, slug, day)
    except ReleaseError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    made = outcome.release
    where = made.folder.relative_to(project.data_dir.parent) if made.folder.is_relative_to(project.data_dir.parent) else made.folder
    if outcome.created:
        print(f"Version {made.version} de {slug} publiée dans {where}/ : ajoutez ce dossier au dépôt (git add) ; il ne changera plus.")
    else:
        print(f"La version {made.version} de {slug} est déjà publiée avec ce texte ({where}/) : rien à faire.")
    return 0
