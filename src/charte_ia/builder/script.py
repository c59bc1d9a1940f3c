"""The page's script: the engine (documents) then the questionnaire, one file, minified.

Minified at build time by calmjs.parse (pure Python: the build needs no Node.js), names inside
functions shortened; the sources in assets/ stay the readable ones. Its output is the same for
the same sources, so the build stays reproducible.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

# One file, one request: the engine first, which the questionnaire uses.
SOURCES = ("engine.js", "ui.js")


class ScriptError(Exception):
    """A source the minifier cannot read (a syntax error, or JavaScript newer than ES5)."""


def asset(name: str) -> str:
    return resources.files("charte_ia.builder").joinpath("assets", name).read_text(encoding="utf-8")


def source() -> str:
    return "".join(asset(name) for name in SOURCES)


def script() -> str:
    text = source()
    return _minified(hashlib.sha256(text.encode("utf-8")).hexdigest(), text)


@lru_cache(maxsize=2)
def _minified(digest: str, text: str) -> str:
    from calmjs.parse import es5
    from calmjs.parse.exceptions import ECMASyntaxError, ProductionError
    from calmjs.parse.unparsers.es5 import minify_print

    try:
        tree = es5(text)
    except (ECMASyntaxError, ProductionError) as exc:
        raise ScriptError(str(exc)) from None
    # Global names stay: the page and the tests call window.CharteBuilder and CharteEngine.
    return minify_print(tree, obfuscate=True, obfuscate_globals=False) + "\n"
