"""The charter as a Markdown download, rendered from the one Charter model."""

from __future__ import annotations

from charte_ia.charter.assembly import Charter
from charte_ia.data.loader import Project
from charte_ia.render.jinja import render


def render_markdown(charter: Charter, project: Project) -> bytes:
    # Typeset already: values by the `plain` flavour, the templates' words by FrenchLiterals.
    return render("charter_download.md.j2", flavour="plain", charter=charter, labels=project.library.labels).encode()
