"""Lighthouse on the built site: `make lighthouse`, or

    .venv/bin/python bench/lighthouse.py [--site site] [--runs 3] [--presets mobile] [--pages "" chiffres/ ...]
    .venv/bin/python bench/lighthouse.py --large 0          # the example site only
    .venv/bin/python bench/lighthouse.py --large-site DIR   # a large site already built
    .venv/bin/python bench/lighthouse.py --large 0 --presets mobile --runs 9 --site NEW --against BASE
                                                       # two builds in turns, page by page

Serves the built site (site/) on 127.0.0.1 the way a static host does (gzip for text, a short
cache lifetime, as GitHub Pages), runs Lighthouse 12.2.3 (bench/node_modules, pinned by
bench/package-lock.json; `npm ci --prefix bench`) with Debian's Chromium on every page type:
home, figures, recommendations, catalogue, an organisation's charter, the blank charter, the
builder, a charter's versions page and a version with its changes. It also builds a site of
1,000 synthetic organisations (bench/build_scaling.py's generator, without the offline zip nor
the PDFs) and runs Lighthouse on its catalogue. Mobile and desktop presets, several runs each,
interleaved; it prints the median of each category score, the bytes transferred, each page's
HTML as written, and the largest organisation page against its budget (60 KB). Targets:
performance 95 or more, accessibility, best practices and SEO at 100. It reports; it never fails
on a score. Each run's full report stays in bench/results/tmp/ (git-ignored); the summary goes
to bench/results/<date>-lighthouse.json. Scores swing by several points from run to run on a
busy machine: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Flags that work as root with no network (see /work/shared/reference/toolchain.md).
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".md", ".map")
NAMED_PAGES = {
    "": "accueil", "chiffres/": "chiffres", "recommandations/": "recommandations", "chartes/": "catalogue",
    "chartes/modele/": "charte-vierge", "chartes/creer/": "createur",
}
LARGE_PREFIX = "n{n}:"  # a page of the large site: "n1000:chartes/"
AGAINST_PREFIX = "base:"  # a page of the site compared with (--against)
NOT_ORGANISATIONS = {"modele", "mode-d-emploi", "creer", "changements"}


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip for text files (when asked for), Cache-Control max-age=600."""

    _gzip_cache: dict[str, bytes] = {}

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to "dir/"
            path = os.path.join(path, "index.html")
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "") and self.gzip_enabled
        if not (gzip_ok and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        body = self._gzip_cache.get(path)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=6, mtime=0)
            self._gzip_cache[path] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesFile(body)


class _BytesFile:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site: Path, gzip_enabled: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(type("Handler", (StaticHostHandler,), {"gzip_enabled": gzip_enabled}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def default_charter_page(site: Path) -> str:
    preferred = site / "chartes" / "agence-pixel-et-plume" / "index.html"
    if preferred.is_file():
        return "chartes/agence-pixel-et-plume/"
    for page in organisation_pages(site):
        return f"chartes/{page.parent.name}/"
    return "chartes/modele/"


def organisation_pages(site: Path) -> list[Path]:
    """Every organisation's charter page of a built site (chartes/<slug>/index.html)."""
    return [
        page for page in sorted((site / "chartes").glob("*/index.html"))
        if page.parent.name not in NOT_ORGANISATIONS and not page.parent.name.startswith("page-")
    ]


def versions_pages(site: Path, charter: str) -> list[str]:
    """A charter's versions page and its second version (the first with « changes since the
    previous version »), when it has released versions."""
    folder = site / charter / "versions"
    if not (folder / "index.html").is_file():
        return []
    versions = sorted((p.parent.name for p in folder.glob("*/index.html")), key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()))
    return [f"{charter}versions/"] + ([f"{charter}versions/{versions[1]}/"] if len(versions) > 1 else [])


def default_pages(site: Path) -> list[str]:
    charter = default_charter_page(site)
    pages = ["", "chiffres/", "recommandations/", "chartes/", charter, "chartes/modele/", "chartes/creer/"]
    return [p for p in pages if (site / p / "index.html").is_file()] + versions_pages(site, charter)


def build_large_site(n: int, seed: int, keep: Path | None) -> Path:
    """A strict build of the project with n synthetic organisations (no offline zip, no PDFs):
    bench/build_scaling.py's generator, into a temporary copy of the project."""
    sys.path.insert(0, str(BENCH))
    import build_scaling  # noqa: PLC0415 - the generator lives with the build benchmark

    work = Path(tempfile.mkdtemp(prefix=f"lighthouse-n{n}-"))
    root = work / "project"
    build_scaling.copy_parts(root, build_scaling.project_parts())
    build_scaling.write_organizations(root / "data" / "organizations", n, seed)
    site = keep or work / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "OFFLINE_ZIP": "false", "PDF_DOWNLOADS": "false"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    print(f"Building a site of {n} organisations into {site} ...", flush=True)
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"the build of {n} organisations failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(work if keep else root, ignore_errors=True)
    return site


def page_bytes(site: Path, page: str) -> int:
    path = site / page / "index.html" if not page.endswith(".html") else site / page
    return path.stat().st_size


def largest_organisation_page(site: Path) -> tuple[str, int] | None:
    sizes = {f"chartes/{p.parent.name}/": p.stat().st_size for p in organisation_pages(site)}
    return max(sizes.items(), key=lambda kv: kv[1]) if sizes else None


def run_lighthouse(url: str, preset: str, out: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={CHROME_FLAGS}"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    proc = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {proc.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error on {url}: {report['runtimeError']}")
    scores = {cat: round(report["categories"][cat]["score"] * 100) for cat in CATEGORIES}
    audits = report["audits"]
    failing = {}
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.setdefault(cat, []).append(f"{ref['id']} ({audit['score']:.2f})")
    metrics = {
        key: audits[key].get("numericValue")
        for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")
        if key in audits
    }
    return {
        "scores": scores,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits.get("network-requests", {}).get("details", {}).get("items", [])),
        "metrics": metrics,
        "failing": failing,
        "lighthouse": report.get("lighthouseVersion"),
        "chrome": report.get("environment", {}).get("hostUserAgent"),
    }


def version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[-1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


PAGE_BUDGET_BYTES = 60 * 1024  # the largest organisation page, HTML as written (build_scaling.py's budget)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Lighthouse on the built site, median of several runs.")
    ap.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default site/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", nargs="*", default=None,
                    help='URL paths (default: every page type, see the module\'s docstring)')
    ap.add_argument("--presets", default="desktop,mobile")
    ap.add_argument("--large", type=int, default=1000, metavar="N",
                    help="also build a site of N synthetic organisations and measure its catalogue (0: no)")
    ap.add_argument("--large-site", type=Path, default=None, metavar="DIR",
                    help="the large site, already built (else it is built into a temporary folder)")
    ap.add_argument("--large-pages", nargs="*", default=["chartes/"], help="URL paths on the large site")
    ap.add_argument("--seed", type=int, default=20261129, help="the generator's seed (as build_scaling.py)")
    ap.add_argument("--against", type=Path, default=None, metavar="DIR",
                    help="a second built site (say, main's) measured in turns with --site, page by page, "
                         "each pair in the other order on the next run; its pages are named base:PAGE")
    ap.add_argument("--no-gzip", action="store_true", help="serve without compression")
    ap.add_argument("--label", default="", help="a word for this run, added to the results file name")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix bench")
    if not (args.site / "index.html").is_file():
        sys.exit(f"No built site in {args.site}: run `make build` first")
    pages = args.pages if args.pages is not None else default_pages(args.site)
    presets = [p for p in args.presets.split(",") if p]
    started = dt.datetime.now().astimezone()
    raw_dir = RESULTS / "tmp" / f"lighthouse-{started:%Y-%m-%dT%H%M%S}"
    raw_dir.mkdir(parents=True, exist_ok=True)

    sites = {"": args.site.resolve()}  # URL prefix -> site folder
    large_tmp = None
    if args.large or args.large_site:
        large = args.large_site
        if large is None or not (large / "index.html").is_file():
            large = build_large_site(args.large, args.seed, args.large_site)
            large_tmp = None if args.large_site else large.parent
        n = len(organisation_pages(large))
        prefix = LARGE_PREFIX.format(n=n)
        sites[prefix] = large.resolve()
        pages += [prefix + p for p in args.large_pages]

    if args.against:
        if not (args.against / "index.html").is_file():
            sys.exit(f"No built site in {args.against}")
        sites[AGAINST_PREFIX] = args.against.resolve()
        pages = [q for p in pages for q in (AGAINST_PREFIX + p, p)]

    servers = {}
    for prefix, folder in sites.items():
        servers[prefix] = serve(folder, gzip_enabled=not args.no_gzip)
        print(f"Serving {folder} at {servers[prefix][1]} (gzip {'off' if args.no_gzip else 'on'})", flush=True)

    def split(page: str) -> tuple[str, str]:
        for prefix in sorted(sites, key=len, reverse=True):
            if prefix and page.startswith(prefix):
                return prefix, page[len(prefix):]
        return "", page

    load_before = os.getloadavg()
    print(f"{len(pages)} pages x {presets} x {args.runs} runs; load average {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}", flush=True)
    runs: dict[tuple[str, str], list[dict]] = {}
    loads = [load_before]
    try:
        for i in range(args.runs):  # interleaved, so that a slow moment does not hit one page only
            order = pages
            if args.against and i % 2:  # base then new, then new then base
                order = [q for k in range(0, len(pages), 2) for q in (pages[k + 1], pages[k])]
            for page in order:
                prefix, path = split(page)
                base = servers[prefix][1]
                for preset in presets:
                    name = NAMED_PAGES.get(path, path.strip("/").replace("/", "-") or "page")
                    if prefix:
                        name = prefix.rstrip(":") + "-" + name
                    result = run_lighthouse(base + path, preset, raw_dir / f"{name}-{preset}-{i + 1}.json")
                    runs.setdefault((page, preset), []).append(result)
                    s = result["scores"]
                    print(f"  run {i + 1} {preset:7} /{page:<44} perf {s['performance']:3} a11y {s['accessibility']:3} "
                          f"bp {s['best-practices']:3} seo {s['seo']:3}  {result['bytes'] / 1024:7.1f} KB  "
                          f"TBT {result['metrics'].get('total-blocking-time', 0):4.0f}  load {os.getloadavg()[0]:.1f}", flush=True)
            loads.append(os.getloadavg())
    finally:
        for server, _ in servers.values():
            server.shutdown()

    summary = []
    for (page, preset), items in runs.items():
        prefix, path = split(page)
        med = {cat: statistics.median(r["scores"][cat] for r in items) for cat in CATEGORIES}
        lowest: dict[str, float] = {}  # audit id -> lowest score over the runs
        for r in items:
            for fails in r["failing"].values():
                for f in fails:
                    audit_id, score = f.rsplit(" (", 1)
                    lowest[audit_id] = min(lowest.get(audit_id, 1.0), float(score.rstrip(")")))
        failing = [f"{audit_id} ({score:.2f})" for audit_id, score in sorted(lowest.items())]
        checks = {cat: med[cat] >= target for cat, target in TARGETS.items()}
        summary.append({
            "page": prefix + "/" + path,
            "preset": preset,
            "median": med,
            "runs": [r["scores"] for r in items],
            "html_bytes": page_bytes(sites[prefix], path),
            "bytes_median": statistics.median(r["bytes"] for r in items),
            "requests": items[0]["requests"],
            "metrics_median": {k: statistics.median(r["metrics"][k] for r in items) for k in items[0]["metrics"]},
            "failing_audits": failing,
            "targets_met": all(checks.values()),
            "checks": checks,
        })

    print(f"\nMedian of {args.runs} run(s) (targets: performance >= 95, a11y, best practices, SEO 100)")
    head = (f"{'page':<46} {'preset':<8} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'HTML':>9} {'transfer':>10} "
            f"{'TBT':>6} {'LCP':>6}  result")
    print(head + "\n" + "-" * len(head))
    for row in summary:
        m = row["median"]
        print(f"{row['page']:<46} {row['preset']:<8} {m['performance']:>5.0f} {m['accessibility']:>5.0f} {m['best-practices']:>5.0f} "
              f"{m['seo']:>5.0f} {row['html_bytes'] / 1024:>7.1f}KB {row['bytes_median'] / 1024:>8.1f}KB "
              f"{row['metrics_median'].get('total-blocking-time', 0):>6.0f} {row['metrics_median'].get('largest-contentful-paint', 0):>6.0f}  "
              f"{'PASS' if row['targets_met'] else 'FAIL: ' + ', '.join(k for k, ok in row['checks'].items() if not ok)}")
    for row in summary:
        if row["failing_audits"]:
            print(f"  {row['page']} {row['preset']}: audits below 1 (lowest of the runs): {', '.join(row['failing_audits'])}")

    weights = {}
    print("\nLargest organisation page (HTML as written), budget < 60.0 KB:")
    for prefix, folder in sites.items():
        largest = largest_organisation_page(folder)
        if largest:
            page, size = largest
            weights[prefix or "example"] = {"page": page, "bytes": size, "budget_bytes": PAGE_BUDGET_BYTES, "met": size < PAGE_BUDGET_BYTES}
            print(f"  {prefix or 'example site:':<14} /{page:<40} {size / 1024:7.1f} KB  {'met' if size < PAGE_BUDGET_BYTES else 'NOT met'}")
    print("Load average (1, 5, 15 min) before and after each round: " + "; ".join(f"{a:.1f} {b:.1f} {c:.1f}" for a, b, c in loads))

    first = next(iter(runs.values()))[0]
    payload = {
        "kind": "lighthouse",
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "site": str(args.site),
        "sites": {prefix or "example": str(folder) for prefix, folder in sites.items()},
        "label": args.label,
        "gzip": not args.no_gzip,
        "runs_per_page": args.runs,
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "node": version(["node", "--version"]),
            "chromium": version([CHROME, "--version"]),
            "lighthouse": first["lighthouse"],
            "user_agent": first["chrome"],
            "loadavg_1_5_15": loads[-1],
            "loadavg_by_round": loads,
        },
        "pages": summary,
        "largest_organisation_page": weights,
        "raw_reports": str(raw_dir.relative_to(ROOT)),
    }
    out = args.out or RESULTS / f"{started:%Y-%m-%dT%H%M}-lighthouse{'-' + args.label if args.label else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    shutil.rmtree(raw_dir) if not any(raw_dir.iterdir()) else None
    if large_tmp:
        shutil.rmtree(large_tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
