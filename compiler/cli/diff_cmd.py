"""`drillbook diff OLD NEW` and `drillbook diff --git REV PATH…`: what an edit did to a
playbook, as a reviewer needs it (DESIGN §6 "Diff")."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from compiler.checks.config import LintConfig
from compiler.cli.common import UsageProblem, write_output
from compiler.cli.lint_run import resolve_config
from compiler.compare import compare
from compiler.compare_report import (
    DiffResult,
    Rehearsal,
    format_json,
    format_markdown,
    format_text,
)
from compiler.model import Document
from compiler.parse import parse_text
from compiler.source import UnreadableFile, decode_bytes

if TYPE_CHECKING:
    from compiler.simulate.scenario import LoadedScenario

#: `HEAD~1:playbook.md`, `main:docs/run.md`: a file as a git revision holds it.
_REVISION = re.compile(r"^(?P<rev>[^:\s][^:]*):(?P<path>[^:].*)$")


@click.command("diff")
@click.argument("paths", nargs=-1)
@click.option(
    "--git",
    "rev",
    metavar="REV",
    help="Compare every playbook under PATHs (default: .) that changed since git revision REV "
    "with its version at REV.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown fits a pull-request comment.",
)
@click.option(
    "--scenario",
    type=click.Path(dir_okay=False),
    help="Rehearse both versions with this scenario: totals and objectives before and after.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1, max=10_000_000),
    help="With --scenario: P(objective met).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for --runs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
def diff_command(
    paths: tuple[str, ...],
    rev: str | None,
    fmt: str,
    scenario: str | None,
    runs: int | None,
    seed: int,
    output: str | None,
) -> int:
    """Compare two versions of a playbook as workflows: steps added, removed, renamed or
    moved, agents, conditions, references and outputs changed, objectives changed, and the
    findings gained and fixed.

    OLD and NEW are files, or `REV:PATH` for a file as git revision REV holds it
    (`drillbook diff HEAD~1:playbook.md playbook.md`). Exit status: 0 no new errors, 1 the
    new version has errors the old did not, 2 usage problem.
    """
    if runs is not None and scenario is None:
        raise UsageProblem("--runs needs --scenario")
    if rev is not None:
        pairs = _changed_since(rev, list(paths) or ["."])
    elif len(paths) == 2:
        pairs = [(paths[0], paths[1])]
    else:
        raise UsageProblem("give OLD and NEW, or --git REV [PATH…]")
    config = resolve_config([p for _, p in pairs] or ["."], None, (), (), None)
    results = [_diff(old, new, config, scenario, runs, seed) for old, new in pairs]
    formats = {"json": format_json, "markdown": format_markdown, "text": format_text}
    if not results and fmt == "text":
        write_output(output, f"no playbook changed since {rev}\n")
    else:
        write_output(output, formats[fmt](results))
    return 1 if any(r.comparison.new_errors for r in results) else 0


def _diff(
    old: str, new: str, config: LintConfig, scenario: str | None, runs: int | None, seed: int
) -> DiffResult:
    old_text, new_text = _read(old), _read(new)
    before, after = parse_text(old_text, old), parse_text(new_text, new)
    result = DiffResult(compare(before, after, config, old_text=old_text, new_text=new_text))
    if scenario is not None:
        text = _scenario_text(scenario)
        result.scenario = scenario
        result.before = _rehearse(before, text, scenario, runs, seed)
        moved, notes = _rekeyed(after, text, scenario)
        carried, warnings, kept_notes = _carried_over(before, after, moved, scenario)
        result.after = _rehearse(after, carried, scenario, runs, seed)
        result.notes.extend([*notes, *kept_notes])
        result.warnings.extend(warnings)
    return result


def _scenario_text(scenario: str) -> str:
    try:
        return Path(scenario).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"cannot read scenario {scenario}: {exc}") from None


def _rekeyed(document: Document, text: str, scenario: str) -> tuple[str, list[str]]:
    """The scenario with its step keys moved to the new version's matching steps (as
    `drillbook scenario update` would), and what was moved or could not be."""
    from compiler.simulate.index import main_workflow
    from compiler.simulate.loader import ScenarioError
    from compiler.simulate.rekey import update_scenario

    workflow = main_workflow(document.workflows)
    if workflow is None:
        return text, []
    try:
        update = update_scenario(text, scenario, workflow)
    except ScenarioError:
        return text, []
    notes = [f"for the new version, {change}" for change in update.changes]
    notes.extend(f"{d.file}:{d.line}: {d.message}" for d in update.left)
    return update.text, notes


def _carried_over(
    old: Document, new: Document, text: str, scenario: str
) -> tuple[str | LoadedScenario, list[str], list[str]]:
    """The scenario for the new version, with the step keys that record no title or agent (a
    hand-written scenario's positions) carried over the way `scenario update` carries
    recorded ones: a key stays when the new step at its id is the old step there (same title,
    and agent when both name one); else it moves to the new step that matches the old one by
    title and agent (`compiler.step_matching`); else its script is left out. A duration
    written for one step is never applied to a different step. Every key moved or left out
    gets a warning naming it (a note when it stays on its step, whose agent changed); returns
    the scenario, the warnings and the notes."""
    from compiler.simulate.index import main_workflow
    from compiler.simulate.loader import ScenarioError
    from compiler.simulate.scenario import parse_scenario
    from compiler.simulate.step_keys import describe
    from compiler.step_matching import StepIdentity, find_step, same_step, step_identities

    before, after = main_workflow(old.workflows), main_workflow(new.workflows)
    if before is None or after is None:
        return text, [], []
    try:
        loaded = parse_scenario(text, scenario)
    except ScenarioError:
        return text, [], []  # the rehearsal reports why
    old_steps = {s.id: s for s in step_identities(before)}
    new_steps = step_identities(after)
    new_by_id = {s.id: s for s in new_steps}
    steps = dict(loaded.scenario.steps)
    landing: dict[str, str | None] = {}  # key → the id its script goes to (None: left out)
    said: dict[str, str] = {}  # key → what became of it, for the warning
    for key, script in steps.items():
        base, hash_, attempt = key.partition("#")
        written_for = old_steps.get(base)
        if script.title is not None or script.agent is not None or written_for is None:
            landing[key] = key  # recorded (moved by `_rekeyed`), or not a step of the old one
            continue
        now = new_by_id.get(base)
        if now is not None and same_step(written_for, now):
            landing[key] = key
            continue
        now_text = f"{base} is now {describe(now)}" if now else f"{base} no longer exists"
        said[key] = f"was written for {describe(written_for)} in the old version; {now_text}"
        known = StepIdentity(base, written_for.title, written_for.agent, written_for.position)
        match = find_step(known, new_steps)
        if match is None:
            landing[key] = None
            said[key] += " and no step matches it by title or agent"
        else:
            landing[key] = f"{match.step.id}{hash_}{attempt}"
            said[key] += (
                f"; the step that matches by {match.how} is {match.step.id} {describe(match.step)}"
            )
    taken = Counter(target for target in landing.values() if target is not None)
    kept: dict[str, Any] = {}
    warnings: list[str] = []
    notes: list[str] = []
    for key, target in landing.items():
        where = f"steps.{key}"
        if target is not None and taken[target] > 1 and key in said:
            target = None
            said[key] += ", which has another script in the scenario"
        if key in said and target == key:  # the same step, its agent changed
            notes.append(
                f"{where}: the same step, now {describe(new_by_id[key])}; its script "
                "still applies to it"
            )
        elif key in said:
            fate = (
                f"its script applies to {target} in the 'after' rehearsal"
                if target is not None
                else "its script is left out of the 'after' rehearsal"
            )
            warnings.append(f"{where} {said[key]}: {fate}")
        if target is not None:
            kept[target] = steps[key]
    for slo in loaded.scenario.slo or []:
        written_for = old_steps.get(slo.until or "")
        if slo.until is None or written_for is None:
            continue
        now = new_by_id.get(slo.until)
        # the same title at the same id is the same milestone, whoever runs it now
        if now is None or not same_step(StepIdentity(now.id, written_for.title), now):
            now_text = f"is now {describe(now)}" if now else "no longer exists"
            warnings.append(
                f"objective {slo.name!r} runs until {slo.until}, which was "
                f"{describe(written_for)} in the old version and {now_text}: check its "
                "'after' verdict"
            )
    if kept == steps:
        return text, warnings, notes
    updated = loaded.scenario.model_copy(update={"steps": kept})
    return loaded.model_copy(update={"scenario": updated}), warnings, notes


def _read(spec: str) -> str:
    """The text of a file, of `REV:PATH`, or "" for a side that does not exist (`/dev/null`,
    a file added or deleted between the versions)."""
    if spec == "/dev/null":
        return ""
    path = Path(spec)
    if path.is_file():
        data = path.read_bytes()
    else:
        found = _REVISION.match(spec)
        if found is None or path.exists():
            raise UsageProblem(f"no such file: {spec}")
        data = _git_show(found["rev"], found["path"])
    try:
        return decode_bytes(data, spec).text
    except UnreadableFile as exc:
        raise UsageProblem(f"{spec}: {exc.reason}") from None


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageProblem("git is not installed; give both versions as files")
    return subprocess.run([git, *args], capture_output=True, check=False, timeout=120)


def _git_show(rev: str, path: str) -> bytes:
    relative = path if path.startswith(("./", "../", "/")) else f"./{path}"
    done = _git("show", f"{rev}:{relative}")
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"{rev}:{path}: {reason[-1] if reason else 'git show failed'}")
    return done.stdout


def _changed_since(rev: str, paths: list[str]) -> list[tuple[str, str]]:
    """(old, new) for every Markdown file under `paths` that changed since `rev`."""
    done = _git("diff", "--name-status", "--relative", "-M", rev, "--", *paths)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageProblem(f"git diff {rev}: {reason[-1] if reason else 'failed'}")
    pairs: list[tuple[str, str]] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        fields = line.split("\t")
        status, names = fields[0], fields[1:]
        if not names or not names[-1].endswith(".md"):
            continue
        if status.startswith("A"):
            pairs.append(("/dev/null", names[0]))
        elif status.startswith("D"):
            pairs.append((f"{rev}:{names[0]}", "/dev/null"))
        else:  # modified, renamed (old name first), type change
            pairs.append((f"{rev}:{names[0]}", names[-1]))
    return sorted(pairs, key=lambda pair: pair[1])


def _rehearse(
    document: Document, text: str | LoadedScenario, scenario: str, runs: int | None, seed: int
) -> Rehearsal:
    from compiler.simulate.api import plan_for, run
    from compiler.simulate.loader import ScenarioError
    from compiler.simulate.montecarlo import monte_carlo
    from compiler.simulate.scenario import parse_scenario

    try:
        loaded = parse_scenario(text, scenario) if isinstance(text, str) else text
        plan = plan_for(document, _known_steps_only(document, loaded))
    except ScenarioError as exc:
        return Rehearsal(problem=str(exc))
    result = run(plan)
    slos = tuple((v.name, v.status, v.detail) for v in result.slos)
    chances: tuple[tuple[str, float], ...] = ()
    if runs is not None:
        summary = monte_carlo(plan, runs, seed)
        chances = tuple((slo.name, slo.met / runs) for slo in summary.slos)
    return Rehearsal(result.total_s, result.status, slos, chances)


def _known_steps_only(document: Document, loaded: LoadedScenario) -> LoadedScenario:
    """The scenario without scripts for steps this version does not have (`_rekeyed` notes
    their keys): the rest of the rehearsal still says something."""
    from compiler.simulate.index import index_workflow, main_workflow

    workflow = main_workflow(document.workflows)
    if workflow is None:
        return loaded
    known = index_workflow(workflow).elements
    steps = loaded.scenario.steps
    kept = {key: script for key, script in steps.items() if key.split("#", 1)[0] in known}
    if len(kept) == len(steps):
        return loaded
    scenario = loaded.scenario.model_copy(update={"steps": kept})
    return loaded.model_copy(update={"scenario": scenario})
