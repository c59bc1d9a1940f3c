"""Screenshots for a person to look at: test-artifacts/screenshots/ (git-ignored, not the site)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, SCHEMES

pytestmark = pytest.mark.browser

SHOTS = {"accueil": "", "chiffres": "chiffres/", "charte": "chartes/agence-pixel-et-plume/"}


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_screenshots(hosted, visit_factory, palette):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    visit = visit_factory(hosted, color_scheme=palette, viewport={"width": 1280, "height": 900})
    page = visit.new_page()
    for name, path in SHOTS.items():
        visit.open(path, page=page)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])
        target = folder / f"{name}-{palette}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    visit.check_clean()
