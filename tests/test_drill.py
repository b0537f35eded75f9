"""`drillbook drill` as a facilitator runs it: through a pipe (scripted), and under tmux at a
real terminal. What the drill ends with, its recording replays exactly."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

DRILL = FIXTURES / "drill"
DOC = DRILL / "rollback.md"
BASE = DRILL / "rollback.scenario.yaml"

SESSION = """

choose B
fail phase-3/branch-a
delay phase-4 10m
approve after 3m
undo
approve after 2m
"""


def _drill(tmp_path: Path, commands: str, *extra: str) -> tuple[int, str]:
    result = run_cli(
        "drill", str(DOC), "--scenario", str(BASE), "--gantt", str(tmp_path / "g.html"),
        *extra, cwd=tmp_path, stdin=commands,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    return result.code, result.stdout


def _trace(output: str) -> str:
    """The run as `drillbook simulate` prints it: every event, the path taken, the critical
    path and the total (the verdicts after it depend on what the scenario expects)."""
    section = output[output.index("Simulated run of") :]
    return section[: section.index("\nObjectives")]


def test_a_scripted_drill_records_a_scenario_that_replays_to_the_same_run(tmp_path: Path) -> None:
    code, output = _drill(tmp_path, SESSION, "--record", "drill.scenario.yaml")
    # the surprises cost the Communication objective: the drill fails, as simulate would
    assert code == 1 and "FAILED: SLO 'Communication' missed" in output
    assert "✓ phase-2/decision: phase-2/path-b (Database Saturation)" in output
    assert "✓ phase-3/branch-a: 1 more attempt(s) fail" in output
    assert "✓ phase-4: 10m longer (now 15m)" in output
    assert "↶ undone: phase-2/checkpoint: approved after 3m" in output
    assert "phase-2/checkpoint: approved after 2m" in output.split("Debrief")[1]
    assert (tmp_path / "g.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    recording = (tmp_path / "drill.scenario.yaml").read_text(encoding="utf-8")
    assert "approve_after: 2m" in recording and "approve_after: 3m" not in recording
    replay = run_cli("simulate", str(DOC), "--scenario", "drill.scenario.yaml", cwd=tmp_path)
    assert _trace(output) == _trace(replay.stdout)
    regression = run_cli("test", "drill.scenario.yaml", cwd=tmp_path)
    assert regression.code == 0, regression.stdout
    assert "PASS" in regression.stdout


def test_mistakes_get_a_reason_and_the_same_stop_again(tmp_path: Path) -> None:
    commands = "\n\nchoose Z\nchoose A\nwhatever\nfail phase-1\nslo\ntimeline\n"
    code, output = _drill(tmp_path, commands)
    assert "! 'Z' is not a path of phase-2/decision; choose one of path-a, path-b" in output
    assert "! unknown command 'whatever'" in output and "choose PATH" in output
    assert "! phase-1 already finished at 5m" in output
    assert "RTO:" in output and "left of 45m" in output
    assert code == 0  # the input ended: the run went on to its end


def test_input_that_ends_at_once_runs_the_scenario_as_written(tmp_path: Path) -> None:
    code, output = _drill(tmp_path, "")
    base = run_cli("simulate", str(DOC), "--scenario", str(BASE), cwd=tmp_path)
    runs = [line for line in output.splitlines() if line.startswith("  0:")]
    assert runs == [line for line in base.stdout.splitlines() if line.startswith("  0:")]
    assert code == base.code  # and ends as simulate does: an objective missed is a failure


# --- at a real terminal -------------------------------------------------------------------------


def _screen(session: str) -> str:
    done = subprocess.run(
        ["tmux", "capture-pane", "-p", "-S", "-", "-t", session],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _wait_for(session: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never showed; the screen was:\n{screen}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_person_at_a_terminal(tmp_path: Path) -> None:
    session = f"drill-{tmp_path.name}"[:50]
    command = (
        f"cd {tmp_path} && {sys.executable} -m compiler drill {DOC} --scenario {BASE} "
        f"--record typed.yaml --gantt g.html; echo EXITED $?; sleep 30"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "50", command],
        check=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "TERM": "xterm"},
    )  # fmt: skip
    try:
        keys = ["", "", "choose B", "approve", "", "", ""]
        _wait_for(session, "drill>")
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", session, key, "Enter"], check=True)
            time.sleep(0.3)
        screen = _wait_for(session, "EXITED")
        (tmp_path / "screen.txt").write_text(screen, encoding="utf-8")
        assert "decision phase-2/decision: Where do the failures come from?" in screen
        assert "✓ phase-2/decision: phase-2/path-b (Database Saturation)" in screen
        assert "Debrief" in screen
        assert "EXITED 0" in screen or "EXITED 1" in screen
        assert (tmp_path / "typed.yaml").exists()
        assert "phase-2/decision: phase-2/path-b" in (tmp_path / "typed.yaml").read_text()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)


def test_a_failed_attempt_stops_the_clock_and_may_succeed_after_all(tmp_path: Path) -> None:
    commands = "\n\nchoose B\nfail phase-3/branch-a\napprove\n\nrecover\n"
    code, output = _drill(tmp_path, commands, "--record", "r.yaml")
    assert "[0:22:00] phase-3/branch-a: an attempt failed" in output
    assert "✓ phase-3/branch-a: succeeds after all" in output
    assert "retry" not in _trace(output)  # the attempt that failed is gone from the run
    assert code == 0


def _at_the_decision() -> tuple[Any, Any]:
    import yaml

    from compiler.parse import parse_text
    from compiler.simulate.drill import Drill

    document = parse_text(DOC.read_text(encoding="utf-8"), str(DOC))
    drill = Drill(document, yaml.safe_load(BASE.read_text(encoding="utf-8")))
    stop = drill.next_stop()
    while stop is not None and stop.kind != "decision":
        drill.apply(drill.go_on(stop))
        stop = drill.next_stop()
    assert stop is not None
    return drill, stop


def test_completion_offers_what_each_command_takes_here() -> None:
    from compiler.cli.drill_cmd import completions

    drill, stop = _at_the_decision()
    assert stop.id == "phase-2/decision"
    assert completions(drill, stop, "choose ", "") == ["phase-2/path-a", "phase-2/path-b"]
    assert completions(drill, stop, "choose ", "path-") == ["path-a", "path-b"]
    assert completions(drill, stop, "", "ch") == ["choose"]
    # a bare path answers a decision: offered beside the commands
    assert completions(drill, stop, "", "phase") == ["phase-2/path-a", "phase-2/path-b"]
    # steps still ahead (phase-1 has finished), the run's agents, `after`
    ahead = completions(drill, stop, "fail ", "")
    assert "phase-1" not in ahead and "phase-4" in ahead
    assert completions(drill, stop, "delay ", "phase-3/") == [
        "phase-3/branch-a",
        "phase-3/branch-b",
    ]
    assert completions(drill, stop, "approve ", "") == ["after"]
    assert completions(drill, stop, "fact ", "") == ["database cpu"]
    # nothing where a command takes free text, nor for choose where no decision is due
    assert completions(drill, stop, "delay phase-4 ", "") == []
    first = drill.stops()[0]
    assert completions(drill, first, "choose ", "") == []


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tab_after_choose_lists_the_paths_and_the_prompt_redraws_true(tmp_path: Path) -> None:
    """At a real terminal: Tab Tab after `choose ` lists the decision's two paths and no
    command, agent or step; after a line longer than the screen is wide, C-u and ↑ show
    the line that will run (the prompt's colour codes are marked as taking no room, so
    readline redraws it where it is; unmarked, it drew the recalled line columns too far)."""
    session = f"drillc-{tmp_path.name}"[:50]
    command = (
        f"cd {tmp_path} && {sys.executable} -m compiler drill {DOC} --scenario {BASE} "
        f"--gantt g.html; echo EXITED $?; sleep 30"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "40", "-y", "50", command],
        check=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "TERM": "xterm"},
    )  # fmt: skip

    def keys(*sent: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *sent], check=True)
        time.sleep(0.3)

    try:
        _wait_for(session, "drill>")
        keys("Enter")
        keys("Enter")
        _wait_for(session, "decision phase-2/decision")
        keys("choose ", "Tab")  # completes what the two paths share
        keys("Tab", "Tab")  # lists them
        screen = _wait_for(session, "drill> choose phase-2/path-\n")
        listed = screen[screen.index("drill> choose") :]
        assert "phase-2/path-a" in listed and "phase-2/path-b" in listed, listed
        for other in ("approve", "incident-commander", "phase-3/branch-a"):
            assert other not in listed
        keys("C-u")
        keys("choose phase-2/path-a", "Enter")
        _wait_for(session, "waits for approval")
        keys("delay phase-3/branch-a 10m and more words")  # wider than the screen
        keys("C-u")
        keys("Up")
        lines = [line for line in _screen(session).splitlines() if line.strip()]
        assert lines[-1] == "drill> choose phase-2/path-a", lines[-3:]
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
