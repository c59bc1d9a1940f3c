"""The PDF of what changed between two versions, as a DPO files it: each mark's label reads
« [supprimé : mot] », « [ajouté : mot] », a space after its colon as everywhere in French."""

from __future__ import annotations

import re
import shutil

import pytest

from charte_ia.charter.diff import diff_charters
from charte_ia.data.loader import Project
from charte_ia.render import pdf
from charte_ia.render.versions import changes_print

pytestmark = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint ne trouve pas Pango")


def test_each_label_of_a_change_is_followed_by_a_space(project: Project) -> None:
    import io

    import pypdf

    slug, releases = next((s, r) for s, r in project.releases.items() if len(r) >= 3)
    entry = next(e for e in project.organizations if e.slug == slug)
    old, new = releases[1], releases[2]
    html = changes_print(entry, diff_charters(old.frozen(), new.frozen()), old, new)
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_changes_pdf(html, "essai-libelles")))
    text = " ".join(page.extract_text() for page in reader.pages)
    labels = re.findall(r"\[(?:supprimé|ajouté)[\s\u00a0\u202f]?:(.)", text)
    assert len(labels) > 4
    assert all(after.isspace() or after == "\u2026" for after in labels), labels


def test_the_line_through_removed_words_leaves_their_label_unstruck(tmp_path) -> None:
    """A label printed inside <del> or <ins> is the same picture as the label alone: the line
    goes through or under the words only. Rasterised by poppler (.ci/run installs it), compared
    pixel for pixel."""
    import os
    import subprocess

    if shutil.which("pdftoppm") is None:
        message = "pdftoppm introuvable : apt-get install poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def picture(body: str, name: str) -> bytes:
        html = f'<html lang="fr"><head><style>{pdf.print_css()}</style></head><body class="changes"><p>{body}</p></body></html>'
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf.render_changes_pdf(html, name))
        return subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-gray", str(path)], capture_output=True, check=True).stdout

    for tag, tint in (("del", "#ffe0e0"), ("ins", "#d7f5dd")):
        label = '<span class="cia-sr">[supprimé : </span>'
        alone = picture(f'<span class="cia-sr" style="background: {tint}">[supprimé : </span>', f"seul-{tag}")
        marked = picture(f"<{tag}>{label}</{tag}>", f"marque-{tag}")
        assert marked == alone, f"le libellé est barré ou souligné dans <{tag}>"
        # And the words themselves are struck or underlined: the picture differs with them.
        words = picture(f"<{tag}>{label}mot</{tag}>", f"mot-{tag}")
        plain = picture(f'<span class="cia-sr" style="background: {tint}">[supprimé : </span><span style="background: {tint}">mot</span>', f"nu-{tag}")
        assert words != plain, f"les mots ne sont plus barrés ou soulignés dans <{tag}>"
