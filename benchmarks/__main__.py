"""`make bench`: run every figure of `benchmarks/bench_*.py` and print a table.

    python -m benchmarks [--only NAME …] [--list]

Each row is a ratio (or an amount) measured side by side in one run, its target and whether
it was met; a figure whose input is missing (npm, ../shared) is skipped with the reason.
Exit status 1 when a figure misses its target or its measurement fails, else 0.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from benchmarks.figures import REGISTRY, Figure, Measure, Skipped

HERE = Path(__file__).resolve().parent


def load_modules() -> None:
    """Import every benchmarks/bench_*.py: importing registers its figures."""
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(f"benchmarks.{path.stem}")


def run(measures: list[tuple[str, Measure]]) -> list[Row]:
    """Measure in registration order, printing progress to stderr (a slow figure is not a
    silent wait)."""
    rows = []
    for key, measure in measures:
        print(f"measuring {key} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        outcome: Figure | Skipped | Broken
        try:
            outcome = measure()
        except Exception as exc:  # a broken measurement is a failed row, not a crash
            traceback.print_exc(file=sys.stderr)
            outcome = Broken(key, f"{type(exc).__name__}: {exc}")
        print(f"  {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        rows.append(Row(key, outcome))
    return rows


@dataclass(frozen=True)
class Broken:
    name: str
    error: str


@dataclass(frozen=True)
class Row:
    key: str
    outcome: Figure | Skipped | Broken

    @property
    def failed(self) -> bool:
        return isinstance(self.outcome, Broken) or (
            isinstance(self.outcome, Figure) and not self.outcome.passed
        )

    def cells(self) -> tuple[list[str], str]:
        """The table cells (figure, value, target, result, what it measures) and the line
        of detail printed under them."""
        outcome = self.outcome
        if isinstance(outcome, Broken):
            return [self.key, "-", "-", "ERROR", outcome.name], outcome.error
        if isinstance(outcome, Skipped):
            return [self.key, "-", "-", "skipped", outcome.name], outcome.reason
        sign = "≤" if outcome.better == "lower" else "≥"
        value = f"{outcome.value:.2f}{outcome.unit}"
        target = f"{sign} {outcome.target:g}{outcome.unit}"
        result = "pass" if outcome.passed else "FAIL"
        return [self.key, value, target, result, outcome.name], outcome.detail


def table(rows: list[Row]) -> str:
    header = ["figure", "value", "target", "result", "measures"]
    cells = [header, *(row.cells()[0] for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header) - 1)]
    indent = " " * (sum(widths) + 2 * len(widths))

    def line(values: list[str]) -> str:
        padded = [value.ljust(width) for value, width in zip(values, widths, strict=False)]
        return "  ".join([*padded, values[-1]]).rstrip()

    lines = [line(header), line(["-" * width for width in widths] + ["-" * 8])]
    for row in rows:
        main, detail = row.cells()
        lines.append(line(main))
        if detail:
            lines.append(indent + detail)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these figures")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    load_modules()
    measures = REGISTRY.measures
    if args.list:
        print("\n".join(name for name, _ in measures))
        return 0
    if args.only:
        unknown = sorted(set(args.only) - {name for name, _ in measures})
        if unknown:
            parser.error(f"unknown figure(s): {', '.join(unknown)} (--list shows them)")
        measures = [(name, measure) for name, measure in measures if name in args.only]
    rows = run(measures)
    print(table(rows))
    return 1 if any(row.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
