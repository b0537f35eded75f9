"""`make demo`: run drillbook's features on specs/ the way a user would, then say where to look.

Each stage runs the real `drillbook` command line; stages for features that do not exist in
this build are skipped with a note.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent / "drillbook"


def run(args: list[str], show: bool = True) -> int:
    print(f"\n$ drillbook {' '.join(args)}", flush=True)
    result = subprocess.run([str(BIN), *args], text=True, capture_output=True)
    if show and result.stdout:
        print(result.stdout, end="" if result.stdout.endswith("\n") else "\n")
    elif not show and "-o" in args and Path(args[args.index("-o") + 1]).exists():
        # Exit 1 with a file written is a report of failures (a missed SLO), not a failure.
        print(f"  wrote {args[args.index('-o') + 1]}")
    if result.stderr:
        print(result.stderr, end="" if result.stderr.endswith("\n") else "\n", file=sys.stderr)
    return result.returncode


def available() -> set[str]:
    from compiler.cli import COMMANDS

    return set(COMMANDS)


def main() -> int:
    specs = Path(sys.argv[1] if len(sys.argv) > 1 else "specs")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "demo-output")
    out.mkdir(exist_ok=True)
    docs = sorted(str(p) for p in specs.glob("*.md"))
    commands = available()
    print(f"drillbook demo on {len(docs)} playbooks in {specs}/")
    failures = 0
    for doc in docs:
        failures += run(["compile", doc, "--format", "text"]) != 0
        name = Path(doc).stem
        run(["compile", doc, "-o", str(out / f"{name}.ir.json")], show=False)
    if "lint" in commands:
        run(["lint", str(specs)])
    if "test" in commands:
        run(["test", str(specs)])
    if "simulate" in commands:
        for scenario in sorted(specs.glob("*.scenario.yaml")):
            doc = scenario.name.split(".")[0] + ".md"
            run(["simulate", str(specs / doc), "--scenario", str(scenario)])
            run(
                [
                    "simulate",
                    str(specs / doc),
                    "--scenario",
                    str(scenario),
                    "--format",
                    "html",
                    "-o",
                    str(out / f"{scenario.name.split('.')[0]}.gantt.html"),
                ],
                show=False,
            )
            run(
                [
                    "simulate",
                    str(specs / doc),
                    "--scenario",
                    str(scenario),
                    "--runs",
                    "500",
                    "--what-if",
                    "no-failures",
                    "--format",
                    "html",
                    "-o",
                    str(out / f"{scenario.name.split('.')[0]}.montecarlo.html"),
                ],
                show=False,
            )
    if "render" in commands:
        for doc in docs:
            name = Path(doc).stem
            for fmt in ("html", "svg", "mermaid", "md"):
                ext = {"mermaid": "mmd"}.get(fmt, fmt)
                run(["render", doc, "--format", fmt, "-o", str(out / f"{name}.{ext}")], show=False)
    places = [(f"{out}/*.ir.json", "compiled model + graph of each playbook")]
    if "render" in commands:
        places.append((f"{out}/*.html", "rendered reports (open in a browser)"))
        places.append((f"{out}/*.svg, *.mmd, *.md", "diagrams and docs-site Markdown"))
    if "simulate" in commands:
        places.append((f"{out}/*.gantt.html", "simulated timelines (phone-friendly)"))
        places.append((f"{out}/*.montecarlo.html", "Monte Carlo reports (500 runs, what-if)"))
    places.append(("README.md", "a tour of every subcommand"))
    site_index = None
    if "site" in commands:
        # Last, so the site is what the demo leaves open: every playbook, searchable.
        site = out / "site"
        if run(["site", str(specs), "-o", str(site), "--force"]) == 0:
            site_index = site / "index.html"
            places.append((str(site_index), "the site: index, search, a page per playbook"))
    width = max(len(place) for place, _ in places)
    print("\nWhere to look:")
    for place, what in places:
        print(f"  {place:<{width}}  {what}")
    if site_index is not None:
        print(f"\nOpen the site: {site_index.resolve().as_uri()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
