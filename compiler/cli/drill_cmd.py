"""`drillbook drill DOC`: a tabletop exercise at the terminal (DESIGN §6 "Rehearsal").

On a terminal the prompt has history and completion (the standard library's readline) and
colour; with stdin piped, commands are read line by line, so drills are scripts and tests.
When the input ends, the run goes on to its end with the scenario's choices and defaults.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import yaml

from compiler.cli.common import UsageProblem, load, write_output
from compiler.durations import format_duration
from compiler.simulate.drill import Drill, DrillError, Edit, Stop
from compiler.simulate.gantt_page import render_html
from compiler.simulate.report_text import clock, render_text

COMMANDS = {
    "next": "go on: accept what the run does here (Enter does the same)",
    "choose PATH": "take a decision path (its id, letter, number or title)",
    "approve [after 10m]": "approve the waiting checkpoint",
    "reject [after 10m]": "reject it: the run stops",
    "recover": "a failed attempt succeeds after all (Enter lets it fail)",
    "fail STEP [N]": "the step's next N attempts fail (retries as scripted)",
    "delay STEP 10m": "the step takes that much longer",
    "unavailable AGENT 15m": "the agent cannot start work for that long",
    "fact NAME = VALUE": "a new fact, for the decisions still ahead",
    "undo": "take back the last answer or injection",
    "timeline": "what happened so far",
    "slo": "time left on each objective",
    "steps": "step ids and agents",
    "quit": "stop asking: the run goes on to its end",
}


@click.command("drill")
@click.argument("doc", type=click.Path(dir_okay=False))
@click.option("--scenario", type=click.Path(dir_okay=False), help="Start from this scenario.")
@click.option(
    "--record",
    type=click.Path(dir_okay=False),
    help="Save the session as a scenario file: `drillbook simulate` replays it exactly.",
)
@click.option(
    "--gantt",
    type=click.Path(dir_okay=False),
    help="Where to write the debrief's Gantt page (default: DOC-NAME.drill.html here).",
)
def drill_command(doc: str, scenario: str | None, record: str | None, gantt: str | None) -> int:
    """A tabletop drill of DOC: the virtual clock stops where a person acts (a phase begins,
    a decision is due, a checkpoint waits), the facilitator answers or injects a surprise
    (`fail`, `delay`, `unavailable`, `fact`), `undo` steps back. Type `help` at a stop."""
    loaded = load(doc)
    if loaded.document is None:
        raise UsageProblem(f"{doc}: {loaded.problem.message if loaded.problem else 'unreadable'}")
    base = _base(scenario)
    try:
        drill = Drill(loaded.document, base, name=record or "drill")
    except Exception as exc:  # a scenario that does not fit the document
        raise UsageProblem(str(exc).splitlines()[0]) from None
    session = Session(drill, sys.stdin.isatty() and sys.stdout.isatty())
    session.run()
    result = drill.result
    page = gantt or f"{Path(doc).stem}.drill.html"
    write_output(page, render_html(result))
    session.debrief(page)
    if record is not None:
        write_output(record, _recording(drill, doc, record, session.log))
        click.echo(f"recorded: {record} (replay: drillbook simulate {doc} --scenario {record})")
    return 0 if result.passed else 1  # as `drillbook simulate`: a missed objective fails too


def _base(scenario: str | None) -> dict[str, Any]:
    if scenario is None:
        return {}
    try:
        data = yaml.safe_load(Path(scenario).read_text(encoding="utf-8-sig")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageProblem(f"cannot read scenario {scenario}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageProblem(f"{scenario}: a scenario is a mapping of keys")
    data.pop("workflow", None)  # the drill names its document itself
    return data


def _recording(drill: Drill, doc: str, record: str, log: list[str]) -> str:
    data = drill.scenario()
    relative = os.path.relpath(Path(doc).resolve(), Path(record).resolve().parent)
    data = {"name": data.pop("name", "drill"), "workflow": Path(relative).as_posix(), **data}
    # What the drill ended with is what a regression run of the recording must show again.
    result = drill.result
    data["expect"] = {
        "status": result.status,
        "path": list(result.path),
        "slos": {verdict.name: verdict.status for verdict in result.slos},
    }
    header = [
        f"# Recorded by `drillbook drill {doc}`: `drillbook simulate {doc} --scenario {record}`",
        "# replays this session's run exactly. The facilitator's actions, in order:",
        *(f"#   {line}" for line in log),
    ]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n" + body


class Session:
    """The conversation: show each stop, read commands until one answers it."""

    def __init__(self, drill: Drill, terminal: bool) -> None:
        self.drill = drill
        self.terminal = terminal
        self.log: list[str] = []
        self.shown_until = -1.0
        self.stop: Stop | None = None  # the stop being answered (completion reads it)
        self.readline = False
        self._matches: list[str] = []
        self.lines = self._input()

    # --- input -----------------------------------------------------------------------------

    def _input(self) -> Iterator[str]:
        if self.terminal:
            self._readline()
            while True:
                try:
                    yield input(_prompt(self.readline))
                except EOFError:
                    return
        else:
            for line in sys.stdin:
                click.echo(f"drill> {line.rstrip()}")
                yield line.rstrip("\n")

    def _readline(self) -> None:
        try:
            import readline
        except ImportError:  # not on every platform: the prompt still works without it
            return

        def complete(text: str, state: int) -> str | None:
            if state == 0:
                before = readline.get_line_buffer()[: readline.get_begidx()]
                self._matches = completions(self.drill, self.stop, before, text)
            return self._matches[state] if state < len(self._matches) else None

        readline.set_completer(complete)
        readline.set_completer_delims(" ")
        readline.parse_and_bind("tab: complete")
        self.readline = True

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> None:
        self._say(self._intro())
        while (stop := self.drill.next_stop()) is not None:
            self.stop = stop
            self._show(stop)
            self._answer(stop)

    def _answer(self, stop: Stop) -> None:
        while True:
            line = next(self.lines, None)
            if line is None:  # input ended: the scenario and the defaults decide the rest
                self._finish_quietly()
                return
            try:
                edit = self._command(line.strip(), stop)
                if edit is not None:
                    self.drill.apply(edit)
            except DrillError as exc:
                self._say(click.style(f"  ! {exc}", fg="red"))
                continue
            except _Reshow:
                return
            if edit is None:
                continue  # a question (timeline, slo, help): the same stop again
            self.log.append(f"[{clock(stop.time_s)}] {edit.label}")
            self._say(f"  ✓ {edit.label}")
            if edit.answers is not None or self.drill.next_stop() != stop:
                return

    def _finish_quietly(self) -> None:
        while (stop := self.drill.next_stop()) is not None:
            self.drill.apply(self.drill.go_on(stop))

    def _command(self, line: str, stop: Stop) -> Edit | None:
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        verb = words[0].lower() if words else "next"
        rest = words[1:]
        drill, now = self.drill, stop.time_s
        if verb in ("next", "n", "go", "continue"):
            return drill.go_on(stop)
        if verb in ("choose", "path", "take"):
            return drill.choose(stop, " ".join(rest))
        if stop.kind == "decision" and not rest and verb not in COMMAND_WORDS:
            return drill.choose(stop, verb)
        if verb == "recover":
            return drill.recover(stop)
        if verb in ("approve", "reject"):
            after = (
                rest[1] if len(rest) == 2 and rest[0] == "after" else (rest[0] if rest else None)
            )
            return drill.checkpoint(stop, verb == "approve", after)
        if verb == "fail":
            _need(rest, 1, "fail STEP [N]")
            return drill.fail(rest[0], now, int(rest[1]) if len(rest) > 1 else 1)
        if verb == "delay":
            _need(rest, 2, "delay STEP 10m")
            return drill.delay(rest[0], now, rest[1])
        if verb == "unavailable":
            _need(rest, 2, "unavailable AGENT 15m")
            return drill.unavailable(rest[0], now, rest[1])
        if verb == "fact":
            name, _, value = " ".join(rest).partition("=")
            if not name.strip() or not value.strip():
                raise DrillError("write: fact NAME = VALUE")
            return drill.fact(name.strip(), value.strip())
        if verb == "undo":
            label = drill.undo()
            if self.log:
                self.log.pop()
            self._say(f"  ↶ undone: {label}")
            raise _Reshow
        if verb in ("quit", "exit", "end"):
            self._finish_quietly()
            raise _Reshow
        self._say(self._question(verb, stop))
        return None

    # --- what the facilitator sees ---------------------------------------------------------

    def _intro(self) -> str:
        plan = self.drill.plan
        lines = [click.style(f"Drill: {plan.workflow.title or plan.document_path}", bold=True)]
        for slo in plan.slos:
            lines.append(f"  objective {slo.name}: {self._limit(slo)}")
        lines.append("  at each stop: Enter goes on; `help` lists what you can do")
        return "\n".join(lines)

    def _limit(self, slo: Any) -> str:
        if slo.kind == "cadence":
            return f"every {format_duration(slo.limit_s)}"
        return f"within {format_duration(slo.limit_s)}" + (
            f" (until {slo.until})" if slo.until else ""
        )

    def _show(self, stop: Stop) -> None:
        decisions = self.drill.plan.index.decisions
        for event in self.drill.result.trace:
            if event.kind == "stop" and event.id in decisions:
                continue  # a decision nobody took yet: asked below, not a stop of the run
            shown = event.kind in ("finish", "skip", "stop")
            if shown and self.shown_until < event.time_s <= stop.time_s:
                self._say(f"  {clock(event.time_s)}  {event.kind:<7} {event.id}  {event.message}")
        self.shown_until = stop.time_s
        at = click.style(f"[{clock(stop.time_s)}]", fg="yellow")
        index = self.drill.plan.index
        if stop.kind == "phase":
            title = next((p.title for p in index.workflow.phases if p.id == stop.id), stop.id)
            self._say(f"{at} {stop.id} begins: {title}")
        elif stop.kind == "decision":
            decision = index.decisions[stop.id]
            self._say(f"{at} decision {stop.id}: {decision.question or 'which path?'}")
            for number, path in enumerate(decision.paths, start=1):
                condition = f" — if {path.condition}" if path.condition else ""
                mark = "  ← the run takes this" if path.id == stop.taken else ""
                self._say(f"    {number}) {path.id} {path.title}{condition}{mark}")
        elif stop.kind == "failure":
            self._say(f"{at} {stop.id}: an attempt failed (Enter: it stands; recover: it succeeds)")
        else:
            self._say(f"{at} checkpoint {stop.id} waits for approval (approve / reject)")

    def _question(self, verb: str, stop: Stop) -> str:
        result = self.drill.result
        if verb == "timeline":
            events = [
                e
                for e in result.trace
                if e.time_s <= stop.time_s and e.kind not in ("read", "write")
            ]
            return "\n".join(
                f"  {clock(e.time_s)}  {e.kind:<9} {e.id}  {e.message}" for e in events
            )
        if verb in ("slo", "slos", "objectives"):
            return "\n".join(self._slo_lines(stop)) or "  no objectives"
        if verb in ("steps", "agents"):
            steps = self.drill.plan.index.steps.values()
            return "\n".join(f"  {s.id}  {s.title} ({s.agent or 'no agent'})" for s in steps)
        table = "\n".join(f"  {usage:<24} {what}" for usage, what in COMMANDS.items())
        known = "" if verb in ("help", "?", "h") else f"  ! unknown command '{verb}'\n"
        return known + table

    def _slo_lines(self, stop: Stop) -> list[str]:
        lines = []
        for verdict in self.drill.result.slos:
            if verdict.kind == "deadline":
                left = verdict.limit_s - stop.time_s
                lines.append(
                    f"  {verdict.name}: {format_duration(max(0, left))} left of "
                    f"{format_duration(verdict.limit_s)}"
                    + ("" if left >= 0 else " (already over)")
                    + f"; as things stand: {verdict.detail}"
                )
            else:
                every = format_duration(verdict.limit_s)
                lines.append(f"  {verdict.name}: every {every}; as things stand: {verdict.detail}")
        return lines

    def debrief(self, page: str) -> None:
        result = self.drill.result
        self._say("")
        self._say(click.style("Debrief", bold=True))
        answers = [e.label for e in self.drill.edits if e.answers is not None and ":" in e.label]
        injected = [e.label for e in self.drill.edits if e.answers is None]
        self._say("  decisions and approvals: " + ("; ".join(answers) or "none"))
        self._say("  injected: " + ("; ".join(injected) or "nothing"))
        for verdict in result.slos:
            colour = "green" if verdict.status == "met" else "red"
            self._say(
                "  "
                + click.style(f"{verdict.status.upper():6}", fg=colour)
                + f" {verdict.name}: {verdict.detail}"
            )
        self._say(f"  Gantt: {page}")
        self._say("")
        self._say(render_text(result).rstrip("\n"))

    def _say(self, text: str) -> None:
        click.echo(text, color=self.terminal or None)


class _Reshow(Exception):
    """Not an edit of its own (undo, quit): show the (new) next stop."""


COMMAND_WORDS = {usage.split()[0] for usage in COMMANDS} | {"help", "h", "?", "n", "go"}


def _prompt(readline: bool) -> str:
    """The coloured prompt. With readline, its colour codes are wrapped in \\001…\\002 so
    readline knows they take no room: otherwise it misplaces the cursor when it redraws the
    line (after C-u and a history recall the screen showed text that was not the line)."""
    prompt = click.style("drill> ", fg="cyan", bold=True)
    if not readline:
        return prompt
    return re.sub(r"(\x1b\[[0-9;]*m)", "\x01\\1\x02", prompt)


def completions(drill: Drill, stop: Stop | None, before: str, text: str) -> list[str]:
    """What Tab offers for the word `text`, with `before` the line up to it: a command
    first; then what that command takes here — the paths of the decision at hand after
    `choose`, steps still ahead after `fail` and `delay`, the run's agents after
    `unavailable`, `after` after `approve`/`reject`, the decision's facts after `fact`."""
    words = before.split()
    index = drill.plan.index
    if not words:
        offered = sorted(usage.split()[0] for usage in COMMANDS)
        return [w for w in offered if w.startswith(text)] + _paths(drill, stop, text)
    verb, position = words[0].lower(), len(words)
    offered = []
    if verb in ("choose", "path", "take") and position == 1:
        return _paths(drill, stop, text)
    if verb in ("fail", "delay") and position == 1:
        now = stop.time_s if stop is not None else 0.0
        offered = [step for step in index.steps if not _finished(drill, step, now)]
    elif verb == "unavailable" and position == 1:
        offered = sorted({a.agent for a in drill.result.activities if a.agent})
    elif verb in ("approve", "reject") and position == 1:
        offered = ["after"]
    elif verb == "fact" and position == 1:
        offered = sorted(
            {fact for d in index.decisions.values() for p in d.paths for fact in _facts(p)}
        )
    return [w for w in offered if w.startswith(text)]


def _paths(drill: Drill, stop: Stop | None, text: str) -> list[str]:
    """The paths of the decision at hand that start with `text`: their ids as the stop
    lists them (`phase-2/path-a`), else their short ids (`path-a`)."""
    if stop is None or stop.kind != "decision":
        return []
    ids = [p.id for p in drill.plan.index.decisions[stop.id].paths]
    full = [i for i in ids if i.startswith(text)]
    return full or [short for i in ids if (short := i.rsplit("/", 1)[-1]).startswith(text)]


def _finished(drill: Drill, step: str, now: float) -> bool:
    ran = [a for a in drill.result.activities if a.id == step]
    return bool(ran) and ran[-1].finish_s is not None and ran[-1].finish_s <= now


def _facts(path: Any) -> set[str]:
    from compiler.simulate.conditions import compared_facts

    return compared_facts(path.condition)  # `fact NAME = VALUE` joins its words again


def _need(words: list[str], count: int, usage: str) -> None:
    if len(words) < count:
        raise DrillError(f"write: {usage}")
