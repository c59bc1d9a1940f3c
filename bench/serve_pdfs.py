"""`mkdocs serve` with the PDFs (PDF_DOWNLOADS=true), with and without its PDF cache. A
benchmark, not a test.

In a temporary copy of the project it starts `mkdocs serve --strict` twice, once as it is (PDFs
kept in .cache/charte-ia/pdf by their content: render/pdf.py) and once with that cache turned
off, and times in each:

- the first build (a cold cache: every PDF laid out);
- saving an organisation's file with a comment added (the charter is made again; its PDFs and
  those of its versions' changes read the same);
- that file put back as it was;
- a second server started on the same project: its first build (the cache kept from the first
  server, when on).

Each time is from writing the file (or starting the server) to the log's « Documentation built »
line of that build, with the build's own time as MkDocs prints it. Printed, and written to
bench/results/<date>-serve-pdfs.json; it never fails on a figure.

    .venv/bin/python bench/serve_pdfs.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_scaling import RESULTS, ROOT, copy_parts, machine, project_parts

ORG = "agence-pixel-et-plume"  # the example with released versions: its changes are PDFs too
BUILT = re.compile(rb"Documentation built in ([0-9.]+) seconds")
# The server without its cache: pdf_cache is what turns it on (mkdocs/site.py).
NO_CACHE = (
    "import sys; import charte_ia.mkdocs.site as site; "
    "site.pdf_cache = lambda config, serving: None; "
    "sys.argv = ['mkdocs', *sys.argv[1:]]; "
    "from mkdocs.__main__ import cli; cli()"
)


class Server:
    def __init__(self, root: Path, log: Path, cache: bool):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        args = ["serve", "--strict", "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")]
        cmd = [sys.executable, "-m", "mkdocs", *args] if cache else [sys.executable, "-c", NO_CACHE, *args]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PDF_DOWNLOADS": "true", "OFFLINE_ZIP": "false"}
        self.log = log
        self.out = open(log, "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=self.out, stderr=subprocess.STDOUT)

    def builds(self) -> list[float]:
        return [float(m.group(1)) for m in BUILT.finditer(self.log.read_bytes())]

    def wait_build(self, count: int, timeout: float = 600) -> tuple[float, float]:
        """Seconds until the log shows `count` builds, and the last one's own time."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            done = self.builds()
            if len(done) >= count:
                return time.perf_counter() - start, done[count - 1]
            if self.proc.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped; see {self.log}")
            time.sleep(0.05)
        raise SystemExit(f"no build {count} within {timeout} s; see {self.log}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()


def run(root: Path, work: Path, cache: bool) -> dict:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    org = root / "data" / "organizations" / f"{ORG}.yml"
    original = org.read_text(encoding="utf-8")
    out: dict = {"cache": cache}
    name = "cache" if cache else "no-cache"
    server = Server(root, work / f"serve-{name}-1.log", cache)
    try:
        out["first_build_s"] = server.wait_build(1)
        time.sleep(1.5)  # the watcher settles
        for step, text in (("comment_added_s", original + "# relu\n"), ("put_back_s", original)):
            count = len(server.builds()) + 1
            org.write_text(text, encoding="utf-8")
            out[step] = server.wait_build(count)
            time.sleep(1.5)
    finally:
        server.stop()
    second = Server(root, work / f"serve-{name}-2.log", cache)
    try:
        out["restarted_first_build_s"] = second.wait_build(1)
    finally:
        second.stop()
    cached = list((root / ".cache").rglob("*.pdf"))
    out["cache_files"] = len(cached)
    out["cache_bytes"] = sum(p.stat().st_size for p in cached)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    started = dt.datetime.now().astimezone()
    tmp = Path(tempfile.mkdtemp(prefix="charte-ia-serve-pdfs-"))
    try:
        root = tmp / "project"
        copy_parts(root, project_parts())
        runs = [run(root, tmp, cache=True), run(root, tmp, cache=False)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"mkdocs serve with PDFs ({ORG}'s file edited), {started:%Y-%m-%d %H:%M}: seconds to the build's end (MkDocs' own figure)")
    steps = ("first_build_s", "comment_added_s", "put_back_s", "restarted_first_build_s")
    print(f"{'':<28}" + "".join(f"{s.removesuffix('_s'):>26}" for s in steps))
    for r in runs:
        cells = "".join(f"{f'{r[s][0]:.1f} ({r[s][1]:.1f})':>26}" for s in steps)
        print(f"{'with the cache' if r['cache'] else 'without':<28}{cells}")
    print(f"cache: {runs[0]['cache_files']} PDFs, {runs[0]['cache_bytes'] / 1e6:.1f} MB")
    out = args.out or RESULTS / f"{started:%Y-%m-%dT%H%M}-serve-pdfs.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"kind": "serve-pdfs", "started": started.isoformat(timespec="seconds"), "machine": machine(), "runs": runs}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
