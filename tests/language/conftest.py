"""The language checks read the built site (tests/conftest.py `built_site`). Hunspell and
Grammalecte are Debian packages: without them the spelling and grammar tests are skipped with
what to install, unless CI is set (then they fail, as the browser tests do)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from frenchtext import Block, site_blocks

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-grammalecte is a module of the system Python


def _missing(what: str, install: str) -> None:
    message = f"{what} introuvable : installez-le (apt-get install {install}) pour vérifier la langue du site"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_text(built_site) -> list[Block]:
    """The French text of the built site and of every download, read once for all the checks
    (reading the PDFs is most of the time it takes)."""
    return site_blocks(built_site.site)


@pytest.fixture(scope="session")
def hunspell() -> list[str]:
    """The command that lists the words fr_FR does not know."""
    command = shutil.which("hunspell")
    if command is None:
        _missing("hunspell", "hunspell hunspell-fr")
    probe = subprocess.run([command, "-d", "fr_FR", "-l"], input="maison\n", capture_output=True, text=True)
    if probe.returncode != 0 or "Can't open" in probe.stderr:
        _missing("le dictionnaire fr_FR de hunspell", "hunspell-fr")
    return [command, "-d", "fr_FR", "-l"]


@pytest.fixture(scope="session")
def grammalecte() -> list[str]:
    """The command that runs Grammalecte (grammar_check.py) with the system Python."""
    if not os.path.exists(SYSTEM_PYTHON) or subprocess.run(
        [SYSTEM_PYTHON, "-c", "import grammalecte"], capture_output=True
    ).returncode:
        _missing("Grammalecte", "python3-grammalecte")
    return [SYSTEM_PYTHON, os.path.join(os.path.dirname(__file__), "grammar_check.py")]
