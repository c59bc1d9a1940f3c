"""Command line: `python -m charte_ia check` and `python -m charte_ia new "Nom"`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

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
    commands.add_parser("check", parents=[data_option], help="vérifie toutes les données sans construire le site")
    new = commands.add_parser("new", parents=[data_option], help="crée le fichier commenté d’une nouvelle organisation")
    new.add_argument("name", help="nom de l’organisation, entre guillemets")
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
            f"{len(project.organizations)} organisations."
        )
        for line in warnings(project, today or dt.date.today()):
            print(line)
        return 0
    try:
        path = new_organization(project, args.name)
    except ScaffoldError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Fichier créé : {path}\nRemplissez-le, puis vérifiez-le avec : python -m charte_ia check")
    return 0
