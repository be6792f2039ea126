"""Cold-start benchmark: `briefing run` on seeds/ from a fresh process, weight-free path.

Prints the median wall time of N fresh `python -m briefing run` processes, next to a baseline
measured in the same run (a bare `python -c pass`, i.e. the interpreter's own start-up), and
checks that the weight-free path imported none of torch, transformers and ray.

    python benchmarks/cold_start.py [--runs 5] [--input seeds]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys, runpy; sys.argv = ['briefing', 'run', {input!r}, '--out', {out!r}, '--date', '2026-01-01', '-q'];\n"
    "try:\n    runpy.run_module('briefing', run_name='__main__')\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
    "heavy = [m for m in ('torch', 'transformers', 'ray') if m in sys.modules]\n"
    "print('HEAVY:' + ','.join(heavy))\n"
)


def timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--input", default="seeds")
    args = parser.parse_args()
    baseline = [timed([sys.executable, "-c", "pass"])[0] for _ in range(args.runs)]
    runs: list[float] = []
    heavy = set()
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            seconds, stdout = timed([sys.executable, "-c", PROBE.format(input=args.input, out=out)])
            runs.append(seconds)
            heavy |= {m for m in stdout.strip().split("HEAVY:")[-1].split(",") if m}
    base, median = statistics.median(baseline), statistics.median(runs)
    print(f"| measure | median of {args.runs} (s) |")
    print("|---|---|")
    print(f"| python -c pass (baseline) | {base:.3f} |")
    print(f"| briefing run {args.input} (cold process) | {median:.3f} |")
    print(f"| ratio run / bare interpreter | {median / base:.1f}x |")
    print(f"heavy modules imported on the weight-free path: {', '.join(sorted(heavy)) or 'none'}")
    if heavy:
        sys.exit("torch/transformers/ray must not be imported on the weight-free path")


if __name__ == "__main__":
    main()
