"""mkdocs-macros adapter: exposes the data-driven fragments to the Markdown pages.

Each macro renders Markdown for the page being built (links are relative to it); all the logic
lives in the charte_ia package.
"""

from __future__ import annotations

from typing import Any

from charte_ia import scaffold
from charte_ia.mkdocs import site
from charte_ia.render import pages
from charte_ia.render.evidence import Evidence, PageText


def define_env(env: Any) -> None:
    # define_env runs at the start of every build (mkdocs serve included), so this is fresh.
    project = site.project_for(env.conf)
    env.variables["study"] = PageText(project.study.study)  # escaped: pages print its fields
    env.variables["organization_count"] = len(project.organizations)
    env.variables["clause_count"] = sum(len(s.clauses) for s in project.library.sections)
    env.variables["section_count"] = len(project.library.sections)

    def here() -> Evidence:
        return Evidence(project, env.page.file.src_uri)

    @env.macro
    def figure(figure_id: str) -> str:
        """A figure's value, formatted ("86 %")."""
        return here().value(figure_id)

    @env.macro
    def figures_table(group_id: str) -> str:
        return here().table(group_id)

    @env.macro
    def bar_chart(group_id: str) -> str:
        return here().chart(group_id)

    @env.macro
    def changes_table() -> str:
        return here().changes_table()

    @env.macro
    def headline_figures() -> str:
        return here().headline()

    @env.macro
    def study_method() -> str:
        return here().method()

    @env.macro
    def sources_list() -> str:
        return here().sources()

    @env.macro
    def status_legend() -> str:
        return here().status_legend()

    @env.macro
    def recommendations() -> str:
        return pages.recommendations(project, env.page.file.src_uri)

    @env.macro
    def organization_template(name: str) -> str:
        """The file that `python -m charte_ia new` writes, shown on the how-to page."""
        return scaffold.organization_template(project, name)

    @env.macro
    def changelog() -> str:
        """The page « Ce qui a changé » (data/changelog.yml)."""
        return pages.changelog(project, env.page.file.src_uri)

    @env.macro
    def charter_catalogue() -> str:
        return pages.catalogue(site.summaries_for(env.conf), env.page.file.src_uri, pdf=site.pdf_downloads())
