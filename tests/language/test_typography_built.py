"""What can be checked mechanically in the French text of every built page and download: no
straight apostrophe, no ISO date, no lower-cased acronym, no doubled colon in a blank, no
ordinary space where French puts a non-breaking one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from frenchtext import Block, prose

from charte_ia.render import pdf

# The builds of the tests make PDFs where WeasyPrint can, and always in CI (tests/conftest.py).
PDF_DOWNLOADS = "true" if os.environ.get("CI") or pdf.available() else "false"

ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?![\w/-])")
LOWER_ACRONYM = re.compile(r"(?<![\w’'-])(?:ia|dpo|rgpd|cnil)(?![\w’'-])")
DOUBLED_COLON_IN_BLANK = re.compile(r"\[À compléter\s*:[^\]]*:")
SPACE_BEFORE = re.compile(r"(?<=\S) [;!?:»](?=\s|$|[).,])")
SPACE_AFTER_OPENING = re.compile(r"« ")


@pytest.fixture(scope="module")
def blocks(site_text) -> list[Block]:
    # Pages and downloads of every kind are read: a check that reads nothing cannot fail.
    kinds = {b.where.split(" ")[0].rsplit(".", 1)[-1] for b in site_text}
    expected = {"html", "md", "docx", "odt", *(["pdf"] if PDF_DOWNLOADS == "true" else [])}
    assert expected <= kinds, kinds
    essentials = {b.where.split(" ")[0] for b in site_text if "essentiel" in b.where}
    assert {"html", "docx", *(["pdf"] if PDF_DOWNLOADS == "true" else [])} <= {w.rsplit(".", 1)[-1] for w in essentials}
    assert any(".zip:" in b.where and b.where.endswith(".html") for b in site_text), "the offline zip's pages"
    assert len(site_text) > 2_000
    return site_text


def offences(blocks: list[Block], find: Callable[[str], list[str]]) -> list[str]:
    out = []
    for block in blocks:
        for hit in find(prose(block.text)):
            out.append(f"{block.where}: « {hit} » dans « {block.text[:160]} »")
    return sorted(set(out))


def around(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    return lambda text: [text[max(0, m.start() - 25) : m.end() + 25] for m in pattern.finditer(text)]


def test_no_straight_apostrophe(blocks) -> None:
    found = offences(blocks, around(re.compile("'")))
    assert not found, "apostrophe droite (U+0027) au lieu de « ’ » :\n" + "\n".join(found[:40])


def test_no_iso_date(blocks) -> None:
    # A released version's page shows its frozen text as it was published, dates included.
    found = offences([b for b in blocks if "/versions/" not in b.where], around(ISO_DATE))
    assert not found, "date au format ISO dans du texte français :\n" + "\n".join(found[:40])


def test_no_lower_cased_acronym(blocks) -> None:
    found = offences(blocks, around(LOWER_ACRONYM))
    assert not found, "sigle en minuscules (IA, DPO, RGPD, CNIL) :\n" + "\n".join(found[:40])


def test_no_doubled_colon_in_a_blank(blocks) -> None:
    found = offences(blocks, around(DOUBLED_COLON_IN_BLANK))
    assert not found, "deux-points doublés dans un blanc :\n" + "\n".join(found[:40])


def test_no_ordinary_space_before_tall_punctuation_or_inside_quotes(blocks) -> None:
    found = offences(blocks, around(SPACE_BEFORE)) + offences(blocks, around(SPACE_AFTER_OPENING))
    assert not found, "espace ordinaire avant « ; ! ? : » ou dans « » (insécable attendue) :\n" + "\n".join(found[:40])


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (ISO_DATE, "depuis le 2024-07-01"),
        (ISO_DATE, "Depuis 2024-07"),
        (LOWER_ACRONYM, "nom et fonction : référent·e ia"),
        (LOWER_ACRONYM, "délégué (dpo)"),
        (DOUBLED_COLON_IN_BLANK, "[À compléter : contact : contact en cas d’incident]"),
        (SPACE_BEFORE, "une règle ; une autre"),
        (SPACE_AFTER_OPENING, "« mention »"),
    ],
)
def test_each_check_finds_the_fault_it_is_for(check: re.Pattern[str], text: str) -> None:
    assert check.search(prose(text))


@pytest.mark.parametrize(
    "text",
    [
        "loi n° 2023-451 du 9 juin 2023",
        "règlement (UE) 2016/679",
        "voir https://www.cnil.fr/fr/ia-2024-07-01 et dpo@example.fr",
        "charte-ia-ville-v1-0.docx",
        "l’IA, le DPO, la CNIL, le RGPD, via, IAB",
        "À\u00a0compléter\u00a0: règle",
    ],
)
def test_the_checks_leave_correct_text_alone(text: str) -> None:
    clean = prose(text)
    for check in (ISO_DATE, LOWER_ACRONYM, DOUBLED_COLON_IN_BLANK, SPACE_BEFORE, SPACE_AFTER_OPENING):
        assert not check.search(clean), (check.pattern, text)
    assert "'" not in clean
