"""What a refused data file costs: time and peak memory of load_yaml on each hostile file.

    .venv/bin/python bench/refused_files.py

Prints one line per case (median of 5 runs; peak memory by tracemalloc in a sixth run), and the
same for a valid organisation file as the reference. No assertion: the figures go in reports.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from test_yaml_bounds import CASES  # noqa: E402

from charte_ia.data import yamlsource  # noqa: E402
from charte_ia.data.errors import DataErrors  # noqa: E402


def measure(path: Path) -> tuple[float, int, str]:
    times = []
    outcome = "chargé"
    for _ in range(5):
        start = time.perf_counter()
        try:
            yamlsource.load_yaml(path, "f.yml")
        except DataErrors as exc:
            outcome = exc.errors[0].message[:60]
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        yamlsource.load_yaml(path, "f.yml")
    except DataErrors:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak, outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"valid organisation (reference)": (ROOT / "data/organizations/agence-pixel-et-plume.yml").read_text()}
        cases |= {name: "name: x\n" + extra for name, (extra, _, _) in CASES.items()}
        cases["file too big"] = "# " + "x" * yamlsource.MAX_FILE_BYTES + "\n"
        print(f"{'case':34} {'bytes':>9} {'ms':>8} {'peak KB':>9}  message")
        for name, text in cases.items():
            path = Path(tmp) / "f.yml"
            path.write_text(text, encoding="utf-8")
            seconds, peak, outcome = measure(path)
            print(f"{name:34} {len(text.encode()):>9} {seconds * 1000:>8.2f} {peak / 1000:>9.0f}  {outcome}")


if __name__ == "__main__":
    main()
