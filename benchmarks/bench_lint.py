"""Lint speed (issue 10): cold start against markdownlint-cli2, throughput and editor
latency against markdown-it-py's own parse, and `--jobs 2` against `--jobs 1`.

markdownlint-cli2 is the Markdown linter people already run in pre-commit; a fresh
`drillbook lint` of one file should cost at most half of it. markdown-it-py parsing the same
texts is the floor of everything drillbook does: what lint adds on top must stay close.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from benchmarks.figures import Figure, Skipped, figure
from benchmarks.timing import (
    CORPORA,
    ROOT,
    SEED,
    best_of,
    corpus_paths,
    drillbook_command,
    interleaved,
    ms,
    read_texts,
)

MARKDOWNLINT_VERSION = "0.22.1"
MARKDOWNLINT_DIR = ROOT / ".cache" / "markdownlint"
MARKDOWNLINT = MARKDOWNLINT_DIR / "node_modules" / ".bin" / "markdownlint-cli2"


def markdownlint() -> Path | None:
    """markdownlint-cli2, installed with npm into .cache/ on first use; None without npm."""
    if MARKDOWNLINT.exists():
        return MARKDOWNLINT
    npm = shutil.which("npm")
    if npm is None:
        return None
    MARKDOWNLINT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(MARKDOWNLINT_DIR), "--no-audit", "--no-fund",
         "--no-save", f"markdownlint-cli2@{MARKDOWNLINT_VERSION}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return MARKDOWNLINT if MARKDOWNLINT.exists() else None


def _command(argv: list[str], **env: str) -> Callable[[], object]:
    """Run `argv` to completion, output dropped (both linters exit 1 on findings)."""
    environment = {**os.environ, **env}
    return lambda: subprocess.run(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
    )


@figure("cold-start")
def cold_start() -> Figure | Skipped:
    name = "cold start: `drillbook lint` of the seed / markdownlint-cli2, fresh processes"
    if not SEED.exists():
        return Skipped(name, "../shared/seeds is absent")
    tool = markdownlint()
    if tool is None:
        return Skipped(name, "npm is not installed (markdownlint-cli2 comes from npm)")
    # An installed drillbook and its dependencies start from bytecode: pip compiles each
    # package it installs, and Python keeps the bytecode of what it imports. Where
    # PYTHONDONTWRITEBYTECODE=1 is set (CI images, this sandbox) and something has since
    # removed `__pycache__` folders, every module of drillbook, click and markdown-it-py would
    # be compiled from source on each start, ~100 ms users never pay; so the first, untimed
    # run may write bytecode. Likewise it keeps the compiled patterns in the user's cache and
    # every later run starts from them (`compiler/regex_cache.py`): the figure is that of a
    # later run, and the detail shows a run without the cache, as the very first one after
    # an install.
    lint = [*drillbook_command(), "lint", str(SEED)]
    first_run = {
        key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
    }
    subprocess.run(lint, cwd=ROOT, capture_output=True, env=first_run)
    ours, uncached, theirs = interleaved(
        9,
        _command(lint),
        _command(lint, DRILLBOOK_NO_CACHE="1"),
        _command([str(tool), str(SEED)]),
    )
    return Figure(
        name, ours / theirs, 0.5, "lower",
        detail=f"drillbook {ms(ours)} ({ms(uncached)} without its pattern cache), "
        f"markdownlint-cli2 {ms(theirs)} (best of 9)",
    )  # fmt: skip


@figure("throughput")
def throughput() -> Figure | Skipped:
    name = "throughput: lint of corpus + corpus2 / markdown-it-py parse, one process"
    paths = corpus_paths()
    if not paths:
        return Skipped(name, "../shared/corpus and corpus2 are absent")
    # Each sample is a fresh process: a second pass over the same texts would be served
    # by the parser's caches, which a one-off `drillbook lint` of a folder never enjoys.
    samples = [one_pass() for _ in range(3)]
    ours = min(lint for lint, _ in samples)
    floor = min(parse for _, parse in samples)
    return Figure(
        name, ours / floor, 2.0, "lower",
        detail=f"{len(paths)} documents: lint {ms(ours)}, parse {ms(floor)} (best of 3 processes)",
    )  # fmt: skip


def one_pass() -> tuple[float, float]:
    """(lint, parse) seconds of the corpora, measured in a fresh interpreter."""
    code = "from benchmarks.bench_lint import _time_one_pass; _time_one_pass()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lint, parse = done.stdout.split()
    return float(lint), float(parse)


def _time_one_pass() -> None:
    """Lint every corpus document once (after warming up on specs/: imports, rule
    registration, compiled patterns), then parse them all with markdown-it-py; print both."""
    from markdown_it import MarkdownIt

    from compiler.checks import check_document
    from compiler.checks.config import LintConfig
    from compiler.parse import parse_document
    from compiler.source import Source

    config = LintConfig()

    def lint(texts: list[tuple[str, str]]) -> None:
        for path, text in texts:
            check_document(parse_document(Source(path, text)), config, source=text)

    lint(read_texts(sorted((ROOT / "specs").glob("*.md"))))
    texts = read_texts(corpus_paths())
    markdown = MarkdownIt("commonmark")
    markdown.parse("# warm")
    linted = best_of(1, lambda: lint(texts))
    parsed = best_of(1, lambda: [markdown.parse(text) for _, text in texts])
    print(linted, parsed)


@figure("editor-latency")
def editor_latency() -> Figure | Skipped:
    name = "editor latency: re-lint of the seed in a warm process / markdown-it-py parse"
    if not SEED.exists():
        return Skipped(name, "../shared/seeds is absent")
    from markdown_it import MarkdownIt

    from compiler.lsp.analysis import analyse

    ((path, text),) = read_texts([SEED])
    markdown = MarkdownIt("commonmark")
    typed = count()

    def edited() -> str:
        """The buffer after another keystroke: one line differs, the rest is as before."""
        return f"{text}\nTyping {next(typed)}\n"

    analyse(edited(), path)  # the server has analysed the document once when it opened
    ours, floor = interleaved(30, lambda: analyse(edited(), path), lambda: markdown.parse(edited()))
    return Figure(
        name, ours / floor, 2.0, "lower",
        detail=f"analysis {ms(ours)}, parse {ms(floor)} per change (best of 30)",
    )  # fmt: skip


@figure("parallel")
def parallel() -> Figure | Skipped:
    name = "parallel: `drillbook lint --jobs 2` / `--jobs 1` of corpus + corpus2"
    if not corpus_paths():
        return Skipped(name, "../shared/corpus and corpus2 are absent")
    if (os.cpu_count() or 1) < 2:
        return Skipped(name, "one CPU: two workers cannot run at once")
    base = [*drillbook_command(), "lint", *map(str, CORPORA), "--format", "json"]
    one, two = interleaved(3, _command([*base, "--jobs", "1"]), _command([*base, "--jobs", "2"]))
    return Figure(
        name, two / one, 0.65, "lower",
        detail=f"--jobs 2 {ms(two)}, --jobs 1 {ms(one)} (best of 3)",
    )  # fmt: skip


@figure("parallel-memory")
def parallel_memory() -> Figure | Skipped:
    name = "parallel: peak memory of `drillbook lint --jobs 2` of corpus + corpus2"
    if not corpus_paths():
        return Skipped(name, "../shared/corpus and corpus2 are absent")
    if not Path("/proc/self/status").exists():
        return Skipped(name, "no /proc to read the workers' memory from")
    argv = [*drillbook_command(), "lint", *map(str, CORPORA), "--format", "json", "--jobs", "2"]
    peak = peak_tree_rss(argv)
    return Figure(
        name, peak / 2**20, 250, "lower", unit=" MB",
        detail="resident memory of the process and its workers together, sampled every 5 ms",
    )  # fmt: skip


def peak_tree_rss(argv: list[str]) -> int:
    """The largest sum of resident memory of a command and its descendants while it runs."""
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_rss(pid) for pid in _tree(process.pid)))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak


def _tree(root: int) -> list[int]:
    """`root` and every process descended from it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        frontier.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
