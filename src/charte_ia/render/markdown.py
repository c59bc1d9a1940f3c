"""The charter as a Markdown download, rendered from the one Charter model."""

from __future__ import annotations

from charte_ia.charter.assembly import Charter
from charte_ia.data.loader import Project
from charte_ia.render.jinja import render, render_section


def render_markdown(charter: Charter, project: Project) -> bytes:
    # Typeset already: values by the `plain` flavour, the templates' words by FrenchLiterals.
    labels = project.library.labels
    return render(
        "charter_download.md.j2",
        flavour="plain",
        charter=charter,
        labels=labels,
        section_part=lambda section: render_section("_section_download.md.j2", "plain", section, labels=labels),
    ).encode()
