"""« Créer ma charte » budgets, measured in one run and printed, never asserted:

    .venv/bin/python bench/builder.py [--site site] [--runs 200] [--label name]

- what the builder adds to its page (its script and styles, the compiled library, the vendored
  YAML parser, the Word skeleton inside the library), uncompressed and gzipped, against 300 KB
  and 100 KB;
- that it does not grow with the number of organisations: the library compiled for the site as
  it is and for the same site with 50 more organisations, byte for byte;
- the preview's update after a keystroke in this machine's Chromium (the work done between the
  keystroke and the next frame: assembling the page's HTML and putting it in place), median and
  95th percentile, against one frame (16 ms);
- the .docx made in the browser, median over the example organisations, against 200 ms;
- the first charter: from the start of the page's navigation to the first preview in place
  (library unpacked, questionnaire built, charter rendered), median of 10 loads, no budget.

Lighthouse on the page: `.venv/bin/python bench/lighthouse.py --pages chartes/creer/`.
Results go to bench/results/<date>-builder.json as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

FILES = (
    "assets/builder/builder.js",
    "assets/builder/library.js",
    "assets/builder/builder.css",
    "assets/vendor/js-yaml/js-yaml.min.js",  # the whole package, before the reader alone
    "assets/vendor/js-yaml/js-yaml-reader.min.js",
    "assets/vendor/fzstd/fzstd.min.js",
)


def build(root: Path, site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE_ZIP": "false"},
    )


def weight(site: Path) -> dict[str, dict[str, int]]:
    out = {}
    for name in FILES:
        if not (site / name).exists():  # a site built before that file was part of the page
            continue
        data = (site / name).read_bytes()
        out[name] = {"bytes": len(data), "gzip": len(gzip.compress(data, 9, mtime=0))}
    out["total"] = {k: sum(v[k] for v in out.values()) for k in ("bytes", "gzip")}
    return out


def grows_with_organisations(site: Path) -> bool:
    """The library for the project, then for the project with 50 more organisations."""
    from conftest import copy_project  # tests/conftest.py

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        folder = root / "data" / "organizations"
        for i in range(50):
            (folder / f"bench-{i:03d}.yml").write_text(f'name: "Organisation de mesure {i}"\nsector: "Test"\n', encoding="utf-8")
        build(root, Path(tmp) / "site")
        return (Path(tmp) / "site" / "assets/builder/library.js").read_bytes() != (site / "assets/builder/library.js").read_bytes()


# Before the page's scripts: note when the builder's first preview is in place (its first
# timing), whatever version of the page runs.
FIRST_CHARTER = """(() => {
  let builder;
  Object.defineProperty(window, "CharteBuilder", { configurable: true, get: () => builder, set: (b) => {
    builder = b;
    const push = b.timings.push;
    b.timings.push = function (...args) {
      if (window.__firstCharter === undefined) window.__firstCharter = performance.now();
      return push.apply(this, args);
    };
  } });
})();"""


def first_charter(browser: object, url: str, loads: int = 10) -> tuple[list[float], list[float]]:
    """Milliseconds to the first preview, and spent unpacking the library (pages that say)."""
    out, unpack = [], []
    for _ in range(loads):
        page = browser.new_page()  # type: ignore[attr-defined]
        page.add_init_script(FIRST_CHARTER)
        page.goto(url)
        page.wait_for_function("() => window.__firstCharter !== undefined")
        out.append(page.evaluate("() => window.__firstCharter"))
        spent = page.evaluate("() => window.CharteBuilder.unpackMs")
        if spent is not None:
            unpack.append(spent)
        page.close()
    return out, unpack


def browser_timings(site: Path, runs: int) -> dict[str, object]:
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/chartes/creer/"
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "organizations").glob("*.yml"))]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"], headless=True
            )
            first, unpack = first_charter(browser, url)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("() => window.CharteBuilder && window.CharteBuilder.ready")
            page.evaluate("([t]) => window.CharteBuilder.load(t, 'x.yml')", [examples[0]])
            page.evaluate("() => { window.CharteBuilder.timings.length = 0; }")
            field = page.locator("#cia-sector")
            field.click()
            for i in range(runs):
                page.keyboard.type("abcdefghij"[i % 10])
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            preview = page.evaluate("() => window.CharteBuilder.timings.slice()")
            docx = page.evaluate(
                """async (texts) => {
                  const B = window.CharteBuilder, out = [];
                  for (let round = 0; round < 10; round++) for (const t of texts) {
                    B.load(t, 'x.yml');
                    const org = B.organisation(), t0 = performance.now();
                    const blob = B.engine.docx(org);
                    await blob.arrayBuffer();
                    out.push(performance.now() - t0);
                  }
                  return out;
                }""",
                examples,
            )
            browser.close()
    finally:
        server.shutdown()
    return {
        "preview_ms": {"median": statistics.median(preview), "p95": sorted(preview)[int(len(preview) * 0.95) - 1], "n": len(preview)},
        "docx_ms": {"median": statistics.median(docx), "max": max(docx), "n": len(docx)},
        "first_charter_ms": {"median": statistics.median(first), "max": max(first), "n": len(first)},
        "unpack_ms": {"median": statistics.median(unpack), "max": max(unpack), "n": len(unpack)} if unpack else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None, help="a built site (default: build one now)")
    parser.add_argument("--runs", type=int, default=200, help="keystrokes measured")
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args()
    tmp = None
    site = args.site
    if site is None:
        tmp = Path(tempfile.mkdtemp(prefix="builder-bench-"))
        site = tmp / "site"
        build(ROOT, site)
    try:
        sizes = weight(site)
        grows = grows_with_organisations(site)
        times = browser_timings(site, args.runs)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    total = sizes["total"]
    print("« Créer ma charte » : budgets (mesurés, jamais vérifiés par un test)")
    for name, v in sizes.items():
        print(f"  {name:<40} {v['bytes'] / 1000:7.1f} Ko   gzip {v['gzip'] / 1000:6.1f} Ko")
    print(f"  ajouté à la page : {total['bytes'] / 1000:.1f} Ko (budget 300), {total['gzip'] / 1000:.1f} Ko gzip (budget 100, marge {100 - total['gzip'] / 1000:.1f} Ko)")
    print(f"  grandit avec le nombre d’organisations (+50) : {'oui' if grows else 'non'}")
    pv, dx = times["preview_ms"], times["docx_ms"]
    print(f"  aperçu après une frappe : médiane {pv['median']:.2f} ms, 95e centile {pv['p95']:.2f} ms sur {pv['n']} (budget 16 ms)")
    print(f"  .docx fait dans le navigateur : médiane {dx['median']:.1f} ms, max {dx['max']:.1f} ms sur {dx['n']} (budget 200 ms)")
    fc = times["first_charter_ms"]
    print(f"  première charte à l’aperçu : médiane {fc['median']:.0f} ms après le début de la navigation, max {fc['max']:.0f} ms sur {fc['n']} chargements")
    if times["unpack_ms"]:
        up = times["unpack_ms"]
        print(f"  dont la bibliothèque décompressée et dépaquetée : médiane {up['median']:.1f} ms, max {up['max']:.1f} ms")
    print(f"  charge de la machine : {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (uptime)")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (results / f"{stamp}-builder{'-' + args.label if args.label else ''}.json").write_text(
        json.dumps({"weight": sizes, "grows_with_organisations": grows, **times, "load_average": os.getloadavg()}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
