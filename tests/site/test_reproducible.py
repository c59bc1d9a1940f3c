"""Two clean builds of the same sources give the same files, byte for byte, downloads included.

Both builds run in different folders, with SITE_URL set (so that the sitemap, canonical links and
og:url are there) and SOURCE_DATE_EPOCH empty: no date may then come from the clock. The build
as deployed (OFFLINE_ZIP=true) contains the offline zip (telechargements/charte-ia-hors-ligne.zip), so it is compared too.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from sitecheck import PDF_DOWNLOADS, build, copy_project

ENV = {"SITE_URL": "https://example.org/charte-ia/", "SOURCE_DATE_EPOCH": "", "OFFLINE_ZIP": "true", "PDF_DOWNLOADS": PDF_DOWNLOADS}


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def explain(name: str, a: bytes, b: bytes) -> str:
    try:
        lines = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
        return f"{name}:\n" + "\n".join(list(lines)[:12])
    except UnicodeDecodeError:
        first = (
            next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
            if len(a) == len(b)
            else min(len(a), len(b))
        )
        return f"{name}: binaire, {len(a)} / {len(b)} octets, premier écart à l’octet {first}"


def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    sites = []
    for name in ("first", "second"):
        root = copy_project(tmp_path / name / "project")
        result = build(root, env=ENV)
        assert result.returncode == 0, result.output
        sites.append(tree(result.site))
    first, second = sites
    assert "telechargements/charte-ia-hors-ligne.zip" in first
    assert any(name.endswith(".docx") for name in first) and "sitemap.xml" in first
    assert any(name.endswith(".odt") for name in first)
    assert any(name.endswith(".pdf") for name in first) == (PDF_DOWNLOADS == "true")
    assert sorted(first) == sorted(second), "les deux constructions n’ont pas les mêmes fichiers"
    different = [name for name in first if first[name] != second[name]]
    assert not different, "fichiers différents :\n" + "\n\n".join(
        explain(name, first[name], second[name]) for name in different[:5]
    )
    # No date from the clock: with SOURCE_DATE_EPOCH empty, pages are dated 2000-01-01.
    sitemap = first["sitemap.xml"].decode()
    assert "<lastmod>2000-01-01</lastmod>" in sitemap
    assert dt.date.today().isoformat() not in sitemap
