"""The site builds unchanged with ProperDocs (the maintained fork of MkDocs 1.x): same files,
same bytes, the generator line aside, the offline zip included (built under ProperDocs too)."""

from __future__ import annotations

import io
import re
import zipfile

from sitecheck import PDF_DOWNLOADS, build, copy_project

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# The footer gives the offline zip's size, which holds every page's generator line: rounded to
# the kilobyte, it may differ by one from one engine to the other.
ZIP_SIZE = re.compile(rb"\(zip, [0-9][^)<]{0,20}\)")


def tree(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def comparable(name: str, data: bytes) -> dict[str, bytes]:
    """A file as compared: HTML without its generator line; a zip as its entries, the same way."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {f"{name}!{e}": GENERATOR.sub(b"", archive.read(e)) for e in sorted(archive.namelist())}
    return {name: ZIP_SIZE.sub(b"", GENERATOR.sub(b"", data)) if name.endswith(".html") else data}


def test_properdocs_builds_the_same_site(tmp_path, built_site) -> None:
    root = copy_project(tmp_path / "project")
    result = build(root, env={"OFFLINE_ZIP": "true", "PDF_DOWNLOADS": PDF_DOWNLOADS}, engine="properdocs")
    assert result.returncode == 0, result.output
    assert b"ProperDocs" in (result.site / "index.html").read_bytes()  # it did build with ProperDocs
    mine, theirs = tree(result.site), tree(built_site.site)
    assert sorted(mine) == sorted(theirs)
    zip_name = "telechargements/charte-ia-hors-ligne.zip"
    offline_index = zipfile.ZipFile(io.BytesIO(mine[zip_name])).read("charte-ia-hors-ligne/index.html")
    assert b"ProperDocs" in offline_index, "the offline build ran under another engine"
    different = []
    for name in mine:
        a, b = comparable(name, mine[name]), comparable(name, theirs[name])
        different += [entry for entry in a if a[entry] != b.get(entry)]
        assert sorted(a) == sorted(b), name
    assert not different, f"files that differ: {different[:10]}"
