"""What `check` warns about without failing: facts not checked for a year, and charters that
say they are adopted while blanks remain. One French line each, for whoever keeps the kit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from charte_ia.charter.assembly import Blank, Charter, _block_blanks, assemble
from charte_ia.data.loader import Project
from charte_ia.render.typography import format_date, fr_typo

STALE_AFTER = dt.timedelta(days=365)


def stale_facts(project: Project, today: dt.date) -> Iterator[str]:
    """A line for each law, guidance, standard or platform fact last checked more than a year
    before `today`."""
    for source in project.sources.values():
        if source.checked is not None and today - source.checked > STALE_AFTER:
            yield fr_typo(
                f"Attention : {project.shown(project.data_dir / 'sources.yml')}, source « {source.id} » vérifiée pour la dernière fois le "
                f"{format_date(source.checked)}, il y a plus d’un an : revérifiez-la, puis mettez `checked` à jour."
            )
    for platform in project.platforms.values():
        if today - platform.checked > STALE_AFTER:
            yield fr_typo(
                f"Attention : {project.shown(project.data_dir / 'charter' / 'platforms.yml')}, règle de « {platform.name} » vérifiée pour la dernière "
                f"fois le {format_date(platform.checked)}, il y a plus d’un an : revérifiez-la, puis mettez "
                "`checked` à jour."
            )


def unfinished_adoptions(project: Project) -> Iterator[str]:
    """A line for each organisation whose file gives a version and an adoption date while its
    charter still has blanks: it is a draft, not an adopted charter."""
    for entry in project.organizations:
        charter = assemble(project, entry)
        if not charter.declares_adoption:
            continue
        blanks = located_blanks(charter)
        if blanks:
            listed = " ; ".join(f"{where} « {what} »" for where, what in blanks)
            count = "1 blanc" if len(blanks) == 1 else f"{len(blanks)} blancs"
            until = "tant qu’il n’est pas rempli" if len(blanks) == 1 else "tant qu’ils ne sont pas remplis"
            yield fr_typo(
                f"Attention : {project.shown(entry.path)} donne une version et une date d’adoption, "
                f"mais la charte a encore {count} : {listed}. Elle reste un projet {until}."
            )


def located_blanks(charter: Charter) -> list[tuple[str, str]]:
    """Each distinct blank of a charter with where it stands: « en-tête », « 5.1 (Vidéo) »."""
    out: list[tuple[str, str]] = []
    header = (charter.name, charter.sector, charter.version, charter.adopted, charter.next_review)
    out += [("en-tête", b.what) for b in header if isinstance(b, Blank)]
    for section in charter.sections:
        for clause in section.clauses:
            out += [(clause.number, seg.what) for p in clause.paragraphs for seg in p if isinstance(seg, Blank)]
            block = clause.block
            if block is None:
                continue
            rows = {id(row.level): row.label for row in block.uses}
            for blank in _block_blanks(block):
                label = rows.get(id(blank))
                out.append((f"{clause.number} ({label})" if label else clause.number, blank.what))
    return list(dict.fromkeys(out))


def warnings(project: Project, today: dt.date) -> list[str]:
    return [*stale_facts(project, today), *unfinished_adoptions(project)]
