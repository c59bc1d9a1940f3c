"""Hostile and broken data: the helpers of the build tests (tests/site/sitecheck.py) are shared."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "site"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
